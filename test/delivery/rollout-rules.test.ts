import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import * as r from '../../lib/delivery/rollouts';
import { LABELS, POD, routedVs, service, successRate } from './fixtures';
import { expectEager, expectRule, synthError } from './rules';
import * as v from '../../lib/delivery/rollouts/validation';

const template = () => r.PodTemplate.of({ labels: LABELS, spec: POD });

function canary(strategy: r.CanaryStrategyProps = {}, props: r.RolloutProps = {}): { chart: Chart; ro: r.Rollout } {
  const chart = Testing.chart();
  const ro = new r.Rollout(chart, 'Web', { name: 'web', template: template(), strategy: r.RolloutStrategy.canary(strategy), ...props });
  return { chart, ro };
}

const istio = (extra: Partial<r.IstioTrafficRoutingProps> = {}) =>
  r.TrafficRouting.istio({ virtualService: { virtualService: { name: 'web' } }, ...extra });
const services = { canaryService: { name: 'web-canary' }, stableService: { name: 'web-stable' } };
const patch = (ro: r.Rollout, ...ops: JsonPatch[]) => ApiObject.of(ro).addJsonPatch(...ops);

describe('Rollout spec rules (research §1.4)', () => {
  test('rule rollout-non-negative: negative replicas fail eagerly; a negative progressDeadlineSeconds fails at synth (§1.4.1)', () => {
    expectEager(() => canary({}, { replicas: -1 }), 'rollout-non-negative', 'test/Web', 'replicas -1');
    const { chart, ro } = canary();
    patch(ro, JsonPatch.add('/spec/progressDeadlineSeconds', -5));
    expectRule(chart, 'rollout-non-negative', 'test/Web', 'spec.progressDeadlineSeconds -5', 'must be greater than or equal to 0');
  });

  test('rule rollout-selector: no selector and no workloadRef, or an empty selector (§1.4.2)', () => {
    const chart = Testing.chart();
    new r.Rollout(chart, 'Bare', { strategy: r.RolloutStrategy.canary() });
    expectRule(chart, 'rollout-selector', 'test/Bare', "Rollout has missing field '.spec.selector'");
    const c2 = Testing.chart();
    new r.Rollout(c2, 'Empty', { template: r.PodTemplate.of({ labels: {}, spec: POD }) });
    expectRule(c2, 'rollout-selector', 'test/Empty', 'empty selector is invalid for deployment');
  });

  test('rule rollout-workload-ref-template: a template next to a workloadRef (§1.4.3)', () => {
    expectEager(() => canary({}, { workloadRef: r.WorkloadRef.deployment({ name: 'web' }) }), 'rollout-workload-ref-template', 'test/Web',
      'template must be empty for workload reference rollout');
    const chart = Testing.chart();
    const ro = new r.Rollout(chart, 'Ref', { workloadRef: r.WorkloadRef.deployment({ name: 'web' }), selector: LABELS });
    patch(ro, JsonPatch.add('/spec/template', { metadata: { labels: { app: 'web' } } }));
    expectRule(chart, 'rollout-workload-ref-template', 'test/Ref', 'template must be empty for workload reference rollout', '"web"');
  });

  test('rule rollout-pod-template: selector must match the template labels; containers need a name and image (§1.4.4)', () => {
    const { chart } = canary({}, { selector: { app: 'other' } });
    expectRule(chart, 'rollout-pod-template', 'test/Web', '`selector` does not match template `labels`', 'app="other"');
    const c2 = Testing.chart();
    new r.Rollout(c2, 'NoImage', { template: r.PodTemplate.of({ labels: LABELS, spec: { containers: [{ name: 'app' }] } }) });
    expectRule(c2, 'rollout-pod-template', 'test/NoImage', 'containers[0].image: Required value');
    const c3 = Testing.chart();
    new r.Rollout(c3, 'Job', { template: r.PodTemplate.of({ labels: LABELS, spec: { ...POD, restartPolicy: 'Never' } }) });
    expectRule(c3, 'rollout-pod-template', 'test/Job', 'restartPolicy "Never": Unsupported value: supported values: "Always"');
    const c4 = Testing.chart();
    new r.Rollout(c4, 'Dup', { template: r.PodTemplate.of({ labels: LABELS, spec: { containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 70000 }] }, { name: 'a', image: 'i' }] } }) });
    expectRule(c4, 'rollout-pod-template', 'test/Dup', 'containers[1].name "a": Duplicate value');
    expectRule(c4, 'rollout-pod-template', 'test/Dup', 'containerPort 70000: must be between 1 and 65535, inclusive');
  });

  test('rule rollout-progress-deadline: progressDeadlineSeconds must exceed minReadySeconds (§1.4.5)', () => {
    const { chart } = canary({}, { minReadySeconds: 600 });
    expectRule(chart, 'rollout-progress-deadline', 'test/Web', 'progressDeadlineSeconds 600 must be greater than minReadySeconds 600');
  });

  test('rule rollout-strategy: neither or both strategies (§1.4.6)', () => {
    const { chart, ro } = canary();
    patch(ro, JsonPatch.add('/spec/strategy/blueGreen', { activeService: 'web' }));
    expectRule(chart, 'rollout-strategy', 'test/Web', 'Multiple Strategies can not be listed');
    const c2 = canary();
    patch(c2.ro, JsonPatch.remove('/spec/strategy/canary'));
    expectRule(c2.chart, 'rollout-strategy', 'test/Web', "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'");
    const c3 = Testing.chart();
    const bg = new r.Rollout(c3, 'Bg', { template: template(), strategy: r.RolloutStrategy.blueGreen({ activeService: { name: 'a' } }) });
    expectEager(() => bg.addStep(r.CanaryStep.setWeight(1)), 'rollout-strategy', 'test/Bg', 'only canary Rollouts have steps');
  });
});

describe('blueGreen rules', () => {
  const blueGreen = (p: Partial<r.BlueGreenStrategyProps>, props: r.RolloutProps = {}) => {
    const chart = Testing.chart();
    new r.Rollout(chart, 'Cart', { template: template(), strategy: r.RolloutStrategy.blueGreen({ activeService: { name: 'cart' }, ...p }), ...props });
    return chart;
  };

  test('rule bluegreen-distinct-services: active and preview Services must differ (§1.4.7)', () => {
    expectRule(blueGreen({ previewService: { name: 'cart' } }), 'bluegreen-distinct-services', 'test/Cart',
      'This rollout uses the same service for the active and preview services, but two different services are required.', '"cart"');
  });

  test('rule bluegreen-scale-down-revision-limit: scaleDownDelayRevisionLimit above revisionHistoryLimit (§1.4.8)', () => {
    expectRule(blueGreen({ scaleDownDelayRevisionLimit: 5 }, { revisionHistoryLimit: 2 }), 'bluegreen-scale-down-revision-limit', 'test/Cart',
      "This rollout's revision history limit can not be smaller than the rollout's scale down limit", 'scaleDownDelayRevisionLimit 5');
  });

  test('rule anti-affinity: preferred weight 1..100 and exactly one strategy (§1.4.9, §1.4.24)', () => {
    expectRule(blueGreen({ antiAffinity: r.AntiAffinity.preferred(0) }), 'anti-affinity', 'test/Cart', 'preferred weight 0', 'between 1 and 100');
    const { chart, ro } = canary({ antiAffinity: r.AntiAffinity.required() });
    patch(ro, JsonPatch.add('/spec/strategy/canary/antiAffinity/preferredDuringSchedulingIgnoredDuringExecution', { weight: 10 }));
    expectRule(chart, 'anti-affinity', 'test/Web', 'AntiAffinity must have exactly one strategy listed');
  });
});

describe('canary rules', () => {
  test('rule canary-surge-unavailable: maxSurge and maxUnavailable both zero (§1.4.10)', () => {
    const { chart } = canary({ maxSurge: r.IntOrPercent.count(0), maxUnavailable: r.IntOrPercent.percent(0) });
    expectRule(chart, 'canary-surge-unavailable', 'test/Web', 'MaxSurge and MaxUnavailable both can not be zero', 'maxSurge 0');
  });

  test('rule canary-distinct-services: canary and stable Services must differ (§1.4.11)', () => {
    const { chart } = canary({ canaryService: { name: 'web' }, stableService: { name: 'web' } });
    expectRule(chart, 'canary-distinct-services', 'test/Web',
      'This rollout uses the same service for the stable and canary services, but two different services are required.');
  });

  test('rule canary-traffic-routing-services: host-level routers need both Services (§1.4.12)', () => {
    const { chart } = canary({ trafficRouting: istio(), canaryService: { name: 'web-canary' } });
    expectRule(chart, 'canary-traffic-routing-services', 'test/Web', 'Canary service and Stable service must to be set to use Traffic Routing', 'stableService undefined');
    const c2 = canary({ trafficRouting: r.TrafficRouting.smi() });
    expectRule(c2.chart, 'canary-traffic-routing-services', 'test/Web', 'Canary service and Stable service must to be set');
  });

  test('rule canary-ping-pong: two different Services and a router that supports it (§1.4.13)', () => {
    const { chart } = canary({ pingPong: { pingService: { name: 'p' }, pongService: { name: 'p' } }, trafficRouting: istio() });
    expectRule(chart, 'canary-ping-pong', 'test/Web', 'ping and pong services must both be set and differ');
    const c2 = canary({ ...services, pingPong: { pingService: { name: 'ping' }, pongService: { name: 'pong' } }, trafficRouting: r.TrafficRouting.smi() });
    expectRule(c2.chart, 'canary-ping-pong', 'test/Web', 'only supported with ALB, Istio and plugins');
    const c3 = canary({ pingPong: { pingService: { name: 'ping' }, pongService: { name: 'pong' } }, trafficRouting: r.TrafficRouting.alb({ ingress: { name: 'i' }, servicePort: 80 }) });
    expectRule(c3.chart, 'canary-ping-pong', 'test/Web', 'alb.rootService');
  });

  test('rule canary-needs-traffic-routing: scaleDownDelaySeconds and dynamicStableScale need a router (§1.4.14)', () => {
    const { chart } = canary({ scaleDownDelay: Duration.seconds(30) });
    expectRule(chart, 'canary-needs-traffic-routing', 'test/Web', 'Canary scaleDownDelaySeconds can only be used with traffic routing', 'scaleDownDelaySeconds 30');
    const c2 = canary({ dynamicStableScale: true });
    expectRule(c2.chart, 'canary-needs-traffic-routing', 'test/Web', 'Canary dynamicStableScale can only be used with traffic routing');
  });

  test('rule canary-dynamic-stable-scale: not together with scaleDownDelaySeconds (§1.4.15)', () => {
    const { chart } = canary({ ...services, trafficRouting: istio(), dynamicStableScale: true, scaleDownDelay: Duration.seconds(10) });
    expectRule(chart, 'canary-dynamic-stable-scale', 'test/Web', 'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds');
  });

  test('rule canary-max-traffic-weight: only NGINX and plugins (§1.4.15)', () => {
    const { chart } = canary({ ...services, trafficRouting: istio({ maxTrafficWeight: 1000 }) });
    expectRule(chart, 'canary-max-traffic-weight', 'test/Web', 'Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins', 'maxTrafficWeight 1000');
    const ok = canary({ ...services, trafficRouting: r.TrafficRouting.plugin('argoproj-labs/gatewayAPI', { httpRoute: 'web' }, { maxTrafficWeight: 1000 }),
      steps: [r.CanaryStep.setWeight(900)] });
    service(ok.chart, 'web-canary');
    service(ok.chart, 'web-stable');
    expect(synthError(ok.chart)).toBe('');
  });
});

describe('canary step rules', () => {
  test('rule canary-step-kind: an empty step, or two actions in one step (§1.4.16)', () => {
    const { chart, ro } = canary({ steps: [r.CanaryStep.setWeight(10)] });
    patch(ro, JsonPatch.add('/spec/strategy/canary/steps/-', {}));
    expectRule(chart, 'canary-step-kind', 'test/Web', 'steps[1] {}: Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause');
    const c2 = canary({ steps: [r.CanaryStep.setWeight(10)] });
    patch(c2.ro, JsonPatch.add('/spec/strategy/canary/steps/0/pause', {}));
    expectRule(c2.chart, 'canary-step-kind', 'test/Web', 'steps[0]', 'Step must have one of the following set');
  });

  test('rule canary-set-weight: 0..maxTrafficWeight (§1.4.17)', () => {
    const { chart } = canary({ steps: [r.CanaryStep.setWeight(150)] });
    expectRule(chart, 'canary-set-weight', 'test/Web', 'steps[0].setWeight 150: SetWeight needs to be between 0 and 100');
    const c2 = canary({ steps: [r.CanaryStep.setWeight(-1)] });
    expectRule(c2.chart, 'canary-set-weight', 'test/Web', 'setWeight -1');
  });

  test('rule canary-pause-duration: an unparsable or negative duration (§1.4.18)', () => {
    const { chart, ro } = canary({ steps: [r.CanaryStep.pause(Duration.minutes(1))] });
    patch(ro, JsonPatch.replace('/spec/strategy/canary/steps/0/pause/duration', 'ten minutes'));
    expectRule(chart, 'canary-pause-duration', 'test/Web', 'steps[0].pause.duration "ten minutes": Duration needs to be greater than 0');
    const c2 = canary({ steps: [r.CanaryStep.pause(Duration.minutes(1))] });
    patch(c2.ro, JsonPatch.replace('/spec/strategy/canary/steps/0/pause/duration', -3));
    expectRule(c2.chart, 'canary-pause-duration', 'test/Web', 'duration -3');
  });

  test('valid pause forms: int seconds, integer strings, Go durations, zero and no duration', () => {
    for (const d of [30, 0, '30', '40s', '1h', '1.5h', '2h45m', '300ms']) expect(v.rolloutSpecViolations({ spec: {
      selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: POD },
      strategy: { canary: { steps: [{ pause: { duration: d } }, { pause: {} }] } },
    } })).toEqual([]);
  });

  test('rule canary-set-canary-scale: needs traffic routing (§1.4.19)', () => {
    const { chart } = canary({ steps: [r.CanaryStep.setCanaryScale(r.CanaryScale.replicas(2))] });
    expectRule(chart, 'canary-set-canary-scale', 'test/Web', 'SetCanaryScale requires TrafficRouting to be set', '{"replicas":2}');
  });

  test('rule canary-set-header-route: Istio/ALB/Apisix/plugins only; one match kind; ALB exact only (§1.4.20)', () => {
    const step = r.CanaryStep.setHeaderRoute('testers', [{ headerName: 'x', headerValue: r.StringMatch.regex('a.*') }]);
    const nginx = canary({ ...services, trafficRouting: r.TrafficRouting.nginx({ stableIngress: { name: 'i' }, managedRoutes: ['testers'] }), steps: [step] });
    expectRule(nginx.chart, 'canary-set-header-route', 'test/Web', 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix');
    const alb = canary({ ...services, trafficRouting: r.TrafficRouting.alb({ ingress: { name: 'i' }, servicePort: 80, managedRoutes: ['testers'] }), steps: [step] });
    expectRule(alb.chart, 'canary-set-header-route', 'test/Web', 'ALB supports only exact header matches');
    const both = canary({ ...services, trafficRouting: istio({ managedRoutes: ['testers'] }), steps: [r.CanaryStep.setHeaderRoute('testers', [{ headerName: 'x', headerValue: r.StringMatch.exact('a') }])] });
    patch(both.ro, JsonPatch.add('/spec/strategy/canary/steps/0/setHeaderRoute/match/0/headerValue/prefix', 'b'));
    expectRule(both.chart, 'canary-set-header-route', 'test/Web', 'set exactly one of exact, regex or prefix');
  });

  test('rule canary-set-mirror-route: Istio and plugins only; one match kind per field (§1.4.21)', () => {
    const step = r.CanaryStep.setMirrorRoute({ name: 'shadow', percentage: 10, match: [{ path: r.StringMatch.prefix('/') }] });
    const plain = canary({ steps: [step] });
    expectRule(plain.chart, 'canary-set-mirror-route', 'test/Web', 'SetMirrorRoute requires TrafficRouting, supports Istio and Plugins', '"none"');
    const both = canary({ ...services, trafficRouting: istio({ managedRoutes: ['shadow'] }), steps: [step] });
    patch(both.ro, JsonPatch.add('/spec/strategy/canary/steps/0/setMirrorRoute/match/0/path/exact', '/x'));
    expectRule(both.chart, 'canary-set-mirror-route', 'test/Web', 'match[0].path', 'set exactly one of exact, regex or prefix');
  });

  test('rule canary-managed-routes: header and mirror routes must be listed in managedRoutes (§1.4.22)', () => {
    const none = canary({ ...services, trafficRouting: istio(), steps: [r.CanaryStep.setHeaderRoute('testers')] });
    expectRule(none.chart, 'canary-managed-routes', 'test/Web', "Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'");
    const other = canary({ ...services, trafficRouting: istio({ managedRoutes: ['a'] }), steps: [r.CanaryStep.setMirrorRoute({ name: 'shadow' })] });
    expectRule(other.chart, 'canary-managed-routes', 'test/Web', 'route "shadow": Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes');
  });

  test('rule canary-experiment-weight: weighted experiment templates need SMI, ALB, Istio or plugins (§1.4.23)', () => {
    const exp = r.CanaryStep.experiment({ templates: [{ name: 'b', specRef: r.SpecRef.STABLE, weight: 5 }] });
    const plain = canary({ steps: [exp] });
    expectRule(plain.chart, 'canary-experiment-weight', 'test/Web', 'steps[0].experiment.templates[0].weight 5', 'Experiment template weight cannot be set unless TrafficRouting is enabled');
    const nginx = canary({ ...services, trafficRouting: r.TrafficRouting.nginx({ stableIngress: { name: 'i' } }),
      steps: [r.CanaryStep.setWeight(10), r.CanaryStep.experiment({ templates: [{ name: 'a', specRef: r.SpecRef.CANARY }, { name: 'b', specRef: r.SpecRef.STABLE, weight: 5 }] })] });
    expectRule(nginx.chart, 'canary-experiment-weight', 'test/Web', 'steps[1].experiment.templates[1].weight 5 with trafficRouting "nginx"',
      'only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time');
  });

  test('rule analysis-args-field-ref: metadata field refs must exist on the Rollout (§1.4.23)', () => {
    const chart = Testing.chart();
    const t = new r.AnalysisTemplate(chart, 'T', { name: 't', args: [r.TemplateArg.required('team')],
      metrics: [{ name: 'm', provider: r.MetricProvider.web({ url: 'http://x/{{args.team}}' }) }] });
    new r.Rollout(chart, 'Web', { template: template(), labels: { team: 'shop' }, strategy: r.RolloutStrategy.canary({
      steps: [r.CanaryStep.analysis({ templates: [t], args: [r.AnalysisArg.fieldRef('team', "metadata.labels['owner']")] })] }) });
    expectRule(chart, 'analysis-args-field-ref', 'test/Web', "fieldPath \"metadata.labels['owner']\": Analyses arguments must refer to valid object metadata supported by downwardAPI");
    const ok = Testing.chart();
    const t2 = new r.AnalysisTemplate(ok, 'T', { name: 't', args: [r.TemplateArg.required('team')], metrics: [{ name: 'm', provider: r.MetricProvider.web({ url: 'http://x/{{args.team}}' }) }] });
    new r.Rollout(ok, 'Web', { template: template(), labels: { team: 'shop' }, strategy: r.RolloutStrategy.canary({
      steps: [r.CanaryStep.analysis({ templates: [t2], args: [r.AnalysisArg.fieldRef('team', "metadata.labels['team']")] })] }) });
    expect(synthError(ok)).toBe('');
  });
});

describe('reference checks (validation_references.go)', () => {
  test('rule service-selects-rollout: a Service selecting labels the pods lack (§1.4.25)', () => {
    const { chart } = canary({ ...services });
    service(chart, 'web-canary', { app: 'web', tier: 'front' });
    service(chart, 'web-stable', { app: 'web', [r.POD_TEMPLATE_HASH]: 'abc' });
    expectRule(chart, 'service-selects-rollout', 'test/Web', 'canary Service "web-canary" has unmatch label "tier" in rollout');
    expect(synthError(chart)).not.toContain('web-stable');
    // a Service is managed by one Rollout only
    const c2 = Testing.chart();
    new r.Rollout(c2, 'A', { template: template(), strategy: r.RolloutStrategy.blueGreen({ activeService: { name: 'web' } }) });
    new r.Rollout(c2, 'B', { template: template(), strategy: r.RolloutStrategy.blueGreen({ activeService: { name: 'web' }, previewService: { name: 'web-preview' } }) });
    expectRule(c2, 'service-selects-rollout', 'test', 'Service "web" is managed by more than one Rollout (test/A, test/B)');
  });

  test('rule istio-virtual-service-routes: one of virtualService/virtualServices; named routes must exist; one route when unnamed (§1.4.26)', () => {
    const { chart } = canary({ ...services, trafficRouting: r.TrafficRouting.istio({ virtualService: { virtualService: { name: 'web' }, routes: ['missing'] } }) });
    routedVs(chart);
    expectRule(chart, 'istio-virtual-service-routes', 'test/Web', "HTTP Route 'missing' is not found in the defined Virtual Service");
    const c2 = canary({ ...services, trafficRouting: r.TrafficRouting.istio({}) });
    expectRule(c2.chart, 'istio-virtual-service-routes', 'test/Web', 'either virtualService or virtualServices must be configured');
    const c3 = canary({ ...services, trafficRouting: istio() });
    routedVs(c3.chart).addHttpRoute({ name: 'second', route: [{ destination: { host: 'web-stable' } }] });
    expectRule(c3.chart, 'istio-virtual-service-routes', 'test/Web', 'has 2 HTTP routes outside managedRoutes');
    const c4 = canary({ ...services, trafficRouting: r.TrafficRouting.istio({ virtualService: { virtualService: { name: 'db' }, tcpRoutes: [{ port: 5433 }], tlsRoutes: [{ port: 443, sniHosts: ['db.example.com'] }] } }) });
    const m = require('../../lib/delivery/mesh');
    new m.VirtualService(c4.chart, 'Db', { name: 'db', hosts: ['db'],
      tcp: [{ port: 5432, route: [{ destination: { host: 'web-stable' }, weight: 100 }, { destination: { host: 'web-canary' }, weight: 0 }] }],
      tls: [{ port: 443, sniHosts: ['db.example.com'], route: [{ destination: { host: 'web-stable' }, weight: 100 }] }] });
    expectRule(c4.chart, 'istio-virtual-service-routes', 'test/Web', 'tcpRoutes {"port":5433}: TCP Route not found in the defined Virtual Service');
    expectRule(c4.chart, 'istio-route-destinations', 'test/Web', "route \"tls:443\": Canary Service 'web-canary' not found in route");
  });

  test('rule istio-route-destinations: the steered route must reach canary and stable (§1.4.26)', () => {
    const { chart } = canary({ ...services, trafficRouting: istio() });
    routedVs(chart, 'web', 'web-stable', 'web-other');
    expectRule(chart, 'istio-route-destinations', 'test/Web', "Canary Service 'web-canary' not found in route");
    const c2 = Testing.chart();
    const dr = new (require('../../lib/delivery/mesh').DestinationRule)(c2, 'Dr', { name: 'web', host: 'web', subsets: [{ name: 'stable' }] });
    new r.Rollout(c2, 'Web', { template: template(), strategy: r.RolloutStrategy.canary({ trafficRouting: r.TrafficRouting.istio({
      virtualService: { virtualService: routedVs(c2, 'web', 'web', 'web') }, destinationRule: { destinationRule: dr, canarySubsetName: 'canary', stableSubsetName: 'stable' } }) }) });
    const msg = synthError(c2);
    expect(msg).toContain("Stable DestinationRule subset 'stable' not found in route");
    expectRule(c2, 'istio-route-destinations', 'test/Web', "Canary DestinationRule subset 'canary' not found in route");
    expect(msg).toContain('has no subset "canary"');
  });

  test('rule ingress-stable-backend: the stable Ingress must route to the stable Service; one of ingress/ingresses (§1.4.27)', () => {
    const { chart } = canary({ ...services, trafficRouting: r.TrafficRouting.nginx({ stableIngress: { name: 'web' } }) });
    new ApiObject(chart, 'Ing', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } });
    expectRule(chart, 'ingress-stable-backend', 'test/Web', 'ingress "web" has no rules using service "web-stable" backend');
    const c2 = canary({ ...services, trafficRouting: r.TrafficRouting.alb({ ingress: { name: 'a' }, ingresses: [{ name: 'b' }], servicePort: 80 }) });
    expectRule(c2.chart, 'ingress-stable-backend', 'test/Web', 'either ingress or ingresses must be configured');
  });

  test('rule ambassador-mapping-weight: the stable Ambassador Mapping must not set a weight (§1.4.27)', () => {
    const { chart } = canary({ ...services, trafficRouting: r.TrafficRouting.ambassador(['web']) });
    new ApiObject(chart, 'Mapping', { apiVersion: 'getambassador.io/v3alpha1', kind: 'Mapping', metadata: { name: 'web' }, spec: { prefix: '/', service: 'web-stable', weight: 50 } });
    expectRule(chart, 'ambassador-mapping-weight', 'test/Web', 'Mapping "web" sets weight 50: the stable Mapping must not define a weight');
  });

  test('rule appmesh-weighted-targets: the VirtualRouter routes split between exactly two targets (§1.4.27)', () => {
    const { chart } = canary({ ...services, trafficRouting: r.TrafficRouting.appMesh({ virtualService: 'web', canaryVirtualNode: 'web-canary', stableVirtualNode: 'web-stable' }) });
    new ApiObject(chart, 'MeshVs', { apiVersion: 'appmesh.k8s.aws/v1beta2', kind: 'VirtualService', metadata: { name: 'web' },
      spec: { provider: { virtualRouter: { virtualRouterRef: { name: 'web-router' } } } } });
    new ApiObject(chart, 'Router', { apiVersion: 'appmesh.k8s.aws/v1beta2', kind: 'VirtualRouter', metadata: { name: 'web-router' },
      spec: { routes: [{ name: 'primary', httpRoute: { action: { weightedTargets: [{ virtualNodeRef: { name: 'web-stable' }, weight: 100 }] } } }] } });
    routedVs(chart); // an Istio VirtualService of the same name is not mistaken for the App Mesh one
    expectRule(chart, 'appmesh-weighted-targets', 'test/Web', 'route "primary" has 1 weightedTargets: the route must have exactly 2 weightedTargets');
  });

  test('rule analysis-args-resolve: args without value must be supplied, and every {{args.x}} declared (§1.4.28)', () => {
    const chart = Testing.chart();
    const t = successRate(chart);
    new r.Rollout(chart, 'Web', { template: template(), strategy: r.RolloutStrategy.canary({ steps: [r.CanaryStep.analysis({ templates: [t] })] }) });
    expectRule(chart, 'analysis-args-resolve', 'test/Web', 'steps[0].analysis: args.service-name was not resolved');
    const c2 = Testing.chart();
    const loose = new r.AnalysisTemplate(c2, 'Loose', { name: 'loose', metrics: [{ name: 'm', provider: r.MetricProvider.web({ url: 'http://x/{{args.host}}' }) }] });
    new r.Rollout(c2, 'Web', { template: template(), strategy: r.RolloutStrategy.canary({ analysis: { templates: [loose] } }) });
    expectRule(c2, 'analysis-args-resolve', 'test/Web', 'canary.analysis: args.host was not resolved');
    // a template referenced by name only is found in the chart
    const c3 = Testing.chart();
    successRate(c3);
    new r.Rollout(c3, 'Web', { template: template(), strategy: r.RolloutStrategy.blueGreen({ activeService: { name: 'a' },
      prePromotionAnalysis: { templates: [r.AnalysisTemplate.fromName('success-rate')] } }) });
    expectRule(c3, 'analysis-args-resolve', 'test/Web', 'blueGreen.prePromotionAnalysis: args.service-name was not resolved');
  });

  test('rule analysis-metric-terminates: step, pre- and post-promotion metrics must end; background ones may not (§1.4.28)', () => {
    const chart = Testing.chart();
    const forever = new r.AnalysisTemplate(chart, 'Forever', { name: 'forever',
      metrics: [{ name: 'rate', interval: Duration.minutes(1), provider: r.MetricProvider.web({ url: 'http://x' }) }] });
    new r.Rollout(chart, 'Web', { template: template(), strategy: r.RolloutStrategy.canary({ analysis: { templates: [forever] }, steps: [r.CanaryStep.analysis({ templates: [forever] })] }) });
    const msg = synthError(chart);
    expectRule(chart, 'analysis-metric-terminates', 'test/Web', 'steps[0].analysis: AnalysisTemplate "forever" has metric "rate" which runs indefinitely. Invalid value for count: undefined');
    expect(msg).not.toContain('canary.analysis: AnalysisTemplate');
  });
});

describe('metric rules (ValidateMetric)', () => {
  const tmpl = (metrics: r.MetricProps[]) => {
    const chart = Testing.chart();
    new r.AnalysisTemplate(chart, 'T', { name: 't', metrics });
    return chart;
  };
  const web = r.MetricProvider.web({ url: 'http://x' });

  test('rule analysis-metric-provider: exactly one provider (§1.4.29)', () => {
    const chart = Testing.chart();
    const t = new r.AnalysisTemplate(chart, 'T', { name: 't', metrics: [{ name: 'm', provider: web }] });
    ApiObject.of(t).addJsonPatch(JsonPatch.add('/spec/metrics/0/provider/prometheus', { address: 'http://p', query: 'up' }));
    expectRule(chart, 'analysis-metric-provider', 'test/T', 'metric "m" providers ["web","prometheus"]: multiple providers specified');
    const c2 = Testing.chart();
    const t2 = new r.AnalysisTemplate(c2, 'T', { name: 't', metrics: [{ name: 'm', provider: web }] });
    ApiObject.of(t2).addJsonPatch(JsonPatch.remove('/spec/metrics/0/provider/web'));
    expectRule(c2, 'analysis-metric-provider', 'test/T', 'no provider specified');
    // refused by the provider factory, thrown with the path of the template that takes the metric
    const both = r.MetricProvider.web({ url: 'x', body: 'a', jsonBody: {} });
    expectEager(() => new r.AnalysisTemplate(Testing.chart(), 'T', { metrics: [{ name: 'm', provider: both }] }), 'analysis-metric-provider', 'test/T', 'has both body and jsonBody');
  });

  test('rule analysis-metric-names: at least one metric, unique names (§1.4.29, §1.4.28)', () => {
    expectRule(tmpl([]), 'analysis-metric-names', 'test/T', 'metrics must contain at least one metric');
    expectRule(tmpl([{ name: 'm', provider: web }, { name: 'm', provider: web }]), 'analysis-metric-names', 'test/T', 'metric "m": duplicate metric name');
  });

  test('rule analysis-metric-limits: limit ranges (§1.4.29)', () => {
    expectRule(tmpl([{ name: 'm', provider: web, failureLimit: -2 }]), 'analysis-metric-limits', 'test/T', 'failureLimit -2: must be >= -1');
    expectRule(tmpl([{ name: 'm', provider: web, failureLimit: -1 }]), 'analysis-metric-limits', 'test/T', 'failureLimit -1 needs consecutiveSuccessLimit > 0');
    expectRule(tmpl([{ name: 'm', provider: web, consecutiveErrorLimit: -1 }]), 'analysis-metric-limits', 'test/T', 'consecutiveErrorLimit -1');
    expect(synthError(tmpl([{ name: 'm', provider: web, failureLimit: -1, consecutiveSuccessLimit: 3, interval: Duration.seconds(30) }]))).toBe('');
  });

  test('rule analysis-metric-count: count covers the limits; count > 1 needs an interval (§1.4.29)', () => {
    expectRule(tmpl([{ name: 'm', provider: web, count: 2, interval: Duration.seconds(5), failureLimit: 2, consecutiveSuccessLimit: 1 }]), 'analysis-metric-count', 'test/T',
      'count 2: count must be >= failureLimit 2 + consecutiveSuccessLimit 1');
    expectRule(tmpl([{ name: 'm', provider: web, count: 3 }]), 'analysis-metric-count', 'test/T', 'interval must be specified when count > 1');
    expectRule(tmpl([{ name: 'm', provider: web, count: 1, inconclusiveLimit: 2 }]), 'analysis-metric-count', 'test/T', 'count must be >= inconclusiveLimit 2');
  });

  test('rule analysis-metric-duration: interval and initialDelay are Go durations (§1.4.29)', () => {
    const chart = Testing.chart();
    const t = new r.AnalysisTemplate(chart, 'T', { name: 't', metrics: [{ name: 'm', provider: web, interval: Duration.minutes(1) }] });
    ApiObject.of(t).addJsonPatch(JsonPatch.replace('/spec/metrics/0/interval', '1 minute'));
    expectRule(chart, 'analysis-metric-duration', 'test/T', 'interval "1 minute": invalid interval string');
  });
});

describe('Experiment rules', () => {
  test('rule experiment-template: named, unique, selected, minReadySeconds within the deadline (§1.4.30)', () => {
    const chart = Testing.chart();
    new r.Experiment(chart, 'E', { progressDeadlineSeconds: 60, templates: [
      { name: 'a', template: template(), minReadySeconds: 120 },
      { name: 'a', template: template() },
      { name: 'b', template: r.PodTemplate.of({ labels: {}, spec: POD }) },
    ] });
    const msg = synthError(chart);
    expectRule(chart, 'experiment-template', 'test/E', 'minReadySeconds 120: must be <= progressDeadlineSeconds 60');
    expect(msg).toContain('templates[1] name "a": template names must be unique');
    expect(msg).toContain('selector must be set and must not select every pod');
    const step = canary({ ...services, trafficRouting: istio(), steps: [r.CanaryStep.experiment({ templates: [{ name: 'x', specRef: r.SpecRef.CANARY }, { name: 'x', specRef: r.SpecRef.STABLE }] })] });
    expectRule(step.chart, 'experiment-template', 'test/Web', 'steps[0].experiment.templates[1] name "x": template names must be unique');
  });

  test('experiment analyses resolve their args and required ones terminate', () => {
    const chart = Testing.chart();
    const t = successRate(chart);
    new r.Experiment(chart, 'E', { templates: [{ name: 'a', template: template() }], analyses: [{ name: 'x', template: t, requiredForCompletion: true }] });
    expectRule(chart, 'analysis-args-resolve', 'test/E', 'args.service-name was not resolved');
  });
});
