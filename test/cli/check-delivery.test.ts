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
    expect(report.documents.filter((d) => /Rollout|AnalysisTemplate|Experiment/.test(d.kind)).map((d) => `${d.kind} ${d.name}:${d.coverage}`)).toEqual([
      'AnalysisTemplate success-rate:rules', 'ClusterAnalysisTemplate smoke-test:rules', 'AnalysisTemplate vendor-signals:rules', 'Rollout checkout:rules', 'Rollout reviews:rules',
      'Rollout search:rules', 'Experiment search-ranking:rules', 'Rollout storefront:rules',
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
    ['analysis-metric-count', 'a count below the failure limit', 'analysis-templates.yaml', '      count: "{{args.samples}}"\n      failureLimit: 1', '      count: 1\n      failureLimit: 3', 'count: 1'],
    ['analysis-args-resolve', 'a metric count reading an arg the template does not declare', 'analysis-templates.yaml', 'count: "{{args.samples}}"', 'count: "{{args.sample}}"', '{{args.sample}}'],
    ['experiment-template', 'two experiment templates with one name', 'search-experiment.yaml', '    - name: candidate\n', '    - name: baseline\n', '- name: baseline\n      replicas: 1\n      minReadySeconds'],
    ['reference-analysis-template', 'an Experiment analysis naming a template that is not there', 'search-experiment.yaml', 'templateName: success-rate', 'templateName: success-rat', 'templateName: success-rat'],
    ['analysis-datadog', 'Datadog queries and a formula on the v1 API', 'analysis-templates.yaml', '          apiVersion: v2\n', '          apiVersion: v1\n', 'apiVersion: v1\n          interval'],
    ['schema', 'an unknown field in a blueGreen strategy', 'checkout-bluegreen.yaml', 'previewReplicaCount: 1', 'previewReplicaCount: 1\n      previewReplicas: 1', 'previewReplicas'],
  ])('rule %s: %s', (rule, _what, file, from, to, marker) => {
    expectRule(mutate(delivery, file, from, to), rule, file, marker);
  });
});

const triggers = fixtureSet('triggers');
const nested = fixtureSet('nested');

describe('Tekton Triggers: EventListener and Trigger', () => {
  test('valid files: no findings, every document checked with every rule', () => {
    const report = checkTexts(triggers);
    expect(report.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(report.documents.every((d) => d.coverage === 'rules')).toBe(true);
  });

  test.each([
    ['trigger-unauthenticated', 'a trigger whose only interceptor checks no signature', 'listener.yaml',
      '        - name: verify\n          ref:\n            name: github\n            kind: ClusterInterceptor\n          params:\n            - name: secretRef\n              value:\n                secretName: github-webhook\n                secretKey: token\n            - name: eventTypes\n              value: ["push"]\n', '', '- name: github-push'],
    ['trigger-binding-missing-param', 'a trigger without the binding that gives the params its template needs', 'listener.yaml', '      bindings:\n        - ref: push-fields\n          kind: TriggerBinding\n        - ref: sender', '      bindings:\n        - ref: sender', '- name: github-push'],
    ['trigger-name-unique', 'two triggers with one name', 'listener.yaml', '- name: gitlab-tag', '- name: github-push', '- name: github-push\n      serviceAccountName'],
    ['trigger-group-selector', 'a trigger group that selects nothing', 'listener.yaml', '      triggerSelector:\n        namespaceSelector:\n          matchNames: ["team-a", "team-b"]\n        labelSelector:\n          matchLabels:\n            ci.example.com/listener: ci-webhooks\n', '', '- name: team-triggers'],
    ['event-listener-service-port', 'a Service port out of range', 'listener.yaml', 'servicePort: 8080', 'servicePort: 80800', 'servicePort: 80800'],
    ['interceptor-client-config', 'an Interceptor Service port out of range', 'listener.yaml', 'port: 8443', 'port: 84430', 'port: 84430'],
    ['schema', 'an unknown field in a trigger', 'listener.yaml', '    - name: gitlab-tag\n', '    - name: gitlab-tag\n      templat: {}\n', 'templat:'],
  ])('rule %s: %s', (rule, _what, file, from, to, marker) => {
    expectRule(mutate(triggers, file, from, to), rule, file, marker);
  });
});

describe('pipelines in pipelines and v1beta1 documents', () => {
  test('valid files: no findings; the v1beta1 Task and Pipeline get every rule', () => {
    const report = checkTexts(nested);
    expect(report.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(report.documents.map((d) => `${d.apiVersion} ${d.kind}:${d.coverage}`)).toEqual([
      'tekton.dev/v1beta1 CustomRun:rules', 'tekton.dev/v1beta1 CustomRun:rules',
      'tekton.dev/v1beta1 Pipeline:rules', 'tekton.dev/v1beta1 PipelineRun:rules', 'tekton.dev/v1beta1 TaskRun:rules',
      'tekton.dev/v1beta1 Task:rules', 'tekton.dev/v1 Pipeline:rules',
    ]);
  });

  test.each([
    ['param-undeclared', 'a v1beta1 step reading a misspelt param', 'lint-task.yaml', 'value: $(params.config)', 'value: $(params.confg)', '$(params.confg)'],
    ['result-ref-unknown', 'a v1beta1 pipeline result naming a result the Task lacks', 'checks-pipeline.yaml', 'value: $(tasks.lint.results.findings)\n  tasks:', 'value: $(tasks.lint.results.finding)\n  tasks:', '$(tasks.lint.results.finding)'],
    ['script-injection', 'a param pasted into a v1beta1 script', 'lint-task.yaml', '--config "$CONFIG"', '--config "$(params.config)"', 'script: |'],
    ['dag-missing-task', 'runAfter naming a pipeline task that is gone', 'release-train.yaml', 'runAfter: ["checks"]', 'runAfter: ["check"]', '["check"]'],
    ['custom-task-ref', 'a CustomRun whose custom task apiVersion has no version', 'approval-run.yaml', 'apiVersion: openshift-pipelines.org/v1alpha1', 'apiVersion: openshift-pipelines.org', 'apiVersion: openshift-pipelines.org\n'],
    ['task-run-retries', 'a CustomRun with negative retries', 'approval-run.yaml', 'retries: 0', 'retries: -1', 'retries: -1'],
    ['dns-1123-subdomain', 'a v1beta1 PipelineRun service account (v1: taskRunTemplate) that is no name', 'legacy-runs.yaml', 'serviceAccountName: checks-runner\n  timeout: 45m', 'serviceAccountName: Checks_Runner\n  timeout: 45m', 'Checks_Runner'],
    ['duration-format', 'a v1beta1 PipelineRun timeout (v1: timeouts.pipeline) that is no duration', 'legacy-runs.yaml', 'timeout: 45m', 'timeout: 45 minutes', '45 minutes'],
    ['value-range', 'a v1beta1 PipelineRun pod template (v1: taskRunTemplate.podTemplate) with a negative user', 'legacy-runs.yaml', '      runAsUser: 65532\n      fsGroup', '      runAsUser: -1\n      fsGroup', 'runAsUser: -1'],
    ['schema', 'an unknown field in a v1beta1 stepOverride (v1: stepSpecs), located as written', 'legacy-runs.yaml', '          memory: 512Mi', '          memory: 512Mi\n        limts: {}', 'limts:'],
    ['schema', 'an unknown field in a v1beta1 step', 'lint-task.yaml', '      workingDir: $(workspaces.source.path)', '      workingDir: $(workspaces.source.path)\n      workdir: /src', 'workdir:'],
  ])('rule %s: %s', (rule, _what, file, from, to, marker) => {
    expectRule(mutate(nested, file, from, to), rule, file, marker);
  });

  test('rule pipeline-task-missing-param: a pipeline in a pipeline left without a param its child (v1beta1, in another file) needs', () => {
    const m = mutate(mutate(nested, 'checks-pipeline.yaml', '    - name: lint-config\n      default: .golangci.yaml\n', '    - name: lint-config\n'),
      'release-train.yaml', '      params:\n        - name: lint-config\n          value: $(params.lint-config)\n      workspaces:', '      workspaces:');
    expectRule(m, 'pipeline-task-missing-param', 'release-train.yaml', '- name: checks');
  });
});
