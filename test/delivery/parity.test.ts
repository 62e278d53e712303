// istiod webhook and Argo pod-template parity: each case istiod or the Argo controller rejects is refused at synth,
// naming the construct, the value and the upstream message; the forms upstream accepts still synthesize.
import { Chart, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import { CanaryIngress, CanaryRouting, Delivery, DeliveryAnalysis } from '../../lib/delivery';
import * as m from '../../lib/delivery/mesh';
import * as r from '../../lib/delivery/rollouts';
import { Microservice } from '../../lib/workloads';
import { ExternalObject } from '../../lib/delivery';
import { LABELS, POD, surroundings } from './fixtures';
import { expectEager, expectRule, synthError } from './rules';

const route = (host: string, extra: Partial<m.Destination> = {}): m.RouteDestination => ({ destination: { host, ...extra } });

function vs(props: m.VirtualServiceProps) {
  const chart = Testing.chart();
  surroundings(chart, ['web', 'web.shop.svc.cluster.local', 'db', 'shop.example.com']);
  ExternalObject.gateway(chart, 'Public', 'istio-system/public');
  ExternalObject.gateway(chart, 'Gw', 'gw');
  new m.VirtualService(chart, 'Vs', { hosts: ['web'], http: [{ route: [route('web')] }], ...props });
  return chart;
}

describe('istiod VirtualService parity', () => {
  test('rule istio-virtual-service-hosts: "wildcard host * is not allowed for virtual services bound to the mesh gateway"', () => {
    expectRule(vs({ hosts: ['*'] }), 'istio-virtual-service-hosts', 'test/Vs', 'wildcard host * is not allowed for virtual services bound to the mesh gateway');
    expectRule(vs({ hosts: ['*'], gateways: ['mesh', 'istio-system/public'] }), 'istio-virtual-service-hosts', 'test/Vs', 'bound to the mesh gateway');
    // bound to a gateway only, '*' is a valid catch-all host
    expect(synthError(vs({ hosts: ['*'], gateways: ['istio-system/public'] }))).toBe('');
  });

  test('rule istio-virtual-service-hosts: "duplicate hosts in virtual service", literal and wildcard', () => {
    expectRule(vs({ hosts: ['web', 'web'] }), 'istio-virtual-service-hosts', 'test/Vs', 'duplicate hosts in virtual service: web & web');
    expectRule(vs({ hosts: ['*.example.com', 'shop.example.com'], gateways: ['gw'] }), 'istio-virtual-service-hosts', 'test/Vs',
      'duplicate hosts in virtual service: *.example.com & shop.example.com');
    expect(synthError(vs({ hosts: ['web', 'shop.example.com', 'api.example.com'] }))).toBe('');
  });

  test('rule istio-destination: "invalid destination host *", "subset name is invalid", "port number 70000 must be in the range 1..65535"', () => {
    expectRule(vs({ http: [{ route: [route('*')] }] }), 'istio-destination', 'test/Vs', 'http[0].route[0].destination.host "*": invalid destination host *');
    expectRule(vs({ http: [{ route: [route('web', { subset: 'V1_x' })] }] }), 'istio-destination', 'test/Vs', 'subset "V1_x": subset name is invalid: V1_x');
    expectRule(vs({ http: [{ route: [route('web', { port: 70000 })] }] }), 'istio-destination', 'test/Vs', 'port.number 70000: port number 70000 must be in the range 1..65535');
    expectRule(vs({ http: [{ route: [route('web')], mirror: { host: '*' } }] }), 'istio-destination', 'test/Vs', 'http[0].mirror.host "*"');
    expectRule(vs({ tcp: [{ port: 5432, route: [route('db', { port: 0 })] }], http: [] }), 'istio-destination', 'test/Vs', 'tcp[0].route[0].destination.port.number 0');
    expect(synthError(vs({ http: [{ route: [route('web.shop.svc.cluster.local', { subset: 'v1-2', port: 8080 })] }] }))).toBe('');
  });

  test('rule istio-subsets: a DestinationRule subset name must be a DNS-1123 label ("subset name is invalid")', () => {
    const chart = Testing.chart();
    new m.DestinationRule(chart, 'Dr', { host: 'web', subsets: [{ name: 'V1_x', labels: { version: 'v1' } }] });
    expectRule(chart, 'istio-subsets', 'test/Dr', 'subsets[0] "V1_x": subset name is invalid: V1_x');
  });
});

describe('istiod Gateway parity', () => {
  const server = (portName: string, port = 80): m.GatewayServer => ({ port, protocol: m.GatewayProtocol.HTTP, portName, hosts: ['shop.example.com'] });

  test('rule istio-gateway-name: "invalid gateway name" for a name with dots', () => {
    const chart = Testing.chart();
    surroundings(chart);
    new m.Gateway(chart, 'Gw', { name: 'my.gw', servers: [server('http')] });
    expectRule(chart, 'istio-gateway-name', 'test/Gw', 'metadata.name "my.gw": invalid gateway name: "my.gw"');
    const ok = Testing.chart();
    surroundings(ok);
    new m.Gateway(ok, 'Gw', { name: 'my-gw', servers: [server('http')] });
    expect(synthError(ok)).toBe('');
  });

  test('rule istio-gateway-servers: "port names in servers must be unique" also when the numbers are equal', () => {
    const chart = Testing.chart();
    new m.Gateway(chart, 'Gw', { name: 'gw', servers: [server('http'), { ...server('http'), hosts: ['admin.example.com'] }] });
    expectRule(chart, 'istio-gateway-servers', 'test/Gw', 'servers[1] port name "http": port names in servers must be unique: duplicate name http');
    const ok = Testing.chart();
    surroundings(ok);
    new m.Gateway(ok, 'Gw', { name: 'gw', servers: [server('http-shop'), { ...server('http-admin'), hosts: ['admin.example.com'] }] });
    expect(synthError(ok)).toBe('');
  });
});

describe('Argo pod-template parity (ValidateLabelSelector, ValidatePodTemplateSpecForReplicaSet)', () => {
  test('rule kubernetes-labels: label keys and values of the selector and plain-object template are Kubernetes labels', () => {
    const chart = Testing.chart();
    new r.Rollout(chart, 'Web', { template: r.PodTemplate.of({ labels: { 'bad key!': 'web' }, spec: POD }) });
    expectRule(chart, 'kubernetes-labels', 'test/Web', 'spec.selector.matchLabels: Invalid value: "bad key!": name part must consist of alphanumeric characters');
    expectRule(chart, 'kubernetes-labels', 'test/Web', 'spec.template.metadata.labels: Invalid value: "bad key!"');
    const value = Testing.chart();
    new r.Rollout(value, 'Web', { template: r.PodTemplate.of({ labels: { app: 'web app' }, spec: POD }) });
    expectRule(value, 'kubernetes-labels', 'test/Web', 'Invalid value: "web app": a valid label must be an empty string');
    const ok = Testing.chart();
    new r.Rollout(ok, 'Web', { template: r.PodTemplate.of({ labels: { 'app.kubernetes.io/name': 'web', tier: 'Front_end.1' }, spec: POD }) });
    expect(synthError(ok)).toBe('');
  });

  test('rule rollout-pod-template: container names are lowercase RFC 1123 labels (Rollout and Experiment)', () => {
    const chart = Testing.chart();
    new r.Rollout(chart, 'Web', { template: r.PodTemplate.of({ labels: LABELS, spec: { containers: [{ name: 'Upper_Case', image: 'ghcr.io/acme/web:1' }] } }) });
    expectRule(chart, 'rollout-pod-template', 'test/Web', 'spec.template.spec.containers[0].name: Invalid value: "Upper_Case": a lowercase RFC 1123 label');
    const exp = Testing.chart();
    new r.Experiment(exp, 'Exp', { templates: [{ name: 'base', selector: LABELS,
      template: r.PodTemplate.of({ labels: LABELS, spec: { containers: [{ name: 'Upper_Case', image: 'ghcr.io/acme/web:1' }] } }) }] });
    expectRule(exp, 'rollout-pod-template', 'test/Exp', 'spec.templates[0].template.spec.containers[0].name: Invalid value: "Upper_Case"');
  });
});

describe('delivery messages', () => {
  test('rule canary-ingress-bypass: a canary on a Microservice with an nginx Ingress is refused unless routed through the mesh', () => {
    const chart = Testing.chart();
    const web = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1', ingress: { host: 'shop.example.com' } });
    expectEager(() => Delivery.canary(web), 'canary-ingress-bypass', 'test/WebCanary', 'Ingress "web" (class "nginx")', 'bypasses the VirtualService weights', 'CanaryIngress.throughMesh()');
  });

  test('CanaryIngress.throughMesh() writes the ingress-nginx upstream annotations so the sidecar applies the weights', () => {
    const app = Testing.app();
    const chart = new (require('cdk8s').Chart)(app, 'shop', { namespace: 'shop' });
    const web = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1', ingress: { host: 'shop.example.com' } });
    Delivery.canary(web, { ingress: CanaryIngress.throughMesh() });
    const ing = Testing.synth(chart).find((d) => d.kind === 'Ingress');
    expect(ing.metadata.annotations).toEqual(expect.objectContaining({
      'nginx.ingress.kubernetes.io/service-upstream': 'true',
      'nginx.ingress.kubernetes.io/upstream-vhost': 'web.shop.svc.cluster.local',
    }));
    const nons = Testing.chart();
    const w2 = new Microservice(nons, 'Web', { image: 'ghcr.io/acme/web:1', ingress: { host: 'shop.example.com' } });
    expectEager(() => Delivery.canary(w2, { ingress: CanaryIngress.throughMesh() }), 'canary-ingress-bypass', 'test/WebCanary', 'its chart sets none');
  });

  test('a pause with a negative duration is refused by the Rollout that takes it, with its path (Duration rule duration-range)', () => {
    const chart = new Chart(Testing.app(), 'shop');
    const step = r.CanaryStep.pause(Duration.seconds(-30));
    expect(() => new r.Rollout(chart, 'web', { strategy: r.RolloutStrategy.canary({ steps: [step] }) }))
      .toThrow(/^\[shop\/web\] duration -30s is not a whole, non-negative number of milliseconds \(rule: duration-range\)/);
    const rollout = new r.Rollout(chart, 'api');
    expect(() => rollout.addStep(step)).toThrow(/^\[shop\/api\] duration -30s/);
  });
});

describe('the canary measures the canary', () => {
  test('in subset mode, where stable and canary share the Service name, every generated query also selects the new pod-template hash', () => {
    const chart = Testing.chart();
    Delivery.canary(new Microservice(chart, 'Checkout', { image: 'ghcr.io/acme/checkout:5' }), { routing: CanaryRouting.bySubsets(), backgroundAnalysis: true });
    const docs = Testing.synth(chart);
    const rollout = docs.find((d) => d.kind === 'Rollout').spec.strategy.canary;
    const hash = { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } };
    for (const a of [...rollout.steps.filter((s: any) => s.analysis).map((s: any) => s.analysis), rollout.analysis]) {
      expect(a.args).toEqual([{ name: 'service-name', value: 'checkout' }, hash]);
    }
    const query: string = docs.find((d) => d.kind === 'AnalysisTemplate').spec.metrics[0].provider.prometheus.query;
    expect(query.match(/rollouts_pod_template_hash="\{\{args.canary-hash\}\}"/g)).toHaveLength(2);
    expect(query).not.toContain('reporter="source"');
  });

  test('rule delivery-analysis-label: the pod-template-hash label must be a Prometheus label name', () => {
    const bad = Testing.chart();
    expectEager(() => Delivery.canary(new Microservice(bad, 'Web', { image: 'ghcr.io/acme/web:1' }), { analysis: DeliveryAnalysis.successRate({ podTemplateHashLabel: 'pod-template-hash' }) }),
      'delivery-analysis-label', 'test/WebCanary', 'podTemplateHashLabel "pod-template-hash" is not a Prometheus label name');
    const chart = Testing.chart();
    Delivery.canary(new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' }), { analysis: DeliveryAnalysis.successRate({ podTemplateHashLabel: 'label_rollouts_pod_template_hash' }) });
    expect(Testing.synth(chart).find((d) => d.kind === 'AnalysisTemplate').spec.metrics[0].provider.prometheus.query).toContain('label_rollouts_pod_template_hash="{{args.canary-hash}}"');
  });
});
