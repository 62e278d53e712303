/**
 * Core Kubernetes documents → `workloads.*` constructs (over cdk8s-plus-28): Deployment, CronJob, Job, Service,
 * ConfigMap, Namespace, HorizontalPodAutoscaler, PodDisruptionBudget; Secrets become references only (their data
 * never enters code). References between the documents become typed handles: an HPA scales it through `ScaleTarget.fromWorkload`, volumes and env take the
 * ConfigMap construct.
 */
import { Expr, api, arr, callApi, construct, data, lit, method, obj, ref } from '../calls';
import { DocumentBuilder, Plan, guarded } from './plan';
import { byName, readPodTemplate, removePatch, seconds } from './workloads/pod';

/** The kinds this reader builds (apiVersion/kind). */
export const WORKLOAD_KINDS = new Set(['v1/Namespace', 'v1/Pod', 'v1/ConfigMap', 'v1/Secret', 'v1/PersistentVolumeClaim', 'apps/v1/Deployment',
  'apps/v1/DaemonSet', 'apps/v1/StatefulSet', 'batch/v1/Job', 'batch/v1/CronJob', 'v1/Service', 'networking.k8s.io/v1/Ingress', 'autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget']);

/** Build order: what others refer to comes first. */
const ORDER = ['Namespace', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Deployment', 'DaemonSet', 'StatefulSet', 'Pod', 'Job', 'CronJob', 'Service', 'Ingress',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget'];

const ADDRESS = 'cdk8s.io/metadata.addr';

/**
 * cdk8s-plus-28 labels every pod with its own `cdk8s.io/metadata.addr`: removed when the file's pods have none,
 * set to the file's value when they have one (slipway's own output selects by it).
 */
function addressLabel(self: Expr, labels: Record<string, unknown> | undefined, pointer: string): Expr {
  const path = `${pointer}/labels/cdk8s.io~1metadata.addr`;
  const value = labels?.[ADDRESS];
  return value === undefined ? removePatch(self, path)
    : method(callApi('cdk8s.ApiObject.of', self), 'addJsonPatch', callApi('cdk8s.JsonPatch.replace', lit(path), lit(String(value))));
}

/** Reads every core workload document of the plan. */
export function readWorkloads(plan: Plan, docs: number[]): void {
  const rank = (i: number) => ORDER.indexOf(String(plan.documents[i].value?.kind));
  const scaled = new Set(docs.filter((i) => plan.documents[i].value?.kind === 'HorizontalPodAutoscaler')
    .map((i) => { const t = plan.documents[i].value?.spec?.scaleTargetRef ?? {}; return `${t.kind}/${t.name}`; }));
  // The app-wide reference checks (HPA targets, Service and PDB selectors, Ingress backends, ConfigMaps): the
  // program turns them on as delivery constructs do for their charts.
  if (docs.length > 0) plan.statements.push({ expr: callApi('delivery.AppReferences.check', callApi('cdk8s.Chart.of', ref('scope'))), origin: { doc: docs[0], path: [] } });
  for (const i of [...docs].sort((a, b) => rank(a) - rank(b) || a - b)) {
    const kind = String(plan.documents[i].value?.kind);
    guarded(plan, i, (p, doc) => READERS[kind](p, doc, scaled));
  }
}

type Reader = (plan: Plan, doc: number, scaled: Set<string>) => void;

function metadata(b: DocumentBuilder, extra: readonly string[] = []): Expr {
  const m = b.value.metadata ?? {};
  b.only(m, ['metadata'], ['name', 'namespace', 'labels', 'annotations', ...extra]);
  return obj({
    name: m.name !== undefined ? lit(String(m.name)) : undefined,
    namespace: m.namespace !== undefined ? lit(String(m.namespace)) : undefined,
    labels: m.labels ? data(m.labels) : undefined,
    annotations: m.annotations ? data(m.annotations) : undefined,
  });
}

const nameOf = (b: DocumentBuilder): string => String(b.value.metadata?.name ?? '');

/**
 * `new Ctor(scope, id, props)`, the id claimed only for a document that stays typed (a raw one gets the id it
 * would have had). Call it after everything that may find a gap.
 */
function typedNew(b: DocumentBuilder, ctor: string, name: string, kind: string, props: Expr): Expr {
  return construct(ctor, ref('scope'), lit(b.hasGaps ? '' : b.plan.constructId(name, kind)), props);
}

function readNamespace(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  b.only(b.value, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(b.value.spec, ['spec'], []);
  b.only(b.value.metadata, ['metadata'], ['name', 'labels']);
  const labels: Record<string, string> = { ...b.value.metadata?.labels };
  const modes = ['enforce', 'warn', 'audit'].map((m) => labels[`pod-security.kubernetes.io/${m}`]);
  const level = modes[0];
  const all = modes.every((m) => m !== undefined && m === level) && ['restricted', 'baseline', 'privileged'].includes(level);
  if (all) for (const m of ['enforce', 'warn', 'audit']) delete labels[`pod-security.kubernetes.io/${m}`];
  const name = nameOf(b);
  b.add([], typedNew(b, 'workloads.Namespace', name, 'Namespace', obj({
    name: lit(name),
    podSecurity: all && level !== 'restricted' ? api(`workloads.PodSecurityLevel.${level.toUpperCase()}`) : undefined,
    podSecurityLabels: all ? undefined : lit(false),
    labels: Object.keys(labels).length ? data(labels) : undefined,
  })));
  b.commit();
}

function readConfigMap(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable']);
  const name = nameOf(b);
  const variable = plan.variable(name, 'config');
  b.add([], typedNew(b, 'workloads.ConfigMap', name, 'ConfigMap', obj({
    metadata: metadata(b),
    data: v.data ? data(Object.fromEntries(Object.entries(v.data).map(([k, x]) => [k, String(x)]))) : undefined,
    binaryData: v.binaryData ? data(v.binaryData) : undefined,
    immutable: v.immutable !== undefined ? data(v.immutable) : undefined,
  })), variable);
  if (b.commit()) plan.setHandle('ConfigMap', name, { variable, typed: true });
}

/** A Secret's data never enters the generated code: the program declares the Secret as created outside it. */
function readSecret(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const name = nameOf(b);
  const variable = plan.variable(name, 'secret');
  b.add([], callApi('kplus.Secret.fromSecretName', ref('scope'), lit(plan.constructId(name, 'Secret')), lit(name)), variable);
  b.note({ kind: 'escape-hatch', text: `${plan.documents[doc].label} is not written: secret data never goes into code; it is referred to with kplus.Secret.fromSecretName(), so create it outside the app (kubectl, Sealed Secrets, External Secrets)` });
  b.commit();
  plan.setHandle('Secret', name, { variable, typed: true });
}

/** A PodDisruptionBudget's `spec.selector` labels. */
function selectorLabels(b: DocumentBuilder): Record<string, string> | undefined {
  const sel = b.value.spec?.selector;
  b.only(sel, ['spec', 'selector'], ['matchLabels', 'matchExpressions']);
  return sel?.matchLabels;
}

const OPERATORS: Record<string, string> = { In: 'in', NotIn: 'notIn', Exists: 'exists', DoesNotExist: 'doesNotExist' };

/** `spec.selector.matchExpressions` as `kplus.LabelExpression.in/notIn/exists/doesNotExist(...)` calls. */
function selectorExpressions(b: DocumentBuilder, sel: any): Expr[] {
  return (sel?.matchExpressions ?? []).map((e: any, i: number) => {
    const at = ['spec', 'selector', 'matchExpressions', i];
    b.only(e, at, ['key', 'operator', 'values']);
    const f = OPERATORS[e.operator];
    if (!f) b.gap([...at, 'operator'], `operator ${e.operator}`);
    return f === 'in' || f === 'notIn' ? callApi(`kplus.LabelExpression.${f}`, lit(String(e.key)), data(e.values ?? []))
      : callApi(`kplus.LabelExpression.${f ?? 'exists'}`, lit(String(e.key)));
  });
}

/** A workload's `spec.selector` as `LabelSelector.of({ labels, expressions })`, or undefined when it has none. */
function workloadSelector(b: DocumentBuilder): Expr | undefined {
  const sel = b.value.spec?.selector;
  if (sel === undefined) return undefined;
  b.only(sel, ['spec', 'selector'], ['matchLabels', 'matchExpressions']);
  const expressions = selectorExpressions(b, sel);
  return callApi('kplus.LabelSelector.of', obj({
    labels: sel.matchLabels ? data(sel.matchLabels) : undefined,
    expressions: expressions.length ? arr(expressions) : undefined,
  }));
}

function podTemplateMeta(b: DocumentBuilder, t: any, at: Array<string | number>): Expr {
  b.only(t, at, ['metadata', 'spec']);
  b.only(t?.metadata, [...at, 'metadata'], ['labels', 'annotations']);
  return obj({ labels: t?.metadata?.labels ? data(t.metadata.labels) : undefined, annotations: t?.metadata?.annotations ? data(t.metadata.annotations) : undefined });
}

function intOrPercent(v: unknown): Expr {
  const m = /^(\d+)%$/.exec(String(v));
  return m ? callApi('kplus.PercentOrAbsolute.percent', lit(Number(m[1]))) : callApi('kplus.PercentOrAbsolute.absolute', data(v));
}

/** A Deployment or DaemonSet: a selector, a pod template and its rollout settings. */
function readSelectedWorkload(kind: 'Deployment' | 'DaemonSet'): Reader {
  return (plan, doc, scaled) => {
    const b = new DocumentBuilder(plan, doc);
    const v = b.value;
    const spec = v.spec ?? {};
    b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
    b.only(spec, ['spec'], kind === 'Deployment'
      ? ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'progressDeadlineSeconds', 'revisionHistoryLimit']
      : ['selector', 'template', 'updateStrategy', 'minReadySeconds']);
    const name = nameOf(b);
    const variable = plan.variable(name, kind);
    const selector = workloadSelector(b);
    const pod = readPodTemplate(b, spec.template?.metadata, spec.template?.spec ?? {}, ['spec', 'template', 'spec'], '/spec/template/spec', name);
    const props = kind === 'Deployment' ? deploymentProps(b, spec, scaled.has(`Deployment/${name}`)) : daemonSetProps(b, spec);
    b.add([], typedNew(b, `workloads.${kind}`, name, kind, obj({
      metadata: metadata(b),
      select: lit(false),
      podMetadata: podTemplateMeta(b, spec.template, ['spec', 'template']),
      ...props,
      minReady: spec.minReadySeconds !== undefined ? seconds(spec.minReadySeconds) : undefined,
      ...pod.props,
    })), variable);
    if (selector) b.add(['spec', 'selector'], method(ref(variable), 'select', selector));
    b.add(['spec', 'template', 'metadata'], addressLabel(ref(variable), spec.template?.metadata?.labels, '/spec/template/metadata'));
    for (const a of pod.after) b.add(['spec', 'template', 'spec'], a(ref(variable)));
    if (b.commit()) plan.setHandle(kind, name, { variable, typed: true });
  };
}

function deploymentProps(b: DocumentBuilder, spec: any, scaled: boolean): Record<string, Expr | undefined> {
  const s = spec.strategy;
  b.only(s, ['spec', 'strategy'], ['type', 'rollingUpdate']);
  b.only(s?.rollingUpdate, ['spec', 'strategy', 'rollingUpdate'], ['maxSurge', 'maxUnavailable']);
  const strategy = s?.type === 'Recreate' ? callApi('kplus.DeploymentStrategy.recreate')
    : s?.rollingUpdate ? callApi('kplus.DeploymentStrategy.rollingUpdate', obj({
      maxSurge: s.rollingUpdate.maxSurge !== undefined ? intOrPercent(s.rollingUpdate.maxSurge) : undefined,
      maxUnavailable: s.rollingUpdate.maxUnavailable !== undefined ? intOrPercent(s.rollingUpdate.maxUnavailable) : undefined,
    })) : undefined;
  // The HPA owns replicas of a scaled Deployment; one the file leaves out is Kubernetes' 1 (cdk8s-plus-28 writes 2).
  const autoscaled = scaled && spec.replicas === undefined;
  return {
    replicas: autoscaled ? undefined : data(spec.replicas ?? 1),
    strategy,
    progressDeadline: spec.progressDeadlineSeconds !== undefined ? seconds(spec.progressDeadlineSeconds) : undefined,
    revisionHistoryLimit: spec.revisionHistoryLimit !== undefined ? data(spec.revisionHistoryLimit) : undefined,
  };
}

function daemonSetProps(b: DocumentBuilder, spec: any): Record<string, Expr | undefined> {
  const s = spec.updateStrategy;
  b.only(s, ['spec', 'updateStrategy'], ['type', 'rollingUpdate']);
  b.only(s?.rollingUpdate, ['spec', 'updateStrategy', 'rollingUpdate'], ['maxSurge', 'maxUnavailable']);
  if (s?.type === 'RollingUpdate' && !s.rollingUpdate) b.gap(['spec', 'updateStrategy'], 'a RollingUpdate strategy without rollingUpdate (slipway writes maxUnavailable)');
  return {
    updateStrategy: s === undefined ? undefined : s.type === 'OnDelete' ? callApi('workloads.DaemonSetUpdateStrategy.onDelete')
      : callApi('workloads.DaemonSetUpdateStrategy.rollingUpdate', data(s.rollingUpdate ?? {})),
  };
}

const POD_MANAGEMENT: Record<string, string> = { OrderedReady: 'ORDERED_READY', Parallel: 'PARALLEL' };

function readStatefulSet(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(spec, ['spec'], ['replicas', 'selector', 'serviceName', 'template', 'volumeClaimTemplates', 'podManagementPolicy', 'updateStrategy', 'minReadySeconds']);
  const name = nameOf(b);
  const variable = plan.variable(name, 'statefulSet');
  const selector = workloadSelector(b);
  // A claim template's volume is mounted by name; the StatefulSet leaves it out of the pod's volumes.
  const claims = new Map<string, Expr>();
  const templates = (spec.volumeClaimTemplates ?? []).map((t: any, i: number) => {
    const at = ['spec', 'volumeClaimTemplates', i];
    b.only(t, at, ['metadata', 'spec']);
    b.only(t.metadata, [...at, 'metadata'], ['name', 'labels', 'annotations']);
    b.only(t.spec, [...at, 'spec'], ['accessModes', 'resources', 'storageClassName', 'volumeMode']);
    b.only(t.spec?.resources, [...at, 'spec', 'resources'], ['requests']);
    b.only(t.spec?.resources?.requests, [...at, 'spec', 'resources', 'requests'], ['storage']);
    const claim = String(t.metadata?.name ?? '');
    const storage = claimSize(t.spec?.resources?.requests?.storage);
    if (!storage) b.gap([...at, 'spec', 'resources', 'requests', 'storage'], 'a claim template storage slipway does not write as given (whole Mi, Gi or Ti)');
    if (t.spec?.volumeMode === undefined) b.inexact([...at, 'spec'], 'a claim template without volumeMode (slipway writes Filesystem)');
    const volume = plan.variable(name, claim, 'claim', 'volume');
    b.add(at, callApi('kplus.Volume.fromPersistentVolumeClaim', ref('scope'), lit(plan.constructId(`${name}-claim-${claim}`, 'Volume')),
      callApi('kplus.PersistentVolumeClaim.fromClaimName', ref('scope'), lit(plan.constructId(`${name}-claim-${claim}-ref`, 'PersistentVolumeClaim')), lit(claim)),
      obj({ name: lit(claim) })), volume);
    claims.set(claim, ref(volume));
    for (const [j, m] of (t.spec?.accessModes ?? []).entries()) if (!ACCESS[m]) b.gap([...at, 'spec', 'accessModes', j], `access mode ${m}`);
    return obj({
      name: lit(claim),
      storage,
      accessModes: t.spec?.accessModes ? arr(t.spec.accessModes.map((m: string) => api(`kplus.PersistentVolumeAccessMode.${ACCESS[m] ?? 'READ_WRITE_ONCE'}`))) : undefined,
      storageClassName: t.spec?.storageClassName !== undefined ? lit(String(t.spec.storageClassName)) : undefined,
      volumeMode: t.spec?.volumeMode !== undefined ? api(`kplus.PersistentVolumeMode.${t.spec.volumeMode === 'Block' ? 'BLOCK' : 'FILE_SYSTEM'}`) : undefined,
      labels: t.metadata?.labels ? data(t.metadata.labels) : undefined,
      annotations: t.metadata?.annotations ? data(t.metadata.annotations) : undefined,
    });
  });
  const pod = readPodTemplate(b, spec.template?.metadata, spec.template?.spec ?? {}, ['spec', 'template', 'spec'], '/spec/template/spec', name, claims);
  const u = spec.updateStrategy;
  b.only(u, ['spec', 'updateStrategy'], ['type', 'rollingUpdate']);
  b.only(u?.rollingUpdate, ['spec', 'updateStrategy', 'rollingUpdate'], ['partition', 'maxUnavailable']);
  if (spec.serviceName === undefined) b.gap(['spec'], 'a StatefulSet without serviceName');
  if (spec.podManagementPolicy !== undefined && !POD_MANAGEMENT[spec.podManagementPolicy]) b.gap(['spec', 'podManagementPolicy'], `podManagementPolicy ${spec.podManagementPolicy}`);
  b.add([], typedNew(b, 'workloads.StatefulSet', name, 'StatefulSet', obj({
    metadata: metadata(b),
    select: lit(false),
    podMetadata: podTemplateMeta(b, spec.template, ['spec', 'template']),
    serviceName: spec.serviceName !== undefined ? lit(String(spec.serviceName)) : undefined,
    replicas: data(spec.replicas ?? 1),
    podManagementPolicy: spec.podManagementPolicy !== undefined && POD_MANAGEMENT[spec.podManagementPolicy] ? api(`kplus.PodManagementPolicy.${POD_MANAGEMENT[spec.podManagementPolicy]}`) : undefined,
    strategy: u?.type === 'OnDelete' ? callApi('kplus.StatefulSetUpdateStrategy.onDelete')
      : u?.rollingUpdate?.partition !== undefined ? callApi('kplus.StatefulSetUpdateStrategy.rollingUpdate', obj({ partition: data(u.rollingUpdate.partition) })) : undefined,
    maxUnavailable: u?.rollingUpdate?.maxUnavailable !== undefined ? data(u.rollingUpdate.maxUnavailable) : undefined,
    minReady: spec.minReadySeconds !== undefined ? seconds(spec.minReadySeconds) : undefined,
    volumeClaimTemplates: templates.length ? arr(templates) : undefined,
    ...pod.props,
  })), variable);
  if (selector) b.add(['spec', 'selector'], method(ref(variable), 'select', selector));
  b.add(['spec', 'template', 'metadata'], addressLabel(ref(variable), spec.template?.metadata?.labels, '/spec/template/metadata'));
  for (const a of pod.after) b.add(['spec', 'template', 'spec'], a(ref(variable)));
  if (b.commit()) plan.setHandle('StatefulSet', name, { variable, typed: true });
}

function readPod(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  const name = nameOf(b);
  const variable = plan.variable(name, 'pod');
  const pod = readPodTemplate(b, v.metadata, v.spec ?? {}, ['spec'], '/spec', name);
  b.add([], typedNew(b, 'workloads.Pod', name, 'Pod', obj({ metadata: metadata(b), ...pod.props })), variable);
  b.add(['metadata'], addressLabel(ref(variable), v.metadata?.labels, '/metadata'));
  for (const a of pod.after) b.add(['spec'], a(ref(variable)));
  b.commit();
}

const JOB_FIELDS = ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'completions', 'parallelism', 'completionMode', 'template'];

/** Job spec fields as props (shared by Job and a CronJob's jobTemplate). */
function jobProps(b: DocumentBuilder, spec: any, at: Array<string | number>): Record<string, Expr | undefined> {
  b.only(spec, at, JOB_FIELDS);
  return {
    backoffLimit: spec.backoffLimit !== undefined ? data(spec.backoffLimit) : undefined,
    activeDeadline: spec.activeDeadlineSeconds !== undefined ? seconds(spec.activeDeadlineSeconds) : undefined,
    ttlAfterFinished: spec.ttlSecondsAfterFinished !== undefined ? seconds(spec.ttlSecondsAfterFinished) : undefined,
    completions: spec.completions !== undefined ? data(spec.completions) : undefined,
    parallelism: spec.parallelism !== undefined ? data(spec.parallelism) : undefined,
    completionMode: spec.completionMode !== undefined ? api(`workloads.CompletionMode.${spec.completionMode === 'Indexed' ? 'INDEXED' : 'NON_INDEXED'}`) : undefined,
  };
}

function readJob(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  const name = nameOf(b);
  const variable = plan.variable(name, 'job');
  const pod = readPodTemplate(b, spec.template?.metadata, spec.template?.spec ?? {}, ['spec', 'template', 'spec'], '/spec/template/spec', name);
  b.add([], typedNew(b, 'workloads.Job', name, 'Job', obj({
    metadata: metadata(b),
    podMetadata: podTemplateMeta(b, spec.template, ['spec', 'template']),
    ...jobProps(b, spec, ['spec']),
    ...pod.props,
  })), variable);
  b.add(['spec', 'template', 'metadata'], addressLabel(ref(variable), spec.template?.metadata?.labels, '/spec/template/metadata'));
  for (const a of pod.after) b.add(['spec', 'template', 'spec'], a(ref(variable)));
  b.commit();
}

const CONCURRENCY: Record<string, string> = { Allow: 'ALLOW', Forbid: 'FORBID', Replace: 'REPLACE' };

function readCronJob(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(spec, ['spec'], ['schedule', 'timeZone', 'concurrencyPolicy', 'startingDeadlineSeconds', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'jobTemplate']);
  const jt = spec.jobTemplate ?? {};
  b.only(jt, ['spec', 'jobTemplate'], ['spec']);
  const js = jt.spec ?? {};
  const name = nameOf(b);
  const variable = plan.variable(name, 'cronJob');
  const at = ['spec', 'jobTemplate', 'spec'];
  const pod = readPodTemplate(b, js.template?.metadata, js.template?.spec ?? {}, [...at, 'template', 'spec'], '/spec/jobTemplate/spec/template/spec', name);
  if (spec.concurrencyPolicy !== undefined && !CONCURRENCY[spec.concurrencyPolicy]) b.gap(['spec', 'concurrencyPolicy'], `concurrencyPolicy ${spec.concurrencyPolicy}`);
  b.add([], typedNew(b, 'workloads.CronJob', name, 'CronJob', obj({
    metadata: metadata(b),
    schedule: callApi('workloads.CronSchedule.expression', lit(String(spec.schedule ?? ''))),
    timeZone: spec.timeZone !== undefined ? lit(String(spec.timeZone)) : undefined,
    concurrencyPolicy: spec.concurrencyPolicy !== undefined && CONCURRENCY[spec.concurrencyPolicy] ? api(`kplus.ConcurrencyPolicy.${CONCURRENCY[spec.concurrencyPolicy]}`) : undefined,
    startingDeadline: spec.startingDeadlineSeconds !== undefined ? seconds(spec.startingDeadlineSeconds) : undefined,
    suspend: spec.suspend !== undefined ? data(spec.suspend) : undefined,
    successfulJobsRetained: spec.successfulJobsHistoryLimit !== undefined ? data(spec.successfulJobsHistoryLimit) : undefined,
    failedJobsRetained: spec.failedJobsHistoryLimit !== undefined ? data(spec.failedJobsHistoryLimit) : undefined,
    podMetadata: podTemplateMeta(b, js.template, [...at, 'template']),
    ...jobProps(b, js, at),
    ...pod.props,
  })), variable);
  b.add([...at, 'template', 'metadata'], addressLabel(ref(variable), js.template?.metadata?.labels, '/spec/jobTemplate/spec/template/metadata'));
  for (const a of pod.after) b.add([...at, 'template', 'spec'], a(ref(variable)));
  b.commit();
}

const SERVICE_TYPES: Record<string, string> = { ClusterIP: 'CLUSTER_IP', NodePort: 'NODE_PORT', LoadBalancer: 'LOAD_BALANCER', ExternalName: 'EXTERNAL_NAME' };

/** `sessionAffinity` and its ClientIP timeout as a `SessionAffinity`; a config without ClientIP is a gap. */
function sessionAffinity(b: DocumentBuilder, spec: any): Expr | undefined {
  const config = spec.sessionAffinityConfig;
  if (config !== undefined) {
    b.only(config, ['spec', 'sessionAffinityConfig'], ['clientIP']);
    if (config.clientIP !== undefined) b.only(config.clientIP, ['spec', 'sessionAffinityConfig', 'clientIP'], ['timeoutSeconds']);
    if (spec.sessionAffinity !== 'ClientIP') b.gap(['spec', 'sessionAffinityConfig'], 'sessionAffinityConfig without sessionAffinity: ClientIP');
  }
  if (spec.sessionAffinity === undefined) return undefined;
  if (spec.sessionAffinity === 'None') return api('workloads.SessionAffinity.NONE');
  if (spec.sessionAffinity !== 'ClientIP') {
    b.gap(['spec', 'sessionAffinity'], `sessionAffinity ${JSON.stringify(spec.sessionAffinity)}`);
    return undefined;
  }
  const seconds = config?.clientIP?.timeoutSeconds;
  return callApi('workloads.SessionAffinity.clientIp', obj({ timeout: seconds === undefined ? undefined : callApi('Duration.seconds', data(seconds)) }));
}

function readService(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(spec, ['spec'], ['type', 'ports', 'selector', 'clusterIP', 'externalName', 'externalIPs', 'loadBalancerSourceRanges', 'sessionAffinity', 'sessionAffinityConfig']);
  const name = nameOf(b);
  const variable = plan.variable(name, 'service');
  if (spec.type !== undefined && !SERVICE_TYPES[spec.type]) b.gap(['spec', 'type'], `type ${spec.type}`);
  const ports = (spec.ports ?? []).map((p: any, i: number) => {
    b.only(p, ['spec', 'ports', i], ['port', 'targetPort', 'nodePort', 'protocol', 'name']);
    return obj({
      port: data(p.port),
      targetPort: typeof p.targetPort === 'number' ? data(p.targetPort) : undefined,
      targetPortName: typeof p.targetPort === 'string' ? lit(p.targetPort) : undefined,
      nodePort: p.nodePort !== undefined ? data(p.nodePort) : undefined,
      protocol: p.protocol !== undefined ? api(`kplus.Protocol.${String(p.protocol)}`) : undefined,
      name: p.name !== undefined ? lit(String(p.name)) : undefined,
    });
  });
  // cdk8s-plus-28's `selector: workload` selects the workload's address label, not the file's labels: select by label.
  const selector: Record<string, string> | undefined = spec.selector;
  b.add([], typedNew(b, 'workloads.Service', name, 'Service', obj({
    metadata: metadata(b),
    type: spec.type !== undefined && SERVICE_TYPES[spec.type] ? api(`kplus.ServiceType.${SERVICE_TYPES[spec.type]}`) : undefined,
    clusterIP: spec.clusterIP !== undefined ? lit(String(spec.clusterIP)) : undefined,
    externalName: spec.externalName !== undefined ? lit(String(spec.externalName)) : undefined,
    externalIPs: spec.externalIPs ? data(spec.externalIPs) : undefined,
    loadBalancerSourceRanges: spec.loadBalancerSourceRanges ? data(spec.loadBalancerSourceRanges) : undefined,
    ports: ports.length ? arr(ports) : undefined,
    sessionAffinity: sessionAffinity(b, spec),
  })), variable);
  if (selector) {
    for (const [k, x] of Object.entries(selector)) b.add(['spec', 'selector', k], method(ref(variable), 'selectLabel', lit(k), lit(String(x))));
  }
  if (b.commit()) plan.setHandle('Service', name, { variable, typed: true });
}

const TARGET: Record<string, string> = { Utilization: 'utilization', AverageValue: 'averageValue', Value: 'value' };

function metricTarget(b: DocumentBuilder, t: any, at: Array<string | number>): Expr {
  b.only(t, at, ['type', 'averageUtilization', 'averageValue', 'value']);
  const f = TARGET[t?.type];
  if (!f) b.gap([...at, 'type'], `metric target type ${t?.type}`);
  const value = f === 'utilization' ? data(t.averageUtilization) : lit(String(f === 'averageValue' ? t.averageValue : t.value));
  return callApi(`workloads.MetricTarget.${f ?? 'value'}`, value);
}

function metric(b: DocumentBuilder, m: any, at: Array<string | number>): Expr {
  b.only(m, at, ['type', 'resource', 'containerResource', 'pods', 'object', 'external']);
  const sel = (x: any, p: Array<string | number>) => {
    b.only(x?.selector, [...p, 'selector'], ['matchLabels']);
    return x?.selector?.matchLabels ? [data(x.selector.matchLabels)] : [];
  };
  switch (m.type) {
    case 'Resource':
      b.only(m.resource, [...at, 'resource'], ['name', 'target']);
      return callApi('workloads.HpaMetric.resource', lit(String(m.resource?.name)), metricTarget(b, m.resource?.target, [...at, 'resource', 'target']));
    case 'ContainerResource':
      b.only(m.containerResource, [...at, 'containerResource'], ['name', 'container', 'target']);
      return callApi('workloads.HpaMetric.containerResource', lit(String(m.containerResource?.name)), lit(String(m.containerResource?.container)),
        metricTarget(b, m.containerResource?.target, [...at, 'containerResource', 'target']));
    case 'Pods':
    case 'External': {
      const key = m.type === 'Pods' ? 'pods' : 'external';
      const x = m[key] ?? {};
      b.only(x, [...at, key], ['metric', 'target']);
      b.only(x.metric, [...at, key, 'metric'], ['name', 'selector']);
      return callApi(`workloads.HpaMetric.${key}`, lit(String(x.metric?.name)), metricTarget(b, x.target, [...at, key, 'target']), ...sel(x.metric, [...at, key, 'metric']));
    }
    case 'Object': {
      const x = m.object ?? {};
      b.only(x, [...at, 'object'], ['metric', 'target', 'describedObject']);
      b.only(x.metric, [...at, 'object', 'metric'], ['name', 'selector']);
      return callApi('workloads.HpaMetric.object', lit(String(x.metric?.name)), data(x.describedObject ?? {}), metricTarget(b, x.target, [...at, 'object', 'target']),
        ...sel(x.metric, [...at, 'object', 'metric']));
    }
    default:
      b.gap([...at, 'type'], `metric type ${m.type}`);
      return lit('');
  }
}

function scalingRules(b: DocumentBuilder, r: any, at: Array<string | number>): Expr | undefined {
  if (r === undefined) return undefined;
  b.only(r, at, ['stabilizationWindowSeconds', 'selectPolicy', 'policies']);
  const policies = (r.policies ?? []).map((p: any, i: number) => {
    b.only(p, [...at, 'policies', i], ['type', 'value', 'periodSeconds']);
    return callApi(`workloads.ScalingPolicy.${p.type === 'Percent' ? 'percent' : 'pods'}`, data(p.value), callApi('Duration.seconds', data(p.periodSeconds)));
  });
  return obj({
    stabilizationWindow: r.stabilizationWindowSeconds !== undefined ? callApi('Duration.seconds', data(r.stabilizationWindowSeconds)) : undefined,
    selectPolicy: r.selectPolicy !== undefined ? api(`workloads.SelectPolicy.${String(r.selectPolicy).toUpperCase()}`) : undefined,
    policies: r.policies ? arr(policies) : undefined,
  });
}

function readHpa(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(spec, ['spec'], ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics', 'behavior']);
  const t = spec.scaleTargetRef ?? {};
  b.only(t, ['spec', 'scaleTargetRef'], ['apiVersion', 'kind', 'name']);
  const name = nameOf(b);
  const workload = t.kind === 'Deployment' && t.apiVersion === 'apps/v1' ? plan.handle('Deployment', String(t.name)) : undefined;
  const replicasSet = plan.documents.some((d) => d.value?.kind === t.kind && d.value?.metadata?.name === t.name && d.value?.spec?.replicas !== undefined);
  const target = workload && !(plan.exact && replicasSet) ? callApi('workloads.ScaleTarget.fromWorkload', ref(workload.variable))
    : callApi('workloads.ScaleTarget.of', lit(String(t.apiVersion ?? '')), lit(String(t.kind ?? '')), lit(String(t.name ?? '')));
  // Leading cpu and memory utilization targets are props; the rest keep their order as metrics.
  const metrics: any[] = [...(spec.metrics ?? [])];
  const util = (m: any, res: string) => m?.type === 'Resource' && m.resource?.name === res && m.resource?.target?.type === 'Utilization'
    && Object.keys(m).length === 2 && Object.keys(m.resource).length === 2 && Object.keys(m.resource.target).length === 2;
  const cpu = util(metrics[0], 'cpu') ? metrics.shift().resource.target.averageUtilization : undefined;
  const memory = util(metrics[0], 'memory') ? metrics.shift().resource.target.averageUtilization : undefined;
  const offset = (spec.metrics ?? []).length - metrics.length;
  b.only(spec.behavior, ['spec', 'behavior'], ['scaleUp', 'scaleDown']);
  b.add([], typedNew(b, 'workloads.HorizontalPodAutoscaler', name, 'HorizontalPodAutoscaler', obj({
    metadata: metadata(b),
    target,
    minReplicas: spec.minReplicas !== undefined ? data(spec.minReplicas) : undefined,
    maxReplicas: data(spec.maxReplicas),
    cpuUtilization: cpu !== undefined ? data(cpu) : undefined,
    memoryUtilization: memory !== undefined ? data(memory) : undefined,
    metrics: metrics.length ? arr(metrics.map((m, i) => metric(b, m, ['spec', 'metrics', i + offset]))) : undefined,
    behavior: spec.behavior ? callApi('workloads.ScalingBehavior.of', obj({
      scaleUp: scalingRules(b, spec.behavior.scaleUp, ['spec', 'behavior', 'scaleUp']),
      scaleDown: scalingRules(b, spec.behavior.scaleDown, ['spec', 'behavior', 'scaleDown']),
    })) : undefined,
  })));
  b.commit();
}

const ACCESS: Record<string, string> = { ReadWriteOnce: 'READ_WRITE_ONCE', ReadOnlyMany: 'READ_ONLY_MANY', ReadWriteMany: 'READ_WRITE_MANY', ReadWriteOncePod: 'READ_WRITE_ONCE_POD' };

function readClaim(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(spec, ['spec'], ['accessModes', 'resources', 'storageClassName', 'volumeMode']);
  b.only(spec.resources, ['spec', 'resources'], ['requests']);
  b.only(spec.resources?.requests, ['spec', 'resources', 'requests'], ['storage']);
  const name = nameOf(b);
  const variable = plan.variable(name, 'claim');
  const storage = spec.resources?.requests?.storage;
  const size = storage !== undefined ? claimSize(storage) : undefined;
  if (storage !== undefined && !size) b.gap(['spec', 'resources', 'requests', 'storage'], `storage ${JSON.stringify(storage)} (slipway writes whole Mi, Gi or Ti)`);
  if (!spec.accessModes?.length) b.gap(['spec', 'accessModes'], 'a claim without access modes (slipway writes ReadWriteOnce)');
  for (const [i, m] of (spec.accessModes ?? []).entries()) if (!ACCESS[m]) b.gap(['spec', 'accessModes', i], `access mode ${m}`);
  b.add([], typedNew(b, 'workloads.PersistentVolumeClaim', name, 'PersistentVolumeClaim', obj({
    metadata: metadata(b),
    accessModes: spec.accessModes ? arr(spec.accessModes.map((m: string) => api(`kplus.PersistentVolumeAccessMode.${ACCESS[m] ?? 'READ_WRITE_ONCE'}`))) : undefined,
    storage: size,
    storageClassName: spec.storageClassName !== undefined ? lit(String(spec.storageClassName)) : undefined,
    volumeMode: spec.volumeMode !== undefined ? api(`kplus.PersistentVolumeMode.${spec.volumeMode === 'Block' ? 'BLOCK' : 'FILE_SYSTEM'}`) : undefined,
  })), variable);
  if (b.commit()) plan.setHandle('PersistentVolumeClaim', name, { variable, typed: true });
}

function claimSize(v: unknown): Expr | undefined {
  const m = /^([1-9][0-9]*)(Mi|Gi|Ti)$/.exec(String(v));
  return m ? callApi(`cdk8s.Size.${{ Mi: 'mebibytes', Gi: 'gibibytes', Ti: 'tebibytes' }[m[2]]}`, lit(Number(m[1]))) : undefined;
}

const PATH_TYPES: Record<string, string> = { Prefix: 'PREFIX', Exact: 'EXACT', ImplementationSpecific: 'IMPLEMENTATION_SPECIFIC' };

/** An Ingress backend: the Service construct of a given document, else an existing Service by name. */
function backend(b: DocumentBuilder, x: any, at: Array<string | number>): Expr {
  b.only(x, at, ['service']);
  b.only(x?.service, [...at, 'service'], ['name', 'port']);
  b.only(x?.service?.port, [...at, 'service', 'port'], ['number']);
  const name = String(x?.service?.name ?? '');
  const port = x?.service?.port?.number;
  if (port === undefined) b.gap([...at, 'service', 'port'], 'a backend port by name (slipway takes the Service port number)');
  // cdk8s-plus-28 throws a path-less error for a port the Service lacks; by name, the app-wide check reports it.
  const given = b.plan.documents.find((d) => d.value?.kind === 'Service' && d.value?.metadata?.name === name
    && (d.value?.metadata?.namespace ?? '') === (b.value.metadata?.namespace ?? ''));
  const h = (given?.value?.spec?.ports ?? []).some((p: any) => p.port === port) ? b.plan.handle('Service', name) : undefined;
  return h ? callApi('kplus.IngressBackend.fromService', ref(h.variable), obj({ port: data(port ?? 0) }))
    : callApi('workloads.Ingress.backendForServiceName', lit(name), data(port ?? 0));
}

function readIngress(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(spec, ['spec'], ['ingressClassName', 'rules', 'tls', 'defaultBackend']);
  const name = nameOf(b);
  const variable = plan.variable(name, 'ingress');
  const calls: Array<[Array<string | number>, Expr]> = [];
  if (spec.defaultBackend) calls.push([['spec', 'defaultBackend'], method(ref(variable), 'addDefaultBackend', backend(b, spec.defaultBackend, ['spec', 'defaultBackend']))]);
  (spec.rules ?? []).forEach((r: any, i: number) => {
    b.only(r, ['spec', 'rules', i], ['host', 'http']);
    b.only(r.http, ['spec', 'rules', i, 'http'], ['paths']);
    (r.http?.paths ?? []).forEach((p: any, j: number) => {
      const at = ['spec', 'rules', i, 'http', 'paths', j];
      b.only(p, at, ['path', 'pathType', 'backend']);
      if (!PATH_TYPES[p.pathType]) b.gap([...at, 'pathType'], `pathType ${JSON.stringify(p.pathType)}`);
      const type = api(`kplus.HttpIngressPathType.${PATH_TYPES[p.pathType] ?? 'PREFIX'}`);
      const target = backend(b, p.backend, [...at, 'backend']);
      calls.push([at, r.host !== undefined ? method(ref(variable), 'addHostRule', lit(String(r.host)), lit(String(p.path ?? '/')), target, type)
        : method(ref(variable), 'addRule', lit(String(p.path ?? '/')), target, type)]);
    });
  });
  const tls = (spec.tls ?? []).map((t: any, i: number) => {
    b.only(t, ['spec', 'tls', i], ['hosts', 'secretName']);
    const h = t.secretName !== undefined ? plan.handle('Secret', String(t.secretName)) : undefined;
    if (t.secretName !== undefined && !h && plan.exact) {
      b.note({ kind: 'escape-hatch', text: `${plan.documents[doc].label} refers to Secret ${JSON.stringify(t.secretName)}, which is in none of the files: referred to by name with kplus.Secret.fromSecretName()` });
    }
    return obj({
      hosts: t.hosts ? data(t.hosts) : undefined,
      secret: t.secretName === undefined ? undefined : h ? ref(h.variable)
        : byName(b, 'Secret', String(t.secretName), `${name}-tls-${t.secretName}`),
    });
  });
  b.add([], typedNew(b, 'workloads.Ingress', name, 'Ingress', obj({
    metadata: metadata(b),
    className: spec.ingressClassName !== undefined ? lit(String(spec.ingressClassName)) : undefined,
    tls: tls.length ? arr(tls) : undefined,
  })), variable);
  for (const [at, c] of calls) b.add(at, c);
  b.commit();
}

function readPdb(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const spec = v.spec ?? {};
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(spec, ['spec'], ['selector', 'minAvailable', 'maxUnavailable']);
  const name = nameOf(b);
  const limitOf = (field: 'minAvailable' | 'maxUnavailable'): Expr | undefined => {
    const x = spec[field];
    if (x === undefined) return undefined;
    const m = /^(\d+)%$/.exec(String(x));
    return m ? callApi(`workloads.DisruptionLimit.${field}Percent`, lit(Number(m[1]))) : callApi(`workloads.DisruptionLimit.${field}`, data(x));
  };
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) b.gap(['spec', 'maxUnavailable'], 'both minAvailable and maxUnavailable');
  if (spec.minAvailable === undefined && spec.maxUnavailable === undefined) b.gap(['spec'], 'neither minAvailable nor maxUnavailable (slipway writes maxUnavailable: 1)');
  b.add([], typedNew(b, 'workloads.PodDisruptionBudget', name, 'PodDisruptionBudget', obj({
    metadata: metadata(b),
    selector: data(selectorLabels(b) ?? {}),
    expressions: spec.selector?.matchExpressions?.length ? arr(selectorExpressions(b, spec.selector)) : undefined,
    limit: limitOf('minAvailable') ?? limitOf('maxUnavailable'),
  })));
  b.commit();
}

const READERS: Record<string, Reader> = {
  Namespace: readNamespace, ConfigMap: readConfigMap, Secret: readSecret, Deployment: readSelectedWorkload('Deployment'),
  DaemonSet: readSelectedWorkload('DaemonSet'), StatefulSet: readStatefulSet, Pod: readPod, PersistentVolumeClaim: readClaim, Ingress: readIngress, Job: readJob, CronJob: readCronJob,
  Service: readService, HorizontalPodAutoscaler: readHpa, PodDisruptionBudget: readPdb,
};

