import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { FinalDocument } from '../../lib';
import { DaemonSet, Deployment, HorizontalPodAutoscaler, Microservice, PodSecurity, ScaleTarget, ScalingBehavior, Service } from '../../lib/workloads';
import { chart, synthChecked, synthError } from './check';

const image = 'ghcr.io/acme/api:1.0.0';

describe('escape hatch: patches with Kubernetes paths apply to the final document', () => {
  test('hostPID on a node agent lands, and the rules read it (restricted refuses, privileged passes)', () => {
    const strict = chart();
    const d = new Deployment(strict, 'web', { containers: [{ image, portNumber: 8080 }] });
    ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/hostPID', true));
    expect(synthError(strict)).toMatch(/\[test\/web\] .*hostPID is true.*\(rule: pod-security-restricted\)/);

    const c = chart();
    const ds = new DaemonSet(c, 'exporter', { podSecurity: PodSecurity.privileged('reads every process on the node'),
      containers: [{ image: 'quay.io/prometheus/node-exporter:v1.8.2', portNumber: 9100 }] });
    ApiObject.of(ds).addJsonPatch(JsonPatch.add('/spec/template/spec/hostPID', true));
    expect(synthChecked(c)[0].spec.template.spec.hostPID).toBe(true);
  });

  test('rollingUpdate maxUnavailable 10% and an extended resource keep their values', () => {
    const c = chart();
    const d = new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }] });
    ApiObject.of(d).addJsonPatch(
      JsonPatch.replace('/spec/strategy/rollingUpdate/maxUnavailable', '10%'),
      JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', '1'));
    const doc = synthChecked(c)[0];
    expect(doc.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '10%' });
    expect(doc.spec.template.spec.containers[0].resources.limits).toEqual({ 'memory': '256Mi', 'nvidia.com/gpu': '1' });
  });

  test('an HPA AverageValue target and behavior fields added by patch are kept', () => {
    const c = chart();
    const d = new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }] });
    const hpa = new HorizontalPodAutoscaler(c, 'hpa', { target: ScaleTarget.fromWorkload(d), maxReplicas: 5, behavior: ScalingBehavior.scaleUpFastScaleDownSlow() });
    ApiObject.of(hpa).addJsonPatch(
      JsonPatch.replace('/spec/metrics/0/resource/target', { type: 'AverageValue', averageValue: '500m' }),
      JsonPatch.add('/spec/behavior/scaleUp/tolerance', '0.05'));
    const doc = synthChecked(c).find((x) => x.kind === 'HorizontalPodAutoscaler');
    expect(doc.spec.metrics[0].resource.target).toEqual({ type: 'AverageValue', averageValue: '500m' });
    expect(doc.spec.behavior.scaleUp.tolerance).toBe('0.05');
  });

  test('a patch on a plain cdk8s-plus object inside a slipway chart is unaffected (cdk8s semantics)', () => {
    const c = chart();
    const s = new Service(c, 'svc', { ports: [{ port: 80 }] });
    ApiObject.of(s).addJsonPatch(JsonPatch.add('/spec/publishNotReadyAddresses', true));
    expect(synthChecked(c)[0].spec.publishNotReadyAddresses).toBe(true);
  });

  test('rule json-patch-camel-case: the cdk8s property form is refused with the Kubernetes path', () => {
    const c = chart();
    const d = new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }] });
    ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/hostPid', true));
    const msg = synthError(c);
    expect(msg).toContain('[test/web] json patch path "/spec/template/spec/hostPid" uses the cdk8s property name');
    expect(msg).toContain('(rule: json-patch-camel-case)');
    expect(msg).toContain('"/spec/template/spec/hostPID"');
  });

  test('rule json-patch-value: an IntOrString object as a patch value is refused', () => {
    const c = chart();
    const d = new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }] });
    ApiObject.of(d).addJsonPatch(JsonPatch.replace('/spec/strategy/rollingUpdate/maxUnavailable', kplus.k8s.IntOrString.fromString('10%')));
    expect(synthError(c)).toMatch(/\[test\/web\] json patch replace .* has a IntOrString value.*\(rule: json-patch-value\)/);
  });

  test('rule json-patch-apply: a path that is not in the document is refused with the construct path', () => {
    const c = chart();
    const d = new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }] });
    ApiObject.of(d).addJsonPatch(JsonPatch.replace('/spec/template/spec/nothing/here', 1));
    expect(synthError(c)).toMatch(/\[test\/web\] json patch replace "\/spec\/template\/spec\/nothing\/here" cannot be applied .*\(rule: json-patch-apply\)/);
  });

  test('the document is rendered once per synthesis and afresh after a change', () => {
    const c = chart();
    const d = new Deployment(c, 'web', { containers: [{ image, portNumber: 8080 }] });
    const first = Testing.synth(c)[0];
    d.addNodeSelector('disktype', 'ssd');
    const second = Testing.synth(c)[0];
    expect(first.spec.template.spec.nodeSelector).toBeUndefined();
    expect(second.spec.template.spec.nodeSelector).toEqual({ disktype: 'ssd' });
    expect(FinalDocument.of(d)).toEqual(second);
  });
});

describe('escape hatch on composites', () => {
  test('ApiObject.of(microservice) reaches its Deployment, and its Ingress takes Kubernetes paths', () => {
    const c = chart();
    const ms = new Microservice(c, 'shop', { image, ingress: { host: 'shop.example.com' } });
    ApiObject.of(ms).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'business-critical'));
    ApiObject.of(ms.ingress!).addJsonPatch(JsonPatch.add('/metadata/annotations', { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' }));
    const docs = synthChecked(c);
    expect(docs.find((d) => d.kind === 'Deployment').spec.template.spec.priorityClassName).toBe('business-critical');
    expect(docs.find((d) => d.kind === 'Ingress').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' });
  });
});

describe('cost', () => {
  test('each workload is rendered once per synthesis, rules included, across several charts', () => {
    const app = Testing.app();
    const charts = [0, 1, 2].map((i) => new Chart(app, `c${i}`, { namespace: 'ns' }));
    for (const c of charts) for (let i = 0; i < 5; i++) new Microservice(c, `svc-${i}`, { image, autoscaling: { maxReplicas: 4 } });
    const spy = jest.spyOn(Deployment.prototype, '_toKube');
    try {
      app.synthYaml();
      expect(spy).toHaveBeenCalledTimes(15);
    } finally {
      spy.mockRestore();
    }
  });
});
