/**
 * Tekton Triggers EventListener and Trigger documents → `tekton.EventListener` (triggers, trigger references,
 * trigger groups, the listener's Deployment and Service) and `tekton.Trigger`. Interceptors become
 * `Interceptor.github/gitlab/bitbucket/cel/webhook` where the file has exactly what those write, else
 * `Interceptor.custom` with the file's params; bindings and templates given together are typed handles.
 */
import { Names } from '../../core';
import { Expr, api, arr, callApi, construct, data, lit, method, obj, optOut, ref } from '../calls';
import { DocumentBuilder, Plan } from './plan';

type Path = Array<string | number>;

const SIGNED: Record<string, string[]> = { github: ['push'], gitlab: ['Push Hook'], bitbucket: ['repo:refs_changed'] };

function nameProp(id: string, name: string): Expr | undefined {
  return Names.toDnsLabel(id) === name ? undefined : lit(name);
}

function metadataProps(b: DocumentBuilder, meta: any, at: Path): Record<string, Expr | undefined> {
  b.only(meta, at, ['name', 'labels', 'annotations']);
  return { labels: meta?.labels ? data(meta.labels) : undefined, annotations: meta?.annotations ? data(meta.annotations) : undefined };
}

/** One `interceptors[]` entry, and whether it authenticates the sender. */
function interceptor(b: DocumentBuilder, i: any, at: Path): { expr: Expr; authenticates: boolean } {
  b.only(i, at, ['name', 'ref', 'params', 'webhook']);
  const named = (e: Expr): Expr => (i?.name !== undefined ? method(e, 'withName', lit(String(i.name))) : e);
  if (i?.webhook !== undefined) {
    const w = i.webhook;
    b.only(w, [...at, 'webhook'], ['header', 'objectRef']);
    const o = w?.objectRef;
    b.only(o, [...at, 'webhook', 'objectRef'], ['apiVersion', 'kind', 'name', 'namespace']);
    if (!o || o.apiVersion !== 'v1' || o.kind !== 'Service') b.gap([...at, 'webhook'], 'a webhook interceptor that does not name a v1 Service (a url)');
    const headers = w?.header ? obj(Object.fromEntries(w.header.map((h: any, n: number) => {
      b.only(h, [...at, 'webhook', 'header', n], ['name', 'value']);
      if (!Array.isArray(h?.value)) b.gap([...at, 'webhook', 'header', n, 'value'], 'a webhook header value that is not a list');
      return [String(h?.name), data(h?.value ?? [])];
    }))) : undefined;
    return { expr: named(callApi('tekton.Interceptor.webhook', obj({ serviceName: lit(String(o?.name ?? '')), namespace: o?.namespace !== undefined ? lit(String(o.namespace)) : undefined, headers }))), authenticates: false };
  }
  const r = i?.ref ?? {};
  b.only(r, [...at, 'ref'], ['name', 'kind', 'apiVersion']);
  if (r.apiVersion !== undefined) b.gap([...at, 'ref', 'apiVersion'], 'an interceptor ref apiVersion');
  const name = String(r.name ?? '');
  const kind = r.kind ?? 'ClusterInterceptor';
  if (kind !== 'ClusterInterceptor' && kind !== 'NamespacedInterceptor') b.gap([...at, 'ref', 'kind'], `interceptor kind ${JSON.stringify(kind)}`);
  const params: any[] = i?.params ?? [];
  params.forEach((p, n) => b.only(p, [...at, 'params', n], ['name', 'value']));
  const byName = new Map(params.map((p) => [String(p?.name), p?.value]));
  const cluster = kind === 'ClusterInterceptor';
  const custom = b.plan.handle(cluster ? 'ClusterInterceptor' : 'Interceptor', name);
  if (custom && (kind === 'ClusterInterceptor' || kind === 'NamespacedInterceptor') && r.kind !== undefined) {
    // an Interceptor or ClusterInterceptor given together: its typed handle
    const record = params.length ? [obj(Object.fromEntries(params.map((p) => [String(p?.name), data(p?.value)])))] : [];
    return { expr: named(method(ref(custom.variable), 'ref', ...record)), authenticates: false };
  }
  if (cluster && SIGNED[name]) {
    const secret = byName.get('secretRef');
    const events = byName.get('eventTypes');
    // Interceptor.github() and its kin write secretRef, then eventTypes
    const exact = params.length === 2 && params[0]?.name === 'secretRef' && secret && typeof secret === 'object' && Object.keys(secret).every((k) => k === 'secretName' || k === 'secretKey')
      && typeof secret.secretName === 'string' && typeof secret.secretKey === 'string' && Array.isArray(events) && events.every((e) => typeof e === 'string');
    if (exact) {
      const options = obj({
        secretName: lit(secret.secretName),
        secretKey: secret.secretKey !== 'secretToken' ? lit(secret.secretKey) : undefined,
        eventTypes: JSON.stringify(events) !== JSON.stringify(SIGNED[name]) ? data(events) : undefined,
      });
      return { expr: named(callApi(`tekton.Interceptor.${name}`, options)), authenticates: true };
    }
  }
  if (cluster && name === 'cel' && params.length > 0 && params.every((p) => p?.name === 'filter' || p?.name === 'overlays')) {
    const filter = byName.get('filter');
    const overlays = byName.get('overlays');
    const overlaysOk = overlays === undefined || (Array.isArray(overlays) && overlays.every((o: any) => o && Object.keys(o).length === 2 && typeof o.key === 'string' && typeof o.expression === 'string'));
    const ordered = params[0]?.name === 'filter' || params.length === 1;
    if ((filter === undefined || typeof filter === 'string') && overlaysOk && ordered && new Set(params.map((p) => p.name)).size === params.length) {
      return {
        expr: named(callApi('tekton.Interceptor.cel', obj({
          filter: filter !== undefined ? lit(filter) : undefined,
          overlays: overlays !== undefined ? obj(Object.fromEntries(overlays.map((o: any) => [o.key, lit(o.expression)]))) : undefined,
        }))),
        authenticates: false,
      };
    }
  }
  // A signed-webhook interceptor with params of its own still checks the sender.
  const authenticates = cluster && SIGNED[name] !== undefined && byName.has('secretRef');
  return {
    expr: named(callApi('tekton.Interceptor.custom', lit(name), obj({
      kind: r.kind !== undefined || !cluster ? api(`tekton.InterceptorKind.${cluster ? 'CLUSTER' : 'NAMESPACED'}`) : undefined,
      params: params.length ? obj(Object.fromEntries(params.map((p) => [String(p?.name), data(p?.value)]))) : undefined,
      authenticates: authenticates ? lit(true) : undefined,
    }))),
    authenticates,
  };
}

/** The props every trigger form shares: template, bindings, interceptors, service account. */
function triggerSpec(b: DocumentBuilder, t: any, at: Path, what: string): Record<string, Expr | undefined> {
  const plan = b.plan;
  const tpl = t?.template;
  b.only(tpl, [...at, 'template'], ['ref']);
  if (tpl?.ref === undefined) b.gap([...at, 'template'], 'a trigger template other than a reference (an inline spec)');
  const th = plan.handle('TriggerTemplate', String(tpl?.ref));
  const bindings = (t?.bindings ?? []).map((x: any, n: number) => {
    const bat = [...at, 'bindings', n];
    b.only(x, bat, ['ref', 'kind', 'name', 'value']);
    if (x?.ref !== undefined) {
      const cluster = x.kind === 'ClusterTriggerBinding';
      const h = plan.handle(cluster ? 'ClusterTriggerBinding' : 'TriggerBinding', String(x.ref));
      if (h) return ref(h.variable);
      return callApi(`tekton.TriggerBindingRef.${cluster ? 'cluster' : 'named'}`, lit(String(x.ref)));
    }
    return callApi('tekton.TriggerBindingRef.param', lit(String(x?.name)), lit(String(x?.value ?? '')));
  });
  const list = (t?.interceptors ?? []).map((x: any, n: number) => interceptor(b, x, [...at, 'interceptors', n]));
  return {
    template: th ? ref(th.variable) : lit(String(tpl?.ref ?? '')),
    bindings: t?.bindings ? arr(bindings) : undefined,
    interceptors: t?.interceptors ? arr(list.map((x: { expr: Expr }) => x.expr)) : undefined,
    allowUnauthenticated: list.some((x: { authenticates: boolean }) => x.authenticates) ? undefined
      : optOut(lit(true), 'trigger-unauthenticated', `the file's ${what} runs for events no interceptor authenticates`),
    serviceAccountName: t?.serviceAccountName !== undefined ? lit(String(t.serviceAccountName)) : undefined,
  };
}

function labelSelector(b: DocumentBuilder, s: any, at: Path): Expr | undefined {
  if (s === undefined) return undefined;
  b.only(s, at, ['matchLabels', 'matchExpressions']);
  return data(s);
}

function namespaces(b: DocumentBuilder, s: any, at: Path): Expr | undefined {
  if (s === undefined) return undefined;
  b.only(s, at, ['matchNames']);
  return data(s.matchNames ?? []);
}

function kubernetesResource(b: DocumentBuilder, r: any, at: Path): Expr | undefined {
  if (r === undefined) return undefined;
  b.only(r, at, ['kubernetesResource']);
  const k = r.kubernetesResource;
  const kat = [...at, 'kubernetesResource'];
  b.only(k, kat, ['replicas', 'serviceType', 'servicePort', 'spec']);
  b.only(k?.spec, [...kat, 'spec'], ['template']);
  const t = k?.spec?.template;
  b.only(t, [...kat, 'spec', 'template'], ['metadata', 'spec']);
  b.only(t?.metadata, [...kat, 'spec', 'template', 'metadata'], ['labels', 'annotations']);
  const ps = t?.spec;
  const pat = [...kat, 'spec', 'template', 'spec'];
  b.only(ps, pat, ['nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints', 'containers']);
  const containers: any[] = ps?.containers ?? [];
  if (containers.length > 1) b.gap([...pat, 'containers', 1], 'more than one listener container');
  const c = containers[0];
  b.only(c, [...pat, 'containers', 0], ['resources', 'env']);
  const env = c?.env ? obj(Object.fromEntries(c.env.map((e: any, n: number) => {
    b.only(e, [...pat, 'containers', 0, 'env', n], ['name', 'value']);
    return [String(e?.name), callApi('tekton.EnvValue.fromValue', lit(String(e?.value ?? '')))];
  }))) : undefined;
  return obj({
    replicas: k?.replicas !== undefined ? data(k.replicas) : undefined,
    serviceType: k?.serviceType !== undefined ? lit(String(k.serviceType)) : undefined,
    servicePort: k?.servicePort !== undefined ? data(k.servicePort) : undefined,
    podMetadata: t?.metadata ? obj({ labels: t.metadata.labels ? data(t.metadata.labels) : undefined, annotations: t.metadata.annotations ? data(t.metadata.annotations) : undefined }) : undefined,
    nodeSelector: ps?.nodeSelector ? data(ps.nodeSelector) : undefined,
    tolerations: ps?.tolerations ? data(ps.tolerations) : undefined,
    affinity: ps?.affinity ? data(ps.affinity) : undefined,
    topologySpreadConstraints: ps?.topologySpreadConstraints ? data(ps.topologySpreadConstraints) : undefined,
    containerResources: c?.resources ? data(c.resources) : undefined,
    containerEnv: env,
  });
}

/** Reads an EventListener. */
export function readEventListener(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['serviceAccountName', 'triggers', 'triggerGroups', 'namespaceSelector', 'labelSelector', 'resources']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'EventListener');
  const variable = plan.variable(name, 'listener');
  if (spec.serviceAccountName === undefined) {
    b.inexact(['spec'], 'an EventListener without serviceAccountName (slipway creates one with least-privilege RBAC)');
  }
  b.add([], construct('tekton.EventListener', ref('scope'), lit(id), obj({
    name: nameProp(id, name),
    ...metadataProps(b, v.metadata, ['metadata']),
    serviceAccountName: spec.serviceAccountName !== undefined ? lit(String(spec.serviceAccountName)) : undefined,
    namespaces: namespaces(b, spec.namespaceSelector, ['spec', 'namespaceSelector']),
    labelSelector: labelSelector(b, spec.labelSelector, ['spec', 'labelSelector']),
    kubernetesResource: kubernetesResource(b, spec.resources, ['spec', 'resources']),
  })), variable);
  (spec.triggers ?? []).forEach((t: any, n: number) => {
    const at = ['spec', 'triggers', n];
    if (t?.triggerRef !== undefined) {
      b.only(t, at, ['triggerRef']);
      const h = plan.handle('Trigger', String(t.triggerRef));
      b.add(at, method(ref(variable), 'addTriggerRef', h ? ref(h.variable) : lit(String(t.triggerRef))));
      return;
    }
    b.only(t, at, ['name', 'template', 'bindings', 'interceptors', 'serviceAccountName']);
    b.add(at, method(ref(variable), 'addTrigger', lit(String(t?.name ?? '')), obj(triggerSpec(b, t, at, `trigger ${JSON.stringify(t?.name)}`))));
  });
  (spec.triggerGroups ?? []).forEach((g: any, n: number) => {
    const at = ['spec', 'triggerGroups', n];
    b.only(g, at, ['name', 'interceptors', 'triggerSelector']);
    b.only(g?.triggerSelector, [...at, 'triggerSelector'], ['namespaceSelector', 'labelSelector']);
    const list = (g?.interceptors ?? []).map((x: any, m: number) => interceptor(b, x, [...at, 'interceptors', m]));
    b.add(at, method(ref(variable), 'addTriggerGroup', lit(String(g?.name ?? '')), obj({
      interceptors: arr(list.map((x: { expr: Expr }) => x.expr)),
      labelSelector: labelSelector(b, g?.triggerSelector?.labelSelector, [...at, 'triggerSelector', 'labelSelector']),
      namespaces: namespaces(b, g?.triggerSelector?.namespaceSelector, [...at, 'triggerSelector', 'namespaceSelector']),
      allowUnauthenticated: list.some((x: { authenticates: boolean }) => x.authenticates) ? undefined
        : optOut(lit(true), 'trigger-unauthenticated', `the file's trigger group ${JSON.stringify(g?.name)} runs for events no interceptor authenticates`),
    })));
  });
  b.commit();
}

/** Reads a standalone Trigger. */
export function readTrigger(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['template', 'bindings', 'interceptors', 'serviceAccountName']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Trigger');
  const variable = plan.variable(name, 'trigger');
  b.add([], construct('tekton.Trigger', ref('scope'), lit(id), obj({
    name: nameProp(id, name),
    ...metadataProps(b, v.metadata, ['metadata']),
    ...triggerSpec(b, spec, ['spec'], `Trigger ${JSON.stringify(name)}`),
  })), variable);
  const typed = b.commit();
  plan.setHandle('Trigger', name, { variable, typed });
}

/** Reads an Interceptor or ClusterInterceptor (triggers.tekton.dev/v1alpha1): where Triggers sends the event. */
export function readCustomInterceptor(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const kind = String(v.kind);
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['clientConfig']);
  const c = spec.clientConfig ?? {};
  b.only(c, ['spec', 'clientConfig'], ['service', 'url', 'caBundle']);
  const svc = c.service;
  b.only(svc, ['spec', 'clientConfig', 'service'], ['name', 'namespace', 'path', 'port']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, kind);
  const variable = plan.variable(name, 'interceptor');
  b.add([], construct('tekton.CustomInterceptor', ref('scope'), lit(id), obj({
    name: nameProp(id, name),
    ...metadataProps(b, v.metadata, ['metadata']),
    clusterScoped: kind === 'ClusterInterceptor' ? lit(true) : undefined,
    serviceName: svc?.name !== undefined ? lit(String(svc.name)) : undefined,
    serviceNamespace: svc?.namespace !== undefined ? lit(String(svc.namespace)) : undefined,
    path: svc?.path !== undefined ? lit(String(svc.path)) : undefined,
    port: svc?.port !== undefined ? data(svc.port) : undefined,
    url: c.url !== undefined ? lit(String(c.url)) : undefined,
    caBundle: c.caBundle !== undefined ? lit(String(c.caBundle)) : undefined,
  })), variable);
  const typed = b.commit();
  plan.setHandle(kind, name, { variable, typed });
}
