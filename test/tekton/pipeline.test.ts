import { Duration } from '../../lib';
import {
  ApiFields, Catalog, Context, EnvValue, OnError, ParamType, ParamValue, Pipeline, PipelineRef, PipelineRun, Resolver, Task, TaskRef,
  TaskRun,
  WhenExpression, WorkspaceBinding,
} from '../../lib/tekton';
import { expectRule, expectSynthRule, find, newChart, synth } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';

/** A chart with a Task `t` (param `p`, workspace `w`, results `r` and `list`) and an empty Pipeline. */
function setup(pipelineProps = {}) {
  const chart = newChart();
  const task = new Task(chart, 't');
  task.addParam('p');
  task.addWorkspace('w');
  task.addResult('r');
  task.addResult('list', { type: ParamType.ARRAY });
  task.addStep('s', { image: IMG });
  const pipeline = new Pipeline(chart, 'pl', pipelineProps);
  const ws = pipeline.addWorkspace('shared');
  const ok = (extra = {}) => ({ taskRef: task.ref, params: { p: ParamValue.string('x') }, workspaces: { w: ws }, ...extra });
  return { chart, task, pipeline, ws, ok };
}

describe('Pipeline: valid upstream forms', () => {
  test('DAG from runAfter and result references, finally with status, matrix with include, when, resolvers, results', () => {
    const { chart, pipeline, ok, ws } = setup();
    const branch = pipeline.addParam('branch', { default: ParamValue.string('main') });
    const versions = pipeline.addParam('versions', { type: ParamType.ARRAY, default: ParamValue.array(['1', '2']) });
    const cfg = pipeline.addParam('cfg', { type: ParamType.OBJECT, properties: ['url'], default: ParamValue.object({ url: 'u' }) });
    const a = pipeline.addTask('a', ok({ params: { p: ParamValue.of(cfg.key('url')) } }));
    const b = pipeline.addTask('b', ok({ params: { p: ParamValue.of(a.result('r')) }, retries: 2, timeout: Duration.minutes(10) }));
    const c = pipeline.addTask('c', ok({ runAfter: [a], when: [WhenExpression.in(`${branch}`, ['main']), WhenExpression.notIn(`${a.result('r')}`, [''])] }));
    pipeline.addTask('fan', {
      ...ok({ params: {} }),
      matrix: { params: { p: ParamValue.string(versions.all) }, include: [{ name: 'extra', params: { p: ParamValue.string('3') } }] },
      onError: OnError.CONTINUE,
    });
    pipeline.addTask('fan2', { ...ok({ params: {} }), matrix: { params: { p: ParamValue.array(['x', 'y']) } } });
    pipeline.addTask('use-fan', ok({ params: { p: ParamValue.string('$(tasks.fan2.results.r[*])') } }));
    pipeline.addTask('elem', ok({ params: { p: ParamValue.of(b.result('list').index(0)) } }));
    pipeline.addTask('hub', Catalog.gitClone({ url: 'https://github.com/example/app.git', output: ws, revision: `${branch}` }));
    pipeline.addTask('git', { taskRef: TaskRef.resolve(Resolver.git({ url: 'https://github.com/example/tasks.git', revision: 'a1b2c3', pathInRepo: 'task/x.yaml' })) });
    pipeline.addTask('bundle', { taskRef: TaskRef.resolve(Resolver.bundle({ bundle: 'registry.example.com/tasks@sha256:abc', name: 'x' })) });
    pipeline.addTask('cluster', { taskRef: TaskRef.resolve(Resolver.cluster({ name: 'x', namespace: 'shared-tasks' })) });
    pipeline.addTask('http', { taskRef: TaskRef.resolve(Resolver.http({ url: 'https://example.com/task.yaml' })) });
    pipeline.addTask('custom', { taskRef: TaskRef.custom('example.dev/v1', 'Wait'), runAfter: [c] });
    const inline = new Task(pipeline, 'inline-spec', { inline: true });
    inline.addStep('go', { image: IMG, command: ['echo'], args: ['$(COMMIT)'], env: { COMMIT: EnvValue.fromExpression(b.result('r')) } });
    const d = pipeline.addTask('inline', { taskSpec: inline });
    expect(d.dependencies).toEqual(['b']);
    pipeline.addFinally('notify', ok({ params: { p: ParamValue.of(Context.TASKS_STATUS) } }));
    pipeline.addFinally('notify-b', ok({ params: { p: ParamValue.of(b.status) }, when: [WhenExpression.in(b.reason, ['Failed'])] }));
    pipeline.addFinally('use-result', ok({ params: { p: ParamValue.of(a.result('r')) } }));
    const f = pipeline.addFinally('last', ok({ params: { p: ParamValue.string(Context.PIPELINE_RUN_NAME) } }));
    pipeline.addResult('out', { value: `${b.result('r')}` });
    pipeline.addResult('final', { value: `${f.result('r')}` });
    const docs = synth(chart);
    const spec = find(docs, 'Pipeline').spec;
    expect(spec.tasks.find((t: any) => t.name === 'c').runAfter).toEqual(['a']);
    expect(spec.tasks.find((t: any) => t.name === 'hub').taskRef).toEqual({ resolver: 'hub', params: [
      { name: 'name', value: 'git-clone' }, { name: 'version', value: '0.9' }, { name: 'kind', value: 'task' }] });
    expect(spec.results[1].value).toBe('$(finally.last.results.r)');
    expect(docs).toMatchSnapshot();
  });

  test('pipelines in pipelines are accepted with alpha API fields', () => {
    const { chart, task, pipeline, ok } = setup();
    pipeline.addTask('a', ok());
    const child = new Pipeline(chart, 'child', { inline: true });
    const p = child.addParam('p');
    child.addTask('inner', { taskRef: task.ref, params: { p: ParamValue.of(p) }, workspaces: { w: child.addWorkspace('w') } });
    const parent = new Pipeline(chart, 'parent', { apiFields: ApiFields.ALPHA });
    const ws = parent.addWorkspace('ws');
    parent.addTask('embedded', { pipelineSpec: child, params: { p: ParamValue.string('x') }, workspaces: { w: ws } });
    parent.addTask('by-ref', { pipelineRef: PipelineRef.named('other-pipeline') });
    const spec = find(synth(chart), 'Pipeline', 'parent').spec;
    expect(spec.tasks[0].pipelineSpec.tasks[0].name).toBe('inner');
    expect(spec.tasks[1].pipelineRef).toEqual({ name: 'other-pipeline' });
  });

  test('CEL when expressions are accepted with alpha API fields', () => {
    const { chart, pipeline, ok } = setup({ apiFields: ApiFields.ALPHA });
    const branch = pipeline.addParam('branch');
    pipeline.addTask('a', ok({ when: [WhenExpression.cel(`'${branch}' == 'main'`)] }));
    expect(find(synth(chart), 'Pipeline').spec.tasks[0].when).toEqual([{ cel: "'$(params.branch)' == 'main'" }]);
  });

  test('inline specs may read propagated params of the enclosing Pipeline, PipelineRun or TaskRun', () => {
    const chart = newChart();
    const pipeline = new Pipeline(chart, 'pl');
    pipeline.addParam('greeting', { default: ParamValue.string('hi') });
    const t = new Task(pipeline, 'say', { inline: true });
    t.addStep('echo', { image: IMG, command: ['echo'], args: ['$(params.greeting)', '$(params.who)'] });
    pipeline.addTask('say', { taskSpec: t, params: { who: ParamValue.string('world') } });
    const inlinePl = new Pipeline(chart, 'inline-pl', { inline: true });
    const u = new Task(inlinePl, 'u', { inline: true });
    u.addStep('echo', { image: IMG, command: ['echo'], args: ['$(params.from-run)'] });
    inlinePl.addTask('u', { taskSpec: u });
    new PipelineRun(chart, 'run', { pipeline: inlinePl, params: { 'from-run': ParamValue.string('x') } });
    const lone = new Task(chart, 'lone', { inline: true });
    lone.addStep('echo', { image: IMG, command: ['echo'], args: ['$(params.msg)', '$(workspaces.data.path)'] });
    new TaskRun(chart, 'tr', { task: lone, params: { msg: ParamValue.string('m') }, workspaces: { data: WorkspaceBinding.emptyDir() } });
    const docs = synth(chart);
    expect(find(docs, 'TaskRun').spec.taskSpec.steps[0].args).toEqual(['$(params.msg)', '$(workspaces.data.path)']);
  });

  test('an inline Pipeline runs as pipelineSpec with inline taskSpecs', () => {
    const chart = newChart();
    const pipeline = new Pipeline(chart, 'inline-pl', { inline: true });
    const t = new Task(pipeline, 'echo', { inline: true });
    const msg = t.addParam('msg');
    t.addStep('echo', { image: IMG, command: ['echo'], args: [`${msg}`] });
    pipeline.addTask('say', { taskSpec: t, params: { msg: ParamValue.string('hi') } });
    new PipelineRun(chart, 'run', { pipeline, workspaces: {}, params: {} });
    const docs = synth(chart);
    expect(docs.map((d) => d.kind)).toEqual(['PipelineRun']);
    expect(docs[0].spec.pipelineSpec.tasks[0].taskSpec.steps[0].args).toEqual(['$(params.msg)']);
  });
});

describe('Pipeline: rules', () => {
  test('rule pipeline-tasks-required: no tasks (also with only finally)', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addFinally('f', ok());
    expect(expectSynthRule('pipeline-tasks-required', chart)).toContain('finally needs tasks');
  });

  test('rule pipeline-task-name: a task name that is not a DNS label', () => {
    const { pipeline, ok } = setup();
    expectRule('pipeline-task-name', () => pipeline.addTask('Build', ok()));
  });

  test('rule pipeline-task-name-unique: the same name in tasks and finally', () => {
    const { pipeline, ok } = setup();
    pipeline.addTask('a', ok());
    expectRule('pipeline-task-name-unique', () => pipeline.addFinally('a', ok()));
  });

  test('rule pipeline-task-ref-or-spec: neither, both, or a non-inline Task as taskSpec', () => {
    const { pipeline, task } = setup();
    expect(expectRule('pipeline-task-ref-or-spec', () => pipeline.addTask('a', {}))).toContain('neither');
    const inline = new Task(pipeline, 'i', { inline: true });
    expect(expectRule('pipeline-task-ref-or-spec', () => pipeline.addTask('b', { taskRef: task.ref, taskSpec: inline }))).toContain('multiple');
    expectRule('pipeline-task-ref-or-spec', () => pipeline.addTask('c', { taskSpec: task }));
  });

  test('rule task-ref-name: a taskRef name that is not a Kubernetes name', () => {
    expectRule('task-ref-name', () => TaskRef.named('Bad Name'));
  });

  test('rule custom-task-ref: a custom task without group/version apiVersion', () => {
    expectRule('custom-task-ref', () => TaskRef.custom('v1', 'Wait'));
  });

  test('rule resolver-params: incomplete or conflicting resolver params', () => {
    expectRule('resolver-params', () => Resolver.git({ url: 'u', org: 'o', repo: 'r', pathInRepo: 'p', revision: 'v' }));
    expectRule('resolver-params', () => Resolver.git({ pathInRepo: 'p', revision: 'v' }));
    expectRule('resolver-params', () => Resolver.hub({ name: 'git-clone', version: '' }));
    expectRule('resolver-params', () => Resolver.bundle({ bundle: '', name: 'x' }));
    expectRule('resolver-params', () => Resolver.cluster({ name: 'x', namespace: '' }));
    expectRule('resolver-params', () => Resolver.http({ url: 'ftp://x' }));
  });

  test('rule alpha-feature: the concise resolver syntax and CEL without alpha', () => {
    const { pipeline, ok } = setup();
    expectRule('alpha-feature', () => pipeline.addTask('a', { taskRef: TaskRef.named('https://example.com/t.yaml') }));
    expectRule('alpha-feature', () => pipeline.addTask('b', ok({ when: [WhenExpression.cel("'a' == 'a'")] })));
  });

  test('rule alpha-feature (pipeline): a pipeline in a pipeline without alpha', () => {
    const { pipeline } = setup();
    expectRule('alpha-feature', () => pipeline.addTask('child', { pipelineRef: PipelineRef.named('other') }));
  });

  test('rule pipeline-in-pipeline-result: a result of a task that runs a pipeline', () => {
    const { chart, ok, pipeline } = setup();
    pipeline.addTask('a', ok());
    const parent = new Pipeline(chart, 'parent', { apiFields: ApiFields.ALPHA });
    const child = parent.addTask('child', { pipelineRef: PipelineRef.named('other') });
    expectRule('pipeline-in-pipeline-result', () => child.result('x'));
    parent.addWorkspace('shared');
    parent.addTask('use', ok({ params: { p: ParamValue.string('$(tasks.child.results.x)') } }));
    expectSynthRule('pipeline-in-pipeline-result', chart);
  });

  test('rule beta-feature: resolvers, matrix and onError with stable API fields', () => {
    const { pipeline, ok, ws } = setup({ apiFields: ApiFields.STABLE });
    expectRule('beta-feature', () => pipeline.addTask('a', Catalog.gitClone({ url: 'u', output: ws })));
    expectRule('beta-feature', () => pipeline.addTask('b', ok({ params: {}, matrix: { params: { p: ParamValue.array(['1']) } } })));
    expectRule('beta-feature', () => pipeline.addTask('c', ok({ onError: OnError.CONTINUE })));
  });

  test('rule finally-run-after: runAfter on a finally task', () => {
    const { pipeline, ok } = setup();
    const a = pipeline.addTask('a', ok());
    expectRule('finally-run-after', () => pipeline.addFinally('f', ok({ runAfter: [a] })));
    const f = pipeline.addFinally('g', ok());
    expectRule('finally-run-after', () => f.runAfter(a));
  });

  test('rule pipeline-task-retries: negative retries', () => {
    const { pipeline, ok } = setup();
    expectRule('pipeline-task-retries', () => pipeline.addTask('a', ok({ retries: -1 })));
  });

  test('rule pipeline-task-on-error: an onError value that is not continue or stopAndFail', () => {
    const { pipeline, ok } = setup();
    expectRule('pipeline-task-on-error', () => pipeline.addTask('a', ok({ onError: 'skip' as OnError })));
  });

  test('rule pipeline-task-on-error-retries: onError continue with retries', () => {
    const { pipeline, ok } = setup();
    expectRule('pipeline-task-on-error-retries', () => pipeline.addTask('a', ok({ onError: OnError.CONTINUE, retries: 1 })));
  });

  test('rule when-input-blank: a blank input or CEL expression', () => {
    expectRule('when-input-blank', () => WhenExpression.in(' ', ['x']));
    expectRule('when-input-blank', () => WhenExpression.cel(''));
  });

  test('rule when-values-empty: no values', () => {
    expectRule('when-values-empty', () => WhenExpression.notIn('$(params.a)', []));
  });

  test('rule when-cel-quoted: an unquoted Tekton variable in CEL', () => {
    expectRule('when-cel-quoted', () => WhenExpression.cel('$(params.branch) == "main"'));
  });

  test('rule matrix-param-in-params: a param in both params and matrix', () => {
    const { pipeline, ok } = setup();
    expectRule('matrix-param-in-params', () => pipeline.addTask('a', ok({ matrix: { params: { p: ParamValue.array(['1']) } } })));
  });

  test('rule matrix-param-type: a string matrix param or an array include param', () => {
    const { pipeline, ok } = setup();
    expectRule('matrix-param-type', () => pipeline.addTask('a', ok({ params: {}, matrix: { params: { p: ParamValue.string('x') } } })));
    expectRule('matrix-param-type', () => pipeline.addTask('b', ok({ params: {}, matrix: { include: [{ name: 'i', params: { p: ParamValue.array(['x']) } }] } })));
  });

  test('rule matrix-combinations: more than 256 combinations', () => {
    const { pipeline, ok } = setup();
    const many = (n: number) => ParamValue.array(Array.from({ length: n }, (_, i) => `${i}`));
    expect(expectRule('matrix-combinations', () => pipeline.addTask('a', ok({ params: {}, matrix: { params: { p: many(17), q: many(16) } } }))))
      .toContain('272');
    expect(() => pipeline.addTask('b', ok({ params: {}, matrix: { params: { p: many(16), q: many(16) } } }))).not.toThrow();
  });

  test('rule matrix-result-whole: a matrixed task result read without [*]', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('fan', ok({ params: {}, matrix: { params: { p: ParamValue.array(['1', '2']) } } }));
    pipeline.addTask('use', ok({ params: { p: ParamValue.string('$(tasks.fan.results.r)') } }));
    expectSynthRule('matrix-result-whole', chart);
  });

  test('rule result-ref-unknown: a result the referenced Task does not declare', () => {
    const { chart, pipeline, ok } = setup();
    const a = pipeline.addTask('a', ok());
    expectRule('result-ref-unknown', () => a.result('nope'));
    pipeline.addTask('b', ok({ params: { p: ParamValue.string('$(tasks.a.results.nope)') } }));
    expectSynthRule('result-ref-unknown', chart);
  });

  test('rule dag-missing-task: runAfter or a result of a task that is not in tasks', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('b', ok({ params: { p: ParamValue.string('$(tasks.ghost.results.r)') } }));
    expect(expectSynthRule('dag-missing-task', chart)).toContain("wasn't present in Pipeline");
    const second = setup();
    const fin = second.pipeline.addFinally('fin', second.ok());
    second.pipeline.addTask('a', second.ok({ runAfter: [fin] }));
    expect(expectSynthRule('dag-missing-task', second.chart)).toContain('finally task');
  });

  test('rule dag-cycle: tasks that depend on each other through runAfter and results', () => {
    const { chart, pipeline, ok } = setup();
    const a = pipeline.addTask('a', ok({ params: { p: ParamValue.string('$(tasks.c.results.r)') } }));
    const b = pipeline.addTask('b', ok({ runAfter: [a] }));
    pipeline.addTask('c', ok({ runAfter: [b] }));
    expect(expectSynthRule('dag-cycle', chart)).toMatch(/cycle detected; task "\w" depends on "\w"/);
  });

  test('rule dag-cycle: a 16k-task chain added in reverse dependency order is checked without deep recursion', () => {
    const { pipeline, ok } = setup();
    const n = 16_000;
    // Task i reads a result of task i + 1, added later: the search walks the whole chain from the first task.
    for (let i = 0; i < n; i++) {
      pipeline.addTask(`t${i}`, ok({ params: { p: ParamValue.string(`$(tasks.t${(i + 1) % n}.results.r)`) } }));
    }
    // A recursive search overflows the stack here; its cost is measured in bench/, not in a test.
    const errors = pipeline.node.validate();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/rule: dag-cycle/);
    expect(errors[0]).toContain('task "t15999" depends on "t0" (t0 -> t1 -> t2 ->');
  });

  test('rule finally-result-ref: a result of a finally task read by another task', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok());
    pipeline.addFinally('f1', ok());
    pipeline.addFinally('f2', ok({ params: { p: ParamValue.string('$(tasks.f1.results.r)') } }));
    expectSynthRule('finally-result-ref', chart);
  });

  test('rule task-status-outside-finally: $(tasks.a.status) in a DAG task', () => {
    const { chart, pipeline, ok } = setup();
    const a = pipeline.addTask('a', ok());
    pipeline.addTask('b', ok({ params: { p: ParamValue.string(a.status) } }));
    expect(expectSynthRule('task-status-outside-finally', chart)).toContain('can not refer to execution status');
  });

  test('rule param-undeclared (pipeline): $(params.x) not declared by the pipeline', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok({ params: { p: ParamValue.string('$(params.ghost)') } }));
    expectSynthRule('param-undeclared', chart);
  });

  test('rule param-undeclared (propagated): an inline spec param nobody provides', () => {
    const chart = newChart();
    const pipeline = new Pipeline(chart, 'pl');
    const t = new Task(pipeline, 'say', { inline: true });
    t.addStep('echo', { image: IMG, command: ['echo'], args: ['$(params.ghost)'] });
    pipeline.addTask('say', { taskSpec: t });
    expect(expectSynthRule('param-undeclared', chart)).toContain('neither the inline spec nor pipeline "pl"');
    const second = newChart();
    const lone = new Task(second, 'lone', { inline: true });
    lone.addStep('echo', { image: IMG, command: ['echo'], args: ['$(params.msg)'] });
    new TaskRun(second, 'tr', { task: lone });
    expectSynthRule('param-undeclared', second);
  });

  test('rule workspace-ref-undeclared (propagated): inline specs of a standalone Pipeline get no propagated workspaces', () => {
    const chart = newChart();
    const pipeline = new Pipeline(chart, 'pl');
    pipeline.addWorkspace('shared');
    const t = new Task(pipeline, 'ls', { inline: true });
    t.addStep('ls', { image: IMG, command: ['ls'], args: ['$(workspaces.shared.path)'] });
    pipeline.addTask('ls', { taskSpec: t });
    expect(expectSynthRule('workspace-ref-undeclared', chart)).toContain('only runs with embedded specs propagate workspaces');
    const second = newChart();
    const lone = new Task(second, 'lone', { inline: true });
    lone.addStep('ls', { image: IMG, command: ['ls'], args: ['$(workspaces.data.path)'] });
    new TaskRun(second, 'tr', { task: lone });
    expectSynthRule('workspace-ref-undeclared', second);
  });

  test('rule param-name-format (pipeline): pipeline params get the name regex too', () => {
    const { pipeline } = setup();
    expectRule('param-name-format', () => pipeline.addParam('-x'));
  });

  test('rule param-isolation (pipeline): a whole array param inside other text', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addParam('list', { type: ParamType.ARRAY });
    pipeline.addTask('a', ok({ params: { p: ParamValue.string('x-$(params.list[*])') } }));
    expectSynthRule('param-isolation', chart);
  });

  test('rule variable-prefix: an unknown $(...) prefix in a task param', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok({ params: { p: ParamValue.string('$(HOME)/x') } }));
    expect(expectSynthRule('variable-prefix', chart)).toContain('${VAR}');
  });

  test('rule context-variable (pipeline): a task context variable in a pipeline', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok({ params: { p: ParamValue.string('$(context.taskRun.name)') } }));
    expectSynthRule('context-variable', chart);
  });

  test('rule workspace-ref-undeclared (pipeline): $(workspaces.x.bound) of an undeclared workspace', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok({ params: { p: ParamValue.string('$(workspaces.ghost.bound)') } }));
    expectSynthRule('workspace-ref-undeclared', chart);
  });

  test('rule pipeline-workspace-unique: the same pipeline workspace twice', () => {
    const { pipeline } = setup();
    expectRule('pipeline-workspace-unique', () => pipeline.addWorkspace('shared'));
  });

  test('rule pipeline-task-workspace-undeclared: binding a workspace the pipeline lacks', () => {
    const { chart, task, pipeline } = setup();
    const other = new Pipeline(chart, 'other').addWorkspace('elsewhere');
    pipeline.addTask('a', { taskRef: task.ref, params: { p: ParamValue.string('x') }, workspaces: { w: other } });
    expect(expectSynthRule('pipeline-task-workspace-undeclared', chart)).toContain('expects workspace with name "elsewhere"');
  });

  test('rule pipeline-task-workspace-unknown: binding a workspace the task lacks', () => {
    const { chart, pipeline, ok, ws } = setup();
    pipeline.addTask('a', ok({ workspaces: { w: ws, extra: ws } }));
    expectSynthRule('pipeline-task-workspace-unknown', chart);
  });

  test('rule pipeline-task-workspace-missing: a required task workspace left unbound', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok({ workspaces: {} }));
    expectSynthRule('pipeline-task-workspace-missing', chart);
  });

  test('rule pipeline-task-missing-param: a required task param left out', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok({ params: {} }));
    expectSynthRule('pipeline-task-missing-param', chart);
  });

  test('rule pipeline-task-missing-param: a param added to the Task after its interface was read is still required', () => {
    const { chart, task, pipeline, ok } = setup();
    const a = pipeline.addTask('a', ok());
    expect(a.taskInterface?.params.map((x) => x.name)).toEqual(['p']);
    expect(() => synth(chart)).not.toThrow();
    // The Task changes after a validation pass: its shared scan and interface must not be reused.
    task.addParam('q');
    expect(expectSynthRule('pipeline-task-missing-param', chart)).toContain('"q"');
  });

  test('rule param-type-mismatch: an array passed to a string param', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok({ params: { p: ParamValue.array(['x']) } }));
    expectSynthRule('param-type-mismatch', chart);
  });

  test('rule param-object-keys-missing: an object value without a declared key', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addParam('o', { type: ParamType.OBJECT, properties: ['url', 'rev'] });
    t.addStep('s', { image: IMG });
    const p = new Pipeline(chart, 'p');
    p.addTask('a', { taskRef: t.ref, params: { o: ParamValue.object({ url: 'u' }) } });
    expectSynthRule('param-object-keys-missing', chart);
  });

  test('rule param-enum-value: a literal outside the Task param enum', () => {
    const chart = newChart();
    const t = new Task(chart, 't', { apiFields: ApiFields.ALPHA });
    t.addParam('mode', { enum: ['fast', 'safe'] });
    t.addStep('s', { image: IMG });
    const p = new Pipeline(chart, 'p', { apiFields: ApiFields.ALPHA });
    const mode = p.addParam('mode');
    p.addTask('ok', { taskRef: t.ref, params: { mode: ParamValue.of(mode) } });
    p.addTask('bad', { taskRef: t.ref, params: { mode: ParamValue.string('yolo') } });
    expect(expectSynthRule('param-enum-value', chart)).toContain('"yolo"');
  });

  test('rule param-array-index: an array shorter than the index the Task reads', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    const ref = t.ref; // taken before the params exist: the interface is read at synth
    const list = t.addParam('list', { type: ParamType.ARRAY });
    t.addStep('s', { image: IMG, args: [list.index(2)] });
    const p = new Pipeline(chart, 'p');
    p.addTask('a', { taskRef: ref, params: { list: ParamValue.array(['a', 'b']) } });
    expect(expectSynthRule('param-array-index', chart)).toContain('index 2');
  });

  test('rule pipeline-result-value: a result that is not task results', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok());
    pipeline.addResult('lit', { value: 'literal' });
    expectSynthRule('pipeline-result-value', chart);
    const second = setup();
    second.pipeline.addTask('a', second.ok());
    second.pipeline.addResult('ghost', { value: '$(tasks.ghost.results.r)' });
    expectSynthRule('pipeline-result-value', second.chart);
  });

  test('rule result-name-format (pipeline): a bad pipeline result name', () => {
    const { pipeline } = setup();
    expectRule('result-name-format', () => pipeline.addResult('bad name', { value: '$(tasks.a.results.r)' }));
  });

  test('rule catalog-param: a git clone depth that is not a whole number', () => {
    const { ws } = setup();
    expectRule('catalog-param', () => Catalog.gitClone({ url: 'u', output: ws, depth: -1 }));
  });

  test('rule pipeline-task-missing-param (catalog): catalog interfaces are checked too', () => {
    const { chart, pipeline, ws } = setup();
    pipeline.addTask('build', { ...Catalog.kaniko({ image: 'registry.example.com/x', source: ws }), params: {} });
    expectSynthRule('pipeline-task-missing-param', chart);
    expectRule('result-ref-unknown', () => pipeline.addTask('clone', Catalog.gitClone({ url: 'u', output: ws })).result('sha'));
  });

  test('the buildah and kubectl catalog entries render and validate', () => {
    const { chart, pipeline, ws } = setup();
    const b = pipeline.addTask('build', Catalog.buildah({ image: 'registry.example.com/x', source: ws, buildArgs: ['A=1'], tlsVerify: true }));
    pipeline.addTask('deploy', Catalog.kubectlApply(pipeline, 'apply', { source: ws, manifests: 'k8s', namespace: 'apps' }));
    expectRule('catalog-param', () => Catalog.kubectlApply(pipeline, 'apply2', { source: ws, manifests: 'k8s', namespace: 'apps', image: `${b.result('IMAGE_URL')}` }));
    const spec = find(synth(chart), 'Pipeline').spec;
    expect(spec.tasks.find((t: any) => t.name === 'deploy').taskSpec.steps.map((s: any) => s.name)).toEqual(['apply']);
    expect(spec.tasks.find((t: any) => t.name === 'build').params).toContainEqual({ name: 'BUILD_ARGS', value: ['A=1'] });
  });

  test('a run of the pipeline binds volumeClaimTemplate workspaces', () => {
    const { chart, pipeline, ok } = setup();
    pipeline.addTask('a', ok());
    new PipelineRun(chart, 'run', { pipeline, workspaces: { shared: WorkspaceBinding.volumeClaimTemplate({ storage: '1Gi' }) } });
    expect(find(synth(chart), 'PipelineRun').spec.workspaces[0].volumeClaimTemplate.spec.resources.requests.storage).toBe('1Gi');
  });
});
