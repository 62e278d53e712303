/**
 * Prints the Declarative AST as Groovy: 2-space indent, one statement per line, a fixed section order and
 * Jenkins' `post` execution order, so identical models give identical bytes. All user text goes through
 * `quote()`; names are re-checked here as a last line of defence (the validator reports them properly).
 */
import {
  AgentAst, Arg, Call, ConditionAst, DirectivesAst, EnvAst, Expr, InputAst, MatrixAst, PipelineAst, PostAst,
  StageAst, WhenAst,
} from './ast';
import { Ref, Text, gstringLiteralPart, quote, singleQuoted } from './groovy';
import { textOrStr } from './ast';
import { POST_ORDER } from './post';
import { PreludeAst } from './prelude';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function checkName(name: string, dotted = false): string {
  if (!(dotted ? DOTTED : NAME).test(name)) throw new Error(`refusing to emit ${JSON.stringify(name)} as a Groovy name`);
  return name;
}

/**
 * Renders a value expression. `pad` is the indentation of the current line: a list of two or more calls
 * (e.g. withCredentials bindings) is then written one call per line.
 */
export function expr(e: Expr, pad?: string): string {
  switch (e.k) {
    case 'str': return quote(e.v);
    case 'num': return String(e.v);
    case 'bool': return e.v ? 'true' : 'false';
    case 'list':
      if (pad !== undefined && e.items.length > 1 && e.items.every((x) => x.k === 'call')) {
        return `[\n${e.items.map((x) => `${pad}  ${expr(x)}`).join(',\n')}\n${pad}]`;
      }
      return `[${e.items.map((x) => expr(x)).join(', ')}]`;
    case 'text': return text(e.text);
    case 'sym': return checkName(e.name, true);
    case 'call': return `${checkName(e.call.name)}(${args(e.call.args, pad)})${e.trim ? '.trim()' : ''}`;
    case 'map': return e.entries.length === 0 ? '[:]' : `[${e.entries.map(([k, v]) => `${checkName(k)}: ${expr(v, pad)}`).join(', ')}]`;
    case 'raw': return e.code;
  }
}

/**
 * True if a lone argument can follow the name without parentheses (`sh 'x'`). A capitalised name would be read as
 * a type (`Go '1.22'` does not parse); a map, list, call, negative number or raw expression would be read as an
 * index or an operator.
 */
function bareArgument(name: string, a: readonly Arg[]): boolean {
  if (a.length !== 1 || a[0].key !== undefined || !/^[a-z_]/.test(name)) return false;
  const v = a[0].value;
  return v.k === 'str' || v.k === 'text' || v.k === 'bool' || v.k === 'sym' || (v.k === 'num' && v.v >= 0);
}

function text(t: Text): string {
  if (t.refs.length === 0) return quote(t.parts.join(''));
  const body = t.parts.map((p) => (p instanceof Ref ? `\${${ref(p)}}` : gstringLiteralPart(p))).join('');
  return `"${body}"`;
}

function ref(r: Ref): string {
  if (r.owner) checkName(r.owner);
  return `${r.owner ? `${r.owner}.` : ''}${checkName(r.name)}`;
}

function args(list: readonly Arg[], pad?: string): string {
  return list.map((a) => (a.key === undefined ? expr(a.value, pad) : `${checkName(a.key)}: ${expr(a.value, pad)}`)).join(', ');
}

/** Indentation per depth, made once. */
const PADS: string[] = [];

class Out {
  private readonly lines: string[] = [];
  private depth = 0;

  line(s: string): void {
    this.lines.push(`${this.pad}${s}`);
  }

  get pad(): string {
    return (PADS[this.depth] ??= '  '.repeat(this.depth));
  }

  open(head: string, body: () => void): void {
    this.line(`${head} {`);
    this.indented(body);
    this.line('}');
  }

  blank(): void {
    this.lines.push('');
  }

  indented(body: () => void): void {
    this.depth++;
    body();
    this.depth--;
  }

  /** Raw Groovy from an escape hatch: indented unless that would change a multi-line string inside it. */
  raw(code: string): void {
    const lines = code.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
    const keep = /'''|"""|\$\/|\\$/m.test(code);
    for (const l of lines) this.lines.push(keep || l === '' ? l : `${'  '.repeat(this.depth)}${l}`);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** A call as a statement: `name arg`, `name(args)`, or with a `{ }` block. */
function call(o: Out, c: Call): void {
  if (c.scriptedOnly && statement(o, c)) return;
  const name = checkName(c.name);
  if (c.scriptedOnly && name === 'try') return tryCatch(o, c);
  if (c.scriptedOnly && name === 'if') return ifThen(o, c);
  if (c.scriptedOnly && name === 'for') {
    o.open(`for (${checkName(c.args[0].key!)} in ${expr(c.args[0].value)})`, () => (c.block ?? []).forEach((s) => call(o, s)));
    return;
  }
  if (c.scriptedOnly && name === 'def') {
    o.line(`${c.declaredType !== undefined ? checkType(c.declaredType) : 'def'} ${checkName(c.args[0].key!)} = ${expr(c.args[0].value, o.pad)}`);
    return;
  }
  if (c.branches) return parallelBranches(o, c);
  const hasBlock = c.block !== undefined || c.raw !== undefined;
  if (!hasBlock) {
    o.line(bareArgument(name, c.args) ? `${name} ${args(c.args, o.pad)}` : `${name}(${args(c.args, o.pad)})`);
    return;
  }
  const head = c.args.length === 0 ? name : `${name}(${args(c.args, o.pad)})`;
  o.open(head, () => {
    if (c.raw !== undefined) o.raw(c.raw);
    for (const s of c.block ?? []) call(o, s);
  });
}

/** Scripted statements that are not calls: assignment, throw, return, and Docker Pipeline's object calls. */
function statement(o: Out, c: Call): boolean {
  const block = (head: string): void => o.open(head, () => (c.block ?? []).forEach((s) => call(o, s)));
  switch (c.name) {
    case 'assign': o.line(`${checkName(c.args[0].key!, true)} = ${expr(c.args[0].value, o.pad)}`); return true;
    case 'throw': o.line(`throw ${expr(c.args[0].value)}`); return true;
    case 'while': o.open(`while (${expr(c.args[0].value)})`, () => (c.block ?? []).forEach((s) => call(o, s))); return true;
    case 'return': o.line(c.args.length ? `return ${expr(c.args[0].value, o.pad)}` : 'return'); return true;
    case 'docker.image.inside': block(`docker.image(${expr(c.args[0].value)}).inside(${c.args[1] ? expr(c.args[1].value) : ''})`); return true;
    case 'branch': block(`${expr(c.args[0].value)}[${expr(c.args[1].value)}] =`); return true;
    case 'docker.withRegistry': block(`docker.withRegistry(${args(c.args)})`); return true;
    default: return false;
  }
}

/** Scripted `if (condition) { } else { }`. */
function ifThen(o: Out, c: Call): void {
  o.line(`if (${expr(c.args[0].value)}) {`);
  o.indented(() => (c.block ?? []).forEach((s) => call(o, s)));
  if (c.elseBlock) {
    o.line('} else {');
    o.indented(() => c.elseBlock!.forEach((s) => call(o, s)));
  }
  o.line('}');
}

/** Scripted `try { } catch (e) { } finally { }`. */
function tryCatch(o: Out, c: Call): void {
  o.line('try {');
  o.indented(() => (c.block ?? []).forEach((s) => call(o, s)));
  for (const k of c.catches ?? []) {
    o.line(`} catch (${k.types.length ? `${k.types.map((t) => checkName(t, true)).join(' | ')} ` : ''}${checkName(k.variable)}) {`);
    o.indented(() => k.block.forEach((s) => call(o, s)));
  }
  if (c.finallyBlock) {
    o.line('} finally {');
    o.indented(() => c.finallyBlock!.forEach((s) => call(o, s)));
  }
  o.line('}');
}

/** Scripted `parallel('name': { … }, failFast: true)`: branch names are user text, so they are quoted keys. */
function parallelBranches(o: Out, c: Call): void {
  o.line(`${checkName(c.name)}(`);
  o.indented(() => {
    const rest = args(c.args, o.pad);
    c.branches!.forEach(([n, steps], i) => {
      o.line(`${singleQuoted(n)}: {`);
      o.indented(() => steps.forEach((s) => call(o, s)));
      o.line(i < c.branches!.length - 1 || rest ? '},' : '}');
    });
    if (rest) o.line(rest);
  });
  o.line(')');
}

function agent(o: Out, a: AgentAst): void {
  if (a.bare) {
    o.line(`agent ${checkName(a.type)}`);
    return;
  }
  o.open('agent', () => {
    if (a.params.length === 0) {
      o.line(`${checkName(a.type)} ${a.value ? expr(a.value) : 'true'}`);
      return;
    }
    o.open(checkName(a.type), () => {
      for (const p of a.params) o.line(`${checkName(p.name)} ${expr(p.value)}`);
    });
  });
}

function environment(o: Out, env: readonly EnvAst[]): void {
  o.open('environment', () => {
    for (const e of env) o.line(`${checkName(e.name)} = ${expr(e.value)}`);
  });
}

function post(o: Out, p: readonly PostAst[]): void {
  const sorted = [...p].sort((a, b) => POST_ORDER.indexOf(a.condition) - POST_ORDER.indexOf(b.condition));
  o.open('post', () => {
    for (const c of sorted) o.open(checkName(c.condition), () => c.steps.forEach((s) => call(o, s)));
  });
}

function condition(o: Out, c: ConditionAst): void {
  if (c.children) o.open(checkName(c.name), () => c.children!.forEach((ch) => condition(o, ch)));
  else call(o, { name: c.name, args: c.args, raw: c.raw });
}

function when(o: Out, w: WhenAst): void {
  o.open('when', () => {
    if (w.beforeAgent !== undefined) o.line(`beforeAgent ${w.beforeAgent}`);
    if (w.beforeInput !== undefined) o.line(`beforeInput ${w.beforeInput}`);
    if (w.beforeOptions !== undefined) o.line(`beforeOptions ${w.beforeOptions}`);
    w.conditions.forEach((c) => condition(o, c));
  });
}

function input(o: Out, i: InputAst): void {
  o.open('input', () => {
    o.line(`message ${expr(textOrStr(i.message))}`);
    if (i.id !== undefined) o.line(`id ${quote(i.id)}`);
    if (i.ok !== undefined) o.line(`ok ${quote(i.ok)}`);
    if (i.submitter !== undefined) o.line(`submitter ${quote(i.submitter)}`);
    if (i.submitterParameter !== undefined) o.line(`submitterParameter ${singleQuoted(checkName(i.submitterParameter))}`);
    if (i.parameters) o.open('parameters', () => i.parameters!.forEach((p) => call(o, p)));
  });
}

function calls(o: Out, section: string, list: readonly Call[] | undefined): void {
  if (list) o.open(section, () => list.forEach((c) => call(o, c)));
}

function directives(o: Out, d: DirectivesAst & { when?: WhenAst; input?: InputAst }, withAgent = true): void {
  if (withAgent && d.agent) agent(o, d.agent);
  if (d.when) when(o, d.when);
  if (d.input) input(o, d.input);
  calls(o, 'options', d.options?.map((x) => x.call));
  calls(o, 'tools', d.tools);
  if (d.environment) environment(o, d.environment);
}

function stages(o: Out, list: readonly StageAst[], section = 'stages'): void {
  o.open(section, () => list.forEach((s) => stage(o, s)));
}

function stage(o: Out, s: StageAst): void {
  o.open(`stage(${singleQuoted(s.name)})`, () => {
    directives(o, s);
    if (s.failFast !== undefined) o.line(`failFast ${s.failFast}`);
    if (s.steps) o.open('steps', () => s.steps!.forEach((c) => call(o, c)));
    if (s.stages) stages(o, s.stages);
    if (s.parallel) stages(o, s.parallel, 'parallel');
    if (s.matrix) matrix(o, s.matrix);
    if (s.post) post(o, s.post);
  });
}

function matrix(o: Out, m: MatrixAst): void {
  const values = (vs: readonly string[]): string => vs.map((v) => singleQuoted(v)).join(', ');
  o.open('matrix', () => {
    o.open('axes', () => m.axes.forEach((a) => o.open('axis', () => {
      o.line(`name ${singleQuoted(checkName(a.name))}`);
      o.line(`values ${values(a.values)}`);
    })));
    if (m.excludes) {
      o.open('excludes', () => m.excludes!.forEach((ex) => o.open('exclude', () => ex.forEach((a) => o.open('axis', () => {
        o.line(`name ${singleQuoted(checkName(a.name))}`);
        if (a.values) o.line(`values ${values(a.values)}`);
        if (a.notValues) o.line(`notValues ${values(a.notValues)}`);
      })))));
    }
    directives(o, m);
    stages(o, m.stages);
    if (m.post) post(o, m.post);
  });
}

/**
 * `@Library([...]) _`, imports, top-level `def` variables and helper functions, each group followed by a blank line.
 * With imports, the annotation sits on the first import (Jenkins' documented form), so no `_` is needed.
 */
function prelude(o: Out, p: PreludeAst | undefined): void {
  if (!p) return;
  const library = p.libraries?.length ? `@Library(${p.libraries.length === 1 ? singleQuoted(p.libraries[0]) : `[${p.libraries.map(singleQuoted).join(', ')}]`})` : undefined;
  if (library && !p.imports?.length) o.line(`${library} _`);
  else if (library) o.line(library);
  for (const i of p.imports ?? []) o.line(`import ${i.isStatic ? 'static ' : ''}${checkName(i.name.replace(/\.\*$/, ''), true)}${i.name.endsWith('.*') ? '.*' : ''}`);
  if (library || p.imports?.length) o.blank();
  for (const v of p.variables) o.line(`${v.field ? '@Field ' : ''}${v.type !== undefined ? checkType(v.type) : 'def'} ${checkName(v.name)} = ${expr(v.value, o.pad)}`);
  if (p.variables.length) o.blank();
  for (const f of p.functions) {
    if (f.nonCps) o.line('@NonCPS');
    const params = f.params.map((x) => `${x.type !== undefined ? `${checkType(x.type)} ` : ''}${checkName(x.name)}${x.default ? ` = ${expr(x.default)}` : ''}`);
    o.open(`def ${checkName(f.name)}(${params.join(', ')})`, () => {
      if (f.raw !== undefined) o.raw(f.raw);
      for (const s of f.steps ?? []) call(o, s);
    });
    o.blank();
  }
}

/** A type name, re-checked before it is emitted (the prelude reports it properly). */
function checkType(type: string): string {
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(<[\w$.,<>? ]+>)?(\[\])*$/.test(type)) throw new Error(`refusing to emit ${JSON.stringify(type)} as a Groovy type`);
  return type;
}

/** A Scripted Jenkinsfile body (without the generated header). */
export function writeScripted(p: PreludeAst, steps: readonly Call[]): string {
  const o = new Out();
  prelude(o, p);
  steps.forEach((s) => call(o, s));
  return o.toString();
}

/** The whole Jenkinsfile body (without the generated header). */
export function writePipeline(p: PipelineAst): string {
  const o = new Out();
  prelude(o, p.prelude);
  o.open('pipeline', () => {
    if (p.agent) agent(o, p.agent);
    if (p.libraries) o.open('libraries', () => p.libraries!.forEach((l) => o.line(`lib(${singleQuoted(l)})`)));
    calls(o, 'options', p.options?.map((x) => x.call));
    calls(o, 'parameters', p.parameters);
    calls(o, 'triggers', p.triggers);
    calls(o, 'tools', p.tools);
    if (p.environment) environment(o, p.environment);
    stages(o, p.stages);
    if (p.post) post(o, p.post);
  });
  return o.toString();
}
