/**
 * The Triggers `EventListener` (triggers.tekton.dev/v1beta1) with interceptors, plus a least-privilege service
 * account: a namespaced Role, and read-only access to ClusterInterceptors. Never cluster-admin.
 */
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Names, RuleViolation, Violations, addRules, fail, show } from '../core';
import { TriggerBinding } from './trigger-binding';
import { TriggerTemplate } from './trigger-template';

/** Options of the GitHub, GitLab and Bitbucket interceptors. */
export interface GitHubInterceptorOptions {
  /** Secret holding the webhook secret (HMAC key); the interceptor rejects unsigned requests. */
  readonly secretName: string;
  /**
   * Key in that secret.
   * @default 'secretToken'
   */
  readonly secretKey?: string;
  /**
   * Accepted event types (`X-GitHub-Event`, `X-Gitlab-Event`, `X-Event-Key`).
   * @default ['push'] (GitHub), ['Push Hook'] (GitLab), ['repo:refs_changed'] (Bitbucket)
   */
  readonly eventTypes?: string[];
}

/** Options of the CEL interceptor. */
export interface CelInterceptorOptions {
  /**
   * Filter expression; the event is dropped unless it is true.
   * @default none
   */
  readonly filter?: string;
  /**
   * Extra fields computed from the event, readable as `$(extensions.<key>)`.
   * @default none
   */
  readonly overlays?: Record<string, string>;
}

/** A core interceptor (a ClusterInterceptor shipped with Triggers). */
export class Interceptor {
  /** Validates the GitHub HMAC signature and filters event types. */
  public static github(options: GitHubInterceptorOptions): Interceptor {
    return Interceptor.webhook('github', options, ['push']);
  }

  /** Validates the GitLab webhook token (`X-Gitlab-Token`) and filters event types (e.g. `Push Hook`). */
  public static gitlab(options: GitHubInterceptorOptions): Interceptor {
    return Interceptor.webhook('gitlab', options, ['Push Hook']);
  }

  /** Validates the Bitbucket signature and filters event types (e.g. `repo:refs_changed`). */
  public static bitbucket(options: GitHubInterceptorOptions): Interceptor {
    return Interceptor.webhook('bitbucket', options, ['repo:refs_changed']);
  }

  private static webhook(name: string, options: GitHubInterceptorOptions, defaultEvents: string[]): Interceptor {
    if (!options.secretName) {
      fail(undefined, 'interceptor-secret-required', `the ${name} interceptor has no secretName`,
        'create a Secret with the webhook secret and name it here; unsigned webhooks would run pipelines for anyone');
    }
    return new Interceptor(name, [
      { name: 'secretRef', value: { secretName: options.secretName, secretKey: options.secretKey ?? 'secretToken' } },
      { name: 'eventTypes', value: options.eventTypes ?? defaultEvents },
    ], true);
  }

  /** Filters events and adds overlays with CEL. */
  public static cel(options: CelInterceptorOptions): Interceptor {
    if (options.filter === undefined && !Object.keys(options.overlays ?? {}).length) {
      fail(undefined, 'interceptor-params', 'the CEL interceptor has neither filter nor overlays', 'set a filter or overlays');
    }
    return new Interceptor('cel', [
      ...(options.filter !== undefined ? [{ name: 'filter', value: options.filter }] : []),
      ...(options.overlays ? [{ name: 'overlays', value: Object.entries(options.overlays).map(([key, expression]) => ({ key, expression })) }] : []),
    ], false, Object.keys(options.overlays ?? {}));
  }

  private constructor(
    /** The ClusterInterceptor name. */
    public readonly name: string,
    private readonly params: Array<{ name: string; value: any }>,
    /** True if the interceptor authenticates the sender. */
    public readonly authenticates: boolean,
    /** Overlay keys it adds under `extensions`. */
    public readonly overlayKeys: string[] = [],
  ) {}

  /** The JSON form. */
  public toJson(): any {
    return { ref: { name: this.name, kind: 'ClusterInterceptor' }, params: JSON.parse(JSON.stringify(this.params)) };
  }
}

/** A trigger of an EventListener. */
export interface EventListenerTriggerProps {
  /** The template that creates the runs. */
  readonly template: TriggerTemplate;
  /**
   * Bindings that fill the template params.
   * @default none
   */
  readonly bindings?: TriggerBinding[];
  /**
   * Interceptors, run in order. One must authenticate the sender (e.g. `Interceptor.github`).
   * @default none
   */
  readonly interceptors?: Interceptor[];
  /**
   * Accept events from anyone (no authenticating interceptor).
   * @default false
   */
  readonly allowUnauthenticated?: boolean;
}

/** Props of {@link EventListener}. */
export interface EventListenerProps {
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
}

/** An EventListener: receives webhooks and creates runs through triggers. */
export class EventListener extends Construct {
  /** The EventListener name. */
  public readonly name: string;
  /** The service account the listener runs as. */
  public readonly serviceAccountName: string;
  private readonly triggers: Array<{ name: string; props: EventListenerTriggerProps }> = [];
  private readonly ownRbac: boolean;
  private readonly serviceType?: string;

  constructor(scope: Construct, id: string, props: EventListenerProps = {}) {
    super(scope, id);
    this.name = props.name ?? Names.toDnsLabel(id);
    checkNames(this, this.name);
    if (props.serviceType !== undefined && !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(props.serviceType)) {
      fail(this, 'event-listener-service-type', `service type ${show(props.serviceType)} is not ClusterIP, NodePort or LoadBalancer`,
        'use one of those');
    }
    this.serviceType = props.serviceType;
    this.ownRbac = props.serviceAccountName === undefined;
    this.serviceAccountName = props.serviceAccountName ?? this.name;
    new ApiObject(this, 'Resource', {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'EventListener',
      metadata: { name: this.name },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    if (this.ownRbac) this.addRbac(props.namespace ?? Chart.of(this).namespace ?? 'default');
    addRules(this, () => this.validate());
  }

  /** Adds a trigger. */
  public addTrigger(name: string, props: EventListenerTriggerProps): void {
    if (!Names.isDnsLabel(name)) {
      fail(this, 'trigger-name', `trigger name ${show(name)} is not a valid label value`, 'use lowercase letters, digits and -');
    }
    if (this.triggers.some((t) => t.name === name)) {
      fail(this, 'trigger-name-unique', `trigger ${show(name)} is added twice`, 'give each trigger its own name');
    }
    if (!props.allowUnauthenticated && !(props.interceptors ?? []).some((i) => i.authenticates)) {
      fail(this, 'trigger-unauthenticated', `trigger ${show(name)} accepts events from anyone: no interceptor checks the sender`,
        'add Interceptor.github({ secretName }) (or another authenticating interceptor), or set allowUnauthenticated: true');
    }
    this.triggers.push({ name, props });
  }

  private renderSpec(): any {
    return {
      serviceAccountName: this.serviceAccountName,
      triggers: this.triggers.map(({ name, props }) => ({
        name,
        interceptors: props.interceptors?.length ? props.interceptors.map((i) => i.toJson()) : undefined,
        bindings: props.bindings?.length ? props.bindings.map((b) => ({ ref: b.name, kind: b.kind })) : undefined,
        template: { ref: props.template.name },
      })),
      resources: this.serviceType ? { kubernetesResource: { serviceType: this.serviceType } } : undefined,
    };
  }

  private addRbac(namespace: string): void {
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
      rules: [{ apiGroups: ['triggers.tekton.dev'], resources: ['clusterinterceptors', 'clustertriggerbindings'], verbs: ['get', 'list', 'watch'] }],
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
    if (this.triggers.length === 0) {
      v.add('event-listener-triggers-required', `event listener ${show(this.name)} has no triggers`, 'add one with addTrigger()');
    }
    for (const { name, props } of this.triggers) {
      const provided = new Set((props.bindings ?? []).flatMap((b) => b.paramNames));
      const missing = props.template.declaredParams.filter((p) => !p.hasDefault && !provided.has(p.name)).map((p) => p.name);
      if (missing.length > 0) {
        v.add('trigger-binding-missing-param', `trigger ${show(name)}: no binding provides template params ${show(missing)}, which have no default`,
          'add them to a TriggerBinding of this trigger, or give them defaults');
      }
    }
    return v.all;
  }
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
