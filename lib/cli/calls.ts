/**
 * The one description of what a YAML document means in slipway's public API: a list of statements (constructor
 * and `addX()` calls with typed values). `check` executes it on an in-memory chart; `import` prints it as
 * TypeScript. Both read the same statements, so the code a user gets is the code the check ran.
 */
import type { FieldPath } from './yaml-source';

/** A value in a call: literals, objects, lists, variables, API members, calls and `new`. */
export type Expr =
  | { readonly kind: 'value'; readonly value: string | number | boolean }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, Expr]> }
  | { readonly kind: 'array'; readonly items: readonly Expr[] }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'api'; readonly path: readonly string[] }
  | { readonly kind: 'member'; readonly target: Expr; readonly name: string }
  | { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly kind: 'new'; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly kind: 'optOut'; readonly value: Expr; readonly rule: string; readonly reason: string };

/** Where a statement came from: a document (its index in the input list) and the field it builds. */
export interface Origin {
  /** Index of the document in the list the reader got. */
  readonly doc: number;
  /** The field of that document this statement builds. */
  readonly path: FieldPath;
}

/** One statement: `const <bind> = <expr>;` or `<expr>;`. */
export interface Statement {
  /** The variable it binds, if any. */
  readonly bind?: string;
  /** The call. */
  readonly expr: Expr;
  /** The document and field it builds. */
  readonly origin: Origin;
}

/** What an importer wrote that is not plain typed API: escape hatches and behaviour-keeping opt-outs. */
export interface ProgramNote {
  /**
   * `escape-hatch` (raw object or JSON patch), `opt-out` (a secure default turned off to keep behaviour) or
   * `conversion` (an older API version built as the one slipway writes).
   */
  readonly kind: 'escape-hatch' | 'opt-out' | 'conversion';
  /** What and why, one line. */
  readonly text: string;
}

/** Literal. */
export const lit = (value: string | number | boolean): Expr => ({ kind: 'value', value });
/** Object literal; `undefined` members are left out. */
export const obj = (entries: Record<string, Expr | undefined>): Expr =>
  ({ kind: 'object', entries: Object.entries(entries).filter((e): e is [string, Expr] => e[1] !== undefined) });
/** List literal. */
export const arr = (items: readonly Expr[]): Expr => ({ kind: 'array', items });
/** A variable bound by an earlier statement (`scope` is the chart). */
export const ref = (name: string): Expr => ({ kind: 'var', name });
/** A member of slipway's public API, by dotted path: `api('tekton.ParamType.ARRAY')`. */
export const api = (dotted: string): Expr => ({ kind: 'api', path: dotted.split('.') });
/** `callee(args)` where callee is an API path. */
export const callApi = (dotted: string, ...args: Expr[]): Expr => ({ kind: 'call', callee: api(dotted), args });
/** `new Ctor(args)`. */
export const construct = (dotted: string, ...args: Expr[]): Expr => ({ kind: 'new', callee: api(dotted), args });
/** `target.name(args)`. */
export const method = (target: Expr, name: string, ...args: Expr[]): Expr =>
  ({ kind: 'call', callee: { kind: 'member', target, name }, args });
/** `target.name`. */
export const member = (target: Expr, name: string): Expr => ({ kind: 'member', target, name });
/**
 * An opt-out prop that silences `rule`: `check` leaves it out (so the rule runs); `import` writes it only where the
 * rule fires without it, to keep the file's behaviour, with `reason` as a comment.
 */
export const optOut = (value: Expr, rule: string, reason: string): Expr => ({ kind: 'optOut', value, rule, reason });
/** Turns plain JSON data into literals (for props whose TypeScript shape is the JSON shape). */
export function data(value: unknown): Expr {
  if (Array.isArray(value)) return arr(value.map(data));
  if (value !== null && typeof value === 'object') return obj(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, data(v)])));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return lit(value);
  return lit(String(value));
}

/** Which opt-outs (by the rule they silence) are part of the program. */
export type OptOutFilter = (rule: string) => boolean;

/** No opt-outs: the interpretation of `slipway check`. */
export const NO_OPT_OUTS: OptOutFilter = () => false;

/** Evaluates an expression against bound variables and the API root (`{ tekton, workloads, … }`). */
export function evaluate(e: Expr, vars: ReadonlyMap<string, unknown>, root: any, include: OptOutFilter): unknown {
  const ev = (x: Expr): unknown => evaluate(x, vars, root, include);
  switch (e.kind) {
    case 'value': return e.value;
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of e.entries) {
        if (v.kind === 'optOut' && !include(v.rule)) continue;
        out[k] = ev(v);
      }
      return out;
    }
    case 'array': return e.items.map(ev);
    case 'var': {
      if (!vars.has(e.name)) throw new Error(`internal: variable ${e.name} is not bound`);
      return vars.get(e.name);
    }
    case 'api': return e.path.reduce((o: any, p) => o?.[p], root);
    case 'member': return (ev(e.target) as any)[e.name];
    case 'call': {
      const args = e.args.map(ev);
      if (e.callee.kind === 'member') {
        const target = ev(e.callee.target) as any;
        return target[e.callee.name](...args);
      }
      const fn = ev(e.callee) as any;
      if (e.callee.kind === 'api' && e.callee.path.length > 1) {
        const owner = e.callee.path.slice(0, -1).reduce((o: any, p) => o?.[p], root);
        return fn.apply(owner, args);
      }
      return fn(...args);
    }
    case 'new': {
      const Ctor = ev(e.callee) as any;
      return new Ctor(...e.args.map(ev));
    }
    case 'optOut': return ev(e.value);
  }
}

/** The variables an expression reads. */
export function variablesOf(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'var': out.add(e.name); break;
    case 'object': e.entries.forEach(([, v]) => variablesOf(v, out)); break;
    case 'array': e.items.forEach((i) => variablesOf(i, out)); break;
    case 'member': variablesOf(e.target, out); break;
    case 'call': case 'new': variablesOf(e.callee, out); e.args.forEach((a) => variablesOf(a, out)); break;
    case 'optOut': variablesOf(e.value, out); break;
    default: break;
  }
  return out;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Prints an expression as TypeScript, indented for `depth`, with the opt-outs `include` keeps. */
export function printExpr(e: Expr, depth = 0, include: OptOutFilter = NO_OPT_OUTS): string {
  return printWith(e, depth, include);
}

function printWith(e: Expr, depth: number, include: OptOutFilter): string {
  const printExpr = (x: Expr, d: number): string => printWith(x, d, include);
  const printArgs = (args: readonly Expr[], d: number): string => args.map((a) => printExpr(a, d)).join(', ');
  const pad = '  '.repeat(depth + 1);
  const end = '  '.repeat(depth);
  switch (e.kind) {
    case 'value': return typeof e.value === 'string' ? stringLiteral(e.value) : String(e.value);
    case 'object': {
      const entries = e.entries.filter(([, v]) => v.kind !== 'optOut' || include(v.rule));
      if (entries.length === 0) return '{}';
      const parts = entries.map(([k, v]) => {
        const key = IDENT.test(k) ? k : stringLiteral(k);
        const comment = v.kind === 'optOut' ? ` // opt-out: ${oneLine(v.reason)}` : '';
        return `${pad}${key}: ${printExpr(v, depth + 1)},${comment}`;
      });
      const flat = `{ ${entries.map(([k, v]) => `${IDENT.test(k) ? k : stringLiteral(k)}: ${printExpr(v, depth + 1)}`).join(', ')} }`;
      if (flat.length <= 80 && !flat.includes('\n') && !entries.some(([, v]) => v.kind === 'optOut')) return flat;
      return `{\n${parts.join('\n')}\n${end}}`;
    }
    case 'array': {
      if (e.items.length === 0) return '[]';
      const flat = `[${e.items.map((i) => printExpr(i, depth + 1)).join(', ')}]`;
      if (flat.length <= 80 && !flat.includes('\n')) return flat;
      return `[\n${e.items.map((i) => `${pad}${printExpr(i, depth + 1)},`).join('\n')}\n${end}]`;
    }
    case 'var': return e.name;
    case 'api': return e.path.join('.');
    case 'member': return `${printExpr(e.target, depth)}.${e.name}`;
    case 'call': return `${printExpr(e.callee, depth)}(${printArgs(e.args, depth)})`;
    case 'new': return `new ${printExpr(e.callee, depth)}(${printArgs(e.args, depth)})`;
    case 'optOut': return printExpr(e.value, depth);
  }
}

/** A TypeScript string literal: single quotes, or a template-free escape of everything unusual. */
export function stringLiteral(s: string): string {
  return `'${s.replace(/[\\'\n\r\t\u2028\u2029]|[\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\': return '\\\\';
      case "'": return "\\'";
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  })}'`;
}

/** Comment-safe single line (no comment terminators, no newlines). */
export function oneLine(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** Prints a statement as one TypeScript statement. */
export function printStatement(s: Statement, include: OptOutFilter = NO_OPT_OUTS): string {
  const body = printExpr(s.expr, 1, include);
  return s.bind ? `  const ${s.bind} = ${body};` : `  ${body};`;
}
