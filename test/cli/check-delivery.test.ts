import { checkTexts } from '../../lib/cli/check';
import { formatDiagnostic } from '../../lib/cli/diagnostic';
import { Input, fixtureSet, lineOf, mutate } from './fixtures';

const errors = (inputs: Input[]) => checkTexts(inputs).diagnostics.filter((d) => d.severity === 'error');

/** Asserts `check` reports `rule` on `file` at the line of `marker`, and nothing else of severity error. */
function expectRule(inputs: Input[], rule: string, file: string, marker: string): void {
  const found = errors(inputs);
  const line = lineOf(inputs, file, marker);
  const match = found.filter((d) => d.rule === rule && d.file.endsWith(file));
  expect({ rule, lines: match.map((d) => d.line), all: found.map(formatDiagnostic) }).toEqual({ rule, lines: [line], all: expect.anything() });
  expect(found.filter((d) => d.rule !== rule && d.rule !== 'schema').map(formatDiagnostic)).toEqual([]);
}

const delivery = fixtureSet('delivery');

describe('Argo Rollouts: blueGreen, traffic routing, analysis', () => {
  test('valid files: no findings; every Rollout and template checked with every rule', () => {
    const report = checkTexts(delivery);
    expect(report.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(report.documents.filter((d) => /Rollout|AnalysisTemplate/.test(d.kind)).map((d) => `${d.kind} ${d.name}:${d.coverage}`)).toEqual([
      'AnalysisTemplate success-rate:rules', 'ClusterAnalysisTemplate smoke-test:rules', 'Rollout checkout:rules', 'Rollout reviews:rules',
      'Rollout search:rules', 'Rollout storefront:rules',
    ]);
  });

  test.each([
    ['reference-analysis-template', 'a misspelt template of a promotion analysis', 'checkout-bluegreen.yaml', '- templateName: success-rate', '- templateName: success-rates', 'success-rates'],
    ['bluegreen-distinct-services', 'one Service as active and preview', 'checkout-bluegreen.yaml', 'previewService: checkout-preview', 'previewService: checkout-active', 'activeService: checkout-active'],
    ['analysis-args-resolve', 'a required template arg the background analysis leaves out', 'search-canary.yaml', '        args:\n          - name: service-name\n            value: search\n      steps:', '      steps:', '- templateName: success-rate'],
    ['istio-virtual-service-routes', 'a managed route name the VirtualService does not have', 'search-canary.yaml', '              - primary', '              - primry', 'primry'],
    ['canary-managed-routes', 'a header route not listed in managedRoutes', 'search-canary.yaml', 'name: testers\n            match:', 'name: tester\n            match:', '- setHeaderRoute:'],
    ['canary-max-traffic-weight', 'maxTrafficWeight with a router that has none', 'storefront-alb.yaml', '      trafficRouting:\n', '      trafficRouting:\n        maxTrafficWeight: 1000\n', 'maxTrafficWeight'],
    ['canary-set-weight', 'a weight above maxTrafficWeight', 'reviews-nginx.yaml', '- setWeight: 750', '- setWeight: 1750', 'setWeight: 1750'],
    ['analysis-metric-count', 'a count below the failure limit', 'analysis-templates.yaml', '      count: 5\n      failureLimit: 1', '      count: 1\n      failureLimit: 3', 'failureLimit: 3'],
    ['schema', 'an unknown field in a blueGreen strategy', 'checkout-bluegreen.yaml', 'previewReplicaCount: 1', 'previewReplicaCount: 1\n      previewReplicas: 1', 'previewReplicas'],
  ])('rule %s: %s', (rule, _what, file, from, to, marker) => {
    expectRule(mutate(delivery, file, from, to), rule, file, marker);
  });
});
