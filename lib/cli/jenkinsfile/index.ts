/**
 * Existing Jenkinsfiles into slipway: read one into the typed `jenkins` model, write it as TypeScript that makes
 * the same public-API calls, check it offline with every rule slipway's Jenkins validator has, and draw its
 * stage graph. Nothing here needs a Jenkins controller.
 */
import { Construct } from 'constructs';
import { SlipwayError } from '../../core';
import * as jenkins from '../../jenkins';
import { Pos } from '../../jenkins/parser';
import { text as mermaidText } from '../../pipeline/graph';
import { Js, arr, emit, evaluate, obj, roots, tsString } from './ir';
import { Diagnostic, FilePlan, MatrixPlan, Reader, StagePlan } from './reader';

export type { Diagnostic } from './reader';
export { checkGroovyBlock, parseGroovy, parseJenkinsfile } from '../../jenkins/parser';
export type { ParseDiagnostic, ParsedJenkinsfile } from '../../jenkins/parser';

/** Thrown by {@link importJenkinsfile} when the file holds forms slipway cannot write exactly. */
export class JenkinsfileImportError extends Error {
  constructor(public readonly diagnostics: readonly Diagnostic[]) {
    super(`cannot import: ${diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.rule}: ${d.message}. fix: ${d.fix}`).join('\n')}`);
    this.name = 'JenkinsfileImportError';
  }
}

/** What {@link readJenkinsfile} builds. */
export interface ReadJenkinsfile {
  /** The Jenkinsfile construct: `Jenkinsfile` for a Declarative or hybrid file, `ScriptedJenkinsfile` for a Scripted one. */
  readonly jenkinsfile?: jenkins.Jenkinsfile | jenkins.ScriptedJenkinsfile;
  /** Everything the reader refused or the construction rejected, with source positions. */
  readonly diagnostics: readonly Diagnostic[];
  /** The raw escapes used (`Step.call("slackSend") at line 12`). */
  readonly escapes: readonly string[];
}

function read(text: string, file: string): FilePlan {
  return new Reader(text, file).read();
}

/** Calls `f`, turning a slipway rule error into a diagnostic at `pos`. */
function guarded<T>(out: Diagnostic[], file: string, pos: Pos, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    const m = /^(?:\[[^\]]*\] )?(.*) \(rule: [\w-]+\)\. fix: (.*)$/s.exec(e.message);
    out.push({ file, line: pos.line, column: pos.column, rule: e.rule, message: m?.[1] ?? e.message, fix: m?.[2] ?? '', severity: 'error' });
    return undefined;
  }
}

function addStages(parent: { addStage(n: string, p: object): jenkins.Stage }, stages: readonly StagePlan[], out: Diagnostic[], file: string): void {
  for (const s of stages) {
    const stage = guarded(out, file, s.pos, () => (s.kind === 'parallel'
      ? (parent as unknown as jenkins.Stage).addParallel(s.name, evaluate(s.props))
      : parent.addStage(s.name, evaluate(s.props))));
    if (!stage) continue;
    addStages(stage, s.children, out, file);
    if (s.matrix) addMatrix(stage, s.matrix, out, file);
  }
}

function addMatrix(stage: jenkins.Stage, m: MatrixPlan, out: Diagnostic[], file: string): void {
  const matrix = guarded(out, file, m.pos, () => stage.addMatrix(evaluate(m.props)));
  if (matrix) addStages(matrix, m.stages, out, file);
}

/** The props of the file's construct: the pipeline's (or the Scripted body) plus the `@Library` annotation. */
function fileProps(plan: FilePlan): Js {
  const own = plan.kind === 'scripted' ? [['steps', arr(plan.steps ?? [])] as const] : plan.props?.k === 'obj' ? plan.props.entries : [];
  return obj([...own, ['libraryAnnotations', plan.prelude.libraries], ['imports', plan.prelude.imports]]);
}

/** Builds the construct a plan describes, with its stages and prelude; construction errors become diagnostics. */
function build(scope: Construct, id: string, plan: FilePlan, out: Diagnostic[], file: string): jenkins.Jenkinsfile | jenkins.ScriptedJenkinsfile | undefined {
  const props = evaluate(fileProps(plan));
  const jf = guarded(out, file, plan.pos, () => (plan.kind === 'scripted' ? new jenkins.ScriptedJenkinsfile(scope, id, props) : new jenkins.Jenkinsfile(scope, id, props)));
  if (!jf) return undefined;
  for (const v of plan.prelude.variables) guarded(out, file, v.pos, () => jf.addVariable(v.name, evaluate(v.value), v.options && evaluate(v.options)));
  for (const f of plan.prelude.functions) guarded(out, file, f.pos, () => jf.addFunction(f.name, evaluate(f.props)));
  if (jf instanceof jenkins.Jenkinsfile) addStages(jf, plan.stages, out, file);
  return jf;
}

const buildable = (plan: FilePlan): boolean => plan.kind === 'scripted' || (plan.kind === 'declarative' && plan.props !== undefined);

/**
 * Reads a Jenkinsfile into a `jenkins.Jenkinsfile` (Declarative or hybrid) or `jenkins.ScriptedJenkinsfile` under
 * `scope`, through the public API. Forms slipway cannot write exactly are diagnostics (never dropped or replaced).
 */
export function readJenkinsfile(scope: Construct, id: string, text: string, file = 'Jenkinsfile'): ReadJenkinsfile {
  const plan = read(text, file);
  const diagnostics = [...plan.diagnostics];
  if (!buildable(plan)) return { diagnostics, escapes: plan.escapes };
  // A form slipway cannot write exactly means the model would not be the file: build nothing.
  if (diagnostics.some((d) => d.rule === 'unsupported-form')) return { diagnostics, escapes: plan.escapes };
  const jf = build(scope, id, plan, diagnostics, file);
  return { jenkinsfile: jf, diagnostics, escapes: plan.escapes };
}

/** Maps a validator message (`pipeline > stage "Build" > steps > sh: …`) to the closest recorded source position. */
function locate(message: string, plan: FilePlan, lines: readonly string[], seen: Map<string, number>): { pos: Pos; message: string } {
  const { positions } = plan;
  const fallback = plan.pos;
  const named = /^(.*): duplicate (\w+) name ("(?:[^"\\]|\\.)*")$/.exec(message);
  const again = named ? plan.occurrences.get(`${named[1]}|${named[2]}|${named[3]}`) : undefined;
  if (again && again.length > 1) return { pos: again[1], message };
  let best: string | undefined;
  for (const key of positions.keys()) {
    if ((message.startsWith(`${key}: `) || message.startsWith(`${key} > `)) && (!best || key.length > best.length)) best = key;
  }
  let pos = best ? positions.get(best)! : fallback;
  // Several steps or entries share a location (two `sh` in one stage, the triggers of a pipeline): pick the one
  // whose line holds a value the message quotes.
  const steps = best ? plan.occurrences.get(`${best}|step|""`) ?? plan.occurrences.get(`${best}|entry|""`) : undefined;
  if (best && steps && steps.length > 1) {
    const quoted = [...message.slice(best.length).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string).filter((q) => q.length > 0);
    const matching = steps.filter((p) => quoted.some((q) => (lines[p.line - 1] ?? '').includes(q)));
    // The same finding again (two Scripted `container('x')` in two stages share a path) is the next candidate.
    const n = seen.get(message) ?? 0;
    seen.set(message, n + 1);
    const candidates = matching.length ? matching : n > 0 ? steps : [];
    pos = candidates[Math.min(n, candidates.length - 1)] ?? pos;
  }
  // A duplicate sibling is reported on its container; point at the second stage of that name.
  const dup = /^(.*): duplicate stage name ("(?:[^"\\]|\\.)*")$/.exec(message);
  if (dup) {
    const again = [...positions.entries()].filter(([k]) => k === `${dup[1]} > stage ${dup[2]}` || k === `${dup[1]} > parallel > stage ${dup[2]}`);
    if (again.length) pos = again[again.length - 1][1];
  }
  return { pos, message };
}

/**
 * Checks a Jenkinsfile offline: Groovy 2.4 syntax, the Declarative structure, and every rule of slipway's Jenkins
 * validator on the model it builds, each mapped back to the source line. Returns nothing for a clean file.
 * Declarative, hybrid and Scripted files are all checked; valid forms slipway cannot write yet (`unsupported-form`)
 * are warnings.
 */
export function checkJenkinsfile(text: string, file = 'Jenkinsfile'): Diagnostic[] {
  const plan = read(text, file);
  const out = [...plan.diagnostics];
  if (buildable(plan)) {
    const root = new Construct(undefined as unknown as Construct, '');
    // Construction errors (thrown at once, e.g. duplicate stage names) are located by the stage being added.
    const jf = build(root, 'check', plan, out, file);
    if (jf) {
      const lines = text.split('\n');
      const seen = new Map<string, number>();
      for (const v of jf.node.validate()) {
        const m = /^(.*) \(rule: ([\w-]+)\)\. fix: (.*)$/s.exec(v);
        const { pos, message } = locate(m?.[1] ?? v, plan, lines, seen);
        out.push({ file, line: pos.line, column: pos.column, rule: m?.[2] ?? 'validation', message, fix: m?.[3] ?? '', severity: 'error' });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = `${d.line}:${d.column}:${d.rule}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).sort((a, b) => a.line - b.line || a.column - b.column);
}

/** What {@link describeImport} returns: the program and the escapes it had to use. */
export interface ImportResult {
  /** The TypeScript module. */
  readonly code: string;
  /** Each raw escape used, with its source line. */
  readonly escapes: readonly string[];
  /** Forms written in their typed spelling with the same meaning (`docker 'img'` → `docker { image 'img' }`). */
  readonly rewrites: readonly string[];
  /** Warnings that did not stop the import. */
  readonly warnings: readonly Diagnostic[];
}

const pascal = (s: string): string => s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Jenkinsfile';

/**
 * Writes TypeScript that builds the Jenkinsfile through the public `jenkins` API, with the escapes it uses listed
 * in its header. Throws {@link JenkinsfileImportError} listing every form slipway cannot write exactly.
 */
export function describeImport(text: string, name: string): ImportResult {
  const file = name;
  const plan = read(text, file);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error' || d.rule === 'unsupported-form');
  if (errors.length > 0 || !buildable(plan)) throw new JenkinsfileImportError(errors.length ? errors : plan.diagnostics);
  const ctor = plan.kind === 'scripted' ? 'ScriptedJenkinsfile' : 'Jenkinsfile';
  const id = name.replace(/\.?Jenkinsfile$/i, '').replace(/^.*[\\/]/, '') || 'pipeline';
  const used = new Set<string>(['jenkins']);
  const body: string[] = [];
  let n = 0;
  const add = (parent: string, method: string, s: StagePlan, pad: string): void => {
    roots(s.props, used);
    const needsVar = s.children.length > 0 || s.matrix !== undefined;
    const v = needsVar ? `stage${++n}` : '';
    body.push(`${pad}${needsVar ? `const ${v} = ` : ''}${parent}.${method}(${tsString(s.name)}${isEmpty(s.props) ? '' : `, ${emit(s.props, pad)}`});`);
    for (const c of s.children) add(v, c.kind === 'parallel' ? 'addParallel' : 'addStage', c, pad);
    if (s.matrix) {
      roots(s.matrix.props, used);
      const m = `matrix${++n}`;
      body.push(`${pad}const ${m} = ${v}.addMatrix(${emit(s.matrix.props, pad)});`);
      for (const c of s.matrix.stages) add(m, 'addStage', c, pad);
    }
  };
  const props = fileProps(plan);
  roots(props, used);
  body.push(`  const jenkinsfile = new jenkins.${ctor}(scope, ${tsString(id)}, ${emit(props, '  ')});`);
  for (const v of plan.prelude.variables) {
    roots(v.value, used);
    body.push(`  jenkinsfile.addVariable(${tsString(v.name)}, ${emit(v.value, '  ')}${v.options ? `, ${emit(v.options, '  ')}` : ''});`);
  }
  for (const f of plan.prelude.functions) {
    roots(f.props, used);
    body.push(`  jenkinsfile.addFunction(${tsString(f.name)}, ${emit(f.props, '  ')});`);
  }
  for (const s of plan.stages) add('jenkinsfile', 'addStage', s, '  ');
  body.push('  return jenkinsfile;');
  const header = [
    `// Imported by slipway from ${JSON.stringify(name).slice(1, -1).replace(/[\r\n\u2028\u2029]/g, ' ').replace(/\*\//g, '* /')}.`,
    plan.escapes.length ? '// Raw escapes (no typed form exists for these):' : '// Raw escapes: none (every form has a typed API).',
    ...plan.escapes.map((e) => `//   - ${e.replace(/[\r\n\u2028\u2029]/g, ' ')}`),
    ...plan.rewrites.length ? ['// Written in the typed spelling (same meaning to Jenkins):', ...plan.rewrites.map((r) => `//   - ${r.replace(/[\r\n\u2028\u2029]/g, ' ')}`)] : [],
  ];
  const imports = [...used].sort().join(', ');
  const code = [...header, "import { Construct } from 'constructs';", `import { ${imports} } from 'slipway';`, '',
    `/** Builds the ${mermaidSafe(id)} Jenkinsfile. */`,
    `export function add${pascal(id)}Jenkinsfile(scope: Construct): jenkins.${ctor} {`, ...body, '}', ''].join('\n');
  return { code, escapes: plan.escapes, rewrites: plan.rewrites, warnings: plan.diagnostics };
}

const mermaidSafe = (s: string): string => s.replace(/[^\w.-]/g, '_');
const isEmpty = (js: Js): boolean => js.k === 'obj' && js.entries.length === 0;

/** The TypeScript program for a Jenkinsfile (see {@link describeImport}; the escapes are listed in its header). */
export function importJenkinsfile(text: string, name: string): string {
  return describeImport(text, name).code;
}

/**
 * The stages of a Scripted body as the Declarative shape the graph draws: `stage` steps in order, nested stages
 * as groups, and `parallel` branches (named by their branch) that fan out and join. Other blocks (`node`,
 * `timeout`, `try`, …) are looked through.
 */
const PARALLEL = 'parallel';
const REF_OWNERS: Record<string, string> = { 'jenkins.Ref.env': 'env.', 'jenkins.Ref.param': 'params.', 'jenkins.Ref.currentBuild': 'currentBuild.' };

function scriptedStages(steps: readonly Js[], pos: Pos): StagePlan[] {
  const out: StagePlan[] = [];
  const plan = (name: string, kind: 'stage' | 'parallel', children: StagePlan[]): StagePlan => ({ name, kind, props: obj([]), pos, where: '', children });
  const blocks = (js: Js): Js[][] => {
    if (js.k === 'arr' && js.items.every((x) => x.k === 'call' && x.fn.startsWith('jenkins.Step.'))) return [js.items as Js[]];
    if (js.k === 'obj') return js.entries.flatMap(([, v]) => blocks(v));
    return [];
  };
  for (const s of steps) {
    if (s.k !== 'call') continue;
    if (s.fn === 'jenkins.Step.stage') {
      const n = s.args[0];
      const name = n.k === 'lit' ? String(n.v) : n.k === 'call' ? n.args.map((p) => (p.k === 'lit' ? String(p.v) : p.k === 'call' && p.args[0]?.k === 'lit' ? `\${${REF_OWNERS[p.fn] ?? ''}${p.args[0].v}}` : '')).join('') : '';
      const inner = scriptedStages(s.args[1].k === 'arr' ? s.args[1].items : [], pos);
      // A stage holding only a parallel step fans out into the branches itself.
      const only = inner.length === 1 && inner[0].name === PARALLEL ? inner[0].children : inner;
      out.push(plan(name, 'stage', only));
    } else if (s.fn === 'jenkins.Step.parallel' && s.args[0].k === 'obj') {
      const branches = s.args[0].entries.map(([n, v]) => plan(n, 'parallel', v.k === 'arr' ? scriptedStages(v.items, pos) : []));
      out.push(plan(PARALLEL, 'stage', branches));
    } else {
      for (const a of s.args) for (const b of blocks(a)) out.push(...scriptedStages(b, pos));
    }
  }
  return out;
}

/** The stage graph of a Jenkinsfile as a Mermaid flowchart (sequential groups, parallel branches, matrices; Scripted stages too). */
export function jenkinsfileGraph(text: string): string {
  const plan0 = read(text, 'Jenkinsfile');
  if (!buildable(plan0)) throw new JenkinsfileImportError(plan0.diagnostics);
  const plan = plan0.kind === 'scripted' ? { ...plan0, stages: scriptedStages(plan0.steps ?? [], plan0.pos) } : plan0;
  const lines = ['flowchart LR', '  start(("start"))'];
  let n = 0;
  const label = (s: StagePlan): string => {
    const parts = [s.name];
    if (s.matrix) {
      const axes = s.matrix.props.k === 'obj' ? s.matrix.props.entries.find(([k]) => k === 'axes')?.[1] : undefined;
      const desc = axes?.k === 'arr' ? axes.items.map((a) => (a.k === 'obj' ? a.entries.map(([, v]) => (v.k === 'lit' ? v.v : v.k === 'arr' ? v.items.map((x) => (x.k === 'lit' ? x.v : '')).join(', ') : '')).join(' = ') : '')).join('; ') : '';
      parts.push(`matrix: ${desc}`);
    }
    return parts.map(mermaidText).join('<br/>');
  };
  /** Draws `stages` one after another from `prev`; returns the exits. */
  const chain = (stages: readonly StagePlan[], prev: string[], pad: string): string[] => {
    for (const s of stages) {
      const seq = s.children.filter((c) => c.kind === 'stage');
      const par = s.children.filter((c) => c.kind === 'parallel');
      if (seq.length === 0 && par.length === 0) {
        const id = `s${++n}`;
        lines.push(`${pad}${id}${s.matrix ? `[["${label(s)}"]]` : `["${label(s)}"]`}`);
        for (const p of prev) lines.push(`${pad}${p} --> ${id}`);
        prev = [id];
        continue;
      }
      lines.push(`${pad}subgraph g${++n} ["${mermaidText(s.name)}"]`);
      if (par.length) {
        const exits: string[] = [];
        for (const b of par) exits.push(...chain([b], prev, `${pad}  `));
        prev = exits;
      } else prev = chain(seq, prev, `${pad}  `);
      lines.push(`${pad}end`);
    }
    return prev;
  };
  const exits = chain(plan.stages, ['start'], '  ');
  lines.push('  finish(("end"))');
  for (const p of exits) lines.push(`  ${p} --> finish`);
  return `${lines.join('\n')}\n`;
}
