import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PipelineApp, SlipwayError } from '../../lib/core';
import { warningsOf } from '../../lib/core/errors';
import * as r from '../../lib/delivery/rollouts';
import { Pipeline, Task } from '../../lib/tekton';
import * as workloads from '../../lib/workloads';

const IMG = 'registry.example.com/tools/build:1.0.0';

function rollout(chart: Chart): r.Rollout {
  return new r.Rollout(chart, 'Web', {
    name: 'web',
    selector: { app: 'web' },
    template: r.PodTemplate.of({ labels: { app: 'web' }, spec: { containers: [{ name: 'web', image: 'registry.example.com/web:1.0.0' }] } }),
    strategy: r.RolloutStrategy.canary({ steps: [r.CanaryStep.setWeight(20), r.CanaryStep.pause()] }),
  });
}

function refusal(run: () => unknown): SlipwayError {
  try {
    run();
  } catch (e) {
    if (e instanceof SlipwayError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the strict check of every final document at synth', () => {
  test('rule schema-strict: a patch adding an unknown Rollout strategy fails synth with the construct path and the JSON path', () => {
    const chart = Testing.chart();
    ApiObject.of(rollout(chart)).addJsonPatch(JsonPatch.add('/spec/strategy/unknown-strategy', {}));
    const e = refusal(() => Testing.synth(chart));
    expect(e.rule).toBe('schema-strict');
    expect(e.path).toBe('test/Web');
    expect(e.message).toMatch(/^\[test\/Web\] the final Rollout document "web" does not pass its schema: \/spec\/strategy must NOT have additional properties: unknown-strategy/);
    expect(e.message).toContain('fix: ');
  });

  test('core kinds: an unknown container field added by a patch names the JSON path, in App.synth() and PipelineApp.synth()', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-strict-'));
    for (const app of [new App({ outdir }), new PipelineApp({ outdir })]) {
      const chart = new Chart(app, 'apps');
      const svc = new workloads.Microservice(chart, 'api', { image: 'registry.example.com/api:1.0.0' });
      ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/imagePullPolicyy', 'Always'));
      const e = refusal(() => app.synth());
      expect(e.rule).toBe('schema-strict');
      expect(e.path).toBe('apps/api/Deployment');
      expect(e.message).toContain('/spec/template/spec/containers/0/imagePullPolicyy unknown field');
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('core kinds: a type the API refuses (a fractional replicas) is refused too', () => {
    const chart = Testing.chart();
    const svc = new workloads.Microservice(chart, 'api', { image: 'registry.example.com/api:1.0.0' });
    ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.add('/spec/replicas', 1.5));
    expect(refusal(() => Testing.synth(chart)).message).toContain('/spec/replicas data/spec/replicas must be integer');
  });

  test('core kinds: int32 overflow, an enum value the API does not have and a removed required field are refused, each at its path', () => {
    const chart = Testing.chart();
    const svc = new workloads.Microservice(chart, 'api', { image: 'registry.example.com/api:1.0.0' });
    ApiObject.of(svc.deployment).addJsonPatch(
      JsonPatch.replace('/spec/replicas', 2 ** 31),
      JsonPatch.add('/spec/template/spec/containers/0/terminationMessagePolicy', 'Sometimes'),
      JsonPatch.remove('/spec/selector'),
    );
    const message = refusal(() => Testing.synth(chart)).message;
    expect(message).toContain('/spec/replicas data/spec/replicas must match format "int32"');
    expect(message).toContain('/spec/template/spec/containers/0/terminationMessagePolicy data/spec/template/spec/containers/0/terminationMessagePolicy must be equal to one of the allowed values: FallbackToLogsOnError, File');
    expect(message).toContain("/spec data/spec must have required property 'selector'");
  });

  test('valid documents synthesize unchanged, patches that write declared fields included', () => {
    const chart = Testing.chart();
    ApiObject.of(rollout(chart)).addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 5));
    const svc = new workloads.Microservice(chart, 'api', { image: 'registry.example.com/api:1.0.0' });
    ApiObject.of(svc.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/hostname', 'api'));
    const docs = Testing.synth(chart);
    expect(docs.find((d) => d.kind === 'Rollout').spec.minReadySeconds).toBe(5);
    expect(docs.find((d) => d.kind === 'Deployment').spec.template.spec.hostname).toBe('api');
  });

  test("a user's raw ApiObject and raw cdk8s-plus construct are not refused, even beside slipway constructs", () => {
    const chart = Testing.chart();
    rollout(chart);
    new ApiObject(chart, 'raw', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'raw' }, spec: { strategy: { 'unknown-strategy': {} } } });
    new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, notAField: true });
    new kplus.Deployment(chart, 'plain', { containers: [{ image: 'nginx:1.27' }] });
    const docs = Testing.synth(chart);
    expect(docs.find((x) => x.metadata.name === 'raw').spec.strategy).toEqual({ 'unknown-strategy': {} });
    expect(docs.find((x) => x.kind === 'ConfigMap').notAField).toBe(true);
    expect(docs.filter((x) => x.kind === 'Deployment')).toHaveLength(1);
  });

  test('embedded documents are read against the kinds they embed (a Tekton taskSpec)', () => {
    const chart = Testing.chart();
    const task = new Task(chart, 'build', { inline: true });
    task.addStep('compile', { image: IMG, script: '#!/bin/sh\nmake\n' });
    const p = new Pipeline(chart, 'ci');
    p.addTask('build', { taskSpec: task });
    ApiObject.of(p).addJsonPatch(JsonPatch.add('/spec/tasks/0/taskSpec/steps/0/imagee', IMG));
    const e = refusal(() => Testing.synth(chart));
    expect(e.path).toBe('test/ci');
    expect(e.message).toContain('/spec/tasks/0/taskSpec/steps/0 must NOT have additional properties: imagee');
  });

  test('rule document-size: a large Tekton Pipeline warns near etcd\'s object limit, first for client-side apply, then for any apply', () => {
    const sized = (tasks: number) => {
      const chart = Testing.chart();
      const task = new Task(chart, 'build', { inline: true });
      task.addStep('compile', { image: IMG, script: `#!/bin/sh\n${'echo compiling the next module of the service\n'.repeat(400)}` });
      const p = new Pipeline(chart, 'ci');
      for (let i = 0; i < tasks; i++) p.addTask(`build-${i}`, { taskSpec: task });
      Testing.synth(chart);
      return warningsOf(chart).filter((w) => w.includes('document-size'));
    };
    expect(sized(20)).toEqual([]);
    const clientSide = sized(45);
    expect(clientSide).toHaveLength(1);
    expect(clientSide[0]).toMatch(/^\[test\/ci\] the Pipeline document "ci" is \d+ KiB: kubectl's client-side apply stores it again/);
    expect(clientSide[0]).toContain("kubectl apply --server-side");
    const near = sized(85);
    expect(near).toHaveLength(1);
    expect(near[0]).toContain("within 10% of etcd's 1.5 MiB object limit (rule: document-size)");
  });
});
