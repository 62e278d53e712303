/**
 * References between the objects of one app, resolved at synth across all its charts: the reference checks of
 * `kubectl argo rollouts lint` and the controller, and istioctl analyze's IST0101 (referenced resource not found),
 * IST0109 (conflicting mesh hosts) and IST0127 (no matching workloads). Objects that live outside the app are
 * declared with {@link ExternalObject} or with cdk8s-plus's imported constructs (`Secret.fromSecretName()` and the
 * like); only those skip the check.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { FinalDocument, RuleViolation, addRules, show, constructId } from '../core';
import { patchesOf } from '../core/final-document';
import { perSynthesis } from '../core/synthesis';
import { hostsOverlap } from './mesh/validation';
import { IResourceRef, Json } from './rollouts/common';
import { POD_TEMPLATE_HASH } from './rollouts/validation';
import { checkProps } from './values';

/** Props of {@link ExternalObject}. */
export interface ExternalObjectProps {
  /** The API group of the kind (`''` for core, `apps`, `networking.istio.io`, `argoproj.io`, …). */
  readonly group: string;
  /** The kind, e.g. `Service`, `Gateway`, `AnalysisTemplate`. */
  readonly kind: string;
  /** The object name. */
  readonly name: string;
  /**
   * The namespace.
   * @default - the chart's namespace (`default` when the chart sets none)
   */
  readonly namespace?: string;
  /**
   * Labels of the pods the object runs (a gateway Deployment installed with Istio, an operator's database), so
   * selectors in the app may match them.
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Mesh hosts the object serves (a Service in another cluster, a host reached through the egress gateway).
   * @default - none
   */
  readonly hosts?: string[];
}

/**
 * An object that exists outside this app: it synthesizes nothing and declares that references to it are meant.
 * The reference checks skip only what is declared this way (or through cdk8s-plus imports such as
 * `kplus.Secret.fromSecretName()`); every other reference must resolve to an object of the app.
 */
export class ExternalObject extends Construct implements IResourceRef {
  /** A Service outside the app (e.g. created by an operator). */
  public static service(scope: Construct, id: string, name: string, namespace?: string): ExternalObject {
    return new ExternalObject(scope, id, { group: '', kind: 'Service', name, namespace });
  }

  /**
   * An Istio Gateway outside the app, as a VirtualService names it: `name` (same namespace) or `namespace/name`.
   * Pass `externalGateway.reference` in `gateways`.
   */
  public static gateway(scope: Construct, id: string, reference: string): ExternalObject {
    const [namespace, name] = reference.includes('/') ? reference.split('/', 2) : [undefined, reference];
    return new ExternalObject(scope, id, { group: 'networking.istio.io', kind: 'Gateway', name, namespace });
  }

  /** An AnalysisTemplate installed outside the app; usable wherever an analysis template is expected. */
  public static analysisTemplate(scope: Construct, id: string, name: string): ExternalObject {
    return new ExternalObject(scope, id, { group: 'argoproj.io', kind: 'AnalysisTemplate', name });
  }

  /** A ClusterAnalysisTemplate installed outside the app (`clusterScope: true` in references). */
  public static clusterAnalysisTemplate(scope: Construct, id: string, name: string): ExternalObject {
    return new ExternalObject(scope, id, { group: 'argoproj.io', kind: 'ClusterAnalysisTemplate', name, namespace: '' });
  }

  /** A ConfigMap created outside the app. */
  public static configMap(scope: Construct, id: string, name: string): ExternalObject {
    return new ExternalObject(scope, id, { group: '', kind: 'ConfigMap', name });
  }

  /** A Secret created outside the app (by an operator, cert-manager, …). */
  public static secret(scope: Construct, id: string, name: string): ExternalObject {
    return new ExternalObject(scope, id, { group: '', kind: 'Secret', name });
  }

  /**
   * Pods outside the app, by their labels: e.g. Istio's ingress gateway
   * (`ExternalObject.pods(this, 'ingress', { istio: 'ingressgateway' }, 'istio-system')`).
   */
  public static pods(scope: Construct, id: string, labels: Record<string, string>, namespace?: string): ExternalObject {
    return new ExternalObject(scope, id, { group: 'apps', kind: 'Deployment', name: id.toLowerCase(), namespace, podLabels: labels });
  }

  /** Mesh hosts served outside the app (another cluster, a VM not modelled here). */
  public static hosts(scope: Construct, id: string, hosts: string[]): ExternalObject {
    return new ExternalObject(scope, id, { group: 'networking.istio.io', kind: 'ServiceEntry', name: id.toLowerCase(), hosts });
  }

  /** The object name. */
  public readonly name: string;
  /** The API group. */
  public readonly group: string;
  /** The kind. */
  public readonly kind: string;
  /** The namespace ('' for cluster-scoped kinds). */
  public readonly namespace: string;
  /** True for a ClusterAnalysisTemplate, so the object can stand for an analysis template. */
  public readonly clusterScope: boolean;
  /** Labels of pods the object runs. */
  public readonly podLabels?: Record<string, string>;
  /** Mesh hosts the object serves. */
  public readonly hosts: string[];

  constructor(scope: Construct, id: string, props: ExternalObjectProps) {
    super(scope, constructId(scope, id, 'ExternalObject', "new ExternalObject(scope, 'Main', …)"));
    checkProps(this, props);
    this.group = props.group;
    this.kind = props.kind;
    this.name = props.name;
    this.namespace = props.namespace ?? namespaceOf(this);
    this.clusterScope = props.kind === 'ClusterAnalysisTemplate';
    this.podLabels = props.podLabels ? { ...props.podLabels } : undefined;
    this.hosts = [...(props.hosts ?? [])];
  }

  /** How a VirtualService names this Gateway: `namespace/name`. */
  public get reference(): string {
    return `${this.namespace}/${this.name}`;
  }
}

/** Turns on the app-wide reference checks for a chart (delivery constructs turn them on for their own chart). */
export class AppReferences {
  /**
   * Checks at synth that every reference made by the chart's objects (Services, HPAs, PDBs, Ingresses, env and
   * volume ConfigMaps/Secrets, and every delivery kind) resolves to an object somewhere in the app, or to an
   * {@link ExternalObject}. Calling it again for the same chart does nothing.
   */
  public static check(chart: Chart): void {
    if ((chart as any)[CHECKED]) return;
    Object.defineProperty(chart, CHECKED, { value: true });
    addRules(chart, () => referenceViolations(chart));
  }

  private constructor() {}
}

const CHECKED = Symbol.for('slipway.delivery.references');

/** @internal Turns the checks on for the chart of `scope`, if it is in one. */
export function checkReferencesOf(scope: IConstruct): void {
  let chart: Chart;
  try {
    chart = Chart.of(scope);
  } catch {
    return;
  }
  AppReferences.check(chart);
}

function namespaceOf(c: IConstruct): string {
  try {
    return Chart.of(c).namespace ?? 'default';
  } catch {
    return 'default';
  }
}

interface Entry {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly doc?: Json;
  readonly external: boolean;
}

interface Pods {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

const CLUSTER_SCOPED = new Set(['ClusterAnalysisTemplate', 'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume']);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? v.slice(0, v.lastIndexOf('/')) : '';
}

/**
 * Whether the checks read the object's document (pod templates, Service ports, mesh objects); every other object is
 * indexed by its identity, which needs no render (a Tekton Pipeline, a ConfigMap). An escape-hatch patch may change
 * the identity, so a patched object is always rendered.
 */
function needsDocument(c: ApiObject): boolean {
  const group = groupOf(c.apiVersion);
  if (patchesOf(c).length > 0 || group === 'networking.istio.io') return true;
  return c.kind === 'Service' || c.kind === 'Pod' || c.kind === 'CronJob' || c.kind === 'Rollout' || c.kind === 'Experiment'
    || c.kind === 'ContainerSource' || WORKLOAD_KINDS.has(c.kind);
}

/** Everything the app declares, indexed once per check. */
class AppIndex {
  private readonly objects = new Map<string, Entry[]>();
  public readonly pods: Pods[] = [];
  /** ServiceEntry and external hosts, with the namespace they are declared in. */
  public readonly meshHosts: Array<{ host: string; external: boolean }> = [];
  /** DestinationRules by the FQDN of their host. */
  public readonly subsets = new Map<string, Set<string>>();
  /** Mesh-bound VirtualServices by FQDN host. */
  public readonly meshVirtualServices = new Map<string, string[]>();

  constructor(root: IConstruct) {
    for (const c of root.node.findAll()) {
      if (c instanceof ApiObject) {
        if (!needsDocument(c)) {
          this.add({ group: groupOf(c.apiVersion), kind: c.kind, name: c.name, namespace: c.metadata.namespace ?? 'default', external: false });
          continue;
        }
        let doc: Json;
        try {
          // Rendered once per synthesis: the render that writes the document reuses it.
          doc = FinalDocument.of(c);
        } catch {
          continue; // a broken object reports its own error
        }
        this.addDoc(doc);
      } else if (c instanceof ExternalObject) {
        this.add({ group: c.group, kind: c.kind, name: c.name, namespace: c.namespace, external: true });
        if (c.podLabels) this.pods.push({ namespace: c.namespace, labels: c.podLabels });
        for (const host of c.hosts) this.meshHosts.push({ host, external: true });
      } else if (isImported(c)) {
        const x = c as any;
        this.add({ group: groupOf(x.apiVersion), kind: x.kind, name: x.name, namespace: '*', external: true });
      }
    }
  }

  private key(group: string, kind: string, namespace: string, name: string): string {
    return `${group}|${kind}|${CLUSTER_SCOPED.has(kind) ? '' : namespace}|${name}`;
  }

  private add(e: Entry): void {
    const k = this.key(e.group, e.kind, e.namespace, e.name);
    this.objects.set(k, [...(this.objects.get(k) ?? []), e]);
  }

  private addDoc(doc: Json): void {
    const group = groupOf(doc.apiVersion);
    const namespace = doc.metadata?.namespace ?? 'default';
    const name = doc.metadata?.name ?? '';
    this.add({ group, kind: doc.kind, name, namespace, doc, external: false });
    for (const t of podTemplates(doc)) this.pods.push({ namespace, labels: t.labels });
    if (doc.kind === 'Service' && group === 'serving.knative.dev') {
      // Knative creates a Kubernetes Service of the same name for every ksvc
      this.add({ group: '', kind: 'Service', name, namespace, external: false });
    }
    if (group === 'networking.istio.io') {
      const spec: Json = doc.spec ?? {};
      // a VM or host in the mesh is a workload that selectors (ServiceEntry, policies) may match
      if (doc.kind === 'WorkloadEntry') this.pods.push({ namespace, labels: spec.labels ?? {} });
      if (doc.kind === 'ServiceEntry') for (const host of spec.hosts ?? []) this.meshHosts.push({ host, external: false });
      if (doc.kind === 'DestinationRule' && spec.host) {
        const fq = fqdn(spec.host, namespace);
        const set = this.subsets.get(fq) ?? new Set<string>();
        for (const s of spec.subsets ?? []) set.add(s.name);
        this.subsets.set(fq, set);
      }
      if (doc.kind === 'VirtualService') {
        const gateways: string[] = spec.gateways ?? [];
        if (gateways.length === 0 || gateways.includes('mesh')) {
          for (const host of spec.hosts ?? []) {
            const fq = fqdn(host, namespace);
            this.meshVirtualServices.set(fq, [...(this.meshVirtualServices.get(fq) ?? []), `${namespace}/${name}`]);
          }
        }
      }
    }
  }

  /** The entries of a kind and name: in `namespace`, or declared without one (cdk8s-plus imports). */
  public find(group: string, kind: string, namespace: string, name: string): Entry | undefined {
    return this.objects.get(this.key(group, kind, namespace, name))?.[0] ?? this.objects.get(this.key(group, kind, '*', name))?.[0];
  }

  /** Names of a kind in a namespace, for "did you mean" hints. */
  public names(group: string, kind: string, namespace: string): string[] {
    const prefix = `${group}|${kind}|${CLUSTER_SCOPED.has(kind) ? '' : namespace}|`;
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }

  /** True if some pod of the app (or a declared external one) carries every label of `selector`. */
  public selects(selector: Record<string, string>, namespace: string | undefined): boolean {
    const wanted = Object.entries(selector).filter(([k]) => k !== POD_TEMPLATE_HASH);
    return this.pods.some((p) => (namespace === undefined || p.namespace === namespace) && wanted.every(([k, v]) => p.labels[k] === v));
  }
}

/** cdk8s-plus's `fromXxxName()` constructs: a named object without an ApiObject, i.e. one that lives elsewhere. */
function isImported(c: IConstruct): boolean {
  const x = c as any;
  return typeof x.kind === 'string' && typeof x.resourceType === 'string' && typeof x.name === 'string'
    && typeof x.apiVersion === 'string' && !c.node.findAll().some((d) => d instanceof ApiObject);
}

/** The pod templates of a document with the labels their pods carry. */
function podTemplates(doc: Json): Array<{ where: string; labels: Record<string, string>; spec: Json }> {
  const spec: Json = doc.spec ?? {};
  const group = groupOf(doc.apiVersion);
  const t = (where: string, tpl: Json | undefined, extra: Record<string, string> = {}) =>
    (tpl ? [{ where, labels: { ...(tpl.metadata?.labels ?? {}), ...extra }, spec: tpl.spec ?? {} }] : []);
  if (WORKLOAD_KINDS.has(doc.kind) && (group === 'apps' || group === 'batch')) return t('spec.template', spec.template);
  if (doc.kind === 'CronJob') return t('spec.jobTemplate.spec.template', spec.jobTemplate?.spec?.template);
  if (doc.kind === 'Pod' && group === '') return [{ where: 'spec', labels: doc.metadata?.labels ?? {}, spec }];
  if (doc.kind === 'Rollout') return t('spec.template', spec.template);
  if (doc.kind === 'Experiment') return (spec.templates ?? []).flatMap((x: Json, i: number) => t(`spec.templates[${i}].template`, x.template));
  if (doc.kind === 'Service' && group === 'serving.knative.dev') {
    return t('spec.template', spec.template, { 'serving.knative.dev/service': doc.metadata?.name ?? '' });
  }
  if (doc.kind === 'ContainerSource' && group === 'sources.knative.dev') return t('spec.template', spec.template);
  return [];
}

/** The Kubernetes Service a mesh host names, when it names one (`web`, `web.shop`, `web.shop.svc[.cluster.local]`). */
function serviceOfHost(host: string, namespace: string): { name: string; namespace: string } | undefined {
  const parts = host.split('.');
  if (parts.length === 1) return { name: host, namespace };
  if (parts.length === 2 || (parts[2] === 'svc' && (parts.length === 3 || parts.slice(3).join('.') === 'cluster.local'))) {
    return { name: parts[0], namespace: parts[1] };
  }
  return undefined;
}

/** The fully qualified form of a mesh host, as istiod compares them. */
export function fqdn(host: string, namespace: string): string {
  const svc = serviceOfHost(host, namespace);
  return svc ? `${svc.name}.${svc.namespace}.svc.cluster.local` : host;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

/** ' (did you mean "x"?)' when a name of the app is one or two edits away. */
function hint(wanted: string, candidates: string[]): string {
  const best = candidates.map((c) => [c, distance(wanted, c)] as const).filter(([, n]) => n <= 2).sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))[0];
  return best ? ` (did you mean ${show(best[0])}?)` : '';
}

type Report = (rule: string, message: string, fix: string) => void;

/** Resource names as the API server spells them in NotFound errors. */
const RESOURCE = (group: string, kind: string) => `${kind.toLowerCase()}s${group ? `.${group}` : ''}`;

function requireObject(idx: AppIndex, report: Report, rule: string, where: string, group: string, kind: string, name: string | undefined,
  namespace: string, external: string): void {
  if (!name || idx.find(group, kind, namespace, name)) return;
  report(rule, `${where}: ${kind} ${show(name)} is not in the app (${RESOURCE(group, kind)} ${show(name)} not found)${hint(name, idx.names(group, kind, namespace))}`,
    `create the ${kind} in the app, fix the name, or declare it with ${external} if it lives outside the app`);
}

function rolloutReferences(doc: Json, idx: AppIndex, report: Report): void {
  const ns = doc.metadata?.namespace ?? 'default';
  const s: Json = doc.spec ?? {};
  const canary: Json | undefined = s.strategy?.canary;
  const bg: Json | undefined = s.strategy?.blueGreen;
  const templates = (where: string, refs: Json[] | undefined) => (refs ?? []).forEach((r: Json, i: number) => {
    const cluster = !!r.clusterScope;
    requireObject(idx, report, 'reference-analysis-template', `${where}.templates[${i}]`, 'argoproj.io', cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate',
      r.templateName, ns, cluster ? 'ExternalObject.clusterAnalysisTemplate()' : 'ExternalObject.analysisTemplate()');
  });
  (canary?.steps ?? []).forEach((step: Json, i: number) => {
    if (step.analysis) templates(`steps[${i}].analysis`, step.analysis.templates);
    (step.experiment?.analyses ?? []).forEach((a: Json, j: number) => {
      requireObject(idx, report, 'reference-analysis-template', `steps[${i}].experiment.analyses[${j}]`, 'argoproj.io',
        a.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate', a.templateName, ns, 'ExternalObject.analysisTemplate()');
    });
  });
  if (canary?.analysis) templates('canary.analysis', canary.analysis.templates);
  if (bg?.prePromotionAnalysis) templates('blueGreen.prePromotionAnalysis', bg.prePromotionAnalysis.templates);
  if (bg?.postPromotionAnalysis) templates('blueGreen.postPromotionAnalysis', bg.postPromotionAnalysis.templates);

  const services: Array<[string, string | undefined]> = [
    ['canary.canaryService', canary?.canaryService], ['canary.stableService', canary?.stableService],
    ['canary.pingPong.pingService', canary?.pingPong?.pingService], ['canary.pingPong.pongService', canary?.pingPong?.pongService],
    ['canary.trafficRouting.alb.rootService', canary?.trafficRouting?.alb?.rootService],
    ['blueGreen.activeService', bg?.activeService], ['blueGreen.previewService', bg?.previewService],
  ];
  for (const [where, name] of services) requireObject(idx, report, 'reference-service', where, '', 'Service', name, ns, 'ExternalObject.service()');

  const tr: Json = canary?.trafficRouting ?? {};
  const router = (where: string, group: string, kind: string, name: string | undefined) =>
    requireObject(idx, report, 'reference-traffic-router', where, group, kind, name, ns, `new ExternalObject(scope, id, { group: '${group}', kind: '${kind}', name })`);
  router('trafficRouting.istio.virtualService', 'networking.istio.io', 'VirtualService', tr.istio?.virtualService?.name);
  (tr.istio?.virtualServices ?? []).forEach((v: Json, i: number) => router(`trafficRouting.istio.virtualServices[${i}]`, 'networking.istio.io', 'VirtualService', v.name));
  router('trafficRouting.istio.destinationRule', 'networking.istio.io', 'DestinationRule', tr.istio?.destinationRule?.name);
  router('trafficRouting.nginx.stableIngress', 'networking.k8s.io', 'Ingress', tr.nginx?.stableIngress);
  (tr.nginx?.stableIngresses ?? []).forEach((n: string, i: number) => router(`trafficRouting.nginx.stableIngresses[${i}]`, 'networking.k8s.io', 'Ingress', n));
  router('trafficRouting.alb.ingress', 'networking.k8s.io', 'Ingress', tr.alb?.ingress);
  (tr.alb?.ingresses ?? []).forEach((n: string, i: number) => router(`trafficRouting.alb.ingresses[${i}]`, 'networking.k8s.io', 'Ingress', n));

  const ref: Json | undefined = s.workloadRef;
  if (ref) {
    requireObject(idx, report, 'reference-workload', 'spec.workloadRef', groupOf(ref.apiVersion), ref.kind, ref.name, ns,
      `new ExternalObject(scope, id, { group: '${groupOf(ref.apiVersion)}', kind: '${ref.kind}', name })`);
  }
}

function experimentReferences(doc: Json, idx: AppIndex, report: Report): void {
  const ns = doc.metadata?.namespace ?? 'default';
  (doc.spec?.analyses ?? []).forEach((a: Json, i: number) => {
    requireObject(idx, report, 'reference-analysis-template', `spec.analyses[${i}]`, 'argoproj.io', a.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate',
      a.templateName, ns, 'ExternalObject.analysisTemplate()');
  });
}

/** True if `host` is a Service of the app, a ServiceEntry host or a declared external host. */
function hostResolves(host: string, namespace: string, idx: AppIndex): { found: boolean; external: boolean } {
  const svc = serviceOfHost(host, namespace);
  const entry = svc ? idx.find('', 'Service', svc.namespace, svc.name) : undefined;
  if (entry) return { found: true, external: entry.external };
  const mesh = idx.meshHosts.find((h) => hostsOverlap(h.host, host) && (h.host !== '*' || host === '*'));
  return mesh ? { found: true, external: mesh.external } : { found: false, external: false };
}

function virtualServiceReferences(doc: Json, idx: AppIndex, report: Report): void {
  const ns = doc.metadata?.namespace ?? 'default';
  const spec: Json = doc.spec ?? {};
  (spec.gateways ?? []).forEach((g: string, i: number) => {
    if (g === 'mesh') return;
    const [gns, name] = g.includes('/') ? g.split('/', 2) : [ns, g];
    if (idx.find('networking.istio.io', 'Gateway', gns, name)) return;
    report('istio-gateway-not-found', `spec.gateways[${i}] ${show(g)}: Referenced gateway not found: ${show(g)}${hint(name, idx.names('networking.istio.io', 'Gateway', gns))}`,
      "create the Gateway in the app, fix the name (namespace/name), or declare it with ExternalObject.gateway() and pass its reference");
  });
  const destination = (where: string, d: Json | undefined) => {
    if (!d?.host) return;
    const resolved = hostResolves(d.host, ns, idx);
    if (!resolved.found) {
      report('istio-host-not-found', `${where}.host ${show(d.host)}: Referenced host not found: ${show(d.host)}`,
        'route to a Service of the app, add a ServiceEntry for the host, or declare it with ExternalObject.hosts()');
      return;
    }
    if (d.subset === undefined || resolved.external) return;
    const fq = fqdn(d.host, ns);
    const defined = [...idx.subsets.entries()].filter(([h]) => hostsOverlap(h, fq)).flatMap(([, set]) => [...set]);
    if (!defined.includes(d.subset)) {
      report('istio-subset-not-found', `${where}.subset ${show(d.subset)}: Referenced host+subset in destinationrule not found: ${show(`${d.host}+${d.subset}`)}${defined.length ? ` (the DestinationRule defines ${defined.join(', ')})` : ' (no DestinationRule for the host)'}`,
        'add the subset to the DestinationRule of the host (addSubset()) or route to a subset it defines');
    }
  };
  (spec.http ?? []).forEach((h: Json, i: number) => {
    (h.route ?? []).forEach((r: Json, j: number) => destination(`http[${i}].route[${j}].destination`, r.destination));
    destination(`http[${i}].mirror`, h.mirror);
    (h.mirrors ?? []).forEach((m: Json, j: number) => destination(`http[${i}].mirrors[${j}].destination`, m.destination));
  });
  for (const kind of ['tcp', 'tls']) {
    (spec[kind] ?? []).forEach((r: Json, i: number) => (r.route ?? []).forEach((x: Json, j: number) => destination(`${kind}[${i}].route[${j}].destination`, x.destination)));
  }
  // IST0109: one host, several mesh-bound VirtualServices
  const gateways: string[] = spec.gateways ?? [];
  if (gateways.length === 0 || gateways.includes('mesh')) {
    for (const host of spec.hosts ?? []) {
      const all = idx.meshVirtualServices.get(fqdn(host, ns)) ?? [];
      if (all.length > 1) {
        report('istio-conflicting-hosts', `spec.hosts ${show(host)}: The VirtualServices ${all.join(',')} associated with mesh gateway define the same host ${fqdn(host, ns)} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource. (IST0109)`,
          'merge the routes into one VirtualService (addHttpRoute() on the one that exists, e.g. the canary delivery\'s virtualService)');
      }
    }
  }
}

function selectorLabels(spec: Json | undefined, field: 'selector' | 'workloadSelector'): Record<string, string> | undefined {
  const s = spec?.[field];
  if (!s) return undefined;
  return field === 'workloadSelector' ? s.labels : (s.matchLabels ?? s);
}

function istioReferences(doc: Json, idx: AppIndex, report: Report): void {
  const ns = doc.metadata?.namespace ?? 'default';
  const spec: Json = doc.spec ?? {};
  if (doc.kind === 'VirtualService') virtualServiceReferences(doc, idx, report);
  if (doc.kind === 'Gateway') {
    const sel: Record<string, string> = spec.selector ?? {};
    if (Object.keys(sel).length === 0) {
      report('istio-gateway-selector', `spec.selector ${show(sel)}: an empty selector applies the Gateway to every pod with a proxy in the mesh, not to a gateway workload`,
        "select the gateway pods, e.g. { istio: 'ingressgateway' }, and declare them with ExternalObject.pods() if Istio installed them");
    } else if (!idx.selects(sel, undefined)) {
      report('istio-gateway-selector', `spec.selector: Referenced selector not found: ${show(Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(','))} (no pod of the app carries these labels)`,
        "declare the gateway pods Istio installed with ExternalObject.pods(scope, id, { istio: 'ingressgateway' }, 'istio-system'), or fix the labels");
    }
  }
  if (doc.kind === 'DestinationRule' && spec.host && !hostResolves(spec.host, ns, idx).found) {
    report('istio-host-not-found', `spec.host ${show(spec.host)}: Referenced host not found: ${show(spec.host)}`,
      'name a Service of the app, add a ServiceEntry for the host, or declare it with ExternalObject.hosts()');
  }
  const field = doc.kind === 'Sidecar' || doc.kind === 'EnvoyFilter' ? 'workloadSelector' : 'selector';
  if (['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication', 'Telemetry', 'Sidecar', 'EnvoyFilter'].includes(doc.kind)) {
    const sel = selectorLabels(spec, field);
    if (sel && Object.keys(sel).length > 0 && !idx.selects(sel, ns)) {
      report('istio-no-matching-workloads', `spec.${field}: No matching workloads for this resource with the following labels: ${Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',')} (IST0127)`,
        "select labels the workload's pods carry (e.g. microservice.selectorLabels), or declare the pods with ExternalObject.pods()");
    }
  }
}

/** ConfigMaps the cluster writes into every namespace (Kubernetes' CA bundle, Istio's root certificate). */
const CLUSTER_CONFIG_MAPS = new Set(['kube-root-ca.crt', 'istio-ca-root-cert']);

/** ConfigMaps and Secrets read by env, envFrom, volumes and projected volumes of a pod spec. */
function configReferences(spec: Json, where: string, ns: string, idx: AppIndex, report: Report): void {
  const need = (at: string, kind: 'ConfigMap' | 'Secret', name: string | undefined, optional: boolean | undefined) => {
    if (optional || (kind === 'ConfigMap' && name !== undefined && CLUSTER_CONFIG_MAPS.has(name))) return;
    requireObject(idx, report, 'reference-config', at, '', kind, name, ns, kind === 'Secret' ? 'ExternalObject.secret() or kplus.Secret.fromSecretName()' : 'ExternalObject.configMap() or kplus.ConfigMap.fromConfigMapName()');
  };
  for (const kind of ['initContainers', 'containers']) {
    (spec[kind] ?? []).forEach((c: Json, i: number) => {
      const at = `${where}.spec.${kind}[${i}]`;
      (c.env ?? []).forEach((e: Json) => {
        const cm = e.valueFrom?.configMapKeyRef;
        const sk = e.valueFrom?.secretKeyRef;
        if (cm) need(`${at}.env ${show(e.name)}`, 'ConfigMap', cm.name, cm.optional);
        if (sk) need(`${at}.env ${show(e.name)}`, 'Secret', sk.name, sk.optional);
      });
      (c.envFrom ?? []).forEach((e: Json, j: number) => {
        if (e.configMapRef) need(`${at}.envFrom[${j}]`, 'ConfigMap', e.configMapRef.name, e.configMapRef.optional);
        if (e.secretRef) need(`${at}.envFrom[${j}]`, 'Secret', e.secretRef.name, e.secretRef.optional);
      });
    });
  }
  (spec.volumes ?? []).forEach((v: Json) => {
    const at = `${where}.spec.volumes ${show(v.name)}`;
    if (v.configMap) need(at, 'ConfigMap', v.configMap.name, v.configMap.optional);
    if (v.secret) need(at, 'Secret', v.secret.secretName, v.secret.optional);
    for (const src of v.projected?.sources ?? []) {
      if (src.configMap) need(at, 'ConfigMap', src.configMap.name, src.configMap.optional);
      if (src.secret) need(at, 'Secret', src.secret.name, src.secret.optional);
    }
  });
}

function coreReferences(doc: Json, idx: AppIndex, report: Report): void {
  const ns = doc.metadata?.namespace ?? 'default';
  const group = groupOf(doc.apiVersion);
  const spec: Json = doc.spec ?? {};
  if (doc.kind === 'Service' && group === '' && spec.selector && Object.keys(spec.selector).length > 0 && !idx.selects(spec.selector, ns)) {
    report('selector-matches-pods', `spec.selector ${show(spec.selector)}: Service ${show(doc.metadata?.name)} selects no pod of the app in namespace ${show(ns)}`,
      'select the labels of a workload in the namespace (e.g. microservice.selectorLabels), or declare external pods with ExternalObject.pods()');
  }
  if (doc.kind === 'PodDisruptionBudget' && spec.selector?.matchLabels && !idx.selects(spec.selector.matchLabels, ns)) {
    report('selector-matches-pods', `spec.selector ${show(spec.selector)}: PodDisruptionBudget ${show(doc.metadata?.name)} selects no pod of the app in namespace ${show(ns)}`,
      'select the labels of the workload it protects');
  }
  const podSelector = spec.podSelector?.matchLabels;
  if (doc.kind === 'NetworkPolicy' && group === 'networking.k8s.io' && podSelector && Object.keys(podSelector).length > 0 && !idx.selects(podSelector, ns)) {
    report('selector-matches-pods', `spec.podSelector ${show(spec.podSelector)}: NetworkPolicy ${show(doc.metadata?.name)} selects no pod of the app in namespace ${show(ns)}`,
      'select the labels of a workload in the namespace (e.g. microservice.selectorLabels)');
  }
  if (doc.kind === 'HorizontalPodAutoscaler') {
    const t: Json = spec.scaleTargetRef ?? {};
    requireObject(idx, report, 'reference-workload', 'spec.scaleTargetRef', groupOf(t.apiVersion), t.kind, t.name, ns,
      `new ExternalObject(scope, id, { group: '${groupOf(t.apiVersion)}', kind: '${t.kind}', name })`);
  }
  if (doc.kind === 'Ingress' && group === 'networking.k8s.io') {
    const backend = (where: string, b: Json | undefined) => {
      const svc = b?.service;
      if (!svc?.name) return;
      const found = idx.find('', 'Service', ns, svc.name);
      if (!found) {
        requireObject(idx, report, 'reference-service', where, '', 'Service', svc.name, ns, 'ExternalObject.service()');
        return;
      }
      const ports: Json[] = found.doc?.spec?.ports ?? [];
      const port = svc.port ?? {};
      if (found.doc && ((port.number !== undefined && !ports.some((p) => p.port === port.number)) || (port.name !== undefined && !ports.some((p) => p.name === port.name)))) {
        report('reference-service', `${where}: Service ${show(svc.name)} has no port ${show(port.number ?? port.name)} (ports: ${ports.map((p) => p.name ?? p.port).join(', ')})`,
          'use a port the Service exposes');
      }
    };
    backend('spec.defaultBackend', spec.defaultBackend);
    (spec.rules ?? []).forEach((r: Json, i: number) => (r.http?.paths ?? []).forEach((p: Json, j: number) => backend(`spec.rules[${i}].http.paths[${j}].backend`, p.backend)));
    (spec.tls ?? []).forEach((t: Json, i: number) => {
      if (t.secretName) requireObject(idx, report, 'reference-config', `spec.tls[${i}].secretName`, '', 'Secret', t.secretName, ns, 'ExternalObject.secret() or kplus.Secret.fromSecretName()');
    });
  }
}

/** @internal The part of the app index other checks of the layer read. */
export interface AppPods {
  /** True if some pod of the app (or a declared external one) carries every label of `selector`. */
  selects(selector: Record<string, string>, namespace: string | undefined): boolean;
}

const INDEXED = Symbol.for('slipway.delivery.indexedRules');

/**
 * @internal Runs `check` with the app index during the reference checks of the chart holding `scope`, so every
 * check of a chart shares one index per synth; violations name `scope`'s path.
 */
export function addIndexedRules(scope: IConstruct, check: (pods: AppPods) => RuleViolation[]): void {
  const chart = Chart.of(scope);
  AppReferences.check(chart);
  const c = chart as any;
  if (!c[INDEXED]) Object.defineProperty(c, INDEXED, { value: [] });
  c[INDEXED].push({ path: scope.node.path, check });
}

/** Knative Eventing: Triggers name a Broker, sources and Triggers deliver to addressables, SinkBindings bind a workload. */
function eventingReferences(doc: Json, idx: AppIndex, report: Report): void {
  const ns = doc.metadata?.namespace ?? 'default';
  const spec: Json = doc.spec ?? {};
  const addressable = (where: string, d: Json | undefined) => {
    const ref = d?.ref;
    if (!ref?.name) return;
    requireObject(idx, report, 'reference-sink', `${where}.ref`, groupOf(ref.apiVersion), ref.kind, ref.name, ref.namespace ?? ns,
      `new ExternalObject(scope, id, { group: '${groupOf(ref.apiVersion)}', kind: '${ref.kind}', name })`);
  };
  if (doc.kind === 'Trigger') {
    requireObject(idx, report, 'reference-sink', 'spec.broker', 'eventing.knative.dev', 'Broker', spec.broker, ns, "new ExternalObject(scope, id, { group: 'eventing.knative.dev', kind: 'Broker', name })");
    addressable('spec.subscriber', spec.subscriber);
  }
  addressable('spec.sink', spec.sink);
  addressable('spec.delivery.deadLetterSink', spec.delivery?.deadLetterSink);
  if (doc.kind === 'SinkBinding' && spec.subject?.name) {
    const s: Json = spec.subject;
    requireObject(idx, report, 'reference-sink', 'spec.subject', groupOf(s.apiVersion), s.kind, s.name, ns, `new ExternalObject(scope, id, { group: '${groupOf(s.apiVersion)}', kind: '${s.kind}', name })`);
  }
}

/**
 * One index of the app per synthesis, shared by the rules of every chart (building it renders the objects whose
 * documents the checks read); outside a synthesis, a fresh one per check.
 */
const APP_INDEX = Symbol('app index');

function indexFor(root: IConstruct): AppIndex {
  return perSynthesis(APP_INDEX, root, () => new AppIndex(root));
}

/** Every reference made by the chart's documents, resolved against the whole app. */
function referenceViolations(chart: Chart): RuleViolation[] {
  let root: IConstruct = chart;
  while (root.node.scope) root = root.node.scope;
  const idx = indexFor(root);
  const out: RuleViolation[] = [];
  for (const c of chart.node.findAll()) {
    if (!(c instanceof ApiObject) || Chart.of(c) !== chart) continue;
    let doc: Json;
    try {
      doc = FinalDocument.of(c);
    } catch {
      continue;
    }
    const path = c.node.id === 'Resource' && c.node.scope ? c.node.scope.node.path : c.node.path;
    // name the construct that made the reference, as fail() does
    const report: Report = (rule, message, fix) => out.push({ rule, message: `[${path}] ${doc.kind} ${show(doc.metadata?.name)}: ${message}`, fix });
    const group = groupOf(doc.apiVersion);
    if (doc.kind === 'Rollout') rolloutReferences(doc, idx, report);
    if (doc.kind === 'Experiment') experimentReferences(doc, idx, report);
    if (group === 'networking.istio.io' || group === 'security.istio.io' || group === 'telemetry.istio.io') istioReferences(doc, idx, report);
    coreReferences(doc, idx, report);
    if (group === 'eventing.knative.dev' || group === 'sources.knative.dev') eventingReferences(doc, idx, report);
    for (const t of podTemplates(doc)) configReferences(t.spec, t.where, doc.metadata?.namespace ?? 'default', idx, report);
  }
  for (const { path, check } of ((chart as any)[INDEXED] ?? []) as Array<{ path: string; check: (pods: AppPods) => RuleViolation[] }>) {
    for (const v of check(idx)) out.push({ ...v, message: `[${path}] ${v.message}` });
  }
  return out;
}
