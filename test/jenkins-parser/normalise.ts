/**
 * Maps slipway's parser tree onto the shape ast-dump.groovy gives Groovy 2.4's AST: no positions or quoting,
 * parentheses gone, named arguments gathered into one leading map (as Groovy does), closures as trailing
 * arguments, GString text pieces merged, methods and imports listed apart from the statements.
 */
import { GArg, GExpr, GScript, GStmt } from '../../lib/jenkins/parser';

type J = unknown;

const op = (o: string | undefined): string => o ?? '.';

function args(list: readonly GArg[], closures: readonly GExpr[] = []): J[] {
  const named = list.filter((a) => a.name);
  const positional = list.filter((a) => !a.name).map((a) => expr(a.value));
  const out: J[] = named.length ? [{ map: named.map((a) => [expr(a.name!), expr(a.value)]) }] : [];
  return [...out, ...positional, ...closures.map(expr)];
}

/** One expression in the normalised shape. */
export function expr(e: GExpr | undefined): J {
  if (!e) return null;
  switch (e.k) {
    case 'str': return { s: e.v };
    case 'gstr': {
      const parts: J[] = [];
      let buf = '';
      for (const p of e.parts) {
        if (typeof p === 'string') { buf += p; continue; }
        if (buf) parts.push({ s: buf });
        buf = '';
        parts.push(expr(p));
      }
      if (buf) parts.push({ s: buf });
      return { g: parts };
    }
    case 'num': return { n: e.v };
    case 'bool': return { c: e.v };
    case 'null': return { c: null };
    case 'var': return { v: e.name };
    case 'prop': return { p: e.name, o: expr(e.obj), op: e.op };
    case 'call': return { m: e.name, o: e.obj ? expr(e.obj) : null, op: op(e.op), a: args(e.args, e.closures) };
    case 'new': return { new: e.type, a: args(e.args) };
    case 'list': return { l: e.items.map(expr) };
    case 'map': return { map: e.entries.map((x) => [expr(x.key), expr(x.value)]) };
    case 'closure': return { cl: e.params ? e.params.map((p) => p.name) : null, b: stmts(e.body) };
    case 'bin': return { b: e.op, l: expr(e.l), r: expr(e.r) };
    case 'tern': return { t: [expr(e.c), expr(e.t), expr(e.f)] };
    case 'elvis': return { elvis: [expr(e.c), expr(e.f)] };
    case 'unary': {
      const kind = ({ '!': 'not', '-': 'neg', '+': 'pos', '~': 'bnot' } as Record<string, string>)[e.op];
      return kind ? { [kind]: expr(e.e) } : { pre: e.op, e: expr(e.e) };
    }
    case 'postfix': return { post: e.op, e: expr(e.e) };
    case 'cast': return e.op === 'as' ? { as: e.type, e: expr(e.e) } : { b: 'instanceof', l: expr(e.e), r: { class: e.type } };
    case 'range': return { range: [expr(e.from), expr(e.to)], incl: e.inclusive };
    case 'mref': return { mref: e.name, o: expr(e.obj) };
    case 'spread': return { spread: expr(e.e) };
  }
}

function decl(s: Extract<GStmt, { k: 'decl' }>): J {
  const out: Record<string, J> = { decl: s.name, value: s.value ? expr(s.value) : null };
  if (s.annotations.length) {
    out.ann = s.annotations.map((a) => ({ name: a.name, members: Object.fromEntries(a.args.map((x) => [x.name ? (x.name as { v: string }).v : 'value', expr(x.value)])) }));
  }
  return out;
}

const body = (s: GStmt | undefined): J[] => (s === undefined ? [] : s.k === 'block' ? stmts(s.body) : stmts([s]));

/** Statements in the normalised shape (method definitions and imports are listed by {@link script}). */
export function stmts(list: readonly GStmt[]): J[] {
  const out: J[] = [];
  for (const s of list) {
    switch (s.k) {
      case 'expr': out.push(expr(s.e)); break;
      case 'decl': out.push(decl(s)); break;
      case 'method': case 'import': break;
      case 'block': out.push(...stmts(s.body)); break;
      case 'if': out.push({ if: expr(s.cond), then: body(s.then), else: body(s.else) }); break;
      case 'for':
        if (s.coll) out.push({ for: s.name, in: expr(s.coll), body: body(s.body) });
        else out.push({ forc: [s.init ? (s.init.k === 'decl' ? decl(s.init) : stmts([s.init])[0]) : null, expr(s.cond), expr(s.update)], body: body(s.body) });
        break;
      case 'while': out.push({ while: expr(s.cond), body: body(s.body) }); break;
      // Groovy's AST holds a multi-catch `catch (A | B e)` as one clause per type.
      case 'try': out.push({ try: stmts(s.body), catch: s.catches.flatMap((c) => (c.types.length > 1 ? c.types : [undefined]).map(() => ({ var: c.name, body: stmts(c.body) }))), finally: stmts(s.fin ?? []) }); break;
      case 'switch': {
        const cases: J[] = [];
        let dflt: J[] = [];
        for (const c of s.cases) {
          if (c.values.length === 0) { dflt = stmts(c.body); continue; }
          c.values.forEach((v, i) => cases.push({ value: expr(v), body: i === c.values.length - 1 ? stmts(c.body) : [] }));
        }
        out.push({ switch: expr(s.e), cases, default: dflt });
        break;
      }
      case 'return': out.push({ return: s.e ? expr(s.e) : { c: null } }); break;
      case 'throw': out.push({ throw: expr(s.e) }); break;
      case 'assert': out.push({ assert: expr(s.cond), msg: s.message ? expr(s.message) : { c: null } }); break;
      case 'break': out.push({ break: true }); break;
      case 'continue': out.push({ continue: true }); break;
    }
  }
  return out;
}

/** A whole script: sorted imports, script methods in order, then the statements. */
export function script(ast: GScript): J {
  const imports: string[] = [];
  const importAnnotations: string[] = [];
  const methods: J[] = [];
  for (const s of ast.body) {
    if (s.k === 'import') {
      importAnnotations.push(...s.annotations.map((a) => a.name.split('.').pop()!));
      const simple = s.name.split('.').pop();
      imports.push(s.isStatic ? `static ${s.name}${s.star ? '.*' : ''}` : s.star ? `${s.name}.*` : s.alias && s.alias !== simple ? `${s.name} as ${s.alias}` : s.name);
    }
    if (s.k === 'method') methods.push({ method: s.name, params: s.params.map((p) => ({ name: p.name, value: p.value ? expr(p.value) : null })), body: stmts(s.body) });
  }
  return { imports: imports.sort(), importAnnotations: importAnnotations.sort(), methods, body: stmts(ast.body) };
}
