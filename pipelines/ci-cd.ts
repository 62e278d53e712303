import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Duration, Matrix, Node, Param, Pipeline, PostCondition, Resources, Secret, Step, TektonApprovals, When,
} from '../lib';

/** What {@link addCiCd} created, for tests. */
export interface CiCd {
  /** The chart holding the Tekton objects. */
  readonly chart: Chart;
  /** The portable pipeline. */
  readonly pipeline: Pipeline;
}

/** The services of the example system (apps/): each has `services/<name>` and is pushed to `ghcr.io/acme/<name>`. */
const SERVICES = ['shop-frontend', 'orders', 'payments', 'catalog', 'checkout', 'account'];

/** The Argo Rollouts canaries of apps/delivery.ts (Istio canaries gated by analysis). */
const CANARIES = ['catalog', 'checkout'];
const STOREFRONT = 'storefront';

/**
 * The example system's CI/CD, written once and lowered to both engines: `dist/jenkins/ci-cd.Jenkinsfile` and the
 * Tekton Pipeline in `dist/ci-cd.k8s.yaml` (with a PipelineRun to start by hand and a GitHub push trigger), plus
 * the stage graph `dist/ci-cd.mmd`.
 *
 * checkout and install → lint and synth in parallel → unit tests per service (matrix) → on main: the images →
 * approval → apply the manifests `npx cdk8s synth` wrote from apps/ → promote the storefront canaries (catalog,
 * checkout) and wait until they are healthy. A failed run aborts them.
 */
export function addCiCd(scope: Construct): CiCd {
  const chart = new Chart(scope, 'ci-cd', { namespace: 'ci' });
  const npmToken = Secret.text('NPM_TOKEN', 'npm-read-token', { key: 'token' });
  const registry = Secret.usernamePassword('REGISTRY', 'ghcr-push');

  const pipeline = new Pipeline(chart, 'ci-cd', {
    node: new Node({
      containers: [
        { name: 'node', image: 'docker.io/library/node:20.18-bookworm', resources: Resources.of({ cpu: '1', memory: '2Gi', memoryLimit: '3Gi' }) },
        // kaniko builds images as root (no daemon); its debug image has a shell in /busybox only.
        { name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.23.2-debug', runAsRoot: true, shell: '/busybox/sh',
          resources: Resources.of({ cpu: '1', memory: '2Gi', memoryLimit: '4Gi' }) },
        // The platform team's tools image: kubectl and the kubectl-argo-rollouts plugin.
        { name: 'deploy', image: 'ghcr.io/acme/ci-tools:1.4.0' },
      ],
      serviceAccount: 'ci-deployer',
    }),
    params: [
      Param.string('IMAGE_TAG', { default: 'dev', description: 'tag of the images to push (apps/ pins the tags it deploys)' }),
    ],
    environment: { CI: 'true' },
    timeout: Duration.hours(2),
  });
  const onMain = When.branch('main');

  // Branches and cells share the workspace (one pod on Jenkins, one volume on Tekton): install once, before them.
  // npm reads NPM_TOKEN through .npmrc, which the script does not show: granted to the install step only.
  pipeline.addStage('Checkout', { steps: [Step.checkout(), Step.run('npm ci', { name: 'install', secrets: [npmToken] })] });

  const verify = pipeline.addStage('Verify');
  verify.addBranch('Lint', { steps: [Step.run('npm run lint', { name: 'lint' })] });
  verify.addBranch('Synth', {
    steps: [Step.run('npx cdk8s synth', { name: 'synth' }), Step.archiveArtifacts('dist/*.k8s.yaml')],
  });

  pipeline.addStage('Unit tests', {
    matrix: Matrix.of({ axes: { SERVICE: SERVICES } }),
    steps: [
      Step.run('npm test --workspace "services/$SERVICE" -- --ci', { name: 'test' }),
      Step.publishTests('services/*/reports/junit.xml'),
    ],
  });

  // One after another: on Jenkins every stage shares the agent pod, and so its one kaniko container.
  pipeline.addStage('Images', {
    when: [onMain],
    steps: SERVICES.map((service) => Step.buildImage({
      name: `image-${service}`, repository: `ghcr.io/acme/${service}`, tag: pipeline.params[0], context: `services/${service}`,
      container: 'kaniko', registryCredentials: registry,
    })),
  });

  pipeline.addStage('Approve production', {
    when: [onMain],
    steps: [Step.approval({ message: 'Deploy the new images to production?', approvers: ['release-managers'] })],
  });
  pipeline.addStage('Deploy', {
    when: [onMain],
    timeout: Duration.minutes(10),
    retries: 1,
    steps: [Step.applyManifests({
      files: ['dist/delivery-namespace.k8s.yaml', 'dist/payments.k8s.yaml', 'dist/shop.k8s.yaml', 'dist/delivery-storefront.k8s.yaml'],
      container: 'deploy',
    })],
  });
  pipeline.addStage('Canary', {
    when: [onMain],
    timeout: Duration.minutes(30),
    steps: CANARIES.flatMap((rollout) => [
      Step.promoteRollout({ name: `promote-${rollout}`, rollout, namespace: STOREFRONT, container: 'deploy' }),
      Step.waitForRollout({ name: `wait-${rollout}`, rollout, namespace: STOREFRONT, timeout: Duration.minutes(12), container: 'deploy' }),
    ]),
  });
  pipeline.addPost(PostCondition.FAILURE, ...CANARIES.map((rollout) =>
    Step.abortRollout({ name: `abort-${rollout}`, rollout, namespace: STOREFRONT, container: 'deploy' })));

  pipeline.toJenkins();
  pipeline.toTekton({
    approvals: TektonApprovals.approvalTask(),
    run: { sourceUrl: 'https://github.com/acme/shop.git', revision: 'main' },
    trigger: { webhookSecret: 'github-webhook' },
  });
  return { chart, pipeline };
}
