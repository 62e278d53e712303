/**
 * The shared value rules (lib/core/values.ts) as the delivery constructs apply them: refused where the value is given,
 * with the construct path, the value as written and the fix; value factories' refusals named by the construct that
 * takes them; construct ids checked before `constructs` sees them. Real forms stay accepted.
 */
import { Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import { Delivery, DeliveryAnalysis, ExternalObject } from '../../lib/delivery';
import * as m from '../../lib/delivery/mesh';
import * as r from '../../lib/delivery/rollouts';
import * as s from '../../lib/delivery/serverless';
import { Microservice } from '../../lib/workloads';
import { surroundings } from './fixtures';
import { expectEager, synthError } from './rules';

const POD = { containers: [{ name: 'app', image: 'ghcr.io/acme/web:1.0.0', ports: [{ containerPort: 8080 }] }] };
const route = (extra: Partial<m.HttpRoute> = {}, weight = 100): m.HttpRoute => ({ name: 'primary', route: [{ destination: { host: 'web' }, weight }], ...extra });
const vs = (props: m.VirtualServiceProps) => () => new m.VirtualService(Testing.chart(), 'Vs', { hosts: ['web'], http: [route()], ...props });
const rollout = (props: r.RolloutProps) => () => new r.Rollout(Testing.chart(), 'Web', { template: r.PodTemplate.of({ labels: { app: 'web' }, spec: POD }), ...props });
const ksvc = (props: s.KnativeServiceProps) => () => new s.KnativeService(Testing.chart(), 'Fn', { name: 'fn', container: { image: 'ghcr.io/acme/fn:1' }, ...props });

describe('shared value rules in the delivery constructs', () => {
  test('rule value-integer: a fraction is refused where Istio, Argo or Knative want an integer (weight 12.5, attempts 2.5, setWeight 12.5)', () => {
    expectEager(vs({ http: [route({}, 12.5)] }), 'value-integer', 'test/Vs', 'http[0] "primary".route[0].weight 12.5 is not a whole number');
    expectEager(vs({ http: [route({ retries: { attempts: 2.5 } })] }), 'value-integer', 'test/Vs', 'retries.attempts 2.5');
    // refused by the step factory, thrown with the path of the Rollout that takes the step, as Delivery.canary does
    expectEager(rollout({ strategy: r.RolloutStrategy.canary({ steps: [r.CanaryStep.setWeight(12.5)] }) }), 'value-integer', 'test/Web', 'setWeight 12.5 is not a whole number');
    const chart = Testing.chart();
    const later = new r.Rollout(chart, 'Web', { template: r.PodTemplate.of({ labels: { app: 'web' }, spec: POD }) });
    expectEager(() => later.addStep(r.CanaryStep.setWeight(12.5)), 'value-integer', 'test/Web', 'setWeight 12.5');
    expectEager(ksvc({ containerConcurrency: 1.5 }), 'value-integer', 'test/Fn', 'containerConcurrency 1.5');
    expectEager(ksvc({ autoscaling: { maxScale: 2.5 } }), 'value-integer', 'test/Fn', 'autoscaling.maxScale 2.5');
    expectEager(() => new m.DestinationRule(Testing.chart(), 'Dr', { host: 'web', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 0.5 } } }),
      'value-integer', 'test/Dr', 'trafficPolicy.outlierDetection.consecutive5xxErrors 0.5');
  });

  test('rule value-finite: NaN and Infinity are refused and shown as written, never dropped (attempts Infinity wrote retries: {})', () => {
    expectEager(vs({ http: [route({ retries: { attempts: Infinity } })] }), 'value-finite', 'test/Vs', 'retries.attempts Infinity is not a finite number');
    expectEager(vs({ http: [route({ mirror: { host: 'web' }, mirrorPercentage: NaN })] }), 'value-finite', 'test/Vs', 'mirrorPercentage NaN');
    expectEager(rollout({ replicas: NaN }), 'value-finite', 'test/Web', 'replicas NaN');
    expectEager(ksvc({ autoscaling: { target: Infinity } }), 'value-finite', 'test/Fn', 'autoscaling.target Infinity');
    const ms = new Microservice(Testing.chart(), 'Web', { image: 'ghcr.io/acme/web:1' });
    expectEager(() => Delivery.canary(ms, { analysis: DeliveryAnalysis.successRate({ threshold: NaN }) }), 'value-finite', 'test/WebCanary', 'successRate threshold NaN');
  });

  test('rule value-range: ports 1..65535 and int32 counts where no upstream rule says more', () => {
    expectEager(() => new m.Gateway(Testing.chart(), 'Gw', { servers: [{ port: 0, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['*'] }] }),
      'value-range', 'test/Gw', 'servers[0].port 0 is not a whole number from 1 to 65535');
    expectEager(vs({ http: [route({ match: [{ port: 65536 }] })] }), 'value-range', 'test/Vs', 'match[0].port 65536');
    expectEager(ksvc({ container: { image: 'ghcr.io/acme/fn:1', port: 0 } }), 'value-range', 'test/Fn', 'container port 0');
    expectEager(rollout({ revisionHistoryLimit: 2 ** 31 }), 'rollout-non-negative', 'test/Web', 'revisionHistoryLimit 2147483648 is not a whole number from 0 to 2147483647');
  });

  test('rule dns-1123-subdomain: object names per kind (and a Gateway name keeps istiod\'s own no-dots rule at synth)', () => {
    expectEager(vs({ name: 'Upper_Case' }), 'dns-1123-subdomain', 'test/Vs', 'metadata.name "Upper_Case"');
    expectEager(rollout({ name: 'a'.repeat(254) }), 'dns-1123-subdomain', 'test/Web');
    expectEager(ksvc({ serviceAccountName: 'A b' }), 'dns-1123-subdomain', 'test/Fn', 'serviceAccountName "A b"');
    const ok = Testing.chart();
    surroundings(ok, ['web']);
    new m.VirtualService(ok, 'Vs', { name: 'reviews.v2', hosts: ['reviews'], http: [route()] });
    expect(synthError(ok)).toBe('');
  });

  test('rule label-value: metadata labels on every object and the pod metadata of a strategy', () => {
    expectEager(rollout({ labels: { app: '-lead' } }), 'label-value', 'test/Web', '"app" has value "-lead"');
    expectEager(rollout({ strategy: r.RolloutStrategy.canary({ canaryMetadata: { labels: { role: 'a\nb' } } }) }), 'label-value', 'test/Web', '"a\\nb"');
    expectEager(() => new m.DestinationRule(Testing.chart(), 'Dr', { host: 'web', subsets: [{ name: 'v1', labels: { version: 'x'.repeat(64) } }] }), 'label-value', 'test/Dr');
  });

  test('rule label-key: selector and label keys are qualified names', () => {
    expectEager(() => new m.Gateway(Testing.chart(), 'Gw', { selector: { 'bad key': 'x' } }), 'label-key', 'test/Gw', '"bad key"');
  });

  test('rule image-reference, env-name and resource-quantity: the Knative container as a workload container', () => {
    expectEager(ksvc({ container: { image: ' ghcr.io/acme/fn:1' } }), 'image-reference', 'test/Fn', '" ghcr.io/acme/fn:1"');
    expectEager(ksvc({ container: { image: 'ghcr.io/acme/fn:1', env: { 'A=B': '1' } } }), 'env-name', 'test/Fn', '"A=B"');
    expectEager(ksvc({ container: { image: 'ghcr.io/acme/fn:1', requests: { cpu: '1 Gi' } } }), 'resource-quantity', 'test/Fn', 'container requests.cpu "1 Gi"');
  });

  test('rule istio-host: hosts are short names, FQDNs or wildcards; a Gateway host may name its namespace', () => {
    expectEager(vs({ hosts: ['a b'] }), 'istio-host', 'test/Vs', 'hosts[0] "a b" is not a valid host');
    expectEager(vs({ http: [{ route: [{ destination: { host: 'web\n' } }] }] }), 'istio-host', 'test/Vs', 'route[0].destination.host "web\\n"');
    expectEager(() => new m.Gateway(Testing.chart(), 'Gw', { servers: [{ port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['shop/a..b'] }] }), 'istio-host', 'test/Gw');
    expectEager(() => Delivery.canary(new Microservice(Testing.chart(), 'Web', { image: 'ghcr.io/acme/web:1' }), { hosts: ['shop example.com'] }), 'istio-host', 'test/WebCanary');
    const ok = Testing.chart();
    surroundings(ok, ['web']);
    const gateway = ExternalObject.gateway(ok, 'Public', 'istio-system/public');
    new m.VirtualService(ok, 'Vs', { hosts: ['reviews.prod.svc.cluster.local', '*.example.com'], gateways: [gateway.reference], http: [route()] });
    new m.Gateway(ok, 'Gw', { servers: [{ port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['shop/*.example.com', './www.example.com', '*'] }] });
    expect(synthError(ok)).toBe('');
  });

  test('rule knative-service-name: the Service name is an RFC 1035 label (Knative creates a Kubernetes Service and a host from it)', () => {
    expectEager(ksvc({ name: '0abc' }), 'knative-service-name', 'test/Fn', 'metadata.name "0abc"');
    expectEager(ksvc({ name: 'a.b' }), 'knative-service-name', 'test/Fn');
    const ok = Testing.chart();
    new s.KnativeService(ok, 'Fn', { name: 'hello-2', container: { image: 'ghcr.io/acme/fn:1' } });
    expect(synthError(ok)).toBe('');
  });
});

describe('refusals of value factories name the construct that takes them', () => {
  test('a step, an IntOrPercent, a duration and a strategy are refused with the Rollout path', () => {
    expectEager(rollout({ strategy: r.RolloutStrategy.canary({ steps: [r.CanaryStep.pause(Duration.seconds(-1))] }) }), 'duration-range', 'test/Web', 'duration -1s');
    expectEager(rollout({ strategy: r.RolloutStrategy.canary({ maxSurge: r.IntOrPercent.percent(2.5) }) }), 'value-integer', 'test/Web', 'IntOrPercent.percent 2.5');
    expectEager(rollout({ strategy: r.RolloutStrategy.blueGreen({ activeService: { name: 'web' }, scaleDownDelay: Duration.millis(1500) }) }),
      'duration-whole-seconds', 'test/Web', 'duration 1s500ms is not a whole number of seconds');
    expectEager(rollout({ strategy: r.RolloutStrategy.canary({ steps: [r.CanaryStep.setCanaryScale(r.CanaryScale.replicas(-1))] }) }), 'value-range', 'test/Web', 'setCanaryScale replicas -1');
    expectEager(rollout({ progressDeadline: Duration.millis(1500) }), 'duration-whole-seconds', 'test/Web');
  });

  test('a metric provider, a traffic routing and a metric count are refused with the AnalysisTemplate and Rollout paths', () => {
    const provider = r.MetricProvider.prometheus({ address: 'http://prometheus:9090', query: 'up', timeout: Duration.millis(1500) });
    expectEager(() => new r.AnalysisTemplate(Testing.chart(), 'T', { metrics: [{ name: 'm', provider }] }), 'duration-whole-seconds', 'test/T', 'duration 1s500ms');
    const up = r.MetricProvider.prometheus({ address: 'http://prometheus:9090', query: 'up' });
    expectEager(() => new r.AnalysisTemplate(Testing.chart(), 'T', { metrics: [{ name: 'm', provider: up, count: 2.5 }] }), 'value-integer', 'test/T', 'metrics[0].count 2.5');
    const routing = r.TrafficRouting.istio({ virtualService: { virtualService: { name: 'web' }, tcpRoutes: [{ port: 0 }] } });
    expectEager(rollout({ strategy: r.RolloutStrategy.canary({ canaryService: { name: 'c' }, stableService: { name: 's' }, trafficRouting: routing }) }),
      'value-range', 'test/Web', 'tcpRoutes[0].port 0');
  });

  test('a traffic target and a route timeout are refused with the Knative Service and VirtualService paths', () => {
    expectEager(ksvc({ traffic: [s.TrafficTarget.revision('Fn V1', { percent: 100 })] }), 'dns-1123-subdomain', 'test/Fn', 'traffic revisionName "Fn V1"');
    const chart = Testing.chart();
    const svc = new s.KnativeService(chart, 'Fn', { name: 'fn', container: { image: 'ghcr.io/acme/fn:1' } });
    expectEager(() => svc.addTraffic(s.TrafficTarget.latestRevision({ percent: 12.5 })), 'value-integer', 'test/Fn', 'traffic percent 12.5');
    expectEager(ksvc({ timeout: Duration.seconds(NaN) }), 'duration-range', 'test/Fn', 'duration NaNs');
    expectEager(vs({ http: [route({ timeout: Duration.minutes(-1) })] }), 'duration-range', 'test/Vs', 'duration -1m');
  });
});

describe('construct ids', () => {
  test('rule duplicate-construct-id: a repeated id is a slipway error naming the construct that holds it', () => {
    const chart = Testing.chart();
    new m.VirtualService(chart, 'Vs', { hosts: ['web'], http: [route()] });
    expectEager(() => new m.VirtualService(chart, 'Vs', { hosts: ['web'] }), 'duplicate-construct-id', 'test', 'VirtualService id "Vs" is already used by test/Vs');
  });

  test('rule construct-id-empty: an empty id is a slipway error, not "Only root constructs may have an empty ID"', () => {
    expectEager(() => new r.Rollout(Testing.chart(), ''), 'construct-id-empty', 'test', 'Rollout id is empty');
  });

  test('rule delivery-once: a workload gets one delivery (a second Delivery.canary or Delivery.blueGreen is refused)', () => {
    const chart = Testing.chart();
    const ms = new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' });
    Delivery.canary(ms);
    expectEager(() => Delivery.canary(ms), 'delivery-once', 'test/Web', 'already has a delivery (test/WebCanary)');
    expectEager(() => Delivery.blueGreen(ms), 'delivery-once', 'test/Web', 'Delivery.canary() or Delivery.blueGreen() once per workload');
  });
});
