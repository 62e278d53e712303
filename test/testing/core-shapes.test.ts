/**
 * The fast core check (one walk over the vendored shapes, no kubernetes-models) against kubernetes-models' model
 * classes + the Proxy walk: the same verdict on real forms, on every unknown field added anywhere in them, on wrong
 * types, fractions, int32 overflow, null and bad enum values put in every scalar field, and on missing required fields.
 */
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { kindShape, kubernetesProblems, modelProblems } from '../../lib/testing/core';

const meta = (name: string, extra: object = {}) => ({ name, labels: { 'app.kubernetes.io/name': name, tier: 'backend' }, annotations: { 'example.com/owner': 'team-a' }, ...extra });
const container = {
  name: 'app', image: 'registry.example.com/app:1.4.2', args: ['--port', '8080'],
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'app-token', key: 'token', optional: false } } }],
  envFrom: [{ configMapRef: { name: 'app-settings' } }],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: 268435456, 'ephemeral-storage': '1Gi' } },
  readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
  livenessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 3 },
  startupProbe: { grpc: { port: 9090 }, failureThreshold: 30 },
  lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data' }],
};
const podSpec = {
  serviceAccountName: 'app', automountServiceAccountToken: false, terminationGracePeriodSeconds: 30,
  securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [container], initContainers: [{ name: 'migrate', image: 'registry.example.com/migrate:1', command: ['migrate', 'up'] }],
  volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, { name: 'cfg', configMap: { name: 'app-settings', items: [{ key: 'a', path: 'a.conf' }] } },
    { name: 'token', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 3600, path: 'token' } }] } }],
  affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'app' } } } }] } },
  topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['app'] }] } }],
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }],
  nodeSelector: { 'kubernetes.io/os': 'linux' },
};
const template = { metadata: { labels: { app: 'app' } }, spec: podSpec };

/** Real forms of the kinds slipway writes (written for this test). */
const DOCS: any[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('app'), spec: { replicas: 3, revisionHistoryLimit: 10, selector: { matchLabels: { app: 'app' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, template } },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'), spec: { serviceName: 'db', podManagementPolicy: 'Parallel', selector: { matchLabels: { app: 'app' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, template,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
    volumeClaimTemplates: [{ metadata: { name: 'data', labels: { app: 'db' } }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } }] } },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent'), spec: { selector: { matchLabels: { app: 'app' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, template } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('report'), spec: { schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3,
    jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3600, template: { spec: { ...podSpec, restartPolicy: 'OnFailure' } } } } } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('seed'), spec: { completions: 4, parallelism: 2, completionMode: 'Indexed', podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] }, template: { spec: { ...podSpec, restartPolicy: 'Never' } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: meta('app'), spec: { type: 'ClusterIP', selector: { app: 'app' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }], sessionAffinity: 'None' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('app-settings'), data: { a: 'x=1' }, binaryData: { blob: 'AAEC' }, immutable: true },
  { apiVersion: 'v1', kind: 'Secret', metadata: meta('app-token'), type: 'Opaque', stringData: { token: 'not-a-real-token' } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('app'), automountServiceAccountToken: false, imagePullSecrets: [{ name: 'registry' }] },
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('shop', { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } }) },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '5Gi' } }, dataSourceRef: { kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io', name: 'snap' } } },
  { apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta('nfs'), spec: { capacity: { storage: '100Gi' }, accessModes: ['ReadWriteMany'], persistentVolumeReclaimPolicy: 'Retain', mountOptions: ['nfsvers=4.1'], nfs: { server: 'nfs.example.com', path: '/exports' },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } },
  { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: meta('fast'), provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }] },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('app'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' }, minReplicas: 2, maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }, { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } } } },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('app'), spec: { maxUnavailable: '10%', selector: { matchLabels: { app: 'app' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('app'), spec: { ingressClassName: 'nginx', tls: [{ hosts: ['app.example.com'], secretName: 'app-tls' }],
    rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { name: 'http' } } } }] } }] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('app'), spec: { podSelector: { matchLabels: { app: 'app' } }, policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 8080 }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP', endPort: 53 }] }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'], resourceNames: ['app-settings'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('reader'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'shop' }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('viewer'), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { aggregate: 'true' } }] }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] },
  { apiVersion: 'v1', kind: 'Pod', metadata: meta('debug'), spec: { ...podSpec, restartPolicy: 'Never', hostPID: false, dnsConfig: { options: [{ name: 'ndots', value: '2' }] } } },
].map((d) => JSON.parse(JSON.stringify(d)));

/** The distinct paths reported (kubernetes-models reports a failed int-or-string or quantity three times). */
const paths = (problems: { path: string }[]) => [...new Set(problems.map((p) => p.path))].sort();

/** Every JSON path of an object in `doc` (maps and fixed-field objects alike). */
function objectPaths(value: any, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const here = Array.isArray(value) ? [] : [at];
  const children = Array.isArray(value) ? value.map((v, i) => objectPaths(v, `${at}/${i}`)) : Object.entries(value).map(([k, v]) => objectPaths(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return [...here, ...children.flat()];
}

/** Every JSON path of a scalar in `doc`. */
function scalarPaths(value: any, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => scalarPaths(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
}

function setAt(doc: any, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = keys.pop()!;
  keys.reduce((o, k) => o[k], doc)[last] = value;
}

function at(doc: any, pointer: string): any {
  return pointer.split('/').slice(1).reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

describe('core kinds: the fast strict check agrees with kubernetes-models and the Proxy walk', () => {
  test('every kind here has a vendored shape, and every real form passes both checks', () => {
    for (const doc of DOCS) {
      expect(kindShape(doc.apiVersion, doc.kind)).toBeDefined();
      expect([doc.kind, kubernetesProblems(doc, doc.kind)]).toEqual([doc.kind, []]);
      expect([doc.kind, modelProblems(doc, doc.kind)]).toEqual([doc.kind, []]);
    }
  });

  test('an unknown field added to any object of any document: both report the same paths', () => {
    let reported = 0;
    for (const doc of DOCS) {
      for (const p of objectPaths(doc).filter((_, i) => i % 3 === 0)) {
        const copy = JSON.parse(JSON.stringify(doc));
        at(copy, p).zzUnknown = 'x';
        const fast = paths(kubernetesProblems(copy, ''));
        expect([doc.kind, p, fast]).toEqual([doc.kind, p, paths(modelProblems(copy, ''))]);
        if (fast.length > 0) {
          // an unknown field, or (in a map of quantities or ints) a value of the wrong type, at that path only
          expect([...new Set(fast)]).toEqual([`${p}/zzUnknown`]);
          reported++;
        }
      }
    }
    expect(reported).toBeGreaterThan(70);
  });

  test('wrong types are refused by both: a fractional replica count, a string port number, an object label', () => {
    const d = JSON.parse(JSON.stringify(DOCS[0]));
    d.spec.replicas = 2.5;
    d.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    d.metadata.labels.tier = { a: 1 };
    const fast = paths(kubernetesProblems(d, ''));
    expect([...new Set(fast)]).toEqual([...new Set(paths(modelProblems(d, '')))]);
    expect(fast).toEqual(expect.arrayContaining(['/spec/replicas', '/spec/template/spec/containers/0/ports/0/containerPort', '/metadata/labels/tier']));
  });

  test('every scalar of every document set to a fraction, 2^31, a string, a boolean, an object, null or a bad enum value: the same paths', () => {
    const probes: unknown[] = [1.5, 2 ** 31, -(2 ** 31) - 1, 'x', true, {}, null, -1, '1Gi', ''];
    let refused = 0;
    for (const doc of DOCS) {
      scalarPaths(doc).forEach((p, i) => {
        if (p === '/apiVersion' || p === '/kind') return; // they choose the model
        const probe = probes[i % probes.length];
        const copy = JSON.parse(JSON.stringify(doc));
        setAt(copy, p, probe);
        const fast = paths(kubernetesProblems(copy, ''));
        expect([doc.kind, p, probe, fast]).toEqual([doc.kind, p, probe, paths(modelProblems(copy, ''))]);
        if (fast.length > 0) refused++;
      });
    }
    expect(refused).toBeGreaterThan(100);
  });

  test('a missing required field: the same paths (selector, template, containers, a container name, a port number)', () => {
    for (const p of ['/spec/selector', '/spec/template', '/spec/template/spec/containers', '/spec/template/spec/containers/0/name', '/spec/template/spec/containers/0/ports/0/containerPort']) {
      const copy = JSON.parse(JSON.stringify(DOCS[0]));
      const keys = p.split('/').slice(1);
      delete keys.slice(0, -1).reduce((o, k) => o[k], copy)[keys[keys.length - 1]];
      const fast = kubernetesProblems(copy, '');
      expect([p, paths(fast)]).toEqual([p, paths(modelProblems(copy, ''))]);
      expect(fast.map((x) => x.message).join()).toMatch(/must have required property/);
    }
  });
});

const GROUPS: Record<string, string> = {
  '': 'Core', 'apps': 'Apps', 'batch': 'Batch', 'autoscaling': 'Autoscaling', 'policy': 'Policy', 'networking.k8s.io': 'Networking',
  'storage.k8s.io': 'Storage', 'rbac.authorization.k8s.io': 'Rbac', 'scheduling.k8s.io': 'Scheduling', 'node.k8s.io': 'Node',
};

describe('every scalar field of every vendored kind: the walk and kubernetes-models agree', () => {
  const file = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'kubernetes-shapes.json'), 'utf8'));
  test('each field, first reached in a document of its kind, set to wrong and edge values: the same paths', () => {
    const probes: unknown[] = ['x', 1.5, 2 ** 31, true, null];
    let fields = 0;
    const differences: string[] = [];
    for (const key of Object.keys(file.kinds)) {
      const kind = key.slice(key.lastIndexOf('/') + 1);
      const apiVersion = key.slice(0, key.length - kind.length - 1);
      // The kind's compiled validator, as kubernetes-models' model class runs it (the class is much slower to build).
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      const prefix = `IoK8sApi${GROUPS[group]}${version[0].toUpperCase()}${version.slice(1)}`;
      const validate = require(join(dirname(require.resolve('kubernetes-models')), '_schemas', `${prefix}${kind}.js`)).validate;
      const seen = new Set<string>();
      const check = (at: Array<string | number>): void => {
        fields++;
        for (const probe of probes) {
          let doc: any = probe;
          for (let i = at.length - 1; i >= 0; i--) doc = typeof at[i] === 'number' ? [doc] : { [at[i]]: doc };
          doc = { apiVersion, kind, ...doc };
          validate(doc);
          const expected = paths((validate.errors ?? []).map((e: any) => ({ path: e.instancePath || '/' })));
          // PriorityClass description: the validators check nothing there (their generator drops a property named
          // description); the walk checks its declared type, string.
          if (key === 'scheduling.k8s.io/v1/PriorityClass' && at.join('.') === 'description' && typeof probe !== 'string' && probe !== null) expected.unshift('/description');
          const fast = paths(kubernetesProblems(doc, ''));
          if (fast.join() !== expected.sort().join()) differences.push(`${key} ${at.join('.')} ${JSON.stringify(probe)}: ${fast.join()} vs ${expected.join()}`);
        }
      };
      const walk = (shape: any, at: Array<string | number>): void => {
        if (shape === 1) return;
        if (Array.isArray(shape)) return walk(shape[0], [...at, 0]);
        if (typeof shape === 'object') return shape.enum ? check(at) : walk(shape['*'], [...at, 'k']);
        if (!(shape in file.defs)) return check(at);
        if (seen.has(shape)) return;
        seen.add(shape);
        for (const [name, f] of Object.entries(file.defs[shape])) if (at.length > 0 || (name !== 'apiVersion' && name !== 'kind')) walk(f, [...at, name]);
      };
      walk(file.kinds[key], []);
    }
    expect(differences).toEqual([]);
    expect(fields).toBeGreaterThan(900);
  });
});
