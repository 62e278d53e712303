/**
 * The shared value rules (lib/core/values.ts) where the workload constructs take numbers, names, labels, env names,
 * images and quantities; a value factory's refusal names the construct it reaches; errors of cdk8s, cdk8s-plus-28 and
 * constructs come back as slipway errors with a rule and a fix.
 */
import { Duration as Cdk8sDuration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Duration } from '../../lib/core';
import {
  ConfigMap, CronJob, CronSchedule, Deployment, DisruptionLimit, HorizontalPodAutoscaler, Job, Microservice, PersistentVolume, PersistentVolumeClaim,
  PersistentVolumeSource, Probe, ScaleTarget, ScalingBehavior, ScalingPolicy, Secret, Service,
} from '../../lib/workloads';
import { chart, synthChecked, synthError } from './check';

const image = 'registry.example.com/app:1';
const web = (props: Record<string, unknown> = {}, containers: Record<string, unknown> = {}) =>
  new Deployment(chart(), 'web', { containers: [{ image, portNumber: 8080, ...containers }], ...props });

/** The message `fn` throws; fails the test when nothing is thrown. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal, but nothing was thrown');
}

describe('numbers: int32, finite, never dropped', () => {
  test('rule value-finite: replicas NaN and a port of Infinity are refused, shown as written', () => {
    expect(refusal(() => web({ replicas: NaN }))).toMatch(/^\[test\/web\] replicas NaN is not a finite number \(rule: value-finite\)\. fix: /);
    expect(refusal(() => web({}, { portNumber: Infinity }))).toMatch(/^\[test\/web\] container portNumber Infinity is not a finite number \(rule: value-finite\)/);
  });
  test('rule value-integer: a fractional revisionHistoryLimit is refused', () => {
    expect(refusal(() => web({ revisionHistoryLimit: 2.5 }))).toMatch(/^\[test\/web\] revisionHistoryLimit 2\.5 is not a whole number \(rule: value-integer\)/);
  });
  test('rule hpa-max-replicas: maxReplicas 2**31 is outside int32', () => {
    const c = chart();
    expect(refusal(() => new HorizontalPodAutoscaler(c, 'hpa', { target: ScaleTarget.of('apps/v1', 'Deployment', 'web'), maxReplicas: 2 ** 31 })))
      .toMatch(/^\[test\/hpa\] maxReplicas 2147483648 is not a whole number from 1 to 2147483647 \(rule: hpa-max-replicas\)/);
  });
  test('rule port-range: a container port 0 and a Service targetPort 0 are refused, never dropped', () => {
    expect(refusal(() => web({}, { portNumber: 0 }))).toMatch(/^\[test\/web\] container portNumber 0 is not a whole number from 1 to 65535 \(rule: port-range\)/);
    expect(refusal(() => new Service(chart(), 'svc', { ports: [{ port: 80, targetPort: 0 }] }))).toMatch(/^\[test\/svc\] Service targetPort 0 .*\(rule: port-range\)/);
  });
});

describe('object metadata on every object', () => {
  test('rule dns-1123-subdomain: a ConfigMap named Upper_Case and a scale target named Upper_Case are refused', () => {
    expect(refusal(() => new ConfigMap(chart(), 'cm', { metadata: { name: 'Upper_Case' } })))
      .toMatch(/^\[test\/cm\] ConfigMap name "Upper_Case" is not a valid DNS-1123 subdomain \(rule: dns-1123-subdomain\)/);
    expect(refusal(() => new HorizontalPodAutoscaler(chart(), 'hpa', { target: ScaleTarget.of('apps/v1', 'Deployment', 'Upper_Case'), maxReplicas: 3 })))
      .toMatch(/^\[test\/hpa\] scale target Deployment name "Upper_Case" is not a valid DNS-1123 subdomain/);
  });
  test('rule hpa-scale-target: a kind that is not an API kind is refused', () => {
    expect(refusal(() => new HorizontalPodAutoscaler(chart(), 'hpa', { target: ScaleTarget.of('apps/v1', 'deployment', 'web'), maxReplicas: 3 })))
      .toMatch(/^\[test\/hpa\] .*\(rule: hpa-scale-target\)/);
  });
  test('rule label-key: metadata labels of a Deployment are checked like podMetadata.addLabel', () => {
    expect(refusal(() => web({ metadata: { labels: { 'bad key': 'x' } } }))).toMatch(/^\[test\/web\] Deployment label key "bad key" is not a qualified name \(rule: label-key\)/);
  });
  test('rule label-value: a label value with a newline or a leading dash is refused', () => {
    expect(refusal(() => new Secret(chart(), 's', { metadata: { labels: { app: 'a\nb' } } }))).toMatch(/^\[test\/s\] Secret label "app" has value "a\\nb".*\(rule: label-value\)/);
    expect(refusal(() => web({ metadata: { labels: { app: '-lead' } } }))).toMatch(/\(rule: label-value\)/);
  });
  test('rule annotation-key: an annotation key with capitals in its prefix is refused; any value is kept', () => {
    expect(refusal(() => new ConfigMap(chart(), 'cm', { metadata: { annotations: { 'Example.com/x': 'y' } } }))).toMatch(/^\[test\/cm\] .*\(rule: annotation-key\)/);
    const c = chart();
    new ConfigMap(c, 'cm', { metadata: { annotations: { 'example.com/note': '' } } });
    expect(synthChecked(c)[0].metadata.annotations).toEqual({ 'example.com/note': '' });
  });
});

describe('containers', () => {
  test('rule env-name: env var names A=B and the empty name are refused', () => {
    for (const name of ['A=B', '']) {
      const c = chart();
      new Deployment(c, 'web', { containers: [{ image, envVariables: { [name]: kplus.EnvValue.fromValue('1') } }] });
      expect(synthError(c)).toMatch(/\[test\/web\] env var name .* is not a valid environment variable name \(rule: env-name\)/);
    }
  });
  test('rule image-reference: an image with a leading space or a space inside is refused', () => {
    for (const ref of [' alpine:3.20', 'a b:1']) {
      const c = chart();
      new Deployment(c, 'web', { containers: [{ image: ref }] });
      expect(synthError(c)).toMatch(/\[test\/web\] container "main" image .* is not an image reference \(rule: image-reference\)/);
    }
  });
  test('rule resource-quantity: a cpu request of NaN millicores is refused', () => {
    const c = chart();
    new Deployment(c, 'web', { containers: [{ image, resources: { cpu: { request: kplus.Cpu.millis(NaN) } } }] });
    expect(synthError(c)).toMatch(/\[test\/web\] container "main" cpu requests "NaNm" is not a Kubernetes quantity \(rule: resource-quantity\)/);
  });
});

describe('empty values are kept', () => {
  test('a ConfigMap { k: "" } writes data { k: "" }, a Secret keeps an empty stringData value', () => {
    const c = chart();
    new ConfigMap(c, 'cm', { data: { k: '', other: 'x' } });
    new Secret(c, 's', { stringData: { token: '' } });
    const [cm, secret] = synthChecked(c);
    expect(cm.data).toEqual({ k: '', other: 'x' });
    expect(secret.stringData).toEqual({ token: '' });
  });
});

describe('a value factory refusal names the construct it reaches', () => {
  test('DisruptionLimit in a Microservice, ScalingPolicy in an HPA, a Probe in a container', () => {
    expect(refusal(() => new Microservice(chart(), 'web', { image, disruptionBudget: DisruptionLimit.maxUnavailable(-1) })))
      .toMatch(/^\[test\/web\] disruption budget maxUnavailable -1 .*\(rule: pdb-value-range\)/);
    const behavior = ScalingBehavior.of({ scaleUp: { policies: [ScalingPolicy.pods(2.5, Duration.seconds(15))] } });
    expect(refusal(() => new HorizontalPodAutoscaler(chart(), 'hpa', { target: ScaleTarget.of('apps/v1', 'Deployment', 'web'), maxReplicas: 3, behavior })))
      .toMatch(/^\[test\/hpa\] scaling policy value 2\.5 is not a whole number \(rule: value-integer\)/);
    expect(refusal(() => web({}, { readiness: Probe.fromTcpSocket({ period: Duration.seconds(1.5) }) })))
      .toMatch(/^\[test\/web\] duration 1s500ms is not a whole number of seconds \(rule: duration-whole-seconds\)/);
  });
  test('the factories still check eagerly: a refused value never renders, a valid one is unchanged', () => {
    expect(() => DisruptionLimit.maxUnavailable(NaN)).not.toThrow();
    expect(DisruptionLimit.maxUnavailable(1).value).toBe(1);
  });
});

describe('errors of cdk8s, cdk8s-plus-28 and constructs', () => {
  test('rule duplicate-construct-id: a second Deployment, HPA or ConfigMap with the same id', () => {
    const c = chart();
    new Deployment(c, 'web', { containers: [{ image }] });
    expect(refusal(() => new Deployment(c, 'web', { containers: [{ image }] }))).toMatch(/^\[test\/web\] there is already a Construct with name 'web'.*\(rule: duplicate-construct-id\)\. fix: give each construct its own id/);
    new ConfigMap(c, 'cm');
    expect(refusal(() => new ConfigMap(c, 'cm'))).toMatch(/^\[test\] ConfigMap id "cm" is already used by test\/cm \(rule: duplicate-construct-id\)/);
    const target = ScaleTarget.of('apps/v1', 'Deployment', 'web');
    new HorizontalPodAutoscaler(c, 'hpa', { target, maxReplicas: 3 });
    expect(refusal(() => new HorizontalPodAutoscaler(c, 'hpa', { target, maxReplicas: 3 }))).toMatch(/\(rule: duplicate-construct-id\)/);
  });
  test('rule construct-id-empty: an empty id is a slipway error with a fix', () => {
    expect(refusal(() => new Deployment(chart(), '', { containers: [{ image }] }))).toMatch(/\(rule: construct-id-empty\)\. fix: pass a non-empty id/);
    expect(refusal(() => new HorizontalPodAutoscaler(chart(), '', { target: ScaleTarget.of('apps/v1', 'Deployment', 'web'), maxReplicas: 3 })))
      .toMatch(/^\[test\] HorizontalPodAutoscaler id is empty \(rule: construct-id-empty\)/);
  });
  test('rule duration-whole-seconds: cdk8s-plus-28 durations that are not whole seconds name the workload', () => {
    expect(refusal(() => new Deployment(chart(), 'web', { minReady: Cdk8sDuration.millis(1500), containers: [{ image }] })))
      .toMatch(/^\[test\/web\] '1500 millis' cannot be converted into a whole number of seconds\. \(rule: duration-whole-seconds\)\. fix: /);
    const c = chart();
    new Deployment(c, 'web', { minReady: Cdk8sDuration.seconds(2), containers: [{ image }] });
    expect(Testing.synth(c)[0].spec.minReadySeconds).toBe(2);
  });
});

test('rule label-value: a label added after construction with metadata.addLabel is refused at synth', () => {
  const c = chart();
  const d = new Deployment(c, 'web', { containers: [{ image }] });
  d.metadata.addLabel('tier', 'a b');
  expect(synthError(c)).toMatch(/\[test\/web\] Deployment label "tier" has value "a b", which is not a valid label value \(rule: label-value\)/);
});

test('rule security-context-id: runAsUser NaN and an fsGroup beyond exact numbers are refused, never written as null', () => {
  expect(refusal(() => web({}, { securityContext: { user: NaN } })))
    .toMatch(/^\[test\/web\] container securityContext user NaN is not a finite number \(rule: value-finite\)/);
  expect(refusal(() => web({ securityContext: { fsGroup: 2 ** 64 } })))
    .toMatch(/^\[test\/web\] pod securityContext fsGroup 18446744073709552000 is not a whole number from 0 to 9007199254740991 \(rule: security-context-id\)/);
  const c = chart();
  new Deployment(c, 'web', { securityContext: { fsGroup: 2000 }, containers: [{ image, securityContext: { user: 1000 } }] });
  const pod = synthChecked(c)[0].spec.template.spec;
  expect([pod.securityContext.fsGroup, pod.containers[0].securityContext.runAsUser]).toEqual([2000, 1000]);
});

test('rule rolling-update-value: maxSurge NaN and 12.5 % are refused; whole numbers and percentages are written', () => {
  expect(refusal(() => web({ strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(NaN) }) })))
    .toMatch(/^\[test\/web\] Deployment rollingUpdate maxSurge NaN is not a finite number \(rule: value-finite\)/);
  expect(refusal(() => web({ strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(12.5) }) })))
    .toMatch(/^\[test\/web\] Deployment rollingUpdate maxSurge "12.5%" is not a whole percentage \(rule: rolling-update-value\)/);
  const c = chart();
  new Deployment(c, 'web', { strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(2), maxUnavailable: kplus.PercentOrAbsolute.percent(10) }),
    containers: [{ image }] });
  expect(synthChecked(c)[0].spec.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: '10%' });
});

describe('storage sizes and Job counts', () => {
  test('a claim or volume of 512 MiB is written as 512Mi (cdk8s-plus-28 writes whole GiB only); whole GiB stay Gi', () => {
    const c = chart();
    new PersistentVolumeClaim(c, 'small', { storage: Size.mebibytes(512) });
    new PersistentVolumeClaim(c, 'big', { storage: Size.gibibytes(10) });
    new PersistentVolume(c, 'pv', { storage: Size.mebibytes(1536), source: PersistentVolumeSource.nfs('nfs.example.com', '/exports/a') });
    const [small, big, pv] = synthChecked(c);
    expect([small.spec.resources.requests.storage, big.spec.resources.requests.storage, pv.spec.capacity.storage]).toEqual(['512Mi', '10Gi', '1536Mi']);
  });
  test('rule storage-request: a size of NaN or a fraction of a KiB is refused with the path', () => {
    const c = chart();
    new PersistentVolumeClaim(c, 'pvc', { storage: Size.gibibytes(NaN) });
    expect(synthError(c)).toMatch(/\[test\/pvc\] the claim has no positive storage size of whole KiB: NaNKi \(rule: storage-request\)/);
  });
  test('rule job-field-range: CronJob history limits and ttlAfterFinished are int32 counts', () => {
    const schedule = CronSchedule.expression('0 * * * *');
    expect(refusal(() => new CronJob(chart(), 'cj', { schedule, successfulJobsRetained: NaN, containers: [{ image }] })))
      .toMatch(/^\[test\/cj\] successfulJobsRetained NaN is not a finite number \(rule: value-finite\)/);
    expect(refusal(() => new CronJob(chart(), 'cj', { schedule, failedJobsRetained: 2 ** 31, containers: [{ image }] }))).toMatch(/\(rule: job-field-range\)/);
    expect(refusal(() => new Job(chart(), 'job', { ttlAfterFinished: Cdk8sDuration.seconds(2 ** 31), containers: [{ image }] })))
      .toMatch(/^\[test\/job\] ttlAfterFinished seconds 2147483648 is not a whole number from 0 to 2147483647 \(rule: job-field-range\)/);
  });
  test('rule resource-quantity: an emptyDir sizeLimit of NaN MiB is refused at synth', () => {
    const c = chart();
    const d = new Deployment(c, 'web', { containers: [{ image }] });
    d.addVolume(kplus.Volume.fromEmptyDir(d, 'cache', 'cache', { sizeLimit: Size.mebibytes(NaN) }));
    expect(synthError(c)).toMatch(/\[test\/web\] volume "cache" emptyDir sizeLimit "NaNMi" is not a Kubernetes quantity \(rule: resource-quantity\)/);
  });
});

test('rule annotation-key: an annotation added later to a ConfigMap, Service or HPA is checked at synth', () => {
  const c = chart();
  new ConfigMap(c, 'cm').metadata.addAnnotation('Bad Key', 'x');
  expect(synthError(c)).toMatch(/\[test\/cm\] annotation key "Bad Key" is not a qualified name \(rule: annotation-key\)/);
  const s = chart();
  new Service(s, 'svc', { ports: [{ port: 80 }] }).metadata.addLabel('tier', '-web');
  expect(synthError(s)).toMatch(/\[test\/svc\] Service label "tier" has value "-web".*\(rule: label-value\)/);
});
