/**
 * Argo Rollouts documents → `rollouts.*`: Rollout (canary with every step kind, traffic routing, background
 * analysis; blueGreen with promotion analyses; a pod template or a workloadRef), AnalysisTemplate and
 * ClusterAnalysisTemplate (Prometheus, web and Job metrics). A template given together is referenced through its
 * construct, others by `fromName`.
 */
import { Duration, goDuration } from '../../core';
import { restrictedPodSpec } from '../../delivery/rollouts/common';
import { Expr, api, arr, callApi, construct, data, lit, method, obj, ref } from '../calls';
import { DocumentBuilder, Plan, guarded } from './plan';

type Path = Array<string | number>;

const ARGO = 'argoproj.io/v1alpha1';

/** The kinds this reader builds (apiVersion/kind). */
export const ROLLOUT_KINDS = new Set([`${ARGO}/Rollout`, `${ARGO}/AnalysisTemplate`, `${ARGO}/ClusterAnalysisTemplate`, `${ARGO}/Experiment`]);

/** Reads every Rollout kind of the plan: templates first, so Rollouts reference their constructs. */
export function readRollouts(plan: Plan, docs: number[]): void {
  const kind = (i: number) => String(plan.documents[i].value?.kind);
  for (const i of docs.filter((n) => kind(n).endsWith('AnalysisTemplate'))) guarded(plan, i, readAnalysisTemplate);
  for (const i of docs.filter((n) => kind(n) === 'Rollout')) guarded(plan, i, readRollout);
  for (const i of docs.filter((n) => kind(n) === 'Experiment')) guarded(plan, i, readExperiment);
}

// ---------------------------------------------------------------- values

function intOrPercent(v: unknown): Expr | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)%$/.exec(String(v));
  return m ? callApi('rollouts.IntOrPercent.percent', lit(Number(m[1]))) : callApi('rollouts.IntOrPercent.count', data(v));
}

/** A Go duration string slipway writes back unchanged, as `Duration.parse(...)`; anything else is a gap. */
function goDurationExpr(b: DocumentBuilder, v: unknown, at: Path): Expr | undefined {
  if (v === undefined) return undefined;
  try {
    if (goDuration(Duration.parse(String(v))) === String(v)) return callApi('Duration.parse', lit(String(v)));
  } catch { /* a gap below */ }
  b.gap(at, `duration ${JSON.stringify(v)} at ${at.join('.')} (slipway writes Go durations such as 5m or 1h30m)`);
  return undefined;
}

/** A whole number of seconds (`…Seconds` fields) as `Duration.seconds(n)`. */
function seconds(b: DocumentBuilder, v: unknown, at: Path): Expr | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return callApi('Duration.seconds', lit(v));
  b.gap(at, `${at.join('.')} ${JSON.stringify(v)} is not a whole number of seconds`);
  return undefined;
}

const str = (v: unknown): Expr | undefined => (v === undefined ? undefined : lit(String(v)));
const num = (v: unknown): Expr | undefined => (v === undefined ? undefined : data(v));
const named = (v: unknown): Expr | undefined => (v === undefined ? undefined : obj({ name: lit(String(v)) }));

function podMetadata(b: DocumentBuilder, m: any, at: Path): Expr | undefined {
  if (m === undefined) return undefined;
  b.only(m, at, ['labels', 'annotations']);
  return obj({ labels: m.labels ? data(m.labels) : undefined, annotations: m.annotations ? data(m.annotations) : undefined });
}

function stringMatch(b: DocumentBuilder, m: any, at: Path): Expr {
  b.only(m, at, ['exact', 'prefix', 'regex']);
  const kind = (['exact', 'prefix', 'regex'] as const).find((k) => m?.[k] !== undefined);
  if (!kind || Object.keys(m).length !== 1) {
    b.gap(at, `a string match that is not exactly one of exact, prefix and regex`);
    return lit('');
  }
  return callApi(`rollouts.StringMatch.${kind}`, lit(String(m[kind])));
}

function antiAffinity(b: DocumentBuilder, a: any, at: Path): Expr | undefined {
  if (a === undefined) return undefined;
  b.only(a, at, ['preferredDuringSchedulingIgnoredDuringExecution', 'requiredDuringSchedulingIgnoredDuringExecution']);
  const p = a.preferredDuringSchedulingIgnoredDuringExecution;
  if (p !== undefined) {
    b.only(p, [...at, 'preferredDuringSchedulingIgnoredDuringExecution'], ['weight']);
    return callApi('rollouts.AntiAffinity.preferred', data(p.weight));
  }
  b.only(a.requiredDuringSchedulingIgnoredDuringExecution, [...at, 'requiredDuringSchedulingIgnoredDuringExecution'], []);
  return callApi('rollouts.AntiAffinity.required');
}

// ---------------------------------------------------------------- analysis

/** A template reference: the construct of a template given together, else `fromName`. */
function templateRef(b: DocumentBuilder, name: string, cluster: boolean): Expr {
  const kind = cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
  const h = b.plan.handle(kind, name);
  return h ? ref(h.variable) : callApi(`rollouts.${kind}.fromName`, lit(name));
}

function analysisArg(b: DocumentBuilder, a: any, at: Path): Expr {
  b.only(a, at, ['name', 'value', 'valueFrom']);
  const name = lit(String(a?.name));
  if (a?.valueFrom === undefined) return callApi('rollouts.AnalysisArg.value', name, lit(String(a?.value ?? '')));
  b.only(a.valueFrom, [...at, 'valueFrom'], ['podTemplateHashValue', 'fieldRef']);
  const hash = a.valueFrom.podTemplateHashValue;
  if (hash === 'Stable' || hash === 'Latest') return callApi('rollouts.AnalysisArg.podTemplateHash', name, api(`rollouts.PodTemplateHash.${hash.toUpperCase()}`));
  if (a.valueFrom.fieldRef !== undefined) {
    b.only(a.valueFrom.fieldRef, [...at, 'valueFrom', 'fieldRef'], ['fieldPath']);
    return callApi('rollouts.AnalysisArg.fieldRef', name, lit(String(a.valueFrom.fieldRef.fieldPath)));
  }
  b.gap([...at, 'valueFrom'], `analysis arg ${JSON.stringify(a.name)} valueFrom ${JSON.stringify(a.valueFrom)}`);
  return lit('');
}

/** A RolloutAnalysis object (step, background, pre/post promotion) as its props. */
function analysisProps(b: DocumentBuilder, a: any, at: Path, background: boolean): Expr {
  b.only(a, at, ['templates', 'args', 'dryRun', 'measurementRetention', ...(background ? ['startingStep'] : [])]);
  const templates = (a?.templates ?? []).map((t: any, i: number) => {
    b.only(t, [...at, 'templates', i], ['templateName', 'clusterScope']);
    return templateRef(b, String(t?.templateName), t?.clusterScope === true);
  });
  return obj({
    templates: arr(templates),
    args: a?.args ? arr(a.args.map((x: any, i: number) => analysisArg(b, x, [...at, 'args', i]))) : undefined,
    dryRun: a?.dryRun ? arr(a.dryRun.map((d: any, i: number) => {
      b.only(d, [...at, 'dryRun', i], ['metricName']);
      return lit(String(d?.metricName));
    })) : undefined,
    measurementRetention: a?.measurementRetention ? obj(Object.fromEntries(a.measurementRetention.map((m: any, i: number) => {
      b.only(m, [...at, 'measurementRetention', i], ['metricName', 'limit']);
      return [String(m?.metricName), data(m?.limit)];
    }))) : undefined,
    startingStep: background ? num(a?.startingStep) : undefined,
  });
}

// ---------------------------------------------------------------- canary steps

function step(b: DocumentBuilder, s: any, at: Path): Expr | undefined {
  const kinds = ['setWeight', 'pause', 'setCanaryScale', 'analysis', 'experiment', 'setHeaderRoute', 'setMirrorRoute', 'plugin'];
  b.only(s, at, kinds);
  if (s?.setWeight !== undefined) return callApi('rollouts.CanaryStep.setWeight', data(s.setWeight));
  if (s?.pause !== undefined) {
    b.only(s.pause, [...at, 'pause'], ['duration']);
    const d = s.pause?.duration;
    return callApi('rollouts.CanaryStep.pause', ...(d === undefined ? [] : [goDurationExpr(b, d, [...at, 'pause', 'duration']) ?? lit('')]));
  }
  if (s?.setCanaryScale !== undefined) {
    const c = s.setCanaryScale;
    b.only(c, [...at, 'setCanaryScale'], ['weight', 'replicas', 'matchTrafficWeight']);
    const scale = c?.weight !== undefined ? callApi('rollouts.CanaryScale.weight', data(c.weight))
      : c?.replicas !== undefined ? callApi('rollouts.CanaryScale.replicas', data(c.replicas))
        : c?.matchTrafficWeight === true ? callApi('rollouts.CanaryScale.matchTrafficWeight') : undefined;
    if (!scale || Object.keys(c).length !== 1) b.gap([...at, 'setCanaryScale'], 'a setCanaryScale that is not exactly one of weight, replicas and matchTrafficWeight: true');
    return callApi('rollouts.CanaryStep.setCanaryScale', scale ?? lit(''));
  }
  if (s?.analysis !== undefined) return callApi('rollouts.CanaryStep.analysis', analysisProps(b, s.analysis, [...at, 'analysis'], false));
  if (s?.experiment !== undefined) return callApi('rollouts.CanaryStep.experiment', experimentStep(b, s.experiment, [...at, 'experiment']));
  if (s?.setHeaderRoute !== undefined) {
    const r = s.setHeaderRoute;
    b.only(r, [...at, 'setHeaderRoute'], ['name', 'match']);
    const match = (r?.match ?? []).map((m: any, i: number) => {
      b.only(m, [...at, 'setHeaderRoute', 'match', i], ['headerName', 'headerValue']);
      return obj({ headerName: lit(String(m?.headerName)), headerValue: stringMatch(b, m?.headerValue, [...at, 'setHeaderRoute', 'match', i, 'headerValue']) });
    });
    return callApi('rollouts.CanaryStep.setHeaderRoute', lit(String(r?.name)), ...(r?.match ? [arr(match)] : []));
  }
  if (s?.setMirrorRoute !== undefined) {
    const r = s.setMirrorRoute;
    const base = [...at, 'setMirrorRoute'];
    b.only(r, base, ['name', 'match', 'percentage']);
    const match = r?.match ? arr(r.match.map((m: any, i: number) => {
      b.only(m, [...base, 'match', i], ['method', 'path', 'headers']);
      return obj({
        method: m?.method !== undefined ? stringMatch(b, m.method, [...base, 'match', i, 'method']) : undefined,
        path: m?.path !== undefined ? stringMatch(b, m.path, [...base, 'match', i, 'path']) : undefined,
        headers: m?.headers !== undefined ? obj(Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, stringMatch(b, v, [...base, 'match', i, 'headers', k])]))) : undefined,
      });
    })) : undefined;
    return callApi('rollouts.CanaryStep.setMirrorRoute', obj({ name: lit(String(r?.name)), match, percentage: num(r?.percentage) }));
  }
  if (s?.plugin !== undefined) {
    b.only(s.plugin, [...at, 'plugin'], ['name', 'config']);
    return callApi('rollouts.CanaryStep.plugin', lit(String(s.plugin?.name)), ...(s.plugin?.config !== undefined ? [data(s.plugin.config)] : []));
  }
  b.gap(at, 'an empty canary step');
  return undefined;
}

/** An analysis of an experiment (the Experiment kind and a canary's experiment step take the same form). */
function experimentAnalysis(b: DocumentBuilder, a: any, at: Path): Expr {
  b.only(a, at, ['name', 'templateName', 'clusterScope', 'args', 'requiredForCompletion']);
  return obj({
    name: lit(String(a?.name)),
    template: templateRef(b, String(a?.templateName), a?.clusterScope === true),
    args: a?.args ? arr(a.args.map((x: any, j: number) => analysisArg(b, x, [...at, 'args', j]))) : undefined,
    requiredForCompletion: a?.requiredForCompletion !== undefined ? data(a.requiredForCompletion) : undefined,
  });
}

function experimentStep(b: DocumentBuilder, e: any, at: Path): Expr {
  b.only(e, at, ['duration', 'templates', 'analyses']);
  const templates = (e?.templates ?? []).map((t: any, i: number) => {
    const tat = [...at, 'templates', i];
    b.only(t, tat, ['name', 'specRef', 'replicas', 'weight', 'metadata', 'service']);
    if (t?.specRef !== 'canary' && t?.specRef !== 'stable') b.gap([...tat, 'specRef'], `experiment specRef ${JSON.stringify(t?.specRef)}`);
    b.only(t?.service, [...tat, 'service'], ['name']);
    return obj({
      name: lit(String(t?.name)),
      specRef: api(`rollouts.SpecRef.${String(t?.specRef).toUpperCase()}`),
      replicas: num(t?.replicas),
      weight: num(t?.weight),
      metadata: podMetadata(b, t?.metadata, [...tat, 'metadata']),
      serviceName: t?.service?.name !== undefined ? lit(String(t.service.name)) : undefined,
    });
  });
  const analyses = e?.analyses ? arr(e.analyses.map((a: any, i: number) => experimentAnalysis(b, a, [...at, 'analyses', i]))) : undefined;
  return obj({ templates: arr(templates), duration: goDurationExpr(b, e?.duration, [...at, 'duration']), analyses });
}

// ---------------------------------------------------------------- traffic routing

function trafficRouting(b: DocumentBuilder, t: any, at: Path): Expr | undefined {
  if (t === undefined) return undefined;
  const routers = ['istio', 'nginx', 'alb', 'smi', 'ambassador', 'traefik', 'apisix', 'appMesh', 'plugins'];
  b.only(t, at, [...routers, 'managedRoutes', 'maxTrafficWeight']);
  const given = routers.filter((r) => t[r] !== undefined);
  if (given.length !== 1) {
    b.gap(at, `traffic routing with ${given.length ? `several routers (${given.join(', ')})` : 'no router slipway models'}`);
    return undefined;
  }
  const options = {
    managedRoutes: t.managedRoutes ? arr(t.managedRoutes.map((r: any, i: number) => {
      b.only(r, [...at, 'managedRoutes', i], ['name']);
      return lit(String(r?.name));
    })) : undefined,
    maxTrafficWeight: num(t.maxTrafficWeight),
  };
  const optionArgs = options.managedRoutes || options.maxTrafficWeight ? [obj(options)] : [];
  const r = t[given[0]];
  const rat = [...at, given[0]];
  switch (given[0]) {
    case 'istio': {
      b.only(r, rat, ['virtualService', 'virtualServices', 'destinationRule']);
      const vs = (v: any, vat: Path): Expr => {
        b.only(v, vat, ['name', 'routes', 'tlsRoutes', 'tcpRoutes']);
        (v?.tlsRoutes ?? []).forEach((x: any, i: number) => b.only(x, [...vat, 'tlsRoutes', i], ['port', 'sniHosts']));
        (v?.tcpRoutes ?? []).forEach((x: any, i: number) => b.only(x, [...vat, 'tcpRoutes', i], ['port']));
        return obj({
          virtualService: resourceRef(b, 'VirtualService', v?.name),
          routes: v?.routes ? data(v.routes) : undefined,
          tlsRoutes: v?.tlsRoutes ? data(v.tlsRoutes) : undefined,
          tcpRoutes: v?.tcpRoutes ? data(v.tcpRoutes) : undefined,
        });
      };
      const dr = r?.destinationRule;
      b.only(dr, [...rat, 'destinationRule'], ['name', 'canarySubsetName', 'stableSubsetName']);
      return callApi('rollouts.TrafficRouting.istio', obj({
        virtualService: r?.virtualService ? vs(r.virtualService, [...rat, 'virtualService']) : undefined,
        virtualServices: r?.virtualServices ? arr(r.virtualServices.map((v: any, i: number) => vs(v, [...rat, 'virtualServices', i]))) : undefined,
        destinationRule: dr ? obj({
          destinationRule: resourceRef(b, 'DestinationRule', dr.name), canarySubsetName: lit(String(dr.canarySubsetName)), stableSubsetName: lit(String(dr.stableSubsetName)),
        }) : undefined,
        ...options,
      }));
    }
    case 'nginx':
      b.only(r, rat, ['stableIngress', 'stableIngresses', 'annotationPrefix', 'additionalIngressAnnotations']);
      return callApi('rollouts.TrafficRouting.nginx', obj({
        stableIngress: named(r?.stableIngress),
        stableIngresses: r?.stableIngresses ? arr(r.stableIngresses.map((n: unknown) => named(n)!)) : undefined,
        annotationPrefix: str(r?.annotationPrefix),
        additionalIngressAnnotations: r?.additionalIngressAnnotations ? data(r.additionalIngressAnnotations) : undefined,
        ...options,
      }));
    case 'alb': {
      b.only(r, rat, ['ingress', 'ingresses', 'servicePort', 'rootService', 'stickinessConfig']);
      const st = r?.stickinessConfig;
      b.only(st, [...rat, 'stickinessConfig'], ['enabled', 'durationSeconds']);
      if (st && st.enabled !== true) b.gap([...rat, 'stickinessConfig', 'enabled'], 'ALB stickiness that is not enabled (slipway writes enabled: true)');
      return callApi('rollouts.TrafficRouting.alb', obj({
        ingress: named(r?.ingress),
        ingresses: r?.ingresses ? arr(r.ingresses.map((n: unknown) => named(n)!)) : undefined,
        servicePort: num(r?.servicePort),
        rootService: named(r?.rootService),
        stickiness: st ? seconds(b, st.durationSeconds, [...rat, 'stickinessConfig', 'durationSeconds']) : undefined,
        ...options,
      }));
    }
    case 'smi':
      b.only(r, rat, ['rootService', 'trafficSplitName']);
      return callApi('rollouts.TrafficRouting.smi', obj({ rootService: named(r?.rootService), trafficSplitName: str(r?.trafficSplitName), ...options }));
    case 'ambassador':
      b.only(r, rat, ['mappings']);
      return callApi('rollouts.TrafficRouting.ambassador', data(r?.mappings ?? []), ...optionArgs);
    case 'traefik':
      b.only(r, rat, ['weightedTraefikServiceName']);
      return callApi('rollouts.TrafficRouting.traefik', lit(String(r?.weightedTraefikServiceName)), ...optionArgs);
    case 'apisix':
      b.only(r, rat, ['route']);
      b.only(r?.route, [...rat, 'route'], ['name', 'rules']);
      if (r?.route?.rules === undefined && optionArgs.length) b.gap([...rat, 'route'], 'APISIX routing with managed routes or a weight limit but no rules');
      return callApi('rollouts.TrafficRouting.apisix', lit(String(r?.route?.name)), ...(r?.route?.rules !== undefined ? [data(r.route.rules), ...optionArgs] : []));
    case 'appMesh': {
      b.only(r, rat, ['virtualService', 'virtualNodeGroup']);
      b.only(r?.virtualService, [...rat, 'virtualService'], ['name', 'routes']);
      const group = r?.virtualNodeGroup;
      b.only(group, [...rat, 'virtualNodeGroup'], ['canaryVirtualNodeRef', 'stableVirtualNodeRef']);
      for (const k of ['canaryVirtualNodeRef', 'stableVirtualNodeRef']) b.only(group?.[k], [...rat, 'virtualNodeGroup', k], ['name']);
      return callApi('rollouts.TrafficRouting.appMesh', obj({
        virtualService: lit(String(r?.virtualService?.name ?? '')),
        routes: r?.virtualService?.routes ? data(r.virtualService.routes) : undefined,
        canaryVirtualNode: lit(String(group?.canaryVirtualNodeRef?.name ?? '')),
        stableVirtualNode: lit(String(group?.stableVirtualNodeRef?.name ?? '')),
        ...options,
      }));
    }
    default: {
      const names = Object.keys(r ?? {});
      if (names.length !== 1) {
        b.gap(rat, 'traffic routing with other than one plugin');
        return undefined;
      }
      return callApi('rollouts.TrafficRouting.plugin', lit(names[0]), data(r[names[0]]), ...optionArgs);
    }
  }
}

/** A Service, VirtualService… by name: the construct of one given together where a reader built it, else `{ name }`. */
function resourceRef(b: DocumentBuilder, kind: string, name: unknown): Expr {
  const h = b.plan.handle(kind, String(name));
  return h ? ref(h.variable) : obj({ name: lit(String(name)) });
}

// ---------------------------------------------------------------- strategies

function canary(b: DocumentBuilder, c: any, at: Path): Expr {
  b.only(c, at, ['steps', 'canaryService', 'stableService', 'maxSurge', 'maxUnavailable', 'trafficRouting', 'analysis', 'antiAffinity',
    'canaryMetadata', 'stableMetadata', 'scaleDownDelaySeconds', 'scaleDownDelayRevisionLimit', 'abortScaleDownDelaySeconds',
    'dynamicStableScale', 'pingPong', 'minPodsPerReplicaSet', 'replicaProgressThreshold']);
  const steps = (c.steps ?? []).map((s: any, i: number) => step(b, s, [...at, 'steps', i])).filter((x: Expr | undefined): x is Expr => x !== undefined);
  const pp = c.pingPong;
  b.only(pp, [...at, 'pingPong'], ['pingService', 'pongService']);
  const rpt = c.replicaProgressThreshold;
  b.only(rpt, [...at, 'replicaProgressThreshold'], ['type', 'value']);
  if (rpt && rpt.type !== 'Pods' && rpt.type !== 'Percent') b.gap([...at, 'replicaProgressThreshold', 'type'], `replicaProgressThreshold type ${JSON.stringify(rpt.type)}`);
  return callApi('rollouts.RolloutStrategy.canary', obj({
    steps: c.steps ? arr(steps) : undefined,
    canaryService: c.canaryService !== undefined ? resourceRef(b, 'Service', c.canaryService) : undefined,
    stableService: c.stableService !== undefined ? resourceRef(b, 'Service', c.stableService) : undefined,
    trafficRouting: trafficRouting(b, c.trafficRouting, [...at, 'trafficRouting']),
    maxSurge: intOrPercent(c.maxSurge),
    maxUnavailable: intOrPercent(c.maxUnavailable),
    analysis: c.analysis !== undefined ? analysisProps(b, c.analysis, [...at, 'analysis'], true) : undefined,
    antiAffinity: antiAffinity(b, c.antiAffinity, [...at, 'antiAffinity']),
    canaryMetadata: podMetadata(b, c.canaryMetadata, [...at, 'canaryMetadata']),
    stableMetadata: podMetadata(b, c.stableMetadata, [...at, 'stableMetadata']),
    scaleDownDelay: seconds(b, c.scaleDownDelaySeconds, [...at, 'scaleDownDelaySeconds']),
    scaleDownDelayRevisionLimit: num(c.scaleDownDelayRevisionLimit),
    abortScaleDownDelay: seconds(b, c.abortScaleDownDelaySeconds, [...at, 'abortScaleDownDelaySeconds']),
    dynamicStableScale: c.dynamicStableScale !== undefined ? data(c.dynamicStableScale) : undefined,
    pingPong: pp ? obj({ pingService: resourceRef(b, 'Service', pp.pingService), pongService: resourceRef(b, 'Service', pp.pongService) }) : undefined,
    minPodsPerReplicaSet: num(c.minPodsPerReplicaSet),
    replicaProgressThreshold: rpt ? (rpt.type === 'Percent' ? callApi('rollouts.IntOrPercent.percent', data(rpt.value)) : callApi('rollouts.IntOrPercent.count', data(rpt.value))) : undefined,
  }));
}

function blueGreen(b: DocumentBuilder, g: any, at: Path): Expr {
  b.only(g, at, ['activeService', 'previewService', 'previewReplicaCount', 'autoPromotionEnabled', 'autoPromotionSeconds', 'maxUnavailable',
    'scaleDownDelaySeconds', 'scaleDownDelayRevisionLimit', 'prePromotionAnalysis', 'postPromotionAnalysis', 'antiAffinity',
    'previewMetadata', 'activeMetadata', 'abortScaleDownDelaySeconds']);
  return callApi('rollouts.RolloutStrategy.blueGreen', obj({
    activeService: resourceRef(b, 'Service', g.activeService),
    previewService: g.previewService !== undefined ? resourceRef(b, 'Service', g.previewService) : undefined,
    previewReplicaCount: num(g.previewReplicaCount),
    autoPromotionEnabled: g.autoPromotionEnabled !== undefined ? data(g.autoPromotionEnabled) : undefined,
    autoPromotionDelay: seconds(b, g.autoPromotionSeconds, [...at, 'autoPromotionSeconds']),
    maxUnavailable: intOrPercent(g.maxUnavailable),
    scaleDownDelay: seconds(b, g.scaleDownDelaySeconds, [...at, 'scaleDownDelaySeconds']),
    scaleDownDelayRevisionLimit: num(g.scaleDownDelayRevisionLimit),
    prePromotionAnalysis: g.prePromotionAnalysis !== undefined ? analysisProps(b, g.prePromotionAnalysis, [...at, 'prePromotionAnalysis'], false) : undefined,
    postPromotionAnalysis: g.postPromotionAnalysis !== undefined ? analysisProps(b, g.postPromotionAnalysis, [...at, 'postPromotionAnalysis'], false) : undefined,
    antiAffinity: antiAffinity(b, g.antiAffinity, [...at, 'antiAffinity']),
    previewMetadata: podMetadata(b, g.previewMetadata, [...at, 'previewMetadata']),
    activeMetadata: podMetadata(b, g.activeMetadata, [...at, 'activeMetadata']),
    abortScaleDownDelay: seconds(b, g.abortScaleDownDelaySeconds, [...at, 'abortScaleDownDelaySeconds']),
  }));
}

// ---------------------------------------------------------------- Rollout

/** A pod template kept as written (restricted: false), said in a note: slipway's default would tighten it. */
function podTemplate(b: DocumentBuilder, t: any, what: string): Expr {
  b.note({ kind: 'opt-out', text: `${what}: its pod template is kept as written (restricted: false); slipway's default would make it restricted` });
  return callApi('rollouts.PodTemplate.of', obj({
    labels: data(t.metadata?.labels ?? {}),
    annotations: t.metadata?.annotations ? data(t.metadata.annotations) : undefined,
    spec: data(t.spec ?? {}),
    restricted: lit(false),
  }));
}

const SCALE_DOWN: Record<string, string> = { never: 'NEVER', onsuccess: 'ON_SUCCESS', progressively: 'PROGRESSIVELY' };

function readRollout(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name', 'namespace', 'labels']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['replicas', 'selector', 'template', 'workloadRef', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'strategy',
    'progressDeadlineSeconds', 'progressDeadlineAbort', 'rollbackWindow', 'analysis', 'restartAt']);
  if (spec.restartAt !== undefined && typeof spec.restartAt !== 'string') b.gap(['spec', 'restartAt'], `restartAt ${JSON.stringify(spec.restartAt)} is not a time`);
  b.only(spec.selector, ['spec', 'selector'], ['matchLabels']);
  const t = spec.template;
  b.only(t, ['spec', 'template'], ['metadata', 'spec']);
  b.only(t?.metadata, ['spec', 'template', 'metadata'], ['labels', 'annotations']);
  const strategy = spec.strategy ?? {};
  b.only(strategy, ['spec', 'strategy'], ['canary', 'blueGreen']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Rollout');

  const labels = t?.metadata?.labels ?? {};
  const selector = spec.selector?.matchLabels;
  const sameSelector = selector !== undefined && t !== undefined && JSON.stringify(selector) === JSON.stringify(labels);
  let workloadRef: Expr | undefined;
  const w = spec.workloadRef;
  if (w !== undefined) {
    b.only(w, ['spec', 'workloadRef'], ['apiVersion', 'kind', 'name', 'scaleDown']);
    if (w.apiVersion !== 'apps/v1' || w.kind !== 'Deployment') b.gap(['spec', 'workloadRef'], `a workloadRef to ${w.apiVersion}/${w.kind} (slipway references apps/v1 Deployments)`);
    if (w.scaleDown !== undefined && !SCALE_DOWN[w.scaleDown]) b.gap(['spec', 'workloadRef', 'scaleDown'], `workloadRef scaleDown ${JSON.stringify(w.scaleDown)}`);
    workloadRef = callApi('rollouts.WorkloadRef.deployment', resourceRef(b, 'Deployment', w.name),
      ...(w.scaleDown !== undefined ? [api(`rollouts.WorkloadScaleDown.${SCALE_DOWN[w.scaleDown] ?? 'NEVER'}`)] : []));
    // Without a selector in the file, the Rollout would copy the Deployment's when that is given together.
    if (selector === undefined) b.inexact(['spec', 'selector'], 'a workloadRef Rollout without a selector (slipway copies the Deployment\'s)');
  }
  b.only(spec.rollbackWindow, ['spec', 'rollbackWindow'], ['revisions']);
  b.only(spec.analysis, ['spec', 'analysis'], ['successfulRunHistoryLimit', 'unsuccessfulRunHistoryLimit']);
  let strategyExpr: Expr | undefined;
  if (strategy.canary && strategy.blueGreen) b.gap(['spec', 'strategy'], 'both canary and blueGreen');
  else if (strategy.blueGreen) strategyExpr = blueGreen(b, strategy.blueGreen, ['spec', 'strategy', 'blueGreen']);
  else if (strategy.canary) strategyExpr = canary(b, strategy.canary, ['spec', 'strategy', 'canary']);
  else b.inexact(['spec', 'strategy'], 'a Rollout without a strategy (slipway writes canary: {})');
  b.add([], construct('rollouts.Rollout', ref('scope'), lit(id), obj({
    name: lit(name),
    namespace: v.metadata?.namespace !== undefined ? lit(String(v.metadata.namespace)) : undefined,
    labels: v.metadata?.labels ? data(v.metadata.labels) : undefined,
    strategy: strategyExpr,
    template: t ? podTemplate(b, t, `Rollout ${JSON.stringify(name)}`) : undefined,
    workloadRef,
    selector: selector !== undefined && !sameSelector ? data(selector) : undefined,
    replicas: num(spec.replicas),
    minReadySeconds: num(spec.minReadySeconds),
    revisionHistoryLimit: num(spec.revisionHistoryLimit),
    progressDeadline: seconds(b, spec.progressDeadlineSeconds, ['spec', 'progressDeadlineSeconds']),
    progressDeadlineAbort: spec.progressDeadlineAbort !== undefined ? data(spec.progressDeadlineAbort) : undefined,
    paused: spec.paused !== undefined ? data(spec.paused) : undefined,
    // the time as written (an offset stays an offset), through the value class that checks it
    restartAt: typeof spec.restartAt === 'string' ? callApi('rollouts.RestartTime.of', lit(spec.restartAt)) : undefined,
    rollbackWindow: spec.rollbackWindow !== undefined ? num(spec.rollbackWindow.revisions) : undefined,
    analysisRunHistory: spec.analysis !== undefined ? obj({
      successful: num(spec.analysis.successfulRunHistoryLimit), unsuccessful: num(spec.analysis.unsuccessfulRunHistoryLimit),
    }) : undefined,
  })));
  b.commit();
}

// ---------------------------------------------------------------- AnalysisTemplate

function templateArg(b: DocumentBuilder, a: any, at: Path): Expr {
  b.only(a, at, ['name', 'value', 'valueFrom']);
  const name = lit(String(a?.name));
  if (a?.valueFrom !== undefined) {
    b.only(a.valueFrom, [...at, 'valueFrom'], ['secretKeyRef', 'fieldRef']);
    const s = a.valueFrom.secretKeyRef;
    if (s !== undefined) {
      b.only(s, [...at, 'valueFrom', 'secretKeyRef'], ['name', 'key']);
      return callApi('rollouts.TemplateArg.fromSecret', name, lit(String(s.name)), lit(String(s.key)));
    }
    b.only(a.valueFrom.fieldRef, [...at, 'valueFrom', 'fieldRef'], ['fieldPath']);
    return callApi('rollouts.TemplateArg.fromField', name, lit(String(a.valueFrom.fieldRef?.fieldPath)));
  }
  return a?.value !== undefined ? callApi('rollouts.TemplateArg.withDefault', name, lit(String(a.value))) : callApi('rollouts.TemplateArg.required', name);
}

/** `[{ key, value }]` headers as a record; a repeated key has no record form. */
function headers(b: DocumentBuilder, list: any, at: Path): Expr | undefined {
  if (list === undefined) return undefined;
  const out: Record<string, Expr> = {};
  (list as any[]).forEach((h, i) => {
    b.only(h, [...at, i], ['key', 'value']);
    if (String(h?.key) in out) b.gap([...at, i], `header ${JSON.stringify(h?.key)} given twice`);
    out[String(h?.key)] = lit(String(h?.value ?? ''));
  });
  return obj(out);
}

function provider(b: DocumentBuilder, p: any, at: Path): Expr | undefined {
  const kinds = Object.keys(p ?? {});
  if (kinds.length !== 1) {
    b.gap(at, `a metric provider with ${kinds.length} providers`);
    return undefined;
  }
  const x = p[kinds[0]];
  const pat = [...at, kinds[0]];
  switch (kinds[0]) {
    case 'prometheus':
      b.only(x, pat, ['address', 'query', 'timeout', 'insecure', 'headers']);
      return callApi('rollouts.MetricProvider.prometheus', obj({
        address: lit(String(x?.address ?? '')), query: lit(String(x?.query ?? '')), timeout: seconds(b, x?.timeout, [...pat, 'timeout']),
        insecure: x?.insecure !== undefined ? data(x.insecure) : undefined, headers: headers(b, x?.headers, [...pat, 'headers']),
      }));
    case 'web':
      b.only(x, pat, ['url', 'method', 'headers', 'body', 'jsonBody', 'timeoutSeconds', 'jsonPath', 'insecure']);
      if (x?.method !== undefined && !['GET', 'POST', 'PUT'].includes(x.method)) b.gap([...pat, 'method'], `web method ${JSON.stringify(x.method)}`);
      return callApi('rollouts.MetricProvider.web', obj({
        url: lit(String(x?.url ?? '')),
        method: x?.method !== undefined ? api(`rollouts.WebMethod.${x.method}`) : undefined,
        headers: headers(b, x?.headers, [...pat, 'headers']),
        body: str(x?.body),
        jsonBody: x?.jsonBody !== undefined ? data(x.jsonBody) : undefined,
        timeout: seconds(b, x?.timeoutSeconds, [...pat, 'timeoutSeconds']),
        jsonPath: str(x?.jsonPath),
        insecure: x?.insecure !== undefined ? data(x.insecure) : undefined,
      }));
    case 'job': {
      b.only(x, pat, ['metadata', 'spec']);
      const pod = x?.spec?.template?.spec;
      if (pod && canonical(restrictedPodSpec(pod)) !== canonical(pod)) {
        b.inexact([...pat, 'spec', 'template', 'spec'], 'a Job metric whose pods leave out restricted settings or requests (slipway fills them in)');
      }
      return callApi('rollouts.MetricProvider.job', obj({ spec: data(x?.spec ?? {}), metadata: podMetadata(b, x?.metadata, [...pat, 'metadata']) }));
    }
    case 'datadog': {
      b.only(x, pat, ['query', 'queries', 'formula', 'apiVersion', 'aggregator', 'interval', 'secretRef']);
      b.only(x?.secretRef, [...pat, 'secretRef'], ['name']);
      // slipway writes apiVersion v2 for queries on its own; a file that leaves it out there is written with it
      if (x?.queries !== undefined && x?.apiVersion === undefined) b.inexact([...pat, 'apiVersion'], 'Datadog queries without apiVersion (slipway writes v2)');
      const aggregators = ['avg', 'min', 'max', 'sum', 'last', 'percentile', 'mean', 'l2norm', 'area'];
      if (x?.aggregator !== undefined && !aggregators.includes(x.aggregator)) b.gap([...pat, 'aggregator'], `Datadog aggregator ${JSON.stringify(x.aggregator)}`);
      return callApi('rollouts.MetricProvider.datadog', obj({
        query: str(x?.query), queries: x?.queries !== undefined ? data(x.queries) : undefined, formula: str(x?.formula),
        apiVersion: x?.apiVersion !== undefined ? lit(String(x.apiVersion)) : undefined,
        aggregator: x?.aggregator !== undefined ? api(`rollouts.DatadogAggregator.${String(x.aggregator).toUpperCase()}`) : undefined,
        interval: goDurationExpr(b, x?.interval, [...pat, 'interval']),
        secretName: x?.secretRef?.name !== undefined ? lit(String(x.secretRef.name)) : undefined,
      }));
    }
    case 'newRelic':
    case 'influxdb':
      b.only(x, pat, ['query', 'profile']);
      return callApi(`rollouts.MetricProvider.${kinds[0]}`, lit(String(x?.query ?? '')), ...(x?.profile !== undefined ? [lit(String(x.profile))] : []));
    case 'wavefront':
    case 'graphite':
      b.only(x, pat, ['address', 'query']);
      return callApi(`rollouts.MetricProvider.${kinds[0]}`, lit(String(x?.address ?? '')), lit(String(x?.query ?? '')));
    case 'cloudWatch': {
      b.only(x, pat, ['interval', 'metricDataQueries']);
      const queries = (x?.metricDataQueries ?? []).map((q: any, i: number) => {
        const qat = [...pat, 'metricDataQueries', i];
        b.only(q, qat, ['id', 'expression', 'returnData', 'metricStat']);
        const ms = q?.metricStat;
        b.only(ms, [...qat, 'metricStat'], ['metric', 'period', 'stat', 'unit']);
        b.only(ms?.metric, [...qat, 'metricStat', 'metric'], ['namespace', 'metricName', 'dimensions']);
        (ms?.metric?.dimensions ?? []).forEach((dim: any, j: number) => b.only(dim, [...qat, 'metricStat', 'metric', 'dimensions', j], ['name', 'value']));
        return obj({
          id: lit(String(q?.id)), expression: str(q?.expression), returnData: q?.returnData !== undefined ? data(q.returnData) : undefined,
          metricStat: ms ? obj({
            namespace: lit(String(ms.metric?.namespace ?? '')), metricName: lit(String(ms.metric?.metricName ?? '')),
            dimensions: ms.metric?.dimensions ? obj(Object.fromEntries(ms.metric.dimensions.map((dim: any) => [String(dim.name), lit(String(dim.value))]))) : undefined,
            period: seconds(b, ms.period, [...qat, 'metricStat', 'period']) ?? lit(''), stat: lit(String(ms.stat ?? '')), unit: str(ms.unit),
          }) : undefined,
        });
      });
      return callApi('rollouts.MetricProvider.cloudWatch', arr(queries), ...(x?.interval !== undefined ? [goDurationExpr(b, x.interval, [...pat, 'interval']) ?? lit('')] : []));
    }
    case 'kayenta': {
      b.only(x, pat, ['address', 'application', 'canaryConfigName', 'metricsAccountName', 'configurationAccountName', 'storageAccountName', 'threshold', 'scopes']);
      b.only(x?.threshold, [...pat, 'threshold'], ['pass', 'marginal']);
      const scope = (s: any, sat: Path): Expr => {
        b.only(s, sat, ['scope', 'region', 'step', 'start', 'end']);
        return obj({ scope: lit(String(s?.scope ?? '')), region: lit(String(s?.region ?? '')), step: num(s?.step) ?? lit(0),
          start: lit(String(s?.start ?? '')), end: lit(String(s?.end ?? '')) });
      };
      const scopes = (Array.isArray(x?.scopes) ? x.scopes : []).map((sc: any, i: number) => {
        const sat = [...pat, 'scopes', i];
        b.only(sc, sat, ['name', 'controlScope', 'experimentScope']);
        return obj({ name: lit(String(sc?.name ?? '')), control: scope(sc?.controlScope, [...sat, 'controlScope']), experiment: scope(sc?.experimentScope, [...sat, 'experimentScope']) });
      });
      const text = (k: string) => lit(String(x?.[k] ?? ''));
      return callApi('rollouts.MetricProvider.kayenta', obj({
        address: text('address'), application: text('application'), canaryConfigName: text('canaryConfigName'),
        metricsAccountName: text('metricsAccountName'), configurationAccountName: text('configurationAccountName'), storageAccountName: text('storageAccountName'),
        threshold: obj({ pass: num(x?.threshold?.pass) ?? lit(0), marginal: num(x?.threshold?.marginal) ?? lit(0) }), scopes: arr(scopes),
      }));
    }
    default:
      b.gap(pat, `the ${kinds[0]} metric provider is not imported yet`);
      return undefined;
  }
}

/** JSON with sorted keys, to compare documents whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/**
 * A metric of the template in `template` (its variable). A count or limit given as exactly `{{args.<name>}}` is
 * the template's arg handle; another string is a gap.
 */
function metric(b: DocumentBuilder, m: any, at: Path, template: string): Expr {
  b.only(m, at, ['name', 'provider', 'interval', 'initialDelay', 'count', 'successCondition', 'failureCondition', 'failureLimit',
    'inconclusiveLimit', 'consecutiveErrorLimit', 'consecutiveSuccessLimit']);
  const limits: Record<string, Expr | undefined> = {};
  for (const k of ['count', 'failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit', 'consecutiveSuccessLimit']) {
    const arg = typeof m?.[k] === 'string' ? /^\{\{args\.([^{}\s]+)\}\}$/.exec(m[k])?.[1] : undefined;
    // an undeclared arg too: the typed API refuses it (analysis-args-resolve) at this metric, as Argo would
    if (arg !== undefined) limits[k] = method(ref(template), 'arg', lit(arg));
    else if (m?.[k] !== undefined && typeof m[k] !== 'number') b.gap([...at, k], `${k} ${JSON.stringify(m[k])} is neither a number nor {{args.<name>}}`);
    else limits[k] = num(m?.[k]);
  }
  return obj({
    name: lit(String(m?.name)),
    provider: provider(b, m?.provider, [...at, 'provider']) ?? lit(''),
    interval: goDurationExpr(b, m?.interval, [...at, 'interval']),
    initialDelay: goDurationExpr(b, m?.initialDelay, [...at, 'initialDelay']),
    count: limits.count,
    successCondition: str(m?.successCondition),
    failureCondition: str(m?.failureCondition),
    failureLimit: limits.failureLimit,
    inconclusiveLimit: limits.inconclusiveLimit,
    consecutiveErrorLimit: limits.consecutiveErrorLimit,
    consecutiveSuccessLimit: limits.consecutiveSuccessLimit,
  });
}

function readAnalysisTemplate(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  const kind = String(v.kind);
  const cluster = kind === 'ClusterAnalysisTemplate';
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], cluster ? ['name'] : ['name', 'namespace']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['args', 'metrics', 'dryRun']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, kind);
  const variable = plan.variable(name, 'template');
  b.add([], construct(`rollouts.${kind}`, ref('scope'), lit(id), obj({
    name: lit(name),
    namespace: cluster ? undefined : str(v.metadata?.namespace),
    args: spec.args ? arr(spec.args.map((a: any, i: number) => templateArg(b, a, ['spec', 'args', i]))) : undefined,
    dryRun: spec.dryRun ? arr(spec.dryRun.map((d: any, i: number) => {
      b.only(d, ['spec', 'dryRun', i], ['metricName']);
      return lit(String(d?.metricName));
    })) : undefined,
  })), variable);
  (spec.metrics ?? []).forEach((m: any, i: number) => b.add(['spec', 'metrics', i], method(ref(variable), 'addMetric', metric(b, m, ['spec', 'metrics', i], variable))));
  const typed = b.commit();
  plan.setHandle(kind, name, { variable, typed });
}

// ---------------------------------------------------------------- Experiment

function readExperiment(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['duration', 'progressDeadlineSeconds', 'scaleDownDelaySeconds', 'templates', 'analyses']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Experiment');
  const templates = (spec.templates ?? []).map((t: any, i: number) => {
    const at = ['spec', 'templates', i];
    b.only(t, at, ['name', 'replicas', 'minReadySeconds', 'selector', 'template', 'service']);
    b.only(t?.selector, [...at, 'selector'], ['matchLabels']);
    b.only(t?.template, [...at, 'template'], ['metadata', 'spec']);
    b.only(t?.template?.metadata, [...at, 'template', 'metadata'], ['labels', 'annotations']);
    b.only(t?.service, [...at, 'service'], ['name']);
    if (t?.service !== undefined && t.service.name === undefined) b.gap([...at, 'service'], 'an experiment service without a name (slipway names it)');
    const selector = t?.selector?.matchLabels;
    const same = selector !== undefined && JSON.stringify(selector) === JSON.stringify(t?.template?.metadata?.labels ?? {});
    return obj({
      name: lit(String(t?.name)),
      template: podTemplate(b, t?.template ?? {}, `Experiment ${JSON.stringify(name)} template ${JSON.stringify(t?.name)}`),
      selector: selector !== undefined && !same ? data(selector) : undefined,
      replicas: num(t?.replicas),
      minReadySeconds: num(t?.minReadySeconds),
      serviceName: t?.service?.name !== undefined ? lit(String(t.service.name)) : undefined,
    });
  });
  const analyses = (spec.analyses ?? []).map((a: any, i: number) => experimentAnalysis(b, a, ['spec', 'analyses', i]));
  b.add([], construct('rollouts.Experiment', ref('scope'), lit(id), obj({
    name: lit(name),
    templates: spec.templates ? arr(templates) : undefined,
    analyses: spec.analyses ? arr(analyses) : undefined,
    duration: goDurationExpr(b, spec.duration, ['spec', 'duration']),
    progressDeadlineSeconds: num(spec.progressDeadlineSeconds),
    scaleDownDelay: seconds(b, spec.scaleDownDelaySeconds, ['spec', 'scaleDownDelaySeconds']),
  })));
  b.commit();
}
