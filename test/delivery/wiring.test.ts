import { Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import { CanaryDelivery, CanaryRouting, Delivery, DeliveryAnalysis, PRIMARY_ROUTE } from '../../lib/delivery';
import * as r from '../../lib/delivery/rollouts';
import { Microservice } from '../../lib/workloads';
import { wiringChart } from './fixtures-wiring';
import { expectEager, expectRule, synthError } from './rules';

const find = (docs: any[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

describe('Delivery wiring', () => {
  const docs = Testing.synth(wiringChart());

  test('the generated set is consistent (all reference rules pass) and stable', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toMatchSnapshot();
    expect(docs).toMatchSnapshot();
  });

  test('canary: Rollout, Services, VirtualService, AnalysisTemplate and HPA reference each other by name', () => {
    const ro = find(docs, 'Rollout', 'web').spec;
    const c = ro.strategy.canary;
    expect([c.canaryService, c.stableService]).toEqual(['web-canary', 'web-stable']);
    expect(find(docs, 'Service', 'web-canary').spec.selector).toEqual(ro.selector.matchLabels);
    expect(find(docs, 'Service', 'web-stable').spec.selector).toEqual(ro.selector.matchLabels);
    expect(c.trafficRouting.istio.virtualService).toEqual({ name: 'web', routes: [PRIMARY_ROUTE] });
    const vs = find(docs, 'VirtualService', 'web').spec;
    expect(vs.hosts).toEqual(['web']);
    expect(vs.http[0].route.map((d: any) => [d.destination.host, d.weight])).toEqual([['web-stable', 100], ['web-canary', 0]]);
    expect(vs.http[0].timeout).toBe('5s');
    expect(ro.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'progressively' });
    expect(ro.replicas).toBeUndefined();
    const analysis = c.steps.find((s: any) => s.analysis).analysis;
    expect(analysis).toEqual({ templates: [{ templateName: 'web-success-rate' }], args: [{ name: 'service-name', value: 'web-canary' }, { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] });
    // the query measures only the new ReplicaSet's pods, on the destination side
    expect(find(docs, 'AnalysisTemplate', 'web-success-rate').spec.metrics[0].provider.prometheus.query)
      .toContain('reporter="destination",destination_service_name="{{args.service-name}}",rollouts_pod_template_hash="{{args.canary-hash}}"');
    expect(find(docs, 'HorizontalPodAutoscaler', 'web').spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' });
    expect(c.steps.map((s: any) => Object.keys(s)[0])).toEqual(['setHeaderRoute', 'setWeight', 'pause', 'analysis', 'setWeight', 'pause', 'analysis', 'setWeight', 'pause', 'analysis']);
    expect(c.steps[0].setHeaderRoute).toEqual({ name: 'header-route', match: [{ headerName: 'x-canary', headerValue: { exact: 'always' } }] });
    expect(c.trafficRouting.managedRoutes).toEqual([{ name: 'header-route' }, { name: 'testers' }]);
  });

  test('canary by subsets with a copied template: DestinationRule subsets, no Deployment left', () => {
    expect(find(docs, 'Deployment', 'api')).toBeUndefined();
    const ro = find(docs, 'Rollout', 'api').spec;
    expect(ro.template.spec.containers[0].image).toBe('ghcr.io/acme/api:1.0.0');
    expect(ro.replicas).toBe(2);
    expect(ro.strategy.canary.trafficRouting.istio.destinationRule).toEqual({ name: 'api', canarySubsetName: 'canary', stableSubsetName: 'stable' });
    expect(find(docs, 'DestinationRule', 'api').spec.subsets.map((s: any) => s.name)).toEqual(['stable', 'canary']);
    expect(find(docs, 'DestinationRule', 'api').spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 3 });
    expect(ro.strategy.canary.analysis).toMatchObject({ startingStep: 1, args: [{ name: 'service-name', value: 'api' }, { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] });
  });

  test('blue-green: the workload Service is the active Service, a preview Service, pre/post analyses, HPA on the Rollout', () => {
    const bg = find(docs, 'Rollout', 'cart').spec.strategy.blueGreen;
    expect(bg).toMatchObject({ activeService: 'cart', previewService: 'cart-preview', autoPromotionEnabled: true, autoPromotionSeconds: 60 });
    expect(bg.prePromotionAnalysis).toEqual({ templates: [{ templateName: 'cart-preview-success-rate' }], args: [{ name: 'service-name', value: 'cart-preview' }, { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] });
    expect(bg.postPromotionAnalysis.templates).toEqual([{ templateName: 'cart-success-rate' }]);
    expect(find(docs, 'AnalysisTemplate', 'cart-preview-success-rate').spec.metrics[0].successCondition).toBe('result[0] >= 0.99');
    expect(find(docs, 'HorizontalPodAutoscaler', 'cart').spec.scaleTargetRef.kind).toBe('Rollout');
  });

  test('custom steps, your own template or no analysis', () => {
    const chart = Testing.chart();
    const ms = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' });
    const mine = new r.AnalysisTemplate(chart, 'Mine', { name: 'latency', args: [r.TemplateArg.required('service-name')],
      metrics: [{ name: 'p99', count: 1, provider: r.MetricProvider.prometheus({ address: 'http://p', query: 'q{s="{{args.service-name}}"}' }), successCondition: 'result[0] < 0.3' }] });
    const d = new CanaryDelivery(chart, 'Canary', { workload: ms, analysis: DeliveryAnalysis.fromTemplate(mine),
      steps: [r.CanaryStep.setWeight(5), r.CanaryStep.pause()] });
    d.rollout.addStep(d.analysisStep!).addStep(r.CanaryStep.setWeight(100));
    const ro = Testing.synth(chart).find((x) => x.kind === 'Rollout');
    expect(ro.spec.strategy.canary.steps[2]).toEqual({ analysis: { templates: [{ templateName: 'latency' }], args: [{ name: 'service-name', value: 'web-canary' }] } });
    const none = Testing.chart();
    const ms2 = new Microservice(none, 'Web', { image: 'ghcr.io/acme/web:1' });
    const d2 = Delivery.canary(ms2, { analysis: DeliveryAnalysis.none(), weights: [50], pauseBetween: Duration.seconds(30), routing: CanaryRouting.bySubsets() });
    expect(d2.node.id).toBe('WebCanary');
    expect(d2.analysisTemplate).toBeUndefined();
    expect(Testing.synth(none).filter((x) => x.kind === 'AnalysisTemplate')).toEqual([]);
  });

  test('rule delivery-autoscaling: autoscaling on the delivery creates an HPA on the Rollout; on both workload and delivery is an error', () => {
    const chart = Testing.chart();
    const ms = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1', replicas: 3 });
    const d = Delivery.blueGreen(ms, { autoscaling: { maxReplicas: 6, cpuUtilization: 60 } });
    const docs = Testing.synth(chart);
    expect(find(docs, 'HorizontalPodAutoscaler', 'web').spec).toMatchObject({ scaleTargetRef: { kind: 'Rollout', name: 'web' }, minReplicas: 2, maxReplicas: 6 });
    expect(find(docs, 'Rollout', 'web').spec.replicas).toBeUndefined();
    expect(d.hpa).toBeDefined();
    const c2 = Testing.chart();
    const auto = new Microservice(c2, 'Web', { image: 'ghcr.io/acme/web:1', autoscaling: { maxReplicas: 4 } });
    expectEager(() => Delivery.canary(auto, { autoscaling: { maxReplicas: 6 } }), 'delivery-autoscaling', 'test/WebCanary', 'already has an autoscaler');
  });

  test('rule canary-set-weight: generated weights are whole numbers 0..100 (the shared value rules); 0 is accepted as Argo does', () => {
    const chart = Testing.chart();
    const ms = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' });
    expectEager(() => Delivery.canary(ms, { weights: [10, 120] }), 'canary-set-weight', 'test/WebCanary', 'weights[1] 120 is not a whole number from 0 to 100');
    expectEager(() => Delivery.canary(new Microservice(Testing.chart(), 'Web', { image: 'ghcr.io/acme/web:1' }), { weights: [12.5] }), 'value-integer', 'test/WebCanary', 'weights[0] 12.5 is not a whole number');
    const zero = Testing.chart();
    Delivery.canary(new Microservice(zero, 'Web', { image: 'ghcr.io/acme/web:1' }), { weights: [0, 50] });
    expect(synthError(zero)).toBe('');
    expect(Testing.synth(zero).find((d) => d.kind === 'Rollout').spec.strategy.canary.steps[0]).toEqual({ setWeight: 0 });
  });

  test('a broken manual change is caught by the reference checks (path, value and fix)', () => {
    const chart = Testing.chart();
    const ms = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' });
    const d = Delivery.canary(ms);
    d.canaryService.selectLabel('track', 'canary');
    expectRule(chart, 'service-selects-rollout', 'test/WebCanary/Rollout', 'canary Service "web-canary" has unmatch label "track" in rollout');
    const ok = Testing.chart();
    Delivery.blueGreen(new Microservice(ok, 'Web', { image: 'ghcr.io/acme/web:1' }));
    expect(synthError(ok)).toBe('');
  });
});
