/** Argo Rollouts documents → `rollouts.Rollout` (canary strategy with weight and pause steps, a pod template). */
import { Duration, goDuration } from '../../core';
import { Expr, arr, callApi, construct, data, lit, obj, ref } from '../calls';
import { DocumentBuilder, Plan, guarded } from './plan';

/** The kinds this reader builds (apiVersion/kind). */
export const ROLLOUT_KINDS = new Set(['argoproj.io/v1alpha1/Rollout']);

/** Reads every Rollout of the plan. */
export function readRollouts(plan: Plan, docs: number[]): void {
  for (const i of docs) guarded(plan, i, readRollout);
}

function intOrPercent(v: unknown): Expr | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)%$/.exec(String(v));
  return m ? callApi('rollouts.IntOrPercent.percent', lit(Number(m[1]))) : callApi('rollouts.IntOrPercent.count', data(v));
}

function step(b: DocumentBuilder, s: any, at: Array<string | number>): Expr | undefined {
  b.only(s, at, ['setWeight', 'pause']);
  if (s?.setWeight !== undefined) return callApi('rollouts.CanaryStep.setWeight', data(s.setWeight));
  if (s?.pause !== undefined) {
    b.only(s.pause, [...at, 'pause'], ['duration']);
    const d = s.pause?.duration;
    if (d === undefined) return callApi('rollouts.CanaryStep.pause');
    try {
      if (goDuration(Duration.parse(String(d))) === String(d)) return callApi('rollouts.CanaryStep.pause', callApi('Duration.parse', lit(String(d))));
    } catch { /* a gap below */ }
    b.gap([...at, 'pause', 'duration'], `pause duration ${JSON.stringify(d)} (slipway writes Go durations such as 5m or 1h30m)`);
    return undefined;
  }
  b.gap(at, 'a canary step other than setWeight and pause');
  return undefined;
}

function readRollout(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name', 'namespace', 'labels']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['replicas', 'selector', 'template', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'strategy']);
  b.only(spec.selector, ['spec', 'selector'], ['matchLabels']);
  const t = spec.template;
  b.only(t, ['spec', 'template'], ['metadata', 'spec']);
  b.only(t?.metadata, ['spec', 'template', 'metadata'], ['labels', 'annotations']);
  const strategy = spec.strategy ?? {};
  b.only(strategy, ['spec', 'strategy'], ['canary']);
  const c = strategy.canary;
  b.only(c, ['spec', 'strategy', 'canary'], ['steps', 'canaryService', 'stableService', 'maxSurge', 'maxUnavailable']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Rollout');
  if (t) b.note({ kind: 'opt-out', text: `Rollout ${JSON.stringify(name)}: its pod template is kept as written (restricted: false); slipway's default would make it restricted` });
  const steps = (c?.steps ?? []).map((s: any, i: number) => step(b, s, ['spec', 'strategy', 'canary', 'steps', i])).filter((x: Expr | undefined): x is Expr => x !== undefined);
  const labels = t?.metadata?.labels ?? {};
  const selector = spec.selector?.matchLabels;
  const sameSelector = selector !== undefined && JSON.stringify(selector) === JSON.stringify(labels);
  b.add([], construct('rollouts.Rollout', ref('scope'), lit(id), obj({
    name: lit(name),
    namespace: v.metadata?.namespace !== undefined ? lit(String(v.metadata.namespace)) : undefined,
    labels: v.metadata?.labels ? data(v.metadata.labels) : undefined,
    strategy: c ? callApi('rollouts.RolloutStrategy.canary', obj({
      steps: c.steps ? arr(steps) : undefined,
      canaryService: c.canaryService !== undefined ? obj({ name: lit(String(c.canaryService)) }) : undefined,
      stableService: c.stableService !== undefined ? obj({ name: lit(String(c.stableService)) }) : undefined,
      maxSurge: intOrPercent(c.maxSurge),
      maxUnavailable: intOrPercent(c.maxUnavailable),
    })) : undefined,
    template: t ? callApi('rollouts.PodTemplate.of', obj({
      labels: data(labels),
      annotations: t.metadata?.annotations ? data(t.metadata.annotations) : undefined,
      spec: data(t.spec ?? {}),
      restricted: lit(false),
    })) : undefined,
    selector: selector !== undefined && !sameSelector ? data(selector) : undefined,
    replicas: spec.replicas !== undefined ? data(spec.replicas) : undefined,
    minReadySeconds: spec.minReadySeconds !== undefined ? data(spec.minReadySeconds) : undefined,
    revisionHistoryLimit: spec.revisionHistoryLimit !== undefined ? data(spec.revisionHistoryLimit) : undefined,
    paused: spec.paused !== undefined ? data(spec.paused) : undefined,
  })));
  if (!c) b.gap(['spec', 'strategy'], 'a Rollout without a canary strategy (blueGreen is not imported yet)');
  b.commit();
}
