import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { addRules, Duration, wholeSeconds } from '../../core';
import { Json, compact } from '../rollouts/common';
import { Autoscaling, autoscalingAnnotations } from './autoscaling';
import { TrafficTarget } from './traffic-target';
import { knativeServiceViolations } from './validation';
import { checkReferencesOf } from '../references';

/** The restricted container security context (Pod Security Standards) Knative accepts. */
export const RESTRICTED_SECURITY_CONTEXT: Json = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The container of a revision. */
export interface RevisionContainer {
  /** The image (pin a digest for reproducible revisions). */
  readonly image: string;
  /**
   * Container name.
   * @default - Knative names it
   */
  readonly name?: string;
  /**
   * The port the app listens on (Knative sets $PORT).
   * @default 8080
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
    super(scope, id);
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
    addRules(this, () => knativeServiceViolations(this.resource.toJson(), { allowZeroInitialScale: props.allowZeroInitialScale }));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Adds a traffic target. */
  public addTraffic(target: TrafficTarget): this {
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
          containers: c ? [compact({
            name: c.name,
            image: c.image,
            args: c.args,
            ports: [{ containerPort: c.port ?? 8080 }],
            env: c.env ? Object.entries(c.env).map(([name, value]) => ({ name, value })) : undefined,
            resources: compact({ requests: c.requests ?? { cpu: '100m', memory: '128Mi' }, limits: c.limits }),
            securityContext: c.securityContext ?? RESTRICTED_SECURITY_CONTEXT,
          })] : [],
        }),
      }),
      traffic: this.traffic.map((t) => t.toJson()),
    });
  }
}
