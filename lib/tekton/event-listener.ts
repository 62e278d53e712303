/**
 * The Triggers `EventListener` (triggers.tekton.dev/v1beta1) with interceptors, plus a least-privilege service
 * account: a namespaced Role, and read-only access to ClusterInterceptors. Never cluster-admin.
 */
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps, constructId, assertValue, integerViolations, Names, RuleViolation, Violations, addRules, fail, show } from '../core';
import { Interceptor } from './interceptor';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { Trigger, TriggerSpecProps, checkTriggerSpec, renderTriggerSpec, validateTriggerSpec } from './trigger';
import { ComputeResources, EnvValue, clean, nonEmpty } from './values';

/** A trigger of an EventListener. */
export interface EventListenerTriggerProps extends TriggerSpecProps {}

/** Label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  /**
   * Labels that must all match.
   * @default none
   */
  readonly matchLabels?: Record<string, string>;
  /**
   * Set-based requirements.
   * @default none
   */
  readonly matchExpressions?: Array<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: string[] }>;
}

/** A group of triggers that shares interceptors, selected by labels or namespaces (`triggerGroups[]`). */
export interface TriggerGroupProps {
  /** Interceptors run once for the whole group; one must authenticate (or set allowUnauthenticated). */
  readonly interceptors: Interceptor[];
  /**
   * Triggers (the `Trigger` kind) with these labels.
   * @default none
   */
  readonly labelSelector?: LabelSelector;
  /**
   * Namespaces to look for Triggers in (`['*']` for all).
   * @default the listener's namespace
   */
  readonly namespaces?: string[];
  /**
   * Accept events from anyone.
   * @default false
   */
  readonly allowUnauthenticated?: boolean;
}

/** The listener's Deployment and Service (`resources.kubernetesResource`). */
export interface EventListenerKubernetesResource {
  /**
   * Pod replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Type of the Service (`ClusterIP`, `NodePort`, `LoadBalancer`).
   * @default ClusterIP
   */
  readonly serviceType?: string;
  /**
   * The Service port.
   * @default 8080
   */
  readonly servicePort?: number;
  /**
   * Labels and annotations of the listener's pods.
   * @default none
   */
  readonly podMetadata?: MetadataProps;
  /**
   * Node selector of the pods.
   * @default none
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Tolerations of the pods (Kubernetes `Toleration` objects).
   * @default none
   */
  readonly tolerations?: Array<Record<string, unknown>>;
  /**
   * Affinity of the pods (a Kubernetes `Affinity` object).
   * @default none
   */
  readonly affinity?: Record<string, unknown>;
  /**
   * Topology spread constraints of the pods.
   * @default none
   */
  readonly topologySpreadConstraints?: Array<Record<string, unknown>>;
  /**
   * Compute resources of the listener container.
   * @default Triggers' defaults
   */
  readonly containerResources?: ComputeResources;
  /**
   * Extra environment of the listener container.
   * @default none
   */
  readonly containerEnv?: Record<string, EnvValue>;
}

/** Props of {@link EventListener}. */
export interface EventListenerProps extends MetadataProps {
  /**
   * `metadata.name`; at most 60 characters (Triggers prefixes the Service with `el-`).
   * @default the construct id as a DNS-1123 label
   */
  readonly name?: string;
  /**
   * Use an existing service account instead of creating one with least-privilege RBAC.
   * @default a new ServiceAccount, Role and RoleBinding with the listener's name
   */
  readonly serviceAccountName?: string;
  /**
   * Type of the listener's Service (`ClusterIP`, `NodePort`, `LoadBalancer`); expose it through an Ingress
   * or gateway you control rather than a public load balancer where possible.
   * @default Triggers' default (ClusterIP)
   */
  readonly serviceType?: string;
  /**
   * The namespace the listener runs in (used in RBAC subjects).
   * @default the chart's namespace, else 'default'
   */
  readonly namespace?: string;
  /**
   * The listener's Deployment and Service: replicas, Service type and port, pod scheduling, container resources.
   * `serviceType` here and the top-level `serviceType` are the same field; set one.
   * @default Triggers' defaults
   */
  readonly kubernetesResource?: EventListenerKubernetesResource;
  /**
   * Also serve `Trigger` objects from these namespaces (`['*']` for all). The generated RBAC then reads
   * triggers and creates runs cluster-wide.
   * @default the listener's namespace only
   */
  readonly namespaces?: string[];
  /**
   * Also serve `Trigger` objects with these labels.
   * @default none
   */
  readonly labelSelector?: LabelSelector;
}

/** An EventListener: receives webhooks and creates runs through triggers. */
export class EventListener extends Construct {
  /** The EventListener name. */
  public readonly name: string;
  /** The service account the listener runs as. */
  public readonly serviceAccountName: string;
  private readonly triggers: Array<{ name: string; props?: EventListenerTriggerProps; ref?: string }> = [];
  private readonly triggerNames = new Set<string>();
  private readonly groups: Array<{ name: string; props: TriggerGroupProps }> = [];
  private readonly groupNames = new Set<string>();
  private readonly ownRbac: boolean;
  private readonly props: EventListenerProps;

  constructor(scope: Construct, id: string, props: EventListenerProps = {}) {
    super(scope, constructId(scope, id, 'event listener', "new EventListener(chart, 'github', { … })"));
    assertProps(this, props);
    this.props = props;
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    checkNames(this, this.name);
    checkMetadata(this, props);
    const k = props.kubernetesResource;
    if (props.serviceType !== undefined && k?.serviceType !== undefined && props.serviceType !== k.serviceType) {
      fail(this, 'event-listener-service-type', `serviceType ${show(props.serviceType)} and kubernetesResource.serviceType ${show(k.serviceType)} disagree`,
        'set the Service type once');
    }
    const serviceType = props.serviceType ?? k?.serviceType;
    if (serviceType !== undefined && !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(serviceType)) {
      fail(this, 'event-listener-service-type', `service type ${show(serviceType)} is not ClusterIP, NodePort or LoadBalancer`,
        'use one of those');
    }
    if (k?.replicas !== undefined) {
      assertValue(this, integerViolations('kubernetesResource.replicas', k.replicas, { min: 0, rangeRule: 'event-listener-replicas', fix: 'set kubernetesResource.replicas to a whole number ≥ 0' }));
    }
    if (k?.servicePort !== undefined) {
      assertValue(this, integerViolations('kubernetesResource.servicePort', k.servicePort, { min: 1, max: 65535, rangeRule: 'event-listener-service-port', fix: 'set kubernetesResource.servicePort to a port from 1 to 65535' }));
    }
    if (k?.podMetadata) checkMetadata(this, k.podMetadata);
    // A given service account is the user's to authorize: generating RBAC for it would grant more than asked.
    this.ownRbac = props.serviceAccountName === undefined;
    this.serviceAccountName = props.serviceAccountName ?? this.name;
    new ApiObject(this, 'Resource', {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'EventListener',
      metadata: { name: this.name, ...renderMetadata(props) },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    if (this.ownRbac) this.addRbac(props.namespace ?? Chart.of(this).namespace ?? 'default', props.namespaces !== undefined);
    addRules(this, () => this.validate());
  }

  /** Adds a trigger. */
  public addTrigger(name: string, props: EventListenerTriggerProps): void {
    assertProps(this, props);
    this.checkTriggerName(name);
    checkTriggerSpec(this, `trigger ${show(name)}`, props);
    this.triggers.push({ name, props });
  }

  /** Serves a standalone `Trigger` (the construct, or the name of one in the listener's namespace). */
  public addTriggerRef(trigger: Trigger | string): void {
    const ref = typeof trigger === 'string' ? trigger : trigger instanceof Trigger ? trigger.name : undefined;
    if (ref === undefined || !Names.isDnsSubdomain(ref)) {
      fail(this, 'trigger-ref', `trigger reference ${show(trigger)} is not a Trigger or its name`, 'pass the Trigger construct or its metadata.name');
    }
    this.checkTriggerName(ref);
    this.triggers.push({ name: ref, ref });
  }

  /** Adds a trigger group: shared interceptors, then the Triggers its selectors pick. */
  public addTriggerGroup(name: string, props: TriggerGroupProps): void {
    assertProps(this, props);
    if (!Names.isDnsLabel(name)) {
      fail(this, 'trigger-name', `trigger group name ${show(name)} is not a valid label value`, 'use lowercase letters, digits and -');
    }
    if (this.groupNames.has(name)) fail(this, 'trigger-name-unique', `trigger group ${show(name)} is added twice`, 'give each group its own name');
    if (!props.labelSelector && !props.namespaces) {
      fail(this, 'trigger-group-selector', `trigger group ${show(name)} selects no triggers`, 'set labelSelector and/or namespaces');
    }
    if (!props.allowUnauthenticated && !props.interceptors.some((i) => i.authenticates)) {
      fail(this, 'trigger-unauthenticated', `trigger group ${show(name)} accepts events from anyone: no interceptor checks the sender`,
        'add Interceptor.github({ secretName }) (or another authenticating interceptor), or set allowUnauthenticated: true');
    }
    this.groupNames.add(name);
    this.groups.push({ name, props });
  }

  private checkTriggerName(name: string): void {
    if (!Names.isDnsLabel(name)) {
      fail(this, 'trigger-name', `trigger name ${show(name)} is not a valid label value`, 'use lowercase letters, digits and -');
    }
    if (this.triggerNames.has(name)) {
      fail(this, 'trigger-name-unique', `trigger ${show(name)} is added twice`, 'give each trigger its own name');
    }
    this.triggerNames.add(name);
  }

  private renderSpec(): any {
    const p = this.props;
    const kr = renderKubernetesResource(p.kubernetesResource, p.serviceType ?? p.kubernetesResource?.serviceType);
    return clean({
      serviceAccountName: this.serviceAccountName,
      namespaceSelector: p.namespaces ? { matchNames: [...p.namespaces] } : undefined,
      labelSelector: p.labelSelector,
      triggers: this.triggers.map(({ name, props, ref }) => (ref !== undefined ? { triggerRef: ref } : { name, ...renderTriggerSpec(props!) })),
      triggerGroups: nonEmpty(this.groups.map(({ name, props }) => ({
        name,
        interceptors: props.interceptors.map((i) => i.toJson()),
        triggerSelector: clean({
          namespaceSelector: props.namespaces ? { matchNames: [...props.namespaces] } : undefined,
          labelSelector: props.labelSelector,
        }),
      }))),
      resources: kr ? { kubernetesResource: kr } : undefined,
    });
  }

  private addRbac(namespace: string, crossNamespace: boolean): void {
    const meta = { name: this.serviceAccountName };
    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta });
    // What the listener needs in its own namespace: read its trigger objects, create runs.
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta,
      rules: [
        { apiGroups: ['triggers.tekton.dev'], resources: ['eventlisteners', 'triggerbindings', 'triggertemplates', 'triggers', 'interceptors'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['tekton.dev'], resources: ['pipelineruns', 'taskruns'], verbs: ['create'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta,
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.serviceAccountName },
    });
    // Core interceptors and ClusterTriggerBindings are cluster-scoped: read-only access, nothing else.
    const clusterName = `${namespace}-${this.serviceAccountName}`.slice(0, 63).replace(/-+$/, '');
    new ApiObject(this, 'ClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterName },
      rules: [
        { apiGroups: ['triggers.tekton.dev'], resources: ['clusterinterceptors', 'clustertriggerbindings'], verbs: ['get', 'list', 'watch'] },
        // Serving Triggers of other namespaces means reading them there and creating the runs there.
        ...(crossNamespace ? [
          { apiGroups: ['triggers.tekton.dev'], resources: ['triggers', 'triggerbindings', 'triggertemplates', 'interceptors'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['tekton.dev'], resources: ['pipelineruns', 'taskruns'], verbs: ['create'] },
        ] : []),
      ],
    });
    new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
    });
  }

  private validate(): RuleViolation[] {
    const v = new Violations();
    const selects = this.props.namespaces !== undefined || this.props.labelSelector !== undefined;
    if (this.triggers.length === 0 && this.groups.length === 0 && !selects) {
      v.add('event-listener-triggers-required', `event listener ${show(this.name)} has no triggers`,
        'add one with addTrigger(), addTriggerRef() or addTriggerGroup(), or select Triggers with namespaces/labelSelector');
    }
    for (const { name, props } of this.triggers) if (props) validateTriggerSpec(v, `trigger ${show(name)}`, props);
    return v.all;
  }
}

/** An object without keys as undefined, so the key is left out. */
function orNone<T extends object>(o: T): T | undefined {
  return Object.keys(o).length > 0 ? o : undefined;
}

/** `resources.kubernetesResource`: the listener's Deployment (replicas, pod template) and Service. */
function renderKubernetesResource(k: EventListenerKubernetesResource | undefined, serviceType: string | undefined): any {
  const container = orNone(clean({
    resources: k?.containerResources,
    env: nonEmpty(Object.entries(k?.containerEnv ?? {}).map(([n, e]) => e.toJson(n))),
  }));
  const podSpec = orNone(clean({
    nodeSelector: k?.nodeSelector, tolerations: k?.tolerations, affinity: k?.affinity,
    topologySpreadConstraints: k?.topologySpreadConstraints, containers: container ? [container] : undefined,
  }));
  const template = orNone(clean({ metadata: orNone(renderMetadata(k?.podMetadata ?? {})), spec: podSpec }));
  return orNone(clean({ replicas: k?.replicas, serviceType, servicePort: k?.servicePort, spec: template ? { template } : undefined }));
}

function checkNames(scope: Construct, name: string): void {
  if (name.length > 60) {
    fail(scope, 'event-listener-name-length', `event listener name ${show(name)} is ${name.length} characters; at most 60 are allowed`,
      'shorten it (Triggers names the Service el-<name>, which must fit in 63)');
  }
  if (!Names.isDnsLabel(name)) {
    fail(scope, 'resource-name', `invalid resource name ${show(name)}: must be a valid DNS label`, 'use lowercase letters, digits and -');
  }
}
