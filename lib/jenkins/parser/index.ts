/**
 * The Jenkinsfile parser: Groovy 2.4's syntax for Declarative, hybrid and Scripted Jenkinsfiles, built on a
 * chevrotain lexer and parser. It never throws on bad input: every problem is a diagnostic with a position.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import { GExpr, GScript, GStmt, Pos } from './ast';
import type * as LexerModule from './lexer';
import type * as GrammarModule from './parser';
import { decodeString } from './strings';

export * from './ast';

/** One problem found while parsing, with its 1-based position. */
export interface ParseDiagnostic {
  readonly line: number;
  readonly column: number;
  /** `groovy-syntax` (Groovy 2.4 rejects it), `unsupported-groovy` (valid Groovy the parser does not read), `not-declarative`, … */
  readonly rule: string;
  readonly message: string;
}

/** What {@link parseJenkinsfile} returns. */
export interface ParsedJenkinsfile {
  /** The statements (empty when the file does not parse). */
  readonly ast: GScript;
  /** `declarative` (a top-level `pipeline {}`), `scripted` (no `pipeline`), or `unknown` when it does not parse. */
  readonly kind: 'declarative' | 'scripted' | 'unknown';
  /** The `pipeline { }` call, for Declarative files. */
  readonly pipeline?: Extract<GExpr, { k: 'call' }>;
  readonly diagnostics: readonly ParseDiagnostic[];
}

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The lexer and the grammar, loaded on the first parse rather than with slipway: they load chevrotain and build its
 * tables (~200 ms), which an app without raw Groovy never needs.
 */
let engine: { readonly lexer: typeof LexerModule; readonly grammar: typeof GrammarModule; readonly parser: GrammarModule.GroovyParser } | undefined;
function loaded(): NonNullable<typeof engine> {
  if (!engine) {
    const grammar: typeof GrammarModule = require('./parser');
    engine = { lexer: require('./lexer'), grammar, parser: new grammar.GroovyParser() };
  }
  return engine;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The Groovy lexer (loaded on first use), for readers that work on tokens. */
export const groovyLexer = (): typeof LexerModule => loaded().lexer;

function syntaxDiagnostic(e: IRecognitionException): ParseDiagnostic {
  const t = e.token;
  const eof = t.tokenType?.name === 'EOF' || t.image === undefined || t.image === '';
  const prev = (e as { previousToken?: IToken }).previousToken;
  const at: Pos = eof && prev ? { line: prev.endLine ?? 1, column: (prev.endColumn ?? 0) + 1 } : { line: t.startLine ?? 1, column: t.startColumn ?? 1 };
  const what = eof ? 'end of file' : t.tokenType === loaded().lexer.NL ? 'a line break' : `'${t.image}'`;
  return { ...at, rule: 'unsupported-groovy', message: `unsupported Groovy: unexpected ${what}` };
}

/** Lexes, filters and positions tokens of `text`, which starts at `base` in the file. */
/**
 * Groovy (like Java) turns `\uXXXX` into its character before lexing, anywhere in the file: a backslash preceded
 * by an even number of backslashes, then one or more `u` and four hex digits. So `// \u000a evil()` is a
 * statement. The text is translated the same way; `origin` maps each translated offset back to the source.
 */
function translateUnicodeEscapes(text: string): { text: string; origin?: number[] } {
  if (!text.includes('\\u')) return { text };
  let out = '';
  const origin: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      let run = 0;
      while (text[i + run] === '\\') run++;
      // Pairs of backslashes stay as they are; an odd one out may start an escape.
      for (let k = 0; k < run - (run % 2); k++) { out += '\\'; origin.push(i + k); }
      i += run - (run % 2);
      if (run % 2 === 1) {
        const m = /^\\u+([0-9a-fA-F]{4})/.exec(text.slice(i, i + 64));
        if (m) { out += String.fromCharCode(parseInt(m[1], 16)); origin.push(i); i += m[0].length; }
        else { out += '\\'; origin.push(i); i++; }
      }
      continue;
    }
    out += text[i];
    origin.push(i);
    i++;
  }
  origin.push(text.length);
  return { text: out, origin };
}

function tokens(text0: string, base: Pos): { toks: IToken[]; error?: ParseDiagnostic } {
  const { text, origin } = translateUnicodeEscapes(text0);
  const { GroovyLexer, significantTokens } = loaded().lexer;
  const lexed = GroovyLexer.tokenize(text);
  // Positions are given in the source as written, before the translation.
  const starts = [0];
  for (let i = 0; i < text0.length; i++) if (text0[i] === '\n') starts.push(i + 1);
  const at = (offset: number): { line: number; column: number } => {
    const o = origin ? origin[offset] : offset;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= o) lo = mid; else hi = mid - 1; }
    return { line: lo + 1, column: o - starts[lo] + 1 };
  };
  if (origin) {
    for (const t of lexed.tokens) {
      const st = at(t.startOffset);
      const en = at(t.endOffset ?? t.startOffset);
      t.startLine = st.line; t.startColumn = st.column; t.endLine = en.line; t.endColumn = en.column;
    }
    for (const e of lexed.errors) { const st = at(e.offset); e.line = st.line; e.column = st.column; }
  }
  const shift = (t: IToken): IToken => {
    if (base.line === 1 && base.column === 1) return t;
    const onFirst = t.startLine === 1;
    return { ...t, startLine: (t.startLine ?? 1) + base.line - 1, endLine: (t.endLine ?? 1) + base.line - 1,
      startColumn: onFirst ? (t.startColumn ?? 1) + base.column - 1 : t.startColumn,
      endColumn: t.endLine === 1 ? (t.endColumn ?? 1) + base.column - 1 : t.endColumn };
  };
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0];
    const ch = text[e.offset];
    const line = (e.line ?? 1) + base.line - 1;
    const column = (e.line === 1 ? base.column - 1 : 0) + (e.column ?? 1);
    const message = ch === "'" || ch === '"' ? `unexpected char: ${ch}: the string is not closed on this line`
      : ch === '\\' ? 'unexpected char: \'\\\' outside a string' : `unexpected char: ${JSON.stringify(ch)}`;
    return { toks: [], error: { line, column, rule: 'groovy-syntax', message } };
  }
  return { toks: significantTokens(lexed.tokens.map(shift)) };
}

function positionIn(t: IToken, offset: number): Pos {
  const before = t.image.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { line: t.startLine ?? 1, column: (t.startColumn ?? 1) + offset };
  return { line: (t.startLine ?? 1) + lines.length - 1, column: lines[lines.length - 1].length + 1 };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Parses Groovy source (a whole file, or a `script {}` body starting at `base`). Never throws. */
export function parseGroovy(text: string, base: Pos = { line: 1, column: 1 }): { ast: GScript; diagnostics: ParseDiagnostic[] } {
  const { parser: p, grammar: { GroovySyntaxError } } = loaded();
  const empty: GScript = { body: [] };
  const lexed = tokens(text, base);
  if (lexed.error) return { ast: empty, diagnostics: [lexed.error] };
  p.pending = [];
  p.input = lexed.toks;
  let ast: GScript;
  try {
    ast = p.script();
  } catch (e) {
    if (e instanceof GroovySyntaxError) return { ast: empty, diagnostics: [{ ...e.pos, rule: ruleOf(e.message), message: e.message }] };
    throw e;
  }
  if (p.errors.length > 0) return { ast: empty, diagnostics: [syntaxDiagnostic(p.errors[0])] };
  // String literals are decoded after the parse: `${…}` parts are parsed again as expressions.
  while (p.pending.length > 0) {
    const { token, node } = p.pending.shift()!;
    const d = decodeString(token.image);
    if (d.error) return { ast: empty, diagnostics: [{ ...positionIn(token, d.error.offset), rule: 'groovy-syntax', message: d.error.message }] };
    const parts: Array<string | GExpr> = [];
    for (const part of d.parts) {
      if (typeof part === 'string') { parts.push(part); continue; }
      const at = positionIn(token, part.offset);
      if ('path' in part) {
        let e: GExpr = { k: 'var', name: part.path[0], pos: at };
        for (const n of part.path.slice(1)) e = { k: 'prop', obj: e, name: n, op: '.', pos: at };
        parts.push(e);
        continue;
      }
      if (part.src.trim() === '') {
        return { ast: empty, diagnostics: [{ ...at, rule: 'unsupported-groovy', message: 'unsupported Groovy: an empty ${} in a string' }] };
      }
      const saved = p.pending;
      p.pending = [];
      const sub = tokens(part.src, at);
      if (sub.error) return { ast: empty, diagnostics: [sub.error] };
      p.input = sub.toks;
      let e: GExpr;
      try {
        e = p.expression();
      } catch (err) {
        if (err instanceof GroovySyntaxError) return { ast: empty, diagnostics: [{ ...err.pos, rule: ruleOf(err.message), message: err.message }] };
        throw err;
      }
      if (p.errors.length > 0) return { ast: empty, diagnostics: [syntaxDiagnostic(p.errors[0])] };
      p.pending = [...saved, ...p.pending];
      parts.push(e);
    }
    const n = node as unknown as Mutable<{ k: string; v?: string; parts?: Array<string | GExpr> }>;
    if (parts.every((x) => typeof x === 'string')) {
      n.k = 'str';
      n.v = parts.join('');
      delete n.parts;
    } else {
      n.k = 'gstr';
      n.parts = parts;
      delete n.v;
    }
  }
  // Groovy 2.4 only allows method definitions at the top of a script (or in a class).
  const nested: ParseDiagnostic[] = [];
  visitStatements(ast.body, (st, depth) => {
    if (depth > 0 && st.k === 'method') nested.push({ ...st.pos, rule: 'groovy-syntax', message: 'Method definition not expected here' });
  });
  return { ast, diagnostics: nested };
}

function ruleOf(message: string): string {
  return message.startsWith('not Groovy 2.4') ? 'groovy-syntax' : 'unsupported-groovy';
}

/** Calls anywhere under `stmts` (closures included), in source order. */
export function visitStatements(stmts: readonly GStmt[], visit: (s: GStmt, depth: number) => void, depth = 0): void {
  for (const s of stmts) {
    visit(s, depth);
    for (const child of childStatements(s)) visitStatements(child, visit, depth + 1);
  }
}

/** The statement lists nested in a statement (blocks, bodies and the closures of its expressions). */
export function childStatements(s: GStmt): Array<readonly GStmt[]> {
  const out: Array<readonly GStmt[]> = [];
  const fromExpr = (e: GExpr | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case 'closure': out.push(e.body); break;
      case 'call': if (e.obj) fromExpr(e.obj); e.args.forEach((a) => fromExpr(a.value)); e.closures.forEach((c) => out.push(c.body)); break;
      case 'gstr': e.parts.forEach((x) => typeof x !== 'string' && fromExpr(x)); break;
      case 'prop': case 'mref': fromExpr(e.obj); break;
      case 'new': e.args.forEach((a) => fromExpr(a.value)); break;
      case 'list': e.items.forEach(fromExpr); break;
      case 'map': e.entries.forEach((x) => { fromExpr(x.key); fromExpr(x.value); }); break;
      case 'bin': fromExpr(e.l); fromExpr(e.r); break;
      case 'tern': fromExpr(e.c); fromExpr(e.t); fromExpr(e.f); break;
      case 'elvis': fromExpr(e.c); fromExpr(e.f); break;
      case 'unary': case 'postfix': case 'cast': case 'spread': fromExpr(e.e); break;
      case 'range': fromExpr(e.from); fromExpr(e.to); break;
      default: break;
    }
  };
  switch (s.k) {
    case 'expr': fromExpr(s.e); break;
    case 'decl': fromExpr(s.value); break;
    case 'method': out.push(s.body); break;
    case 'if': out.push([s.then]); if (s.else) out.push([s.else]); fromExpr(s.cond); break;
    case 'block': out.push(s.body); break;
    case 'for': if (s.init) out.push([s.init]); fromExpr(s.coll); fromExpr(s.cond); fromExpr(s.update); out.push([s.body]); break;
    case 'while': fromExpr(s.cond); out.push([s.body]); break;
    case 'try': out.push(s.body); s.catches.forEach((c) => out.push(c.body)); if (s.fin) out.push(s.fin); break;
    case 'switch': fromExpr(s.e); s.cases.forEach((c) => out.push(c.body)); break;
    case 'return': case 'throw': fromExpr(s.e); break;
    case 'assert': fromExpr(s.cond); fromExpr(s.message); break;
    default: break;
  }
  return out;
}

const isPipelineCall = (s: GStmt): s is { k: 'expr'; e: Extract<GExpr, { k: 'call' }>; pos: Pos } =>
  s.k === 'expr' && s.e.k === 'call' && !s.e.obj && s.e.name === 'pipeline' && s.e.closures.length === 1;

/**
 * Parses a Jenkinsfile: Declarative (`pipeline { … }` with an optional prelude of imports, `@Library`, `def`
 * variables and helper functions) or Scripted (`node { … }`, `podTemplate`, `properties`, …).
 */
export function parseJenkinsfile(text: string): ParsedJenkinsfile {
  const { ast, diagnostics } = parseGroovy(text);
  if (diagnostics.length > 0) return { ast, kind: 'unknown', diagnostics };
  const out: ParseDiagnostic[] = [];
  const top = ast.body.filter(isPipelineCall);
  visitStatements(ast.body, (s, depth) => {
    if (depth > 0 && isPipelineCall(s)) {
      out.push({ ...s.pos, rule: 'pipeline-top-level', message: 'not Declarative: pipeline block must be at the top-level, not within another block' });
    }
  });
  if (top.length > 1) {
    out.push({ ...top[1].pos, rule: 'pipeline-top-level', message: 'not Declarative: only one pipeline block is allowed' });
  }
  const pipeline = top[0]?.e;
  return { ast, kind: pipeline ? 'declarative' : 'scripted', pipeline, diagnostics: out };
}

/**
 * Checks raw Groovy meant for a `script { }` or `expression { }` body: it must parse, and hold no method, class
 * or import definitions (Groovy: "Method definition not expected here") and no nested `pipeline`. Positions are
 * relative to `base` (default: the body's first character is line 1, column 1).
 */
export function checkGroovyBlock(text: string, base: Pos = { line: 1, column: 1 }): ParseDiagnostic[] {
  const { ast, diagnostics } = parseGroovy(text, base);
  if (diagnostics.length > 0) return diagnostics;
  const out: ParseDiagnostic[] = [];
  visitStatements(ast.body, (s) => {
    if (s.k === 'method') out.push({ ...s.pos, rule: 'groovy-syntax', message: 'Method definition not expected here' });
    else if (s.k === 'import') out.push({ ...s.pos, rule: 'groovy-syntax', message: 'import not expected here' });
    else if (isPipelineCall(s)) {
      out.push({ ...s.pos, rule: 'pipeline-top-level', message: 'pipeline block must be at the top-level, not within another block' });
    }
  });
  return out;
}
