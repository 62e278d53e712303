/**
 * One measurement: N microservices (Deployment + Service + autoscaling/v2 HPA + PDB) in one chart, built either
 * through slipway's `workloads.Microservice` or with raw cdk8s-plus-28 writing the same objects, then synthesized.
 * Usage: MODE=slipway|raw N=1000 node -r ./tools/register.js bench/scale.ts  → one JSON line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { workloads } from '../lib';

const mode = process.env.MODE ?? 'slipway';
const n = Number(process.env.N ?? 100);
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${mode}-`));

function raw(chart: Chart, i: number): void {
  const name = `svc-${i}`;
  const d = new kplus.Deployment(chart, `${name}-deployment`, {
    metadata: { name },
    securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
    containers: [{
      name: 'app',
      image: `registry.example.com/svc-${i}:1.0.0`,
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(100) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
      securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false },
      readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
      startup: kplus.Probe.fromTcpSocket({ port: 8080, failureThreshold: 60, periodSeconds: Duration.seconds(5) }),
      volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(chart, `${name}-tmp`, 'tmp') }],
    }],
  });
  d.exposeViaService({ name, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
    metadata: { name },
    target: d,
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(80))],
  });
  new kplus.k8s.KubePodDisruptionBudget(chart, `${name}-pdb`, {
    metadata: { name },
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: d.matchLabels } },
  });
}

function slipway(chart: Chart, i: number): void {
  new workloads.Microservice(chart, `svc-${i}`, {
    image: `registry.example.com/svc-${i}:1.0.0`,
    autoscaling: { minReplicas: 2, maxReplicas: 10 },
  });
}

const t0 = process.hrtime.bigint();
const app = new App({ outdir });
const chart = new Chart(app, 'bench');
for (let i = 0; i < n; i++) (mode === 'raw' ? raw : slipway)(chart, i);
const t1 = process.hrtime.bigint();
app.synth();
const t2 = process.hrtime.bigint();
const docs = fs.readFileSync(path.join(outdir, 'bench.k8s.yaml'), 'utf8').split('\n---\n').length;
fs.rmSync(outdir, { recursive: true, force: true });
const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
console.log(JSON.stringify({
  mode, n, docs, constructMs: ms(t0, t1), synthMs: ms(t1, t2), totalMs: ms(t0, t2),
  rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
}));
