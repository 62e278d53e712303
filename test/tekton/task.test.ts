import { Duration } from '../../lib';
import {
  ApiFields, Context, EnvFrom, EnvValue, OnError, ParamType, ParamValue, StepAction, StepActionRef, Task, TaskRun, Volume,
  WhenExpression,
} from '../../lib/tekton';
import { expectRule, expectSynthRule, find, newChart, synth } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';

function task(props = {}) {
  const chart = newChart();
  return { chart, t: new Task(chart, 'build', props) };
}

describe('Task: valid upstream forms', () => {
  test('every Task feature renders and passes the strict Task schema', () => {
    const { chart, t } = task({ description: 'd', displayName: 'Build', stepTemplate: { image: IMG, env: { A: EnvValue.fromValue('1') } } });
    const s = t.addParam('s', { description: 'a string', default: ParamValue.string('x') });
    const a = t.addParam('args', { type: ParamType.ARRAY, default: ParamValue.array(['--a']) });
    const o = t.addParam('repo', { type: ParamType.OBJECT, properties: ['url', 'rev'], default: ParamValue.object({ url: 'u', rev: 'main' }) });
    t.addParam('dotted.name', { default: ParamValue.string('y') });
    const r = t.addResult('digest');
    t.addResult('list', { type: ParamType.ARRAY });
    t.addResult('info', { type: ParamType.OBJECT, properties: ['url'] });
    const src = t.addWorkspace('source', { mountPath: '/src', readOnly: true, description: 'code' });
    const cache = t.addWorkspace('cache', { optional: true });
    t.addVolume(Volume.emptyDir('tmp'));
    t.addVolume(Volume.secret('creds', 'registry'));
    t.addVolume(Volume.configMap('cfg', 'settings'));
    const first = t.addStep('first', {
      command: ['echo'], args: [a.all, a.index(0), `${s}`, o.key('url'), Context.TASK_RUN_NAME],
      workingDir: src.path, onError: OnError.CONTINUE, timeout: Duration.minutes(5),
      results: { sha: {}, meta: { type: ParamType.OBJECT, properties: ['k'] } },
      env: { OUT: EnvValue.fromExpression(r.path), CACHE: EnvValue.fromExpression(cache.bound), POD_NS: EnvValue.fromFieldPath('metadata.namespace'),
        TOKEN: EnvValue.fromSecretKey('git', 'token'), LEVEL: EnvValue.fromConfigMapKey('settings', 'level', true) },
      envFrom: [EnvFrom.configMap('settings'), EnvFrom.secret('extra', 'X_')],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'creds', mountPath: '/creds', readOnly: true }, { name: 'cfg', mountPath: '/tekton/home/cfg', subPath: 'a' }],
      computeResources: { requests: { cpu: '200m' }, limits: { memory: '1Gi' } },
      securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
      workspaces: [{ name: 'source', mountPath: '/isolated' }],
    });
    t.addStep('second', { script: '#!/bin/sh\necho "$SHA" > "$OUT"\n', env: { SHA: EnvValue.fromValue(first.result('sha')), OUT: EnvValue.fromExpression(r.path) },
      when: [WhenExpression.in(`${s}`, ['x', 'y'])] });
    t.addResult('from-step', { value: first.result('sha') });
    t.addSidecar('db', { image: 'docker.io/library/postgres:16', env: { POSTGRES_PASSWORD: EnvValue.fromSecretKey('db', 'pw') } });
    const docs = synth(chart);
    const spec = find(docs, 'Task').spec;
    expect(spec.steps.map((x: any) => x.name)).toEqual(['first', 'second']);
    expect(spec.params.find((p: any) => p.name === 'repo').properties).toEqual({ url: { type: 'string' }, rev: { type: 'string' } });
    expect(spec.steps[0].args).toEqual(['$(params.args[*])', '$(params.args[0])', '$(params.s)', '$(params.repo.url)', '$(context.taskRun.name)']);
    expect(spec.stepTemplate.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(docs).toMatchSnapshot();
  });

  test('step variables other than results (exit codes) are accepted in scripts', () => {
    const { chart, t } = task();
    t.addStep('first', { image: IMG, command: ['false'], onError: OnError.CONTINUE });
    t.addStep('check', { image: IMG, script: '#!/bin/sh\ncat $(steps.step-first.exitCode.path)\n' });
    expect(find(synth(chart), 'Task').spec.steps[1].script).toContain('$(steps.step-first.exitCode.path)');
  });

  test('a whole array param without [*] is accepted as a whole args element (older spelling)', () => {
    const { chart, t } = task();
    t.addParam('extra', { type: ParamType.ARRAY, default: ParamValue.array([]) });
    t.addStep('s', { image: IMG, command: ['echo'], args: ['$(params.extra)', '--flag'] });
    expect(find(synth(chart), 'Task').spec.steps[0].args[0]).toBe('$(params.extra)');
  });

  test('a dotted param name renders with brackets', () => {
    const { t } = task();
    expect(`${t.addParam('a.b')}`).toBe("$(params['a.b'])");
  });

  test('steps referencing a StepAction, and a TaskRun running an inline Task', () => {
    const chart = newChart();
    const sa = new StepAction(chart, 'greet', { image: IMG, script: '#!/bin/sh\necho "$WHO" > "$(step.results.out.path)"\n', env: { WHO: EnvValue.fromValue('$(params.who)') } });
    sa.addParam('who');
    sa.addResult('out');
    const t = new Task(chart, 'uses-action', { inline: true });
    t.addStep('hello', { ref: sa.ref, params: { who: ParamValue.string('world') }, onError: OnError.STOP_AND_FAIL });
    t.addStep('resolved', { ref: StepActionRef.named('other') });
    new TaskRun(chart, 'run', { task: t });
    const docs = synth(chart);
    expect(find(docs, 'StepAction').apiVersion).toBe('tekton.dev/v1beta1');
    expect(find(docs, 'TaskRun').spec.taskSpec.steps[0]).toEqual({ name: 'hello', params: [{ name: 'who', value: 'world' }], ref: { name: 'greet' }, onError: 'stopAndFail' });
    expect(docs.some((d) => d.kind === 'Task')).toBe(false);
  });

  test('onError may be a param reference', () => {
    const { chart, t } = task();
    const mode = t.addParam('on-error', { default: ParamValue.string('continue') });
    t.addStep('s', { image: IMG, onError: `${mode}` as OnError });
    expect(find(synth(chart), 'Task').spec.steps[0].onError).toBe('$(params.on-error)');
    const bad = task();
    bad.t.addStep('s', { image: IMG, onError: '$(params.ghost)' as OnError });
    expectSynthRule('param-undeclared', bad.chart);
  });

  test('alpha features are accepted with alpha API fields: param enum, stdout/stderr capture, CEL step guards', () => {
    const { chart, t } = task({ apiFields: ApiFields.ALPHA });
    t.addParam('mode', { enum: ['fast', 'slow'], default: ParamValue.string('fast') });
    const out = t.addResult('out');
    t.addStep('s', { image: IMG, command: ['date'], stdoutPath: out.path, stderrPath: '/tmp/err', when: [WhenExpression.cel("'$(params.mode)' == 'fast'")] });
    const spec = find(synth(chart), 'Task').spec;
    expect(spec.params[0].enum).toEqual(['fast', 'slow']);
    expect(spec.steps[0].stdoutConfig).toEqual({ path: '$(results.out.path)' });
  });
});

describe('Task: rules', () => {
  test('rule resource-name: a name that is not a DNS-1123 subdomain of at most 63 chars', () => {
    expectRule('resource-name', () => task({ name: 'Build_It' }));
    expectRule('resource-name', () => task({ name: 'a'.repeat(64) }));
  });

  test('rule task-steps-required: a Task without steps', () => {
    const { chart } = task();
    expectSynthRule('task-steps-required', chart);
  });

  test('rule step-name: a step name that is not a DNS label', () => {
    expect(expectRule('step-name', () => task().t.addStep('Build Step', { image: IMG }))).toContain('"Build Step"');
  });

  test('rule step-name-unique: two steps with the same name', () => {
    const { t } = task();
    t.addStep('s', { image: IMG });
    expectRule('step-name-unique', () => t.addStep('s', { image: IMG }));
  });

  test('rule sidecar-name-reserved: a sidecar called tekton-log-results', () => {
    expectRule('sidecar-name-reserved', () => task().t.addSidecar('tekton-log-results', { image: IMG }));
  });

  test('rule step-image-required: a step without image and no template image', () => {
    expectRule('step-image-required', () => task().t.addStep('s', { script: 'echo' }));
    expect(() => task({ stepTemplate: { image: IMG } }).t.addStep('s', { script: 'echo' })).not.toThrow();
  });

  test('rule step-script-command-exclusive: script and command together', () => {
    expectRule('step-script-command-exclusive', () => task().t.addStep('s', { image: IMG, script: 'echo', command: ['sh'] }));
  });

  test('rule step-params-need-ref: params on an inline step', () => {
    expectRule('step-params-need-ref', () => task().t.addStep('s', { image: IMG, params: { a: ParamValue.string('x') } }));
  });

  test('rule step-ref-exclusive: a StepAction step that also sets image', () => {
    expect(expectRule('step-ref-exclusive', () => task().t.addStep('s', { ref: StepActionRef.named('a'), image: IMG }))).toContain('image');
  });

  test('rule step-action-missing-param: a StepAction step that omits a required param', () => {
    const { chart, t } = task();
    const sa = new StepAction(chart, 'sa', { image: IMG });
    t.addStep('s', { ref: sa.ref });
    sa.addParam('who'); // declared after the reference: still counted
    expectSynthRule('step-action-missing-param', chart);
  });

  test('rule step-on-error: an onError value that is not continue or stopAndFail', () => {
    expectRule('step-on-error', () => task().t.addStep('s', { image: IMG, onError: 'ignore' as OnError }));
  });

  test('rule volume-mount-reserved: mounts under /tekton/ or tekton-internal- volumes', () => {
    expectRule('volume-mount-reserved', () => task().t.addStep('s', { image: IMG, volumeMounts: [{ name: 'v', mountPath: '/tekton/results' }] }));
    expectRule('volume-mount-reserved', () => task().t.addStep('s', { image: IMG, volumeMounts: [{ name: 'tekton-internal-x', mountPath: '/x' }] }));
  });

  test('rule volume-name-unique: the same volume twice', () => {
    const { t } = task();
    t.addVolume(Volume.emptyDir('v'));
    expectRule('volume-name-unique', () => t.addVolume(Volume.emptyDir('v')));
  });

  test('rule volume-mount-undeclared: a mount of a volume the task lacks', () => {
    const { chart, t } = task();
    t.addStep('s', { image: IMG, volumeMounts: [{ name: 'nope', mountPath: '/x' }] });
    expectSynthRule('volume-mount-undeclared', chart);
  });

  test('rule workspace-name: a workspace name that is not a DNS label', () => {
    expectRule('workspace-name', () => task().t.addWorkspace('My_WS'));
  });

  test('rule workspace-name-unique: the same workspace twice', () => {
    const { t } = task();
    t.addWorkspace('w');
    expectRule('workspace-name-unique', () => t.addWorkspace('w'));
  });

  test('rule workspace-mount-path: two workspaces at one path, or a volume mounted over a workspace', () => {
    const a = task();
    a.t.addWorkspace('a', { mountPath: '/same' });
    a.t.addWorkspace('b', { mountPath: '/same' });
    a.t.addStep('s', { image: IMG });
    expectSynthRule('workspace-mount-path', a.chart);
    const b = task();
    b.t.addWorkspace('src');
    b.t.addVolume(Volume.emptyDir('v'));
    b.t.addStep('s', { image: IMG, volumeMounts: [{ name: 'v', mountPath: '/workspace/src' }] });
    expectSynthRule('workspace-mount-path', b.chart);
  });

  test('rule step-workspace-undeclared: a step mounting an undeclared workspace', () => {
    const { chart, t } = task();
    t.addStep('s', { image: IMG, workspaces: [{ name: 'ghost' }] });
    expectSynthRule('step-workspace-undeclared', chart);
  });

  test('rule param-type: an unknown param type', () => {
    expectRule('param-type', () => task().t.addParam('p', { type: 'number' as ParamType }));
  });

  test('rule param-name-format: names outside the Tekton regex, dots in object params', () => {
    expectRule('param-name-format', () => task().t.addParam('1st'));
    expectRule('param-name-format', () => task().t.addParam('a.b', { type: ParamType.OBJECT, properties: ['k'] }));
    expectRule('param-name-format', () => task().t.addParam('o', { type: ParamType.OBJECT, properties: ['bad.key'] }));
  });

  test('rule param-name-unique: duplicate names, compared case-insensitively', () => {
    const { t } = task();
    t.addParam('Image');
    expectRule('param-name-unique', () => t.addParam('image'));
  });

  test('rule param-default-type: a default of another type', () => {
    expectRule('param-default-type', () => task().t.addParam('p', { type: ParamType.ARRAY, default: ParamValue.string('x') }));
    expectRule('param-default-type', () => task().t.addParam('o', { type: ParamType.OBJECT, properties: ['a', 'b'], default: ParamValue.object({ a: '1' }) }));
  });

  test('rule param-object-properties: an object param without properties', () => {
    expectRule('param-object-properties', () => task().t.addParam('o', { type: ParamType.OBJECT }));
    expectRule('param-object-properties', () => task().t.addParam('s', { type: ParamType.STRING, properties: ['a'] }));
  });

  test('rule param-enum: enum on arrays, duplicate values, a default outside the enum', () => {
    const alpha = () => task({ apiFields: ApiFields.ALPHA }).t;
    expectRule('param-enum', () => alpha().addParam('a', { type: ParamType.ARRAY, enum: ['x'] }));
    expectRule('param-enum', () => alpha().addParam('a', { enum: ['x', 'x'] }));
    expectRule('param-enum', () => alpha().addParam('a', { enum: ['x'], default: ParamValue.string('y') }));
  });

  test('rule alpha-feature: param enum, #!win scripts, CEL step guards and artifacts without alpha API fields', () => {
    expectRule('alpha-feature', () => task().t.addParam('a', { enum: ['x'] }));
    expectRule('alpha-feature', () => task().t.addStep('w', { image: IMG, script: '#!win pwsh\nWrite-Host hi' }));
    expectRule('alpha-feature', () => task().t.addStep('c', { image: IMG, when: [WhenExpression.cel("'a' == 'a'")] }));
    expectRule('alpha-feature', () => task().t.addStep('o', { image: IMG, stdoutPath: '/tmp/out' }));
    const { chart, t } = task();
    t.addStep('art', { image: IMG, env: { IN: EnvValue.fromValue('$(inputs.source.path)') } });
    expectSynthRule('alpha-feature', chart);
  });

  test('rule param-undeclared: $(params.x) in a step without a declaration', () => {
    const { chart, t } = task();
    t.addStep('s', { image: IMG, env: { X: EnvValue.fromValue('$(params.nope)') } });
    expect(expectSynthRule('param-undeclared', chart)).toContain('$(params.nope)');
  });

  test('rule param-object-key: a key the object param does not declare', () => {
    const { chart, t } = task();
    const o = t.addParam('o', { type: ParamType.OBJECT, properties: ['url'] });
    expectRule('param-object-key', () => o.key('nope'));
    t.addStep('s', { image: IMG, args: ['$(params.o.nope)'] });
    expectSynthRule('param-object-key', chart);
  });

  test('rule param-isolation: whole arrays outside command/args, or not as a whole element', () => {
    const a = task();
    a.t.addParam('list', { type: ParamType.ARRAY });
    a.t.addStep('s', { image: IMG, env: { L: EnvValue.fromValue('$(params.list[*])') } });
    expectSynthRule('param-isolation', a.chart);
    const b = task();
    b.t.addParam('list', { type: ParamType.ARRAY });
    b.t.addStep('s', { image: IMG, args: ['--x=$(params.list[*])'] });
    expect(expectSynthRule('param-isolation', b.chart)).toContain('inside other text');
    const c = task();
    const s = c.t.addParam('s');
    expectRule('param-isolation', () => s.all);
  });

  test('rule result-name-format: a result name outside the regex', () => {
    expectRule('result-name-format', () => task().t.addResult('-bad'));
  });

  test('rule result-name-unique: the same result twice', () => {
    const { t } = task();
    t.addResult('r');
    expectRule('result-name-unique', () => t.addResult('r'));
  });

  test('rule result-object-properties: an object result without properties', () => {
    expectRule('result-object-properties', () => task().t.addResult('r', { type: ParamType.OBJECT }));
  });

  test('rule result-value-format: a result value that is not a step result reference', () => {
    expectRule('result-value-format', () => task().t.addResult('r', { value: 'literal' }));
  });

  test('rule result-undeclared: $(results.x.path) of an undeclared result', () => {
    const { chart, t } = task();
    t.addStep('s', { image: IMG, env: { OUT: EnvValue.fromValue('$(results.nope.path)') } });
    expectSynthRule('result-undeclared', chart);
  });

  test('rule step-result-undeclared: a step result that no step declares', () => {
    const { chart, t } = task();
    const s = t.addStep('s', { image: IMG });
    expectRule('step-result-undeclared', () => s.result('x'));
    t.addResult('r', { value: '$(steps.s.results.x)' });
    expectSynthRule('step-result-undeclared', chart);
  });

  test('rule step-result-placement: $(steps.s.results.r) outside env/command/args', () => {
    const { chart, t } = task();
    const s = t.addStep('s', { image: IMG, results: { r: {} } });
    t.addStep('t', { image: IMG, workingDir: s.result('r') });
    expectSynthRule('step-result-placement', chart);
  });

  test('rule context-variable: an unknown task context variable', () => {
    const { chart, t } = task();
    t.addStep('s', { image: IMG, args: ['$(context.pipelineRun.name)'] });
    expectSynthRule('context-variable', chart);
  });

  test('rule workspace-ref-undeclared: $(workspaces.x.path) of an undeclared workspace', () => {
    const { chart, t } = task();
    t.addStep('s', { image: IMG, workingDir: '$(workspaces.ghost.path)' });
    expectSynthRule('workspace-ref-undeclared', chart);
  });

  test('rule inline-task-ref: referencing an inline Task by name', () => {
    expectRule('inline-task-ref', () => task({ inline: true }).t.ref);
  });

  test('rule param-value: a raw string where a ParamValue belongs', () => {
    const { chart, t } = task({ inline: true });
    t.addStep('s', { image: IMG });
    expectRule('param-value', () => new TaskRun(chart, 'r', { task: t, params: { a: 'raw' as unknown as ParamValue } }));
  });

  test('rule step-image-required (StepAction): a StepAction without image', () => {
    expectRule('step-image-required', () => new StepAction(newChart(), 'sa', { image: '' }));
  });

  test('rule step-script-command-exclusive (StepAction): script and command', () => {
    expectRule('step-script-command-exclusive', () => new StepAction(newChart(), 'sa', { image: IMG, script: 'x', command: ['y'] }));
  });

  test('rule script-param-substitution: $(params.x) inside a StepAction script, with no opt-out', () => {
    expect(expectRule('script-param-substitution', () => new StepAction(newChart(), 'sa', { image: IMG, script: 'echo $(params.who)' })))
      .toContain('param substitution in scripts is not allowed');
  });

  test('rule param-undeclared (StepAction): an undeclared param in env', () => {
    const chart = newChart();
    new StepAction(chart, 'sa', { image: IMG, env: { W: EnvValue.fromValue('$(params.who)') } });
    expectSynthRule('param-undeclared', chart);
  });

  test('rule result-undeclared (StepAction): an undeclared step result path', () => {
    const chart = newChart();
    new StepAction(chart, 'sa', { image: IMG, args: ['$(step.results.out.path)'] });
    expectSynthRule('result-undeclared', chart);
  });
});
