/**
 * Property test of the Tekton layer's value rules: type-correct props with edge values (fixed seed, bounded) either
 * synthesize to documents that pass the strict checks and hold the input values exactly, or are refused with a
 * construct path. 0 exceptions.
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  EnvValue, EventListener, Interceptor, ParamValue, Pipeline, PipelineRun, Probe, Task, TaskRun, TriggerBinding, TriggerTemplate,
  WhenExpression, WorkspaceBinding,
} from '../../lib/tekton';
import {
  expectTally, SEED, edgeEnvName, edgeImage, edgeInt, edgeKey, edgeLabelValue, edgeName, either, judge, same, tally, withEdges,
} from '../core/value-properties';
import { newChart } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';
const find = (docs: any[], kind: string) => docs.find((d) => d.kind === kind);

const input = withEdges({
  taskName: edgeName, stepName: edgeName, image: edgeImage, envName: edgeEnvName,
  labelKey: edgeKey, labelValue: edgeLabelValue, annotationKey: edgeKey,
  retries: edgeInt(), serviceAccountName: edgeName, runAsUser: edgeInt(fc.integer({ min: 1000, max: 2 ** 31 + 5 })),
  probePort: either<number | string>(edgeInt(fc.integer({ min: 1, max: 65535 })), edgeName),
  taskId: edgeName, taskRetries: edgeInt(), configMap: edgeName,
  cpu: { valid: fc.constantFrom('100m', '1', '1.5', '2'), edge: fc.constantFrom('NaN', '-1', '1 Gi', '', '1e3', 'Infinity', '0') },
  whenValues: { valid: fc.array(edgeName.valid, { minLength: 1, maxLength: 2 }), edge: fc.array(fc.oneof(edgeName.valid, edgeName.edge), { maxLength: 2 }) },
});

test('Tekton: every generated input is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(input, (v) => {
    judge(t, JSON.stringify(v), () => {
      const chart = newChart();
      const task = new Task(chart, 'task', { name: v.taskName, labels: { [v.labelKey]: v.labelValue }, annotations: { [v.annotationKey]: v.labelValue } });
      task.addWorkspace('config');
      task.addParam('x', { default: ParamValue.string('main') });
      task.addStep(v.stepName, { image: v.image, env: { [v.envName]: EnvValue.fromValue('1') }, script: 'echo "$X"', computeResources: { requests: { cpu: v.cpu } } });
      task.addSidecar('db', { image: IMG, readinessProbe: Probe.tcpSocket(v.probePort) });
      new TaskRun(chart, 'run', {
        task, retries: v.retries, serviceAccountName: v.serviceAccountName,
        podTemplate: { securityContext: { runAsNonRoot: true, runAsUser: v.runAsUser } },
        workspaces: { config: WorkspaceBinding.configMap(v.configMap) },
      });
      const pipeline = new Pipeline(chart, 'pipeline');
      const branch = pipeline.addParam('branch');
      const config = pipeline.addWorkspace('config');
      pipeline.addTask(v.taskId, {
        taskRef: task.ref, retries: v.taskRetries, workspaces: { config },
        when: [WhenExpression.in(`${branch}`, v.whenValues)],
      });
      return Testing.synth(chart);
    }, (docs) => {
      const taskDoc = find(docs, 'Task');
      same('Task name', taskDoc.metadata.name, v.taskName);
      same('Task labels', taskDoc.metadata.labels, { [v.labelKey]: v.labelValue });
      same('Task annotations', taskDoc.metadata.annotations, { [v.annotationKey]: v.labelValue });
      const step = taskDoc.spec.steps[0];
      same('step name', step.name, v.stepName);
      same('step image', step.image, v.image);
      same('step env', step.env, [{ name: v.envName, value: '1' }]);
      same('step cpu', step.computeResources.requests.cpu, v.cpu);
      same('probe port', taskDoc.spec.sidecars[0].readinessProbe.tcpSocket.port, v.probePort);
      const run = find(docs, 'TaskRun');
      same('TaskRun retries', run.spec.retries, v.retries);
      same('TaskRun serviceAccountName', run.spec.serviceAccountName, v.serviceAccountName);
      same('TaskRun runAsUser', run.spec.podTemplate.securityContext.runAsUser, v.runAsUser);
      same('TaskRun configMap', run.spec.workspaces[0].configMap.name, v.configMap);
      const pt = find(docs, 'Pipeline').spec.tasks[0];
      same('pipeline task name', pt.name, v.taskId);
      same('pipeline task retries', pt.retries, v.taskRetries);
      same('when values', pt.when[0].values, v.whenValues);
    });
  }), { seed: SEED, numRuns: 800 });
  expectTally('tekton', t);
});

const triggerInput = withEdges({
  listener: edgeName, replicas: edgeInt(fc.integer({ min: 0, max: 3 })), servicePort: edgeInt(fc.integer({ min: 1, max: 65535 })),
  serviceAccountName: edgeName, secretName: edgeName, triggerName: edgeName, labelKey: edgeKey, labelValue: edgeLabelValue,
});

test('Tekton Triggers: every generated listener is written exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(triggerInput, (v) => {
    judge(t, JSON.stringify(v), () => {
      const chart = newChart();
      const pipeline = new Pipeline(chart, 'ci');
      const rev = pipeline.addParam('revision');
      const task = new Task(chart, 'echo');
      const p = task.addParam('p');
      task.addStep('s', { image: IMG, command: ['echo'], args: [`${p}`] });
      pipeline.addTask('a', { taskRef: task.ref, params: { p: ParamValue.of(rev) } });
      const template = new TriggerTemplate(chart, 'tt', { labels: { [v.labelKey]: v.labelValue } });
      const revision = template.addParam('revision');
      new PipelineRun(template, 'run', { pipeline, params: { revision: ParamValue.of(revision) }, serviceAccountName: v.serviceAccountName });
      const binding = new TriggerBinding(chart, 'push', { params: { revision: '$(body.after)' } });
      const el = new EventListener(chart, 'el', { name: v.listener, kubernetesResource: { replicas: v.replicas, servicePort: v.servicePort } });
      el.addTrigger(v.triggerName, { template, bindings: [binding], interceptors: [Interceptor.github({ secretName: v.secretName })] });
      return Testing.synth(chart);
    }, (docs) => {
      const el = find(docs, 'EventListener');
      same('listener name', el.metadata.name, v.listener);
      same('replicas', el.spec.resources.kubernetesResource.replicas, v.replicas);
      same('servicePort', el.spec.resources.kubernetesResource.servicePort, v.servicePort);
      same('trigger name', el.spec.triggers[0].name, v.triggerName);
      same('secret', el.spec.triggers[0].interceptors[0].params[0].value.secretName, v.secretName);
      const tt = find(docs, 'TriggerTemplate');
      same('template labels', tt.metadata.labels, { [v.labelKey]: v.labelValue });
      same('run serviceAccountName', tt.spec.resourcetemplates[0].spec.taskRunTemplate.serviceAccountName, v.serviceAccountName);
    });
  }), { seed: SEED, numRuns: 300 });
  expectTally('tekton triggers', t);
});
