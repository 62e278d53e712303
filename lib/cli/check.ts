/**
 * `slipway check`: YAML documents → strict schema check + every slipway rule (by building the documents through
 * the typed API on an in-memory chart), each finding at the line of its field.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, sortDiagnostics } from './diagnostic';
import { checkJenkinsfile } from './jenkinsfile';
import { isJenkinsfile } from '../testing/validate';
import { variablesOf } from './calls';
import { BuildResult, execute, isModelled, kindOf, originOf, readDocuments } from './program';
import { Plan } from './readers/plan';
import type * as SchemaChecks from './schemas';
import { FieldPath, YamlDocument, parseYamlFile } from './yaml-source';

export { Coverage } from './coverage';
import { Coverage } from './coverage';

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
      diagnostics.push(...checkJenkinsfile(text, file));
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
      const noSchema = coverage.get(i)?.coverage === Coverage.NONE;
      coverage.set(i, noSchema ? { coverage: Coverage.RULES, reason: `no upstream schema for ${kindOf(d)}: slipway's rules only` } : { coverage: Coverage.RULES });
      return;
    }
    coverage.set(i, { coverage: Coverage.SCHEMA_ONLY, reason: `no typed form yet for ${gaps.map((g) => g.path.join('.')).join(', ')}` });
    for (const g of gaps) {
      // The reader's path is in the document as read (a v1beta1 run upgraded to v1): locate it through that document.
      const p = (plan.documents[i] ?? d).position(g.path, true);
      // A field the schema already rejects is a typo, not a form slipway lacks: the schema finding says it.
      if (diagnostics.some((x) => x.rule === 'schema' && x.file === d.file && x.line === p.line && x.column === p.column)) continue;
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
    const subject = kind ? `${kind} ${JSON.stringify(v?.metadata?.name ?? '')}: ` : '';
    out.push({ file: d.file, ...d.position(p, key), rule: 'schema', message: `${subject}${message}`, fix, severity: 'error' });
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
  // A document built on a broken one (a Pipeline on a Task that lost a result) would report the echo: skip it too.
  const boundIn = new Map<string, number>();
  for (const st of plan.statements) if (st.bind) boundIn.set(st.bind, st.origin.doc);
  for (let grew = true; grew;) {
    grew = false;
    for (const st of plan.statements) {
      if (broken.has(st.origin.doc)) continue;
      if ([...variablesOf(st.expr)].some((v) => broken.has(boundIn.get(v) ?? -1))) { broken.add(st.origin.doc); grew = true; }
    }
  }
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
    const held = target.reduce((v: any, k) => v?.[k as any], d.value);
    out.push({ file: d.file, ...d.position(target, held !== null && typeof held === 'object'), rule: f.rule, message: f.message, fix: f.fix, severity: 'error' });
  });
  return out;
}

/**
 * The field under `base` that holds the bad value a message names. The object the message is about
 * (`task "build"`, `step "test"`) narrows the search to that list item. Then, among fields holding one of the other quoted values or `$(…)` of the
 * message, the best wins: a path whose keys the message mentions, more values held, an exact value, the first in
 * the document. A field path spelt in the message (`timeouts.tasks`, `http[3].route[1]`) comes first; a field
 * whose key the message mentions (`privileged`) is the fallback, then the item or `base`.
 */
export function locate(d: YamlDocument, base: FieldPath, message: string): FieldPath {
  let needles = [...message.matchAll(/"((?:[^"\\]|\\.)*)"|(\$\([^)\s]*\))/g)].map((m) => {
    if (m[2]) return m[2];
    try { return JSON.parse(`"${m[1]}"`) as string; } catch { return m[1]; }
  }).filter((s) => s.length > 0);
  const split = message.toLowerCase().replace(/\bparameter/g, 'param').split(/[^a-z]+/);
  // "readiness probe" names the field readinessProbe: adjacent words joined count too.
  const joined = new Set(split.slice(1).map((w, i) => split[i] + w).filter((w) => w.length > 3 && !STOP_WORDS.has(w)));
  const words = new Set([...split.filter((w) => w.length > 3 && !STOP_WORDS.has(w)), ...joined]);
  let scope = base;
  // A field path the message spells out (`timeouts.tasks`, `http[3] "main".route[1]`) is the most precise.
  const spelt = speltPath(d, base, message);
  if (spelt) {
    const inside = needles.filter((n) => valueAt(d.value, spelt)?.name !== n);
    const hit = inside.flatMap((n) => d.findAll(spelt, n)).find((c) => c.path[c.path.length - 1] !== 'name');
    if (hit) return hit.path;
    // `templates[1] name "x"`: the item's own name is the bad value
    if (needles.some((n) => valueAt(d.value, spelt)?.name === n) && /\bnames?\b/.test(message)) return [...spelt, 'name'];
    return keyNamed(valueAt(d.value, spelt), spelt, words) ?? spelt;
  }
  // `task "x"`, `step "x"`: the object the message is about; its own name says nothing about the field.
  const subject = /\b(?:task|step|sidecar|metric|run of|container) "((?:[^"\\]|\\.)*)"/.exec(message)?.[1];
  if (subject !== undefined) {
    needles = needles.filter((x) => x !== subject);
    if (valueAt(d.value, base)?.name !== subject) {
      const item = d.findAll(base, subject).find((c) => c.exact && c.path[c.path.length - 1] === 'name' && typeof c.path[c.path.length - 2] === 'number');
      const within = item?.path.slice(0, -1);
      // The message may name the task only as what a value elsewhere refers to (a pipeline result reading it).
      const refs = needles.filter((n) => n.startsWith('$('));
      const elsewhere = within && refs.length > 0 && refs.every((n) => d.findAll(within, n).length === 0) && refs.some((n) => d.findAll(base, n).length > 0);
      if (within && !elsewhere) scope = within;
    }
  }
  // A number the message shows, held by a field the message names (`port … 84430`), is the bad value itself.
  for (const n of new Set(message.match(/(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])/g) ?? [])) {
    const hit = d.findAll(scope, n).find((c) => c.exact && typeof c.path[c.path.length - 1] === 'string'
      && words.has(String(c.path[c.path.length - 1]).toLowerCase()) && typeof valueAt(d.value, c.path) === 'number');
    if (hit) return hit.path;
  }
  const candidates = new Map<string, { path: FieldPath; needles: number; exact: boolean; order: number }>();
  for (const n of needles) {
    for (const c of d.findAll(scope, n)) {
      const k = JSON.stringify(c.path);
      const prev = candidates.get(k);
      candidates.set(k, { path: c.path, needles: (prev?.needles ?? 0) + 1, exact: (prev?.exact ?? false) || c.exact, order: prev?.order ?? candidates.size });
    }
  }
  let best: { path: FieldPath; score: number } | undefined;
  for (const c of candidates.values()) {
    const mentioned = c.path.filter((k) => typeof k === 'string' && words.has(k.toLowerCase())).length;
    // A list item's own name identifies it; the bad value sits in another field when one holds it.
    const isName = c.path[c.path.length - 1] === 'name' ? 500 : 0;
    const score = mentioned * 10000 + c.needles * 2000 + (c.exact ? 1000 : 0) - isName - c.order;
    if (!best || score > best.score) best = { path: c.path, score };
  }
  if (best) return best.path;
  // A camelCase field the message spells as written (`maxTrafficWeight`) names the field better than a common word.
  const camel = new Set([...message.matchAll(/\b([a-z]+[A-Z][A-Za-z]*)\b/g)].map((m) => m[1].toLowerCase()));
  return (camel.size ? keyNamed(valueAt(d.value, scope), scope, camel) : undefined)
    ?? keyNamed(valueAt(d.value, scope), scope, joined)
    ?? keyNamed(valueAt(d.value, scope), scope, new Set([...words].flatMap((w) => [w, `${w}s`]))) ?? scope;
}

/** The longest field path spelt in the message that exists below `base` (or its `spec`). */
function speltPath(d: YamlDocument, base: FieldPath, message: string): FieldPath | undefined {
  const text = message.replace(/\] "(?:[^"\\]|\\.)*"\./g, '].');
  let best: FieldPath | undefined;
  for (const m of text.matchAll(/\b([a-z][A-Za-z]*(?:\[\d+\])*(?:\.[a-z][A-Za-z]*(?:\[\d+\])*)+|[a-z][A-Za-z]*(?:\[\d+\])+)/g)) {
    const rel = m[1].split('.').flatMap((part) => {
      const [key, ...idx] = part.split('[');
      return [key, ...idx.map((i) => Number(i.slice(0, -1)))];
    });
    const found = [base, [...base, 'spec']].map((prefix) => [...prefix, ...rel]).find((p) => d.has(p)) ?? endingWith(valueAt(d.value, base), base, rel);
    if (found && (!best || found.length > best.length)) best = found;
  }
  return best;
}

/** The first field below `path` whose path ends with `rel` (`steps[2].setWeight` inside `spec.strategy.canary`). */
function endingWith(value: any, path: FieldPath, rel: FieldPath): FieldPath | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const here = rel.reduce((v: any, k) => (v === null || typeof v !== 'object' ? undefined : v[k as any]), value);
  if (here !== undefined) return [...path, ...rel];
  for (const [k, child] of Object.entries(value)) {
    const hit = endingWith(child, [...path, Array.isArray(value) ? Number(k) : k], rel);
    if (hit) return hit;
  }
  return undefined;
}

/** Words too common in messages to say which field is meant. */
const STOP_WORDS = new Set(['name', 'names', 'value', 'values', 'type', 'with', 'from', 'that', 'this', 'into', 'would', 'have',
  'does', 'uses', 'also', 'which', 'there', 'their', 'only', 'when', 'then']);

function valueAt(value: any, path: FieldPath): any {
  let v = value;
  for (const p of path) v = v?.[p as any];
  return v;
}

/** The shallowest field below `path` whose key is one of `words` (`privileged`, `timeouts`, …). */
function keyNamed(value: any, path: FieldPath, words: Set<string>): FieldPath | undefined {
  let level: Array<[any, FieldPath]> = [[value, path]];
  while (level.length > 0) {
    const next: Array<[any, FieldPath]> = [];
    for (const [v, p] of level) {
      if (!v || typeof v !== 'object') continue;
      for (const [k, child] of Object.entries(v)) {
        const at = [...p, Array.isArray(v) ? Number(k) : k];
        if (!Array.isArray(v) && words.has(k.toLowerCase())) return at;
        next.push([child, at]);
      }
    }
    level = next;
  }
  return undefined;
}
