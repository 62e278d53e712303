/** Knative Service documents → `serverless.KnativeService` with its container, sidecars, autoscaling and traffic. */
import { Duration, goDuration } from '../../core';
import { Expr, api, arr, callApi, construct, data, lit, obj, ref } from '../calls';
import { DocumentBuilder, Plan, guarded } from './plan';

type Path = Array<string | number>;

/** The kinds this reader builds (apiVersion/kind). */
export const SERVERLESS_KINDS = new Set(['serving.knative.dev/v1/Service']);

/** Reads every Knative Service of the plan. */
export function readServerless(plan: Plan, docs: number[]): void {
  for (const i of docs) guarded(plan, i, readKnativeService);
}

const PREFIX = 'autoscaling.knative.dev/';
const NUMBERS: Record<string, string> = {
  'target': 'target', 'target-utilization-percentage': 'targetUtilizationPercentage', 'min-scale': 'minScale',
  'max-scale': 'maxScale', 'initial-scale': 'initialScale', 'activation-scale': 'activationScale',
  'panic-window-percentage': 'panicWindowPercentage', 'panic-threshold-percentage': 'panicThresholdPercentage',
  'target-burst-capacity': 'targetBurstCapacity',
};
const DURATIONS: Record<string, string> = {
  'scale-to-zero-pod-retention-period': 'scaleToZeroPodRetention', 'scale-down-delay': 'scaleDownDelay', 'window': 'window',
};
const CLASSES: Record<string, string> = { 'kpa.autoscaling.knative.dev': 'KPA', 'hpa.autoscaling.knative.dev': 'HPA' };
const METRICS: Record<string, string> = { concurrency: 'CONCURRENCY', rps: 'RPS', cpu: 'CPU', memory: 'MEMORY' };

function autoscaling(b: DocumentBuilder, annotations: Record<string, unknown>, at: Array<string | number>): Expr | undefined {
  const props: Record<string, Expr> = {};
  for (const [k, raw] of Object.entries(annotations)) {
    const v = String(raw);
    const key = k.startsWith(PREFIX) ? k.slice(PREFIX.length) : undefined;
    if (key === 'class' && CLASSES[v]) props.class = api(`serverless.AutoscalingClass.${CLASSES[v]}`);
    else if (key === 'metric') props.metric = METRICS[v] ? api(`serverless.AutoscalingMetric.${METRICS[v]}`) : callApi('serverless.AutoscalingMetric.custom', lit(v));
    else if (key && NUMBERS[key] && String(Number(v)) === v) props[NUMBERS[key]] = lit(Number(v));
    else if (key && DURATIONS[key] && isGoDuration(v)) props[DURATIONS[key]] = callApi('Duration.parse', lit(v));
    else b.gap([...at, k], `annotation ${k}: ${JSON.stringify(v)} (slipway writes only the autoscaling annotations it models, in canonical form)`);
  }
  return Object.keys(props).length ? obj(props) : undefined;
}

/** True if slipway writes this Go duration back unchanged. */
function isGoDuration(v: string): boolean {
  try {
    return goDuration(Duration.parse(v)) === v;
  } catch {
    return false;
  }
}

/**
 * A revision container: the serving container (first, exactly one port) or a sidecar (no port), as
 * `serverless.RevisionContainer`.
 */
function readContainer(b: DocumentBuilder, c: any, at: Path, service: string, serving: boolean): Expr {
  b.only(c, at, ['name', 'image', 'args', 'ports', 'env', 'resources', 'securityContext']);
  const ports: any[] = c?.ports ?? [];
  if (serving && ports.length !== 1) b.gap([...at, 'ports'], 'a serving container (the first) without exactly one port (slipway writes one, default 8080)');
  if (!serving && ports.length > 1) b.gap([...at, 'ports'], 'a sidecar with several ports (slipway writes at most one)');
  b.only(ports[0], [...at, 'ports', 0], ['containerPort']);
  (c?.env ?? []).forEach((e: any, i: number) => b.only(e, [...at, 'env', i], ['name', 'value']));
  b.only(c?.resources, [...at, 'resources'], ['requests', 'limits']);
  if (!c?.resources?.requests) b.gap([...at, 'resources'], 'a container without resource requests (slipway writes 100m CPU, 128Mi)');
  if (c?.securityContext === undefined) {
    const which = serving ? 'container' : `sidecar ${JSON.stringify(c?.name ?? at[at.length - 1])}`;
    b.note({ kind: 'opt-out', text: `Knative Service ${JSON.stringify(service)} sets no ${which} security context: written securityContext: {} so it runs as its image says (slipway's default is restricted)` });
  }
  return obj({
    name: c?.name !== undefined ? lit(String(c.name)) : undefined,
    image: lit(String(c?.image ?? '')),
    // a sidecar's port is written as given, so Knative's rule (one container with a port) reports it
    port: ports[0]?.containerPort !== undefined ? data(ports[0].containerPort) : undefined,
    env: c?.env ? obj(Object.fromEntries(c.env.map((e: any) => [String(e.name), lit(String(e.value ?? ''))]))) : undefined,
    args: c?.args ? data(c.args) : undefined,
    requests: c?.resources?.requests ? data(c.resources.requests) : undefined,
    limits: c?.resources?.limits ? data(c.resources.limits) : undefined,
    securityContext: data(c?.securityContext ?? {}),
  });
}

function readKnativeService(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name', 'annotations']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['template', 'traffic']);
  const t = spec.template ?? {};
  b.only(t, ['spec', 'template'], ['metadata', 'spec']);
  b.only(t.metadata, ['spec', 'template', 'metadata'], ['name', 'annotations']);
  const ts = t.spec ?? {};
  b.only(ts, ['spec', 'template', 'spec'], ['containerConcurrency', 'timeoutSeconds', 'serviceAccountName', 'containers']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Service');
  let rolloutDuration: Expr | undefined;
  for (const [k, raw] of Object.entries(v.metadata?.annotations ?? {})) {
    const m = /^(\d+)s$/.exec(String(raw));
    if (k === 'serving.knative.dev/rollout-duration' && m) rolloutDuration = callApi('Duration.seconds', lit(Number(m[1])));
    else b.gap(['metadata', 'annotations', k], `annotation ${k}`);
  }
  const containers: any[] = ts.containers ?? [];
  const at = (i: number) => ['spec', 'template', 'spec', 'containers', i];
  const container = containers[0] !== undefined ? readContainer(b, containers[0], at(0), name, true) : undefined;
  const sidecars = containers.slice(1).map((c, i) => readContainer(b, c, at(i + 1), name, false));
  const traffic = (spec.traffic ?? []).map((x: any, i: number) => {
    b.only(x, ['spec', 'traffic', i], ['latestRevision', 'revisionName', 'percent', 'tag']);
    const options = obj({ percent: x.percent !== undefined ? data(x.percent) : undefined, tag: x.tag !== undefined ? lit(String(x.tag)) : undefined });
    const args = (options as any).entries.length ? [options] : [];
    if (x.latestRevision === true && x.revisionName === undefined) return callApi('serverless.TrafficTarget.latestRevision', ...args);
    if (x.revisionName !== undefined && x.latestRevision !== true) {
      if (x.latestRevision === undefined) b.gap(['spec', 'traffic', i], 'a revision target without latestRevision: false (slipway writes it)');
      return callApi('serverless.TrafficTarget.revision', lit(String(x.revisionName)), ...args);
    }
    b.gap(['spec', 'traffic', i], 'a traffic target that is neither the latest revision nor a named one');
    return lit('');
  });
  b.add([], construct('serverless.KnativeService', ref('scope'), lit(id), obj({
    name: lit(name),
    container,
    sidecars: sidecars.length ? arr(sidecars) : undefined,
    revisionName: t.metadata?.name !== undefined ? lit(String(t.metadata.name)) : undefined,
    autoscaling: autoscaling(b, t.metadata?.annotations ?? {}, ['spec', 'template', 'metadata', 'annotations']),
    containerConcurrency: ts.containerConcurrency !== undefined ? data(ts.containerConcurrency) : undefined,
    timeout: ts.timeoutSeconds !== undefined ? callApi('Duration.seconds', data(ts.timeoutSeconds)) : undefined,
    traffic: traffic.length ? { kind: 'array', items: traffic } : undefined,
    serviceAccountName: ts.serviceAccountName !== undefined ? lit(String(ts.serviceAccountName)) : undefined,
    rolloutDuration,
  })));
  b.commit();
}
