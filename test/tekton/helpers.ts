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
const param = { type: 'object', required: ['name'], additionalProperties: false,
  properties: { name: { type: 'string' }, description: { type: 'string' }, default: { type: 'string' }, value: {} } };
const meta = { type: 'object', additionalProperties: false, required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }, namespace: { type: 'string' }, labels: { type: 'object' } } };
const doc = (kind: string, spec: object) => ({
  type: 'object', additionalProperties: false, required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: { apiVersion: { const: TRIGGERS }, kind: { const: kind }, metadata: meta, spec },
});
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
    type: 'object', additionalProperties: false, required: ['triggers'],
    properties: {
      serviceAccountName: { type: 'string' },
      resources: { type: 'object', additionalProperties: false, properties: { kubernetesResource: { type: 'object', additionalProperties: false,
        properties: { serviceType: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, replicas: { type: 'integer' } } } } },
      triggers: { type: 'array', minItems: 1, items: {
        type: 'object', additionalProperties: false, required: ['name', 'template'],
        properties: {
          name: { type: 'string' },
          interceptors: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['ref'], properties: {
            ref: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { enum: ['github', 'gitlab', 'bitbucket', 'cel', 'slack'] }, kind: { enum: ['ClusterInterceptor', 'NamespacedInterceptor'] } } },
            params: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'value'], properties: { name: { type: 'string' }, value: {} } } },
          } } },
          bindings: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { ref: { type: 'string' }, kind: { enum: ['TriggerBinding', 'ClusterTriggerBinding'] }, name: { type: 'string' }, value: { type: 'string' } } } },
          template: { type: 'object', additionalProperties: false, required: ['ref'], properties: { ref: { type: 'string' } } },
        },
      } },
    },
  }),
};
const ajv = new Ajv({ strict: false, allErrors: true });
const triggerValidators = Object.fromEntries(Object.entries(TRIGGER_SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));

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
    for (const e of crdErrors('tekton.dev/v1', 'Task', spec, ['properties', 'spec'])) out.push(`${where} taskSpec: ${e}`);
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

/** Runs every independent checker over `docs`; returns how many documents of each checker were checked. */
export function expectTektonDocsValid(docs: any[]): { core: number; crd: number; triggers: number; inline: number } {
  // Loaded on demand: kubernetes-models is large and most Tekton tests emit no core documents.
  const isCoreKubernetes = (d: any) => d.apiVersion === 'v1' || String(d.apiVersion).includes('.k8s.io/');
  const { expectK8sValid } = require('../support/k8s-models') as typeof import('../support/k8s-models');
  const core = docs.filter(isCoreKubernetes);
  const triggers = docs.filter((d) => d.apiVersion === TRIGGERS);
  const embedded = triggers.filter((d) => d.kind === 'TriggerTemplate').flatMap((d) => d.spec.resourcetemplates ?? []);
  const crd = [...docs.filter((d) => !isCoreKubernetes(d) && d.apiVersion !== TRIGGERS), ...embedded];
  if (core.length) expectK8sValid(core);
  if (crd.length) expectCrdValid(crd);
  const problems = [...triggers.flatMap(triggerErrors), ...crd.flatMap(inlineSpecErrors)];
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
