import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Duration, goDuration } from '../../lib/core';
import { CanaryRouting, Delivery, DeliveryAnalysis, ExternalObject } from '../../lib/delivery';
import * as r from '../../lib/delivery/rollouts';
import * as s from '../../lib/delivery/serverless';
import { Microservice } from '../../lib/workloads';
import { surroundings } from './fixtures';
import { synthError } from './rules';
import * as v from '../../lib/delivery/rollouts/validation';

describe('properties', () => {
  test('any weights 1..100 and pause give a canary whose steps, names and references agree', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 3600 }), (weights, pause) => {
      const chart = Testing.chart();
      const ms = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' });
      const d = Delivery.canary(ms, { weights, pauseBetween: Duration.seconds(pause) });
      const docs = Testing.synth(chart);
      const steps = docs.find((x) => x.kind === 'Rollout').spec.strategy.canary.steps;
      expect(steps.filter((x: any) => x.setWeight !== undefined).map((x: any) => x.setWeight)).toEqual(weights);
      expect(steps.length).toBe(3 * weights.length);
      expect(v.parseGoDuration(steps[1].pause.duration)).toBe(pause);
      expect(docs.find((x) => x.kind === 'VirtualService').spec.http[0].route.map((x: any) => x.destination.host))
        .toEqual([d.stableService.name, d.canaryService.name]);
    }), { numRuns: 15 });
  });

  test('random valid wiring always resolves every reference; one random broken reference is always refused with its rule', () => {
    const breaks = ['none', 'template', 'gateway', 'destination', 'selector', 'router'] as const;
    fc.assert(fc.property(
      fc.uniqueArray(fc.constantFrom('web', 'cart', 'search', 'ledger'), { minLength: 1, maxLength: 3 }),
      fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      fc.constantFrom(...breaks), fc.nat(2),
      (names, bySubsets, broken, victim) => {
        const chart = Testing.chart();
        surroundings(chart);
        const gateway = ExternalObject.gateway(chart, 'Public', 'istio-system/public');
        const shared = new r.AnalysisTemplate(chart, 'Latency', { name: 'latency', args: [r.TemplateArg.required('service-name')],
          metrics: [{ name: 'p99', count: 1, successCondition: 'result[0] < 0.3', provider: r.MetricProvider.prometheus({ address: 'http://prometheus:9090', query: 'q{s="{{args.service-name}}"}' }) }] });
        const target = names[victim % names.length];
        const canaries = names.map((name, i) => {
          const ms = new Microservice(chart, name, { image: `ghcr.io/acme/${name}:1` });
          const typo = broken === 'template' && name === target;
          return Delivery.canary(ms, {
            routing: bySubsets[i] ? CanaryRouting.bySubsets() : CanaryRouting.byServices(),
            analysis: DeliveryAnalysis.fromTemplate(typo ? r.AnalysisTemplate.fromName('latncy') : shared),
            gateways: [broken === 'gateway' && name === target ? 'istio-system/pubilc' : gateway.reference],
            hosts: [`${name}.example.com`],
          });
        });
        const d = canaries[names.indexOf(target)];
        if (broken === 'destination') {
          ApiObject.of(d.virtualService).addJsonPatch(d.destinationRule
            ? JsonPatch.replace('/spec/http/0/route/1/destination/subset', 'canery') : JsonPatch.replace('/spec/http/0/route/1/destination/host', `${target}-canery`));
        }
        if (broken === 'selector') d.canaryService.selectLabel('tier', 'canary');
        if (broken === 'router') ApiObject.of(d.rollout).addJsonPatch(JsonPatch.replace('/spec/strategy/canary/trafficRouting/istio/virtualService/name', `${target}x`));
        const rule = {
          none: undefined, template: 'reference-analysis-template', gateway: 'istio-gateway-not-found', selector: 'selector-matches-pods', router: 'reference-traffic-router',
          destination: d.destinationRule ? 'istio-subset-not-found' : 'istio-host-not-found',
        }[broken];
        const error = synthError(chart);
        if (rule === undefined) expect(error).toBe('');
        else expect(error).toContain(`(rule: ${rule})`);
      }), { numRuns: 25 });
  });

  test('a Knative traffic split is accepted exactly when its percents sum to 100', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 }), (percents) => {
      const chart = Testing.chart();
      new s.KnativeService(chart, 'Fn', {
        name: 'fn', container: { image: 'ghcr.io/acme/fn:1' },
        traffic: percents.map((percent, i) => (i === 0 ? s.TrafficTarget.latestRevision({ percent }) : s.TrafficTarget.revision(`fn-v${i}`, { percent }))),
      });
      const sum = percents.reduce((a, b) => a + b, 0);
      expect(synthError(chart).includes('(rule: knative-traffic-percent)')).toBe(sum !== 100);
    }), { numRuns: 60 });
  });

  test('every Duration renders a Go duration the pause and metric checks parse back exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => {
      expect(v.parseGoDuration(goDuration(Duration.millis(ms)))).toBeCloseTo(ms / 1000, 6);
    }), { numRuns: 200 });
  });
});
