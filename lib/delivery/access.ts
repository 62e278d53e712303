import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RuleViolation, assertValue, fail, show, constructId } from '../core';
import { Microservice } from '../workloads';
import { AuthorizationPolicy } from './mesh';
import { AppPods, addIndexedRules, checkReferencesOf } from './references';
import { Json } from './rollouts/common';
import { checkProps, PORT, intViolations } from './values';

/** Who calls: the pods of a workload, their namespace and the ServiceAccount the mesh knows them by. */
export class AccessPeer {
  /** The pods of a Microservice of this app, in its chart's namespace, with its ServiceAccount. */
  public static workload(workload: Microservice): AccessPeer {
    return new AccessPeer(workload.name, namespaceOf(workload), { ...workload.selectorLabels }, workload.deployment.serviceAccount?.name, workload);
  }

  /**
   * Pods given by labels, e.g. Istio's ingress gateway
   * (`AccessPeer.pods('istio-system', { istio: 'ingressgateway' }, 'istio-ingressgateway-service-account')`).
   * The reference checks need them in the app or declared with `ExternalObject.pods()`.
   */
  public static pods(namespace: string, labels: Record<string, string>, serviceAccount?: string): AccessPeer {
    return new AccessPeer(Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','), namespace, { ...labels }, serviceAccount, undefined);
  }

  private constructor(
    /** How messages name the peer. */
    public readonly description: string,
    /** The namespace of the pods. */
    public readonly namespace: string,
    /** Labels that select the pods. */
    public readonly labels: Record<string, string>,
    /** The ServiceAccount of the pods, if not the namespace's default one. */
    public readonly serviceAccount: string | undefined,
    /** @internal */
    public readonly _workload: Microservice | undefined,
  ) {}

  /** The SPIFFE principal Istio gives the pods (`cluster.local/ns/<namespace>/sa/<account>`). */
  public get principal(): string {
    return `cluster.local/ns/${this.namespace}/sa/${this.serviceAccount ?? 'default'}`;
  }
}

/** Options of {@link WorkloadAccess.allowFrom}. */
export interface AllowOptions {
  /**
   * The port the caller may reach (the callee's container port; NetworkPolicy and Istio both see pod ports).
   * @default - the callee's container port
   */
  readonly port?: number;
}

/** Props of {@link NamespaceAccess}. */
export interface NamespaceAccessProps {
  /**
   * The namespace the declaration governs.
   * @default - the chart's namespace (`default` when the chart sets none)
   */
  readonly namespace?: string;
  /**
   * Deny by default: a NetworkPolicy selecting every pod of the namespace with no ingress and only DNS egress
   * (and, in the mesh, the sidecars' connection to istiod), plus an allow-nothing AuthorizationPolicy in the
   * mesh. Only the declared call paths stay open.
   * @default false
   */
  readonly defaultDeny?: boolean;
  /**
   * The namespace runs Istio sidecars: every allow also writes an AuthorizationPolicy rule for the caller's
   * ServiceAccount principal, so mTLS identity (not only pod IPs) decides.
   * @default false
   */
  readonly mesh?: boolean;
}

/** Where cluster DNS answers (CoreDNS / kube-dns in kube-system). */
const DNS_EGRESS: Json = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};
/** Sidecars fetch configuration and certificates from istiod on 15012. */
const ISTIOD_EGRESS: Json = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
  ports: [{ protocol: 'TCP', port: 15012 }],
};

interface Allow {
  readonly caller: AccessPeer;
  readonly callee: AccessPeer;
  readonly port: number;
}

const REGISTRY = Symbol.for('slipway.delivery.access');

/** The declarations of one app: namespace access by namespace, and every allow. */
interface Registry {
  readonly namespaces: Map<string, NamespaceAccess>;
  readonly allows: Allow[];
}

function registryOf(scope: IConstruct): Registry {
  let root: IConstruct = scope;
  while (root.node.scope) root = root.node.scope;
  const r = root as any;
  if (!r[REGISTRY]) Object.defineProperty(r, REGISTRY, { value: { namespaces: new Map(), allows: [] } });
  return r[REGISTRY];
}

function namespaceOf(c: IConstruct): string {
  return Chart.of(c).namespace ?? 'default';
}

/** A pod-level peer of a NetworkPolicy rule: the pods, and their namespace when it is another one. */
function networkPeer(peer: AccessPeer, from: string): Json {
  return {
    podSelector: { matchLabels: { ...peer.labels } },
    ...(peer.namespace !== from ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } } : {}),
  };
}

/** A NetworkPolicy whose rules are collected until synth. */
function networkPolicy(scope: Construct, id: string, name: string, namespace: string, podSelector: Json, types: string[], rules: () => Json): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: Lazy.any({ produce: () => ({ podSelector, policyTypes: types, ...rules() }) }),
  });
}

/**
 * Service-to-service access for one namespace, declared once per call path: `access.to(orders).allowFrom(frontend)`
 * writes the Kubernetes NetworkPolicy ingress rule for the callee (and the caller's egress rule when the caller's
 * namespace denies by default) and, in the mesh, the Istio AuthorizationPolicy rule for the caller's
 * ServiceAccount principal. `defaultDeny` closes everything else.
 */
export class NamespaceAccess extends Construct {
  /** The namespace governed. */
  public readonly namespace: string;
  /** Whether the namespace runs Istio sidecars. */
  public readonly mesh: boolean;
  /** Whether everything not declared is denied. */
  public readonly defaultDeny: boolean;
  private readonly targets = new Map<string, WorkloadAccess>();
  private readonly egress = new Map<string, Json[]>();
  private readonly scrapers: AccessPeer[] = [];
  private readonly scrapeRules: Json[] = [];

  constructor(scope: Construct, id: string, props: NamespaceAccessProps = {}) {
    super(scope, constructId(scope, id, 'NamespaceAccess', "new NamespaceAccess(scope, 'Main', …)"));
    checkProps(this, props);
    this.namespace = props.namespace ?? namespaceOf(this);
    this.mesh = props.mesh ?? false;
    this.defaultDeny = props.defaultDeny ?? false;
    const registry = registryOf(this);
    if (registry.namespaces.has(this.namespace)) {
      fail(this, 'access-namespace', `namespace ${show(this.namespace)} already has an access declaration (${registry.namespaces.get(this.namespace)!.node.path})`,
        'declare the access of a namespace once and add every call path to it');
    }
    registry.namespaces.set(this.namespace, this);
    if (this.defaultDeny) {
      networkPolicy(this, 'DefaultDeny', 'default-deny', this.namespace, {}, ['Ingress', 'Egress'],
        () => ({ egress: this.mesh ? [DNS_EGRESS, ISTIOD_EGRESS] : [DNS_EGRESS] }));
      if (this.mesh) new AuthorizationPolicy(this, 'AllowNothing', { name: 'allow-nothing' });
      // callers declared before this namespace existed still get their egress
      for (const a of registry.allows) if (a.caller.namespace === this.namespace) this.addEgress(a);
    }
    checkReferencesOf(this);
    addIndexedRules(this, (pods) => unknownPeers(this, pods, this.scrapers.map((caller) => ({ caller, to: 'every pod' }))));
  }

  /**
   * Lets a metrics scraper (Prometheus) reach every pod of the namespace on `port`: with sidecars that is 15020,
   * where the agent serves the Istio and application metrics the analyses query. A default-deny namespace needs
   * it, or the canary gates have no data.
   */
  public allowScrapingFrom(scraper: AccessPeer, options: AllowOptions = {}): this {
    const port = options.port ?? 15020;
    assertValue(this, intViolations('port', port, { ...PORT, rangeRule: 'access-port' }));
    this.scrapers.push(scraper);
    if (this.scrapers.length === 1) {
      networkPolicy(this, 'MetricsScraping', 'allow-metrics-scraping', this.namespace, {}, ['Ingress'], () => ({ ingress: this.scrapeRules }));
    }
    this.scrapeRules.push({ from: [networkPeer(scraper, this.namespace)], ports: [{ protocol: 'TCP', port }] });
    return this;
  }

  /** The access of one workload of this namespace (created on first use). */
  public to(workload: Microservice): WorkloadAccess {
    const ns = namespaceOf(workload);
    if (ns !== this.namespace) {
      fail(this, 'access-namespace', `workload ${show(workload.name)} is in namespace ${show(ns)}, not ${show(this.namespace)}`,
        `declare its access on the NamespaceAccess of ${show(ns)}`);
    }
    let t = this.targets.get(workload.node.path);
    if (!t) {
      t = new WorkloadAccess(this, `${workload.node.id}Access`, workload, this);
      this.targets.set(workload.node.path, t);
    }
    return t;
  }

  /** @internal Adds the caller-side egress rule of an allow (only namespaces that deny by default need one). */
  public _addEgress(caller: AccessPeer, callee: AccessPeer, port: number): void {
    if (this.defaultDeny) this.addEgress({ caller, callee, port });
  }

  private addEgress(a: Allow): void {
    const key = `${a.caller.namespace}|${JSON.stringify(a.caller.labels)}`;
    let rules = this.egress.get(key);
    if (!rules) {
      rules = [];
      this.egress.set(key, rules);
      const list = rules;
      const id = `Egress${this.egress.size}`;
      networkPolicy(this, id, `${a.caller._workload?.name ?? `egress-${this.egress.size}`}-egress`, this.namespace,
        { matchLabels: { ...a.caller.labels } }, ['Egress'], () => ({ egress: list }));
    }
    rules.push({ to: [networkPeer(a.callee, a.caller.namespace)], ports: [{ protocol: 'TCP', port: a.port }] });
  }
}

/** Who may call one workload: a NetworkPolicy and, in the mesh, an AuthorizationPolicy, both named after it. */
export class WorkloadAccess extends Construct {
  /** The NetworkPolicy admitting the callers (`<name>-ingress`). */
  public readonly networkPolicy: ApiObject;
  /** The AuthorizationPolicy naming the callers' principals (`<name>-callers`), in the mesh. */
  public readonly authorizationPolicy?: AuthorizationPolicy;
  private readonly callee: AccessPeer;
  private readonly ingress: Json[] = [];
  private readonly allows: Allow[] = [];

  /** @internal Use {@link NamespaceAccess.to}. */
  constructor(scope: Construct, id: string, private readonly workload: Microservice, private readonly access: NamespaceAccess) {
    super(scope, constructId(scope, id, 'WorkloadAccess', "new WorkloadAccess(scope, 'Main', …)"));
    this.callee = AccessPeer.workload(workload);
    this.networkPolicy = networkPolicy(this, 'NetworkPolicy', `${workload.name}-ingress`, access.namespace,
      { matchLabels: { ...workload.selectorLabels } }, ['Ingress'], () => ({ ingress: this.ingress }));
    if (access.mesh) {
      this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', { name: `${workload.name}-callers`, selector: { ...workload.selectorLabels } });
    }
    addIndexedRules(this, (pods) => unknownPeers(this, pods, this.allows.map((a) => ({ caller: a.caller, to: show(this.workload.name) }))));
  }

  /** Lets the pods of `caller` (a Microservice of this app) reach this workload on `port`. */
  public allowFrom(caller: Microservice, options: AllowOptions = {}): this {
    return this.allowFromPeer(AccessPeer.workload(caller), options);
  }

  /** Lets any peer (e.g. the ingress gateway's pods) reach this workload on `port`. */
  public allowFromPeer(caller: AccessPeer, options: AllowOptions = {}): this {
    const port = options.port ?? this.workload.port;
    assertValue(this, intViolations('port', port, { ...PORT, rangeRule: 'access-port' }));
    if (this.access.mesh && caller.serviceAccount === undefined) {
      fail(this, 'access-service-account', `caller ${show(caller.description)} runs as the default ServiceAccount of ${show(caller.namespace)}: every pod without its own account shares principal ${caller.principal}, so the AuthorizationPolicy could not tell the caller apart`,
        'give the caller its own ServiceAccount (Microservice serviceAccount), or name the account in AccessPeer.pods()');
    }
    const a: Allow = { caller, callee: this.callee, port };
    this.allows.push(a);
    this.ingress.push({ from: [networkPeer(caller, this.access.namespace)], ports: [{ protocol: 'TCP', port }] });
    this.authorizationPolicy?.addRule({ from: [{ principals: [caller.principal] }], to: [{ ports: [String(port)] }] });
    const registry = registryOf(this);
    registry.allows.push(a);
    registry.namespaces.get(caller.namespace)?._addEgress(caller, this.callee, port);
    return this;
  }
}

/**
 * access-unknown-workload: callers that are neither pods of this app nor declared external pods (an allow for a
 * workload that is not there opens a hole for nobody, or for a later impostor).
 */
function unknownPeers(scope: IConstruct, idx: AppPods, allows: Array<{ caller: AccessPeer; to: string }>): RuleViolation[] {
  const rootOf = (c: IConstruct) => {
    let r = c;
    while (r.node.scope) r = r.node.scope;
    return r;
  };
  const root = rootOf(scope);
  return allows.filter(({ caller }) => (caller._workload !== undefined && rootOf(caller._workload) !== root) || !idx.selects(caller.labels, caller.namespace))
    .map(({ caller, to }) => ({
      rule: 'access-unknown-workload',
      message: `allow from ${show(caller.description)} (pods ${show(caller.labels)} in ${show(caller.namespace)}) to ${to}: the caller is not a workload of this app`,
      fix: 'allow a Microservice of this app, or declare pods outside it with ExternalObject.pods() and allow them with AccessPeer.pods()',
    }));
}
