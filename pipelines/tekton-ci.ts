import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, tekton } from '../lib';

const { Catalog, EnvValue, Interceptor, ParamValue, WorkspaceBinding } = tekton;

/** What {@link addTektonCi} created, for tests. */
export interface TektonCi {
  /** The chart holding every object. */
  readonly chart: Chart;
  /** The CI pipeline. */
  readonly pipeline: tekton.Pipeline;
  /** The reusable Maven test Task. */
  readonly mavenTest: tekton.Task;
}

const MAVEN = 'docker.io/library/maven:3.9.9-eclipse-temurin-21';
const CURL = 'docker.io/curlimages/curl:8.10.1';

/**
 * The `orders` service's CI on Tekton: clone → unit tests and static checks in parallel (tests fan out over two
 * JDKs) → build and push the image with kaniko → deploy to staging; a `finally` task reports the outcome as a GitHub
 * commit status. Each run gets a fresh volume (volumeClaimTemplate). A GitHub push to main starts a run through an
 * EventListener whose GitHub interceptor checks the webhook signature.
 * Written to `dist/tekton-ci.k8s.yaml`.
 */
export function addTektonCi(scope: Construct): TektonCi {
  const chart = new Chart(scope, 'tekton-ci');

  // A reusable Task: Maven goals in a workspace. Params reach the script only through env.
  const mavenTest = new tekton.Task(chart, 'maven-test', {
    description: 'Run Maven goals in the source workspace',
    // Catalog-style metadata: the Tekton version it needs and its tags for hub search.
    labels: { 'app.kubernetes.io/version': '0.1' },
    annotations: { 'tekton.dev/pipelines.minVersion': '0.50.0', 'tekton.dev/tags': 'build-tool, java', 'tekton.dev/displayName': 'Maven test' },
  });
  const goals = mavenTest.addParam('goals', { type: tekton.ParamType.ARRAY, default: ParamValue.array(['-B', 'verify']) });
  const jdkImage = mavenTest.addParam('image', { default: ParamValue.string(MAVEN), description: 'Maven + JDK image' });
  const source = mavenTest.addWorkspace('source', { description: 'The checked-out repository' });
  const reports = mavenTest.addResult('tests', { description: 'Test summary line' });
  mavenTest.addStep('mvn', {
    image: `${jdkImage}`,
    workingDir: source.path,
    env: { HOME: EnvValue.fromValue('/tmp'), MAVEN_OPTS: EnvValue.fromValue('-Dmaven.repo.local=/tmp/m2') },
    command: ['mvn'],
    args: [goals.all],
  });
  mavenTest.addStep('summary', {
    image: `${jdkImage}`,
    workingDir: source.path,
    env: { RESULT: EnvValue.fromExpression(reports.path) },
    script: '#!/bin/sh\nset -eu\nfind . -path "*/surefire-reports/*.txt" -exec cat {} + | grep -h "Tests run" | tail -n 1 | tr -d "\\n" > "$RESULT" || true\n',
  });

  const pipeline = new tekton.Pipeline(chart, 'orders-ci', { description: 'Build, test and deploy the orders service' });
  const repoUrl = pipeline.addParam('repo-url', { description: 'Git clone URL' });
  const revision = pipeline.addParam('revision', { description: 'Commit to build' });
  const image = pipeline.addParam('image', { default: ParamValue.string('registry.example.com/shop/orders'), description: 'Image repository' });
  const shared = pipeline.addWorkspace('shared', { description: 'Source checkout, one volume per run' });
  const dockerConfig = pipeline.addWorkspace('docker-config', { description: 'Secret with the registry config.json' });

  const clone = pipeline.addTask('clone', Catalog.gitClone({ url: `${repoUrl}`, revision: `${revision}`, output: shared.subPath('src') }));

  const unitTests = pipeline.addTask('unit-tests', {
    taskRef: mavenTest.ref,
    runAfter: [clone],
    matrix: { params: { image: ParamValue.array([MAVEN, 'docker.io/library/maven:3.9.9-eclipse-temurin-17']) } },
    workspaces: { source: shared.subPath('src') },
    retries: 1,
  });
  const staticChecks = pipeline.addTask('static-checks', {
    taskRef: mavenTest.ref,
    runAfter: [clone],
    params: { goals: ParamValue.array(['-B', '-DskipTests', 'checkstyle:check', 'spotbugs:check']) },
    workspaces: { source: shared.subPath('src') },
  });

  const build = pipeline.addTask('build-image', {
    ...Catalog.kaniko({
      image: `${image}:${clone.result('commit')}`,
      source: shared.subPath('src'),
      dockerconfig: dockerConfig,
    }),
    runAfter: [unitTests, staticChecks],
    timeout: Duration.minutes(20),
  });

  pipeline.addTask('deploy-staging', {
    ...Catalog.kubectlApply(pipeline, 'kubectl-apply', {
      source: shared.subPath('src'),
      manifests: 'deploy/staging',
      namespace: 'orders-staging',
      image: `${build.result('IMAGE_URL')}@${build.result('IMAGE_DIGEST')}`,
      deployment: 'orders',
      container: 'orders',
    }),
    when: [tekton.WhenExpression.notIn(`${clone.result('commit')}`, [''])],
  });

  // finally: report the aggregate status to GitHub; the token comes from a Secret, values from env.
  const report = new tekton.Task(pipeline, 'report-status', { inline: true });
  const state = report.addParam('state');
  const commit = report.addParam('commit');
  report.addStep('github-status', {
    image: CURL,
    env: {
      STATE: EnvValue.fromExpression(state),
      COMMIT: EnvValue.fromExpression(commit),
      GITHUB_TOKEN: EnvValue.fromSecretKey('github-status-token', 'token'),
    },
    script: [
      '#!/bin/sh',
      'set -eu',
      'case "$STATE" in Succeeded|Completed) S=success ;; *) S=failure ;; esac',
      'curl -fsS -X POST -H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" \\',
      '  -d "{\\"state\\":\\"$S\\",\\"context\\":\\"tekton/orders-ci\\"}" \\',
      '  "https://api.github.com/repos/example/orders/statuses/$COMMIT"',
      '',
    ].join('\n'),
  });
  pipeline.addFinally('report', {
    taskSpec: report,
    params: { state: ParamValue.string(tekton.Context.TASKS_STATUS), commit: ParamValue.of(revision) },
  });
  pipeline.addResult('image-digest', { value: `${build.result('IMAGE_DIGEST')}`, description: 'Digest of the pushed image' });

  // GitHub push → PipelineRun.
  const template = new tekton.TriggerTemplate(chart, 'orders-ci-run');
  const ttRevision = template.addParam('revision');
  const ttRepo = template.addParam('repo-url');
  new tekton.PipelineRun(template, 'Run', {
    pipeline,
    params: { 'revision': ParamValue.of(ttRevision), 'repo-url': ParamValue.of(ttRepo) },
    workspaces: {
      'shared': WorkspaceBinding.volumeClaimTemplate({ storage: '2Gi' }),
      'docker-config': WorkspaceBinding.secret('orders-registry-config'),
    },
    serviceAccountName: 'orders-ci',
    timeouts: { pipeline: Duration.hours(1), tasks: Duration.minutes(50), finally: Duration.minutes(10) },
    taskRunSpecs: {
      // Opt-out, visible on purpose: the kaniko executor must run as root (it unpacks image layers), so only this
      // task's pod drops the non-root default; privilege escalation stays off and capabilities stay dropped.
      'build-image': { podTemplate: { securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: 'RuntimeDefault' } } },
    },
  });
  // The runs' service account may change the staging namespace only: apply the manifests and roll the Deployment.
  new ApiObject(chart, 'pipeline-sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'orders-ci', namespace: 'ci' } });
  new ApiObject(chart, 'deploy-role', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'orders-ci-deploy', namespace: 'orders-staging' },
    rules: [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
      { apiGroups: [''], resources: ['services', 'configmaps'], verbs: ['get', 'list', 'create', 'update', 'patch'] },
    ],
  });
  new ApiObject(chart, 'deploy-binding', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'orders-ci-deploy', namespace: 'orders-staging' },
    subjects: [{ kind: 'ServiceAccount', name: 'orders-ci', namespace: 'ci' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'orders-ci-deploy' },
  });

  const binding = tekton.TriggerBinding.githubPush(chart, 'github-push');
  const listener = new tekton.EventListener(chart, 'orders-ci-listener', { namespace: 'ci' });
  listener.addTrigger('push-main', {
    template,
    bindings: [binding],
    interceptors: [
      Interceptor.github({ secretName: 'orders-github-webhook', eventTypes: ['push'] }),
      Interceptor.cel({ filter: "body.ref == 'refs/heads/main'" }),
    ],
  });
  return { chart, pipeline, mavenTest };
}
