/**
 * The shared value rules where Tekton constructs take numbers, names, env names and images; a value factory's refusal
 * named by the construct it reaches; construct ids refused as slipway errors.
 */
import { validateDocuments } from '../../lib/testing/validate';
import {
  EnvValue, EventListener, Interceptor, Pipeline, PipelineRun, Probe, Resolver, Task, TaskRef, TaskRun, TriggerTemplate,
  Volume, WhenExpression, WorkspaceBinding,
} from '../../lib/tekton';
import { expectRule, newChart, synth } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';

function run() {
  const chart = newChart();
  const task = new Task(chart, 't');
  task.addWorkspace('w');
  task.addStep('s', { image: IMG });
  return { chart, task };
}

describe('value rules in Tekton constructs', () => {
  test('rule value-integer and value-finite: retries, replicas and ports refuse fractions, NaN and Infinity, shown as written', () => {
    const { chart, task } = run();
    expect(expectRule('value-integer', () => new TaskRun(chart, 'a', { task, retries: 2.5, workspaces: { w: WorkspaceBinding.emptyDir() } })))
      .toMatch(/^\[test\/a\] retries 2\.5 is not a whole number/);
    expect(expectRule('value-finite', () => new TaskRun(chart, 'b', { task, retries: NaN, workspaces: { w: WorkspaceBinding.emptyDir() } })))
      .toContain('retries NaN is not a finite number');
    const p = new Pipeline(chart, 'p');
    expectRule('value-finite', () => p.addTask('x', { taskRef: task.ref, retries: Infinity }));
    expectRule('value-integer', () => new EventListener(chart, 'el', { kubernetesResource: { replicas: 1.5 } }));
    expectRule('value-integer', () => new EventListener(chart, 'el2', { kubernetesResource: { servicePort: 80.5 } }));
  });

  test('rule value-range: an int32 field refuses 2**31', () => {
    const { chart, task } = run();
    expectRule('task-run-retries', () => new TaskRun(chart, 'a', { task, retries: 2 ** 31, workspaces: { w: WorkspaceBinding.emptyDir() } }));
    expectRule('value-range', () => new TaskRun(chart, 'b', { task, workspaces: { w: WorkspaceBinding.emptyDir() }, podTemplate: { securityContext: { runAsUser: -1 } } }));
  });

  test('rule probe-port: a probe port that is 0, NaN or not a port name', () => {
    const { task } = run();
    for (const port of [0, 70000, 'Not_A_Name', '']) {
      expect(expectRule('probe-port', () => task.addSidecar(`s${String(port).toLowerCase().replace(/[^a-z0-9]/g, '')}x`, { image: IMG, readinessProbe: Probe.tcpSocket(port) })))
        .toMatch(/^\[test\/t\] /);
    }
    expectRule('value-finite', () => task.addSidecar('nan', { image: IMG, readinessProbe: Probe.tcpSocket(NaN) }));
    expect(() => task.addSidecar('named', { image: IMG, readinessProbe: Probe.httpGet('/ready', 'http') })).not.toThrow();
  });

  test('rule dns-1123-subdomain: a run serviceAccountName with a space or upper case; a $(tt.params) name is kept', () => {
    const { chart, task } = run();
    expect(expectRule('dns-1123-subdomain', () => new TaskRun(chart, 'a', { task, serviceAccountName: 'A b', workspaces: { w: WorkspaceBinding.emptyDir() } })))
      .toContain('serviceAccountName "A b"');
    const pipeline = new Pipeline(chart, 'p');
    pipeline.addTask('x', { taskRef: task.ref, workspaces: {} });
    expectRule('dns-1123-subdomain', () => new PipelineRun(chart, 'r', { pipeline, serviceAccountName: 'Upper_Case' }));
    const template = new TriggerTemplate(chart, 'tt');
    const sa = template.addParam('sa');
    expect(() => new PipelineRun(template, 'run', { pipeline, serviceAccountName: `${sa}` })).not.toThrow();
  });

  test('rule env-name: a step env var named A=B or empty', () => {
    const { task } = run();
    expect(expectRule('env-name', () => task.addStep('a', { image: IMG, env: { 'A=B': EnvValue.fromValue('x') } }))).toMatch(/^\[test\/t\] /);
    expectRule('env-name', () => task.addStep('b', { image: IMG, env: { '': EnvValue.fromValue('x') } }));
    expect(() => task.addStep('c', { image: IMG, env: { 'my.var': EnvValue.fromValue('x') } })).not.toThrow();
  });

  test('rule image-reference: leading or trailing whitespace or a space inside; $(params.image) is kept', () => {
    const { task } = run();
    for (const image of [' alpine:3.20', 'alpine:3.20\n', 'a b:1']) expectRule('image-reference', () => task.addStep(`i${image.length}x${image.trim().length}`, { image }));
    const img = task.addParam('image');
    expect(() => task.addStep('p', { image: `${img}` })).not.toThrow();
    expectRule('image-reference', () => new Task(newChart(), 't2', { stepTemplate: { image: 'x y' } }));
  });

  test('rule data-key: a secretKeyRef key with a slash; a Secret name in upper case; a $(params) name is kept', () => {
    const { task } = run();
    expect(expectRule('data-key', () => task.addStep('a', { image: IMG, env: { TOKEN: EnvValue.fromSecretKey('git', 'a/b') } }))).toMatch(/^\[test\/t\] /);
    expectRule('dns-1123-subdomain', () => task.addStep('b', { image: IMG, env: { TOKEN: EnvValue.fromConfigMapKey('Settings', 'k') } }));
    const name = task.addParam('source-ref');
    expect(() => task.addStep('c', { image: IMG, env: { TOKEN: EnvValue.fromSecretKey(`${name}`, 'token') } })).not.toThrow();
  });

  test('rule dns-1123-label: a Task volume name with a dot or upper case', () => {
    const { task } = run();
    expect(expectRule('dns-1123-label', () => task.addVolume(Volume.emptyDir('Cache.dir')))).toMatch(/^\[test\/t\] volume name "Cache.dir"/);
    expectRule('dns-1123-subdomain', () => task.addVolume(Volume.secret('creds', 'My Secret')));
    expect(() => task.addVolume(Volume.configMap('settings', 'app.settings'))).not.toThrow();
  });

  test('rule resource-quantity: a step request of NaN, -1 or with a space; 1e3, 1.5 and $(params) are kept', () => {
    const { chart, task } = run();
    for (const cpu of ['NaN', '-1', '1 Gi', '']) {
      expect(expectRule('resource-quantity', () => task.addStep(`q${cpu.length}${cpu === 'NaN' ? 'n' : 'x'}`, { image: IMG, computeResources: { requests: { cpu } } }))).toMatch(/^\[test\/t\] /);
    }
    const cpu = task.addParam('cpu');
    expect(() => task.addStep('ok', { image: IMG, computeResources: { requests: { cpu: '1.5', memory: '1e3' }, limits: { cpu: `${cpu}` } } })).not.toThrow();
    expectRule('resource-quantity', () => new TaskRun(chart, 'r', { task, workspaces: { w: WorkspaceBinding.emptyDir() }, computeResources: { limits: { memory: 'lots' } } }));
  });

  test('rule label-value: a newline or a leading dash in a label value of a Task', () => {
    expectRule('label-value', () => new Task(newChart(), 't', { labels: { app: 'a\nb' } }));
    expectRule('label-value', () => new Task(newChart(), 't', { labels: { app: '-lead' } }));
  });

  test('empty label and annotation values are kept, not dropped', () => {
    const chart = newChart();
    const t = new Task(chart, 't', { labels: { tier: '' }, annotations: { note: '' } });
    t.addStep('s', { image: IMG });
    const doc = synth(chart)[0];
    expect(doc.metadata.labels).toEqual({ tier: '' });
    expect(doc.metadata.annotations).toEqual({ note: '' });
    expect(validateDocuments([doc])).toEqual([]);
  });
});

describe('a value factory refusal names the construct it reaches', () => {
  test('WorkspaceBinding in a TaskRun, WhenExpression in a pipeline task, TaskRef and Resolver, Probe, Interceptor', () => {
    const { chart, task } = run();
    const bad = WorkspaceBinding.configMap('');
    expect(expectRule('workspace-binding-required-field', () => new TaskRun(chart, 'tr', { task, workspaces: { w: bad } }))).toMatch(/^\[test\/tr\] /);
    const p = new Pipeline(chart, 'p');
    expect(expectRule('when-values-empty', () => p.addTask('a', { taskRef: task.ref, when: [WhenExpression.in('$(params.x)', [])] })))
      .toMatch(/^\[test\/p\/Tasks\/a\] /);
    expect(expectRule('task-ref-name', () => p.addTask('b', { taskRef: TaskRef.named('Bad Name') }))).toMatch(/^\[test\/p\/Tasks\/b\] /);
    const resolver = Resolver.git({ url: 'https://example.com/r.git', pathInRepo: '', revision: '' });
    expect(expectRule('resolver-params', () => p.addTask('c', { taskRef: TaskRef.resolve(resolver) }))).toMatch(/^\[test\/p\/Tasks\/c\] /);
    expect(expectRule('probe-threshold', () => task.addSidecar('sc', { image: IMG, livenessProbe: Probe.exec(['true'], { failureThreshold: 0 }) })))
      .toMatch(/^\[test\/t\] /);
    const el = new EventListener(chart, 'el');
    const template = new TriggerTemplate(chart, 'tt');
    expect(expectRule('interceptor-secret-required', () => el.addTrigger('push', { template, interceptors: [Interceptor.github({ secretName: '' })] })))
      .toMatch(/^\[test\/el\] /);
  });

  test('the factories still check eagerly: a refused value is never rendered, a valid one is unchanged', () => {
    expect(() => WorkspaceBinding.secret('')).not.toThrow();
    expect(WorkspaceBinding.secret('docker').toJson('w')).toEqual({ name: 'w', secret: { secretName: 'docker' } });
  });
});

describe('construct ids', () => {
  test('rule construct-id-empty: addTask(\'\') and new Task(chart, \'\') are slipway errors with a fix', () => {
    const chart = newChart();
    const p = new Pipeline(chart, 'p');
    expect(expectRule('construct-id-empty', () => p.addTask('', { taskRef: TaskRef.named('t') }))).toMatch(/^\[test\/p\/Tasks\] pipeline task id is empty .*fix: pass a non-empty id, e\.g\. pipeline\.addTask/);
    expectRule('construct-id-empty', () => new Task(chart, ''));
  });

  test('rule dns-1123-label: an id no name can be derived from names the construct', () => {
    expect(expectRule('dns-1123-label', () => new Task(newChart(), '!!!'))).toMatch(/^\[test\/!!!\] cannot derive a DNS-1123 label from "!!!"/);
  });

  test('rule duplicate-construct-id: two Tasks with the same id in one chart', () => {
    const chart = newChart();
    new Task(chart, 't');
    expect(expectRule('duplicate-construct-id', () => new Task(chart, 't'))).toContain('already used by test/t');
  });
});
