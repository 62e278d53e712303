import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse as parseYaml } from 'yaml';
import { synthFiles } from '../../lib';
import { Agent, Jenkinsfile, PodRetention, PodSecurity, Step } from '../../lib/jenkins';
import { expectK8sValid } from '../support/k8s-models';
import { parseAllRendered, pipeline, render, ruleError } from './helpers';

const requests = { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256) } };
const embedded = (text: string): any => parseYaml(/yaml '''([\s\S]*?)'''/.exec(text)![1]);

/** A pod as real Jenkinsfiles write it (own fixture): a tool container kept alive by `cat` with a TTY, and a jnlp override. */
const POD_YAML = `apiVersion: v1
kind: Pod
metadata:
  labels:
    ci: build
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: jnlp
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
  - name: maven
    image: maven:3.9-eclipse-temurin-21
    command: ["cat"]
    tty: true
    resources:
      requests:
        cpu: 500m
        memory: 1Gi
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
    volumeMounts:
    - name: token
      mountPath: /var/run/secrets/tokens
  volumes:
  - name: token
    projected:
      sources:
      - serviceAccountToken:
          path: vault
          expirationSeconds: 600
`;

describe('kubernetes agents as real files write them', () => {
  test('only what was said is written: no cdk8s-plus limits, imagePullPolicy or API-server defaults', () => {
    const text = render(pipeline({ agent: Agent.kubernetes({ containers: [{ name: 'build', image: 'golang:1.22', resources: requests }] }) }).app);
    const pod = embedded(text);
    expect(pod.spec).toEqual({
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      securityContext: { fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000 },
      containers: [{ name: 'build', image: 'golang:1.22', resources: { requests: { cpu: '250m', memory: '256Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }],
    });
    for (const f of ['imagePullPolicy', 'limits', 'dnsPolicy', 'hostNetwork', 'setHostnameAsFQDN', 'terminationGracePeriodSeconds', 'privileged', 'fsGroupChangePolicy']) {
      expect(text).not.toContain(f);
    }
  });

  test('a container without resources gets requests (1000m / 512Mi) and no limits', () => {
    const pod = embedded(render(pipeline({ agent: Agent.kubernetes({ containers: [{ name: 'build', image: 'alpine:3' }] }) }).app));
    expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '1000m', memory: '512Mi' } });
  });

  test('PodSecurity.baseline writes what it says: kaniko runs as root, and the level is visible in the pod', () => {
    const agent = Agent.kubernetes({ podSecurity: PodSecurity.baseline('kaniko builds images as root'),
      containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.23.2-debug', command: ['/busybox/cat'], tty: true, resources: requests }] });
    const pod = embedded(render(pipeline({ agent }).app));
    expect(pod.metadata.annotations).toEqual({ 'slipway.io/pod-security': 'baseline', 'slipway.io/pod-security-reason': 'kaniko builds images as root' });
    expect(pod.spec.securityContext).toBeUndefined();
    expect(pod.spec.containers[0]).toEqual({ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.23.2-debug', command: ['/busybox/cat'], tty: true,
      resources: { requests: { cpu: '250m', memory: '256Mi' } } });
    expectK8sValid([{ ...pod, metadata: { ...pod.metadata, name: 'agent' } }]);
  });

  test('rule pod-security-baseline: a privileged container under baseline fails', () => {
    ruleError('pod-security-baseline', () => pipeline({ agent: Agent.kubernetes({ podSecurity: PodSecurity.baseline('root'),
      containers: [{ name: 'dind', image: 'docker:dind', securityContext: { privileged: true } }] }) }).app);
  });

  test('PodSecurity.privileged allows docker-in-docker, written as given', () => {
    const pod = embedded(render(pipeline({ agent: Agent.kubernetes({ podSecurity: PodSecurity.privileged('docker-in-docker'),
      containers: [{ name: 'dind', image: 'docker:dind', securityContext: { privileged: true } }] }) }).app));
    expect(pod.spec.containers[0].securityContext).toEqual({ privileged: true });
  });

  test('pod YAML text is written as given and checked by the same rules; jnlp without image, tty, projected volumes', () => {
    const agent = Agent.kubernetes({ yaml: POD_YAML, defaultContainer: 'maven', label: 'maven-build', podRetention: PodRetention.ON_FAILURE,
      idleMinutes: 10, workingDir: '/home/jenkins/agent', showRawYaml: false });
    const text = render(pipeline({ agent }, (jf) => { jf.addStage('B', { steps: [Step.container('maven', [Step.sh('mvn -B verify')])] }); }).app);
    expect(text).toContain(`yaml '''${POD_YAML}'''`);
    expect(text).toContain("label 'maven-build'");
    expect(text).toContain('podRetention onFailure()');
    expect(text).toContain("workingDir '/home/jenkins/agent'");
    ruleError('container-unknown', () => pipeline({ agent }, (jf) => { jf.addStage('B', { steps: [Step.container('gradle', [Step.sh('x')])] }); }).app);
  });

  test('rule pod-security-restricted: pod YAML text that may run as root fails', () => {
    ruleError('pod-security-restricted', () => pipeline({ agent: Agent.kubernetes({ yaml: 'spec:\n  containers:\n  - name: kaniko\n    image: gcr.io/kaniko-project/executor:debug\n' }) }).app);
  });

  test('rule kubernetes-pod-yaml: YAML text that does not parse fails', () => {
    ruleError('kubernetes-pod-yaml', () => pipeline({ agent: Agent.kubernetes({ yaml: 'spec: [unclosed' }) }).app);
    ruleError('kubernetes-pod-yaml', () => pipeline({ agent: Agent.kubernetes({ yaml: 'kind: Deployment\nspec: {}' }) }).app);
  });

  test('rule kubernetes-container-image: only jnlp may leave out the image', () => {
    const pod = embedded(render(pipeline({ agent: Agent.kubernetes({ containers: [{ name: 'jnlp', resources: requests },
      { name: 'build', image: 'alpine:3', resources: requests }] }) }).app));
    expect(pod.spec.containers[0].image).toBeUndefined();
    ruleError('kubernetes-container-image', () => pipeline({ agent: Agent.kubernetes({ containers: [{ name: 'build' }] }) }).app);
  });

  test('a pod built in code with a yamlFile is written to that file; the Jenkinsfile only names it', () => {
    const app = Testing.app();
    const agent = Agent.kubernetes({ yamlFile: 'ci/pod.yaml', defaultContainer: 'build', containers: [{ name: 'build', image: 'alpine:3', resources: requests }] });
    const jf = new Jenkinsfile(app, 'ci', { agent });
    jf.addStage('A', { agent, steps: [Step.sh('make')] });
    const files = synthFiles(app);
    expect(files['jenkins/ci.Jenkinsfile']).toContain("yamlFile 'ci/pod.yaml'");
    expect(files['jenkins/ci.Jenkinsfile']).not.toContain('yaml \'\'\'');
    const pod = parseYaml(files['jenkins/ci/pod.yaml']);
    expect(pod).toEqual(agent.podManifest);
    expect(files['jenkins/ci/pod.yaml'].startsWith('# Generated by slipway')).toBe(true);
  });

  test('rule kubernetes-label: an empty pod template label fails', () => {
    ruleError('kubernetes-label', () => pipeline({ agent: Agent.kubernetes({ inheritFrom: 'base', label: ' ' }) }).app);
  });

  test('rule kubernetes-pod-file-conflict: two different pods for one yamlFile fail', () => {
    ruleError('kubernetes-pod-file-conflict', () => pipeline({ agent: Agent.kubernetes({ yamlFile: 'pod.yaml', containers: [{ name: 'a', image: 'x' }] }) }, (jf) => {
      jf.addStage('B', { agent: Agent.kubernetes({ yamlFile: 'pod.yaml', containers: [{ name: 'b', image: 'x' }] }), steps: [Step.sh('x')] });
    }).app);
  });

  test('every Jenkinsfile rendered in this file parses with Groovy 2.4', () => {
    expect(parseAllRendered().length).toBeGreaterThan(5);
  });
});
