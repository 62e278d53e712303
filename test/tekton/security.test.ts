import { EnvValue, ParamValue, Pipeline, PipelineRun, Task, TaskRun, TriggerTemplate } from '../../lib/tekton';
import { expectRule, newChart, synth } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';

describe('secure by default', () => {
  test('rule script-injection: $(params…) in a Task script', () => {
    const t = new Task(newChart(), 't');
    t.addParam('url');
    expect(expectRule('script-injection', () => t.addStep('s', { image: IMG, script: 'git clone $(params.url)' }))).toContain('EnvValue.fromExpression');
  });

  test('rule script-injection: $(tasks…) results and $(tt.params…) in inline scripts', () => {
    const t = new Task(newChart(), 't', { inline: true });
    expectRule('script-injection', () => t.addStep('a', { image: IMG, script: 'echo $(tasks.build.results.digest)' }));
    expectRule('script-injection', () => t.addStep('b', { image: IMG, script: 'echo "$(tt.params.revision)"' }));
    expectRule('script-injection', () => t.addSidecar('c', { image: IMG, script: 'echo $(params.x)' }));
  });

  test('rule script-injection: the visible opt-out keeps the script as written', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    const url = t.addParam('url');
    t.addStep('legacy', { image: IMG, script: `git clone ${url}`, allowUnsafeScriptSubstitution: true });
    expect(synth(chart)[0].spec.steps[0].script).toBe('git clone $(params.url)');
  });

  test('values reach scripts through env, and $$( is not a reference', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    const url = t.addParam('url');
    t.addStep('clone', { image: IMG, script: 'echo "$$(date)"; git clone "$URL"', env: { URL: EnvValue.fromExpression(url) } });
    expect(synth(chart)[0].spec.steps[0].env).toEqual([{ name: 'URL', value: '$(params.url)' }]);
  });

  test('rule privileged-step: privileged steps and step templates need the opt-out', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    expectRule('privileged-step', () => t.addStep('s', { image: IMG, securityContext: { privileged: true } }));
    expectRule('privileged-step', () => new Task(chart, 'u', { stepTemplate: { securityContext: { privileged: true } } }));
    expect(() => t.addStep('ok', { image: IMG, securityContext: { privileged: true }, allowPrivileged: true })).not.toThrow();
  });

  test('rule secret-param: a param that looks like a secret', () => {
    const t = new Task(newChart(), 't');
    expect(expectRule('secret-param', () => t.addParam('registry-password'))).toContain('fromSecretKey');
    expectRule('secret-param', () => new Pipeline(newChart(), 'p').addParam('API_TOKEN'));
    expect(() => t.addParam('token-audience', { notSecret: true })).not.toThrow();
  });

  test('every step has a name, every Task a secure step template, every run a non-root pod and generateName', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addStep('s', { image: IMG });
    const inline = new Task(chart, 'i', { inline: true });
    inline.addStep('x', { image: IMG });
    const p = new Pipeline(chart, 'p');
    p.addTask('a', { taskRef: t.ref });
    p.addTask('b', { taskSpec: inline });
    new PipelineRun(chart, 'run', { pipeline: p });
    new TaskRun(chart, 'tr', { task: t });
    const tt = new TriggerTemplate(chart, 'tt');
    new PipelineRun(tt, 'Run', { pipeline: p });
    const docs = synth(chart);
    const specs = [find('Task').spec, ...find('Pipeline').spec.tasks.filter((x: any) => x.taskSpec).map((x: any) => x.taskSpec)];
    for (const s of specs) {
      expect(s.steps.every((st: any) => typeof st.name === 'string' && st.name.length > 0)).toBe(true);
      expect(s.stepTemplate.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(s.stepTemplate.computeResources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    }
    const runs = [find('PipelineRun'), find('TaskRun'), find('TriggerTemplate').spec.resourcetemplates[0]];
    for (const r of runs) {
      expect(r.metadata.name).toBeUndefined();
      expect(r.metadata.generateName).toMatch(/-run-$/);
      const pod = r.spec.taskRunTemplate?.podTemplate ?? r.spec.podTemplate;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    }
    function find(kind: string): any {
      return docs.find((d) => d.kind === kind);
    }
  });
});

describe('error messages', () => {
  test('eager and synth-time errors name the construct path, the bad value and the fix', () => {
    const chart = newChart();
    const t = new Task(chart, 'build');
    const eager = expectRule('step-name', () => t.addStep('Bad_Name', { image: IMG }));
    expect(eager).toMatch(/^\[test\/build\] step name "Bad_Name" is not a valid DNS-1123 label \(rule: step-name\)\. fix: /);
    const p = new Pipeline(chart, 'ci');
    p.addTask('a', { taskRef: t.ref, params: { x: ParamValue.string('$(params.ghost)') } });
    const late = expectRule('param-undeclared', () => synth(chart));
    expect(late).toContain('[test/ci]');
    expect(late).toContain('$(params.ghost)');
  });
});
