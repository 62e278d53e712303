/**
 * One measurement: N microservices (Deployment + Service + autoscaling/v2 HPA + PDB) in one chart, written three
 * ways that must give the same bytes: through slipway's `workloads.Microservice`, with raw cdk8s-plus-28 (its L2s,
 * and its `k8s` L1s where it has no L2), and as the floor: plain objects through `Yaml.stringify`.
 * Usage: MODE=slipway|raw|floor N=1000 node -r ./tools/register.js bench/scale.ts  → one JSON line (CPU ms, peak RSS,
 * sha256 of the YAML).
 */
import { createHash } from 'crypto';
import { App, ApiObject, Chart, Duration, JsonPatch, Names, Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { workloads } from '../lib';

const mode = process.env.MODE ?? 'slipway';
const n = Number(process.env.N ?? 100);

const name = (i: number) => `svc-${i}`;
const image = (i: number) => `registry.example.com/svc-${i}:1.0.0`;
const labels = (i: number) => ({ 'app.kubernetes.io/name': name(i) });

function slipway(chart: Chart, i: number): void {
  new workloads.Microservice(chart, name(i), { image: image(i), autoscaling: { minReplicas: 2, maxReplicas: 10 } });
}

function raw(chart: Chart, i: number): void {
  const id = name(i);
  const scope = new Construct(chart, id); // the same construct path as slipway's, so cdk8s' pod label is the same
  const d = new kplus.Deployment(scope, 'Deployment', {
    metadata: { name: id, labels: labels(i) },
    podMetadata: { labels: labels(i) },
    select: false,
    securityContext: { ensureNonRoot: true },
    containers: [{
      name: 'app',
      image: image(i),
      portNumber: 8080,
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
      securityContext: {
        ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
      startup: kplus.Probe.fromTcpSocket({ port: 8080, failureThreshold: 60, periodSeconds: Duration.seconds(5) }),
      volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) }],
    }],
  });
  d.select(kplus.LabelSelector.of({ labels: labels(i) }));
  // What cdk8s-plus writes that slipway leaves to the API server, and slipway's history limit.
  ApiObject.of(d).addJsonPatch(
    JsonPatch.add('/spec/revisionHistoryLimit', 10), JsonPatch.remove('/spec/replicas'),
    JsonPatch.remove('/spec/template/spec/containers/0/imagePullPolicy'),
    JsonPatch.remove('/spec/template/spec/containers/0/readinessProbe/failureThreshold'));
  const service = new kplus.Service(scope, 'Service', {
    metadata: { name: id, labels: labels(i) },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  });
  service.selectLabel('app.kubernetes.io/name', id);
  new kplus.k8s.KubeHorizontalPodAutoscalerV2(scope, 'HPA', {
    metadata: { name: id, labels: labels(i) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: id },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      },
    },
  });
  new kplus.k8s.KubePodDisruptionBudget(scope, 'PDB', {
    metadata: { name: id, labels: labels(i) },
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels(i) } },
  });
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = cpu();
let yaml: string;
if (mode === 'floor') {
  // The same documents as plain objects: slipway's documents for one service (TEMPLATE), filled in per service. The
  // pod label cdk8s derives from the construct path is computed the way constructs and cdk8s compute it.
  const template = JSON.stringify(JSON.parse(process.env.TEMPLATE ?? 'null'));
  const addrLabel = (i: number): string => {
    const components = ['', 'bench', name(i), 'Deployment']; // the app root's id is ''
    const hash = createHash('sha1');
    for (const c of components) hash.update(c).update('\n');
    return Names.toLabelValue({ node: { path: components.slice(1).join('/'), addr: `c8${hash.digest('hex')}` } } as never);
  };
  const label0 = addrLabel(0);
  const docs: unknown[] = [];
  for (let i = 0; i < n; i++) docs.push(...JSON.parse(template.split(label0).join(addrLabel(i)).split('svc-0').join(name(i))));
  yaml = Yaml.stringify(...docs);
} else {
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) (mode === 'raw' ? raw : slipway)(chart, i);
  yaml = Yaml.stringify(...chart.toJson());
}
const cpuMs = cpu() - t0;
console.log(JSON.stringify({
  mode, n, cpuMs, bytes: Buffer.byteLength(yaml), docs: yaml.split('\n---\n').length,
  sha256: createHash('sha256').update(yaml).digest('hex'),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  ...(process.env.DUMP ? { yaml } : {}),
}));
