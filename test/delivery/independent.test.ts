import { Testing } from 'cdk8s';
import { expectValid, schemaErrors } from './check';
import { eventingErrors, isEventing } from './eventing-schemas';
import { meshChart, rolloutsChart, serverlessChart } from './fixtures';
import { wiringChart, wiringVariantsChart } from './fixtures-wiring';

// The real parsers, not our own opinion: every document our constructs emit passes them.
describe('independent checkers', () => {
  test('every Rollout, AnalysisTemplate, ClusterAnalysisTemplate, Experiment and Service passes the strict CRD schemas and kubernetes-models', () => {
    expectValid(Testing.synth(rolloutsChart()));
  });

  test('every Istio document passes the strict Istio CRD schemas', () => {
    expectValid(Testing.synth(meshChart()));
  });

  test('every Knative Service passes the strict Knative CRD schema', () => {
    expectValid(Testing.synth(serverlessChart()));
  });

  test('the wiring (Rollouts, Services, HPA, PDB, VirtualService, DestinationRule, templates) passes all checkers', () => {
    expectValid(Testing.synth(wiringChart()));
  });

  test('the other wiring forms (own template, custom steps, no analysis, autoscaling on the delivery) pass all checkers', () => {
    expectValid(Testing.synth(wiringVariantsChart()));
  });

  test('the checkers reject what they must (unknown fields, wrong types)', () => {
    expect(schemaErrors({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'x' }, spec: { strategy: { canary: { steps: [{ setWieght: 1 }] } } } }).join())
      .toMatch(/setWieght/);
    expect(schemaErrors({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', spec: { hosts: 'web' } }).join()).toMatch(/array/);
    expect(schemaErrors({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'x' }, spec: { traffic: [{ bogus: 1 }] } }).join()).toMatch(/bogus/);
  });
});

describe('the delivery example (apps/delivery.ts)', () => {
  test('synthesizes two Istio canaries with analysis, one blue-green and a scale-to-zero function, all valid', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { addDeliveryApps } = require('../../apps/delivery');
    const app = Testing.app();
    addDeliveryApps(app);
    const docs = app.charts.flatMap((c) => Testing.synth(c));
    expectValid(docs.filter((d) => !isEventing(d)));
    expect(docs.filter(isEventing).flatMap(eventingErrors)).toEqual([]);
    expect(docs.filter(isEventing).map((d) => d.kind).sort()).toEqual(['Broker', 'Trigger']);
    const kinds = (kind: string) => docs.filter((d) => d.kind === kind).map((d) => d.metadata.name).sort();
    expect(kinds('Rollout')).toEqual(['account', 'catalog', 'checkout']);
    expect(docs.filter((d) => d.kind === 'Rollout' && d.spec.strategy.canary?.steps.some((s: any) => s.analysis)).length).toBe(2);
    expect(docs.find((d) => d.kind === 'Rollout' && d.metadata.name === 'account').spec.strategy.blueGreen.activeService).toBe('account');
    const fn = docs.find((d) => d.kind === 'Service' && d.apiVersion === 'serving.knative.dev/v1');
    expect(fn.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('0');
    expect(kinds('HorizontalPodAutoscaler').length).toBe(2);
    expect(docs.filter((d) => d.kind === 'HorizontalPodAutoscaler').every((d) => d.spec.scaleTargetRef.kind === 'Rollout')).toBe(true);
    expect(docs).toMatchSnapshot();
  });
});
