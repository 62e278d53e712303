import { Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Duration } from '../../lib';
import {
  ConfigMap, CronJob, DaemonSet, DashboardRole, Namespace, PodSecurityLevel, Secret, Deployment, DisruptionLimit, HorizontalPodAutoscaler, Job, Microservice, PersistentVolume,
  PersistentVolumeClaim, PersistentVolumeSource, PodDisruptionBudget, PodSecurity, Probe, ScaleTarget, ScalingBehavior, ScalingPolicy,
  ReclaimPolicy, SelectPolicy, Service, StatefulService, StatefulSet, StaticPod, StorageClass, VolumeBindingMode, WhenUnsatisfiable,
} from '../../lib/workloads';
import { podTemplateViolations } from '../../lib/workloads/pod-rules';
import { synthFiles } from '../../lib';
import { expectDocumentsValid } from '../support/validate';
import { attach, synthChecked } from './check';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'ns' });
const image = 'nginx:1.27';
/** Synth must fail with this rule, naming the construct path. */
const synthFails = (c: Chart, rule: string, path?: string) => {
  let msg = '';
  try {
    Testing.synth(c);
  } catch (e: any) {
    msg = e.message;
  }
  expect(msg).toContain(`(rule: ${rule})`);
  if (path) expect(msg).toContain(`[${path}]`);
  return msg;
};
const deployment = (c: Chart, props: Record<string, unknown> = {}) => new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }], ...props });

describe('probes', () => {
  test('rule probe-http-path: a relative httpGet path fails', () => {
    expect(() => attach(() => Probe.fromHttpGet('healthz'))).toThrow(/"healthz" is not absolute \(rule: probe-http-path\)/);
  });
  test('rule probe-exec-command: an empty exec command fails', () => {
    expect(() => attach(() => Probe.fromCommand([]))).toThrow(/rule: probe-exec-command/);
  });
  test('rule port-range: a gRPC probe on port 70000 fails', () => {
    expect(() => attach(() => Probe.fromGrpc(70000))).toThrow(/^\[test\/user\] probe port 70000 is not a whole number from 1 to 65535 \(rule: port-range\)/);
  });
  test('rule probe-field-range: failureThreshold 0 and a 0s period fail', () => {
    expect(() => attach(() => Probe.fromTcpSocket({ failureThreshold: 0 }))).toThrow(/failureThreshold 0 is not a whole number from 1 to 2147483647 \(rule: probe-field-range\)/);
    expect(() => attach(() => Probe.fromTcpSocket({ period: Duration.seconds(0) }))).toThrow(/periodSeconds 0 is not a whole number from 1/);
  });
  test('rule probe-success-threshold: a liveness probe with successThreshold 2 fails; readiness may use it', () => {
    const ok = chart();
    deployment(ok, { containers: [{ image, portNumber: 8080, readiness: Probe.fromTcpSocket({ successThreshold: 3 }) }] });
    expect(() => synthChecked(ok)).not.toThrow();
    const c = chart();
    deployment(c, { containers: [{ image, portNumber: 8080, liveness: Probe.fromHttpGet('/healthz', { successThreshold: 2 }) }] });
    expect(synthFails(c, 'probe-success-threshold', 'test/web')).toContain('liveness probe has successThreshold 2');
  });
  test('rule probe-port: a tcp probe on a container without a port fails', () => {
    const c = chart();
    deployment(c, { containers: [{ image, readiness: Probe.fromTcpSocket() }] });
    synthFails(c, 'probe-port', 'test/web');
  });
  test('rule probe-handler: a rendered probe with two handlers fails', () => {
    const v = podTemplateViolations({ kind: 'Pod', restartPolicies: ['Always'], podSecurity: () => PodSecurity.optOut('test') },
      { spec: { containers: [{ name: 'a', image, resources: { requests: { cpu: '1', memory: '1Mi' } },
        readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }] } });
    expect(v.map((x) => x.rule)).toEqual(['probe-handler']);
  });
  test('all four mechanisms render and validate, httpGet keeps its scheme', () => {
    const c = chart();
    deployment(c, { containers: [{ image, portNumber: 8080,
      startup: Probe.fromCommand(['cat', '/tmp/ready']),
      readiness: Probe.fromHttpGet('/ready', { scheme: kplus.ConnectionScheme.HTTPS, timeout: Duration.seconds(2) }),
      liveness: Probe.fromGrpc(9090, { terminationGracePeriod: Duration.seconds(10) }) },
    { name: 'side', image, portNumber: 9000, readiness: Probe.fromTcpSocket({ initialDelay: Duration.seconds(5) }) }] });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    const [main, side] = docs[0].spec.template.spec.containers;
    expect(main.startupProbe.exec.command).toEqual(['cat', '/tmp/ready']);
    expect(main.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTPS' }, timeoutSeconds: 2 });
    expect(main.livenessProbe).toEqual({ grpc: { port: 9090 }, terminationGracePeriodSeconds: 10 });
    expect(side.readinessProbe).toEqual({ tcpSocket: { port: 9000 }, initialDelaySeconds: 5 });
  });
});

describe('pods', () => {
  test('rule pod-security-restricted: a privileged container fails with the findings and the opt-out', () => {
    const c = chart();
    deployment(c, { containers: [{ image, portNumber: 8080, securityContext: { privileged: true, allowPrivilegeEscalation: true } }] });
    const msg = synthFails(c, 'pod-security-restricted', 'test/web');
    expect(msg).toContain('container "main" is privileged');
    expect(msg).toContain("PodSecurity.baseline('<reason>')");
  });
  test('rule pod-security-restricted: hostPath volumes and root need the visible opt-out, which then passes', () => {
    const c = chart();
    const ds = new DaemonSet(c, 'agent', { securityContext: { ensureNonRoot: false } });
    ds.addContainer({ image, securityContext: { ensureNonRoot: false, user: 0 },
      volumeMounts: [{ path: '/host', volume: kplus.Volume.fromHostPath(c, 'h', 'host', { path: '/' }) }] });
    expect(synthFails(c, 'pod-security-restricted')).toContain('volume "host" is of type hostPath');
    const ok = chart();
    const ds2 = new DaemonSet(ok, 'agent', { podSecurity: PodSecurity.optOut('node agent'), securityContext: { ensureNonRoot: false } });
    ds2.addContainer({ image, securityContext: { ensureNonRoot: false, user: 0 },
      volumeMounts: [{ path: '/host', volume: kplus.Volume.fromHostPath(ok, 'h', 'host', { path: '/' }) }] });
    const docs = synthChecked(ok);
    expectDocumentsValid(docs);
    expect(docs[0].spec.template.metadata.annotations).toEqual({ 'slipway.dev/pod-security-opt-out': 'node agent' });
  });
  test('adding NET_BIND_SERVICE keeps drop ALL and stays restricted', () => {
    const c = chart();
    deployment(c, { containers: [{ image, portNumber: 80, securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } } }] });
    const [d] = synthChecked(c);
    expect(d.spec.template.spec.containers[0].securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
  });
  test('rule pod-security-opt-out-reason: an opt-out without a reason fails', () => {
    expect(() => attach(() => PodSecurity.optOut('  '))).toThrow(/rule: pod-security-opt-out-reason/);
  });
  test('rule restart-policy: a Deployment with restartPolicy Never and a Job with Always fail', () => {
    const c = chart();
    deployment(c, { restartPolicy: kplus.RestartPolicy.NEVER });
    expect(synthFails(c, 'restart-policy', 'test/web')).toContain('Deployment pods have restartPolicy "Never"');
    const j = chart();
    new Job(j, 'job', { restartPolicy: kplus.RestartPolicy.ALWAYS, containers: [{ image }] });
    synthFails(j, 'restart-policy', 'test/job');
  });
  test('rule resource-requests: a container with empty resources fails; cpu-limit-only and memory-request-only pass', () => {
    const c = chart();
    deployment(c, { containers: [{ image, portNumber: 8080, resources: {} }] });
    expect(synthFails(c, 'resource-requests', 'test/web')).toContain('container "main" has no cpu or memory request or limit');
    const ok = chart();
    deployment(ok, { containers: [{ image, portNumber: 8080, resources: { cpu: { limit: kplus.Cpu.millis(500) } } },
      { name: 'side', image, resources: { memory: { request: Size.mebibytes(64) } } }] });
    const [main, side] = synthChecked(ok)[0].spec.template.spec.containers;
    expect(main.resources).toEqual({ limits: { cpu: '500m' } });
    expect(side.resources).toEqual({ requests: { memory: '64Mi' } });
  });
  test('rule requests-within-limits: a cpu request above its limit fails', () => {
    const c = chart();
    deployment(c, { containers: [{ image, portNumber: 8080, resources: {
      cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(64) } } }] });
    expect(synthFails(c, 'requests-within-limits')).toContain('cpu request "500m" exceeds its limit "250m"');
  });
  test('rule container-port-unique: a rendered container with the same port twice fails', () => {
    // cdk8s-plus-28's addPort already refuses this; the rule covers templates other layers pass to podTemplateViolations.
    const v = podTemplateViolations({ kind: 'Pod', restartPolicies: ['Always'], podSecurity: () => PodSecurity.optOut('test') },
      { spec: { containers: [{ name: 'a', image, resources: { requests: { cpu: '1', memory: '1Mi' } },
        ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }] }] } });
    expect(v.map((x) => x.rule)).toEqual(['container-port-unique']);
  });
  test('rule port-name: a 16-character port name fails; "grpc-web" is valid', () => {
    const c = chart();
    deployment(c, { containers: [{ image, ports: [{ number: 8080, name: 'metrics-endpoint' }] }] });
    expect(synthFails(c, 'port-name')).toContain('"metrics-endpoint" is not an IANA service name');
    const ok = chart();
    deployment(ok, { containers: [{ image, ports: [{ number: 8080, name: 'grpc-web' }] }] });
    synthChecked(ok);
  });
  test('rule container-name: an invalid container name fails', () => {
    const c = chart();
    deployment(c, { containers: [{ name: 'Main_1', image, portNumber: 8080 }] });
    synthFails(c, 'container-name');
  });
  test('rule container-name-unique: an init container named like an app container fails', () => {
    const c = chart();
    deployment(c, { initContainers: [{ name: 'main', image }] });
    synthFails(c, 'container-name-unique');
  });
  test('rule image-reference: an empty image fails', () => {
    const c = chart();
    deployment(c, { containers: [{ image: '', portNumber: 8080 }] });
    synthFails(c, 'image-reference', 'test/web');
  });
  test('rule containers-required: a workload without containers fails with its path', () => {
    const c = chart();
    new Deployment(c, 'empty');
    synthFails(c, 'containers-required', 'test/empty');
  });
  test('rule selector-matches-template: a selector label missing from the template fails', () => {
    const c = chart();
    const d = deployment(c, { select: false });
    d.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
    expect(synthFails(c, 'selector-matches-template', 'test/web')).toContain('selector app="web" does not match');
  });
  test('rule label-key: an invalid label key fails', () => {
    const c = chart();
    const d = deployment(c);
    d.podMetadata.addLabel('bad key', 'x');
    synthFails(c, 'label-key');
  });
  test('rule label-value: a label value over 63 characters fails', () => {
    const c = chart();
    const d = deployment(c);
    d.podMetadata.addLabel('team', 'x'.repeat(64));
    synthFails(c, 'label-value');
  });
  test('rules re-run after a change in the same synchronous code (fixing or breaking a pod)', () => {
    const c = chart();
    const d = new Deployment(c, 'web');
    synthFails(c, 'containers-required');
    d.addContainer({ image, portNumber: 8080 });
    expect(() => synthChecked(c)).not.toThrow();
    d.addContainer({ name: 'side', image, securityContext: { privileged: true } });
    synthFails(c, 'pod-security-restricted');
  });

  test('init containers run in order before the app; restart policies OnFailure and Never are valid for jobs', () => {
    const c = chart();
    const d = deployment(c, { initContainers: [{ name: 'migrate', image }, { name: 'warm', image }] });
    new Job(c, 'once', { restartPolicy: kplus.RestartPolicy.ON_FAILURE, containers: [{ image }] });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expect(docs[0].spec.template.spec.initContainers.map((x: any) => x.name)).toEqual(['migrate', 'warm']);
    expect(d.qosClass).toBe('Burstable');
  });
});

describe('workloads', () => {
  test('rule replicas-range: negative replicas fail', () => {
    expect(() => deployment(chart(), { replicas: -1 })).toThrow(/\[test\/web\] replicas -1 is not a whole number from 0 to 2147483647 \(rule: replicas-range\)/);
  });
  test('rule dns-1123-subdomain: a Deployment named with capitals fails', () => {
    expect(() => deployment(chart(), { metadata: { name: 'Web_App' } }))
      .toThrow(/^\[test\/web\] Deployment name "Web_App" is not a valid DNS-1123 subdomain \(rule: dns-1123-subdomain\)/);
  });
  test('rule revision-history-limit: a negative history fails', () => {
    expect(() => deployment(chart(), { revisionHistoryLimit: -2 })).toThrow(/rule: revision-history-limit/);
  });
  test('rule dns-1123-label: a microservice name with capitals fails', () => {
    expect(() => new Microservice(chart(), 'x', { image, name: 'Orders' })).toThrow(/\[test\/x\] microservice name "Orders" is not a valid DNS-1123 label/);
  });
  test('rule ingress-host: a host with a scheme fails', () => {
    expect(() => new Microservice(chart(), 'x', { image, ingress: { host: 'https://shop.example.com' } })).toThrow(/rule: ingress-host/);
  });
  test('rule job-field-range: a negative backoffLimit fails', () => {
    expect(() => new Job(chart(), 'job', { backoffLimit: -1, containers: [{ image }] })).toThrow(/\[test\/job\] backoffLimit -1 .*rule: job-field-range/);
  });
  test('rule cron-time-zone: an unknown time zone fails; Europe/Berlin is valid', () => {
    expect(() => new CronJob(chart(), 'cron', { schedule: Cron.daily(), timeZone: 'Mars/Olympus', containers: [{ image }] })).toThrow(/rule: cron-time-zone/);
    const ok = chart();
    new CronJob(ok, 'cron', { schedule: Cron.daily(), timeZone: 'Europe/Berlin', containers: [{ image }] });
    synthChecked(ok);
  });
  test('rule ingress-path: a relative ingress path fails', () => {
    expect(() => new Microservice(chart(), 'x', { image, ingress: { host: 'shop.example.com', path: 'api' } })).toThrow(/rule: ingress-path/);
  });
  test('rule statefulset-headless-service: a ClusterIP governing service fails', () => {
    const c = chart();
    const svc = new Service(c, 'svc', { ports: [{ port: 80 }] });
    new StatefulSet(c, 'db', { service: svc, containers: [{ image, portNumber: 80 }] });
    synthFails(c, 'statefulset-headless-service', 'test/db');
  });
  test('rule statefulset-service-ports: a StatefulSet without a service or ports fails; with ports it gets a headless Service', () => {
    expect(() => new StatefulSet(chart(), 'db', { containers: [{ image }] })).toThrow(/rule: statefulset-service-ports/);
    const c = chart();
    const sts = new StatefulSet(c, 'db', { containers: [{ image, portNumber: 5432 }] });
    const docs = synthChecked(c);
    expect(docs.find((d) => d.kind === 'Service').spec.clusterIP).toBe('None');
    expect(sts.podDnsName(0)).toBe(`${sts.name}-0.${sts.service.name}.ns.svc.cluster.local`);
  });
  test('rule volume-claim-template-unique: a repeated template name fails', () => {
    const c = chart();
    const sts = new StatefulSet(c, 'db', { service: Service.headless(c, 'svc', { ports: [{ port: 80 }] }) });
    sts.addVolumeClaimTemplate({ name: 'data', storage: Size.gibibytes(1) });
    expect(() => sts.addVolumeClaimTemplate({ name: 'data', storage: Size.gibibytes(1) })).toThrow(/rule: volume-claim-template-unique/);
  });
  test('rule pod-ordinal: a negative ordinal fails', () => {
    const s = new StatefulService(chart(), 'db', { image, port: 5432 });
    expect(s.podDnsName(2)).toBe('db-2.db.ns.svc.cluster.local');
    expect(() => s.podDnsName(-1)).toThrow(/rule: pod-ordinal/);
  });
  test('rule mount-path: a relative data path fails', () => {
    expect(() => new StatefulService(chart(), 'db', { image, port: 5432, dataPath: 'data' })).toThrow(/rule: mount-path/);
  });
  test('rule topology-spread-max-skew: maxSkew 0 fails', () => {
    expect(() => deployment(chart()).addTopologySpread({ maxSkew: 0 })).toThrow(/rule: topology-spread-max-skew/);
  });
  test('scheduling: nodeName, nodeSelector, node affinity, pod (anti-)affinity, tolerations and spread all render validly', () => {
    const c = chart();
    const d = deployment(c);
    d.addNodeSelector('disktype', 'ssd');
    d.addTopologySpread({ topology: kplus.Topology.HOSTNAME, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE });
    d.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('topology.kubernetes.io/zone', 'eu-west-1a')));
    d.scheduling.separate(d, { topology: kplus.Topology.ZONE, weight: 50 });
    d.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'web', { effect: kplus.TaintEffect.NO_EXECUTE }),
      kplus.NodeTaintQuery.exists('spot', { effect: kplus.TaintEffect.PREFER_NO_SCHEDULE })));
    const pinned = new Job(c, 'pinned', { containers: [{ image }] });
    pinned.scheduling.assign(kplus.Node.named('node-1'));
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    const spec = docs[0].spec.template.spec;
    expect(spec.nodeSelector).toEqual({ disktype: 'ssd' });
    expect(spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1 });
    expect(spec.tolerations.map((t: any) => t.effect)).toEqual(['NoExecute', 'PreferNoSchedule']);
    expect(docs.find((x) => x.kind === 'Job').spec.template.spec.nodeName).toBe('node-1');
  });
  test('Deployment recreate strategy, StatefulSet parallel management and partitioned updates, CronJob', () => {
    const c = chart();
    deployment(c, { strategy: kplus.DeploymentStrategy.recreate() });
    new StatefulService(c, 'kafka', { image, port: 9092, replicas: 3, podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      updateStrategy: kplus.StatefulSetUpdateStrategy.rollingUpdate({ partition: 1 }),
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD], storage: Size.mebibytes(1536) });
    new CronJob(c, 'nightly', { schedule: Cron.daily(), containers: [{ image }] });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expect(docs[0].spec.strategy).toEqual({ type: 'Recreate' });
    const sts = docs.find((d) => d.kind === 'StatefulSet');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.updateStrategy.rollingUpdate.partition).toBe(1);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1536Mi');
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp']);
  });
});

describe('services', () => {
  test('rule node-port-range: nodePort 80 fails; 30080 is valid', () => {
    const c = chart();
    new Service(c, 'np', { type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80, nodePort: 80 }] });
    synthFails(c, 'node-port-range', 'test/np');
    const ok = chart();
    new Service(ok, 'np', { type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80, nodePort: 30080 }] });
    new Service(ok, 'lb', { type: kplus.ServiceType.LOAD_BALANCER, ports: [{ port: 443, name: 'https' }, { port: 80, name: 'http' }] });
    new Service(ok, 'ext', { type: kplus.ServiceType.EXTERNAL_NAME, externalName: 'db.example.com' });
    expectDocumentsValid(synthChecked(ok));
  });
  test('rule node-port-type: a nodePort on a ClusterIP Service fails', () => {
    const c = chart();
    new Service(c, 'svc', { ports: [{ port: 80, nodePort: 30080 }] });
    synthFails(c, 'node-port-type');
  });
  test('rule port-range: a Service port 0 fails', () => {
    const c = chart();
    expect(() => new Service(c, 'svc', { ports: [{ port: 0 }] })).toThrow(/^\[test\/svc\] Service port 0 is not a whole number from 1 to 65535 \(rule: port-range\)/);
  });
  test('rule service-port-unique: the same port twice fails', () => {
    const c = chart();
    new Service(c, 'svc', { ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] });
    synthFails(c, 'service-port-unique');
  });
  test('rule service-port-name: unnamed ports on a multi-port Service fail', () => {
    const c = chart();
    new Service(c, 'svc', { ports: [{ port: 80 }, { port: 443 }] });
    synthFails(c, 'service-port-name');
  });
  test('rule service-ports-required: a Service without ports fails', () => {
    const c = chart();
    new Service(c, 'svc');
    synthFails(c, 'service-ports-required', 'test/svc');
  });
  test('rule external-name: an ExternalName with a URL fails', () => {
    const c = chart();
    new Service(c, 'svc', { type: kplus.ServiceType.EXTERNAL_NAME, externalName: 'https://db' });
    synthFails(c, 'external-name');
  });
  test('rule service-name: a Service name starting with a digit fails', () => {
    const c = chart();
    new Service(c, 'svc', { metadata: { name: '1web' }, ports: [{ port: 80 }] });
    expect(synthFails(c, 'service-name', 'test/svc')).toContain('"1web" is not a DNS-1035 label');
  });
  test('rule headless-type: a headless NodePort Service fails', () => {
    const c = chart();
    new Service(c, 'svc', { clusterIP: 'None', type: kplus.ServiceType.NODE_PORT, ports: [{ port: 80 }] });
    synthFails(c, 'headless-type');
  });
});

describe('autoscaling', () => {
  const target = () => ScaleTarget.of('apps/v1', 'Deployment', 'web');
  test('rule hpa-min-replicas: minReplicas 0 fails', () => {
    expect(() => new HorizontalPodAutoscaler(chart(), 'hpa', { target: target(), minReplicas: 0, maxReplicas: 3 }))
      .toThrow(/\[test\/hpa\] minReplicas 0 is not a whole number from 1 to 2147483647 \(rule: hpa-min-replicas\)/);
  });
  test('rule hpa-max-replicas: maxReplicas below minReplicas fails', () => {
    expect(() => new HorizontalPodAutoscaler(chart(), 'hpa', { target: target(), minReplicas: 5, maxReplicas: 3 })).toThrow(/rule: hpa-max-replicas/);
  });
  test('rule hpa-utilization: a 0 % target fails', () => {
    expect(() => new HorizontalPodAutoscaler(chart(), 'hpa', { target: target(), maxReplicas: 3, cpuUtilization: 0 })).toThrow(/rule: hpa-utilization/);
  });
  test('rule hpa-stabilization-window: a 2-hour window fails', () => {
    expect(() => attach(() => ScalingBehavior.of({ scaleDown: { stabilizationWindow: Duration.hours(2) } }))).toThrow(/rule: hpa-stabilization-window/);
  });
  test('rule hpa-policies-required: an empty policy list fails', () => {
    expect(() => attach(() => ScalingBehavior.of({ scaleUp: { policies: [] } }))).toThrow(/rule: hpa-policies-required/);
  });
  test('rule hpa-policy-value: a policy value of 0 fails', () => {
    expect(() => attach(() => ScalingPolicy.percent(0, Duration.seconds(60)))).toThrow(/rule: hpa-policy-value/);
  });
  test('rule hpa-policy-period: a 31-minute period fails', () => {
    expect(() => attach(() => ScalingPolicy.pods(1, Duration.minutes(31)))).toThrow(/rule: hpa-policy-period/);
  });
  test('rule hpa-resource-request: a cpu target on a container without a cpu request fails', () => {
    const c = chart();
    const d = deployment(c, { containers: [{ image, portNumber: 8080, resources: { memory: { request: Size.mebibytes(64) } } }] });
    new HorizontalPodAutoscaler(c, 'hpa', { target: ScaleTarget.fromWorkload(d), maxReplicas: 3 });
    synthFails(c, 'hpa-resource-request', 'test/hpa');
  });
  test('rule hpa-resource-request: containers added after the HPA are checked too', () => {
    const c = chart();
    const d = deployment(c);
    new HorizontalPodAutoscaler(c, 'hpa', { target: ScaleTarget.fromWorkload(d), maxReplicas: 3, memoryUtilization: 70 });
    d.addContainer({ name: 'side', image, resources: { cpu: { request: kplus.Cpu.millis(10) } } });
    expect(synthFails(c, 'hpa-resource-request')).toContain('container "side"');
  });
  test('valid forms: Kubernetes defaults emit no behavior; Disabled scale-down; presets', () => {
    const c = chart();
    const d = deployment(c);
    const h = new HorizontalPodAutoscaler(c, 'hpa', { target: ScaleTarget.fromWorkload(d), maxReplicas: 4 });
    new HorizontalPodAutoscaler(c, 'hpa2', { target: target(), minReplicas: 2, maxReplicas: 2, memoryUtilization: 60,
      behavior: ScalingBehavior.of({ scaleDown: { selectPolicy: SelectPolicy.DISABLED } }) });
    new HorizontalPodAutoscaler(c, 'hpa3', { target: target(), maxReplicas: 9, behavior: ScalingBehavior.scaleUpFastScaleDownSlow() });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    const [dep, hpa, hpa2, hpa3] = docs;
    expect(dep.spec.replicas).toBeUndefined();
    expect(hpa.spec).toEqual({ maxReplicas: 4, minReplicas: 1, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: h.target.name },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    expect(hpa2.spec.behavior).toEqual({ scaleDown: { selectPolicy: 'Disabled' } });
    expect(hpa3.spec.behavior.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] });
  });
});

describe('disruption budgets', () => {
  test('rule pdb-value-range: 150 % fails', () => {
    expect(() => attach(() => DisruptionLimit.maxUnavailablePercent(150))).toThrow(/rule: pdb-value-range/);
  });
  test('rule pdb-allows-eviction: minAvailable equal to the replica count or maxUnavailable 0 fails', () => {
    expect(() => new Microservice(chart(), 'x', { image, replicas: 2, disruptionBudget: DisruptionLimit.minAvailable(2) }))
      .toThrow(/\[test\/x\] disruption budget minAvailable 2 never allows evicting one of 2 pods \(rule: pdb-allows-eviction\)/);
    expect(() => new StatefulService(chart(), 'db', { image, port: 5432, replicas: 3, disruptionBudget: DisruptionLimit.maxUnavailable(0) }))
      .toThrow(/rule: pdb-allows-eviction/);
    expect(() => new Microservice(chart(), 'y', { image, autoscaling: { minReplicas: 3, maxReplicas: 5 }, disruptionBudget: DisruptionLimit.minAvailable(2) }))
      .not.toThrow();
  });
  test('rule replicas-with-autoscaling: replicas together with autoscaling fails', () => {
    expect(() => new Microservice(chart(), 'x', { image, replicas: 3, autoscaling: { maxReplicas: 5 } })).toThrow(/rule: replicas-with-autoscaling/);
  });
  test('rule pdb-selector: an empty selector fails', () => {
    const c = chart();
    new PodDisruptionBudget(c, 'pdb', { selector: {} });
    synthFails(c, 'pdb-selector', 'test/pdb');
  });
  test('valid forms: minAvailable percent and maxUnavailable (min and max are exclusive by construction)', () => {
    const c = chart();
    new PodDisruptionBudget(c, 'a', { selector: { app: 'a' }, limit: DisruptionLimit.minAvailablePercent(50) });
    new PodDisruptionBudget(c, 'b', { selector: { app: 'b' }, limit: DisruptionLimit.maxUnavailablePercent(25) });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expect(docs.map((d) => d.spec.minAvailable ?? d.spec.maxUnavailable)).toEqual(['50%', '25%']);
  });
});

describe('storage', () => {
  test('rule rwop-exclusive: ReadWriteOncePod with ReadWriteOnce fails; alone it is valid', () => {
    const c = chart();
    new PersistentVolumeClaim(c, 'pvc', { storage: Size.gibibytes(1),
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD, kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
    expect(synthFails(c, 'rwop-exclusive', 'test/pvc')).toContain('combines ReadWriteOncePod with ["ReadWriteOnce"]');
    const ok = chart();
    new PersistentVolumeClaim(ok, 'rwop', { storage: Size.gibibytes(1), accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD] });
    new PersistentVolumeClaim(ok, 'shared', { storage: Size.gibibytes(1), volumeMode: kplus.PersistentVolumeMode.BLOCK,
      accessModes: [kplus.PersistentVolumeAccessMode.READ_ONLY_MANY, kplus.PersistentVolumeAccessMode.READ_WRITE_MANY] });
    expectDocumentsValid(synthChecked(ok));
  });
  test('rule access-modes-required: an empty access mode list fails', () => {
    const c = chart();
    new PersistentVolumeClaim(c, 'pvc', { storage: Size.gibibytes(1), accessModes: [] });
    synthFails(c, 'access-modes-required');
  });
  test('rule access-modes-unique: a repeated access mode fails', () => {
    const c = chart();
    new PersistentVolumeClaim(c, 'pvc', { storage: Size.gibibytes(1),
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY, kplus.PersistentVolumeAccessMode.READ_WRITE_MANY] });
    synthFails(c, 'access-modes-unique');
  });
  test('rule storage-request: a claim without a size fails', () => {
    const c = chart();
    new PersistentVolumeClaim(c, 'pvc');
    synthFails(c, 'storage-request', 'test/pvc');
  });
  test('rule storage-class-provisioner: a provisioner with spaces fails', () => {
    expect(() => new StorageClass(chart(), 'sc', { provisioner: 'my provisioner' })).toThrow(/rule: storage-class-provisioner/);
  });
  test('rule local-volume-path: a relative local path fails', () => {
    expect(() => attach(() => PersistentVolumeSource.local('mnt/ssd', 'node-1'))).toThrow(/rule: local-volume-path/);
  });
  test('StorageClass and PersistentVolumes are cluster-scoped and valid; local volumes are pinned to their node', () => {
    const c = chart();
    new StorageClass(c, 'sc', { metadata: { name: 'standard' }, provisioner: 'pd.csi.storage.gke.io', isDefault: true,
      reclaimPolicy: ReclaimPolicy.RETAIN, volumeBindingMode: VolumeBindingMode.IMMEDIATE, mountOptions: ['noatime'] });
    new PersistentVolume(c, 'pv', { storage: Size.gibibytes(5), source: PersistentVolumeSource.local('/mnt/ssd', 'node-1') });
    new PersistentVolume(c, 'nfs', { storage: Size.gibibytes(5), accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY],
      source: PersistentVolumeSource.nfs('nfs.example.com', '/exports/shared') });
    new PersistentVolume(c, 'csi', { storage: Size.gibibytes(5), source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-0abc', { fsType: 'ext4' }) });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expect(docs.every((d) => d.metadata.namespace === undefined)).toBe(true);
    expect(docs[0].metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(docs[1].spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['node-1']);
  });
});

describe('config', () => {
  test('rule config-key: a ConfigMap key with a space fails; file names are valid', () => {
    const c = chart();
    new ConfigMap(c, 'cm', { data: { 'application yaml': 'x' } });
    expect(synthFails(c, 'config-key', 'test/cm')).toContain('key "application yaml" is not a valid ConfigMap or Secret key');
    const ok = chart();
    const cm = new ConfigMap(ok, 'cm', { data: { 'application.yaml': 'a: 1', 'LOG_LEVEL': 'info' } });
    const secret = new Secret(ok, 's', { stringData: { 'tls.key': 'k' } });
    secret.addStringData('password', 'p');
    deployment(ok, { containers: [{ image, portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(cm)],
      envVariables: { PW: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }), LVL: kplus.EnvValue.fromConfigMap(cm, 'LOG_LEVEL') },
      volumeMounts: [{ path: '/config', volume: kplus.Volume.fromConfigMap(ok, 'v1', cm) }, { path: '/tls', volume: kplus.Volume.fromSecret(ok, 'v2', secret) }] }] });
    const docs = synthChecked(ok);
    const spec = docs.find((d) => d.kind === 'Deployment').spec.template.spec;
    expect(spec.volumes.map((v: any) => Object.keys(v).filter((k) => k !== 'name')[0]).sort()).toEqual(['configMap', 'emptyDir', 'secret']);
  });
  test('rule config-key: a Secret key added later with a slash fails', () => {
    const c = chart();
    const s = new Secret(c, 's');
    s.addStringData('a/b', 'x');
    synthFails(c, 'config-key', 'test/s');
  });
  test('rule config-size: a ConfigMap over 1 MiB fails', () => {
    const c = chart();
    new ConfigMap(c, 'cm', { data: { big: 'x'.repeat(1024 * 1024) } });
    synthFails(c, 'config-size');
  });
});

describe('namespaces', () => {
  test('rule namespace-reserved: a kube- namespace fails', () => {
    expect(() => new Namespace(chart(), 'ns', { name: 'kube-tools' })).toThrow(/rule: namespace-reserved/);
  });
  test('rule dns-1123-label: a namespace name with a dot fails', () => {
    expect(() => new Namespace(chart(), 'ns', { name: 'team.a' })).toThrow(/\[test\/ns\] Namespace name "team.a" is not a valid DNS-1123 label/);
  });
  test('namespaces carry the Pod Security admission labels and no namespace of their own', () => {
    const c = chart();
    new Namespace(c, 'ns', { name: 'agents', podSecurity: PodSecurityLevel.PRIVILEGED, labels: { team: 'ops' } });
    const [ns] = synthChecked(c);
    expect(ns.metadata).toEqual({ name: 'agents', labels: { 'team': 'ops', 'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'privileged', 'pod-security.kubernetes.io/audit': 'privileged' } });
  });
});

describe('rbac and static pods', () => {
  test('rule rbac-no-cluster-admin: dashboard access with cluster-admin fails', () => {
    expect(() => attach(() => DashboardRole.fromClusterRoleName('cluster-admin'))).toThrow(/must not use the "cluster-admin" ClusterRole \(rule: rbac-no-cluster-admin\)/);
  });
  test('rule static-pod-api-reference: a static pod reading a Secret fails', () => {
    const c = chart();
    const secret = kplus.Secret.fromSecretName(c, 's', 'creds');
    new StaticPod(c, 'sp', { name: 'agent', containers: [{ image, envVariables: { PW: kplus.EnvValue.fromSecretValue({ secret, key: 'pw' }) } }] });
    expect(() => synthFiles(c)).toThrow(/\[test\/sp\] static pod refers to API objects: env "PW" of container "main" \(rule: static-pod-api-reference\)/);
  });
  test('static pods render to a .yml generated file and are not part of the chart', () => {
    const c = chart();
    new StaticPod(c, 'sp', { name: 'agent', containers: [{ image }] });
    expect(synthChecked(c)).toEqual([]);
    const files = synthFiles(c);
    expect(Object.keys(files)).toEqual(['static-pods/agent.yml']);
    expect(files['static-pods/agent.yml']).toContain('kind: Pod');
  });
});
