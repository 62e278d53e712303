/**
 * Knative Serving's webhook rules for a Service (knative/serving `pkg/apis/serving/v1`, `pkg/apis/autoscaling`)
 * over the rendered document.
 */
import { RuleViolation, show } from '../../core';
import { Json } from '../rollouts/common';
import { parseGoDuration } from '../rollouts/validation';

type V = RuleViolation;
const v = (rule: string, message: string, fix: string): V => ({ rule, message, fix });
const A = 'autoscaling.knative.dev/';
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function num(x: string | undefined): number | undefined {
  return x === undefined ? undefined : Number(x);
}

function durationIn(ann: Json, key: string, rule: string, min: number, max: number, wholeSeconds: boolean): V[] {
  const raw = ann[key];
  if (raw === undefined) return [];
  const s = parseGoDuration(raw);
  if (s === undefined || s < min || s > max || (wholeSeconds && !Number.isInteger(s))) {
    return [v(rule, `annotation ${key} ${show(raw)}: must be a duration between ${min}s and ${max}s${wholeSeconds ? ' with second precision' : ''}`,
      `use a value between ${min}s and ${max}s`)];
  }
  return [];
}

/** Cluster settings (`config-autoscaler`) the rules depend on. */
export interface KnativeClusterConfig {
  /**
   * `allow-zero-initial-scale`.
   * @default false
   */
  readonly allowZeroInitialScale?: boolean;
}

/** All Service rules. */
export function knativeServiceViolations(doc: Json, cluster: KnativeClusterConfig = {}): V[] {
  const out: V[] = [];
  const spec: Json = doc.spec ?? {};
  const svcName: string = doc.metadata?.name ?? '';
  const tmpl: Json = spec.template ?? {};
  const ann: Json = tmpl.metadata?.annotations ?? {};

  // traffic (route_validation.go)
  const traffic: Json[] = spec.traffic ?? [];
  if (traffic.length > 0) {
    let sum = 0;
    const tags = new Set<string>();
    traffic.forEach((t, i) => {
      const p = t.percent ?? 0;
      if (p < 0 || p > 100 || !Number.isInteger(p)) {
        out.push(v('knative-traffic-percent', `traffic[${i}].percent ${show(p)}: expected 0 <= percent <= 100`, 'use a whole percent between 0 and 100'));
      }
      sum += p;
      if (t.tag !== undefined) {
        if (!DNS_1035.test(t.tag) || t.tag.length > 63) {
          out.push(v('knative-traffic-tag', `traffic[${i}].tag ${show(t.tag)}: must be a DNS-1035 label`, 'use lowercase letters, digits and -, starting with a letter'));
        }
        if (tags.has(t.tag)) out.push(v('knative-traffic-tag', `traffic[${i}].tag ${show(t.tag)}: Multiple definitions for ${show(t.tag)}`, 'use each tag once'));
        tags.add(t.tag);
      }
      const latest = t.latestRevision ?? (t.revisionName === undefined);
      if (latest && t.revisionName !== undefined) {
        out.push(v('knative-traffic-latest-revision', `traffic[${i}] revisionName ${show(t.revisionName)} with latestRevision true: may not set revisionName if latestRevision is true`, 'use TrafficTarget.revision() or TrafficTarget.latestRevision()'));
      }
      if (!latest && t.revisionName === undefined) {
        out.push(v('knative-traffic-latest-revision', `traffic[${i}] latestRevision false without revisionName: must set revisionName`, 'name the revision'));
      }
    });
    if (sum !== 100) {
      out.push(v('knative-traffic-percent', `traffic ${show(traffic.map((t) => t.percent ?? 0))}: Traffic targets sum to ${sum}, want 100`, 'make the percents add up to 100'));
    }
  }

  // BYO revision name
  const rev: string | undefined = tmpl.metadata?.name;
  if (rev !== undefined && svcName && !rev.startsWith(`${svcName}-`)) {
    out.push(v('knative-revision-name', `spec.template.metadata.name ${show(rev)}: must have prefix ${show(`${svcName}-`)}`, `name revisions ${svcName}-<suffix>`));
  }
  for (const [i, t] of traffic.entries()) {
    if (t.revisionName && rev === undefined && !t.revisionName.startsWith(`${svcName}-`)) {
      out.push(v('knative-revision-name', `traffic[${i}].revisionName ${show(t.revisionName)}: revisions of Service ${show(svcName)} are named ${svcName}-<suffix>`, 'name a revision of this Service'));
    }
  }

  // revision spec
  const cc = tmpl.spec?.containerConcurrency;
  if (cc !== undefined && (cc < 0 || cc > 1000)) {
    out.push(v('knative-container-concurrency', `containerConcurrency ${show(cc)}: expected 0 <= containerConcurrency <= 1000`, 'use 0 (unlimited) up to 1000'));
  }
  const ts = tmpl.spec?.timeoutSeconds;
  if (ts !== undefined && (ts < 0 || ts > 600)) {
    out.push(v('knative-timeout', `timeoutSeconds ${show(ts)}: expected 0 <= timeoutSeconds <= 600`, 'use at most 600 seconds (max-revision-timeout-seconds)'));
  }
  const containers: Json[] = tmpl.spec?.containers ?? [];
  if (containers.length === 0) out.push(v('knative-containers', 'spec.template.spec.containers: missing field(s)', 'add a container'));
  if (containers.length > 1 && containers.filter((c) => (c.ports ?? []).length > 0).length !== 1) {
    out.push(v('knative-containers', `${containers.length} containers: exactly one container must expose a port`, 'give the serving container the only port'));
  }

  // autoscaling annotations (annotation_validation.go)
  const cls = ann[`${A}class`] ?? 'kpa.autoscaling.knative.dev';
  if (ann[`${A}class`] !== undefined && cls.endsWith('.knative.dev') && !['kpa.autoscaling.knative.dev', 'hpa.autoscaling.knative.dev'].includes(cls)) {
    out.push(v('knative-autoscaling-class', `annotation ${A}class ${show(cls)}: invalid value`, 'use AutoscalingClass.KPA or AutoscalingClass.HPA'));
  }
  const metric = ann[`${A}metric`];
  if (metric !== undefined) {
    const ok = cls === 'kpa.autoscaling.knative.dev' ? ['concurrency', 'rps'].includes(metric)
      : cls === 'hpa.autoscaling.knative.dev' ? !['concurrency', 'rps'].includes(metric) : true;
    if (!ok) out.push(v('knative-autoscaling-metric', `annotation ${A}metric ${show(metric)} with class ${show(cls)}: invalid value`, 'KPA takes concurrency or rps; CPU and memory need AutoscalingClass.HPA'));
  }
  const target = num(ann[`${A}target`]);
  if (target !== undefined && !(target >= 0.01)) {
    out.push(v('knative-autoscaling-target', `annotation ${A}target ${show(ann[`${A}target`])}: target ${target} should be at least 0.01`, 'use 0.01 or more'));
  }
  const util = num(ann[`${A}target-utilization-percentage`]);
  if (util !== undefined && !(util >= 1 && util <= 100)) {
    out.push(v('knative-autoscaling-target', `annotation ${A}target-utilization-percentage ${show(util)}: expected 1 <= value <= 100`, 'use 1..100'));
  }
  const min = num(ann[`${A}min-scale`]);
  const max = num(ann[`${A}max-scale`]);
  for (const [k, x] of [['min-scale', min], ['max-scale', max], ['initial-scale', num(ann[`${A}initial-scale`])]] as const) {
    if (x !== undefined && !(Number.isInteger(x) && x >= 0)) out.push(v('knative-scale-bounds', `annotation ${A}${k} ${show(x)}: expected a whole number >= 0`, 'use 0 or more'));
  }
  if (min !== undefined && max !== undefined && max !== 0 && max < min) {
    out.push(v('knative-scale-bounds', `annotations min-scale ${min} > max-scale ${max}: max-scale must be >= min-scale (or 0 for unlimited)`, 'raise max-scale or lower min-scale'));
  }
  if (num(ann[`${A}initial-scale`]) === 0 && !cluster.allowZeroInitialScale) {
    out.push(v('knative-scale-bounds', `annotation ${A}initial-scale 0: invalid value, initial-scale 0 needs allow-zero-initial-scale in config-autoscaler`,
      'drop initialScale, or set allowZeroInitialScale once the cluster allows it'));
  }
  const act = num(ann[`${A}activation-scale`]);
  if (act !== undefined && (!(Number.isInteger(act) && act >= 2) || (max !== undefined && max > 0 && act > max))) {
    out.push(v('knative-scale-bounds', `annotation ${A}activation-scale ${show(act)}: expected 2 <= value <= max-scale`, 'use at least 2, within max-scale'));
  }
  out.push(...durationIn(ann, `${A}window`, 'knative-autoscaling-window', 6, 3600, true));
  out.push(...durationIn(ann, `${A}scale-to-zero-pod-retention-period`, 'knative-scale-to-zero-retention', 0, 3600, false));
  out.push(...durationIn(ann, `${A}scale-down-delay`, 'knative-scale-down-delay', 0, 3600, true));
  const pw = num(ann[`${A}panic-window-percentage`]);
  if (pw !== undefined && !(pw >= 1 && pw <= 100)) out.push(v('knative-panic', `annotation ${A}panic-window-percentage ${show(pw)}: expected 1 <= value <= 100`, 'use 1..100'));
  const pt = num(ann[`${A}panic-threshold-percentage`]);
  if (pt !== undefined && !(pt >= 110 && pt <= 1000)) out.push(v('knative-panic', `annotation ${A}panic-threshold-percentage ${show(pt)}: expected 110 <= value <= 1000`, 'use 110..1000'));
  const tbc = num(ann[`${A}target-burst-capacity`]);
  if (tbc !== undefined && !(tbc >= 0 || tbc === -1)) out.push(v('knative-autoscaling-target', `annotation ${A}target-burst-capacity ${show(tbc)}: must be >= 0 or -1`, 'use -1, 0 or more'));
  if (cls === 'hpa.autoscaling.knative.dev' && min === 0) {
    out.push(v('knative-scale-bounds', `min-scale 0 with class ${show(cls)}: the HPA class cannot scale to zero`, 'use AutoscalingClass.KPA to scale to zero, or min-scale >= 1'));
  }

  // gradual rollout
  const rd = doc.metadata?.annotations?.['serving.knative.dev/rollout-duration'] ?? ann['serving.knative.dev/rollout-duration'];
  if (rd !== undefined) {
    const s = parseGoDuration(rd);
    if (s === undefined || s < 0 || !Number.isInteger(s)) {
      out.push(v('knative-rollout-duration', `annotation serving.knative.dev/rollout-duration ${show(rd)}: must be a non-negative duration with second precision`, "use a duration such as '120s'"));
    }
  }
  return out;
}
