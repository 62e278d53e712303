/**
 * The Argo Rollouts controller's rules (argo-rollouts `pkg/apis/rollouts/validation`, `validation_references.go`,
 * `utils/analysis/factory.go`, `utils/conditions/experiments.go`) as pure functions over rendered documents, so
 * escape-hatch patches are checked too. Messages quote the upstream text where it exists.
 */
import { RuleViolation, show } from '../../core';
import { Json } from './common';

type V = RuleViolation;
const v = (rule: string, message: string, fix: string): V => ({ rule, message, fix });

/** Traffic routers whose canary needs both canaryService and stableService (research §1.1). */
const ROUTERS_NEEDING_SERVICES = ['alb', 'istio', 'smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'];
const ROUTER_KEYS = ['istio', 'nginx', 'alb', 'smi', 'ambassador', 'appMesh', 'traefik', 'apisix', 'plugins'];
/** The label the controller adds to Service selectors itself. */
export const POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';

/**
 * Seconds in a Go duration string (`300ms`, `1.5h`, `2h45m`), or undefined if Go's `time.ParseDuration` would
 * reject it. Signs are kept so callers can reject negatives.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const part of text.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * unit[part[2]];
  }
  return m[1] === '-' ? -total : total;
}

/** `RolloutPause.DurationSeconds()`: int seconds, an integer string, or a Go duration; -1 when unparsable. */
export function pauseSeconds(d: unknown): number {
  if (typeof d === 'number') return d;
  if (typeof d !== 'string') return -1;
  if (/^[-+]?\d+$/.test(d)) return Number(d);
  const s = parseGoDuration(d);
  return s === undefined ? -1 : Math.floor(s);
}

function routerOf(tr: Json | undefined): string[] {
  return tr ? ROUTER_KEYS.filter((k) => tr[k] !== undefined) : [];
}

function intOrPercentIsZero(x: unknown): boolean {
  return x === 0 || x === '0' || x === '0%';
}

/** Values the controller derives from the Rollout itself, used by checks that look at its metadata. */
export interface RolloutFacts {
  /** `metadata` of the Rollout document. */
  readonly metadata: Json;
}

/** Rules 1–24 of research §1.4: the Rollout spec alone. */
export function rolloutSpecViolations(doc: Json): V[] {
  const out: V[] = [];
  const s: Json = doc.spec ?? {};
  const md: Json = doc.metadata ?? {};

  // 1: counts are non-negative
  for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds']) {
    if (typeof s[f] === 'number' && s[f] < 0) {
      out.push(v('rollout-non-negative', `spec.${f} ${show(s[f])}: must be greater than or equal to 0`, `set spec.${f} to 0 or more`));
    }
  }

  // 2: selector
  if (!s.workloadRef) {
    if (!s.selector) {
      out.push(v('rollout-selector', "Rollout has missing field '.spec.selector'", 'set a selector matching the pod template labels (or use workloadRef)'));
    } else if (Object.keys(s.selector.matchLabels ?? {}).length === 0 && (s.selector.matchExpressions ?? []).length === 0) {
      out.push(v('rollout-selector', `spec.selector ${show(s.selector)}: empty selector is invalid for deployment`, 'select the pods by at least one label'));
    }
  }

  // 3: workloadRef with a template
  const tmd: Json = s.template?.metadata ?? {};
  if (s.workloadRef && (Object.keys(tmd.labels ?? {}).length > 0 || Object.keys(tmd.annotations ?? {}).length > 0
    || (s.template?.spec?.containers ?? []).length > 0)) {
    out.push(v('rollout-workload-ref-template', `spec.template ${show(s.template)} is set alongside workloadRef ${show(s.workloadRef.name)}: template must be empty for workload reference rollout`,
      'drop the template: the pods come from the referenced workload'));
  }

  // 4: pod template (ReplicaSet rules that matter offline: containers, selector matches labels)
  if (!s.workloadRef) {
    const containers: Json[] = s.template?.spec?.containers ?? [];
    if (containers.length === 0) {
      out.push(v('rollout-pod-template', 'spec.template.spec.containers: Required value', 'give the pod template at least one container'));
    }
    const names = new Set<string>();
    [...containers, ...(s.template?.spec?.initContainers ?? [])].forEach((c: Json, i: number) => {
      const at = `spec.template.spec.${i < containers.length ? `containers[${i}]` : `initContainers[${i - containers.length}]`}`;
      if (!c.name) out.push(v('rollout-pod-template', `${at}.name: Required value`, 'name every container'));
      else if (names.has(c.name)) out.push(v('rollout-pod-template', `${at}.name ${show(c.name)}: Duplicate value`, 'give every container its own name'));
      names.add(c.name);
      if (!c.image) out.push(v('rollout-pod-template', `${at}.image: Required value`, 'give every container an image'));
      for (const p of c.ports ?? []) {
        if (!(Number.isInteger(p.containerPort) && p.containerPort >= 1 && p.containerPort <= 65535)) {
          out.push(v('rollout-pod-template', `${at}.ports containerPort ${show(p.containerPort)}: must be between 1 and 65535, inclusive`, 'use a port from 1 to 65535'));
        }
      }
    });
    out.push(...podTemplateKubernetesViolations(s.selector, s.template, 'spec'));
    const rp = s.template?.spec?.restartPolicy;
    if (rp !== undefined && rp !== 'Always') {
      out.push(v('rollout-pod-template', `spec.template.spec.restartPolicy ${show(rp)}: Unsupported value: supported values: "Always"`, 'drop restartPolicy (ReplicaSet pods always restart)'));
    }
    const labels: Json = tmd.labels ?? {};
    for (const [k, val] of Object.entries(s.selector?.matchLabels ?? {})) {
      if (labels[k] !== val) {
        out.push(v('rollout-pod-template', `spec.template.metadata.labels ${show(labels)}: \`selector\` does not match template \`labels\` (selector wants ${k}=${show(val)})`,
          'use the same labels in spec.selector.matchLabels and spec.template.metadata.labels'));
        break;
      }
    }
  }

  // 5: progress deadline
  const pds = s.progressDeadlineSeconds ?? 600;
  const mrs = s.minReadySeconds ?? 0;
  if (pds <= mrs) {
    out.push(v('rollout-progress-deadline', `spec.progressDeadlineSeconds ${show(pds)} must be greater than minReadySeconds ${show(mrs)}`,
      'raise progressDeadlineSeconds above minReadySeconds'));
  }

  // 6: strategy
  const canary: Json | undefined = s.strategy?.canary;
  const bg: Json | undefined = s.strategy?.blueGreen;
  if (!canary && !bg) {
    out.push(v('rollout-strategy', "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'", 'use RolloutStrategy.canary() or RolloutStrategy.blueGreen()'));
  } else if (canary && bg) {
    out.push(v('rollout-strategy', 'spec.strategy has both canary and blueGreen: Multiple Strategies can not be listed', 'keep exactly one strategy'));
  }

  if (bg) {
    // 7
    if (bg.previewService !== undefined && bg.activeService === bg.previewService) {
      out.push(v('bluegreen-distinct-services', `activeService and previewService are both ${show(bg.activeService)}: This rollout uses the same service for the active and preview services, but two different services are required.`,
        'give the preview its own Service'));
    }
    // 8
    const rhl = s.revisionHistoryLimit ?? 10;
    if (bg.scaleDownDelayRevisionLimit !== undefined && bg.scaleDownDelayRevisionLimit > rhl) {
      out.push(v('bluegreen-scale-down-revision-limit', `scaleDownDelayRevisionLimit ${show(bg.scaleDownDelayRevisionLimit)} > revisionHistoryLimit ${show(rhl)}: This rollout's revision history limit can not be smaller than the rollout's scale down limit`,
        'lower scaleDownDelayRevisionLimit or raise revisionHistoryLimit'));
    }
    // 9
    out.push(...antiAffinityViolations(bg.antiAffinity, 'blueGreen'));
  }

  if (canary) out.push(...canaryViolations(canary, md));
  return out;
}

function antiAffinityViolations(aa: Json | undefined, where: string): V[] {
  if (!aa) return [];
  const out: V[] = [];
  const count = ['preferredDuringSchedulingIgnoredDuringExecution', 'requiredDuringSchedulingIgnoredDuringExecution'].filter((k) => aa[k] !== undefined).length;
  if (count !== 1) {
    out.push(v('anti-affinity', `${where}.antiAffinity ${show(aa)}: AntiAffinity must have exactly one strategy listed`, 'choose AntiAffinity.preferred(weight) or AntiAffinity.required()'));
  }
  const w = aa.preferredDuringSchedulingIgnoredDuringExecution?.weight;
  if (w !== undefined && (w < 1 || w > 100)) {
    out.push(v('anti-affinity', `${where}.antiAffinity preferred weight ${show(w)}: must be between 1 and 100`, 'use a weight between 1 and 100'));
  }
  return out;
}

function canaryViolations(c: Json, md: Json): V[] {
  const out: V[] = [];
  const tr: Json | undefined = c.trafficRouting;
  const routers = routerOf(tr);

  // 10
  if (intOrPercentIsZero(c.maxSurge ?? '25%') && intOrPercentIsZero(c.maxUnavailable ?? '25%')) {
    out.push(v('canary-surge-unavailable', `spec.strategy.maxSurge ${show(c.maxSurge)} and maxUnavailable ${show(c.maxUnavailable)}: MaxSurge and MaxUnavailable both can not be zero`,
      'let at least one of maxSurge and maxUnavailable be above zero'));
  }
  // 11
  if (c.canaryService && c.canaryService === c.stableService) {
    out.push(v('canary-distinct-services', `canaryService and stableService are both ${show(c.canaryService)}: This rollout uses the same service for the stable and canary services, but two different services are required.`,
      'give the canary and the stable pods one Service each'));
  }
  // 12
  if (tr) {
    const needs = routers.some((r) => ROUTERS_NEEDING_SERVICES.includes(r)
      && !(c.pingPong && (r === 'alb' || r === 'istio'))
      && !(r === 'istio' && tr.istio?.destinationRule));
    if (needs && (!c.canaryService || !c.stableService)) {
      out.push(v('canary-traffic-routing-services', `trafficRouting ${show(routers.join(','))} with canaryService ${show(c.canaryService)} and stableService ${show(c.stableService)}: Canary service and Stable service must to be set to use Traffic Routing`,
        'set both canaryService and stableService (or, for Istio, route by DestinationRule subsets)'));
    }
  }
  // 13
  if (c.pingPong) {
    const pp: Json = c.pingPong;
    if (!pp.pingService || !pp.pongService || pp.pingService === pp.pongService) {
      out.push(v('canary-ping-pong', `pingPong ${show(pp)}: ping and pong services must both be set and differ`, 'name two different Services in pingPong'));
    }
    if (!routers.some((r) => ['alb', 'istio', 'plugins'].includes(r))) {
      out.push(v('canary-ping-pong', `pingPong with trafficRouting ${show(routers.join(',') || 'none')}: ping-pong is only supported with ALB, Istio and plugins`, 'route traffic with ALB, Istio or a plugin, or use canaryService/stableService'));
    } else if (routers.includes('alb') && !tr?.alb?.rootService) {
      out.push(v('canary-ping-pong', 'pingPong with ALB needs trafficRouting.alb.rootService', 'set alb.rootService'));
    }
  }
  // 14
  if (!tr) {
    if (c.scaleDownDelaySeconds !== undefined) {
      out.push(v('canary-needs-traffic-routing', `scaleDownDelaySeconds ${show(c.scaleDownDelaySeconds)}: Canary scaleDownDelaySeconds can only be used with traffic routing`, 'add trafficRouting or drop scaleDownDelaySeconds'));
    }
    if (c.dynamicStableScale) {
      out.push(v('canary-needs-traffic-routing', 'dynamicStableScale true: Canary dynamicStableScale can only be used with traffic routing', 'add trafficRouting or drop dynamicStableScale'));
    }
  } else {
    // 15
    if (c.scaleDownDelaySeconds !== undefined && c.dynamicStableScale) {
      out.push(v('canary-dynamic-stable-scale', `scaleDownDelaySeconds ${show(c.scaleDownDelaySeconds)} with dynamicStableScale: Canary dynamicStableScale cannot be used with scaleDownDelaySeconds`, 'drop one of them'));
    }
    if (tr.maxTrafficWeight !== undefined && !routers.some((r) => r === 'nginx' || r === 'plugins')) {
      out.push(v('canary-max-traffic-weight', `maxTrafficWeight ${show(tr.maxTrafficWeight)} with ${show(routers.join(','))}: Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins`, 'drop maxTrafficWeight (weights are out of 100)'));
    }
  }
  const rpt: Json | undefined = c.replicaProgressThreshold;
  if (rpt && (!(Number.isInteger(rpt.value) && rpt.value > 0) || (rpt.type === 'Percent' && rpt.value > 100) || !['Percent', 'Pods'].includes(rpt.type))) {
    out.push(v('canary-replica-progress-threshold', `replicaProgressThreshold ${show(rpt)}: Value must also be greater than 0 (and at most 100 for Percent)`,
      'use IntOrPercent.count(n) with n >= 1 or IntOrPercent.percent(1..100)'));
  }
  const sticky = tr?.alb?.stickinessConfig?.durationSeconds;
  if (sticky !== undefined && !(Number.isInteger(sticky) && sticky >= 1 && sticky <= 604800)) {
    out.push(v('alb-stickiness', `trafficRouting.alb.stickinessConfig.durationSeconds ${show(sticky)}: the ALB target group stickiness duration must be 1 to 604800 seconds (7 days)`,
      'use a stickiness between Duration.seconds(1) and Duration.days(7)'));
  }
  // 24
  out.push(...antiAffinityViolations(c.antiAffinity, 'canary'));
  // background analysis args (23)
  out.push(...fieldRefViolations(c.analysis?.args, 'canary.analysis', md));

  // 16–23: steps
  const maxWeight = tr?.maxTrafficWeight ?? 100;
  const managed = new Set<string>((tr?.managedRoutes ?? []).map((r: Json) => r.name));
  (c.steps ?? []).forEach((step: Json, i: number) => {
    const at = `steps[${i}]`;
    const kinds = ['setWeight', 'pause', 'experiment', 'analysis'].filter((k) => step[k] !== undefined);
    const any = Object.keys(step).length > 0;
    if (!any || kinds.length > 1) {
      out.push(v('canary-step-kind', `${at} ${show(step)}: Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause`,
        'put exactly one action in each step (CanaryStep.setWeight(), .pause(), …)'));
    }
    if (step.setWeight !== undefined && (step.setWeight < 0 || step.setWeight > maxWeight)) {
      out.push(v('canary-set-weight', `${at}.setWeight ${show(step.setWeight)}: SetWeight needs to be between 0 and ${maxWeight}`, `use a weight between 0 and ${maxWeight}`));
    }
    if (step.pause?.duration !== undefined && pauseSeconds(step.pause.duration) < 0) {
      out.push(v('canary-pause-duration', `${at}.pause.duration ${show(step.pause.duration)}: Duration needs to be greater than 0`,
        "use whole seconds or a Go duration such as '30s', '5m', '1h' (or omit it to pause until promoted)"));
    }
    if (step.setCanaryScale !== undefined && !tr) {
      out.push(v('canary-set-canary-scale', `${at}.setCanaryScale ${show(step.setCanaryScale)}: SetCanaryScale requires TrafficRouting to be set`, 'add trafficRouting or drop the step'));
    }
    if (step.setHeaderRoute !== undefined) {
      if (!routers.some((r) => ['istio', 'alb', 'apisix', 'plugins'].includes(r))) {
        out.push(v('canary-set-header-route', `${at}.setHeaderRoute with trafficRouting ${show(routers.join(',') || 'none')}: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix`,
          'route traffic with Istio, ALB, Apisix or a plugin'));
      }
      (step.setHeaderRoute.match ?? []).forEach((m: Json, j: number) => {
        const hv: Json = m.headerValue ?? {};
        const n = ['exact', 'regex', 'prefix'].filter((k) => hv[k] !== undefined).length;
        if (n !== 1) {
          out.push(v('canary-set-header-route', `${at}.setHeaderRoute.match[${j}].headerValue ${show(hv)}: set exactly one of exact, regex or prefix`, 'use StringMatch.exact(), .prefix() or .regex()'));
        } else if (routers.includes('alb') && hv.exact === undefined) {
          out.push(v('canary-set-header-route', `${at}.setHeaderRoute.match[${j}].headerValue ${show(hv)}: ALB supports only exact header matches`, 'use StringMatch.exact()'));
        }
      });
    }
    if (step.setMirrorRoute !== undefined) {
      if (!routers.some((r) => r === 'istio' || r === 'plugins')) {
        out.push(v('canary-set-mirror-route', `${at}.setMirrorRoute with trafficRouting ${show(routers.join(',') || 'none')}: SetMirrorRoute requires TrafficRouting, supports Istio and Plugins`,
          'route traffic with Istio or a plugin'));
      }
      (step.setMirrorRoute.match ?? []).forEach((m: Json, j: number) => {
        for (const f of ['method', 'path']) {
          if (m[f] === undefined) continue;
          const n = ['exact', 'regex', 'prefix'].filter((k) => m[f][k] !== undefined).length;
          if (n !== 1) {
            out.push(v('canary-set-mirror-route', `${at}.setMirrorRoute.match[${j}].${f} ${show(m[f])}: set exactly one of exact, regex or prefix`, 'use StringMatch.exact(), .prefix() or .regex()'));
          }
        }
      });
    }
    // 22
    const routeName = step.setHeaderRoute?.name ?? step.setMirrorRoute?.name;
    if (routeName !== undefined && tr) {
      if (managed.size === 0) {
        out.push(v('canary-managed-routes', `${at} uses route ${show(routeName)}: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'`,
          `list ${show(routeName)} in the traffic routing's managedRoutes`));
      } else if (!managed.has(routeName)) {
        out.push(v('canary-managed-routes', `${at} route ${show(routeName)}: Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes`,
          `add ${show(routeName)} to managedRoutes (listed: ${[...managed].join(', ')})`));
      }
    }
    // 23
    if (step.experiment) {
      const weighted = (step.experiment.templates ?? []).filter((t: Json) => t.weight !== undefined);
      if (weighted.length > 0) {
        const j = (step.experiment.templates ?? []).indexOf(weighted[0]);
        if (!tr) {
          out.push(v('canary-experiment-weight', `${at}.experiment.templates[${j}].weight ${show(weighted[0].weight)} (template ${show(weighted[0].name)}): Experiment template weight cannot be set unless TrafficRouting is enabled`,
            'add trafficRouting or drop the weight'));
        } else if (!routers.some((r) => ['smi', 'alb', 'istio', 'plugins'].includes(r))) {
          out.push(v('canary-experiment-weight', `${at}.experiment.templates[${j}].weight ${show(weighted[0].weight)} with trafficRouting ${show(routers.join(','))}: Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time`,
            'drop the weight or route with SMI, ALB, Istio or a plugin'));
        }
      }
      out.push(...experimentTemplateNameViolations(step.experiment.templates ?? [], `${at}.experiment`));
      for (const a of step.experiment.analyses ?? []) out.push(...fieldRefViolations(a.args, `${at}.experiment.analyses`, md));
    }
    if (step.analysis) out.push(...fieldRefViolations(step.analysis.args, `${at}.analysis`, md));
  });
  return out;
}

/** Rule 23 (second half): `valueFrom.fieldRef` on `metadata…` must exist on the Rollout (downward API). */
function fieldRefViolations(args: Json[] | undefined, where: string, md: Json): V[] {
  const out: V[] = [];
  for (const a of args ?? []) {
    const path: string | undefined = a.valueFrom?.fieldRef?.fieldPath;
    if (!path || !path.startsWith('metadata')) continue;
    let ok = false;
    const m = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
    if (m) ok = md[m[1]]?.[m[2]] !== undefined;
    else ok = ['metadata.name', 'metadata.namespace', 'metadata.uid'].includes(path);
    if (!ok) {
      out.push(v('analysis-args-field-ref', `${where} arg ${show(a.name)} fieldPath ${show(path)}: Analyses arguments must refer to valid object metadata supported by downwardAPI`,
        "use metadata.name, metadata.namespace, metadata.uid or metadata.labels['key'] / metadata.annotations['key'] for a key the Rollout has"));
    }
  }
  return out;
}

function experimentTemplateNameViolations(templates: Json[], where: string): V[] {
  const out: V[] = [];
  const seen = new Set<string>();
  templates.forEach((t, i) => {
    if (!t.name) out.push(v('experiment-template', `${where}.templates[${i}]: template name must not be empty`, 'name every experiment template'));
    else if (seen.has(t.name)) out.push(v('experiment-template', `${where}.templates[${i}] name ${show(t.name)}: template names must be unique`, 'give every experiment template its own name'));
    seen.add(t.name);
  });
  return out;
}

/** Rule 29: `ValidateMetric` for every metric, plus at least one metric and unique names. */
export function metricViolations(metrics: Json[] | undefined, where: string): V[] {
  const out: V[] = [];
  if (!metrics || metrics.length === 0) {
    out.push(v('analysis-metric-names', `${where} has no metrics: metrics must contain at least one metric`, 'add a metric with addMetric()'));
    return out;
  }
  const seen = new Set<string>();
  for (const m of metrics) {
    const at = `${where} metric ${show(m.name)}`;
    if (seen.has(m.name)) out.push(v('analysis-metric-names', `${at}: duplicate metric name`, 'give every metric its own name'));
    seen.add(m.name);
    const num = (x: unknown, d: number): number | undefined => (x === undefined ? d : typeof x === 'number' ? x : /^-?\d+$/.test(String(x)) ? Number(x) : undefined);
    const fl = num(m.failureLimit, 0);
    const csl = num(m.consecutiveSuccessLimit, 0);
    const il = num(m.inconclusiveLimit, 0);
    const cel = num(m.consecutiveErrorLimit, 4);
    const count = num(m.count, 0);
    if (csl !== undefined && csl < 0) out.push(v('analysis-metric-limits', `${at} consecutiveSuccessLimit ${show(m.consecutiveSuccessLimit)}: must be >= 0`, 'use 0 (off) or more'));
    if (fl !== undefined && fl < -1) out.push(v('analysis-metric-limits', `${at} failureLimit ${show(m.failureLimit)}: must be >= -1`, 'use -1 (disabled), 0 or more'));
    if (fl === -1 && csl === 0) out.push(v('analysis-metric-limits', `${at}: failureLimit -1 needs consecutiveSuccessLimit > 0, or the metric can never end`, 'set consecutiveSuccessLimit or a failureLimit >= 0'));
    if (il !== undefined && il < 0) out.push(v('analysis-metric-limits', `${at} inconclusiveLimit ${show(m.inconclusiveLimit)}: must be >= 0`, 'use 0 or more'));
    if (cel !== undefined && cel < 0) out.push(v('analysis-metric-limits', `${at} consecutiveErrorLimit ${show(m.consecutiveErrorLimit)}: must be >= 0`, 'use 0 or more'));
    if (count !== undefined && count > 0) {
      if (fl !== undefined && csl !== undefined && fl >= 0 && csl >= 0 && count < fl + csl) {
        out.push(v('analysis-metric-count', `${at} count ${count}: count must be >= failureLimit ${fl} + consecutiveSuccessLimit ${csl}`, 'raise count or lower the limits'));
      }
      if (il !== undefined && count < il) out.push(v('analysis-metric-count', `${at} count ${count}: count must be >= inconclusiveLimit ${il}`, 'raise count or lower inconclusiveLimit'));
      if (count > 1 && m.interval === undefined) out.push(v('analysis-metric-count', `${at} count ${count}: interval must be specified when count > 1`, 'set interval (e.g. Duration.minutes(1))'));
    }
    for (const f of ['interval', 'initialDelay']) {
      if (m[f] !== undefined && !String(m[f]).includes('{{') && (parseGoDuration(String(m[f])) ?? -1) < 0) {
        out.push(v('analysis-metric-duration', `${at} ${f} ${show(m[f])}: invalid ${f} string`, "write a Go duration such as '30s' or '5m'"));
      }
    }
    const providers = Object.keys(m.provider ?? {});
    if (providers.length === 0) out.push(v('analysis-metric-provider', `${at}: no provider specified`, 'use MetricProvider.prometheus(), .web(), .job(), .datadog(), .newRelic(), .cloudWatch(), .wavefront(), .graphite(), .influxdb() or .kayenta()'));
    if (providers.length > 1) out.push(v('analysis-metric-provider', `${at} providers ${show(providers)}: multiple providers specified`, 'keep exactly one provider per metric'));
    const dd: Json | undefined = m.provider?.datadog;
    if (dd) {
      if ((dd.query === undefined) === (dd.queries === undefined)) {
        out.push(v('analysis-datadog', `${at} datadog: set exactly one of query and queries`, 'use query for one series, or queries with a formula'));
      }
      if (dd.formula !== undefined && dd.queries === undefined) out.push(v('analysis-datadog', `${at} datadog formula ${show(dd.formula)}: a formula needs queries`, 'name the queries the formula uses'));
      if (dd.queries !== undefined && dd.apiVersion === 'v1') out.push(v('analysis-datadog', `${at} datadog: queries and formula need apiVersion v2`, 'use apiVersion v2'));
    }
    const cw: Json | undefined = m.provider?.cloudWatch;
    (cw?.metricDataQueries ?? []).forEach((q: Json, j: number) => {
      if ((q.expression === undefined) === (q.metricStat === undefined)) {
        out.push(v('analysis-cloudwatch', `${at} cloudWatch.metricDataQueries[${j}] ${show(q.id)}: set exactly one of expression and metricStat`, 'read a metric with metricStat, or combine queries with an expression'));
      }
    });
  }
  return out;
}

/**
 * Rule 28: a metric runs indefinitely when it has an interval but no count; analyses that gate a step or a
 * promotion must terminate.
 */
export function terminationViolations(template: Json, where: string): V[] {
  const out: V[] = [];
  for (const m of template.spec?.metrics ?? []) {
    const count = m.count;
    if (m.interval !== undefined && (count === undefined || count === 0 || count === '0')) {
      out.push(v('analysis-metric-terminates', `${where}: AnalysisTemplate ${show(template.metadata?.name)} has metric ${show(m.name)} which runs indefinitely. Invalid value for count: ${show(count)}`,
        'give the metric a count, or run the template as background analysis'));
    }
  }
  return out;
}

/** Rule 28: every template arg without a value is supplied by the referencing analysis, and every `{{args.x}}` is declared. */
export function argResolutionViolations(templates: Json[], supplied: Json[] | undefined, where: string): V[] {
  const out: V[] = [];
  const given = new Set((supplied ?? []).map((a) => a.name));
  const declared = new Set<string>();
  for (const t of templates) {
    for (const a of t.spec?.args ?? []) {
      declared.add(a.name);
      if (a.value === undefined && a.valueFrom === undefined && !given.has(a.name)) {
        out.push(v('analysis-args-resolve', `${where}: args.${a.name} was not resolved (AnalysisTemplate ${show(t.metadata?.name)} declares it without a value)`,
          `pass AnalysisArg.value(${show(a.name)}, …) in the analysis that references the template`));
      }
    }
  }
  for (const t of templates) {
    const text = JSON.stringify(t.spec?.metrics ?? []);
    for (const m of text.matchAll(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g)) {
      if (!declared.has(m[1])) {
        out.push(v('analysis-args-resolve', `${where}: args.${m[1]} was not resolved (AnalysisTemplate ${show(t.metadata?.name)} uses it but declares no such arg)`,
          `declare the arg with addArg(${show(m[1])})`));
      }
    }
  }
  // duplicate metric names across the templates of one analysis
  const names = new Set<string>();
  for (const t of templates) {
    for (const m of t.spec?.metrics ?? []) {
      if (names.has(m.name)) out.push(v('analysis-metric-names', `${where}: duplicate metric name ${show(m.name)} across the referenced templates`, 'rename one of the metrics'));
      names.add(m.name);
    }
  }
  return out;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** apimachinery `IsQualifiedName`: an optional DNS-subdomain prefix and a name part of at most 63 characters. */
function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'";
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return 'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\'';
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  return QUALIFIED_NAME.test(name) ? undefined : NAME_PART;
}

/** apimachinery `ValidateLabels` over one label map. */
function labelViolations(labels: Json | undefined, where: string): V[] {
  const out: V[] = [];
  for (const [k, val] of Object.entries(labels ?? {})) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) out.push(v('kubernetes-labels', `${where}: Invalid value: ${show(k)}: ${keyProblem}`, "use label keys like 'app' or 'example.com/tier'"));
    const text = String(val);
    if (text.length > 63 || (text.length > 0 && !QUALIFIED_NAME.test(text))) {
      out.push(v('kubernetes-labels', `${where}: Invalid value: ${show(val)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        'use at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit'));
    }
  }
  return out;
}

/**
 * The apiserver's `ValidateLabelSelector` and the label and container-name parts of
 * `ValidatePodTemplateSpecForReplicaSet`, which Argo runs on Rollout and Experiment pod templates. Templates built
 * by cdk8s-plus already pass them; plain-object templates get the same checks here.
 */
export function podTemplateKubernetesViolations(selector: Json | undefined, template: Json | undefined, where: string): V[] {
  const out: V[] = [];
  out.push(...labelViolations(selector?.matchLabels, `${where}.selector.matchLabels`));
  (selector?.matchExpressions ?? []).forEach((e: Json, i: number) => {
    const problem = qualifiedNameProblem(String(e.key ?? ''));
    if (problem) out.push(v('kubernetes-labels', `${where}.selector.matchExpressions[${i}].key: Invalid value: ${show(e.key)}: ${problem}`, "use label keys like 'app' or 'example.com/tier'"));
  });
  out.push(...labelViolations(template?.metadata?.labels, `${where}.template.metadata.labels`));
  for (const kind of ['containers', 'initContainers', 'ephemeralContainers']) {
    (template?.spec?.[kind] ?? []).forEach((c: Json, i: number) => {
      if (typeof c.name === 'string' && c.name.length > 0 && !(c.name.length <= 63 && DNS_LABEL.test(c.name))) {
        out.push(v('rollout-pod-template', `${where}.template.spec.${kind}[${i}].name: Invalid value: ${show(c.name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
          "name the container with lowercase letters, digits and '-', e.g. 'upper-case'"));
      }
    });
  }
  return out;
}

/** Rule 30: `VerifyExperimentSpec`, and each template's selector must match its pod labels. */
export function experimentViolations(spec: Json): V[] {
  const out: V[] = [];
  const pds = spec.progressDeadlineSeconds ?? 600;
  const templates: Json[] = spec.templates ?? [];
  if (templates.length === 0) out.push(v('experiment-template', 'spec.templates is empty', 'add a template with addTemplate()'));
  out.push(...experimentTemplateNameViolations(templates, 'spec'));
  templates.forEach((t, i) => {
    const at = `spec.templates[${i}] ${show(t.name)}`;
    const sel: Json | undefined = t.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      out.push(v('experiment-template', `${at} selector ${show(sel)}: selector must be set and must not select every pod`, 'select the template pods by their labels'));
    }
    if ((t.minReadySeconds ?? 0) > pds) {
      out.push(v('experiment-template', `${at} minReadySeconds ${show(t.minReadySeconds)}: must be <= progressDeadlineSeconds ${pds}`, 'lower minReadySeconds or raise progressDeadlineSeconds'));
    }
    out.push(...podTemplateKubernetesViolations(sel, t.template, `spec.templates[${i}]`));
    const labels: Json = t.template?.metadata?.labels ?? {};
    for (const [k, val] of Object.entries(sel?.matchLabels ?? {})) {
      if (labels[k] !== val) {
        out.push(v('experiment-template', `${at}: \`selector\` does not match template \`labels\` (${k}=${show(val)})`, 'use the pod labels as the selector'));
        break;
      }
    }
  });
  return out;
}

/** Rule 25: every selector label of a Service (except the pod-template hash) must equal the pod label. */
export function serviceSelectsViolations(service: Json, podLabels: Json, role: string): V[] {
  const out: V[] = [];
  for (const [k, val] of Object.entries(service.spec?.selector ?? {})) {
    if (k === POD_TEMPLATE_HASH) continue;
    if (podLabels[k] !== val) {
      out.push(v('service-selects-rollout', `${role} Service ${show(service.metadata?.name)} has unmatch label ${show(k)} in rollout (selector ${k}=${show(val)}, pod labels ${show(podLabels)})`,
        "select the Rollout's pods by labels its pod template carries"));
    }
  }
  return out;
}

/** True if the step list has a step of `kind`. */
export function hasStep(steps: Json[] | undefined, kind: string): boolean {
  return (steps ?? []).some((s) => s[kind] !== undefined);
}

function hostIs(host: unknown, service: string): boolean {
  return typeof host === 'string' && (host === service || host.startsWith(`${service}.`));
}

/**
 * Rule 26 (`rollout/trafficrouting/istio`): the VirtualService the Rollout steers has the named routes (or exactly
 * one HTTP route outside managedRoutes), and each steered route sends to both canary and stable (Services or
 * DestinationRule subsets).
 */
export function istioRouteViolations(canary: Json, vsRef: Json, vs: Json | undefined, dr: Json | undefined): V[] {
  const out: V[] = [];
  const istio: Json = canary.trafficRouting?.istio ?? {};
  if (!vs) return out;
  const managed = new Set((canary.trafficRouting?.managedRoutes ?? []).map((r: Json) => r.name));
  const http: Json[] = vs.spec?.http ?? [];
  let steered: Json[];
  if (vsRef.routes && vsRef.routes.length > 0) {
    steered = [];
    for (const name of vsRef.routes) {
      const r = http.find((h) => h.name === name);
      if (!r) {
        out.push(v('istio-virtual-service-routes', `VirtualService ${show(vsRef.name)} route ${show(name)}: HTTP Route '${name}' is not found in the defined Virtual Service`,
          `name an HTTP route ${show(name)} in the VirtualService or fix routes (has: ${show(http.map((h) => h.name))})`));
      } else steered.push(r);
    }
  } else if ((vsRef.tlsRoutes ?? []).length === 0 && (vsRef.tcpRoutes ?? []).length === 0) {
    steered = http.filter((h) => !managed.has(h.name));
    if (steered.length !== 1) {
      out.push(v('istio-virtual-service-routes', `VirtualService ${show(vsRef.name)} has ${steered.length} HTTP routes outside managedRoutes: spec.http[] should be set to exactly one route when routes is omitted`,
        'name the routes to steer in virtualService.routes'));
      steered = [];
    }
  } else steered = [];
  // TLS and TCP routes are found by their match (port, SNI hosts), as the controller does
  const l4 = (kind: 'tls' | 'tcp', want: Json): void => {
    const routes: Json[] = vs.spec?.[kind] ?? [];
    const hit = routes.find((r) => (r.match ?? []).some((m: Json) => (want.port === undefined || m.port === want.port)
      && (kind === 'tcp' || (want.sniHosts ?? []).every((h: string) => (m.sniHosts ?? []).includes(h)))));
    if (!hit) {
      out.push(v('istio-virtual-service-routes', `VirtualService ${show(vsRef.name)} ${kind}Routes ${show(want)}: ${kind.toUpperCase()} Route not found in the defined Virtual Service`,
        `add a ${kind} route matching ${show(want)} to the VirtualService`));
    } else steered.push({ ...hit, name: `${kind}:${want.port ?? ''}` });
  };
  for (const t of vsRef.tlsRoutes ?? []) l4('tls', t);
  for (const t of vsRef.tcpRoutes ?? []) l4('tcp', t);
  for (const r of steered) {
    const dests: Json[] = (r.route ?? []).map((d: Json) => d.destination ?? {});
    const label = `VirtualService ${show(vsRef.name)} route ${show(r.name ?? '')}`;
    if (istio.destinationRule) {
      const { canarySubsetName, stableSubsetName } = istio.destinationRule;
      if (!dests.some((d) => d.subset === canarySubsetName)) {
        out.push(v('istio-route-destinations', `${label}: Canary DestinationRule subset '${canarySubsetName}' not found in route`, `add a destination with subset ${show(canarySubsetName)} (weight 0)`));
      }
      if (!dests.some((d) => d.subset === stableSubsetName)) {
        out.push(v('istio-route-destinations', `${label}: Stable DestinationRule subset '${stableSubsetName}' not found in route`, `add a destination with subset ${show(stableSubsetName)} (weight 100)`));
      }
    } else {
      if (canary.canaryService && !dests.some((d) => hostIs(d.host, canary.canaryService))) {
        out.push(v('istio-route-destinations', `${label}: Canary Service '${canary.canaryService}' not found in route`, `add a destination with host ${show(canary.canaryService)} (weight 0)`));
      }
      if (canary.stableService && !dests.some((d) => hostIs(d.host, canary.stableService))) {
        out.push(v('istio-route-destinations', `${label}: Stable Service '${canary.stableService}' not found in route`, `add a destination with host ${show(canary.stableService)} (weight 100)`));
      }
    }
  }
  if (istio.destinationRule && dr) {
    const subsets = new Set((dr.spec?.subsets ?? []).map((s: Json) => s.name));
    for (const n of [istio.destinationRule.canarySubsetName, istio.destinationRule.stableSubsetName]) {
      if (!subsets.has(n)) {
        out.push(v('istio-route-destinations', `DestinationRule ${show(istio.destinationRule.name)} has no subset ${show(n)} (has ${show([...subsets])})`, `add subset ${show(n)} to the DestinationRule`));
      }
    }
  }
  return out;
}

/** Rule 27: the stable Ingress has a rule whose backend is the stable (or ALB root) Service. */
export function ingressViolations(ingress: Json, service: string): V[] {
  for (const rule of ingress.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      if (p.backend?.service?.name === service) return [];
    }
  }
  if (ingress.spec?.defaultBackend?.service?.name === service) return [];
  return [v('ingress-stable-backend', `ingress ${show(ingress.metadata?.name)} has no rules using service ${show(service)} backend`,
    `route a path of the Ingress to Service ${show(service)}`)];
}

/** Rule 26/27 (XOR halves): one form of each router reference. */
export function routerRefViolations(tr: Json | undefined): V[] {
  const out: V[] = [];
  if (!tr) return out;
  if (tr.istio && !!tr.istio.virtualService === !!tr.istio.virtualServices) {
    out.push(v('istio-virtual-service-routes', 'trafficRouting.istio: either virtualService or virtualServices must be configured', 'set exactly one of them'));
  }
  if (tr.nginx && !!tr.nginx.stableIngress === !!tr.nginx.stableIngresses) {
    out.push(v('ingress-stable-backend', 'trafficRouting.nginx: either stableIngress or stableIngresses must be configured', 'set exactly one of them'));
  }
  if (tr.alb && !!tr.alb.ingress === !!tr.alb.ingresses) {
    out.push(v('ingress-stable-backend', 'trafficRouting.alb: either ingress or ingresses must be configured', 'set exactly one of them'));
  }
  return out;
}
