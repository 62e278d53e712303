import { Testing } from 'cdk8s';
import { expectValid, schemaErrors } from './check';
import { meshChart, rolloutsChart, serverlessChart, wiringChart } from './fixtures';

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

  test('the checkers reject what they must (unknown fields, wrong types)', () => {
    expect(schemaErrors({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'x' }, spec: { strategy: { canary: { steps: [{ setWieght: 1 }] } } } }).join())
      .toMatch(/setWieght/);
    expect(schemaErrors({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', spec: { hosts: 'web' } }).join()).toMatch(/array/);
    expect(schemaErrors({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'x' }, spec: { traffic: [{ bogus: 1 }] } }).join()).toMatch(/bogus/);
  });
});
