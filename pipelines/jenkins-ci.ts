import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Duration, jenkins } from '../lib';

const { Agent, Credential, EnvValue, Option, Parameter, Ref, Step, Text, When } = jenkins;

/** The workspace volume the kubernetes plugin mounts in every container; HOME points there so tools can write. */
const WORKSPACE = '/home/jenkins/agent';

function tool(name: string, image: string, cpuMillis: number, memoryMi: number, command: string[]): kplus.ContainerProps {
  return {
    name,
    image,
    command,
    envVariables: { HOME: kplus.EnvValue.fromValue(WORKSPACE) },
    resources: {
      cpu: { request: kplus.Cpu.millis(cpuMillis), limit: kplus.Cpu.millis(cpuMillis * 2) },
      memory: { request: Size.mebibytes(memoryMi), limit: Size.mebibytes(memoryMi * 2) },
    },
  };
}

/**
 * The `orders` service's CI/CD on Jenkins: build in a pod (maven, crane, kubectl containers), test in parallel maven pods, push the
 * image with registry credentials, deploy to staging, then to production after an approval.
 * Written to `dist/jenkins/orders.Jenkinsfile`; the committed copy is the repository's root `Jenkinsfile`.
 */
export function addJenkinsCi(scope: Construct): jenkins.Jenkinsfile {
  const slack = (color: string, what: string): jenkins.Step => Step.call('slackSend', {
    channel: '#orders-ci',
    color,
    message: Text.of(`orders ${what}: `, Ref.env('BRANCH_NAME'), ' #', Ref.env('BUILD_NUMBER'), ' ', Ref.env('BUILD_URL')),
  });

  const pipeline = new jenkins.Jenkinsfile(scope, 'orders', {
    committedPath: 'Jenkinsfile',
    agent: Agent.kubernetes({
      defaultContainer: 'maven',
      containers: [
        tool('maven', 'maven:3.9.9-eclipse-temurin-21', 1000, 2048, ['sleep', 'infinity']),
        tool('crane', 'gcr.io/go-containerregistry/crane:debug', 100, 128, ['/busybox/sleep', 'infinity']),
        tool('kubectl', 'bitnami/kubectl:1.30', 100, 128, ['sleep', 'infinity']),
      ],
    }),
    options: [
      Option.timeout(Duration.hours(1)),
      Option.buildDiscarder({ numToKeep: 30, artifactNumToKeep: 5 }),
      Option.disableConcurrentBuilds(),
      Option.skipDefaultCheckout(),
      Option.timestamps(),
    ],
    parameters: [
      Parameter.booleanParam({ name: 'RUN_INTEGRATION', defaultValue: true, description: 'Run the integration tests' }),
    ],
    environment: {
      REGISTRY: EnvValue.of('registry.example.com/shop'),
      IMAGE_TAG: EnvValue.text(Text.of('build-', Ref.env('BUILD_NUMBER'))),
      MAVEN_ARGS: EnvValue.of('-B -ntp -Dmaven.repo.local=.m2/repository'),
    },
    post: {
      failure: [slack('danger', 'failed')],
      fixed: [slack('good', 'is green again')],
      always: [Step.archiveArtifacts({ artifacts: 'target/*.jar', allowEmptyArchive: true, fingerprint: true })],
    },
  });

  pipeline.addStage('Checkout', { steps: [Step.checkout()] });
  pipeline.addStage('Build', {
    steps: [
      Step.sh('mvn $MAVEN_ARGS package -DskipTests', { label: 'compile and package' }),
      Step.stash({ name: 'build', includes: '**', excludes: '.m2/**' }),
    ],
  });

  // Each parallel branch gets its own maven pod and workspace, so concurrent builds never share target/.
  const mavenPod = (): jenkins.Agent => Agent.kubernetes({
    defaultContainer: 'maven',
    containers: [tool('maven', 'maven:3.9.9-eclipse-temurin-21', 1000, 2048, ['sleep', 'infinity'])],
  });
  const test = pipeline.addStage('Test', { failFast: true });
  test.addParallel('Unit tests', {
    agent: mavenPod(),
    steps: [Step.unstash('build'), Step.sh('mvn $MAVEN_ARGS test')],
    post: { always: [Step.junit('target/surefire-reports/*.xml', { allowEmptyResults: true })] },
  });
  test.addParallel('Static analysis', {
    agent: mavenPod(),
    steps: [Step.unstash('build'), Step.sh('mvn $MAVEN_ARGS checkstyle:check spotbugs:check')],
  });
  test.addParallel('Integration tests', {
    agent: mavenPod(),
    when: When.expression('params.RUN_INTEGRATION'),
    beforeAgent: true,
    steps: [Step.unstash('build'), Step.sh('mvn $MAVEN_ARGS verify -Pintegration -DskipUnitTests')],
    post: { always: [Step.junit('target/failsafe-reports/*.xml', { allowEmptyResults: true })] },
  });

  pipeline.addStage('Image', {
    when: When.branch('main'),
    steps: [
      Step.sh('mvn $MAVEN_ARGS jib:buildTar -Djib.outputPaths.tar=target/image.tar', { label: 'build image' }),
      Step.container('crane', [
        Step.withCredentials([Credential.usernamePassword({
          credentialsId: 'registry-push', usernameVariable: 'REGISTRY_USER', passwordVariable: 'REGISTRY_PASSWORD',
        })], [
          // The password goes through stdin, never through Groovy or the process arguments.
          Step.sh([
            'printf \'%s\' "$REGISTRY_PASSWORD" | crane auth login "${REGISTRY%%/*}" -u "$REGISTRY_USER" --password-stdin',
            'crane push target/image.tar "$REGISTRY/orders:$IMAGE_TAG"',
          ].join('\n'), { label: 'push image' }),
        ]),
      ], { shell: '/busybox/sh' }),
    ],
  });

  const rollout = (namespace: string): string => [
    `kubectl -n ${namespace} set image deployment/orders orders="$REGISTRY/orders:$IMAGE_TAG"`,
    `kubectl -n ${namespace} rollout status deployment/orders --timeout=5m`,
  ].join('\n');

  pipeline.addStage('Deploy to staging', {
    when: When.branch('main'),
    steps: [Step.container('kubectl', [
      Step.withKubeConfig({ credentialsId: 'staging-kubeconfig', namespace: 'shop' }, [Step.sh(rollout('shop'))]),
    ])],
  });

  pipeline.addStage('Deploy to production', {
    when: When.branch('main'),
    beforeInput: true,
    options: [Option.timeout(Duration.hours(4))],
    input: { message: 'Deploy orders to production?', ok: 'Deploy', submitter: 'release-managers', submitterParameter: 'APPROVER' },
    steps: [
      Step.milestone(),
      Step.container('kubectl', [
        Step.withKubeConfig({ credentialsId: 'production-kubeconfig', serverUrl: 'https://k8s.prod.example.com', namespace: 'shop' },
          [Step.sh(rollout('shop'))]),
      ]),
    ],
    post: { success: [slack('good', 'deployed to production')] },
  });

  return pipeline;
}
