import * as fs from 'fs';
import * as path from 'path';
import { transformSync } from '@swc/core';
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse as parseYaml } from 'yaml';
import { Duration, synthFiles } from '../../lib';
import {
  Agent, BuildResult, Comparator, Credential, EnvValue, Jenkinsfile, Library, Option, Parameter, PodSecurity, PostCondition,
  Ref, Step, Text, Tool, Trigger, When, YamlMergeStrategy,
} from '../../lib/jenkins';
import { expectK8sValid } from '../support/k8s-models';
import { parseAllRendered, pipeline, remember, render } from './helpers';
import * as lib from '../../lib';

const sh = (s: string): Step => Step.sh(s);

/** A pipeline that uses every section, agent type, step, condition and option the API offers. */
function kitchenSink(): ReturnType<typeof pipeline> {
  return pipeline({
    agent: Agent.kubernetes({
      cloud: 'k8s', namespace: 'ci', inheritFrom: 'base', yamlMergeStrategy: YamlMergeStrategy.MERGE, defaultContainer: 'build',
      serviceAccount: 'jenkins-agent', nodeSelector: 'kubernetes.io/os=linux', customWorkspace: '/home/jenkins/ws', idleMinutes: 5,
      activeDeadlineSeconds: 7200, showRawYaml: false, retries: 2,
      containers: [{ name: 'build', image: 'golang:1.22', command: ['sleep', 'infinity'],
        resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(512) } } }],
      pod: (pod) => {
        pod.metadata.addLabel('team', 'payments');
        pod.addVolume(kplus.Volume.fromEmptyDir(pod, 'cache', 'cache'));
      },
    }),
    libraries: [Library.of('pipeline-utils', 'v2.1.0'), Library.of('notify')],
    options: [Option.buildDiscarder({ numToKeep: 20, daysToKeep: 30, artifactNumToKeep: 3, artifactDaysToKeep: 7 }),
      Option.timeout(Duration.minutes(90)), Option.disableConcurrentBuilds(true), Option.disableResume(), Option.preserveStashes(3),
      Option.quietPeriod(10), Option.parallelsAlwaysFailFast(), Option.skipStagesAfterUnstable(), Option.overrideIndexTriggers(false),
      Option.disableRestartFromStage(), Option.newContainerPerStage(), Option.ansiColor(), Option.timestamps(), Option.retry(2),
      Option.skipDefaultCheckout(), Option.checkoutToSubdirectory('src'), Option.lock('ci-db')],
    parameters: [Parameter.string({ name: 'VERSION', defaultValue: '1.0', description: 'Release version', trim: true }),
      Parameter.text({ name: 'NOTES', defaultValue: 'line 1\nline 2' }), Parameter.booleanParam({ name: 'DRY_RUN', defaultValue: true }),
      Parameter.choice({ name: 'TARGET', choices: ['staging', 'production'] }), Parameter.password({ name: 'PIN', description: 'pin' })],
    triggers: [Trigger.cron('H 3 * * 1-5'), Trigger.pollSCM('H/5 * * * *'), Trigger.upstream({ projects: ['libs/main'], threshold: BuildResult.SUCCESS })],
    tools: [Tool.jdk('jdk21'), Tool.maven('maven-3.9'), Tool.gradle('8'), Tool.nodejs('20'), Tool.of('go', '1.22')],
    environment: { APP: EnvValue.of('payments'), DEPLOY_TOKEN: EnvValue.credentials('deploy-token'),
      TAG: EnvValue.text(Text.of('v', Ref.param('VERSION'), '-', Ref.env('BUILD_NUMBER'))) },
    // Deliberately out of Jenkins' order: they are emitted in execution order.
    post: { cleanup: [Step.cleanWs()], failure: [Step.echo('failed')], always: [Step.junit('**/TEST-*.xml')], success: [Step.echo('ok')] },
  }, (jf) => {
    jf.addStage('Checkout', { steps: [Step.checkout(), Step.git({ url: 'https://git.example.com/x.git', branch: 'main', credentialsId: 'git', changelog: false, poll: false })] });
    jf.addStage('Build', {
      tools: [Tool.maven('maven-3.9')],
      options: [Option.timeout(Duration.minutes(20), true), Option.retry(2)],
      steps: [
        Step.sh('#!/bin/bash -eu\nmake build\n', { label: 'build' }),
        Step.sh('git rev-parse HEAD', { returnStdout: true, encoding: 'UTF-8' }),
        Step.bat('build.cmd', { returnStatus: true }), Step.powershell('Write-Host hi'), Step.pwsh('./build.ps1'),
        Step.dir('web', [Step.retry(3, [sh('npm ci')]), Step.timeout(Duration.minutes(5), [sh('npm test')])]),
        Step.stash({ name: 'dist', includes: 'dist/**', excludes: '**/*.map', allowEmpty: false, useDefaultExcludes: true }),
        Step.archiveArtifacts({ artifacts: 'dist/**', fingerprint: true, onlyIfSuccessful: true }),
        Step.script('def v = readFile("VERSION").trim()\nif (v) {\n  currentBuild.displayName = v\n}'),
        Step.withEnv({ GOFLAGS: '-mod=vendor', CGO_ENABLED: '0' }, [sh('go build ./...')]),
        Step.milestone(1), Step.deleteDir(),
      ],
    });
    const test = jf.addStage('Test', { failFast: true, when: When.not(When.changelog('.*\\[skip tests\\].*')), beforeAgent: true });
    test.addParallel('unit', { steps: [Step.container('build', [sh('go test ./...')], { shell: '/bin/bash' })],
      post: { always: [Step.junit('reports/*.xml', { allowEmptyResults: true, keepLongStdio: true, skipPublishingChecks: true })] } });
    test.addParallel('lint', { agent: Agent.docker({ image: 'golangci/golangci-lint:v1.59', args: '-u root', alwaysPull: true, reuseNode: true,
      registryUrl: 'https://registry.example.com', registryCredentialsId: 'reg', label: 'docker', customWorkspace: 'lint' }), steps: [sh('golangci-lint run')] });
    test.addParallel('e2e', { agent: Agent.dockerfile({ filename: 'e2e.Dockerfile', dir: 'e2e', additionalBuildArgs: '--build-arg X=1' }),
      when: When.allOf(When.branch('release-*', Comparator.GLOB), When.environment('RUN_E2E', 'true', true)), steps: [sh('make e2e')] });
    const m = jf.addStage('Platforms').addMatrix({
      axes: [{ name: 'PLATFORM', values: ['linux', 'windows', 'mac'] }, { name: 'JDK', values: ['17', '21'] }],
      excludes: [[{ name: 'PLATFORM', values: ['mac'] }, { name: 'JDK', notValues: ['21'] }]],
      when: When.anyOf(When.expression("params.TARGET == 'production'"), When.tag('v*', Comparator.REGEXP), When.buildingTag()),
      beforeOptions: true,
      options: [Option.timeout(Duration.hours(1))],
    });
    m.addStage('Test', {
      agent: Agent.label(Text.of(m.axis('PLATFORM'), '-agent')),
      tools: [Tool.jdk(Text.of('jdk', m.axis('JDK')))],
      steps: [Step.echo(Text.of('testing on ', m.axis('PLATFORM'), ' with "jdk" $', m.axis('JDK')))],
    });
    m.addStage('Node', { agent: Agent.docker({ image: Text.of('node:', m.axis('JDK'), '-alpine') }), steps: [sh('node --version')] });
    m.addPost(PostCondition.FAILURE, Step.echo('cell failed'));
    const release = jf.addStage('Release', { agent: Agent.node({ label: 'release', customWorkspace: '/srv/ws' }) });
    release.addStage('Approve', {
      when: When.allOf(When.branch('main', Comparator.EQUALS), When.changeRequest({ target: 'main', comparator: Comparator.GLOB }),
        When.changeset('src/**', { comparator: Comparator.GLOB, caseSensitive: true }), When.triggeredBy('UserIdCause', 'alice'),
        When.equals('production', Text.of(Ref.param('TARGET'))), When.isRestartedRun()),
      beforeInput: true,
      input: { message: 'Release?', id: 'release', ok: 'Ship it', submitter: 'admins,release', submitterParameter: 'APPROVER',
        parameters: [Parameter.choice({ name: 'REGION', choices: ['eu', 'us'] })] },
      steps: [Step.echo(Text.of('approved by ', Ref.variable('APPROVER'), ' for ', Ref.variable('REGION')))],
    });
    release.addStage('Publish', {
      environment: { NEXUS: EnvValue.credentials('nexus') },
      options: [Option.withCredentials([Credential.sshUserPrivateKey({ credentialsId: 'deploy-key', keyFileVariable: 'KEY', usernameVariable: 'SSH_USER', passphraseVariable: 'SSH_PASS' })])],
      steps: [
        Step.withCredentials([
          Credential.usernamePassword({ credentialsId: 'reg', usernameVariable: 'REG_USER', passwordVariable: 'REG_PASS' }),
          Credential.usernameColonPassword({ credentialsId: 'basic', variable: 'BASIC' }),
          Credential.string({ credentialsId: 'token', variable: 'TOKEN' }), Credential.file({ credentialsId: 'kubeconfig', variable: 'KCFG' }),
          Credential.zip({ credentialsId: 'bundle', variable: 'BUNDLE' }),
          Credential.certificate({ credentialsId: 'cert', keystoreVariable: 'KS', passwordVariable: 'KS_PASS', aliasVariable: 'KS_ALIAS' }),
        ], [sh('echo "$REG_PASS" | docker login -u "$REG_USER" --password-stdin registry.example.com')]),
        Step.withKubeConfig({ credentialsId: 'prod', serverUrl: 'https://k8s.example.com', caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
          clusterName: 'prod', contextName: 'prod', namespace: 'payments' }, [sh('kubectl apply -f k8s/')]),
        Step.input({ message: 'Smoke tests passed?', ok: 'Yes', id: 'smoke', submitter: 'qa', submitterParameter: 'QA', parameters: [Parameter.booleanParam({ name: 'ROLLBACK' })] }),
        Step.unstash('dist'),
        Step.call('slackSend', { channel: '#releases', color: 'good', notify: true, attempts: 3, tags: ['a', 'b'],
          message: Text.of('released ', Ref.env('TAG'), ' (build ', Ref.currentBuild('number'), ')') }),
        Step.error('unreachable'),
      ],
      post: { always: [Step.echo('published')] },
    });
    release.addPost(PostCondition.ABORTED, Step.echo('aborted'));
    jf.addPost(PostCondition.REGRESSION, Step.echo('regression'));
    jf.addPost(PostCondition.NOT_BUILT, Step.echo('not built'));
    jf.addPost(PostCondition.UNSTABLE, Step.echo('unstable'));
    jf.addPost(PostCondition.FIXED, Step.echo('fixed'));
    jf.addPost(PostCondition.UNSUCCESSFUL, Step.echo('unsuccessful'));
    jf.addPost(PostCondition.CHANGED, Step.echo('changed'));
    jf.addPost(PostCondition.ALWAYS, Step.echo('always again'));
  });
}

describe('Jenkinsfile', () => {
  test('snapshot: a pipeline using every section, agent type, step and condition', () => {
    expect(render(kitchenSink().app)).toMatchSnapshot();
  });

  test('snapshot: a small docker pipeline with agent none and per-stage agents', () => {
    const { app } = pipeline({ agent: Agent.none(), options: [Option.timeoutMinutes(30)] }, (jf) => {
      jf.addStage('Build', { agent: Agent.docker({ image: 'node:20-alpine' }), steps: [sh('npm ci'), sh('npm run build')] });
      jf.addStage('Deploy', { agent: Agent.label('deploy'), when: When.branch('main'), steps: [sh('./deploy.sh')] });
    });
    expect(render(app)).toMatchSnapshot();
  });

  test('is byte-identical for identical input', () => {
    const a = render(kitchenSink().app);
    const b = render(kitchenSink().app);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  test('post conditions come out in Jenkins execution order whatever order they were added in', () => {
    const text = render(kitchenSink().app);
    const top = text.slice(text.lastIndexOf('\n  post {'));
    const names = [...top.matchAll(/^ {4}(\w+) \{$/gm)].map((m) => m[1]);
    expect(names).toEqual(['always', 'changed', 'fixed', 'regression', 'success', 'unsuccessful', 'unstable', 'failure', 'notBuilt', 'cleanup']);
  });

  test('a shebang stays the first character of the script literal', () => {
    const text = render(kitchenSink().app);
    expect(text).toContain("sh(script: '''#!/bin/bash -eu\nmake build\n''', label: 'build')");
  });

  test('credentials reach scripts only as $VAR in single-quoted literals, and GStrings only hold generator references', () => {
    const text = render(kitchenSink().app);
    const gstrings = [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).filter((g) => g.includes('${'));
    for (const g of gstrings) {
      for (const ref of g.matchAll(/\$\{([^}]*)\}/g)) expect(ref[1]).toMatch(/^((env|params|currentBuild)\.)?[A-Za-z_][A-Za-z0-9_]*$/);
    }
    expect(text).toContain('NEXUS = credentials(\'nexus\')');
    expect(text).toContain('echo "testing on ${PLATFORM} with \\"jdk\\" \\$${JDK}"');
    expect(text).not.toMatch(/\$\{(env\.)?(REG_PASS|TOKEN|NEXUS_PSW|DEPLOY_TOKEN)\}/);
  });

  test('the kubernetes pod is restricted, has requests, validates with kubernetes-models and stays out of the chart', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'chart');
    const agent = Agent.kubernetes({ containers: [{ name: 'build', image: 'maven:3' }, { name: 'tools', image: 'alpine:3' }], defaultContainer: 'build' });
    const jf = new Jenkinsfile(chart, 'ci', { agent });
    jf.addStage('Build', { steps: [sh('mvn -B verify')] });
    expect(Testing.synth(chart)).toEqual([]);
    const text = synthFiles(app)['jenkins/ci.Jenkinsfile'];
    const yaml = /yaml '''([\s\S]*?)'''/.exec(text)![1];
    const pod = parseYaml(yaml);
    expect(pod).toEqual(agent.podManifest);
    expectK8sValid([{ ...pod, metadata: { name: 'agent' } }]);
    for (const c of pod.spec.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    }
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const kitchen = kitchenSink();
    expectK8sValid([{ ...(kitchen.jf['props'].agent!.podManifest as object), metadata: { name: 'agent' } }]);
  });

  test('an unrestricted pod is allowed only through the visible opt-out', () => {
    const agent = Agent.kubernetes({ podSecurity: PodSecurity.unrestricted('kaniko needs root'),
      containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:debug', securityContext: { ensureNonRoot: false, user: 0 } }] });
    expectK8sValid([{ ...agent.podManifest, metadata: { name: 'agent' } }]);
    expect(render(pipeline({ agent }).app)).toContain('kaniko');
  });

  test('the docs example runs and its Jenkinsfile is parsed below', () => {
    const md = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'jenkins.md'), 'utf8');
    const code = /^```ts\n([\s\S]*?)^```/m.exec(md)![1];
    const js = transformSync(code, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code;
    const slipway = { ...lib, synthFiles: (scope: Parameters<typeof synthFiles>[0]) => {
      const files = synthFiles(scope);
      for (const [name, text] of Object.entries(files)) remember(`docs:${name}`, text);
      return files;
    } };
    const mod = { exports: {} };
    new Function('require', 'module', 'exports', js)((id: string) => (id === 'slipway' ? slipway : require(id)), mod, mod.exports);
  });

  test('every Jenkinsfile rendered in this file parses with Groovy 2.4', () => {
    const names = parseAllRendered();
    expect(names.length).toBeGreaterThan(5);
    expect(names).toContain('docs:jenkins/web.Jenkinsfile');
  });
});
