import { Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CronJob, DaemonSet, DaemonSetUpdateStrategy, Deployment, PodDisruptionBudget, HpaMetric, MetricTarget, Namespace, NodePortRange, PersistentVolumeSource, PodSecurityLevel,
  Probe, ProjectionSource, ScalingBehavior, Secret, Service, SessionAffinity, StatefulSet, StorageClass, WhenUnsatisfiable, projectedVolume,
} from '../../lib/workloads';
import { Duration as SlipwayDuration } from '../../lib';
import { plusViolation } from '../../lib/workloads/plus-errors';
import { attach, chart, synthChecked, synthError } from './check';

const image = 'ghcr.io/acme/app:1.0.0';

describe('Service session affinity', () => {
  test('ClientIP with a timeout writes sessionAffinity and its config; without one, the 3-hour default is not written', () => {
    const c = chart();
    new Service(c, 'sticky', { ports: [{ port: 80 }], sessionAffinity: SessionAffinity.clientIp({ timeout: Duration.hours(1) }) });
    new Service(c, 'plain', { ports: [{ port: 80 }], sessionAffinity: SessionAffinity.clientIp() });
    new Service(c, 'spread', { ports: [{ port: 80 }], sessionAffinity: SessionAffinity.NONE });
    const [sticky, plain, spread] = synthChecked(c).map((d) => d.spec);
    expect(sticky.sessionAffinity).toBe('ClientIP');
    expect(sticky.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 3600 } });
    expect(plain.sessionAffinity).toBe('ClientIP');
    expect(plain.sessionAffinityConfig).toBeUndefined();
    expect(spread.sessionAffinity).toBe('None');
  });
  test('rule session-affinity-timeout: the ClientIP timeout is whole seconds from 1 to 86400', () => {
    for (const timeout of [Duration.seconds(0), Duration.hours(25), Duration.millis(1500)]) {
      expect(() => new Service(chart(), 'sticky', { ports: [{ port: 80 }], sessionAffinity: SessionAffinity.clientIp({ timeout }) }))
        .toThrow(/^\[test\/sticky\] ClientIP session affinity timeout .*\(rule: session-affinity-timeout\)/);
    }
    expect(() => new Service(chart(), 'sticky', { ports: [{ port: 80 }], sessionAffinity: SessionAffinity.clientIp({ timeout: Duration.days(1) }) })).not.toThrow();
    // A refused duration keeps its own rule.
    expect(() => new Service(chart(), 'sticky', { ports: [{ port: 80 }], sessionAffinity: SessionAffinity.clientIp({ timeout: SlipwayDuration.seconds(NaN) }) }))
      .toThrow(/^\[test\/sticky\] duration NaNs .*\(rule: duration-range\)/);
  });
});

describe('image pull secrets', () => {
  test('every registry Secret is written in order', () => {
    const c = chart();
    new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }],
      imagePullSecrets: [kplus.Secret.fromSecretName(c, 'ghcr', 'ghcr-pull'), kplus.Secret.fromSecretName(c, 'ecr', 'ecr-pull')] });
    const doc = synthChecked(c).find((x) => x.kind === 'Deployment');
    expect(doc.spec.template.spec.imagePullSecrets).toEqual([{ name: 'ghcr-pull' }, { name: 'ecr-pull' }]);
  });
  test('rule image-pull-secrets: imagePullSecrets and dockerRegistryAuth are not combined', () => {
    const c = chart();
    expect(() => new Deployment(c, 'web', { containers: [{ image }], dockerRegistryAuth: kplus.Secret.fromSecretName(c, 'a', 'a-pull'),
      imagePullSecrets: [kplus.Secret.fromSecretName(c, 'b', 'b-pull')] })).toThrow(/^\[test\/web\] both dockerRegistryAuth and imagePullSecrets are set \(rule: image-pull-secrets\)/);
    expect(() => new Deployment(chart(), 'web', { containers: [{ image }], imagePullSecrets: [{ name: 'Bad_Name' } as kplus.ISecret] }))
      .toThrow(/imagePullSecrets Secret name "Bad_Name" .*\(rule: dns-1123-subdomain\)/);
  });
});

describe('PodDisruptionBudget set-based selectors', () => {
  test('matchExpressions are written beside matchLabels, or alone', () => {
    const c = chart();
    new PodDisruptionBudget(c, 'stable', { selector: { app: 'web' }, expressions: [kplus.LabelExpression.notIn('track', ['canary'])] });
    new PodDisruptionBudget(c, 'tier', { selector: {}, expressions: [kplus.LabelExpression.exists('tier')] });
    const [stable, tier] = synthChecked(c).map((d) => d.spec.selector);
    expect(stable).toEqual({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] });
    expect(tier).toEqual({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] });
  });
  test('rule label-selector-values: In and NotIn need values; keys and values are label syntax', () => {
    const budget = (e: kplus.LabelExpression) => { const c = chart(); new PodDisruptionBudget(c, 'pdb', { selector: { app: 'web' }, expressions: [e] }); return c; };
    expect(synthError(budget(kplus.LabelExpression.in('track', [])))).toMatch(/\[test\/pdb\] matchExpressions "track" In has no values \(rule: label-selector-values\)/);
    expect(synthError(budget(kplus.LabelExpression.in('-track', ['a'])))).toMatch(/\(rule: label-key\)/);
    expect(synthError(budget(kplus.LabelExpression.in('track', ['not valid'])))).toMatch(/\(rule: label-value\)/);
  });
});

describe('rules of the typed fields', () => {
  test('rule extended-resource: a resource without a domain or a fractional GPU is refused', () => {
    const d = new Deployment(chart(), 'gpu');
    expect(() => d.addContainer({ image, extendedResources: { gpu: 1 } })).toThrow(/\[test\/gpu\] extended resource gpu.*\(rule: extended-resource\)/);
    expect(() => d.addContainer({ image, extendedResources: { 'nvidia.com/gpu': 0.5 } })).toThrow(/\(rule: extended-resource\)/);
  });
  test('rule topology-spread-min-domains: minDomains needs DoNotSchedule', () => {
    const d = new Deployment(chart(), 'web');
    expect(() => d.addTopologySpread({ minDomains: 2 })).toThrow(/\(rule: topology-spread-min-domains\)/);
    expect(() => d.addTopologySpread({ minDomains: 2, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE })).not.toThrow();
  });
  test('rule statefulset-service: service and serviceName together are refused', () => {
    const c = chart();
    const svc = Service.headless(c, 'svc', { ports: [{ port: 5432 }] });
    expect(() => new StatefulSet(c, 'db', { service: svc, serviceName: 'db', containers: [{ image, portNumber: 5432 }] })).toThrow(/\(rule: statefulset-service\)/);
  });
  test('rule daemonset-update-strategy: a bad maxUnavailable and both limits 0 are refused', () => {
    expect(() => attach(() => DaemonSetUpdateStrategy.rollingUpdate({ maxUnavailable: '10 percent' }))).toThrow(/\(rule: daemonset-update-strategy\)/);
    expect(() => attach(() => DaemonSetUpdateStrategy.rollingUpdate({ maxUnavailable: 0, maxSurge: '0%' }))).toThrow(/both 0/);
    const c = chart();
    new DaemonSet(c, 'ds', { updateStrategy: DaemonSetUpdateStrategy.onDelete(), containers: [{ image }] });
    expect(synthChecked(c)[0].spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });
  test('rule probe-http-header: a header name with a space is refused', () => {
    expect(() => attach(() => Probe.fromHttpGet('/healthz', { httpHeaders: [{ name: 'X Probe', value: '1' }] }))).toThrow(/^\[test\/user\] .*\(rule: probe-http-header\)/);
  });
  test('rule hpa-metric-target: a Pods metric with a Value target is refused', () => {
    expect(() => attach(() => HpaMetric.pods('rps', MetricTarget.value('10')))).toThrow(/^\[test\/user\] Pods metric "rps" has a Value target \(rule: hpa-metric-target\)/);
    expect(() => attach(() => HpaMetric.external('queue', MetricTarget.utilization(50)))).toThrow(/\(rule: hpa-metric-target\)/);
  });
  test('rule hpa-metric-quantity: a target that is not a quantity is refused', () => {
    expect(() => attach(() => MetricTarget.averageValue('ten'))).toThrow(/\(rule: hpa-metric-quantity\)/);
  });
  test('rule hpa-metric-name: an empty metric name is refused', () => {
    expect(() => attach(() => HpaMetric.pods('', MetricTarget.averageValue('1')))).toThrow(/\(rule: hpa-metric-name\)/);
  });
  test('rule hpa-tolerance: a negative tolerance is refused', () => {
    expect(() => attach(() => ScalingBehavior.of({ scaleUp: { tolerance: -0.1 } }))).toThrow(/\(rule: hpa-tolerance\)/);
  });
  test('rule storage-class-topology: an allowedTopologies key with no values is refused', () => {
    expect(() => new StorageClass(chart(), 'sc', { provisioner: 'ebs.csi.aws.com', allowedTopologies: [{ 'topology.kubernetes.io/zone': [] }] }))
      .toThrow(/\(rule: storage-class-topology\)/);
  });
  test('rule host-path: a relative path or an unknown type is refused', () => {
    expect(() => attach(() => PersistentVolumeSource.hostPath('data'))).toThrow(/\(rule: host-path\)/);
    expect(() => attach(() => PersistentVolumeSource.hostPath('/data', 'Folder'))).toThrow(/\(rule: host-path\)/);
  });
  test('rule iscsi-lun: lun 256 is refused', () => {
    expect(() => attach(() => PersistentVolumeSource.iscsi('10.0.0.1:3260', 'iqn.2001-04.com.example:storage', 256))).toThrow(/\(rule: iscsi-lun\)/);
  });
  test('rule projected-sources: a projected volume without sources is refused', () => {
    expect(() => projectedVolume(chart(), 'p', 'bundle', [])).toThrow(/\(rule: projected-sources\)/);
  });
  test('rule projected-token-expiration: a token shorter than 10 minutes is refused', () => {
    expect(() => attach(() => ProjectionSource.serviceAccountToken('token', 'vault', 60))).toThrow(/\(rule: projected-token-expiration\)/);
  });
  test('rule secret-data-key: a key in both data and stringData is refused', () => {
    expect(() => new Secret(chart(), 's', { data: { k: 'dg==' }, stringData: { k: 'v' } })).toThrow(/\(rule: secret-data-key\)/);
  });
  test('rule namespace-pod-security: a level without its labels is refused', () => {
    expect(() => new Namespace(chart(), 'n', { name: 'apps', podSecurity: PodSecurityLevel.BASELINE, podSecurityLabels: false }))
      .toThrow(/\(rule: namespace-pod-security\)/);
  });
  test('rule node-port-range: a custom range accepts 20001 and refuses 30080', () => {
    const ok = chart();
    new Service(ok, 'np', { type: kplus.ServiceType.NODE_PORT, nodePortRange: NodePortRange.of(20000, 22767), ports: [{ port: 80, nodePort: 20001 }] });
    expect(synthChecked(ok)[0].spec.ports[0].nodePort).toBe(20001);
    const bad = chart();
    new Service(bad, 'np', { type: kplus.ServiceType.NODE_PORT, nodePortRange: NodePortRange.of(20000, 22767), ports: [{ port: 80, nodePort: 30080 }] });
    expect(synthError(bad)).toContain('nodePort 30080 is outside the range 20000-22767 (rule: node-port-range)');
    expect(() => attach(() => NodePortRange.of(40000, 30000))).toThrow(/\(rule: node-port-range\)/);
  });
});

describe('cdk8s-plus errors map to rules', () => {
  test.each([
    ['container-port', "Either 'port' or 'portNumber' is allowed. Use 'portNumber' since 'port' is deprecated"],
    ['seccomp-profile', 'localhostProfile must only be set if type is "Localhost"'],
    ['pod-dns', 'When dns policy is set to NONE, at least one nameserver is required'],
    ['affinity-weight', 'Invalid affinity weight: 500. Must be in range 1-100'],
    ['toleration-evict-after', "Only 'NO_EXECUTE' effects can specify 'evictAfter'"],
    ['container-restart-policy', 'Invalid container spec: main has non-empty restartPolicy field. The field can only be specified for initContainers'],
    ['cdk8s-plus', 'Something cdk8s-plus says'],
  ])('rule %s: the cdk8s-plus message is kept, lower-cased, with a fix', (rule, message) => {
    const v = plusViolation(new Error(message));
    expect(v.rule).toBe(rule);
    expect(v.message.toLowerCase()).toBe(message.toLowerCase());
    expect(v.fix.length).toBeGreaterThan(0);
  });
  test('rule pod-dns: raised from a real Deployment with the construct path', () => {
    const c = chart();
    new Deployment(c, 'web', { dns: { policy: kplus.DnsPolicy.NONE }, containers: [{ image }] });
    expect(synthError(c)).toMatch(/\[test\/web\] when dns policy is set to NONE.*\(rule: pod-dns\)/);
  });
});

describe('cdk8s-plus constructor errors', () => {
  test('rule cron-starting-deadline: a 5 s startingDeadline names the CronJob', () => {
    expect(() => new CronJob(chart(), 'nightly', { schedule: Cron.daily(), startingDeadline: Duration.seconds(5), containers: [{ image }] }))
      .toThrow(/^\[test\/nightly\] the 'startingDeadline' property cannot be less than 10 seconds.*\(rule: cron-starting-deadline\)/);
  });
  test('rule cron-job-retention: ttlAfterFinished with successfulJobsRetained', () => {
    expect(() => new CronJob(chart(), 'nightly', { schedule: Cron.daily(), ttlAfterFinished: Duration.minutes(5), successfulJobsRetained: 1, containers: [{ image }] }))
      .toThrow(/\(rule: cron-job-retention\)/);
  });
  test('rule deployment-progress-deadline: progressDeadline not above minReady', () => {
    expect(() => new Deployment(chart(), 'web', { minReady: Duration.minutes(20), containers: [{ image }] }))
      .toThrow(/^\[test\/web\] 'progressDeadline' \(600s\) must be greater than 'minReady' \(1200s\) \(rule: deployment-progress-deadline\)/);
  });
});
