/**
 * Test support for the Tekton layer: every synthesized document goes through the independent checkers of
 * slipway/testing (kubernetes-models for core kinds, strict CRD schemas for tekton.dev kinds and their inline specs,
 * slipway's own strict schemas for Triggers and CustomRun, whose CRDs carry none, merged step security contexts),
 * and rule assertions.
 */
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps } from '../../lib/core';
import { formatProblems } from '../../lib/testing/problem';
import { mergedSecurityProblems as merged, strategicMerge } from '../../lib/testing/tekton';
import { validateDocuments } from '../../lib/testing/validate';
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


export { strategicMerge };

/** Problems of every step's merged security context and every sidecar's, as text. */
export function mergedSecurityProblems(d: any): string[] {
  return merged(d, `${d?.kind} ${d?.metadata?.name ?? ''}`).map((p) => `${p.path}: ${p.message}`);
}

/** Errors of a Triggers document against slipway's strict structural schema. */
export function triggerErrors(d: any): string[] {
  return validateDocuments([d]).map((p) => `${p.path} ${p.message}`);
}

const isTriggers = (d: any) => String(d?.apiVersion).startsWith('triggers.tekton.dev/');
const isCore = (d: any) => d.apiVersion === 'v1' || String(d.apiVersion).includes('.k8s.io/');

/** Runs every independent checker over `docs`; returns how many documents of each checker were checked. */
export function expectTektonDocsValid(docs: any[]): { core: number; crd: number; triggers: number; inline: number } {
  const problems = validateDocuments(docs);
  if (problems.length) throw new Error(`invalid documents:\n${formatProblems(problems)}`);
  const triggers = docs.filter(isTriggers);
  const embedded = triggers.filter((d) => d.kind === 'TriggerTemplate').flatMap((d) => d.spec.resourcetemplates ?? []);
  const crd = [...docs.filter((d) => !isCore(d) && !isTriggers(d)), ...embedded];
  const inline = crd.filter((d) => d.spec?.pipelineSpec || d.spec?.taskSpec
    || [...(d.spec?.tasks ?? []), ...(d.spec?.finally ?? [])].some((t: any) => t.taskSpec)).length;
  return { core: docs.filter(isCore).length, crd: crd.length, triggers: triggers.length, inline };
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
  let attached = false;
  try {
    const value = fn();
    // A value factory keeps its refusal until the value reaches a construct: give it to one, as a user would.
    if (value !== null && typeof value === 'object' && !Construct.isConstruct(value)) {
      attached = true;
      assertProps(new Construct(newChart(), 'user'), { value });
    }
  } catch (e) {
    message = (e as Error).message;
  }
  if (message === undefined) throw new Error(`expected rule ${rule} to fire, but nothing was thrown`);
  expect(message).toContain(`(rule: ${rule})`);
  expect(message).toContain('fix: ');
  if (attached) expect(message).toMatch(/^\[test\/user\] /);
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
