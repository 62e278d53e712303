/** Documents → plan (readers) → an in-memory app (execute), with every finding mapped back to its document. */
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Chart, Testing } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as slipway from '../index';
import { withinSynthesis } from '../core/synthesis';
import { OptOutFilter, Statement, evaluate, variablesOf } from './calls';
import { Plan } from './readers/plan';
import { MESH_KINDS, readMesh } from './readers/mesh';
import { ROLLOUT_KINDS, readRollouts } from './readers/rollouts';
import { SERVERLESS_KINDS, readServerless } from './readers/serverless';
import { TEKTON_KINDS, readTekton } from './readers/tekton';
import { V1BETA1_KINDS, upgraded } from './readers/tekton-v1beta1';
import { WORKLOAD_KINDS, readWorkloads } from './readers/workloads';
import type { FieldPath, YamlDocument } from './yaml-source';

let root: Record<string, unknown> | undefined;

/**
 * The API the statements are written against: slipway's public exports plus `cdk8s` (for raw objects). Read on
 * first use, because lib/index.ts also exports this module.
 */
function apiRoot(): Record<string, unknown> {
  root ??= { ...slipway, cdk8s, kplus };
  return root;
}

/** `apiVersion/kind` of a document. */
export function kindOf(d: YamlDocument): string {
  return `${d.value?.apiVersion ?? ''}/${d.value?.kind ?? ''}`;
}

/** True if a reader builds documents of this apiVersion/kind through the typed API. */
export function isModelled(apiVersionKind: string): boolean {
  return TEKTON_KINDS.has(apiVersionKind) || V1BETA1_KINDS.has(apiVersionKind) || MESH_KINDS.has(apiVersionKind) || SERVERLESS_KINDS.has(apiVersionKind)
    || ROLLOUT_KINDS.has(apiVersionKind) || WORKLOAD_KINDS.has(apiVersionKind);
}

/** True for a map with apiVersion and kind (anything else only gets the schema finding that says so). */
function isObjectDocument(d: YamlDocument): boolean {
  const v = d.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';
}

/**
 * Reads all documents given together into one plan (references between them resolve as in one app). `exact`
 * (import) builds raw whatever the typed API would not write as given.
 */
export function readDocuments(given: readonly YamlDocument[], exact = false): Plan {
  // v1beta1 Tasks and Pipelines are read as the v1 documents slipway writes, and the import says so.
  const upgrades = given.map(upgraded);
  const documents = upgrades.map((u) => u.document);
  const plan = new Plan(documents, exact);
  const tekton = new Map<number, string>();
  const mesh: number[] = [];
  const serverless: number[] = [];
  const rollouts: number[] = [];
  const workloads: number[] = [];
  documents.forEach((d, i) => {
    if (TEKTON_KINDS.has(kindOf(d))) tekton.set(i, String(d.value.kind));
    else if (MESH_KINDS.has(kindOf(d))) mesh.push(i);
    else if (SERVERLESS_KINDS.has(kindOf(d))) serverless.push(i);
    else if (ROLLOUT_KINDS.has(kindOf(d))) rollouts.push(i);
    else if (WORKLOAD_KINDS.has(kindOf(d))) workloads.push(i);
    else plan.unknownKinds.push(i);
  });
  readTekton(plan, tekton);
  readMesh(plan, mesh);
  readServerless(plan, serverless);
  readRollouts(plan, rollouts);
  readWorkloads(plan, workloads);
  // Kinds no reader builds still join the app as raw objects, so references to them (a Rollout's Services) resolve.
  for (const i of plan.unknownKinds.filter((n) => isObjectDocument(documents[n]))) plan.addRaw(i, `slipway has no typed construct for ${documents[i].value?.apiVersion}/${documents[i].value?.kind} yet`);
  // A raw document is written as given; a typed one is written as v1.
  upgrades.forEach((u, i) => { if (u.note && !plan.raw.has(i)) plan.notes.push({ kind: 'conversion', text: u.note }); });
  return plan;
}

/** A rule broken while building or validating, at the statement that built the offending object. */
export interface BuildFinding {
  /** Index of the statement. */
  readonly statement: number;
  /** The rule id. */
  readonly rule: string;
  /** The message. */
  readonly message: string;
  /** The fix. */
  readonly fix: string;
  /** `build` if the statement threw, `validate` if a synth-time check of its construct failed. */
  readonly phase: 'build' | 'validate';
}

/** What executing a plan gives. */
export interface BuildResult {
  /** The chart that holds every object. */
  readonly chart: Chart;
  /** Findings, in statement order. */
  readonly findings: BuildFinding[];
  /** Statements skipped because one they depend on failed. */
  readonly skipped: number[];
}

const RULE_MESSAGE = /^(?:\[[^\]]*\] )?([\s\S]*) \(rule: ([^)]+)\)\. fix: ([\s\S]*)$/;

/** Splits a slipway message (`[path] message (rule: id). fix: …`) into its parts. */
export function parseRuleMessage(text: string): { rule: string; message: string; fix: string } {
  const m = RULE_MESSAGE.exec(text);
  return m ? { message: m[1], rule: m[2], fix: m[3] } : { rule: 'internal', message: text.split('\n')[0], fix: 'report this to the slipway maintainers' };
}

/**
 * Runs the statements on a fresh chart. A statement that throws is a finding at that statement; statements that
 * read its variable are skipped. Then every construct's validations run (as at synth), each mapped to the
 * statement that created the construct (or its nearest ancestor). `keep` gives each statement's opt-outs.
 */
export function execute(statements: readonly Statement[], keep: (statement: number) => OptOutFilter = () => () => false): BuildResult {
  const chart = new Chart(Testing.app(), 'check');
  const vars = new Map<string, unknown>([['scope', chart]]);
  const failed = new Set<string>();
  const findings: BuildFinding[] = [];
  const skipped: number[] = [];
  const owner = new Map<string, number>();
  statements.forEach((s, i) => {
    if ([...variablesOf(s.expr)].some((v) => failed.has(v))) {
      skipped.push(i);
      if (s.bind) failed.add(s.bind);
      return;
    }
    try {
      const value = evaluate(s.expr, vars, apiRoot(), keep(i));
      if (s.bind) vars.set(s.bind, value);
      // A construct a statement returns (Task, PipelineTask, …) is owned by it; its children map to it by path.
      // The first statement wins: a fluent `addX()` that returns its construct does not own it.
      if (Construct.isConstruct(value) && !owner.has(value.node.path)) owner.set(value.node.path, i);
    } catch (e) {
      if (s.bind) failed.add(s.bind);
      findings.push({ statement: i, phase: 'build', ...parseRuleMessage(e instanceof Error ? e.message : String(e)) });
    }
  });
  const all = chart.node.findAll();
  const byPath = new Map(all.map((c) => [c.node.path, c]));
  // One pass over the whole tree, as a synth validates it: the app-wide indexes are built once.
  const validated = withinSynthesis(() => all.map(safeValidate));
  for (const [i, c] of all.entries()) {
    const messages = validated[i];
    if (messages.length === 0) continue;
    for (const m of messages) {
      // A chart-wide check (references between objects) names the construct it is about in its `[path]` prefix.
      const named = byPath.get(/^\[([^\]]*)\] /.exec(m)?.[1] ?? '');
      findings.push({ statement: statementOf(named ?? c, owner), phase: 'validate', ...parseRuleMessage(m) });
    }
  }
  return { chart, findings, skipped };
}

function safeValidate(c: IConstruct): string[] {
  try {
    return c.node.validate();
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

function statementOf(c: IConstruct, owner: Map<string, number>): number {
  for (let x: IConstruct | undefined = c; x; x = x.node.scope) {
    const i = owner.get(x.node.path);
    if (i !== undefined) return i;
  }
  return 0;
}

/** The document and field of a statement. */
export function originOf(plan: Plan, statement: number): { doc: number; path: FieldPath } {
  return plan.statements[statement]?.origin ?? { doc: 0, path: [] };
}
