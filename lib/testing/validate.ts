import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { synthFiles } from '../core/app';
import { warningsOf } from '../core/errors';
import { isCoreKubernetes, kindShape, kubernetesProblems } from './core';
import { Problem, formatProblems } from './problem';

/* eslint-disable @typescript-eslint/no-require-imports */
// Loaded on first use: synth's strict check of core documents (lib/core/strict-check.ts) needs none of them, and
// loading them is ~30 ms of every synth.
const crd = (): typeof import('./crd') => require('./crd');
const tekton = (): typeof import('./tekton') => require('./tekton');
const groovy = (): typeof import('./groovy') => require('./groovy');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Everything synth writes for a scope, in memory: the YAML documents of each chart and the generated files. */
export interface SynthOutput {
  /** Each chart's documents, keyed by the chart's construct path. */
  readonly documents: Record<string, any[]>;
  /** Generated files (Jenkinsfiles, graphs) keyed by their path under the output directory. */
  readonly files: Record<string, string>;
}

/** What {@link validate} found. */
export interface ValidationReport {
  /** Every problem, in document order. */
  readonly problems: Problem[];
  /** Checks that could not run on this machine, each with the reason and how to enable it. */
  readonly skipped: string[];
  /** slipway's warnings (`[path] message`): not failures, but worth a look (e.g. a root image under restricted). */
  readonly warnings: string[];
  /** How many YAML documents and generated files were checked. */
  readonly checked: { readonly documents: number; readonly files: number };
}

/**
 * Synthesizes `scope` (an app, a chart, or any construct containing charts) the way `PipelineApp.synth()` does,
 * rules included, without writing anything: the same documents and files, for snapshots and checks.
 */
export function synthesize(scope: IConstruct): SynthOutput {
  const files = synthFiles(scope); // runs every rule of the tree first, as App.synth() does
  const charts = scope instanceof App ? scope.charts : scope.node.findAll().filter((c): c is Chart => Chart.isChart(c));
  const documents: Record<string, any[]> = {};
  for (const chart of charts) documents[chart.node.path] = chart.toJson();
  return { documents, files };
}

/** A document's name in problems: `apiVersion kind name`. */
function documentId(doc: any, where?: string): string {
  const name = doc?.metadata?.name ?? doc?.metadata?.generateName ?? '';
  return `${where ? `${where}: ` : ''}${doc?.apiVersion} ${doc?.kind} ${name}`.trim();
}

/**
 * Checks documents independently of slipway's own rules: core Kubernetes kinds with kubernetes-models plus a
 * strict unknown-field walk, every other kind against its vendored upstream schema made strict (slipway's own for
 * Tekton Triggers and CustomRun, whose CRDs carry none), Tekton's embedded specs and merged step security contexts
 * included. A document of a kind with no schema is a problem too, so nothing goes unchecked by accident.
 */
export function validateDocuments(docs: readonly any[], where?: string): Problem[] {
  const out: Problem[] = [];
  for (const doc of docs) {
    const id = documentId(doc, where);
    // Vendored shapes and schemas first: isCoreKubernetes loads all of kubernetes-models.
    const schema = kindShape(doc?.apiVersion, doc?.kind) === undefined && crd().hasSchema(doc?.apiVersion, doc?.kind);
    if (!schema && isCoreKubernetes(doc)) {
      out.push(...kubernetesProblems(doc, id));
    } else if (schema) {
      out.push(...crd().schemaProblems(doc.apiVersion, doc.kind, doc, id), ...tekton().tektonProblems(doc, id, validateDocuments));
    } else {
      out.push({ check: 'schema', document: id, path: '/', message: `no schema for ${doc?.apiVersion} ${doc?.kind}: add its CRD with 'npm run schemas' or point SLIPWAY_SCHEMAS_DIR at one` });
    }
  }
  return out;
}

/**
 * The strict check synth runs on each final document slipway writes (lib/core/strict-check.ts): the checks of
 * {@link validateDocuments} for one document, except that a kind with no schema is not a problem. `size.chars`, when
 * set, bounds the document's JSON bytes from above (divided by six). Not exported from `slipway/testing`.
 */
export function strictDocumentProblems(doc: any, size?: { chars: number }): Problem[] {
  if (doc === null || typeof doc !== 'object') return [];
  // Vendored shapes and schemas first: isCoreKubernetes loads all of kubernetes-models.
  if (kindShape(doc.apiVersion, doc.kind) !== undefined) return kubernetesProblems(doc, '', size);
  if (crd().hasSchema(doc.apiVersion, doc.kind)) return [...crd().schemaProblems(doc.apiVersion, doc.kind, doc, ''), ...tekton().tektonProblems(doc, '', strictEmbedded)];
  return isCoreKubernetes(doc) ? kubernetesProblems(doc, '', size) : [];
}

function strictEmbedded(docs: any[], where: string): Problem[] {
  return docs.flatMap((d) => strictDocumentProblems(d).map((p) => ({ ...p, path: `${where.replace(/^ /, '')}${p.path === '/' ? '' : p.path}` })));
}

/** True for the file names that are Jenkinsfiles: `Jenkinsfile`, `*.Jenkinsfile`, `*.groovy`. */
export function isJenkinsfile(path: string): boolean {
  return /(^|\/)Jenkinsfile$|\.Jenkinsfile$|\.groovy$/.test(path);
}

/**
 * Parses Jenkinsfiles (keyed by path) with Groovy 2.4, the parser Jenkins runs. Without Java or Groovy on the machine
 * nothing is parsed and `skipped` says how to install them.
 */
export function validateJenkinsfiles(files: Record<string, string>): { problems: Problem[]; skipped?: string } {
  if (Object.keys(files).length === 0) return { problems: [] };
  const unavailable = groovy().groovyUnavailable();
  if (unavailable) return { problems: [], skipped: `Jenkinsfiles not parsed: ${unavailable}` };
  const problems: Problem[] = [];
  for (const [file, result] of Object.entries(groovy().parseGroovy(files))) {
    for (const e of result.errors) problems.push({ check: 'groovy', document: file, path: `${e.line}:${e.column}`, message: e.message });
  }
  return { problems, skipped: undefined };
}

/**
 * Synthesizes `scope` and runs every independent check on the result: strict schemas for custom resources,
 * kubernetes-models for core documents, Groovy 2.4 for Jenkinsfiles (skipped, with the install hint, where Java or
 * Groovy is missing). slipway's own rules run first, as in a real synth, and throw on a violation.
 */
export function validate(scope: IConstruct): ValidationReport {
  const { documents, files } = synthesize(scope);
  const problems: Problem[] = [];
  let count = 0;
  for (const [chart, docs] of Object.entries(documents)) {
    problems.push(...validateDocuments(docs, chart));
    count += docs.length;
  }
  const jenkinsfiles = Object.fromEntries(Object.entries(files).filter(([p]) => isJenkinsfile(p)));
  const groovy = validateJenkinsfiles(jenkinsfiles);
  problems.push(...groovy.problems);
  return { problems, skipped: groovy.skipped ? [groovy.skipped] : [], warnings: warningsOf(scope), checked: { documents: count, files: Object.keys(jenkinsfiles).length } };
}

/** Throws an error listing every problem {@link validate} finds; returns the report when there are none. */
export function expectValid(scope: IConstruct): ValidationReport {
  const report = validate(scope);
  if (report.problems.length > 0) {
    throw new Error(`${report.problems.length} problem(s) in the synthesized output:\n${formatProblems(report.problems)}`);
  }
  return report;
}
