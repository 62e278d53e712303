import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { Duration, synthFiles } from '../../lib';
import {
  Agent, CleanWsPattern, Credential, EnvValue, Jenkinsfile, JunitStdioRetention, Library, Option, Parameter, PodRetention,
  Ref, RetryCondition, ScriptedJenkinsfile, Step, Text, Tool, Trigger, Value, When,
} from '../../lib/jenkins';
import { GroovyTreeResult, parseGroovyTree } from '../support/groovy-tree';

/**
 * Real-project shapes, rebuilt through the typed API. Each fixture under fixtures/ is a Jenkinsfile written by hand in
 * the style real projects use (our own text); the typed program must produce a file that Groovy 2.4 parses to the same
 * call tree (what Jenkins would execute): the same calls, arguments, named arguments, blocks, functions and annotations.
 */
const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.groovy`), 'utf8');

const KUBERNETES_POD = fixture('kubernetes-pods').match(/yaml '''([\s\S]*?)'''/)![1];
const SCRIPTED_POD = fixture('scripted').match(/yaml: '''([\s\S]*?)'''/)![1];

const programs: Record<string, (app: App) => void> = {
  'matrix-cells': (app) => {
    const jf = new Jenkinsfile(app, 'matrix-cells', { agent: Agent.none() });
    const m = jf.addStage('Matrix').addMatrix({
      axes: [{ name: 'PLATFORM', values: ['linux', 'windows'] }, { name: 'K8S_CLUSTER', values: ['eu-1', 'us-2'] }],
      excludes: [[{ name: 'PLATFORM', values: ['windows'] }, { name: 'K8S_CLUSTER', notValues: ['eu-1'] }]],
      agent: Agent.label(Text.of(Ref.variable('PLATFORM'), '-agent')),
      tools: [Tool.jdk(Text.of('jdk-', Ref.variable('PLATFORM')))],
      environment: { KUBECONFIG_FILE: EnvValue.credentials(Text.of('kubeconfig-', Ref.variable('K8S_CLUSTER'))) },
    });
    m.addStage('Deploy', {
      when: When.environment('PLATFORM', Text.of(m.axis('PLATFORM'))),
      steps: [
        Step.sh('kubectl --kubeconfig "$KUBECONFIG_FILE" apply -f k8s/'),
        Step.sh(Text.of('echo deploying to ', m.axis('K8S_CLUSTER'))),
        Step.dir(Text.of('build/', m.axis('PLATFORM')), [Step.stash({ name: Text.of('bin-', m.axis('PLATFORM')), includes: '**' })]),
      ],
    });
  },
  'parallel-groups': (app) => {
    const jf = new Jenkinsfile(app, 'parallel-groups', { agent: Agent.any(), options: [Option.timeout(Duration.hours(1))],
      post: { cleanup: [Step.cleanWs({ deleteDirs: true, notFailBuild: true, patterns: [CleanWsPattern.exclude('.gradle'), CleanWsPattern.include('build')] })] } });
    const tests = jf.addStage('Tests', { failFast: true });
    const backend = tests.addParallel('Backend');
    backend.addStage('Compile', { steps: [Step.sh('./gradlew compileJava')] });
    backend.addStage('Unit', {
      steps: [Step.retry(3, [Step.sh('./gradlew test')], { conditions: [RetryCondition.agent(), RetryCondition.nonresumable()] })],
      post: { always: [Step.junit('build/test-results/**/*.xml', { stdioRetention: JunitStdioRetention.FAILED })] },
    });
    const frontend = tests.addParallel('Frontend');
    frontend.addStage('Install', { steps: [Step.sh('npm ci')] });
    frontend.addStage('Lint', { steps: [Step.sh('npm run lint')] });
  },
  'input-release': (app) => {
    const jf = new Jenkinsfile(app, 'input-release', { agent: Agent.none(),
      parameters: [Parameter.choice({ name: 'TARGET', choices: ['staging', 'production'], description: 'Where to deploy' })] });
    jf.addStage('Release', {
      agent: Agent.label('deploy'),
      when: When.branch('main'),
      beforeInput: true,
      input: { message: Text.of('Release ', Ref.env('BUILD_NUMBER'), ' to ', Ref.param('TARGET'), '?'), ok: 'Release',
        submitter: 'release-managers', submitterParameter: 'APPROVER',
        parameters: [Parameter.string({ name: 'NOTES', defaultValue: '', description: 'Release notes' })] },
      steps: [
        Step.milestone(1, { label: 'release' }),
        Step.echo(Text.of('approved by ', Ref.variable('APPROVER'))),
        Step.git({ url: 'https://git.example.com/shop/deploy.git', branch: Text.of(Ref.param('TARGET')), credentialsId: 'git-ro' }),
      ],
    });
  },
  'kubernetes-pods': (app) => {
    const jf = new Jenkinsfile(app, 'kubernetes-pods', { agent: Agent.kubernetes({ label: 'maven-build', defaultContainer: 'maven',
      podRetention: PodRetention.ON_FAILURE, idleMinutes: 5, yaml: KUBERNETES_POD }) });
    jf.addStage('Build', { steps: [Step.sh('mvn -B verify')] });
    jf.addStage('Image', { agent: Agent.kubernetes({ yamlFile: 'ci/kaniko-pod.yaml', defaultContainer: 'kaniko' }),
      steps: [Step.container('kaniko', [Step.sh('/kaniko/executor --context "$WORKSPACE" --destination registry.example.com/app:$BUILD_NUMBER')],
        { shell: '/busybox/sh' })] });
  },
  'hybrid': (app) => {
    const jf = new Jenkinsfile(app, 'hybrid', { agent: Agent.any(), libraryAnnotations: [Library.of('ci-shared', 'v3.2')],
      environment: { ARTIFACT: EnvValue.expression('readMavenPom().getArtifactId()'),
        CHANNEL: EnvValue.expression("params.RELEASE ? 'release' : 'snapshot'") },
      post: { failure: [Step.call('notify', ['FAILED'])] } });
    jf.addVariable('IMAGE_REPO', 'registry.example.com/shop');
    jf.addVariable('PLATFORMS', ['linux/amd64', 'linux/arm64']);
    jf.addFunction('notify', { params: ['status'], body: [Step.call('emailext', {
      subject: Text.of(Ref.variable('status'), ': ', Ref.env('JOB_NAME'), ' #', Ref.env('BUILD_NUMBER')),
      body: '${DEFAULT_CONTENT}',
      recipientProviders: [Value.call('developers'), Value.call('requestor')],
    })] });
    jf.addStage('Build', { steps: [
      Step.library('build-tools', '1.4'),
      Step.call('withMaven', { maven: 'maven-3', options: [Value.call('junitPublisher', { healthScaleFactor: 1.0 }),
        Value.call('artifactsPublisher', { disabled: true })] }, [Step.sh('mvn -B deploy')]),
    ] });
    jf.addStage('Publish', { steps: [
      Step.call('sshPublisher', { publishers: [Value.call('sshPublisherDesc', { configName: 'docs-host', verbose: true,
        transfers: [Value.call('sshTransfer', { sourceFiles: 'target/site/**', removePrefix: 'target/site', remoteDirectory: 'docs' })] })] }),
      Step.script([Step.stage('Nested', [Step.echo('typed steps inside a script block')])]),
    ] });
  },
  'scripted': (app) => {
    new ScriptedJenkinsfile(app, 'scripted', { steps: [
      Step.properties({
        properties: [Value.call('buildDiscarder', [Value.call('logRotator', { numToKeepStr: '20' })]), Value.call('disableConcurrentBuilds')],
        parameters: [Parameter.booleanParam({ name: 'DEPLOY', defaultValue: false, description: 'Deploy after the build' })],
        triggers: [Trigger.cron('H 2 * * *')],
      }),
      Step.podTemplate({ yaml: SCRIPTED_POD }, [
        Step.stage('Checkout', [Step.checkout()]),
        Step.tryCatch({
          steps: [
            Step.stage('Test', [Step.parallel({
              unit: [Step.container('golang', [Step.sh('go test ./...')])],
              vet: [Step.container('golang', [Step.withEnv({ CGO_ENABLED: '0', GOFLAGS: Text.of('-mod=', Ref.param('MOD_MODE')) }, [Step.sh('go vet ./...')])])],
            }, { failFast: true })]),
            Step.stage('Deploy', [Step.timeout(Duration.minutes(10), [Step.withCredentials([Credential.string({ credentialsId: 'deploy-token', variable: 'TOKEN' })],
              [Step.sh('curl -fsS -H "Authorization: Bearer $TOKEN" https://deploy.example.com/hook')])])]),
          ],
          catch: { variable: 'err', steps: [Step.echo(Text.of('build failed: ', Ref.variable('err'))), Step.error('rethrown')] },
          finally: [Step.junit('reports/*.xml', { allowEmptyResults: true })],
        }),
      ]),
      Step.node('linux', [Step.stage('Report', [
        Step.echo(Text.of('result: ', Ref.currentBuild('currentResult'))),
        Step.define('VERSION', Value.expression("readFile('VERSION').trim()")),
        Step.ifThen(Value.expression("env.BRANCH_NAME == 'main'"), [Step.echo(Text.of('release ', Ref.variable('VERSION')))], [Step.echo('not main')]),
        Step.forIn('svc', ['api', 'web'], [Step.sh(Text.of('make -C ', Ref.variable('svc'), ' report'))]),
      ])]),
    ] });
  },
};

const rendered: Record<string, string> = {};
let trees: Record<string, GroovyTreeResult>;

beforeAll(() => {
  const texts: Record<string, string> = {};
  for (const [name, build] of Object.entries(programs)) {
    const app = Testing.app();
    build(app);
    rendered[name] = synthFiles(app)[`jenkins/${name}.Jenkinsfile`];
    texts[`typed:${name}`] = rendered[name];
    texts[`fixture:${name}`] = fixture(name);
  }
  // One JVM for every fixture and every typed program.
  trees = parseGroovyTree(texts);
});

describe('real-project shapes rebuilt through the typed API', () => {
  test.each(Object.keys(programs))('%s: Groovy 2.4 parses both, and they are the same call tree', (name) => {
    const typed = trees[`typed:${name}`];
    const hand = trees[`fixture:${name}`];
    expect(hand.errors).toEqual([]);
    expect(typed.errors).toEqual([]);
    expect(typed.tree).toEqual(hand.tree);
    expect(typed.methods).toEqual(hand.methods);
    expect(typed.annotations).toEqual(hand.annotations);
    expect(rendered[name]).toMatchSnapshot();
  });

  test('the fixtures hold what the call-tree comparison needs to see: functions, annotations, try/catch, GStrings', () => {
    expect(trees['fixture:hybrid'].methods).toHaveLength(1);
    expect(trees['fixture:hybrid'].annotations).toEqual([{ name: 'Library', value: 'ci-shared@v3.2' }]);
    expect(JSON.stringify(trees['fixture:scripted'].tree)).toContain('"catches":[{"variable":"err"');
    expect(JSON.stringify(trees['fixture:scripted'].tree)).toContain('"else":[{"name":"echo","args":["not main"]}]');
    expect(JSON.stringify(trees['fixture:matrix-cells'].tree)).toContain('{"gstring":"kubeconfig-$K8S_CLUSTER"}');
  });
});
