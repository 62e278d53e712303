// Knative Eventing: Broker, Trigger with filters, PingSource, ApiServerSource, SinkBinding, ContainerSource, with a
// Knative Service as sink. Typed → expected YAML → our strict structural schemas (upstream CRDs not vendored yet)
// and kubernetes-models / the Serving CRD for the rest.
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import * as s from '../../lib/delivery/serverless';
import { expectValid } from './check';
import { eventingErrors, isEventing } from './eventing-schemas';
import { expectRule, synthError } from './rules';

function expectAllValid(docs: any[]): void {
  const problems = docs.filter(isEventing).flatMap((d) => eventingErrors(d).map((e) => `${d.kind} ${d.metadata?.name}: ${e}`));
  expect(problems).toEqual([]);
  expectValid(docs.filter((d) => !isEventing(d)));
}

function app(): { chart: Chart; fn: s.KnativeService; broker: s.Broker } {
  const chart = new Chart(Testing.app(), 'events', { namespace: 'events' });
  const fn = new s.KnativeService(chart, 'Fn', { name: 'audit', container: { image: 'ghcr.io/acme/audit:1' } });
  const broker = new s.Broker(chart, 'Broker', { delivery: { retry: 3, backoffPolicy: 'exponential', backoffDelay: Duration.millis(500), deadLetterSink: s.Sink.knativeService(fn) } });
  return { chart, fn, broker };
}

describe('Knative Eventing', () => {
  test('a Broker, a filtered Trigger to a ksvc, and every source kind into the Broker', () => {
    const { chart, fn, broker } = app();
    new s.Trigger(chart, 'Orders', { name: 'orders-created', broker, filter: { type: 'com.acme.order.created', source: 'orders' }, subscriber: s.Sink.knativeService(fn) });
    new s.PingSource(chart, 'Tick', { name: 'nightly', schedule: '0 3 * * *', timezone: 'Europe/Berlin', contentType: 'application/json', data: '{"job":"report"}', sink: s.Sink.broker(broker) });
    new s.ApiServerSource(chart, 'K8s', { name: 'k8s-events', serviceAccountName: 'events-reader', resources: [{ apiVersion: 'v1', kind: 'Event' }, { apiVersion: 'apps/v1', kind: 'Deployment', labels: { team: 'shop' } }], sink: s.Sink.broker(broker) });
    new ApiObject(chart, 'Publisher', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'publisher' },
      spec: { selector: { matchLabels: { app: 'publisher' } }, template: { metadata: { labels: { app: 'publisher' } }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/publisher:1' }] } } } });
    new s.SinkBinding(chart, 'Bind', { name: 'publisher', subject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'publisher' }, sink: s.Sink.broker(broker) });
    new s.ContainerSource(chart, 'Heartbeat', { name: 'heartbeat', spec: { containers: [{ name: 'beat', image: 'ghcr.io/acme/heartbeat:1', args: ['--period=10'] }] }, sink: s.Sink.uri('https://collector.example.com/events') });
    const docs = Testing.synth(chart);
    const find = (kind: string) => docs.find((d) => d.kind === kind);
    expect(find('Broker')).toEqual({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'default', namespace: 'events' }, spec: {
      delivery: { deadLetterSink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'audit' } }, retry: 3, backoffPolicy: 'exponential', backoffDelay: 'PT0.5S' } } });
    expect(find('Trigger').spec).toEqual({ broker: 'default', filter: { attributes: { type: 'com.acme.order.created', source: 'orders' } },
      subscriber: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'audit' } } });
    expect(find('PingSource').spec).toEqual({ schedule: '0 3 * * *', timezone: 'Europe/Berlin', contentType: 'application/json', data: '{"job":"report"}',
      sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } } });
    expect(find('ApiServerSource').spec).toEqual({ mode: 'Reference', serviceAccountName: 'events-reader',
      resources: [{ apiVersion: 'v1', kind: 'Event' }, { apiVersion: 'apps/v1', kind: 'Deployment', selector: { matchLabels: { team: 'shop' } } }],
      sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'default' } } });
    expect(find('ContainerSource').spec.template.spec.containers[0].securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, allowPrivilegeEscalation: false }));
    expect(synthError(chart)).toBe('');
    expectAllValid(docs);
  });

  test('the structural schemas bite: an unknown field is refused', () => {
    expect(eventingErrors({ apiVersion: 'eventing.knative.dev/v1', kind: 'Trigger', metadata: { name: 't' }, spec: { broker: 'b', subscriber: { uri: 'http://x' }, filters2: [] } }).join()).toMatch(/filters2/);
  });

  test('rule knative-trigger: "Invalid attribute name", a subscriber ref or uri', () => {
    const { chart, broker } = app();
    new s.Trigger(chart, 'T', { broker, filter: { 'Event-Type': 'x' }, subscriber: s.Sink.uri('/relative') });
    expectRule(chart, 'knative-trigger', 'events/T', 'Invalid attribute name: "Event-Type"');
    expectRule(chart, 'knative-trigger', 'events/T', 'spec.subscriber.uri "/relative": invalid value: relative URI is not allowed');
  });

  test('rule knative-broker: retries are not negative', () => {
    const chart = new Chart(Testing.app(), 'events', { namespace: 'events' });
    new s.Broker(chart, 'B', { delivery: { retry: -1 } });
    expectRule(chart, 'knative-broker', 'events/B', 'spec.delivery.retry -1: invalid value: must be >= 0');
  });

  test('rule knative-ping-source: a five-field cron schedule, one of data and dataBase64', () => {
    const { chart, broker } = app();
    new s.PingSource(chart, 'P', { schedule: 'every day', sink: s.Sink.broker(broker) });
    expectRule(chart, 'knative-ping-source', 'events/P', 'spec.schedule "every day": invalid value: expected exactly 5 fields');
  });

  test('rule knative-api-server-source: resources to watch', () => {
    const { chart, broker } = app();
    new s.ApiServerSource(chart, 'A', { resources: [], serviceAccountName: 'reader', sink: s.Sink.broker(broker) });
    expectRule(chart, 'knative-api-server-source', 'events/A', 'missing field(s): spec.resources');
  });

  test('rule knative-sink-binding: a subject by name', () => {
    const { chart, broker } = app();
    new s.SinkBinding(chart, 'B', { subject: { apiVersion: 'apps/v1', kind: 'Deployment', name: '' }, sink: s.Sink.broker(broker) });
    expectRule(chart, 'knative-sink-binding', 'events/B', 'spec.subject: missing field(s)');
  });

  test('rule knative-container-source: containers with images', () => {
    const { chart } = app();
    new s.ContainerSource(chart, 'C', { spec: { containers: [{ name: 'x' }] }, sink: s.Sink.uri('https://collector.example.com') });
    expectRule(chart, 'knative-container-source', 'events/C', 'spec.template.spec.containers[0]: missing field(s): image');
  });

  test('rule reference-sink: Triggers name a Broker of the app, sinks an addressable of the app', () => {
    const { chart, fn } = app();
    new s.Trigger(chart, 'T', { broker: { name: 'defualt' }, subscriber: s.Sink.knativeService({ name: 'audti' }) });
    expectRule(chart, 'reference-sink', 'events/T', 'spec.broker: Broker "defualt" is not in the app', '(did you mean "default"?)');
    expectRule(chart, 'reference-sink', 'events/T', 'spec.subscriber.ref: Service "audti" is not in the app');
    expect(fn.name).toBe('audit');
  });
});
