/**
 * The Groovy-subset grammar, as a chevrotain embedded-actions parser that builds the tree of ast.ts directly.
 * It follows Groovy 2.4's grammar where Jenkinsfiles need it: newline-terminated statements, command expressions
 * (`sh 'make'`, `agent any`, `git url: 'x'`), trailing closures, named arguments, declarations told from commands
 * the way Groovy does (a `def`, a modifier, an annotation, or an upper-case or primitive type before a name).
 */
import type { IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain';
import {
  GAnnotation, GArg, GCase, GCatch, GClosure, GExpr, GParam, GScript, GStmt, Pos,
} from './ast';
import {
  ALL_TOKENS, AndOp, AnyName, Arrow, Assign, AssignOp, At, AttrDot, BitAnd, BitOr, BitXor, Colon, Comma, Div, DollarSlashy, Dot,
  DoubleQuoted, Elvis, EqualityOp, Ident, KW, LBrace, LBracket, LParen, MODIFIERS, MethodRef, Minus, MinusMinus, Mod, NL,
  Not, NumberLit, OrOp, Plus, PlusPlus, Power, Question, RBrace, RBracket, RParen, RangeOp, RelOp, SafeDot, Semi, ShiftOp,
  SingleQuoted, Slashy, SpreadDot, Star, Tilde, TripleDouble, TripleSingle,
} from './lexer';

/** A problem the grammar actions find (raised with the token it is about). */
export class GroovySyntaxError extends Error {
  constructor(message: string, public readonly pos: Pos) {
    super(message);
  }
}

/** A string token whose parts are decoded after the parse (GString parts need the parser again). */
export interface PendingString {
  readonly token: IToken;
  readonly node: { parts: Array<string | GExpr>; k: string; v?: string };
}

const STRING_TOKENS = [SingleQuoted, DoubleQuoted, TripleSingle, TripleDouble, Slashy, DollarSlashy];
const PRIMITIVES = new Set(['boolean', 'byte', 'char', 'short', 'int', 'long', 'float', 'double']);
const MODIFIER_TOKENS = MODIFIERS.map((m) => KW[m]);

export const pos = (t: IToken): Pos => ({ line: t.startLine ?? 1, column: t.startColumn ?? 1 });
const is = (t: IToken, ...types: TokenType[]): boolean => types.some((ty) => tokenMatcher(t, ty));
const isString = (t: IToken): boolean => is(t, ...STRING_TOKENS);

function numberValue(image: string): number {
  const s = image.replace(/_/g, '').replace(/[lLiIgGdDfF]$/, (m) => (/^0[xX]/.test(image) && /[dDfF]/.test(m) ? m : ''));
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2), 2);
  if (/^0[0-7]+$/.test(s)) return parseInt(s.slice(1), 8);
  return Number(s);
}

const { EOF, EmbeddedActionsParser, tokenMatcher } = chevrotain;

export class GroovyParser extends EmbeddedActionsParser {
  /** String literals met during the parse, decoded afterwards. */
  public pending: PendingString[] = [];

  constructor() {
    super(ALL_TOKENS, { maxLookahead: 1, recoveryEnabled: false, skipValidations: true });
    this.performSelfAnalysis();
  }

  // ---- gates: small forward scans over the token stream (never during grammar recording) ----

  /** Skips a type at token k (qualified name, generics, array brackets); returns the index after it or 0. */
  private scanType(k: number): number {
    if (!is(this.LA(k), Ident)) return 0;
    k++;
    while (is(this.LA(k), Dot) && is(this.LA(k + 1), Ident)) k += 2;
    if (is(this.LA(k), RelOp) && this.LA(k).image === '<') {
      let depth = 0;
      for (;;) {
        const t = this.LA(k);
        if (is(t, EOF) || is(t, NL) || is(t, LBrace)) return 0;
        if (is(t, RelOp) && t.image === '<') depth++;
        else if (is(t, RelOp) && t.image === '>') depth--;
        else if (is(t, ShiftOp)) depth -= t.image.length;
        k++;
        if (depth <= 0) break;
      }
    }
    while (is(this.LA(k), LBracket) && is(this.LA(k + 1), RBracket)) k += 2;
    return k;
  }

  /** A type followed by a name (`String x`, `Map<String, Object> m`). */
  private typeThenName(): boolean {
    const after = this.scanType(1);
    return after > 0 && is(this.LA(after), AnyName);
  }

  private isDeclStart(): boolean {
    const t = this.LA(1);
    if (is(t, KW.def, KW.void, At, ...MODIFIER_TOKENS)) return true;
    if (!is(t, Ident)) return false;
    const first = t.image;
    const typeLike = PRIMITIVES.has(first) || /^[A-Z]/.test(first) || (is(this.LA(2), Dot) && /^[a-z]/.test(first));
    if (!typeLike) return false;
    const after = this.scanType(1);
    if (after === 0 || !is(this.LA(after), Ident)) return false;
    const next = this.LA(after + 1);
    // A qualified lower-case "type" is only a declaration when something declaration-like follows the name.
    return is(next, Assign, NL, Semi, RBrace, EOF, LParen) && (PRIMITIVES.has(first) || /^[A-Z]/.test(first) || is(next, Assign));
  }

  private isCommand(): boolean {
    if (!is(this.LA(1), Ident)) return false;
    let k = 2;
    while (is(this.LA(k), Dot, SafeDot) && is(this.LA(k + 1), AnyName)) k += 2;
    const t = this.LA(k);
    return is(t, Ident, NumberLit, KW.true, KW.false, KW.null, KW.new, ...STRING_TOKENS)
      || (is(t, AnyName) && is(this.LA(k + 1), Colon));
  }

  private isNamedArg(): boolean {
    const t = this.LA(1);
    if (is(t, LParen)) {
      // `(expr): value`: a computed key.
      let depth = 0;
      for (let k = 1; ; k++) {
        const u = this.LA(k);
        if (is(u, EOF)) return false;
        if (is(u, LParen)) depth++;
        else if (is(u, RParen) && --depth === 0) return is(this.LA(k + 1), Colon);
      }
    }
    return is(this.LA(2), Colon) && (is(t, AnyName, NumberLit) || isString(t));
  }

  private isClosureParams(): boolean {
    for (let k = 2; ; k++) {
      const t = this.LA(k);
      if (is(t, Arrow)) return true;
      if (!(is(t, AnyName, Comma, Dot, LBracket, RBracket) || (is(t, RelOp) && /^[<>]$/.test(t.image)))) return false;
    }
  }

  private isForIn(): boolean {
    let k = 1;
    if (is(this.LA(1), KW.def)) k = 2;
    else if (is(this.LA(1), Ident) && is(this.LA(2), Ident)) k = 2;
    return is(this.LA(k), Ident) && is(this.LA(k + 1), KW.in, Colon);
  }

  /** Annotations (`@Library('x')`) followed by `import`. */
  private isAnnotatedImport(): boolean {
    let k = 1;
    while (is(this.LA(k), At)) {
      if (!is(this.LA(k + 1), Ident)) return false;
      k += 2;
      while (is(this.LA(k), Dot) && is(this.LA(k + 1), Ident)) k += 2;
      if (is(this.LA(k), LParen)) {
        for (let depth = 0; ; k++) {
          const u = this.LA(k);
          if (is(u, EOF)) return false;
          if (is(u, LParen)) depth++;
          else if (is(u, RParen) && --depth === 0) { k++; break; }
        }
      }
      while (is(this.LA(k), NL)) k++;
    }
    return k > 1 && is(this.LA(k), KW.import);
  }

  private atCaseEnd(): boolean {
    return is(this.LA(1), KW.case, KW.default, RBrace, EOF);
  }

  // ---- statements ----

  public script = this.RULE('script', (): GScript => {
    const body = this.SUBRULE(this.statements);
    return { body };
  });

  private sep = this.RULE('sep', () => {
    this.OR([{ ALT: () => this.CONSUME(NL) }, { ALT: () => this.CONSUME(Semi) }]);
  });

  private statements = this.RULE('statements', (): GStmt[] => {
    const out: GStmt[] = [];
    this.MANY(() => this.SUBRULE(this.sep));
    this.OPTION(() => {
      const s = this.SUBRULE(this.statement);
      this.ACTION(() => out.push(this.ended(s)));
      this.MANY2(() => {
        this.AT_LEAST_ONE(() => this.SUBRULE2(this.sep));
        this.OPTION2(() => {
          const s2 = this.SUBRULE2(this.statement);
          this.ACTION(() => out.push(this.ended(s2)));
        });
      });
    });
    return out;
  });

  /** Records where a statement ends: just after its last token (readers slice its source text with it). */
  private ended(s: GStmt): GStmt {
    const t = this.LA(0);
    (s as { end?: Pos }).end = { line: t.endLine ?? 1, column: (t.endColumn ?? 0) + 1 };
    return s;
  }

  private block = this.RULE('block', (): GStmt[] => {
    this.CONSUME(LBrace);
    const body = this.SUBRULE(this.statements);
    this.CONSUME(RBrace);
    return body;
  });

  private nls = this.RULE('nls', () => {
    this.MANY(() => this.CONSUME(NL));
  });

  private statement = this.RULE('statement', (): GStmt => this.OR({
    IGNORE_AMBIGUITIES: true,
    DEF: [
      { GATE: () => is(this.LA(1), KW.import) || this.isAnnotatedImport(), ALT: () => this.SUBRULE(this.importStmt) },
      { ALT: () => this.SUBRULE(this.ifStmt) },
      { ALT: () => this.SUBRULE(this.forStmt) },
      { ALT: () => this.SUBRULE(this.whileStmt) },
      { ALT: () => this.SUBRULE(this.tryStmt) },
      { ALT: () => this.SUBRULE(this.switchStmt) },
      {
        ALT: () => {
          const t = this.CONSUME(KW.return);
          const e = this.OPTION(() => this.SUBRULE(this.expression));
          return { k: 'return' as const, e, pos: pos(t) };
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(KW.throw);
          const e = this.SUBRULE2(this.expression);
          return { k: 'throw' as const, e, pos: pos(t) };
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(KW.assert);
          const cond = this.SUBRULE4(this.expression);
          const message = this.OPTION2(() => {
            this.OR3([{ ALT: () => this.CONSUME(Colon) }, { ALT: () => this.CONSUME(Comma) }]);
            return this.SUBRULE5(this.expression);
          });
          return { k: 'assert' as const, cond, message, pos: pos(t) };
        },
      },
      { ALT: () => ({ k: 'break' as const, pos: pos(this.CONSUME(KW.break)) }) },
      { ALT: () => ({ k: 'continue' as const, pos: pos(this.CONSUME(KW.continue)) }) },
      {
        ALT: () => {
          const t = this.OR2([{ ALT: () => this.CONSUME(KW.class) }, { ALT: () => this.CONSUME(KW.interface) },
            { ALT: () => this.CONSUME(KW.enum) }, { ALT: () => this.CONSUME(KW.trait) }]);
          return this.ACTION(() => {
            throw new GroovySyntaxError(`unsupported Groovy: ${t.image} definitions are not read (write them in a shared library)`, pos(t));
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(KW.do);
          return this.ACTION(() => {
            throw new GroovySyntaxError('not Groovy 2.4: do/while loops need Groovy 3 (Jenkins runs Groovy 2.4)', pos(t));
          });
        },
      },
      { GATE: () => this.isDeclStart(), ALT: () => this.SUBRULE(this.declaration) },
      { GATE: () => this.isCommand(), ALT: () => this.exprStmt(this.SUBRULE(this.command)) },
      { ALT: () => this.exprStmt(this.SUBRULE3(this.expression)) },
    ],
  }));

  private exprStmt(e: GExpr): GStmt {
    return this.ACTION(() => ({ k: 'expr' as const, e, pos: e.pos }));
  }

  private importStmt = this.RULE('importStmt', (): GStmt => {
    const t = this.LA(1);
    const annotations: GAnnotation[] = [];
    this.MANY2(() => { const a = this.SUBRULE(this.annotation); this.ACTION(() => annotations.push(a)); });
    this.CONSUME(KW.import);
    const isStatic = this.OPTION(() => this.CONSUME(KW.static)) !== undefined;
    const parts: string[] = [this.CONSUME(Ident).image];
    let star = false;
    this.MANY(() => {
      this.CONSUME(Dot);
      this.OR([
        { ALT: () => { const n = this.CONSUME(AnyName); this.ACTION(() => parts.push(n.image)); } },
        { ALT: () => { this.CONSUME(Star); star = true; } },
      ]);
    });
    const alias = this.OPTION2(() => {
      this.CONSUME(KW.as);
      return this.CONSUME2(Ident).image;
    });
    return { k: 'import', name: parts.join('.'), star, isStatic, alias, annotations, pos: pos(t) };
  });

  private stmtOrBlock = this.RULE('stmtOrBlock', (): GStmt => {
    this.SUBRULE(this.nls);
    return this.OR([
      { ALT: () => { const t = this.LA(1); const body = this.SUBRULE(this.block); return this.ACTION(() => this.ended({ k: 'block' as const, body, pos: pos(t) })); } },
      { ALT: () => { const st = this.SUBRULE(this.statement); return this.ACTION(() => this.ended(st)); } },
    ]);
  });

  private parenExpr = this.RULE('parenExpr', (): GExpr => {
    this.CONSUME(LParen);
    const e = this.SUBRULE(this.expression);
    this.CONSUME(RParen);
    return e;
  });

  private ifStmt = this.RULE('ifStmt', (): GStmt => {
    const t = this.CONSUME(KW.if);
    const cond = this.SUBRULE(this.parenExpr);
    const then = this.SUBRULE(this.stmtOrBlock);
    const els = this.OPTION(() => {
      this.CONSUME(KW.else);
      return this.SUBRULE2(this.stmtOrBlock);
    });
    return { k: 'if', cond, then, else: els, pos: pos(t) };
  });

  private whileStmt = this.RULE('whileStmt', (): GStmt => {
    const t = this.CONSUME(KW.while);
    const cond = this.SUBRULE(this.parenExpr);
    const body = this.SUBRULE(this.stmtOrBlock);
    return { k: 'while', cond, body, pos: pos(t) };
  });

  private forStmt = this.RULE('forStmt', (): GStmt => {
    const t = this.CONSUME(KW.for);
    this.CONSUME(LParen);
    const head = this.OR([
      {
        GATE: () => this.isForIn(),
        ALT: () => {
          let type: string | undefined;
          this.OPTION({
            GATE: () => is(this.LA(1), KW.def) || is(this.LA(2), Ident),
            DEF: () => this.OR2([
              { ALT: () => { this.CONSUME(KW.def); } },
              { ALT: () => { type = this.CONSUME(Ident).image; } },
            ]),
          });
          const name = this.CONSUME2(Ident).image;
          this.OR3([{ ALT: () => this.CONSUME(KW.in) }, { ALT: () => this.CONSUME(Colon) }]);
          const coll = this.SUBRULE(this.expression);
          return { name, type, coll };
        },
      },
      {
        ALT: () => {
          const init = this.OPTION2(() => this.OR4([
            { GATE: () => this.isDeclStart(), ALT: () => this.SUBRULE(this.declaration) },
            { ALT: () => this.exprStmt(this.SUBRULE2(this.expression)) },
          ]));
          this.CONSUME(Semi);
          const cond = this.OPTION3(() => this.SUBRULE3(this.expression));
          this.CONSUME2(Semi);
          const update = this.OPTION4(() => this.SUBRULE4(this.expression));
          return { init, cond, update };
        },
      },
    ]);
    this.CONSUME(RParen);
    const body = this.SUBRULE(this.stmtOrBlock);
    return { k: 'for', ...head, body, pos: pos(t) };
  });

  private tryStmt = this.RULE('tryStmt', (): GStmt => {
    const t = this.CONSUME(KW.try);
    const body = this.SUBRULE(this.block);
    const catches: GCatch[] = [];
    this.MANY(() => {
      this.CONSUME(KW.catch);
      this.CONSUME(LParen);
      const types: string[] = [];
      let name = '';
      this.OR([
        {
          GATE: () => !is(this.LA(2), RParen),
          ALT: () => {
            types.push(this.SUBRULE(this.type));
            this.MANY2(() => { this.CONSUME(BitOr); types.push(this.SUBRULE2(this.type)); });
            name = this.CONSUME(Ident).image;
          },
        },
        { ALT: () => { name = this.CONSUME2(Ident).image; } },
      ]);
      this.CONSUME(RParen);
      const cbody = this.SUBRULE2(this.block);
      this.ACTION(() => catches.push({ types, name, body: cbody }));
    });
    const fin = this.OPTION(() => {
      this.CONSUME(KW.finally);
      return this.SUBRULE3(this.block);
    });
    return { k: 'try', body, catches, fin, pos: pos(t) };
  });

  private switchStmt = this.RULE('switchStmt', (): GStmt => {
    const t = this.CONSUME(KW.switch);
    const e = this.SUBRULE(this.parenExpr);
    this.SUBRULE(this.nls);
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.sep));
    const cases: GCase[] = [];
    this.MANY2(() => {
      const values: GExpr[] = [];
      this.AT_LEAST_ONE(() => {
        this.OR([
          { ALT: () => { this.CONSUME(KW.case); const v = this.SUBRULE(this.expression); this.ACTION(() => values.push(v)); } },
          { ALT: () => { this.CONSUME(KW.default); } },
        ]);
        this.CONSUME(Colon);
        this.MANY3(() => this.SUBRULE2(this.sep));
      });
      const body: GStmt[] = [];
      this.MANY4({
        GATE: () => !this.atCaseEnd(),
        DEF: () => {
          const s = this.SUBRULE(this.statement);
          this.ACTION(() => body.push(s));
          this.MANY5(() => this.SUBRULE3(this.sep));
        },
      });
      this.ACTION(() => cases.push({ values, body }));
    });
    this.CONSUME(RBrace);
    return { k: 'switch', e, cases, pos: pos(t) };
  });

  private annotation = this.RULE('annotation', (): GAnnotation => {
    const t = this.CONSUME(At);
    const parts = [this.CONSUME(Ident).image];
    this.MANY(() => { this.CONSUME(Dot); parts.push(this.CONSUME2(Ident).image); });
    let args: GArg[] = [];
    this.OPTION(() => {
      this.CONSUME(LParen);
      args = this.SUBRULE(this.argList);
      this.CONSUME(RParen);
    });
    this.SUBRULE(this.nls);
    return { name: parts.join('.'), args, pos: pos(t) };
  });

  /** A type: qualified name, generics (kept as text) and array brackets. */
  private type = this.RULE('type', (): string => {
    let text = this.CONSUME(Ident).image;
    this.MANY(() => { this.CONSUME(Dot); text += `.${this.CONSUME2(AnyName).image}`; });
    this.OPTION({
      GATE: () => is(this.LA(1), RelOp) && this.LA(1).image === '<',
      DEF: () => {
        let depth = 0;
        this.AT_LEAST_ONE({
          GATE: () => depth > 0 || (is(this.LA(1), RelOp) && this.LA(1).image === '<'),
          DEF: () => {
            const tok = this.OR([
              { ALT: () => this.CONSUME(RelOp) }, { ALT: () => this.CONSUME(ShiftOp) }, { ALT: () => this.CONSUME3(AnyName) },
              { ALT: () => this.CONSUME(Comma) }, { ALT: () => this.CONSUME2(Dot) }, { ALT: () => this.CONSUME(Question) },
              { ALT: () => this.CONSUME(LBracket) }, { ALT: () => this.CONSUME(RBracket) },
            ]);
            this.ACTION(() => {
              if (tok.image === '<') depth++;
              else if (tok.image === '>') depth--;
              else if (/^>+$/.test(tok.image)) depth -= tok.image.length;
              text += tok.image === ',' ? ', ' : tok.image;
            });
          },
        });
      },
    });
    this.MANY2(() => { this.CONSUME2(LBracket); this.CONSUME2(RBracket); text += '[]'; });
    return text;
  });

  private declaration = this.RULE('declaration', (): GStmt => {
    const first = this.LA(1);
    const annotations: GAnnotation[] = [];
    const modifiers: string[] = [];
    let type: string | undefined;
    let isDef = false;
    this.MANY(() => { const a = this.SUBRULE(this.annotation); this.ACTION(() => annotations.push(a)); });
    this.MANY2(() => {
      const m = this.OR(MODIFIER_TOKENS.map((tt) => ({ ALT: () => this.CONSUME(tt) })));
      this.ACTION(() => modifiers.push(m.image));
    });
    this.OPTION({
      GATE: () => is(this.LA(1), KW.def, KW.void) || this.typeThenName(),
      DEF: () => this.OR2([
        { ALT: () => { this.CONSUME(KW.def); isDef = true; } },
        { ALT: () => { type = this.CONSUME(KW.void).image; } },
        { ALT: () => { type = this.SUBRULE(this.type); } },
      ]),
    });
    const nameTok = this.OR3([
      { ALT: () => this.CONSUME(Ident) },
      { GATE: () => isDef || type !== undefined, ALT: () => this.CONSUME(AnyName) },
    ]);
    return this.OR4([
      {
        ALT: () => {
          this.CONSUME(LParen);
          const params = this.SUBRULE(this.params);
          this.CONSUME(RParen);
          this.OPTION2(() => { this.CONSUME(KW.throws); this.SUBRULE2(this.type); this.MANY3(() => { this.CONSUME(Comma); this.SUBRULE3(this.type); }); });
          this.SUBRULE(this.nls);
          const body = this.SUBRULE(this.block);
          return { k: 'method' as const, name: nameTok.image, returnType: type, params, body, modifiers, annotations, pos: pos(first) };
        },
      },
      {
        ALT: () => {
          const value = this.OPTION3(() => {
            this.CONSUME(Assign);
            return this.SUBRULE(this.expression);
          });
          return { k: 'decl' as const, type, name: nameTok.image, value, modifiers, annotations, pos: pos(first) };
        },
      },
    ]);
  });

  private params = this.RULE('params', (): GParam[] => {
    const out: GParam[] = [];
    this.MANY_SEP({
      SEP: Comma,
      DEF: () => {
        let type: string | undefined;
        this.OPTION({
          GATE: () => is(this.LA(1), KW.def) || this.typeThenName(),
          DEF: () => this.OR([
            { ALT: () => { this.CONSUME(KW.def); } },
            { ALT: () => { type = this.SUBRULE(this.type); } },
          ]),
        });
        const name = this.CONSUME(Ident).image;
        const value = this.OPTION2(() => { this.CONSUME(Assign); return this.SUBRULE(this.expression); });
        this.ACTION(() => out.push({ name, type, value }));
      },
    });
    return out;
  });

  // ---- commands and arguments ----

  /** `name arg, key: value …` and `a.b.name arg …` without parentheses. */
  private command = this.RULE('command', (): GExpr => {
    const first = this.CONSUME(Ident);
    const names: Array<{ name: string; op: '.' | '?.' }> = [];
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(Dot) }, { ALT: () => this.CONSUME(SafeDot) }]);
      const n = this.CONSUME(AnyName);
      this.ACTION(() => names.push({ name: n.image, op: op.image as '.' | '?.' }));
    });
    const args: GArg[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: Comma,
      DEF: () => { const a = this.SUBRULE(this.arg); this.ACTION(() => args.push(a)); },
    });
    return this.ACTION(() => {
      const p = pos(first);
      if (names.length === 0) return { k: 'call' as const, name: first.image, args, closures: [], parens: false, pos: p };
      let obj: GExpr = { k: 'var', name: first.image, pos: p };
      for (const n of names.slice(0, -1)) obj = { k: 'prop', obj, name: n.name, op: n.op, pos: p };
      const last = names[names.length - 1];
      return { k: 'call' as const, obj, name: last.name, op: last.op, args, closures: [], parens: false, pos: p };
    });
  });

  private arg = this.RULE('arg', (): GArg => this.OR([
    {
      GATE: () => this.isNamedArg(),
      ALT: () => {
        const name = this.SUBRULE(this.mapKey);
        this.CONSUME(Colon);
        const value = this.SUBRULE(this.expression);
        return { name, value };
      },
    },
    {
      ALT: () => {
        const t = this.CONSUME(Star);
        const e = this.SUBRULE2(this.ternary);
        return { value: { k: 'spread' as const, e, pos: pos(t) } };
      },
    },
    { ALT: () => ({ value: this.SUBRULE3(this.expression) }) },
  ]));

  private mapKey = this.RULE('mapKey', (): GExpr => this.OR([
    { ALT: () => { const t = this.CONSUME(AnyName); return { k: 'str' as const, v: t.image, quote: "'" as const, pos: pos(t) }; } },
    { ALT: () => this.SUBRULE(this.literal) },
    { ALT: () => this.SUBRULE(this.parenExpr) },
  ]));

  private argList = this.RULE('argList', (): GArg[] => {
    const out: GArg[] = [];
    this.MANY_SEP({ SEP: Comma, DEF: () => { const a = this.SUBRULE(this.arg); this.ACTION(() => out.push(a)); } });
    return out;
  });

  // ---- expressions, lowest precedence first ----

  public expression = this.RULE('expression', (): GExpr => {
    const l = this.SUBRULE(this.ternary);
    return this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(AssignOp);
          const r = this.SUBRULE(this.expression);
          return this.ACTION(() => ({ k: 'bin' as const, op: op.image, l, r, pos: l.pos }));
        },
      },
      { ALT: () => l },
    ]);
  });

  private ternary = this.RULE('ternary', (): GExpr => {
    const c = this.SUBRULE(this.orExpr);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(Question);
          this.SUBRULE(this.nls);
          const t = this.SUBRULE(this.ternary);
          this.SUBRULE2(this.nls);
          this.CONSUME(Colon);
          this.SUBRULE3(this.nls);
          const f = this.SUBRULE2(this.ternary);
          return this.ACTION(() => ({ k: 'tern' as const, c, t, f, pos: c.pos }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(Elvis);
          const f = this.SUBRULE3(this.ternary);
          return this.ACTION(() => ({ k: 'elvis' as const, c, f, pos: c.pos }));
        },
      },
      { ALT: () => c },
    ]);
  });

  private binary(next: ReturnType<GroovyParser['RULE']>, ops: TokenType[]): GExpr {
    let l: GExpr = this.SUBRULE(next);
    this.MANY(() => {
      const op = this.OR(ops.map((o) => ({ ALT: () => this.CONSUME(o) })));
      const r: GExpr = this.SUBRULE2(next);
      l = this.ACTION(() => ({ k: 'bin' as const, op: op.image, l, r, pos: l.pos }));
    });
    return l;
  }

  private orExpr = this.RULE('orExpr', (): GExpr => this.binary(this.andExpr, [OrOp]));
  private andExpr = this.RULE('andExpr', (): GExpr => this.binary(this.bitOr, [AndOp]));
  private bitOr = this.RULE('bitOr', (): GExpr => this.binary(this.bitXor, [BitOr]));
  private bitXor = this.RULE('bitXor', (): GExpr => this.binary(this.bitAnd, [BitXor]));
  private bitAnd = this.RULE('bitAnd', (): GExpr => this.binary(this.equality, [BitAnd]));
  private equality = this.RULE('equality', (): GExpr => this.binary(this.relational, [EqualityOp]));

  private relational = this.RULE('relational', (): GExpr => {
    let l = this.SUBRULE(this.shift);
    this.MANY(() => this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(RelOp) }, { ALT: () => this.CONSUME(KW.in) }]);
          const r = this.SUBRULE2(this.shift);
          l = this.ACTION(() => ({ k: 'bin' as const, op: op.image, l, r, pos: l.pos }));
        },
      },
      {
        ALT: () => {
          const op = this.OR3([{ ALT: () => this.CONSUME(KW.instanceof) }, { ALT: () => this.CONSUME(KW.as) }]);
          const type = this.SUBRULE(this.type);
          l = this.ACTION(() => ({ k: 'cast' as const, op: op.image as 'as' | 'instanceof', type, e: l, pos: l.pos }));
        },
      },
    ]));
    return l;
  });

  private shift = this.RULE('shift', (): GExpr => this.binary(this.range, [ShiftOp]));

  private range = this.RULE('range', (): GExpr => {
    const from = this.SUBRULE(this.additive);
    return this.OR([
      {
        ALT: () => {
          const op = this.CONSUME(RangeOp);
          const to = this.SUBRULE2(this.additive);
          return this.ACTION(() => ({ k: 'range' as const, from, to, inclusive: op.image === '..', pos: from.pos }));
        },
      },
      { ALT: () => from },
    ]);
  });

  private additive = this.RULE('additive', (): GExpr => this.binary(this.multiplicative, [Plus, Minus]));
  private multiplicative = this.RULE('multiplicative', (): GExpr => this.binary(this.power, [Star, Div, Mod]));
  private power = this.RULE('power', (): GExpr => this.binary(this.unary, [Power]));

  private unary = this.RULE('unary', (): GExpr => this.OR([
    {
      ALT: () => {
        const op = this.OR2([Not, Minus, Plus, Tilde, PlusPlus, MinusMinus].map((o) => ({ ALT: () => this.CONSUME(o) })));
        const e = this.SUBRULE(this.unary);
        return this.ACTION((): GExpr => {
          // Groovy folds a minus sign into a number literal.
          if (op.image === '-' && e.k === 'num') {
            return { k: 'num', v: -e.v, text: `-${e.text}`, pos: pos(op) };
          }
          return { k: 'unary', op: op.image, e, pos: pos(op) };
        });
      },
    },
    { ALT: () => this.SUBRULE(this.postfix) },
  ]));

  private postfix = this.RULE('postfix', (): GExpr => {
    let e = this.SUBRULE(this.primary);
    this.MANY(() => this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(Dot) }, { ALT: () => this.CONSUME(SafeDot) },
            { ALT: () => this.CONSUME(SpreadDot) }, { ALT: () => this.CONSUME(AttrDot) }]);
          const nameTok = this.OR3([{ ALT: () => this.CONSUME(AnyName) }, { ALT: () => this.CONSUME(SingleQuoted) },
            { ALT: () => this.CONSUME(DoubleQuoted) }]);
          const name = this.ACTION(() => (is(nameTok, AnyName) ? nameTok.image : nameTok.image.slice(1, -1)));
          const call = this.OPTION(() => {
            this.CONSUME(LParen);
            const args = this.SUBRULE(this.argList);
            this.CONSUME(RParen);
            return args;
          });
          const obj = e;
          e = this.ACTION((): GExpr => (call !== undefined
            ? { k: 'call', obj, name, op: op.image as '.' | '?.' | '*.', args: call, closures: [], parens: true, pos: obj.pos }
            : { k: 'prop', obj, name, op: op.image as '.' | '?.' | '*.' | '.@', pos: obj.pos }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(MethodRef);
          const name = this.CONSUME2(AnyName).image;
          const obj = e;
          e = this.ACTION(() => ({ k: 'mref' as const, obj, name, pos: obj.pos }));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(LParen);
          const args = this.SUBRULE2(this.argList);
          this.CONSUME2(RParen);
          const callee = e;
          e = this.ACTION((): GExpr => {
            if (callee.k === 'var') return { k: 'call', name: callee.name, args, closures: [], parens: true, pos: callee.pos };
            return { k: 'call', obj: callee, name: 'call', args, closures: [], parens: true, pos: callee.pos };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(LBracket);
          const idx = this.SUBRULE(this.expression);
          this.CONSUME(RBracket);
          const l = e;
          e = this.ACTION(() => ({ k: 'bin' as const, op: '[', l, r: idx, pos: pos(t) }));
        },
      },
      {
        // A trailing closure: `name { }`, `name(args) { }`, `obj.name { }`.
        GATE: () => e.k === 'var' || e.k === 'call' || e.k === 'prop',
        ALT: () => {
          const c = this.SUBRULE(this.closure);
          const callee = e;
          e = this.ACTION((): GExpr => {
            if (callee.k === 'call') return { ...callee, closures: [...callee.closures, c] };
            if (callee.k === 'var') return { k: 'call', name: callee.name, args: [], closures: [c], parens: false, pos: callee.pos };
            if (callee.k === 'prop') {
              return { k: 'call', obj: callee.obj, name: callee.name, op: callee.op as '.', args: [], closures: [c], parens: false, pos: callee.pos };
            }
            throw new GroovySyntaxError('unsupported Groovy: a closure cannot follow this expression', c.pos);
          });
        },
      },
    ]));
    this.OPTION2(() => {
      const op = this.OR4([{ ALT: () => this.CONSUME(PlusPlus) }, { ALT: () => this.CONSUME(MinusMinus) }]);
      const inner = e;
      e = this.ACTION(() => ({ k: 'postfix' as const, op: op.image, e: inner, pos: inner.pos }));
    });
    return e;
  });

  private literal = this.RULE('literal', (): GExpr => this.OR([
    {
      ALT: () => {
        const t = this.CONSUME(NumberLit);
        return this.ACTION(() => ({ k: 'num' as const, v: numberValue(t.image), text: t.image, pos: pos(t) }));
      },
    },
    ...STRING_TOKENS.map((tt) => ({
      ALT: () => {
        const t = this.CONSUME(tt);
        return this.ACTION((): GExpr => {
          const node = { k: 'str', v: '', parts: [] as Array<string | GExpr>, quote: t.image.startsWith('$/') ? '$/' : t.image.startsWith("'''") ? "'''"
            : t.image.startsWith('"""') ? '"""' : t.image[0], pos: pos(t) };
          this.pending.push({ token: t, node });
          return node as unknown as GExpr;
        });
      },
    })),
  ]));

  private primary = this.RULE('primary', (): GExpr => this.OR([
    { ALT: () => this.SUBRULE(this.literal) },
    { ALT: () => ({ k: 'bool' as const, v: true, pos: pos(this.CONSUME(KW.true)) }) },
    { ALT: () => ({ k: 'bool' as const, v: false, pos: pos(this.CONSUME(KW.false)) }) },
    { ALT: () => ({ k: 'null' as const, pos: pos(this.CONSUME(KW.null)) }) },
    { ALT: () => { const t = this.CONSUME(Ident); return { k: 'var' as const, name: t.image, pos: pos(t) }; } },
    { ALT: () => this.SUBRULE(this.parenExpr) },
    { ALT: () => this.SUBRULE(this.listOrMap) },
    { ALT: () => this.SUBRULE(this.closure) },
    {
      ALT: () => {
        const t = this.CONSUME(KW.new);
        const type = this.SUBRULE(this.type);
        this.CONSUME(LParen);
        const args = this.SUBRULE(this.argList);
        this.CONSUME(RParen);
        this.ACTION(() => {
          if (is(this.LA(1), LBrace)) throw new GroovySyntaxError('unsupported Groovy: anonymous inner classes are not read', pos(this.LA(1)));
        });
        return { k: 'new' as const, type, args, pos: pos(t) };
      },
    },
  ]));

  private listOrMap = this.RULE('listOrMap', (): GExpr => {
    const t = this.CONSUME(LBracket);
    const items: GExpr[] = [];
    const entries: Array<{ key: GExpr; value: GExpr }> = [];
    let isMap = false;
    this.OR([
      { GATE: () => is(this.LA(1), Colon) && is(this.LA(2), RBracket), ALT: () => { this.CONSUME(Colon); isMap = true; } },
      {
        ALT: () => {
          this.MANY(() => {
            const a = this.SUBRULE(this.arg);
            this.ACTION(() => {
              if (a.name) { entries.push({ key: a.name, value: a.value }); isMap = true; }
              else items.push(a.value);
            });
            this.OR2([{ ALT: () => this.CONSUME(Comma) }, { GATE: () => is(this.LA(1), RBracket), ALT: () => undefined }]);
          });
        },
      },
    ]);
    this.CONSUME(RBracket);
    return this.ACTION((): GExpr => {
      if (isMap && items.length > 0) throw new GroovySyntaxError('unsupported Groovy: a literal mixes list items and map entries', pos(t));
      return isMap ? { k: 'map', entries, pos: pos(t) } : { k: 'list', items, pos: pos(t) };
    });
  });

  private closure = this.RULE('closure', (): GClosure => {
    const t = this.CONSUME(LBrace);
    const params = this.OPTION({
      GATE: () => this.isClosureParams(),
      DEF: () => {
        const ps = this.SUBRULE(this.params);
        this.CONSUME(Arrow);
        return ps;
      },
    });
    const body = this.SUBRULE(this.statements);
    const end = this.CONSUME(RBrace);
    return { k: 'closure', params, body, pos: pos(t), end: { line: end.endLine ?? 1, column: (end.endColumn ?? 0) + 1 } };
  });
}
