import { Schema } from './schemas';

/*
 * Strict structural schemas slipway writes itself for the kinds whose upstream CRDs carry no schema: the Tekton
 * Triggers kinds (field names from the Triggers API reference, pkg/apis/triggers/v1beta1 and v1alpha1) and
 * Tekton's CustomRun (CustomRunSpec). Unknown fields are errors, as in the upstream schemas made strict.
 */
const TRIGGERS = 'triggers.tekton.dev/v1beta1';
const TRIGGERS_ALPHA = 'triggers.tekton.dev/v1alpha1';
const param = { type: 'object', required: ['name'], additionalProperties: false,
  properties: { name: { type: 'string' }, description: { type: 'string' }, default: { type: 'string' }, value: {} } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const meta = { type: 'object', additionalProperties: false, required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }, namespace: { type: 'string' }, labels: stringMap, annotations: stringMap } };
const doc = (kind: string, spec: object, apiVersion = TRIGGERS) => ({
  type: 'object', additionalProperties: false, required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: { apiVersion: { const: apiVersion }, kind: { const: kind }, metadata: meta, spec },
});
// Field names from the Triggers API reference (pkg/apis/triggers/v1beta1 and v1alpha1 types).
const interceptor = { type: 'object', additionalProperties: false, properties: {
  name: { type: 'string' },
  ref: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' }, kind: { enum: ['ClusterInterceptor', 'NamespacedInterceptor'] }, apiVersion: { type: 'string' } } },
  params: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'value'], properties: { name: { type: 'string' }, value: {} } } },
  webhook: { type: 'object', additionalProperties: false, properties: {
    objectRef: { type: 'object', additionalProperties: false, required: ['kind', 'name'], properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' } } },
    url: { type: 'string' },
    header: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'array', items: { type: 'string' } } } } },
  } },
}, oneOf: [{ required: ['ref'] }, { required: ['webhook'] }] };
const binding = { type: 'object', additionalProperties: false, properties: { ref: { type: 'string' }, kind: { enum: ['TriggerBinding', 'ClusterTriggerBinding'] }, name: { type: 'string' }, value: { type: 'string' } },
  oneOf: [{ required: ['ref'] }, { required: ['name', 'value'] }] };
const triggerSpecProps = {
  serviceAccountName: { type: 'string' },
  interceptors: { type: 'array', items: interceptor },
  bindings: { type: 'array', items: binding },
  template: { type: 'object', additionalProperties: false, required: ['ref'], properties: { ref: { type: 'string' } } },
};
const labelSelector = { type: 'object', additionalProperties: false, properties: { matchLabels: stringMap,
  matchExpressions: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['key', 'operator'], properties: { key: { type: 'string' }, operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: { type: 'array', items: { type: 'string' } } } } } } };
const namespaceSelector = { type: 'object', additionalProperties: false, properties: { matchNames: { type: 'array', items: { type: 'string' } } } };
const interceptorSpec = { type: 'object', additionalProperties: false, required: ['clientConfig'], properties: { clientConfig: {
  type: 'object', additionalProperties: false, properties: {
    caBundle: { type: 'string' }, url: { type: 'string' },
    service: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' }, namespace: { type: 'string' }, path: { type: 'string' }, port: { type: 'integer' } } },
  }, oneOf: [{ required: ['service'] }, { required: ['url'] }] } } };
/**
 * Structural schemas of the Triggers kinds we emit (tektoncd/triggers `pkg/apis/triggers/v1beta1` field names),
 * strict like the CRD checks: unknown fields are errors.
 */
const TRIGGER_SCHEMAS: Record<string, Schema> = {
  TriggerTemplate: doc('TriggerTemplate', {
    type: 'object', additionalProperties: false, required: ['resourcetemplates'],
    properties: { params: { type: 'array', items: param },
      resourcetemplates: { type: 'array', minItems: 1, items: { type: 'object', required: ['apiVersion', 'kind', 'metadata'] } } },
  }),
  TriggerBinding: doc('TriggerBinding', {
    type: 'object', additionalProperties: false,
    properties: { params: { type: 'array', items: { ...param, required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } } } },
  }),
  ClusterTriggerBinding: doc('ClusterTriggerBinding', {
    type: 'object', additionalProperties: false,
    properties: { params: { type: 'array', items: { ...param, required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } } } },
  }),
  EventListener: doc('EventListener', {
    type: 'object', additionalProperties: false,
    properties: {
      serviceAccountName: { type: 'string' },
      namespaceSelector,
      labelSelector,
      resources: { type: 'object', additionalProperties: false, properties: { kubernetesResource: { type: 'object', additionalProperties: false,
        properties: { serviceType: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, replicas: { type: 'integer', minimum: 0 }, servicePort: { type: 'integer' },
          spec: { type: 'object', additionalProperties: false, properties: { template: { type: 'object', additionalProperties: false, properties: {
            metadata: { type: 'object', additionalProperties: false, properties: { labels: stringMap, annotations: stringMap } },
            spec: { type: 'object', additionalProperties: false, properties: {
              nodeSelector: stringMap, tolerations: { type: 'array' }, affinity: { type: 'object' }, topologySpreadConstraints: { type: 'array' },
              serviceAccountName: { type: 'string' },
              containers: { type: 'array', maxItems: 1, items: { type: 'object', additionalProperties: false, properties: { resources: { type: 'object' }, env: { type: 'array' } } } },
            } },
          } } } } } } } },
      triggers: { type: 'array', items: {
        type: 'object', additionalProperties: false,
        properties: { name: { type: 'string' }, triggerRef: { type: 'string' }, ...triggerSpecProps },
        oneOf: [{ required: ['triggerRef'] }, { required: ['template'] }],
      } },
      triggerGroups: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'interceptors', 'triggerSelector'], properties: {
        name: { type: 'string' }, interceptors: { type: 'array', items: interceptor },
        triggerSelector: { type: 'object', additionalProperties: false, properties: { namespaceSelector, labelSelector } },
      } } },
    },
  }),
  Trigger: doc('Trigger', { type: 'object', additionalProperties: false, required: ['template'], properties: { name: { type: 'string' }, ...triggerSpecProps } }),
  ClusterInterceptor: doc('ClusterInterceptor', interceptorSpec, TRIGGERS_ALPHA),
  Interceptor: doc('Interceptor', interceptorSpec, TRIGGERS_ALPHA),
};
/**
 * `CustomRun` (tekton.dev/v1beta1) has no CRD schema in the vendored set: a structural schema from the Tekton
 * API reference (CustomRunSpec), strict like the others.
 */
const CUSTOM_RUN = {
  type: 'object', additionalProperties: false, required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'tekton.dev/v1beta1' }, kind: { const: 'CustomRun' },
    metadata: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, generateName: { type: 'string' }, namespace: { type: 'string' }, labels: stringMap, annotations: stringMap } },
    spec: { type: 'object', additionalProperties: false, properties: {
      customRef: { type: 'object', additionalProperties: false, required: ['apiVersion', 'kind'], properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } } },
      customSpec: { type: 'object', additionalProperties: false, required: ['apiVersion', 'kind'], properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object' } } },
      params: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'value'], properties: { name: { type: 'string' }, value: {} } } },
      workspaces: { type: 'array' }, serviceAccountName: { type: 'string' }, timeout: { type: 'string' }, retries: { type: 'integer' },
      status: { type: 'string' }, statusMessage: { type: 'string' },
    }, oneOf: [{ required: ['customRef'] }, { required: ['customSpec'] }] },
  },
};

/** The authored schemas, keyed `apiVersion/kind` like the vendored ones. */
export const AUTHORED_SCHEMAS: ReadonlyMap<string, Schema> = new Map<string, Schema>([
  ...Object.entries(TRIGGER_SCHEMAS).map(([kind, s]): [string, Schema] => [`${s.properties.apiVersion.const}/${kind}`, s]),
  ['tekton.dev/v1beta1/CustomRun', CUSTOM_RUN],
]);
