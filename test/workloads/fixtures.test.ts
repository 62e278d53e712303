/**
 * Real manifest shapes rebuilt through the typed API (our own fixtures, written from the Kubernetes field reference):
 * each is synthesized, checked with kubernetes-models and the strict unknown-field walk, and compared field by field
 * with the YAML we expect. Hardening differences from the plain manifest are listed next to each expectation.
 */
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  ClaimRetention, ConfigMap, DaemonSet, DaemonSetUpdateStrategy, Deployment, HorizontalPodAutoscaler, HpaMetric, Ingress, MetricTarget, Namespace,
  NodePortRange, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSource, PodSecurity, ProjectionSource, ScaleTarget, Secret,
  Service, StatefulSet, StorageClass, WhenUnsatisfiable, projectedVolume,
} from '../../lib/workloads';
import { synthChecked } from './check';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'apps' });
const yaml = (text: string) => parse(text);
const byKind = (docs: any[], kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
/** The container without slipway's resources (compared separately). */
const withoutResources = ({ resources, ...rest }: any) => rest;

describe('real manifest shapes', () => {
  test('nginx Deployment (root image, baseline) behind a ClusterIP Service with a named targetPort', () => {
    const c = chart();
    const d = new Deployment(c, 'nginx', { metadata: { name: 'nginx' }, replicas: 3,
      podSecurity: PodSecurity.baseline('the official nginx image runs its master process as root'),
      containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ number: 80, name: 'http' }] }] });
    new Service(c, 'svc', { metadata: { name: 'nginx' }, selector: d, ports: [{ port: 80, targetPortName: 'http' }] });
    const docs = synthChecked(c);
    const dep = byKind(docs, 'Deployment');
    expect(dep.spec.replicas).toBe(3);
    // Differences from the upstream-style manifest: explicit seccomp and no privilege escalation (baseline keeps
    // root and a writable root filesystem), slipway's default requests.
    expect(withoutResources(dep.spec.template.spec.containers[0])).toEqual(yaml(`
      name: nginx
      image: nginx:1.14.2
      ports: [{ containerPort: 80, name: http }]
      securityContext:
        allowPrivilegeEscalation: false
        privileged: false
        seccompProfile: { type: RuntimeDefault }
    `));
    expect(byKind(docs, 'Service').spec.ports).toEqual([{ port: 80, targetPort: 'http' }]);
  });

  test('redis StatefulSet with a headless Service and claim templates with metadata', () => {
    const c = chart();
    const sts = new StatefulSet(c, 'redis', { metadata: { name: 'redis' }, replicas: 3,
      containers: [{ name: 'redis', image: 'redis:7.4', portNumber: 6379, securityContext: { user: 999, group: 999 } }] });
    const data = sts.addVolumeClaimTemplate({ name: 'data', storage: Size.gibibytes(8), labels: { app: 'redis' },
      annotations: { 'backup.velero.io/backup-volumes': 'data' } });
    sts.containers[0].mount('/data', data);
    const docs = synthChecked(c);
    const set = byKind(docs, 'StatefulSet');
    expect(set.spec.volumeClaimTemplates).toEqual(yaml(`
      - metadata:
          name: data
          labels: { app: redis }
          annotations: { backup.velero.io/backup-volumes: data }
        spec:
          accessModes: [ReadWriteOnce]
          volumeMode: Filesystem
          resources: { requests: { storage: 8Gi } }
    `));
    expect(byKind(docs, 'Service').spec.clusterIP).toBe('None');
    expect(set.spec.serviceName).toBe(byKind(docs, 'Service').metadata.name);
  });

  test('postgres StatefulSet governed by an existing Service by name writes no Service', () => {
    const c = chart();
    const sts = new StatefulSet(c, 'pg', { metadata: { name: 'postgres' }, serviceName: 'postgres-headless',
      podSecurity: PodSecurity.baseline('the postgres entrypoint starts as root to fix data directory ownership'),
      containers: [{ name: 'postgres', image: 'postgres:16.4', portNumber: 5432 }] });
    const docs = synthChecked(c);
    expect(docs.map((x) => x.kind)).toEqual(['StatefulSet']);
    expect(docs[0].spec.serviceName).toBe('postgres-headless');
    expect(sts.podDnsName(0)).toBe('postgres-0.postgres-headless.apps.svc.cluster.local');
  });

  test('log collector DaemonSet: hostPath, tolerations, a surge-free 10% rolling update', () => {
    const c = chart();
    const ds = new DaemonSet(c, 'fluent', { metadata: { name: 'fluent-bit' },
      podSecurity: PodSecurity.privileged('reads /var/log of every node'),
      updateStrategy: DaemonSetUpdateStrategy.rollingUpdate({ maxUnavailable: '10%' }) });
    ds.addContainer({ name: 'fluent-bit', image: 'fluent/fluent-bit:3.1.9', securityContext: { readOnlyRootFilesystem: true },
      volumeMounts: [{ path: '/var/log', readOnly: true, volume: kplus.Volume.fromHostPath(c, 'varlog', 'varlog', { path: '/var/log' }) }] });
    ds.scheduling.tolerate(new kplus.TaintedNode([kplus.NodeTaintQuery.exists('node-role.kubernetes.io/control-plane', { effect: kplus.TaintEffect.NO_SCHEDULE })]));
    const doc = synthChecked(c)[0];
    expect(doc.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } });
    expect(doc.spec.template.spec.tolerations).toEqual([{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }]);
    // cdk8s-plus-28 writes the hostPath type as "" (the Kubernetes default: no check).
    expect(doc.spec.template.spec.volumes).toEqual([{ hostPath: { path: '/var/log', type: '' }, name: 'varlog' }]);
    // privileged: only what the user and cdk8s-plus set.
    expect(doc.spec.template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true });
  });

  test('node exporter: hostPID, hostNetwork, system-node-critical', () => {
    const c = chart();
    new DaemonSet(c, 'node-exporter', { metadata: { name: 'node-exporter' }, hostNetwork: true, hostPID: true,
      priorityClassName: 'system-node-critical', podSecurity: PodSecurity.privileged('reads node metrics from /proc and the host network'),
      containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.2', args: ['--path.rootfs=/host'],
        ports: [{ number: 9100, name: 'metrics', hostPort: 9100 }], securityContext: { user: 65534, ensureNonRoot: true } }] });
    const spec = synthChecked(c)[0].spec.template.spec;
    expect([spec.hostNetwork, spec.hostPID, spec.priorityClassName]).toEqual([true, true, 'system-node-critical']);
    expect(spec.containers[0].ports).toEqual([{ containerPort: 9100, hostPort: 9100, name: 'metrics' }]);
    expect(spec.containers[0].securityContext.runAsNonRoot).toBe(true);
  });

  test('GPU inference Deployment with an HPA on a Pods metric and a spread over another workload\'s pods', () => {
    const c = chart();
    const d = new Deployment(c, 'infer', { metadata: { name: 'inference' }, runtimeClassName: 'nvidia',
      containers: [{ name: 'server', image: 'nvcr.io/nvidia/tritonserver:24.08-py3', portNumber: 8000, extendedResources: { 'nvidia.com/gpu': 1 },
        resources: { cpu: { request: kplus.Cpu.units(4) }, memory: { request: Size.gibibytes(16), limit: Size.gibibytes(16) } } }] });
    d.addNodeSelector('nvidia.com/gpu.present', 'true');
    d.addTopologySpread({ topology: kplus.Topology.HOSTNAME, whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE, minDomains: 2,
      labelSelector: { 'app.kubernetes.io/component': 'inference' } });
    new HorizontalPodAutoscaler(c, 'hpa', { target: ScaleTarget.fromWorkload(d), minReplicas: 1, maxReplicas: 8,
      metrics: [HpaMetric.pods('inference_queue_depth', MetricTarget.averageValue('10')),
        HpaMetric.external('pubsub_undelivered_messages', MetricTarget.value('1k'), { subscription: 'requests' }),
        HpaMetric.object('requests_per_second', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'inference' }, MetricTarget.averageValue('100'))] });
    const docs = synthChecked(c);
    const spec = byKind(docs, 'Deployment').spec.template.spec;
    expect(spec.runtimeClassName).toBe('nvidia');
    expect(spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    // cdk8s-plus-28 writes memory sizes in Mi.
    expect(spec.containers[0].resources).toEqual({ limits: { 'memory': '16384Mi', 'nvidia.com/gpu': '1' }, requests: { cpu: '4', memory: '16384Mi' } });
    expect(spec.topologySpreadConstraints).toEqual([{ labelSelector: { matchLabels: { 'app.kubernetes.io/component': 'inference' } },
      maxSkew: 1, minDomains: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }]);
    expect(byKind(docs, 'HorizontalPodAutoscaler').spec.metrics).toEqual(yaml(`
      - type: Pods
        pods: { metric: { name: inference_queue_depth }, target: { type: AverageValue, averageValue: "10" } }
      - type: External
        external:
          metric: { name: pubsub_undelivered_messages, selector: { matchLabels: { subscription: requests } } }
          target: { type: Value, value: 1k }
      - type: Object
        object:
          metric: { name: requests_per_second }
          describedObject: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: inference }
          target: { type: AverageValue, averageValue: "100" }
    `));
  });

  test('each Service type, a NodePort in a custom range, and an Ingress to an existing Service by name', () => {
    const c = chart();
    new Service(c, 'np', { metadata: { name: 'legacy' }, type: kplus.ServiceType.NODE_PORT, nodePortRange: NodePortRange.of(20000, 22767),
      ports: [{ port: 80, targetPort: 8080, nodePort: 20001 }] });
    new Service(c, 'lb', { metadata: { name: 'edge' }, type: kplus.ServiceType.LOAD_BALANCER, ports: [{ port: 443, targetPort: 8443 }] });
    new Service(c, 'ext', { metadata: { name: 'db' }, type: kplus.ServiceType.EXTERNAL_NAME, externalName: 'db.example.com' });
    const ing = new Ingress(c, 'ing', { metadata: { name: 'shop' }, className: 'nginx' });
    ing.addHostRule('shop.example.com', '/', Ingress.backendForServiceName('storefront', 80), kplus.HttpIngressPathType.PREFIX);
    const docs = synthChecked(c);
    expect(docs.map((x) => x.kind)).toEqual(['Service', 'Service', 'Service', 'Ingress']);
    expect(byKind(docs, 'Service', 'legacy').spec.ports[0].nodePort).toBe(20001);
    expect(byKind(docs, 'Ingress').spec.rules).toEqual(yaml(`
      - host: shop.example.com
        http:
          paths:
            - path: /
              pathType: Prefix
              backend: { service: { name: storefront, port: { number: 80 } } }
    `));
    expect(() => ing.addRule('api', Ingress.backendForServiceName('api', 80))).toThrow(/^\[test\/ing\] ingress paths must begin with a "\/": api \(rule: ingress-path\)/);
  });

  test('ConfigMap and Secret as environment and as files, a projected volume, and Secret data in base64', () => {
    const c = chart();
    const cm = new ConfigMap(c, 'cm', { metadata: { name: 'app-config' }, data: { LOG_LEVEL: 'info', 'app.yaml': 'port: 8080\n' } });
    const secret = new Secret(c, 'secret', { metadata: { name: 'app-secret' }, type: 'Opaque', immutable: true,
      data: { password: Buffer.from('s3cr3t').toString('base64') }, stringData: { user: 'app' } });
    const d = new Deployment(c, 'app', { metadata: { name: 'app' } });
    d.addContainer({ name: 'app', image: 'ghcr.io/acme/app:1.0.0', portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(cm)],
      envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
      volumeMounts: [
        { path: '/etc/app', volume: kplus.Volume.fromConfigMap(c, 'cfg', cm) },
        { path: '/var/run/app', volume: projectedVolume(c, 'proj', 'bundle', [ProjectionSource.secret(secret, { user: 'user' }),
          ProjectionSource.downwardApi({ labels: 'metadata.labels' }), ProjectionSource.serviceAccountToken('token', 'vault', 3600)]) }] });
    const docs = synthChecked(c);
    const s = byKind(docs, 'Secret');
    expect([s.type, s.immutable, s.data, s.stringData]).toEqual(['Opaque', true, { password: 'czNjcjN0' }, { user: 'app' }]);
    const spec = byKind(docs, 'Deployment').spec.template.spec;
    expect(spec.volumes.find((v: any) => v.name === 'bundle').projected.sources).toEqual(yaml(`
      - secret: { name: app-secret, items: [{ key: user, path: user }] }
      - downwardAPI: { items: [{ path: labels, fieldRef: { fieldPath: metadata.labels } }] }
      - serviceAccountToken: { path: token, audience: vault, expirationSeconds: 3600 }
    `));
    expect(spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'app-config' } }]);
    expect(() => new Secret(chart(), 's', { data: { k: 'not base64!' } })).toThrow(/\(rule: secret-data-base64\)/);
  });

  test('a hostPath PersistentVolume, a claim bound to it, a StorageClass with allowedTopologies and mountOptions', () => {
    const c = chart();
    const sc = new StorageClass(c, 'sc', { metadata: { name: 'zonal' }, provisioner: 'ebs.csi.aws.com', mountOptions: ['noatime'],
      allowedTopologies: [{ 'topology.kubernetes.io/zone': ['eu-west-1a', 'eu-west-1b'] }] });
    new PersistentVolume(c, 'pv', { metadata: { name: 'task-pv' }, storage: Size.gibibytes(10), storageClassName: 'manual',
      source: PersistentVolumeSource.hostPath('/mnt/data', 'DirectoryOrCreate') });
    new PersistentVolumeClaim(c, 'pvc', { metadata: { name: 'task-pvc' }, storage: Size.gibibytes(3), storageClassName: 'manual' });
    const docs = synthChecked(c);
    expect(byKind(docs, 'StorageClass', sc.name).allowedTopologies).toEqual([{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['eu-west-1a', 'eu-west-1b'] }] }]);
    expect(byKind(docs, 'StorageClass').mountOptions).toEqual(['noatime']);
    expect(byKind(docs, 'PersistentVolume').spec.hostPath).toEqual({ path: '/mnt/data', type: 'DirectoryOrCreate' });
    expect(byKind(docs, 'PersistentVolume').metadata.namespace).toBeUndefined();
  });

  test('NetworkPolicy, RBAC and a Namespace without Pod Security labels', () => {
    const c = chart();
    const d = new Deployment(c, 'api', { metadata: { name: 'api' }, containers: [{ image: 'ghcr.io/acme/api:1.0.0', portNumber: 8080 }] });
    new kplus.NetworkPolicy(c, 'np', { selector: d, ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY } });
    const role = new kplus.Role(c, 'reader', {});
    role.allowRead(kplus.ApiResource.PODS);
    const sa = new kplus.ServiceAccount(c, 'sa', { metadata: { name: 'reader' } });
    new kplus.RoleBinding(c, 'rb', { role }).addSubjects(sa);
    new Namespace(c, 'ns', { name: 'legacy', podSecurityLabels: false });
    const docs = synthChecked(c);
    expect(byKind(docs, 'Namespace').metadata.labels).toBeUndefined();
    expect(byKind(docs, 'NetworkPolicy').spec.policyTypes).toEqual(['Ingress']);
    expect(byKind(docs, 'RoleBinding').roleRef.kind).toBe('Role');
  });
});

describe('StatefulSet claim retention and ordinals', () => {
  test('claimRetention and ordinalsStart are written and podDnsName follows the start', () => {
    const c = chart();
    const sts = new StatefulSet(c, 'db', { metadata: { name: 'db' }, ordinalsStart: 1,
      claimRetention: { whenDeleted: ClaimRetention.DELETE, whenScaled: ClaimRetention.RETAIN },
      containers: [{ image: 'ghcr.io/acme/db:1.0.0', portNumber: 5432 }] });
    const doc = synthChecked(c).find((d) => d.kind === 'StatefulSet');
    expect(doc.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    expect(doc.spec.ordinals).toEqual({ start: 1 });
    expect(sts.podDnsName(1)).toMatch(/^db-1\./);
    expect(() => sts.podDnsName(0)).toThrow(/\(rule: pod-ordinal\)/);
  });
  test('rule statefulset-ordinals: a negative start is refused', () => {
    expect(() => new StatefulSet(chart(), 'db', { ordinalsStart: -1, containers: [{ image: 'ghcr.io/acme/db:1.0.0', portNumber: 5432 }] }))
      .toThrow(/\(rule: statefulset-ordinals\)/);
  });
});

describe('newer pod, container and StatefulSet fields', () => {
  test('schedulingGates, hostUsers, terminationMessagePolicy and a StatefulSet maxUnavailable are written', () => {
    const c = chart();
    new StatefulSet(c, 'db', { metadata: { name: 'db' }, maxUnavailable: '50%', schedulingGates: ['example.com/quota'], hostUsers: false,
      containers: [{ image: 'ghcr.io/acme/db:1.0.0', portNumber: 5432, terminationMessagePolicy: 'FallbackToLogsOnError' }] });
    const doc = synthChecked(c).find((d) => d.kind === 'StatefulSet');
    expect(doc.spec.updateStrategy).toEqual({ rollingUpdate: { maxUnavailable: '50%', partition: 0 }, type: 'RollingUpdate' });
    expect(doc.spec.template.spec.schedulingGates).toEqual([{ name: 'example.com/quota' }]);
    expect(doc.spec.template.spec.hostUsers).toBe(false);
    expect(doc.spec.template.spec.containers[0].terminationMessagePolicy).toBe('FallbackToLogsOnError');
  });
  test('rule statefulset-max-unavailable: 0 and OnDelete are refused', () => {
    const containers = [{ image: 'ghcr.io/acme/db:1.0.0', portNumber: 5432 }];
    expect(() => new StatefulSet(chart(), 'db', { maxUnavailable: 0, containers })).toThrow(/\(rule: statefulset-max-unavailable\)/);
    expect(() => new StatefulSet(chart(), 'db', { maxUnavailable: 1, strategy: kplus.StatefulSetUpdateStrategy.onDelete(), containers }))
      .toThrow(/OnDelete strategy \(rule: statefulset-max-unavailable\)/);
  });
});
