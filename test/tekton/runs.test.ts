import { Duration } from '../../lib';
import {
  ApiFields, ParamType, ParamValue, Pipeline, PipelineRef, PipelineRun, Resolver, Task, TaskRef, TaskRun, WorkspaceBinding,
} from '../../lib/tekton';
import { expectRule, expectSynthRule, find, newChart, synth } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';

function setup() {
  const chart = newChart();
  const task = new Task(chart, 't');
  task.addParam('p');
  task.addParam('o', { type: ParamType.OBJECT, properties: ['a', 'b'], default: ParamValue.object({ a: '1', b: '2' }) });
  task.addWorkspace('w');
  task.addWorkspace('opt', { optional: true });
  task.addStep('s', { image: IMG });
  const pipeline = new Pipeline(chart, 'pl');
  const repo = pipeline.addParam('repo');
  const ws = pipeline.addWorkspace('shared');
  pipeline.addTask('a', { taskRef: task.ref, params: { p: ParamValue.of(repo) }, workspaces: { w: ws } });
  pipeline.addFinally('f', { taskRef: task.ref, params: { p: ParamValue.string('x') }, workspaces: { w: ws } });
  const vct = WorkspaceBinding.volumeClaimTemplate({ storage: '1Gi' });
  return { chart, task, pipeline, vct, good: { pipeline, params: { repo: ParamValue.string('r') }, workspaces: { shared: vct } } };
}

describe('runs: valid upstream forms', () => {
  test('PipelineRun with every binding kind, timeouts, taskRunTemplate and taskRunSpecs; TaskRun by ref', () => {
    const { chart, pipeline, task } = setup();
    new PipelineRun(chart, 'run', {
      pipeline,
      params: { repo: ParamValue.string('https://example.com/r.git') },
      workspaces: { shared: WorkspaceBinding.volumeClaimTemplate({ storage: '1Gi', storageClassName: 'fast', accessModes: ['ReadWriteOnce'] }).subPath('x') },
      timeouts: { pipeline: Duration.hours(2), tasks: Duration.minutes(90), finally: Duration.minutes(30) },
      serviceAccountName: 'ci',
      podTemplate: { nodeSelector: { pool: 'ci' }, imagePullSecrets: ['pull'], automountServiceAccountToken: false },
      taskRunSpecs: { a: { serviceAccountName: 'a-sa', timeout: Duration.minutes(30), stepSpecs: { s: { requests: { cpu: '1' } } }, sidecarSpecs: { db: { limits: { memory: '1Gi' } } } }, f: { computeResources: { requests: { cpu: '1' } } } },
    });
    new PipelineRun(chart, 'pending', {
      pipelineRef: PipelineRef.resolve(Resolver.git({ url: 'https://example.com/p.git', revision: 'abc', pathInRepo: 'p.yaml' })),
      pending: true, name: 'fixed-name', timeouts: { pipeline: Duration.seconds(0), tasks: Duration.seconds(0) },
    });
    new TaskRun(chart, 'tr', {
      task,
      params: { p: ParamValue.string('v') },
      workspaces: {
        w: WorkspaceBinding.emptyDir(),
        opt: WorkspaceBinding.projected([{ configMap: { name: 'c' } }, { secret: { name: 's' } }]),
      },
      timeout: Duration.minutes(5), retries: 1, serviceAccountName: 'sa', stepSpecs: { s: { requests: { cpu: '500m' } } },
      sidecarSpecs: { db: { requests: { cpu: '100m' } } },
    });
    for (const [id, b] of Object.entries({
      pvc: WorkspaceBinding.persistentVolumeClaim('cache', { readOnly: true }),
      shared: WorkspaceBinding.persistentVolumeClaim('cache2', { allowSharedWrites: true }),
      cm: WorkspaceBinding.configMap('cfg'), sec: WorkspaceBinding.secret('creds'), csi: WorkspaceBinding.csi('secrets-store.csi.k8s.io', { secretProviderClass: 'x' }),
    })) {
      new TaskRun(chart, id, { taskRef: TaskRef.named('t', task.interface), params: { p: ParamValue.string('v') }, workspaces: { w: b } });
    }
    const docs = synth(chart);
    const run = find(docs, 'PipelineRun');
    expect(run.metadata).toEqual({ generateName: 'pl-run-' });
    expect(run.spec.taskRunTemplate.serviceAccountName).toBe('ci');
    expect(docs.filter((d) => d.kind === 'PipelineRun')[1].metadata.name).toBe('fixed-name');
    expect(docs).toMatchSnapshot();
  });
});

describe('runs: rules', () => {
  test('rule run-ref-or-spec: neither or both of pipeline and pipelineRef / task and taskRef', () => {
    const { chart, pipeline, task } = setup();
    expectRule('run-ref-or-spec', () => new PipelineRun(chart, 'r1', {}));
    expectRule('run-ref-or-spec', () => new PipelineRun(chart, 'r2', { pipeline, pipelineRef: PipelineRef.named('pl') }));
    expectRule('run-ref-or-spec', () => new TaskRun(chart, 'r3', { task, taskRef: TaskRef.named('t') }));
  });

  test('rule resource-name (runs): a fixed run name that is not a DNS subdomain', () => {
    const { chart, good } = setup();
    expectRule('resource-name', () => new PipelineRun(chart, 'r', { ...good, name: 'Run_1' }));
  });

  test('rule run-param-result-ref: a run param that reads a task result', () => {
    const { chart, good } = setup();
    expectRule('run-param-result-ref', () => new PipelineRun(chart, 'r', { ...good, params: { repo: ParamValue.string('$(tasks.a.results.x)') } }));
  });

  test('rule variable-prefix (runs): $(tt.params…) in a run outside a TriggerTemplate', () => {
    const { chart, good } = setup();
    expectRule('variable-prefix', () => new PipelineRun(chart, 'r', { ...good, params: { repo: ParamValue.string('$(tt.params.repo)') } }));
  });

  test('rule run-missing-param: a required pipeline param the run does not pass', () => {
    const { chart, good } = setup();
    new PipelineRun(chart, 'r', { ...good, params: {} });
    expect(expectSynthRule('run-missing-param', chart)).toContain('["repo"]');
  });

  test('rule param-type-mismatch (runs): an array for a string param', () => {
    const { chart, task } = setup();
    new TaskRun(chart, 'r', { task, params: { p: ParamValue.array(['x']) }, workspaces: { w: WorkspaceBinding.emptyDir() } });
    expectSynthRule('param-type-mismatch', chart);
  });

  test('rule param-object-keys-missing (runs): an object value without a declared key', () => {
    const { chart, task } = setup();
    task.addParam('req', { properties: ['a', 'b'] });
    new TaskRun(chart, 'r', { task, params: { p: ParamValue.string('x'), req: ParamValue.object({ a: '1' }) }, workspaces: { w: WorkspaceBinding.emptyDir() } });
    expect(expectSynthRule('param-object-keys-missing', chart)).toContain('["b"]');
  });

  test('rule param-array-index (runs): a run array shorter than the index the pipeline reads', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addParam('p');
    t.addStep('s', { image: IMG });
    const p = new Pipeline(chart, 'p');
    const list = p.addParam('list', { type: ParamType.ARRAY });
    p.addTask('a', { taskRef: t.ref, params: { p: ParamValue.string(list.index(1)) } });
    new PipelineRun(chart, 'r', { pipeline: p, params: { list: ParamValue.array(['only-one']) } });
    expectSynthRule('param-array-index', chart);
  });

  test('rule param-enum-value (runs): a run value outside the pipeline param enum', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addParam('p');
    t.addStep('s', { image: IMG });
    const p = new Pipeline(chart, 'p', { apiFields: ApiFields.ALPHA });
    const env = p.addParam('env', { enum: ['staging', 'prod'] });
    p.addTask('a', { taskRef: t.ref, params: { p: ParamValue.of(env) } });
    new PipelineRun(chart, 'r', { pipeline: p, params: { env: ParamValue.string('dev') } });
    expectSynthRule('param-enum-value', chart);
  });

  test('rule run-missing-workspace: a required workspace left unbound', () => {
    const { chart, good } = setup();
    new PipelineRun(chart, 'r', { ...good, workspaces: {} });
    expect(expectSynthRule('run-missing-workspace', chart)).toContain('"shared"');
  });

  test('rule run-workspace-unknown: a TaskRun binding a workspace the Task does not declare', () => {
    const { chart, task } = setup();
    new TaskRun(chart, 'r', { task, params: { p: ParamValue.string('x') }, workspaces: { w: WorkspaceBinding.emptyDir(), nope: WorkspaceBinding.emptyDir() } });
    expect(expectSynthRule('run-workspace-unknown', chart)).toContain('does not match any declared workspace');
  });

  test('rule workspace-binding-required-field: a binding without its required field', () => {
    expectRule('workspace-binding-required-field', () => WorkspaceBinding.persistentVolumeClaim('', { readOnly: true }));
    expectRule('workspace-binding-required-field', () => WorkspaceBinding.configMap(''));
    expectRule('workspace-binding-required-field', () => WorkspaceBinding.secret(''));
    expectRule('workspace-binding-required-field', () => WorkspaceBinding.projected([]));
    expectRule('workspace-binding-required-field', () => WorkspaceBinding.csi(''));
    expectRule('workspace-binding-required-field', () => WorkspaceBinding.volumeClaimTemplate({ storage: 'lots' }));
  });

  test('rule shared-pvc: a writeable claim shared by every run without confirmation', () => {
    expect(expectRule('shared-pvc', () => WorkspaceBinding.persistentVolumeClaim('cache'))).toContain('volumeClaimTemplate');
  });

  test('rule timeouts-tasks: tasks longer than the pipeline (or the 60m default)', () => {
    const { chart, good } = setup();
    expectRule('timeouts-tasks', () => new PipelineRun(chart, 'r1', { ...good, timeouts: { pipeline: Duration.minutes(30), tasks: Duration.minutes(40) } }));
    expect(expectRule('timeouts-tasks', () => new PipelineRun(chart, 'r2', { ...good, timeouts: { tasks: Duration.minutes(90) } }))).toContain('default');
  });

  test('rule timeouts-finally: finally longer than the pipeline', () => {
    const { chart, good } = setup();
    expectRule('timeouts-finally', () => new PipelineRun(chart, 'r', { ...good, timeouts: { pipeline: Duration.minutes(30), finally: Duration.minutes(31) } }));
  });

  test('rule timeouts-sum: tasks + finally longer than the pipeline', () => {
    const { chart, good } = setup();
    expectRule('timeouts-sum', () => new PipelineRun(chart, 'r', { ...good, timeouts: { pipeline: Duration.hours(1), tasks: Duration.minutes(50), finally: Duration.minutes(20) } }));
  });

  test('rule timeouts-tasks-zero: tasks 0 with a finite pipeline timeout', () => {
    const { chart, good } = setup();
    expectRule('timeouts-tasks-zero', () => new PipelineRun(chart, 'r', { ...good, timeouts: { pipeline: Duration.hours(1), tasks: Duration.seconds(0) } }));
  });

  test('rule task-run-spec-timeout: a taskRunSpecs timeout above the tasks timeout', () => {
    const { chart, good } = setup();
    expectRule('task-run-spec-timeout', () => new PipelineRun(chart, 'r', { ...good, timeouts: { tasks: Duration.minutes(20) }, taskRunSpecs: { a: { timeout: Duration.minutes(30) } } }));
  });

  test('rule task-run-spec-unknown-task: taskRunSpecs for a task the pipeline lacks', () => {
    const { chart, good } = setup();
    new PipelineRun(chart, 'r', { ...good, taskRunSpecs: { ghost: { serviceAccountName: 'x' } } });
    expectSynthRule('task-run-spec-unknown-task', chart);
  });

  test('rule compute-resources-exclusive: task-level and step-level resources together', () => {
    const { chart, good, task } = setup();
    expectRule('compute-resources-exclusive', () => new TaskRun(chart, 'tr', { task, computeResources: { requests: { cpu: '1' } }, stepSpecs: { s: { requests: { cpu: '1' } } } }));
    new PipelineRun(chart, 'r', { ...good, taskRunSpecs: { a: { computeResources: { requests: { cpu: '1' } }, stepSpecs: { s: { requests: { cpu: '1' } } } } } });
    expectSynthRule('compute-resources-exclusive', chart);
  });

  test('rule task-run-retries: negative retries', () => {
    const { chart, task } = setup();
    expectRule('task-run-retries', () => new TaskRun(chart, 'tr', { task, retries: -2 }));
  });
});
