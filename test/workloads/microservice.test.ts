import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Duration } from '../../lib';
import { DisruptionLimit, Microservice, Probe, QosClass, ScalingBehavior } from '../../lib/workloads';
import { expectDocumentsValid } from '../support/validate';
import { synthChecked } from './check';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'shop' });

describe('Microservice', () => {
  test('one call gives a secure Deployment, a Service, an HPA, a PDB and an Ingress', () => {
    const c = chart();
    const tls = kplus.Secret.fromSecretName(c, 'Tls', 'shop-tls');
    const ms = new Microservice(c, 'orders', {
      image: 'ghcr.io/acme/orders:1.4.2',
      readiness: Probe.fromHttpGet('/ready'),
      liveness: Probe.fromGrpc(9090, { service: 'orders' }),
      autoscaling: { maxReplicas: 10 },
      ingress: { host: 'shop.example.com', tlsSecret: tls },
    });
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress']);
    const dep = docs[0];
    expect(dep.spec.replicas).toBeUndefined();
    expect(dep.spec.revisionHistoryLimit).toBe(10);
    expect(dep.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'orders' });
    const app = dep.spec.template.spec.containers[0];
    expect(app.livenessProbe.grpc).toEqual({ port: 9090, service: 'orders' });
    expect(app.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(app.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(app.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(app.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(docs[1].spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders' });
    expect(docs[2].spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
    expect(docs[2].spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' });
    expect(ms.dnsName).toBe('orders.shop.svc.cluster.local');
    expect(ms.deployment.qosClass).toBe(QosClass.BURSTABLE);
    expect(ms.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'orders' });
    expect(ms.port).toBe(8080);
    expect(docs).toMatchSnapshot();
  });

  test('fixed replicas, no HPA; a single replica gets no PDB unless asked', () => {
    const c = chart();
    const one = new Microservice(c, 'one', { image: 'nginx:1.27', replicas: 1 });
    const two = new Microservice(c, 'two', { image: 'nginx:1.27', replicas: 1, disruptionBudget: DisruptionLimit.maxUnavailable(1) });
    expect(one.hpa).toBeUndefined();
    expect(one.pdb).toBeUndefined();
    expect(two.pdb).toBeDefined();
    const docs = synthChecked(c);
    expectDocumentsValid(docs);
    expect(docs.find((d) => d.kind === 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'two' } } });
  });

  test('HPA retarget (what delivery does for a Rollout) and Kubernetes-default behavior', () => {
    const c = chart();
    const ms = new Microservice(c, 'web', { image: 'nginx:1.27',
      autoscaling: { minReplicas: 3, maxReplicas: 6, memoryUtilization: 75, behavior: ScalingBehavior.kubernetesDefaults() } });
    ms.hpa!.retarget(workloadsScaleTarget());
    const hpa = synthChecked(c).find((d) => d.kind === 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef.kind).toBe('Rollout');
    expect(hpa.spec.behavior).toBeUndefined();
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } }]);
  });

  test('startup probe defaults to 5 minutes of tcp checks', () => {
    const c = chart();
    new Microservice(c, 'api', { image: 'nginx:1.27', startup: Probe.fromHttpGet('/started', { period: Duration.seconds(2) }) });
    const dep = synthChecked(c)[0];
    expect(dep.spec.template.spec.containers[0].startupProbe.httpGet).toEqual({ path: '/started', port: 8080 });
  });

  test('shared defaults render per service: default probes follow each port, the default behavior is one frozen value', () => {
    const c = chart();
    new Microservice(c, 'a', { image: 'ghcr.io/acme/a:1', port: 8081, autoscaling: { maxReplicas: 3 } });
    new Microservice(c, 'b', { image: 'ghcr.io/acme/b:1', port: 9091, autoscaling: { maxReplicas: 3 } });
    const docs = synthChecked(c);
    const probes = docs.filter((d) => d.kind === 'Deployment').map((d) => d.spec.template.spec.containers[0]);
    expect(probes.map((p) => [p.readinessProbe.tcpSocket.port, p.startupProbe.tcpSocket.port, p.startupProbe.failureThreshold])).toEqual([[8081, 8081, 60], [9091, 9091, 60]]);
    const behavior = ScalingBehavior.scaleUpFastScaleDownSlow();
    expect(ScalingBehavior.scaleUpFastScaleDownSlow()).toBe(behavior);
    expect(Object.isFrozen(behavior.scaleUp!.policies)).toBe(true);
    expect(() => (behavior.scaleUp!.policies as unknown[]).push(1)).toThrow(TypeError);
    expect(ScalingBehavior.scaleUpFastScaleDownSlow({ scaleDownPercentPerMinute: 20 })).not.toBe(behavior);
  });
});

function workloadsScaleTarget() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ScaleTarget } = require('../../lib/workloads');
  return ScaleTarget.of('argoproj.io/v1alpha1', 'Rollout', 'web');
}
