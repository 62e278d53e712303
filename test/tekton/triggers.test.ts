import {
  EventListener, Interceptor, ParamValue, Pipeline, PipelineRun, Task, TaskRef, TaskRun, TriggerBinding, TriggerTemplate, WorkspaceBinding,
} from '../../lib/tekton';
import { expectRule, expectSynthRule, find, newChart, synth, triggerErrors } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';

function setup() {
  const chart = newChart();
  const pipeline = new Pipeline(chart, 'ci');
  const rev = pipeline.addParam('revision');
  const t = new Task(chart, 'echo');
  const p = t.addParam('p');
  t.addStep('s', { image: IMG, command: ['echo'], args: [`${p}`] });
  pipeline.addTask('a', { taskRef: t.ref, params: { p: ParamValue.of(rev) } });
  const template = new TriggerTemplate(chart, 'tt');
  return { chart, pipeline, template, task: t };
}

const github = () => Interceptor.github({ secretName: 'webhook' });

describe('triggers: valid forms', () => {
  test('template with a PipelineRun and a TaskRun, binding, listener with GitHub and CEL interceptors, least-privilege RBAC', () => {
    const { chart, pipeline, template, task } = setup();
    const rev = template.addParam('revision', { description: 'commit' });
    template.addParam('unused-default', { default: 'x' });
    new PipelineRun(template, 'Run', { pipeline, params: { revision: ParamValue.of(rev) } });
    new TaskRun(template, 'Echo', { task, params: { p: ParamValue.of(rev) }, workspaces: {} });
    const binding = new TriggerBinding(chart, 'push', { params: { revision: '$(body.after)' } });
    const el = new EventListener(chart, 'listener', { namespace: 'ci', serviceType: 'ClusterIP' });
    el.addTrigger('push', {
      template, bindings: [binding],
      interceptors: [github(), Interceptor.cel({ filter: "body.ref == 'refs/heads/main'", overlays: { short: 'body.after.truncate(7)' } })],
    });
    const shared = new TriggerBinding(chart, 'shared', { params: { revision: '$(body.checkout_sha)' }, clusterScoped: true });
    el.addTrigger('gitlab', { template, bindings: [shared], interceptors: [Interceptor.gitlab({ secretName: 'gl' })] });
    el.addTrigger('bitbucket', { template, bindings: [binding], interceptors: [Interceptor.bitbucket({ secretName: 'bb', eventTypes: ['repo:refs_changed'] })] });
    const docs = synth(chart);
    const tt = find(docs, 'TriggerTemplate');
    expect(tt.spec.resourcetemplates.map((r: any) => r.kind)).toEqual(['PipelineRun', 'TaskRun']);
    expect(tt.spec.resourcetemplates[0].metadata).toEqual({ generateName: 'ci-run-' });
    expect(docs.some((d) => d.kind === 'PipelineRun' || d.kind === 'TaskRun')).toBe(false);
    expect(docs.map((d) => d.kind)).toEqual(expect.arrayContaining(['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']));
    expect(JSON.stringify(docs)).not.toContain('cluster-admin');
    const clusterRole = find(docs, 'ClusterRole');
    expect(find(docs, 'ClusterRoleBinding').roleRef.name).toBe(clusterRole.metadata.name);
    expect(clusterRole.rules).toEqual([{ apiGroups: ['triggers.tekton.dev'], resources: ['clusterinterceptors', 'clustertriggerbindings'], verbs: ['get', 'list', 'watch'] }]);
    expect(docs).toMatchSnapshot();
  });

  test('our structural Triggers schema rejects unknown fields and missing templates', () => {
    expect(triggerErrors({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'TriggerBinding', metadata: { name: 'b' }, spec: { parms: [] } }).join())
      .toMatch(/additional/);
    expect(triggerErrors({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'e' }, spec: { triggers: [{ name: 't' }] } }).join())
      .toMatch(/template/);
  });

  test('resource templates: $(tt.params…) in a label value, a label key part, an annotation key and the run name pass (Triggers substitutes them first)', () => {
    const { chart, pipeline, template } = setup();
    const rev = template.addParam('revision');
    template.addParam('env');
    new PipelineRun(template, 'Run', {
      pipeline, name: 'release-$(tt.params.env)', params: { revision: ParamValue.of(rev) },
      labels: { 'ci.example.com/revision': '$(tt.params.revision)', 'ci.example.com/env-$(tt.params.env)': 'yes' },
      annotations: { 'ci.example.com/$(tt.params.env)': 'x' },
    });
    // 63 literal characters: valid when the param is empty; 62 and a trailing '-': valid when it is not
    new TaskRun(template, 'Edge', { taskRef: TaskRef.named('echo'), labels: { a: `${'a'.repeat(63)}$(tt.params.env)`, b: `${'b'.repeat(61)}-$(tt.params.env)` } });
    const run = find(synth(chart), 'TriggerTemplate').spec.resourcetemplates[0];
    expect(run.metadata).toEqual({
      name: 'release-$(tt.params.env)',
      labels: { 'ci.example.com/revision': '$(tt.params.revision)', 'ci.example.com/env-$(tt.params.env)': 'yes' },
      annotations: { 'ci.example.com/$(tt.params.env)': 'x' },
    });
  });

  test('GitHub push bindings provide revision and repo-url', () => {
    const chart = newChart();
    expect(TriggerBinding.githubPush(chart, 'gh').paramNames).toEqual(['revision', 'repo-url']);
  });
});

describe('triggers: rules', () => {
  test('rule trigger-template-param-unique: the same template param twice', () => {
    const { template } = setup();
    template.addParam('a');
    expectRule('trigger-template-param-unique', () => template.addParam('a'));
  });

  test('rule param-name-format (triggers): a template param name with spaces', () => {
    const { template } = setup();
    expectRule('param-name-format', () => template.addParam('a b'));
  });

  test('rule trigger-template-resources-required: a template without resources', () => {
    const { chart } = setup();
    expectSynthRule('trigger-template-resources-required', chart);
  });

  test('rule trigger-template-param-undeclared: $(tt.params.x) that the template does not declare', () => {
    const { chart, pipeline, template } = setup();
    new PipelineRun(template, 'Run', { pipeline, params: { revision: ParamValue.string('$(tt.params.ghost)') } });
    expect(expectSynthRule('trigger-template-param-undeclared', chart)).toContain("undeclared param '$(tt.params.ghost)'");
  });

  test('rule label-value (resource templates): literal parts no substitution can fix; outside a template $(tt.params…) stays refused', () => {
    const { chart, pipeline, template } = setup();
    template.addParam('revision');
    expect(expectRule('label-value', () => new PipelineRun(template, 'Run', { pipeline, labels: { rev: '$(tt.params.revision)!' } })))
      .toContain('"$(tt.params.revision)!"');
    expectRule('label-value', () => new PipelineRun(template, 'Long', { pipeline, labels: { rev: `${'a'.repeat(64)}$(tt.params.revision)` } }));
    expectRule('label-value', () => new PipelineRun(chart, 'Plain', { pipeline, labels: { rev: '$(tt.params.revision)' } }));
  });

  test('rule resource-name (resource templates): a run name whose literal parts are invalid', () => {
    const { pipeline, template } = setup();
    template.addParam('env');
    expect(expectRule('resource-name', () => new PipelineRun(template, 'Run', { pipeline, name: 'Release_$(tt.params.env)' })))
      .toContain('Release_$(tt.params.env)');
  });

  test('rule trigger-binding-param-unique: a binding param set twice', () => {
    const b = new TriggerBinding(newChart(), 'b', { params: { a: '$(body.a)' } });
    expectRule('trigger-binding-param-unique', () => b.addParam('a', 'x'));
  });

  test('rule trigger-binding-balanced: an unclosed $(', () => {
    expectRule('trigger-binding-balanced', () => new TriggerBinding(newChart(), 'b', { params: { a: '$(body.a' } }));
  });

  test('rule interceptor-secret-required: a GitHub interceptor without a secret', () => {
    expectRule('interceptor-secret-required', () => Interceptor.github({ secretName: '' }));
    expectRule('interceptor-secret-required', () => Interceptor.gitlab({ secretName: '' }));
  });

  test('rule variable-prefix (triggers): an event field used directly in a template run', () => {
    const { pipeline, template } = setup();
    expectRule('variable-prefix', () => new PipelineRun(template, 'Run', { pipeline, params: { revision: ParamValue.string('$(body.after)') } }));
  });

  test('rule event-listener-service-type: an unknown Service type', () => {
    expectRule('event-listener-service-type', () => new EventListener(newChart(), 'el', { serviceType: 'Public' }));
  });

  test('rule interceptor-params: a CEL interceptor with nothing to do', () => {
    expectRule('interceptor-params', () => Interceptor.cel({}));
  });

  test('rule trigger-name: a trigger name that is not label-valid', () => {
    const { chart, template } = setup();
    expectRule('trigger-name', () => new EventListener(chart, 'el').addTrigger('Push Main', { template, interceptors: [github()] }));
  });

  test('rule trigger-name-unique: the same trigger twice', () => {
    const { chart, template } = setup();
    const el = new EventListener(chart, 'el');
    el.addTrigger('push', { template, interceptors: [github()] });
    expectRule('trigger-name-unique', () => el.addTrigger('push', { template, interceptors: [github()] }));
  });

  test('rule trigger-unauthenticated: a trigger no interceptor authenticates', () => {
    const { chart, template } = setup();
    const el = new EventListener(chart, 'el');
    expectRule('trigger-unauthenticated', () => el.addTrigger('push', { template, interceptors: [Interceptor.cel({ filter: 'true' })] }));
    expect(() => el.addTrigger('open', { template, allowUnauthenticated: true })).not.toThrow();
  });

  test('rule event-listener-triggers-required: a listener without triggers', () => {
    const chart = newChart();
    new EventListener(chart, 'el');
    expectSynthRule('event-listener-triggers-required', chart);
  });

  test('rule event-listener-name-length: a name over 60 characters', () => {
    expectRule('event-listener-name-length', () => new EventListener(newChart(), 'el', { name: 'a'.repeat(61) }));
  });

  test('rule trigger-binding-missing-param: a required template param no binding provides', () => {
    const { chart, pipeline, template } = setup();
    const rev = template.addParam('revision');
    new PipelineRun(template, 'Run', { pipeline, params: { revision: ParamValue.of(rev) }, workspaces: { x: WorkspaceBinding.emptyDir() } });
    new EventListener(chart, 'el').addTrigger('push', { template, interceptors: [github()], bindings: [new TriggerBinding(chart, 'b', { params: { other: '$(body.x)' } })] });
    expectSynthRule('trigger-binding-missing-param', chart);
  });
});
