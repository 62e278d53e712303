import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Duration, goDuration } from '../../lib/core';
import { Delivery } from '../../lib/delivery';
import * as r from '../../lib/delivery/rollouts';
import * as s from '../../lib/delivery/serverless';
import { Microservice } from '../../lib/workloads';
import { synthError } from './rules';

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
      expect(r.parseGoDuration(steps[1].pause.duration)).toBe(pause);
      expect(docs.find((x) => x.kind === 'VirtualService').spec.http[0].route.map((x: any) => x.destination.host))
        .toEqual([d.stableService.name, d.canaryService.name]);
    }), { numRuns: 15 });
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
      expect(r.parseGoDuration(goDuration(Duration.millis(ms)))).toBeCloseTo(ms / 1000, 6);
    }), { numRuns: 200 });
  });
});
