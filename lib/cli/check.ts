/**
 * `slipway check`: YAML documents → strict schema check + every slipway rule (by building the documents through
 * the typed API on an in-memory chart), each finding at the line of its field.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, sortDiagnostics } from './diagnostic';
import { JENKINSFILE_READER, isJenkinsfile, jenkinsfileUnsupported } from './jenkinsfile-seam';
import { BuildResult, execute, isModelled, kindOf, originOf, readDocuments } from './program';
import { Plan } from './readers/plan';
import type * as SchemaChecks from './schemas';
import { FieldPath, YamlDocument, parseYamlFile } from './yaml-source';

/** How far slipway checked one document. */
export enum Coverage {
  /** Strict schema and every slipway rule. */
  RULES = 'rules',
  /** Strict schema only: slipway has no typed form for this kind, or for some of its fields (listed). */
  SCHEMA_ONLY = 'schema-only',
  /** Nothing: no schema and no reader knows this kind. */
  NONE = 'none',
}

/** One document `check` read. */
export interface CheckedDocument {
  /** The file. */
  readonly file: string;
  /** The line the document starts at. */
  readonly line: number;
  /** apiVersion. */
  readonly apiVersion: string;
  /** kind. */
  readonly kind: string;
  /** metadata.name (or generateName). */
  readonly name: string;
  /** What was checked. */
  readonly coverage: Coverage;
  /** Why not everything, when coverage is not `rules`. */
  readonly reason?: string;
}

/** The result of `slipway check`. */
export interface CheckReport {
  /** Findings, sorted by file and line. */
  readonly diagnostics: Diagnostic[];
  /** Every document read, in file order. */
  readonly documents: CheckedDocument[];
  /** Files read. */
  readonly files: string[];
}

/** Files below `paths` that check reads: YAML (`.yaml`, `.yml`) and Jenkinsfiles; given files are always read. */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, explicit: boolean): void => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        if (e === 'node_modules' || e.startsWith('.')) continue;
        walk(path.join(p, e), false);
      }
    } else if (explicit || /\.ya?ml$/.test(p) || isJenkinsfile(p)) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** Checks files and folders (recursively) as one app. */
export function checkPaths(paths: readonly string[]): CheckReport {
  const files = expandPaths(paths);
  return checkTexts(files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })));
}

/** Checks file contents given in memory, as one app. */
export function checkTexts(inputs: ReadonlyArray<{ file: string; text: string }>): CheckReport {
  const diagnostics: Diagnostic[] = [];
  const documents: YamlDocument[] = [];
  for (const { file, text } of inputs) {
    if (isJenkinsfile(file)) {
      diagnostics.push(...(JENKINSFILE_READER ? JENKINSFILE_READER.checkJenkinsfile(text, file) : [jenkinsfileUnsupported(file)]));
      continue;
    }
    const parsed = parseYamlFile(file, text);
    for (const e of parsed.errors) {
      diagnostics.push({ file, line: e.line, column: e.column, rule: 'yaml-syntax', message: e.message, fix: 'fix the YAML syntax', severity: 'error' });
    }
    documents.push(...parsed.documents);
  }
  const coverage = new Map<number, { coverage: Coverage; reason?: string }>();
  documents.forEach((d, i) => {
    const schema = schemaCheck(d);
    diagnostics.push(...schema.diagnostics);
    coverage.set(i, schema.known ? { coverage: Coverage.SCHEMA_ONLY, reason: `slipway does not build ${kindOf(d)} yet` }
      : { coverage: Coverage.NONE, reason: `no schema and no slipway reader for ${kindOf(d)}` });
  });
  const plan = readDocuments(documents);
  diagnostics.push(...ruleFindings(plan, execute(plan.statements)));
  documents.forEach((d, i) => {
    if (!isModelled(kindOf(d))) return;
    const gaps = plan.gaps.filter((g) => g.doc === i);
    if (gaps.length === 0) {
      coverage.set(i, { coverage: Coverage.RULES });
      return;
    }
    coverage.set(i, { coverage: Coverage.SCHEMA_ONLY, reason: `no typed form yet for ${gaps.map((g) => g.path.join('.')).join(', ')}` });
    for (const g of gaps) {
      const p = d.position(g.path, true);
      diagnostics.push({ file: d.file, ...p, rule: 'not-modelled', severity: 'warning',
        message: `${g.message}, so slipway's rules did not run on ${d.label} (schema checked only)`,
        fix: 'nothing to fix in the file; the field is valid, slipway cannot build it through its typed API yet' });
    }
  });
  for (const [i, c] of coverage) {
    if (c.coverage !== Coverage.NONE) continue;
    const d = documents[i];
    diagnostics.push({ file: d.file, ...d.position([]), rule: 'unknown-kind', severity: 'warning',
      message: `${kindOf(d)} ${d.label} was not checked: ${c.reason}`, fix: 'check it with the tool of its project' });
  }
  return {
    diagnostics: sortDiagnostics(diagnostics),
    documents: documents.map((d, i) => ({
      file: d.file, line: d.position([]).line, apiVersion: String(d.value?.apiVersion ?? ''), kind: String(d.value?.kind ?? ''),
      name: String(d.value?.metadata?.name ?? d.value?.metadata?.generateName ?? ''), ...coverage.get(i)!,
    })),
    files: inputs.map((i) => i.file),
  };
}

let schemaChecks: typeof SchemaChecks | undefined;

/**
 * The schema checkers, loaded on first use: they read the vendored CRDs and compile validators, which `synth`,
 * `import` and `graph` never need.
 */
function schemas(): typeof SchemaChecks {
  if (!schemaChecks) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      schemaChecks = require('./schemas') as typeof SchemaChecks;
    } catch (e) {
      throw new Error(`the strict schema checks are not available in this installation (${e instanceof Error ? e.message.split('\n')[0] : e})`);
    }
  }
  return schemaChecks;
}

/** Strict schema errors of one document (CRD schemas, or kubernetes-models plus the unknown-field walk). */
function schemaCheck(d: YamlDocument): { known: boolean; diagnostics: Diagnostic[] } {
  const { crdErrors, hasCrdSchema, k8sModel, unknownFields } = schemas();
  const v = d.value;
  const apiVersion = String(v?.apiVersion ?? '');
  const kind = String(v?.kind ?? '');
  const out: Diagnostic[] = [];
  const at = (p: FieldPath, key: boolean, message: string, fix: string): void => {
    out.push({ file: d.file, ...d.position(p, key), rule: 'schema', message: `${kind} ${JSON.stringify(v?.metadata?.name ?? '')}: ${message}`, fix, severity: 'error' });
  };
  if (!apiVersion || !kind) {
    at([], false, 'document has no apiVersion or kind', 'add apiVersion and kind');
    return { known: true, diagnostics: out };
  }
  if (hasCrdSchema(apiVersion, kind)) {
    for (const e of crdErrors(apiVersion, kind, v)) {
      const m = /^(\S+) ([\s\S]*?)(?:: ([^:]+))?$/.exec(e);
      const pointer = toPath(m?.[1] ?? '/');
      const extra = m?.[2]?.includes('additional properties') ? m[3] : undefined;
      if (extra !== undefined) at([...pointer, extra], true, `unknown field ${pointer.concat(extra).join('.')}`, 'remove it or fix its spelling (the API server prunes or rejects unknown fields)');
      else at(pointer, false, `${pointer.join('.') || 'document'} ${m?.[2] ?? e}${m?.[3] ? `: ${m[3]}` : ''}`, 'make the field match its schema');
    }
    return { known: true, diagnostics: out };
  }
  const Model = k8sModel(apiVersion, kind);
  if (!Model) return { known: false, diagnostics: out };
  try {
    new Model(v).validate();
  } catch (e: any) {
    for (const err of e?.errors ?? [{ instancePath: '', message: String(e?.message ?? e) }]) {
      const pointer = toPath(err.instancePath || '/');
      at(pointer, false, `${pointer.join('.') || 'document'} ${err.message}`, 'make the field match its schema');
    }
  }
  for (const f of unknownFields(v)) {
    if (!f.startsWith('/')) continue;
    const pointer = toPath(f);
    at(pointer, true, `unknown field ${pointer.join('.')}`, 'remove it or fix its spelling (the API server prunes or rejects unknown fields)');
  }
  return { known: true, diagnostics: out };
}

function toPath(pointer: string): FieldPath {
  return pointer.split('/').slice(1).filter((s) => s !== '').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Findings of building the plan: reader findings, statements that threw, and synth-time validations. A document
 * whose build stopped early (a statement threw or was skipped) reports only that first cause, so a missing step
 * does not also show up as "no steps".
 */
function ruleFindings(plan: Plan, result: BuildResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  const docs = plan.documents;
  const broken = new Set<number>();
  for (const i of result.skipped) broken.add(originOf(plan, i).doc);
  for (const f of result.findings) if (f.phase === 'build') broken.add(originOf(plan, f.statement).doc);
  for (const f of plan.findings) {
    const d = docs[f.doc];
    out.push({ file: d.file, ...d.position(f.path), rule: f.rule, message: f.message, fix: f.fix, severity: 'error' });
  }
  const seen = new Set<string>();
  result.findings.forEach((f) => {
    const o = originOf(plan, f.statement);
    if (f.phase === 'validate' && broken.has(o.doc)) return;
    const d = docs[o.doc];
    const key = `${o.doc}|${f.rule}|${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const target = locate(d, o.path, f.message);
    out.push({ file: d.file, ...d.position(target), rule: f.rule, message: f.message, fix: f.fix, severity: 'error' });
  });
  return out;
}

/** The field under `base` that holds the bad value a message names (its deepest quoted value or `$(…)`). */
export function locate(d: YamlDocument, base: FieldPath, message: string): FieldPath {
  const needles = [...message.matchAll(/"((?:[^"\\]|\\.)*)"|(\$\([^)\s]*\))/g)].map((m) => {
    if (m[2]) return m[2];
    try { return JSON.parse(`"${m[1]}"`) as string; } catch { return m[1]; }
  }).filter((s) => s.length > 0);
  let best: FieldPath = base;
  for (const n of needles) {
    const p = d.find(base, n);
    if (p && p.length >= best.length) best = p;
  }
  return best;
}
