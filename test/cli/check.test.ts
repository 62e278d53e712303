import * as fs from 'fs';
import * as path from 'path';
import { checkTexts } from '../../lib/cli/check';
import { formatDiagnostic } from '../../lib/cli/diagnostic';
import { Input, fixtureSet, lineOf, mutate } from './fixtures';

const errors = (inputs: Input[]) => checkTexts(inputs).diagnostics.filter((d) => d.severity === 'error');

/** Asserts `check` reports `rule` on `file` at the line of `marker`, and nothing else of severity error. */
function expectRule(inputs: Input[], rule: string, file: string, marker: string): void {
  const found = errors(inputs);
  const line = lineOf(inputs, file, marker);
  const match = found.filter((d) => d.rule === rule && d.file.endsWith(file));
  expect({ rule, lines: match.map((d) => d.line) }).toEqual({ rule, lines: [line] });
  // Nothing unrelated shows up beside the mutation (schema findings of the same edit aside).
  expect(found.filter((d) => d.rule !== rule && d.rule !== 'schema').map(formatDiagnostic)).toEqual([]);
}

const tekton = fixtureSet('tekton');
const forms = fixtureSet('forms');

describe('valid files', () => {
  test.each(['tekton', 'forms'])('%s: no findings, every document checked with every rule', (set) => {
    const report = checkTexts(fixtureSet(set));
    expect(report.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(report.documents.every((d) => d.coverage === 'rules')).toBe(true);
  });

  test('other kinds: core workloads get their rules too, listed with their coverage', () => {
    const report = checkTexts(fixtureSet('other'));
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.documents.map((d) => `${d.kind}:${d.coverage}`)).toEqual([
      'Deployment:rules', 'Service:rules', 'VirtualService:rules', 'DestinationRule:rules', 'Rollout:rules', 'TriggerBinding:rules',
    ]);
    expect(report.documents[0].reason).toBeUndefined();
    // Triggers kinds have a strict schema in slipway/testing now: schema and rules, nothing left out.
    expect(report.documents[5].reason).toBeUndefined();
    expect(report.diagnostics).toEqual([]);
  });

  test('output is the same whatever order the files come in', () => {
    const a = checkTexts(mutate(tekton, 'ci-pipeline.yaml', '$(params.revision)\n', '$(params.revison)\n'));
    const b = checkTexts([...mutate(tekton, 'ci-pipeline.yaml', '$(params.revision)\n', '$(params.revison)\n')].reverse());
    expect(b.diagnostics).toEqual(a.diagnostics);
  });
});

describe('mutations are found at their line', () => {
  test('rule dag-missing-task: runAfter names a task the pipeline lost', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', '    - name: clone\n      taskRef:', '    - name: fetch\n      taskRef:');
    expectRule(m, 'dag-missing-task', 'ci-pipeline.yaml', '["clone"]');
  });

  test('rule dag-missing-task: a result reference to a task that does not exist', () => {
    const m = mutate(forms, 'release-pipeline.yaml', 'value: $(tasks.publish.results.pushed-tags[*])', 'value: $(tasks.publisher.results.pushed-tags[*])');
    expectRule(m, 'dag-missing-task', 'release-pipeline.yaml', '$(tasks.publisher.');
  });

  test('rule param-undeclared: a misspelt pipeline param in a when expression', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', '- input: $(params.revision)', '- input: $(params.revison)');
    expectRule(m, 'param-undeclared', 'ci-pipeline.yaml', '$(params.revison)');
  });

  test('rule result-ref-unknown: a misspelt result of a task given in another file', () => {
    const m = mutate(forms, 'release-pipeline.yaml', '$(tasks.publish.results.pushed-tags[*])', '$(tasks.publish.results.pushed-tag[*])');
    expectRule(m, 'result-ref-unknown', 'release-pipeline.yaml', 'pushed-tag[*]');
  });

  test('rule param-object-key: an object param key the param does not declare', () => {
    const m = mutate(forms, 'release-task.yaml', 'value: $(params.chart.name)', 'value: $(params.chart.title)');
    expectRule(m, 'param-object-key', 'release-task.yaml', '$(params.chart.title)');
  });

  test('rule schema: an unknown field, at its key', () => {
    const m = mutate(tekton, 'build-task.yaml', '      image: docker.io/library/busybox:1.36\n      onError', '      imagee: docker.io/library/busybox:1.36\n      onError');
    expectRule(m, 'schema', 'build-task.yaml', 'imagee');
    expect(checkTexts(m).diagnostics.map((d) => d.rule)).toEqual(['schema']);
  });

  test('rule schema: an unknown field in a core Kubernetes document', () => {
    const m = mutate(fixtureSet('other'), 'web.yaml', '          ports:\n            - containerPort: 8080', '          ports:\n            - containerPort: 8080\n              protocoll: TCP');
    expectRule(m, 'schema', 'web.yaml', 'protocoll');
  });

  test('rule schema: a wrong type in a Rollout', () => {
    const m = mutate(fixtureSet('other'), 'web.yaml', '        - setWeight: 50', '        - setWeight: fifty');
    expectRule(m, 'schema', 'web.yaml', 'fifty');
  });

  test('rule script-injection: a param pasted into a script', () => {
    const m = mutate(tekton, 'build-task.yaml', 'go test ./...', 'go test $(params.package)');
    expectRule(m, 'script-injection', 'build-task.yaml', 'script: |\n        #!/bin/sh\n        set -eu\n        go test');
  });

  test('rule privileged-step: a privileged step', () => {
    const m = mutate(tekton, 'build-task.yaml', '    - name: digest\n', '    - name: digest\n      securityContext:\n        privileged: true\n');
    expectRule(m, 'privileged-step', 'build-task.yaml', 'privileged: true');
  });

  test('rule secret-param: a param named like a secret', () => {
    const m = mutate(tekton, 'deploy-task.yaml', '    - name: namespace\n', '    - name: namespace\n    - name: registry-password\n');
    expectRule(m, 'secret-param', 'deploy-task.yaml', 'registry-password');
  });

  test('rule run-missing-param: a run without a required param of the pipeline in another file', () => {
    const m = mutate(tekton, 'ci-run.yaml', '    - name: repo-url\n      value: https://git.example.com/payments/service.git\n', '    - name: revision\n      value: main\n');
    expectRule(m, 'run-missing-param', 'ci-run.yaml', '  params:');
  });

  test('rule pipeline-task-missing-param: a pipeline task that leaves out a required param of its Task', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', '        - name: namespace\n          value: payments-staging\n', '        - name: manifest-dir\n          value: k8s\n');
    expectRule(m, 'pipeline-task-missing-param', 'ci-pipeline.yaml', '      params:\n        - name: manifest-dir');
  });

  test('rule step-name-unique: two steps with one name', () => {
    const m = mutate(tekton, 'build-task.yaml', '    - name: digest\n', '    - name: test\n');
    expectRule(m, 'step-name-unique', 'build-task.yaml', '    - name: test\n      image: docker.io/library/busybox');
  });

  test('rule dag-cycle: runAfter edges that form a cycle', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', '      runAfter: ["clone"]\n', '      runAfter: ["deploy"]\n');
    expectRule(m, 'dag-cycle', 'ci-pipeline.yaml', 'runAfter: ["build"]');
  });

  test('rule shared-pvc: a claim shared read-write by every run', () => {
    const m = mutate(tekton, 'ci-run.yaml', '      volumeClaimTemplate:\n        spec:\n          accessModes: ["ReadWriteOnce"]\n          resources:\n            requests:\n              storage: 2Gi\n',
      '      persistentVolumeClaim:\n        claimName: shared-cache\n');
    expectRule(m, 'shared-pvc', 'ci-run.yaml', 'shared-cache');
  });

  test('rule timeouts-tasks: tasks timeout longer than the pipeline timeout', () => {
    const m = mutate(tekton, 'ci-run.yaml', 'tasks: 45m', 'tasks: 2h');
    expectRule(m, 'timeouts-tasks', 'ci-run.yaml', 'tasks: 2h');
  });

  test('rule matrix-param-in-params: a param in both params and matrix', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', '        - name: package\n          value: ./cmd/payments\n', '        - name: go-version\n          value: "1.23"\n');
    expectRule(m, 'matrix-param-in-params', 'ci-pipeline.yaml', '- name: go-version\n            value: $(params');
  });

  test('rule result-ref-unknown: a finally task reading a result that does not exist', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', 'value: $(tasks.deploy.status)', 'value: $(tasks.deploy.results.url)');
    expectRule(m, 'result-ref-unknown', 'ci-pipeline.yaml', '$(tasks.deploy.results.url)');
  });

  test('rule pipeline-task-workspace-undeclared: a task binds a workspace the pipeline does not declare', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', '        - name: output\n          workspace: shared', '        - name: output\n          workspace: sharde');
    expectRule(m, 'pipeline-task-workspace-undeclared', 'ci-pipeline.yaml', 'workspace: sharde');
  });

  test('rule pipeline-task-workspace-missing: a required Task workspace left unbound', () => {
    const m = mutate(tekton, 'ci-pipeline.yaml', '      workspaces:\n        - name: source\n          workspace: shared\n          subPath: src\n      retries', '      retries');
    expectRule(m, 'pipeline-task-workspace-missing', 'ci-pipeline.yaml', '    - name: build');
  });

  test('rule result-value-format: a task result whose value is not a step result reference', () => {
    const m = mutate(forms, 'release-task.yaml', 'value: $(steps.package.results.sha)', 'value: $(params.mode)');
    expectRule(m, 'result-value-format', 'release-task.yaml', 'value: $(params.mode)');
  });

  test('rule step-ref-exclusive: a StepAction step that also sets an image', () => {
    const m = mutate(forms, 'release-task.yaml', '      ref:\n        name: cosign-verify\n', '      image: ghcr.io/example/cosign:2\n      ref:\n        name: cosign-verify\n');
    expectRule(m, 'step-ref-exclusive', 'release-task.yaml', 'image: ghcr.io/example/cosign:2');
  });

  test('rule resolver-params: a git resolver without revision', () => {
    const m = mutate(forms, 'release-pipeline.yaml', '          - name: revision\n            value: 4b1e0c1f3bd6a37c1a3c91d28c7f2a7c54b1d2e0\n', '');
    expectRule(m, 'resolver-params', 'release-pipeline.yaml', 'value: tasks/helm-lint.yaml');
  });

  test('rule yaml-syntax: broken YAML', () => {
    const m = mutate(tekton, 'ci-run.yaml', '  params:\n', '  params: [\n');
    const found = errors(m).filter((d) => d.rule === 'yaml-syntax');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].file).toMatch(/ci-run\.yaml$/);
  });
});

describe('what check cannot build', () => {
  test('rule not-modelled: a valid field with no typed form is a warning and the document is schema-checked only', () => {
    const m = mutate(tekton, 'deploy-task.yaml', 'metadata:\n  name: kubectl-deploy\n', 'metadata:\n  name: kubectl-deploy\n  annotations:\n    owner: platform\n');
    const report = checkTexts(m);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const w = report.diagnostics.filter((d) => d.rule === 'not-modelled');
    expect(w.map((d) => [d.line, d.severity])).toEqual([[lineOf(m, 'deploy-task.yaml', 'annotations'), 'warning']]);
    expect(report.documents.find((d) => d.name === 'kubectl-deploy')!.coverage).toBe('schema-only');
  });

});

describe('Jenkinsfiles, checked beside YAML through the parser', () => {
  const jenkinsfile = (name: string): Input => {
    const file = path.join('test', 'fixtures', 'jenkinsfiles', name);
    return { file, text: fs.readFileSync(path.resolve(__dirname, '..', '..', file), 'utf8') };
  };

  test('a clean Jenkinsfile given with clean YAML: no findings at all', () => {
    const report = checkTexts([jenkinsfile('10-environment-credentials.Jenkinsfile'), ...tekton]);
    expect(report.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(report.files).toContain('test/fixtures/jenkinsfiles/10-environment-credentials.Jenkinsfile');
  });

  test('rule secret-in-gstring: a credential interpolated by Groovy, at its line in the Jenkinsfile', () => {
    const m = mutate([jenkinsfile('10-environment-credentials.Jenkinsfile'), ...tekton], '10-environment-credentials.Jenkinsfile',
      "sh 'echo \"$REGISTRY_PSW\"", "sh \"echo ${API_TOKEN}\"\n        sh 'echo \"$REGISTRY_PSW\"");
    expectRule(m, 'secret-in-gstring', '10-environment-credentials.Jenkinsfile', 'sh "echo ${API_TOKEN}"');
  });
});

describe('StepActions and TaskRuns', () => {
  test('rule step-action-missing-param: a step leaves out a param of a StepAction given together', () => {
    const m = mutate(forms, 'release-task.yaml', '        - name: image\n          value: ghcr.io/example/helm-tools:3.16\n', '');
    expectRule(m, 'step-action-missing-param', 'release-task.yaml', '- name: verify');
  });

  test('rule run-workspace-unknown: a TaskRun binds a workspace its inline spec does not declare', () => {
    const m = mutate(forms, 'smoke-runs.yaml', '  params:\n    - name: url\n      value:', '  workspaces:\n    - name: scratch\n      emptyDir: {}\n  params:\n    - name: url\n      value:');
    expectRule(m, 'run-workspace-unknown', 'smoke-runs.yaml', '- name: scratch');
  });

  test('rule task-run-retries: a negative retry count', () => {
    const m = mutate(forms, 'smoke-runs.yaml', 'retries: 2', 'retries: -1');
    expectRule(m, 'task-run-retries', 'smoke-runs.yaml', 'retries: -1');
  });

  test('rule script-param-substitution: a StepAction script that reads a param directly', () => {
    const m = mutate(forms, 'verify-action.yaml', '  command: ["cosign", "verify"]\n  args: ["--key", "$(params.keys[*])", "--rekor-url", "$(params.rekor-url)", "$(params.image)"]\n',
      '  script: |\n    cosign verify $(params.image)\n');
    expectRule(m, 'script-param-substitution', 'verify-action.yaml', 'script: |');
  });
});

describe('Istio VirtualService', () => {
  const mesh = fixtureSet('mesh');

  test('rule istio-route-weight: a broken weight split (a negative weight)', () => {
    const m = mutate(mesh, 'routes.yaml', 'weight: 10', 'weight: -10');
    expectRule(m, 'istio-route-weight', 'routes.yaml', 'weight: -10');
  });

  test('rule istio-route-weight: weights that sum to zero', () => {
    const m = mutate(mutate(mesh, 'routes.yaml', 'weight: 10', 'weight: 0'), 'routes.yaml', 'weight: 90', 'weight: 0');
    expectRule(m, 'istio-route-weight', 'routes.yaml', '        - destination:\n            host: payments\n            subset: stable');
  });

  test('rule istio-retries: an unknown retryOn policy', () => {
    const m = mutate(mesh, 'routes.yaml', 'retryOn: 5xx,connect-failure', 'retryOn: 5xx,connection-failure');
    expectRule(m, 'istio-retries', 'routes.yaml', 'retryOn:');
  });

  test('rule istio-http-route-action: a redirect and a route in one HTTP route', () => {
    const m = mutate(mesh, 'routes.yaml', '      redirect:\n        uri: /api/\n', '      route:\n        - destination:\n            host: payments\n      redirect:\n        uri: /api/\n');
    expectRule(m, 'istio-http-route-action', 'routes.yaml', '      route:\n        - destination:\n            host: payments\n      redirect:');
  });

  test('rule istio-mirror: a mirror percentage over 100', () => {
    const m = mutate(mesh, 'routes.yaml', '        value: 5\n', '        value: 150\n');
    expectRule(m, 'istio-mirror', 'routes.yaml', 'mirrorPercentage:');
  });

  test('rule istio-subsets: a subset name used twice in a DestinationRule', () => {
    const m = mutate(mesh, 'routes.yaml', '        version: v2\n', '        version: v2\n    - name: stable\n      labels:\n        version: v3\n');
    expectRule(m, 'istio-subsets', 'routes.yaml', '    - name: stable\n      labels:\n        version: v3');
  });

  test('rule istio-gateway-tls: an HTTPS server whose SIMPLE TLS names no credential', () => {
    const m = mutate(mesh, 'routes.yaml', '        credentialName: payments-example-com\n', '');
    expectRule(m, 'istio-gateway-tls', 'routes.yaml', 'mode: SIMPLE');
  });

  test('rule istio-service-entry: resolution STATIC without endpoints', () => {
    const m = mutate(mesh, 'routes.yaml', '  resolution: DNS\n', '  resolution: STATIC\n');
    expectRule(m, 'istio-service-entry', 'routes.yaml', 'resolution: STATIC');
  });

  test('rule schema: an unknown field in a VirtualService', () => {
    const m = mutate(mesh, 'routes.yaml', '      timeout: 10s', '      timeout: 10s\n      retry: 3');
    expectRule(m, 'schema', 'routes.yaml', 'retry: 3');
  });
});

describe('Triggers', () => {
  test('rule trigger-binding-balanced: an unclosed $( in a binding param', () => {
    const m = mutate(fixtureSet('other'), 'web.yaml', 'value: $(body.after)', 'value: $(body.after');
    expectRule(m, 'trigger-binding-balanced', 'web.yaml', 'value: $(body.after');
  });

  test('rule unknown-kind: a kind with neither schema nor reader is a warning', () => {
    const report = checkTexts([{ file: 'x.yaml', text: 'apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\n' }]);
    expect(report.diagnostics.map((d) => [d.rule, d.severity, d.line])).toEqual([['unknown-kind', 'warning', 1]]);
    expect(report.documents[0].coverage).toBe('none');
  });
});

describe('robustness', () => {
  test.each([
    ['steps that are not a list', 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  steps: 5\n'],
    ['tasks that are not objects', 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  tasks: [1, null, {name: a}]\n'],
    ['a spec that is a list', 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: r}\nspec: []\n'],
    ['routes that are a map', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v}\nspec:\n  http: {route: 1}\n'],
    ['a list document', '- a\n- b\n'],
  ])('%s: the schema says what is wrong, the rules step aside, nothing crashes', (_what, text) => {
    const report = checkTexts([{ file: 'w.yaml', text }]);
    expect(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)).toContain('schema');
    expect(report.diagnostics.every((d) => d.rule === 'schema' || d.rule === 'not-modelled')).toBe(true);
  });
});

describe('Knative Service', () => {
  const knative = fixtureSet('serverless');

  test('rule knative-traffic-percent: a traffic split that does not sum to 100', () => {
    const m = mutate(knative, 'thumbnails.yaml', 'percent: 20', 'percent: 30');
    expectRule(m, 'knative-traffic-percent', 'thumbnails.yaml', '  traffic:');
  });

  test('rule knative-revision-name: a revision name without the service prefix', () => {
    const m = mutate(knative, 'thumbnails.yaml', 'name: thumbnails-v7', 'name: thumbs-v7');
    expectRule(m, 'knative-revision-name', 'thumbnails.yaml', 'thumbs-v7');
  });

  test('rule knative-timeout: a request timeout above 600 seconds', () => {
    const m = mutate(knative, 'thumbnails.yaml', 'timeoutSeconds: 120', 'timeoutSeconds: 900');
    expectRule(m, 'knative-timeout', 'thumbnails.yaml', 'timeoutSeconds: 900');
  });

  test('rule knative-containers: a sidecar that exposes a port too', () => {
    const m = mutate(knative, 'thumbnails.yaml', '          image: registry.example.com/log-shipper:1.9.3\n', '          image: registry.example.com/log-shipper:1.9.3\n          ports:\n            - containerPort: 9090\n');
    expectRule(m, 'knative-containers', 'thumbnails.yaml', '      containers:\n        - name: resizer');
  });

  test('rule knative-container-name-unique: a sidecar named like the serving container', () => {
    const m = mutate(knative, 'thumbnails.yaml', '        - name: log-shipper', '        - name: resizer');
    expectRule(m, 'knative-container-name-unique', 'thumbnails.yaml', '        - name: resizer\n          image: registry.example.com/log-shipper');
  });

  test('rule knative-traffic-tag: a tag used twice', () => {
    const m = mutate(knative, 'thumbnails.yaml', 'percent: 20\n      tag: candidate', 'percent: 20\n      tag:   stable');
    expectRule(m, 'knative-traffic-tag', 'thumbnails.yaml', 'tag:   stable');
  });
});

describe('Argo Rollouts', () => {
  const rollouts = fixtureSet('rollouts');

  test('rule rollout-restart-at: a restart time that is not RFC 3339, and one with a fraction of a second', () => {
    // the Rollout is refused when it is built, so the Services beside it select nothing: only this rule's line is asserted
    for (const bad of ['2026-12-01 23:00', '2026-12-01T23:00:00.5+01:00']) {
      const m = mutate(rollouts, 'api-canary.yaml', 'restartAt: 2026-12-01T23:00:00+01:00', `restartAt: ${bad}`);
      expect(errors(m).filter((d) => d.rule === 'rollout-restart-at').map((d) => d.line)).toEqual([lineOf(m, 'api-canary.yaml', 'restartAt:')]);
    }
  });

  test('rule canary-set-weight: a canary weight above 100', () => {
    const m = mutate(rollouts, 'api-canary.yaml', 'setWeight: 50', 'setWeight: 150');
    expectRule(m, 'canary-set-weight', 'api-canary.yaml', 'setWeight: 150');
  });

  test('rule service-selects-rollout: a canary Service in the same file that selects other pods', () => {
    // the other pods exist (a web Deployment beside the Rollout), so only the canary Service's target is wrong
    const web = '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n'
      + '  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/web:1.8.0\n';
    const m = mutate(rollouts, 'api-canary.yaml', '  name: api-canary\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n      targetPort: 8080',
      `  name: api-canary\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n${web}`);
    expectRule(m, 'service-selects-rollout', 'api-canary.yaml', 'canaryService: api-canary');
  });

  test('rule canary-distinct-services: one Service as both canary and stable', () => {
    const m = mutate(rollouts, 'api-canary.yaml', 'canaryService: api-canary', 'canaryService: api-stable');
    expectRule(m, 'canary-distinct-services', 'api-canary.yaml', 'canaryService: api-stable');
  });

  test('rule schema: an unknown field in the canary strategy', () => {
    const m = mutate(rollouts, 'api-canary.yaml', 'maxUnavailable: 0', 'maxUnavailable: 0\n      maxSurgee: 1');
    expectRule(m, 'schema', 'api-canary.yaml', 'maxSurgee');
  });
});

describe('inline specs', () => {
  test('rule run-missing-param: a run without the param its inline pipeline declares', () => {
    const m = mutate(forms, 'inline-run.yaml', '  params:\n    - name: older-than\n      value: 14d\n', '');
    expectRule(m, 'run-missing-param', 'inline-run.yaml', '      - name: older-than');
  });

  test('rule param-undeclared: an inline task reading a param nobody provides', () => {
    const m = mutate(forms, 'inline-run.yaml', 'value: $(params.older-than)', 'value: $(params.older)');
    expect(errors(m).map((d) => [d.rule, d.line])).toEqual([[expect.stringMatching(/^param-/), lineOf(m, 'inline-run.yaml', '$(params.older)')]]);
  });
});

describe('trigger templates', () => {
  test('rule dns-1123-subdomain: a v1beta1 resource template run (read as v1) with a bad service account, at its line as written', () => {
    const triggers = fixtureSet('triggers');
    const m = mutate(triggers, 'bindings.yaml', 'serviceAccountName: notifier', 'serviceAccountName: Notifier_SA');
    expectRule(m, 'dns-1123-subdomain', 'bindings.yaml', 'Notifier_SA');
  });

  test('rule trigger-template-param-undeclared: a resource template reading a param the template does not declare', () => {
    const m = mutate(tekton, 'push-trigger.yaml', 'value: $(tt.params.git-revision)', 'value: $(tt.params.git-sha)');
    expectRule(m, 'trigger-template-param-undeclared', 'push-trigger.yaml', '$(tt.params.git-sha)');
  });

  test('rule run-missing-param: an embedded run that leaves out a required param of the pipeline in another file', () => {
    const m = mutate(tekton, 'push-trigger.yaml', '          - name: repo-url\n            value: $(tt.params.git-url)\n', '');
    expect(errors(m).map((d) => d.rule)).toEqual(expect.arrayContaining(['run-missing-param']));
  });
});
