/**
 * Fixtures in the shapes of catalog Tasks, upstream examples and Triggers setups (written for these tests):
 * typed program → expected fields, strict schemas, and every step's merged security context checked by the
 * independent strategic merge in helpers.ts (run by `synth`).
 */
import { Duration } from '../../lib/core';
import {
  ApiFields, Context, CustomInterceptor, OnError, Resolver, StepActionRef, CustomRun, EnvValue, EventListener, Interceptor, InterceptorKind, ParamType, ParamValue,
  Pipeline, PipelineRun, Probe, StepAction, Task, TaskRun, TaskRef, Trigger, TriggerBinding, TriggerBindingRef, TriggerTemplate, Volume,
  WhenExpression, WorkspaceBinding,
} from '../../lib/tekton';
import { expectRule, expectSynthRule, find, mergedSecurityProblems, newChart, strategicMerge, synth } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';
const KANIKO = 'gcr.io/kaniko-project/executor:v1.23.2';
const BUILDAH = 'quay.io/buildah/stable:v1.37';

describe('script-injection in command/args code arguments', () => {
  const task = () => {
    const t = new Task(newChart(), 'greet');
    return { t, who: t.addParam('who') };
  };

  test('rule script-injection: sh -c with the param in args', () => {
    const { t, who } = task();
    const msg = expectRule('script-injection', () => t.addStep('hello', { image: IMG, command: ['sh', '-c'], args: [`echo hello ${who}`] }));
    expect(msg).toContain('$(params.who)');
    expect(msg).toContain('EnvValue.fromExpression');
  });

  test('rule script-injection: every shell and interpreter form, every injectable prefix', () => {
    const forms: Array<[string[], string[]]> = [
      [['sh', '-c', 'echo $(params.who)'], []],
      [['/bin/bash', '-euo', 'pipefail', '-c'], ['echo $(tasks.build.results.digest)']],
      [['python3', '-c', 'print("$(params.who)")'], []],
      [['node', '-e', 'console.log("$(tt.params.revision)")'], []],
      [['/usr/bin/env', 'bash', '-ec', 'echo $(steps.fetch.results.sha)'], []],
      [['perl', '-lne', 'print "$(params.who)"'], []],
    ];
    for (const [command, args] of forms) {
      const t = new Task(newChart(), 't', { inline: true });
      expectRule('script-injection', () => t.addStep('s', { image: IMG, command, args }));
    }
    const sidecar = new Task(newChart(), 'side');
    expectRule('script-injection', () => sidecar.addSidecar('db', { image: IMG, command: ['sh', '-c', 'echo $(params.x)'] }));
    expectRule('script-injection', () => new StepAction(newChart(), 'sa', { image: IMG, command: ['bash', '-c'], args: ['echo $(params.x)'] }));
  });

  test('safe forms stay accepted: positional arguments after the code, plain commands, the opt-out', () => {
    const chart = newChart();
    const t = new Task(chart, 'kubectl-action');
    const who = t.addParam('who');
    const manifest = t.addParam('manifest');
    t.addStep('pos', { image: IMG, command: ['sh', '-c', 'echo "hello $1"', 'sh'], args: [`${who}`] });
    t.addStep('apply', { image: IMG, command: ['kubectl', 'apply', '-f', `${manifest}`] });
    t.addStep('py', { image: IMG, command: ['python3', 'greet.py', `${who}`] });
    t.addStep('legacy', { image: IMG, command: ['sh', '-c'], args: [`echo ${who}`], allowUnsafeScriptSubstitution: true });
    const spec = synth(chart)[0].spec;
    expect(spec.steps[0].args).toEqual(['$(params.who)']);
    expect(spec.steps[3].args).toEqual(['echo $(params.who)']);
  });
});

describe("security contexts after Tekton's stepTemplate merge", () => {
  test('allowPrivileged writes allowPrivilegeEscalation: true; allowRoot writes runAsNonRoot: false (buildah, kaniko)', () => {
    const chart = newChart();
    const t = new Task(chart, 'image-build');
    t.addStep('buildah', { image: BUILDAH, script: '#!/bin/sh\nbuildah bud .', securityContext: { privileged: true }, allowPrivileged: true, allowRoot: true });
    t.addStep('kaniko', { image: KANIKO, args: ['--dockerfile=Dockerfile'], securityContext: { runAsUser: 0 }, allowRoot: true });
    t.addStep('lint', { image: IMG, script: 'true' });
    const docs = synth(chart);
    const spec = find(docs, 'Task').spec;
    expect(spec.steps[0].securityContext).toEqual({ privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: false, runAsUser: 0 });
    expect(spec.steps[1].securityContext).toEqual({ runAsUser: 0, runAsNonRoot: false });
    expect(spec.steps[2].securityContext).toBeUndefined();
    const merged = spec.steps.map((s: any) => strategicMerge(spec.stepTemplate.securityContext, s.securityContext));
    expect(merged[0]).toEqual({ privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: false, runAsUser: 0, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(merged[1]).toMatchObject({ runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false });
    expect(merged[2]).toEqual(spec.stepTemplate.securityContext);
    expect(docs).toMatchSnapshot();
  });

  test('rule security-context-merge: contradictions Kubernetes or the kubelet would refuse', () => {
    const t = new Task(newChart(), 't');
    expect(expectRule('security-context-merge', () => t.addStep('a', { image: IMG, securityContext: { runAsUser: 0 } }))).toContain('allowRoot');
    expectRule('security-context-merge', () => t.addStep('b', { image: IMG, securityContext: { privileged: true, allowPrivilegeEscalation: false }, allowPrivileged: true }));
    expectRule('security-context-merge', () => t.addStep('c', { image: IMG, securityContext: { addCapabilities: ['SYS_ADMIN'] } }));
    expectRule('security-context-merge', () => t.addStep('d', { image: IMG, securityContext: { runAsNonRoot: true, runAsUser: 0 }, allowRoot: true }));
    expectRule('security-context-merge', () => new Task(newChart(), 'u', { stepTemplate: { securityContext: { runAsNonRoot: true, runAsUser: 0 } } }));
    // Explicit values on the step are accepted as written (the portable model writes them so).
    expect(() => t.addStep('ok', { image: IMG, securityContext: { runAsNonRoot: false, runAsUser: 0 } })).not.toThrow();
  });

  test('sidecars and StepActions carry the restricted profile themselves; privileged sidecars relax it', () => {
    const chart = newChart();
    const t = new Task(chart, 'docker-build');
    t.addStep('build', { image: IMG, script: 'docker build .' });
    t.addSidecar('dind', { image: 'docker.io/library/docker:27-dind', securityContext: { privileged: true }, allowPrivileged: true, allowRoot: true,
      startupProbe: Probe.exec(['docker', 'info'], { period: Duration.seconds(2), failureThreshold: 30 }),
      readinessProbe: Probe.tcpSocket(2376) });
    new StepAction(chart, 'git-clone', { image: IMG, script: 'git clone "$URL"' });
    const docs = synth(chart);
    const dind = find(docs, 'Task').spec.sidecars[0];
    expect(dind.securityContext).toEqual({ privileged: true, allowPrivilegeEscalation: true, runAsNonRoot: false, runAsUser: 0, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(dind.startupProbe).toEqual({ exec: { command: ['docker', 'info'] }, periodSeconds: 2, failureThreshold: 30 });
    expect(dind.readinessProbe).toEqual({ tcpSocket: { port: 2376 } });
    expect(find(docs, 'StepAction').spec.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('the independent merge check finds what the library refuses', () => {
    const doc = { kind: 'Task', metadata: { name: 'x' }, spec: {
      stepTemplate: { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } },
      steps: [{ name: 'a', securityContext: { privileged: true } }, { name: 'b', securityContext: { runAsUser: 0 } }] } };
    expect(mergedSecurityProblems(doc)).toHaveLength(2);
  });
});

describe('false positives now accepted', () => {
  test('a partial object value whose missing keys the default provides; object params declared by properties alone', () => {
    const chart = newChart();
    const t = new Task(chart, 'git-clone');
    const repo = t.addParam('repo', { properties: ['url', 'revision'], default: ParamValue.object({ url: 'https://example.org/r.git', revision: 'main' }) });
    t.addStep('clone', { image: IMG, script: 'git clone "$URL"', env: { URL: EnvValue.fromExpression(repo.key('url')) } });
    new TaskRun(chart, 'run', { task: t, params: { repo: ParamValue.object({ revision: 'v1' }) } });
    const docs = synth(chart);
    expect(find(docs, 'Task').spec.params[0]).toMatchObject({ name: 'repo', type: 'object', properties: { url: { type: 'string' }, revision: { type: 'string' } } });
  });

  test("a pipeline task param using the task's own $(workspaces.source.path)", () => {
    const chart = newChart();
    const t = new Task(chart, 'maven');
    t.addParam('context');
    t.addWorkspace('source');
    t.addStep('mvn', { image: IMG, command: ['mvn', 'package'] });
    const p = new Pipeline(chart, 'p');
    const ws = p.addWorkspace('shared');
    p.addTask('build', { taskRef: t.ref, workspaces: { source: ws }, params: { context: ParamValue.string('$(workspaces.source.path)/app') } });
    expect(() => synth(chart)).not.toThrow();
  });

  test('matrix: an include that only extends combinations adds none (16×16 + include = 256)', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addParam('a');
    t.addParam('b');
    t.addParam('flags', { default: ParamValue.string('') });
    t.addStep('s', { image: IMG });
    const p = new Pipeline(chart, 'p');
    const xs = Array.from({ length: 16 }, (_, i) => `v${i}`);
    p.addTask('fan', { taskRef: t.ref, matrix: {
      params: { a: ParamValue.array(xs), b: ParamValue.array(xs) },
      include: [{ name: 'extend', params: { a: ParamValue.string('v0'), flags: ParamValue.string('-v') } }, { name: 'all', params: { flags: ParamValue.string('-x') } }],
    } });
    expect(() => synth(chart)).not.toThrow();
    expectRule('matrix-combinations', () => p.addTask('more', { taskRef: t.ref, matrix: {
      params: { a: ParamValue.array(xs), b: ParamValue.array(xs) }, include: [{ name: 'new', params: { a: ParamValue.string('v99') } }] } }));
  });

  test('CEL when and param enum follow their feature flags, not only ApiFields.ALPHA', () => {
    const chart = newChart();
    const flags = { enableCelInWhenExpression: true, enableParamEnum: true };
    const t = new Task(chart, 't', { featureFlags: flags });
    const mode = t.addParam('mode', { enum: ['fast', 'full'], default: ParamValue.string('fast') });
    t.addStep('s', { image: IMG, env: { MODE: EnvValue.fromExpression(mode) }, when: [WhenExpression.cel(`'${mode}' == 'full'`)] });
    const p = new Pipeline(chart, 'p', { featureFlags: flags });
    const branch = p.addParam('branch');
    p.addTask('a', { taskRef: t.ref, when: [WhenExpression.cel(`'${branch}'.startsWith('release-')`)] });
    expect(() => synth(chart)).not.toThrow();
    expectRule('alpha-feature', () => new Task(newChart(), 'x', { apiFields: ApiFields.ALPHA, featureFlags: { enableParamEnum: false } }).addParam('m', { enum: ['a'] }));
  });

  test("a step without a name gets Tekton's own name for it (the v1 CRD schema requires one)", () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addStep({ image: IMG, script: 'echo one' });
    const second = t.addStep({ image: IMG, script: 'echo two', results: { out: {} } });
    t.addStep('use', { image: IMG, env: { OUT: EnvValue.fromExpression(second.result('out')) } });
    const steps = synth(chart)[0].spec.steps;
    expect(steps.map((s: any) => s.name)).toEqual(['unnamed-0', 'unnamed-1', 'use']);
    expect(steps[2].env[0].value).toBe('$(steps.unnamed-1.results.out)');
    const clash = new Task(newChart(), 'c');
    clash.addStep('unnamed-1', { image: IMG });
    expectRule('step-name-unique', () => clash.addStep({ image: IMG }));
  });
});

describe('new rules', () => {
  test('rule cel-syntax: a CEL when or interceptor expression that does not parse', () => {
    expect(expectRule('cel-syntax', () => WhenExpression.cel("'a' =="))).toContain("'a' ==");
    expectRule('cel-syntax', () => Interceptor.cel({ filter: 'body.ref ==' }));
    expectRule('cel-syntax', () => Interceptor.cel({ overlays: { short: 'body.after.truncate(7' } }));
  });

  test('rule when-input-string: a whole array param as a when input', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addStep('s', { image: IMG });
    const p = new Pipeline(chart, 'p');
    const list = p.addParam('branches', { type: ParamType.ARRAY });
    const branch = p.addParam('branch');
    p.addTask('ok', { taskRef: t.ref, when: [WhenExpression.in(`${branch}`, [list.all])] });
    p.addTask('bad', { taskRef: t.ref, when: [WhenExpression.in(list.all, ['main'])] });
    expect(expectSynthRule('when-input-string', chart)).toContain('$(params.branches[*])');
  });

  test('rule label-key, label-value, annotation-key: metadata Kubernetes would refuse', () => {
    expectRule('label-key', () => new Task(newChart(), 't', { labels: { 'bad key': 'x' } }));
    expectRule('label-value', () => new Pipeline(newChart(), 'p', { labels: { 'app.kubernetes.io/version': 'not valid!' } }));
    expectRule('annotation-key', () => new EventListener(newChart(), 'el', { annotations: { '/nope': 'x' } }));
  });

  test('rule trigger-binding-ref and trigger-template-ref: values that are neither constructs nor names', () => {
    const chart = newChart();
    const el = new EventListener(chart, 'el');
    const gh = Interceptor.github({ secretName: 's' });
    expectRule('trigger-binding-ref', () => el.addTrigger('a', { template: 'tt', bindings: [{ ref: 'x' } as any], interceptors: [gh] }));
    expectRule('trigger-template-ref', () => el.addTrigger('b', { template: undefined as any, interceptors: [gh] }));
  });

  test('rule interceptor-ref: a custom interceptor without a valid name, a non-interceptor value', () => {
    expectRule('interceptor-ref', () => Interceptor.custom('Bad Name'));
    expectRule('interceptor-ref', () => new EventListener(newChart(), 'el').addTrigger('a', { template: 'tt', interceptors: [{ ref: 'github' } as any], allowUnauthenticated: true }));
  });

  test('rule interceptor-client-config: a custom interceptor with both or neither service and url', () => {
    expectRule('interceptor-client-config', () => new CustomInterceptor(newChart(), 'ci', {}));
    expectRule('interceptor-client-config', () => new CustomInterceptor(newChart(), 'ci', { serviceName: 's', url: 'https://x' }));
  });

  test('rule trigger-group-selector: a trigger group that selects nothing', () => {
    expectRule('trigger-group-selector', () => new EventListener(newChart(), 'el').addTriggerGroup('g', { interceptors: [Interceptor.github({ secretName: 's' })] }));
  });

  test('rule trigger-ref: a trigger reference that is not a Trigger or a name', () => {
    expectRule('trigger-ref', () => new EventListener(newChart(), 'el').addTriggerRef(42 as any));
  });

  test('rule event-listener-replicas and event-listener-service-port', () => {
    expectRule('event-listener-replicas', () => new EventListener(newChart(), 'el', { kubernetesResource: { replicas: -1 } }));
    expectRule('event-listener-service-port', () => new EventListener(newChart(), 'el', { kubernetesResource: { servicePort: 70000 } }));
  });

  test('rule probe-threshold: a probe threshold below 1', () => {
    expectRule('probe-threshold', () => Probe.httpGet('/healthz', 8080, { failureThreshold: 0 }));
  });

  test('rule probe-command: an exec probe without a command', () => {
    expectRule('probe-command', () => Probe.exec([]));
  });

  test('rule result-object-properties (step actions): an object result without properties', () => {
    expectRule('result-object-properties', () => new StepAction(newChart(), 'sa', { image: IMG }).addResult('o', { type: ParamType.OBJECT }));
  });

  test('rule custom-task-ref (custom runs): an apiVersion without a group', () => {
    expectRule('custom-task-ref', () => new CustomRun(newChart(), 'r', { apiVersion: 'v1', kind: 'Wait' }));
  });
});

describe('reach: metadata, runs, step actions', () => {
  test('catalog metadata and Pipelines-as-Code annotations land on every kind', () => {
    const chart = newChart();
    const catalog = { labels: { 'app.kubernetes.io/version': '0.9' }, annotations: { 'tekton.dev/pipelines.minVersion': '0.50.0', 'tekton.dev/tags': 'git', 'tekton.dev/displayName': 'git clone' } };
    const t = new Task(chart, 'git-clone', catalog);
    t.addStep('clone', { image: IMG, script: 'git clone "$URL"' });
    const sa = new StepAction(chart, 'sa', { image: IMG, script: 'echo ok', ...catalog });
    sa.addResult('info', { properties: ['sha', 'url'] });
    const p = new Pipeline(chart, 'ci', catalog);
    p.addTask('clone', { taskRef: t.ref });
    new PipelineRun(chart, 'pr', { pipeline: p, annotations: { 'pipelinesascode.tekton.dev/on-event': '[push]', 'pipelinesascode.tekton.dev/on-target-branch': '[main]', 'chains.tekton.dev/signed': 'true' } });
    new TaskRun(chart, 'tr', { task: t, labels: { team: 'payments' } });
    const docs = synth(chart);
    for (const kind of ['Task', 'StepAction', 'Pipeline']) expect(find(docs, kind).metadata).toMatchObject(catalog);
    expect(find(docs, 'PipelineRun').metadata.annotations['pipelinesascode.tekton.dev/on-event']).toBe('[push]');
    expect(find(docs, 'PipelineRun').metadata.generateName).toBe('ci-run-');
    expect(find(docs, 'TaskRun').metadata.labels).toEqual({ team: 'payments' });
    expect(find(docs, 'StepAction').spec.results[0]).toEqual({ name: 'info', type: 'object', properties: { sha: { type: 'string' }, url: { type: 'string' } } });
  });

  test('the whole run podTemplate', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addStep('s', { image: IMG });
    const podTemplate = {
      nodeSelector: { 'kubernetes.io/arch': 'arm64' },
      tolerations: [{ key: 'ci', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['ci'] }] }] } } },
      env: { HTTP_PROXY: EnvValue.fromValue('http://proxy:3128') },
      volumes: [Volume.emptyDir('cache')],
      runtimeClassName: 'gvisor', dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.10'] },
      schedulerName: 'batch', priorityClassName: 'ci-low', hostAliases: [{ ip: '10.0.0.5', hostnames: ['registry.local'] }],
      enableServiceLinks: false, imagePullSecrets: ['regcred'],
    };
    new TaskRun(chart, 'tr', { task: t, podTemplate });
    const pod = find(synth(chart), 'TaskRun').spec.podTemplate;
    expect(pod).toMatchObject({ runtimeClassName: 'gvisor', schedulerName: 'batch', env: [{ name: 'HTTP_PROXY', value: 'http://proxy:3128' }], volumes: [{ name: 'cache', emptyDir: {} }] });
    expect(pod.tolerations).toEqual(podTemplate.tolerations);
  });

  test('CustomRun by reference and with an embedded spec, also inside a TriggerTemplate', () => {
    const chart = newChart();
    new CustomRun(chart, 'wait', { apiVersion: 'custom.tekton.dev/v1alpha1', kind: 'Wait', customTaskName: 'wait-10s', params: { duration: ParamValue.string('10s') }, timeout: Duration.minutes(5) });
    const tt = new TriggerTemplate(chart, 'tt');
    const rev = tt.addParam('revision');
    new CustomRun(tt, 'approve', { apiVersion: 'example.dev/v1', kind: 'Approval', spec: { approvers: ['alice'] }, params: { revision: ParamValue.of(rev) } });
    const docs = synth(chart);
    expect(find(docs, 'CustomRun').spec).toEqual({ customRef: { apiVersion: 'custom.tekton.dev/v1alpha1', kind: 'Wait', name: 'wait-10s' }, params: [{ name: 'duration', value: '10s' }], timeout: '5m' });
    expect(find(docs, 'TriggerTemplate').spec.resourcetemplates[0]).toMatchObject({ kind: 'CustomRun', metadata: { generateName: 'approval-run-' }, spec: { customSpec: { kind: 'Approval', spec: { approvers: ['alice'] } } } });
  });

  test('upstream example shapes: finally with $(tasks.status), volumeClaimTemplate, onError, resolvers', () => {
    const chart = newChart();
    const t = new Task(chart, 'report');
    const status = t.addParam('status');
    t.addStep('s', { image: IMG, script: 'echo "$STATUS"', env: { STATUS: EnvValue.fromExpression(status) }, onError: OnError.CONTINUE });
    const p = new Pipeline(chart, 'p');
    const ws = p.addWorkspace('src');
    p.addTask('clone', { taskRef: TaskRef.named('git-clone'), workspaces: { output: ws } });
    p.addFinally('notify', { taskRef: t.ref, params: { status: ParamValue.string(Context.TASKS_STATUS) } });
    new PipelineRun(chart, 'run', { pipeline: p, workspaces: { src: WorkspaceBinding.volumeClaimTemplate({ storage: '1Gi' }) } });
    expect(find(synth(chart), 'Pipeline').spec.finally[0].params[0].value).toBe('$(tasks.status)');
  });
});

describe('reach: Triggers', () => {
  test('GitHub and GitLab listeners with CEL overlays, by-name bindings and templates, cluster bindings, named interceptors', () => {
    const chart = newChart();
    const el = new EventListener(chart, 'listener', {
      namespace: 'ci', labels: { team: 'platform' },
      kubernetesResource: { replicas: 2, serviceType: 'LoadBalancer', servicePort: 8443, nodeSelector: { pool: 'ingress' },
        podMetadata: { annotations: { 'prometheus.io/scrape': 'true' } }, containerResources: { requests: { cpu: '50m' } } },
    });
    el.addTrigger('github-push', {
      template: 'build-template',
      bindings: ['github-push', TriggerBindingRef.cluster('github-common'), TriggerBindingRef.param('short-sha', '$(extensions.short)')],
      interceptors: [
        Interceptor.github({ secretName: 'github-webhook', eventTypes: ['push', 'pull_request'] }).withName('verify'),
        Interceptor.cel({ filter: "body.ref.startsWith('refs/heads/')", overlays: { short: 'body.after.truncate(7)', branch: "body.ref.split('/')[2]" } }),
      ],
    });
    el.addTrigger('gitlab', { template: 'build-template', bindings: [TriggerBindingRef.named('gitlab-push')], interceptors: [Interceptor.gitlab({ secretName: 'gl' })], serviceAccountName: 'gitlab-runs' });
    const docs = synth(chart);
    const spec = find(docs, 'EventListener').spec;
    expect(spec.triggers[0].bindings).toEqual([{ ref: 'github-push', kind: 'TriggerBinding' }, { ref: 'github-common', kind: 'ClusterTriggerBinding' }, { name: 'short-sha', value: '$(extensions.short)' }]);
    expect(spec.triggers[0].template).toEqual({ ref: 'build-template' });
    expect(spec.triggers[0].interceptors[0].name).toBe('verify');
    expect(spec.triggers[1].serviceAccountName).toBe('gitlab-runs');
    expect(spec.resources.kubernetesResource).toEqual({ replicas: 2, serviceType: 'LoadBalancer', servicePort: 8443, spec: { template: {
      metadata: { annotations: { 'prometheus.io/scrape': 'true' } }, spec: { nodeSelector: { pool: 'ingress' }, containers: [{ resources: { requests: { cpu: '50m' } } }] } } } });
    expect(find(docs, 'EventListener').metadata.labels).toEqual({ team: 'platform' });
    expect(docs).toMatchSnapshot();
  });

  test('standalone Triggers, trigger groups, selectors, custom interceptors and their kinds; no RBAC for a given service account', () => {
    const chart = newChart();
    const template = new TriggerTemplate(chart, 'tt');
    const rev = template.addParam('revision');
    const t = new Task(chart, 't');
    const p = t.addParam('p');
    t.addStep('s', { image: IMG, command: ['echo'], args: [`${p}`] });
    new TaskRun(template, 'run', { task: t, params: { p: ParamValue.of(rev) } });
    const binding = new TriggerBinding(chart, 'push', { params: { revision: '$(body.after)' }, annotations: { note: 'x' } });
    const verify = new CustomInterceptor(chart, 'verify-sig', { clusterScoped: true, serviceName: 'sig-check', serviceNamespace: 'tekton-pipelines', port: 8443, authenticates: true });
    const ns = new CustomInterceptor(chart, 'team-filter', { url: 'https://filter.ci.svc/filter' });
    const trigger = new Trigger(chart, 'on-push', { template, bindings: [binding], interceptors: [verify.ref({ algorithm: 'sha256' })], labels: { ci: 'true' } });
    const el = new EventListener(chart, 'el', { serviceAccountName: 'el-sa', namespaces: ['team-a', 'team-b'], labelSelector: { matchLabels: { ci: 'true' } } });
    el.addTriggerRef(trigger);
    el.addTriggerRef('legacy-trigger');
    el.addTriggerGroup('github', { interceptors: [Interceptor.github({ secretName: 'gh' }), ns.ref()], labelSelector: { matchLabels: { source: 'github' } }, namespaces: ['*'] });
    const docs = synth(chart);
    expect(docs.map((d) => d.kind)).not.toEqual(expect.arrayContaining(['ServiceAccount']));
    expect(docs.some((d) => /Role/.test(d.kind))).toBe(false);
    const spec = find(docs, 'EventListener').spec;
    expect(spec.triggers).toEqual([{ triggerRef: 'on-push' }, { triggerRef: 'legacy-trigger' }]);
    expect(spec.namespaceSelector).toEqual({ matchNames: ['team-a', 'team-b'] });
    expect(spec.triggerGroups[0].interceptors[1].ref).toEqual({ name: 'team-filter', kind: 'NamespacedInterceptor' });
    expect(find(docs, 'ClusterInterceptor').spec.clientConfig.service).toEqual({ name: 'sig-check', namespace: 'tekton-pipelines', port: 8443 });
    expect(find(docs, 'Interceptor').spec.clientConfig).toEqual({ url: 'https://filter.ci.svc/filter' });
    expect(find(docs, 'Trigger').spec.interceptors[0]).toEqual({ ref: { name: 'verify-sig', kind: 'ClusterInterceptor' }, params: [{ name: 'algorithm', value: 'sha256' }] });
    expect(Interceptor.custom('x', { kind: InterceptorKind.NAMESPACED }).toJson().ref.kind).toBe('NamespacedInterceptor');
    expect(docs).toMatchSnapshot();
  });

  test('a webhook interceptor and generated RBAC that reads Triggers in the selected namespaces', () => {
    const chart = newChart();
    const el = new EventListener(chart, 'el', { namespace: 'ci', namespaces: ['team-a'] });
    el.addTrigger('hook', { template: 'tt', interceptors: [Interceptor.webhook({ serviceName: 'auth', namespace: 'ci', headers: { 'X-Team': ['a'] }, authenticates: true })] });
    const docs = synth(chart);
    expect(find(docs, 'EventListener').spec.triggers[0].interceptors[0]).toEqual({ webhook: { header: [{ name: 'X-Team', value: ['a'] }], objectRef: { apiVersion: 'v1', kind: 'Service', name: 'auth', namespace: 'ci' } } });
    expect(find(docs, 'ClusterRole').rules.map((r: any) => r.resources)).toContainEqual(['pipelineruns', 'taskruns']);
    expect(JSON.stringify(docs)).not.toContain('cluster-admin');
  });
});

describe('more rules and forms', () => {
  test('rule when-input-string (eager): a when input that is not a string', () => {
    expectRule('when-input-string', () => WhenExpression.in(['a', 'b'] as any, ['a']));
  });

  test('rule script-injection (step template): shell code in the template has no opt-out', () => {
    const msg = expectRule('script-injection', () => new Task(newChart(), 't', { stepTemplate: { command: ['sh', '-c', 'echo $(params.x)'] } }));
    expect(msg).not.toContain('allowUnsafeScriptSubstitution');
  });

  test('pipeline tasks and finally tasks: 2,000 adds keep names unique without rescanning', () => {
    const chart = newChart();
    const t = new Task(chart, 't');
    t.addStep('s', { image: IMG });
    const p = new Pipeline(chart, 'p');
    for (let i = 0; i < 2000; i++) p.addTask(`t${i}`, { taskRef: t.ref });
    expectRule('pipeline-task-name-unique', () => p.addFinally('t1999', { taskRef: t.ref }));
    expect(p.allTasks).toHaveLength(2000);
  });
});

test('rule container-field-unknown: a prop slipway would not write is refused, not dropped', () => {
  const t = new Task(newChart(), 't');
  expect(expectRule('container-field-unknown', () => t.addSidecar('db', { image: IMG, ports: [{ containerPort: 5432 }] } as any))).toContain('"ports"');
  expectRule('container-field-unknown', () => t.addStep('s', { image: IMG, sccript: 'typo' } as any));
  expectRule('container-field-unknown', () => new Task(newChart(), 'u', { stepTemplate: { script: 'x' } as any }));
});

test("an inline Task's labels and annotations go to the pipeline task's taskSpec.metadata", () => {
  const chart = newChart();
  const t = new Task(chart, 'notify', { inline: true, labels: { 'app.kubernetes.io/component': 'notify' }, annotations: { 'example.dev/owner': 'ci' } });
  t.addStep('s', { image: IMG });
  const p = new Pipeline(chart, 'p');
  p.addTask('n', { taskSpec: t });
  expect(find(synth(chart), 'Pipeline').spec.tasks[0].taskSpec.metadata).toEqual({ labels: { 'app.kubernetes.io/component': 'notify' }, annotations: { 'example.dev/owner': 'ci' } });
});

test('rule inline-metadata: labels on an inline spec that a run cannot carry', () => {
  const chart = newChart();
  const t = new Task(chart, 't', { inline: true, labels: { a: 'b' } });
  t.addStep('s', { image: IMG });
  expect(expectRule('inline-metadata', () => new TaskRun(chart, 'r', { task: t }))).toContain('TaskRun');
  const p = new Pipeline(chart, 'p', { inline: true, annotations: { x: 'y' } });
  expectRule('inline-metadata', () => new PipelineRun(chart, 'pr', { pipeline: p }));
});

test("rule security-context-merge (runs): a step's uid 0 under the run pod's runAsNonRoot", () => {
  const chart = newChart();
  // A team template without runAsNonRoot: the run's secure pod context supplies it, and uid 0 breaks it.
  const t = new Task(chart, 't', { stepTemplate: { securityContext: { allowPrivilegeEscalation: false, dropCapabilities: ['ALL'] } } });
  t.addStep('root', { image: IMG, securityContext: { runAsUser: 0 } });
  new TaskRun(chart, 'r', { task: t });
  expect(expectSynthRule('security-context-merge', chart)).toContain('the pod template');
  const ok = newChart();
  const u = new Task(ok, 'u', { stepTemplate: { securityContext: { allowPrivilegeEscalation: false } } });
  u.addStep('root', { image: IMG, securityContext: { runAsUser: 0 }, allowRoot: true });
  new TaskRun(ok, 'r', { task: u });
  expect(() => synth(ok)).not.toThrow();
});

test("rule security-context-merge (seccomp): a profile slipway cannot write exactly", () => {
  expectRule('security-context-merge', () => new Task(newChart(), 't').addStep('s', { image: IMG, securityContext: { seccompProfile: 'Localhost' } }));
});

test('catalog git-clone shape: optional workspaces read through env, step results mapped to task results, a resolved StepAction', () => {
  const chart = newChart();
  const t = new Task(chart, 'git-clone', { annotations: { 'tekton.dev/pipelines.minVersion': '0.56.0', 'tekton.dev/categories': 'Git' } });
  const url = t.addParam('url');
  const revision = t.addParam('revision', { default: ParamValue.string('') });
  const output = t.addWorkspace('output');
  const ssh = t.addWorkspace('ssh-directory', { optional: true, readOnly: true });
  t.addStep('prepare', { ref: StepActionRef.resolve(Resolver.git({ url: 'https://github.com/example/actions.git', pathInRepo: 'git/prepare.yaml', revision: 'v1' })),
    params: { dir: ParamValue.string(output.path) } });
  const clone = t.addStep('clone', {
    image: 'cgr.dev/chainguard/git:latest',
    env: { URL: EnvValue.fromExpression(url), REV: EnvValue.fromExpression(revision), SSH_BOUND: EnvValue.fromExpression(ssh.bound), SSH_PATH: EnvValue.fromExpression(ssh.path) },
    workingDir: output.path,
    script: '#!/bin/sh\nset -eu\n[ "$SSH_BOUND" = true ] && cp -R "$SSH_PATH" "$HOME/.ssh"\ngit clone "$URL" . && git checkout "$REV"\ngit rev-parse HEAD | tr -d "\\n" > "$(step.results.commit.path)"\n',
    results: { commit: {} },
  });
  t.addResult('commit', { value: clone.result('commit') });
  const docs = synth(chart);
  const spec = find(docs, 'Task').spec;
  expect(spec.results).toEqual([{ name: 'commit', type: 'string', value: '$(steps.clone.results.commit)' }]);
  expect(spec.steps[0].ref).toEqual({ resolver: 'git', params: expect.any(Array) });
  expect(spec.workspaces[1]).toEqual({ name: 'ssh-directory', optional: true, readOnly: true });
  expect(mergedSecurityProblems(find(docs, 'Task'))).toEqual([]);
});
