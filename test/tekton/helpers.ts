/**
 * Test support for the Tekton layer: every synthesized document goes through the independent checkers
 * (kubernetes-models for core kinds, strict CRD schemas for tekton.dev kinds and their inline specs, and a
 * structural schema of our own for Triggers, whose CRDs carry no schema), and rule assertions.
 */
import Ajv from 'ajv';
import { Chart, Testing } from 'cdk8s';
import { crdErrors, hasCrdSchema } from '../support/crds';

/** Asserts every Tekton document validates against its strict CRD schema (a kind without a schema fails). */
export function expectCrdValid(docs: any[]): void {
  const problems = docs.flatMap((d) => {
    const id = `${d?.apiVersion} ${d?.kind} ${d?.metadata?.name ?? d?.metadata?.generateName ?? ''}`;
    if (!hasCrdSchema(d?.apiVersion, d?.kind)) return [`${id}: no CRD schema`];
    return crdErrors(d.apiVersion, d.kind, d).map((e) => `${id}: ${e}`);
  });
  if (problems.length > 0) throw new Error(`CRD schema validation failed:\n  ${problems.join('\n  ')}`);
}

/** A fresh chart in a fresh app. */
export function newChart(): Chart {
  return new Chart(Testing.app(), 'test');
}

const TRIGGERS = 'triggers.tekton.dev/v1beta1';
const TRIGGERS_ALPHA = 'triggers.tekton.dev/v1alpha1';
const isTriggers = (d: any) => String(d?.apiVersion).startsWith('triggers.tekton.dev/');
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
const TRIGGER_SCHEMAS: Record<string, object> = {
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
const ajv = new Ajv({ strict: false, allErrors: true });
const triggerValidators = Object.fromEntries(Object.entries(TRIGGER_SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));
const customRunValidator = ajv.compile(CUSTOM_RUN);
const isCustomRun = (d: any) => d?.apiVersion === 'tekton.dev/v1beta1' && d?.kind === 'CustomRun';

/** Errors of a CustomRun against its structural schema. */
export function customRunErrors(d: any): string[] {
  if (customRunValidator(d)) return [];
  return (customRunValidator.errors ?? []).map((e) => `CustomRun ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Errors of a Triggers document against our structural schema. */
export function triggerErrors(d: any): string[] {
  const validate = triggerValidators[d?.kind];
  if (!validate) return [`no structural schema for ${d?.kind}`];
  if (validate(d)) return [];
  return (validate.errors ?? []).map((e) => `${d.kind} ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Inline specs (taskSpec, pipelineSpec) inside a Tekton document, with the schema each must satisfy. */
function inlineSpecErrors(d: any): string[] {
  const out: string[] = [];
  const task = (spec: any, where: string) => {
    // A pipeline task's embedded task is a TaskSpec plus `metadata` (labels and annotations only).
    const { metadata, ...taskSpec } = spec;
    if (metadata !== undefined && (Object.keys(metadata).some((k) => k !== 'labels' && k !== 'annotations') || !where.includes(' task '))) {
      out.push(`${where} taskSpec: metadata ${JSON.stringify(metadata)} is not allowed here`);
    }
    for (const e of crdErrors('tekton.dev/v1', 'Task', taskSpec, ['properties', 'spec'])) out.push(`${where} taskSpec: ${e}`);
  };
  const pipeline = (spec: any, where: string): void => {
    for (const e of crdErrors('tekton.dev/v1', 'Pipeline', spec, ['properties', 'spec'])) out.push(`${where} pipelineSpec: ${e}`);
    for (const t of [...(spec.tasks ?? []), ...(spec.finally ?? [])]) {
      if (t.taskSpec) task(t.taskSpec, `${where} task ${t.name}`);
      if (t.pipelineSpec) pipeline(t.pipelineSpec, `${where} task ${t.name}`);
    }
  };
  const name = d.metadata?.name ?? d.metadata?.generateName;
  if (d.kind === 'Pipeline') pipeline(d.spec, `Pipeline ${name}`);
  if (d.kind === 'PipelineRun' && d.spec.pipelineSpec) pipeline(d.spec.pipelineSpec, `PipelineRun ${name}`);
  if (d.kind === 'TaskRun' && d.spec.taskSpec) task(d.spec.taskSpec, `TaskRun ${name}`);
  return out;
}

/**
 * Tekton's strategic merge of `stepTemplate` into each step, done here on the JSON independently of the library:
 * maps merge key by key, lists and scalars of the step replace the template's.
 */
export function strategicMerge(template: any, step: any): any {
  if (step === undefined) return template;
  if (template === undefined || typeof template !== 'object' || Array.isArray(template) || typeof step !== 'object' || Array.isArray(step)) return step;
  const out: any = { ...template };
  for (const [k, v] of Object.entries(step)) out[k] = strategicMerge(template[k], v);
  return out;
}

/** What Kubernetes API validation or the kubelet refuses in one container's effective security context. */
export function securityContextProblems(sc: any, podSc: any = {}): string[] {
  const out: string[] = [];
  if (!sc) return out;
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) out.push('privileged with allowPrivilegeEscalation: false (API validation)');
  const add: string[] = sc.capabilities?.add ?? [];
  if (sc.allowPrivilegeEscalation === false && add.some((c) => /^(CAP_)?SYS_ADMIN$/.test(c))) out.push('CAP_SYS_ADMIN with allowPrivilegeEscalation: false (API validation)');
  const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
  const user = sc.runAsUser ?? podSc.runAsUser;
  if (nonRoot === true && user === 0) out.push('runAsUser 0 under runAsNonRoot: true (kubelet)');
  return out;
}

/** Every task spec in a Tekton document, with the pod security context of the run that carries it. */
function taskSpecsOf(d: any): Array<{ where: string; spec: any; pod: any }> {
  const out: Array<{ where: string; spec: any; pod: any }> = [];
  const name = d.metadata?.name ?? d.metadata?.generateName;
  const pipeline = (spec: any, where: string, pod: any): void => {
    for (const t of [...(spec?.tasks ?? []), ...(spec?.finally ?? [])]) {
      if (t.taskSpec) out.push({ where: `${where} task ${t.name}`, spec: t.taskSpec, pod });
      if (t.pipelineSpec) pipeline(t.pipelineSpec, `${where} task ${t.name}`, pod);
    }
  };
  if (d.kind === 'Task') out.push({ where: `Task ${name}`, spec: d.spec, pod: {} });
  if (d.kind === 'TaskRun' && d.spec.taskSpec) out.push({ where: `TaskRun ${name}`, spec: d.spec.taskSpec, pod: d.spec.podTemplate?.securityContext });
  if (d.kind === 'Pipeline') pipeline(d.spec, `Pipeline ${name}`, {});
  if (d.kind === 'PipelineRun') pipeline(d.spec.pipelineSpec, `PipelineRun ${name}`, d.spec.taskRunTemplate?.podTemplate?.securityContext);
  return out;
}

/** Problems of every step's merged security context (template ⊕ step, over the run's pod context) and every sidecar's. */
export function mergedSecurityProblems(d: any): string[] {
  return taskSpecsOf(d).flatMap(({ where, spec, pod }) => [
    ...(spec.steps ?? []).flatMap((s: any, i: number) => securityContextProblems(strategicMerge(spec.stepTemplate?.securityContext, s.securityContext), pod ?? {})
      .map((p) => `${where} step ${s.name ?? i}: ${p}`)),
    ...(spec.sidecars ?? []).flatMap((s: any) => securityContextProblems(s.securityContext, pod ?? {}).map((p) => `${where} sidecar ${s.name}: ${p}`)),
  ]);
}

/** Runs every independent checker over `docs`; returns how many documents of each checker were checked. */
export function expectTektonDocsValid(docs: any[]): { core: number; crd: number; triggers: number; inline: number } {
  // Loaded on demand: kubernetes-models is large and most Tekton tests emit no core documents.
  const isCoreKubernetes = (d: any) => d.apiVersion === 'v1' || String(d.apiVersion).includes('.k8s.io/');
  const { expectK8sValid } = require('../support/k8s-models') as typeof import('../support/k8s-models');
  const core = docs.filter(isCoreKubernetes);
  const triggers = docs.filter(isTriggers);
  const embedded = triggers.filter((d) => d.kind === 'TriggerTemplate').flatMap((d) => d.spec.resourcetemplates ?? []);
  const all = [...docs.filter((d) => !isCoreKubernetes(d) && !isTriggers(d)), ...embedded];
  const customRuns = all.filter(isCustomRun);
  const crd = all.filter((d) => !isCustomRun(d));
  if (core.length) expectK8sValid(core);
  if (crd.length) expectCrdValid(crd);
  const problems = [...triggers.flatMap(triggerErrors), ...customRuns.flatMap(customRunErrors), ...crd.flatMap(inlineSpecErrors),
    ...crd.flatMap(mergedSecurityProblems)];
  if (problems.length) throw new Error(`invalid documents:\n  ${problems.join('\n  ')}`);
  const inline = crd.filter((d) => d.spec?.pipelineSpec || d.spec?.taskSpec
    || [...(d.spec?.tasks ?? []), ...(d.spec?.finally ?? [])].some((t: any) => t.taskSpec)).length;
  return { core: core.length, crd: crd.length, triggers: triggers.length, inline };
}

/** Synthesizes `chart` and checks every document. */
export function synth(chart: Chart): any[] {
  const docs = Testing.synth(chart);
  expectTektonDocsValid(docs);
  return docs;
}

/** Asserts `fn` throws a slipway error for `rule`; returns the message. */
export function expectRule(rule: string, fn: () => unknown): string {
  let message: string | undefined;
  try {
    fn();
  } catch (e) {
    message = (e as Error).message;
  }
  if (message === undefined) throw new Error(`expected rule ${rule} to fire, but nothing was thrown`);
  expect(message).toContain(`(rule: ${rule})`);
  expect(message).toContain('fix: ');
  return message;
}

/** Asserts synthesizing `chart` reports `rule` (a synth-time check); returns the message. */
export function expectSynthRule(rule: string, chart: Chart): string {
  return expectRule(rule, () => Testing.synth(chart));
}

/** The first document of `kind`. */
export function find(docs: any[], kind: string, name?: string): any {
  const d = docs.find((x) => x.kind === kind && (name === undefined || x.metadata?.name === name));
  if (!d) throw new Error(`no ${kind} ${name ?? ''} in output`);
  return d;
}
