/**
 * Structural schemas of the Knative Eventing kinds we emit, written from the Knative Eventing API reference
 * (eventing.knative.dev/v1 Broker and Trigger, sources.knative.dev/v1 PingSource, ApiServerSource, SinkBinding,
 * ContainerSource), strict like the API server: unknown fields are refused. The upstream CRDs are not in schemas/
 * yet; once `npm run schemas` vendors them, these documents move to the slipway/testing check.
 */
import Ajv from 'ajv';

const obj = (properties: Record<string, object>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });
const str = { type: 'string' };
const strMap = { type: 'object', additionalProperties: { type: 'string' } };
const kref = obj({ apiVersion: str, kind: str, name: str, namespace: str }, ['apiVersion', 'kind', 'name']);
const destination = obj({ ref: kref, uri: str, CACerts: str, audience: str });
const delivery = obj({ deadLetterSink: destination, retry: { type: 'integer' }, backoffPolicy: { enum: ['exponential', 'linear'] }, backoffDelay: str, timeout: str });
const metadata = { type: 'object' };
const doc = (apiVersion: string, kind: string, spec: object) => obj({ apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, spec }, ['apiVersion', 'kind', 'metadata', 'spec']);
const labelSelector = obj({ matchLabels: strMap, matchExpressions: { type: 'array' } });

const SCHEMAS: Record<string, object> = {
  'eventing.knative.dev/v1/Broker': doc('eventing.knative.dev/v1', 'Broker', obj({ config: kref, delivery })),
  'eventing.knative.dev/v1/Trigger': doc('eventing.knative.dev/v1', 'Trigger', obj({
    broker: str, filter: obj({ attributes: strMap }), filters: { type: 'array' }, subscriber: destination, delivery,
  }, ['broker', 'subscriber'])),
  'sources.knative.dev/v1/PingSource': doc('sources.knative.dev/v1', 'PingSource', obj({
    schedule: str, timezone: str, contentType: str, data: str, dataBase64: str, sink: destination, ceOverrides: { type: 'object' },
  }, ['sink'])),
  'sources.knative.dev/v1/ApiServerSource': doc('sources.knative.dev/v1', 'ApiServerSource', obj({
    resources: { type: 'array', items: obj({ apiVersion: str, kind: str, selector: labelSelector }, ['apiVersion', 'kind']) },
    owner: obj({ apiVersion: str, kind: str }), mode: { enum: ['Reference', 'Resource'] }, serviceAccountName: str, namespaceSelector: labelSelector,
    sink: destination, ceOverrides: { type: 'object' },
  }, ['resources', 'sink'])),
  'sources.knative.dev/v1/SinkBinding': doc('sources.knative.dev/v1', 'SinkBinding', obj({
    subject: obj({ apiVersion: str, kind: str, name: str, namespace: str, selector: labelSelector }, ['apiVersion', 'kind']), sink: destination, ceOverrides: { type: 'object' },
  }, ['subject', 'sink'])),
  'sources.knative.dev/v1/ContainerSource': doc('sources.knative.dev/v1', 'ContainerSource', obj({
    template: obj({ metadata, spec: { type: 'object', required: ['containers'] } }, ['spec']), sink: destination, ceOverrides: { type: 'object' },
  }, ['template', 'sink'])),
};

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = Object.fromEntries(Object.entries(SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));

/** True for the Knative Eventing documents these schemas cover. */
export function isEventing(d: any): boolean {
  return /^(eventing|sources)\.knative\.dev\//.test(d?.apiVersion ?? '');
}

/** Errors of one Eventing document against its structural schema. */
export function eventingErrors(d: any): string[] {
  const validate = validators[`${d.apiVersion}/${d.kind}`];
  if (!validate) return [`no structural schema for ${d.apiVersion} ${d.kind}`];
  return validate(d) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`);
}
