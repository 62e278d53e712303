import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, NameForm, RuleViolation, addRules, Duration, envNameViolations, imageViolations, nameViolations, quantityViolations, show, wholeSeconds, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { Autoscaling, autoscalingAnnotations, autoscalingValueViolations } from './autoscaling';
import { TrafficTarget } from './traffic-target';
import { knativeServiceViolations } from './validation';
import { checkReferencesOf } from '../references';
import { PORT, checkProps, intViolations } from '../values';

/** The restricted container security context (Pod Security Standards) Knative accepts. */
export const RESTRICTED_SECURITY_CONTEXT: Json = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** A container of a revision: the serving container, or a sidecar beside it. */
export interface RevisionContainer {
  /** The image (pin a digest for reproducible revisions). */
  readonly image: string;
  /**
   * Container name (unique in the revision).
   * @default - Knative names it (`user-container`, or `user-container-<index>` beside sidecars)
   */
  readonly name?: string;
  /**
   * The port the app listens on (Knative sets $PORT). Only the serving container has one: a sidecar's port is
   * written as given and refused by Knative's rule (`knative-containers`).
   * @default 8080 for the serving container, none for a sidecar
   */
  readonly port?: number;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Resource requests.
   * @default { cpu: '100m', memory: '128Mi' }
   */
  readonly requests?: Record<string, string>;
  /**
   * Resource limits.
   * @default - none
   */
  readonly limits?: Record<string, string>;
  /**
   * Security context; the default is the restricted profile. Overriding it is an explicit, visible opt-out.
   * @default RESTRICTED_SECURITY_CONTEXT
   */
  readonly securityContext?: Json;
}

// The Service name becomes a Kubernetes Service and host name: an RFC 1035 label (a letter first).
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function containerValueViolations(c: RevisionContainer | undefined, what = 'container'): RuleViolation[] {
  if (!c) return [];
  const quantities = (field: string, r: Record<string, string> | undefined) =>
    Object.entries(r ?? {}).flatMap(([k, q]) => quantityViolations(`${what} ${field}.${k}`, q));
  return [
    ...imageViolations(`${what} image`, c.image),
    ...(c.name === undefined ? [] : nameViolations(`${what} name`, c.name, NameForm.DNS_LABEL)),
    ...intViolations(`${what} port`, c.port, PORT),
    ...Object.keys(c.env ?? {}).flatMap((n) => envNameViolations(n)),
    ...quantities('requests', c.requests),
    ...quantities('limits', c.limits),
  ];
}

/** The shared value rules of a Knative Service's props (the webhook's own rules run at synth). */
function knativeValueViolations(p: KnativeServiceProps): RuleViolation[] {
  return [
    ...(p.name === undefined || (p.name.length <= 63 && DNS_1035.test(p.name)) ? [] : [{
      rule: 'knative-service-name', message: `metadata.name ${show(p.name)} is not an RFC 1035 label (the name of the Kubernetes Service and host Knative creates)`,
      fix: "use at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, e.g. 'hello'",
    }]),
    ...(p.revisionName === undefined ? [] : nameViolations('revisionName', p.revisionName, NameForm.DNS_SUBDOMAIN)),
    ...(p.serviceAccountName === undefined ? [] : nameViolations('serviceAccountName', p.serviceAccountName, NameForm.DNS_SUBDOMAIN)),
    ...intViolations('containerConcurrency', p.containerConcurrency),
    ...containerValueViolations(p.container),
    ...(p.sidecars ?? []).flatMap((c, i) => containerValueViolations(c, `sidecars[${i}]`)),
    ...containerNameViolations([...(p.container ? [p.container] : []), ...(p.sidecars ?? [])]),
    ...autoscalingValueViolations(p.autoscaling),
  ];
}

/** Container names are unique in a pod (`knative-container-name-unique`); unnamed ones Knative names by index. */
function containerNameViolations(containers: readonly RevisionContainer[]): RuleViolation[] {
  const seen = new Set<string>();
  const out: RuleViolation[] = [];
  containers.forEach((c, i) => {
    if (c.name === undefined) return;
    if (seen.has(c.name)) {
      out.push({ rule: 'knative-container-name-unique', message: `spec.template.spec.containers[${i}] name ${show(c.name)} is used twice in the revision`,
        fix: 'give the container and each sidecar its own name' });
    }
    seen.add(c.name);
  });
  return out;
}

/** A revision container as written: the serving container with its port, a sidecar without one unless given. */
function renderContainer(c: RevisionContainer, port: number | undefined): Json {
  return compact({
    name: c.name,
    image: c.image,
    args: c.args,
    ports: port !== undefined ? [{ containerPort: port }] : undefined,
    env: c.env ? Object.entries(c.env).map(([name, value]) => ({ name, value })) : undefined,
    resources: compact({ requests: c.requests ?? { cpu: '100m', memory: '128Mi' }, limits: c.limits }),
    securityContext: c.securityContext ?? RESTRICTED_SECURITY_CONTEXT,
  });
}

/** Props of {@link KnativeService}. */
export interface KnativeServiceProps {
  /**
   * The object name (also the host name prefix).
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The revision's container.
   * @default - none; required by synth
   */
  readonly container?: RevisionContainer;
  /**
   * Sidecar containers beside the serving container (Knative multi-container: a log shipper, a proxy). They
   * expose no port; each gets the same secure defaults (restricted security context, resource requests).
   * @default - none
   */
  readonly sidecars?: RevisionContainer[];
  /**
   * A name for the next revision (`<service>-<suffix>`), so traffic can point at it.
   * @default - Knative generates one
   */
  readonly revisionName?: string;
  /**
   * Autoscaling settings of the revision.
   * @default - the cluster defaults (KPA, concurrency, scale to zero allowed)
   */
  readonly autoscaling?: Autoscaling;
  /**
   * Hard limit of concurrent requests per pod (0 = unlimited).
   * @default 0
   */
  readonly containerConcurrency?: number;
  /**
   * Request timeout (whole seconds, at most 600).
   * @default Duration.seconds(300)
   */
  readonly timeout?: Duration;
  /**
   * Traffic split; empty sends everything to the latest revision.
   * @default - 100 % to the latest revision
   */
  readonly traffic?: TrafficTarget[];
  /**
   * Shift traffic to a new revision gradually over this time (whole seconds).
   * @default - all at once
   */
  readonly rolloutDuration?: Duration;
  /**
   * Service account of the pods.
   * @default - the namespace default
   */
  readonly serviceAccountName?: string;
  /**
   * The cluster's `config-autoscaler` has `allow-zero-initial-scale: true`, so `initialScale: 0` is accepted.
   * @default false (Knative's default)
   */
  readonly allowZeroInitialScale?: boolean;
}

/**
 * A Knative Serving `Service` (serving.knative.dev/v1): a revision template with typed autoscaling (including
 * scale to zero) and a traffic split by revision, latest and tag. Knative's webhook rules run at synth.
 */
export class KnativeService extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  private readonly traffic: TrafficTarget[];

  constructor(scope: Construct, id: string, private readonly props: KnativeServiceProps = {}) {
    super(scope, constructId(scope, id, 'KnativeService', "new KnativeService(scope, 'Main', …)"));
    checkProps(this, props, knativeValueViolations(props));
    wholeSeconds(props.timeout, this);
    wholeSeconds(props.rolloutDuration, this);
    this.traffic = [...(props.traffic ?? [])];
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: compact({
        name: props.name,
        annotations: props.rolloutDuration ? { 'serving.knative.dev/rollout-duration': `${wholeSeconds(props.rolloutDuration)}s` } : undefined,
      }),
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    checkReferencesOf(this);
    addRules(this, () => knativeServiceViolations(FinalDocument.of(this.resource), { allowZeroInitialScale: props.allowZeroInitialScale }));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Adds a traffic target. */
  public addTraffic(target: TrafficTarget): this {
    checkProps(this, target);
    this.traffic.push(target);
    return this;
  }

  private renderSpec(): Json {
    const p = this.props;
    const c = p.container;
    const annotations = autoscalingAnnotations(p.autoscaling);
    return compact({
      template: compact({
        metadata: compact({ name: p.revisionName, annotations }),
        spec: compact({
          containerConcurrency: p.containerConcurrency,
          timeoutSeconds: wholeSeconds(p.timeout),
          serviceAccountName: p.serviceAccountName,
          containers: [...(c ? [renderContainer(c, c.port ?? 8080)] : []), ...(p.sidecars ?? []).map((x) => renderContainer(x, x.port))],
        }),
      }),
      traffic: this.traffic.map((t) => t.toJson()),
    });
  }
}
