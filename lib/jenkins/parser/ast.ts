/**
 * The Groovy-subset syntax tree the Jenkinsfile parser builds. Every node keeps the line and column (1-based) of
 * its first token, so readers and checks can point back at the source.
 */

/** A source position (1-based line and column). */
export interface Pos {
  readonly line: number;
  readonly column: number;
}

/** How a string literal was quoted in the source. */
export type Quote = "'" | '"' | "'''" | '"""' | '/' | '$/';

/** One argument of a call; `name` is set for named arguments (`url: 'x'`). */
export interface GArg {
  readonly name?: GExpr;
  readonly value: GExpr;
}

/** An annotation such as `@Library('lib@1.0')`. */
export interface GAnnotation {
  readonly name: string;
  readonly args: readonly GArg[];
  readonly pos: Pos;
}

/** A Groovy expression. */
export type GExpr =
  | { readonly k: 'str'; readonly v: string; readonly quote: Quote; readonly pos: Pos }
  /** A GString: literal parts (decoded text) and interpolated expressions, in order. */
  | { readonly k: 'gstr'; readonly parts: ReadonlyArray<string | GExpr>; readonly quote: Quote; readonly pos: Pos }
  | { readonly k: 'num'; readonly v: number; readonly text: string; readonly pos: Pos }
  | { readonly k: 'bool'; readonly v: boolean; readonly pos: Pos }
  | { readonly k: 'null'; readonly pos: Pos }
  /** A variable (also `this` and `super`). */
  | { readonly k: 'var'; readonly name: string; readonly pos: Pos }
  /** `obj.name`, `obj?.name`, `obj*.name`, `obj.@name`. */
  | { readonly k: 'prop'; readonly obj: GExpr; readonly name: string; readonly op: '.' | '?.' | '*.' | '.@'; readonly pos: Pos }
  /**
   * A method call: `name(args) { closure }`, `obj.name args` (a command), `expr(args)` (name `call`).
   * `obj` is absent for calls on the implicit `this`.
   */
  | {
    readonly k: 'call'; readonly obj?: GExpr; readonly name: string; readonly op?: '.' | '?.' | '*.';
    readonly args: readonly GArg[]; readonly closures: ReadonlyArray<GClosure>; readonly parens: boolean; readonly pos: Pos;
  }
  | { readonly k: 'new'; readonly type: string; readonly args: readonly GArg[]; readonly pos: Pos }
  | { readonly k: 'list'; readonly items: readonly GExpr[]; readonly pos: Pos }
  | { readonly k: 'map'; readonly entries: ReadonlyArray<{ readonly key: GExpr; readonly value: GExpr }>; readonly pos: Pos }
  | GClosure
  /** A binary operation; `[` is indexing and `=`, `+=`, … are assignments. */
  | { readonly k: 'bin'; readonly op: string; readonly l: GExpr; readonly r: GExpr; readonly pos: Pos }
  | { readonly k: 'tern'; readonly c: GExpr; readonly t: GExpr; readonly f: GExpr; readonly pos: Pos }
  | { readonly k: 'elvis'; readonly c: GExpr; readonly f: GExpr; readonly pos: Pos }
  /** A prefix operator: `!`, `-`, `+`, `~`, `++`, `--`. */
  | { readonly k: 'unary'; readonly op: string; readonly e: GExpr; readonly pos: Pos }
  /** A postfix `++` / `--`. */
  | { readonly k: 'postfix'; readonly op: string; readonly e: GExpr; readonly pos: Pos }
  /** `e as Type` or `e instanceof Type`. */
  | { readonly k: 'cast'; readonly op: 'as' | 'instanceof'; readonly type: string; readonly e: GExpr; readonly pos: Pos }
  | { readonly k: 'range'; readonly from: GExpr; readonly to: GExpr; readonly inclusive: boolean; readonly pos: Pos }
  /** A method pointer `obj.&name`. */
  | { readonly k: 'mref'; readonly obj: GExpr; readonly name: string; readonly pos: Pos }
  /** `*list` in arguments or lists. */
  | { readonly k: 'spread'; readonly e: GExpr; readonly pos: Pos };

/** A closure `{ a, b -> … }`; `params` is undefined when no `->` is written (implicit `it`). */
export interface GClosure {
  readonly k: 'closure';
  readonly params?: readonly GParam[];
  readonly body: readonly GStmt[];
  readonly pos: Pos;
  /** Position just after the closing brace. */
  readonly end: Pos;
}

/** A method or closure parameter. */
export interface GParam {
  readonly name: string;
  readonly type?: string;
  readonly value?: GExpr;
}

/** A catch clause. */
export interface GCatch {
  readonly types: readonly string[];
  readonly name: string;
  readonly body: readonly GStmt[];
}

/** A case of a switch (`values` empty for `default`). */
export interface GCase {
  readonly values: readonly GExpr[];
  readonly body: readonly GStmt[];
}

/**
 * A Groovy statement. Statements of a body (and `if`/`for` bodies) also record `end`, the position just after
 * their last token.
 */
export type GStmt = GStmtNode & { readonly end?: Pos };

/** The statement kinds. */
export type GStmtNode =
  | { readonly k: 'expr'; readonly e: GExpr; readonly pos: Pos }
  | {
    readonly k: 'decl'; readonly type?: string; readonly name: string; readonly value?: GExpr;
    readonly modifiers: readonly string[]; readonly annotations: readonly GAnnotation[]; readonly pos: Pos;
  }
  | {
    readonly k: 'method'; readonly name: string; readonly returnType?: string; readonly params: readonly GParam[];
    readonly body: readonly GStmt[]; readonly modifiers: readonly string[]; readonly annotations: readonly GAnnotation[]; readonly pos: Pos;
  }
  | {
    readonly k: 'import'; readonly name: string; readonly star: boolean; readonly isStatic: boolean; readonly alias?: string;
    /** `@Library('lib') import com.example.Tool` loads a library for the import. */
    readonly annotations: readonly GAnnotation[]; readonly pos: Pos;
  }
  | { readonly k: 'if'; readonly cond: GExpr; readonly then: GStmt; readonly else?: GStmt; readonly pos: Pos }
  | { readonly k: 'block'; readonly body: readonly GStmt[]; readonly pos: Pos }
  /** `for (x in xs)` (with `coll`) or the classic `for (init; cond; update)`. */
  | {
    readonly k: 'for'; readonly name?: string; readonly type?: string; readonly coll?: GExpr;
    readonly init?: GStmt; readonly cond?: GExpr; readonly update?: GExpr; readonly body: GStmt; readonly pos: Pos;
  }
  | { readonly k: 'while'; readonly cond: GExpr; readonly body: GStmt; readonly pos: Pos }
  | { readonly k: 'try'; readonly body: readonly GStmt[]; readonly catches: readonly GCatch[]; readonly fin?: readonly GStmt[]; readonly pos: Pos }
  | { readonly k: 'switch'; readonly e: GExpr; readonly cases: readonly GCase[]; readonly pos: Pos }
  | { readonly k: 'return'; readonly e?: GExpr; readonly pos: Pos }
  | { readonly k: 'throw'; readonly e: GExpr; readonly pos: Pos }
  | { readonly k: 'assert'; readonly cond: GExpr; readonly message?: GExpr; readonly pos: Pos }
  | { readonly k: 'break' | 'continue'; readonly pos: Pos };

/** A parsed Groovy file: its statements in order (imports and method definitions included). */
export interface GScript {
  readonly body: readonly GStmt[];
}
