/**
 * Reads a parsed Jenkinsfile (Declarative, hybrid with a prelude, or Scripted) into a plan of public-API calls
 * (`jenkins.Stage`, `Step`, `Agent`, `When`, `Option`, …): the typed form wherever one exists, a listed escape (`Step.call`, `Step.script`, `Option.of`, …)
 * where only that can write the form exactly, and a diagnostic with the source position for anything slipway
 * cannot write exactly (never dropped or replaced).
 */
import { checkGroovyBlock, groovyLexer, GArg, GClosure, GExpr, GStmt, Pos, parseJenkinsfile, visitStatements } from '../../jenkins/parser';
import { Duration, SlipwayError, jenkinsTime } from '../../core';
import { Js, arr, call, evaluate, get, lit, obj, undef } from './ir';

/** One finding, mapped to the Jenkinsfile line. */
export type { Diagnostic } from '../diagnostic';
import type { Diagnostic } from '../diagnostic';

/** A stage to add, with its nested stages. */
export interface StagePlan {
  readonly name: string;
  readonly kind: 'stage' | 'parallel';
  readonly props: Js;
  readonly pos: Pos;
  readonly where: string;
  readonly children: StagePlan[];
  matrix?: MatrixPlan;
}

/** A matrix to add to a stage. */
export interface MatrixPlan {
  readonly props: Js;
  readonly stages: StagePlan[];
  readonly pos: Pos;
  readonly where: string;
}

/** What comes before `pipeline { }` or the Scripted body: `@Library(…) _`, top-level `def`s and helper functions. */
export interface PreludePlan {
  /** The `libraryAnnotations` prop (`[jenkins.Library.of(…)]`). */
  readonly libraries?: Js;
  /** The `imports` prop (`[jenkins.GroovyImport.of(…)]`). */
  readonly imports?: Js;
  /** `addVariable(name, value)` calls, in order. */
  readonly variables: Array<{ readonly name: string; readonly value: Js; readonly options?: Js; readonly pos: Pos }>;
  /** `addFunction(name, props)` calls, in order. */
  readonly functions: Array<{ readonly name: string; readonly props: Js; readonly pos: Pos }>;
}

/** The whole file as public-API calls. */
export interface FilePlan {
  readonly kind: 'declarative' | 'scripted' | 'unknown';
  readonly props?: Js;
  readonly stages: StagePlan[];
  /** The prelude of a hybrid or Scripted file. */
  readonly prelude: PreludePlan;
  /** The body of a Scripted file (`ScriptedJenkinsfile` steps). */
  readonly steps?: Js[];
  readonly pos: Pos;
  /** Validator locations (`pipeline > stage "Build" > steps`) → where they are in the source. */
  readonly positions: Map<string, Pos>;
  readonly diagnostics: Diagnostic[];
  /** Each raw escape the calls use, with its line (`Step.call('slackSend') at line 12`). */
  readonly escapes: string[];
  /** Forms written in their typed spelling, which means the same to Jenkins (`docker 'img'` → `docker { image … }`). */
  readonly rewrites: string[];
  /** Named entries by `owner|kind|name` (`pipeline|parameter|"VERSION"`), in order, to point at duplicates. */
  readonly occurrences: Map<string, Pos[]>;
}

type Call = Extract<GExpr, { k: 'call' }>;
/** A call in a block; `end` (just after its last token) is known for Scripted statements. */
interface Entry { readonly name: string; readonly call: Call; readonly pos: Pos; readonly end?: Pos }

const show = (v: unknown): string => JSON.stringify(v);
const UNITS: Record<string, string> = { DAYS: 'days', HOURS: 'hours', MINUTES: 'minutes', SECONDS: 'seconds', MILLISECONDS: 'millis' };
const POST = ['always', 'changed', 'fixed', 'regression', 'aborted', 'success', 'unsuccessful', 'unstable', 'failure', 'notBuilt', 'cleanup'];
const COMPARATORS = new Set(['EQUALS', 'GLOB', 'REGEXP']);
const RESULTS = new Set(['SUCCESS', 'UNSTABLE', 'FAILURE']);
/** The order the writer prints sections in (Jenkins gives the order no meaning). */
const SECTION_ORDER = ['axes', 'excludes', 'agent', 'libraries', 'when', 'input', 'options', 'parameters', 'triggers', 'tools', 'environment',
  'failFast', 'steps', 'stages', 'parallel', 'matrix', 'post'];
const REMOVED_SECTIONS = new Set(['properties', 'wrappers', 'jobProperties', 'notifications', 'postBuild']);

/** Thrown inside the reader to abandon one value; the diagnostic is already recorded. */
class Skip extends Error {}
/** A Skip for valid Jenkins slipway cannot write: check goes on with a stand-in, import is refused. */
class Gap extends Skip {}

export class Reader {
  readonly diagnostics: Diagnostic[] = [];
  readonly escapes: string[] = [];
  readonly rewrites: string[] = [];
  readonly positions = new Map<string, Pos>();
  readonly occurrences = new Map<string, Pos[]>();
  /** Variables that hold secrets anywhere in the file (credentials() environment, withCredentials bindings). */
  private readonly secrets = new Set<string>();
  /** Password build parameters (`params.NAME` holds a secret). */
  private readonly secretParams = new Set<string>();
  private readonly lineStarts: number[] = [0];
  /** Scripted Groovy (a Scripted file or a helper function body) or Declarative `steps { }`. */
  private scripted = false;

  constructor(private readonly source: string, private readonly file: string) {
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.lineStarts.push(i + 1);
  }

  report(pos: Pos, rule: string, message: string, fix: string, severity: 'error' | 'warning' = 'error'): void {
    this.diagnostics.push({ file: this.file, line: pos.line, column: pos.column, rule, message, fix, severity });
  }

  /** Records a form slipway cannot write exactly and abandons the value. */
  /**
   * Records valid Jenkins that slipway cannot write exactly (a warning for check, a refusal for import) and
   * abandons the value.
   */
  private gap(pos: Pos, form: string, fix: string): never {
    this.report(pos, 'unsupported-form', `slipway's typed API cannot write ${form} exactly`, fix, 'warning');
    throw new Gap();
  }

  private bad(pos: Pos, rule: string, message: string, fix: string): never {
    this.report(pos, rule, message, fix);
    throw new Skip();
  }

  private escape(what: string, pos: Pos): void {
    this.escapes.push(`${what} at line ${pos.line}`);
  }

  /** Records a form written in another spelling with the same meaning (listed in the import's header). */
  private rewrite(what: string, pos: Pos): void {
    this.rewrites.push(`line ${pos.line}: ${what}`);
  }

  private occur(owner: string, kind: string, name: string, pos: Pos): void {
    const key = `${owner}|${kind}|${show(name)}`;
    this.occurrences.set(key, [...this.occurrences.get(key) ?? [], pos]);
  }

  private at(where: string, pos: Pos): void {
    if (!this.positions.has(where)) this.positions.set(where, pos);
  }

  /**
   * Runs `f`, turning a Skip into `undefined` (the diagnostic is recorded), or into `standIn` for a Gap, so the
   * checks that follow see the same structure (a step is still there) and report nothing that is not in the file.
   */
  private attempt<T>(f: () => T, standIn?: T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof Gap) return standIn;
      if (e instanceof Skip) return undefined;
      throw e;
    }
  }

  read(): FilePlan {
    const parsed = parseJenkinsfile(this.source);
    const start = { line: 1, column: 1 };
    for (const d of parsed.diagnostics) {
      this.report(d, d.rule, d.message, d.rule === 'pipeline-top-level' ? 'keep one pipeline { } at the top level of the file'
        : 'write Groovy 2.4 syntax that Jenkins accepts');
    }
    const done = (kind: FilePlan['kind'], prelude: PreludePlan = { variables: [], functions: [] }, more: Partial<FilePlan> = {}): FilePlan => ({
      kind, stages: [], pos: start, prelude, positions: this.positions, diagnostics: this.diagnostics, escapes: this.escapes,
      rewrites: this.rewrites, occurrences: this.occurrences, ...more });
    if (parsed.kind === 'unknown' || parsed.diagnostics.length > 0) return done(parsed.kind);
    this.collectSecrets(parsed.ast.body);
    if (parsed.kind === 'scripted' || !parsed.pipeline) {
      const { prelude, rest } = this.prelude(parsed.ast.body);
      this.at('scripted', rest[0]?.pos ?? start);
      this.scripted = true;
      const steps = this.steps(rest, 'scripted');
      return done('scripted', prelude, { steps });
    }
    const p = parsed.pipeline;
    const { prelude } = this.prelude(parsed.ast.body, p);
    this.at('pipeline', p.pos);
    const plan = this.pipeline(p);
    return done('declarative', prelude, { ...plan, pos: p.pos });
  }

  // ---- the prelude of hybrid and Scripted files ----

  /**
   * Splits the top-level statements into the prelude (`@Library(…) _`, `def` variables before the body, helper
   * functions anywhere) and the rest: the Scripted body, or nothing but `pipeline { }` for a Declarative file.
   */
  private prelude(body: readonly GStmt[], pipeline?: GExpr): { prelude: PreludePlan; rest: GStmt[] } {
    const variables: Array<{ name: string; value: Js; options?: Js; pos: Pos }> = [];
    const functions: Array<{ name: string; props: Js; pos: Pos }> = [];
    let libraries: Js | undefined;
    let libraryPos: Pos | undefined;
    const imports: Js[] = [];
    const rest: GStmt[] = [];
    // Several @Library annotations load the same libraries as one annotation with their list.
    const merge = (more: Js, pos: Pos): Js => {
      if (!libraries || libraries.k !== 'arr' || more.k !== 'arr') return more;
      this.rewrite("a second @Library annotation is merged into the first: @Library(['a', 'b'])", pos);
      return arr([...libraries.items, ...more.items]);
    };
    let inBody = false;
    const first = body.find((st) => st.k !== 'expr' || st.e !== pipeline);
    if (first) this.at('prelude', first.pos);
    for (const st of body) {
      if (st.k === 'expr' && st.e === pipeline) { inBody = true; continue; }
      if (st.k === 'method') {
        this.attempt(() => functions.push(this.helper(st)));
        // The writer prints variables, then functions, then the Scripted body: a later `def` is a body step.
        if (!pipeline) inBody = true;
        continue;
      }
      if (st.k === 'import') {
        this.attempt(() => {
          if (st.alias !== undefined) this.gap(st.pos, `import ${st.name} as ${st.alias} (an alias has no typed form)`, 'import the class under its own name');
          if (variables.length || functions.length || inBody) this.gap(st.pos, `import ${st.name} after other statements`, 'move the imports to the top of the file');
          if (st.annotations.length) {
            if (imports.length) this.rewrite('@Library(…) on a later import is written on the first import', st.pos);
            libraries = merge(this.libraryAnnotation(st), st.pos);
            libraryPos = undefined;
          }
          const dot = st.name.lastIndexOf('.');
          const name = st.star ? `${st.name}.*` : st.name;
          imports.push(st.isStatic && !st.star ? call('jenkins.GroovyImport.staticMember', lit(st.name.slice(0, dot)), lit(st.name.slice(dot + 1)))
            : st.isStatic ? call('jenkins.GroovyImport.staticMember', lit(st.name), lit('*')) : call('jenkins.GroovyImport.of', lit(name)));
        });
        continue;
      }
      const isLibrary = st.k === 'decl' && st.annotations.some((a) => a.name === 'Library');
      if (isLibrary && st.k === 'decl') {
        this.attempt(() => {
          libraries = merge(this.libraryAnnotation(st), st.pos);
          libraryPos = st.pos;
        });
        continue;
      }
      if (!inBody && st.k === 'decl' && (isPlainDef(st) || isTypedDef(st))) {
        const field = st.annotations.length === 1;
        const options = field || st.type !== undefined ? obj([['type', st.type === undefined ? undefined : lit(st.type)], ['field', field ? lit(true) : undefined]]) : undefined;
        this.at(`prelude > def ${st.name}`, st.pos);
        this.attempt(() => variables.push({ name: st.name, value: this.valueOrRaw(st.value!, st.end ?? st.pos, `prelude > def ${st.name}`), options, pos: st.pos }));
        continue;
      }
      if (!pipeline) { inBody = true; rest.push(st); continue; }
      const what = st.k === 'decl' ? (inBody ? `variable ${show(st.name)} after the pipeline` : `the declaration of ${show(st.name)} (only def NAME = value has a typed form)`)
        : 'code outside the pipeline';
      this.attempt(() => this.gap(st.pos, what, 'move it into a helper function or a script { } block, or write def NAME = value above the pipeline'));
    }
    // With imports, the annotation is written on the first import: Jenkins loads the library either way.
    if (libraryPos && imports.length) this.rewrite('@Library(…) _ before the imports is written as @Library(…) on the first import', libraryPos);
    return { prelude: { libraries, imports: imports.length ? arr(imports) : undefined, variables, functions }, rest };
  }

  /** `@Library('name@version') _` or `@Library(['a', 'b@1']) _` as `libraryAnnotations`. */
  private libraryAnnotation(st: Extract<GStmt, { k: 'decl' | 'import' }>): Js {
    const a = st.annotations.find((x) => x.name === 'Library');
    const v = a && a.args.length === 1 && !a.args[0].name ? a.args[0].value : undefined;
    const plain = st.k === 'import' || (st.name === '_' && !st.value && !st.modifiers.length && st.type === undefined);
    if (st.annotations.length > 1 || !plain || !v) {
      this.gap(st.pos, 'this @Library annotation', "write @Library('name@version') _ or @Library(['a', 'b@1']) _");
    }
    const items = v.k === 'list' ? v.items : [v];
    if (v.k === 'list' && items.length === 1) this.rewrite("@Library(['…']) _ with one library is written @Library('…') _", st.pos);
    return arr(items.map((x) => {
      const text = this.str(x, 'prelude > @Library');
      const at = text.indexOf('@');
      return at < 0 ? call('jenkins.Library.of', lit(text)) : call('jenkins.Library.of', lit(text.slice(0, at)), lit(text.slice(at + 1)));
    }));
  }

  /**
   * `script { }`: typed steps (a Scripted context) when every statement has a typed form, else its Groovy text,
   * checked as Groovy and listed as an escape.
   */
  private scriptBlock(block: GClosure, w: string): Js {
    const steps = this.scriptedAttempt(block.body, w);
    if (steps) return call('jenkins.Step.script', steps);
    this.escape('Step.script with Groovy text', block.pos);
    return call('jenkins.Step.script', lit(this.raw(block, w)));
  }

  /** Reads statements as Scripted steps; undefined (and nothing recorded) if any has no typed form or breaks a rule. */
  private scriptedAttempt(body: readonly GStmt[], where: string): Js | undefined {
    if (body.length === 0) return undefined;
    const saved = this.snapshot();
    const wasScripted = this.scripted;
    this.scripted = true;
    // Warnings (a pod's Pod Security level) stay; a gap or an error means the typed steps are not the file.
    const failed = (): boolean => this.diagnostics.slice(saved.diagnostics).some((d) => d.severity === 'error' || d.rule === 'unsupported-form');
    try {
      const steps = this.steps(body, where);
      if (!failed()) return arr(steps);
    } finally {
      this.scripted = wasScripted;
    }
    this.restore(saved);
    return undefined;
  }

  /** A helper function: typed steps when every statement has a typed form, else its Groovy text (a listed escape). */
  private helper(st: Extract<GStmt, { k: 'method' }>): { name: string; props: Js; pos: Pos } {
    const nonCps = st.annotations.length === 1 && st.annotations[0].name === 'NonCPS' && st.annotations[0].args.length === 0;
    const other = st.annotations.find((a) => !(a.name === 'NonCPS' && a.args.length === 0));
    if (st.returnType !== undefined || st.modifiers.length || other || st.annotations.length > 1) {
      this.gap(st.pos, `helper function ${show(st.name)} with ${other ? `@${other.name}` : st.returnType ?? (st.modifiers.join(' ') || 'two annotations')}`,
        'write def name(String a, b = 1) { … } (only @NonCPS, parameter types and defaults have a typed form)');
    }
    const params = st.params.map((prm) => {
      if (prm.type === undefined && prm.value === undefined) return lit(prm.name);
      const dflt = prm.value === undefined ? undefined : this.value(prm.value)
        ?? this.gap(prm.value.pos, `the default value of parameter ${show(prm.name)} of ${show(st.name)} (only literals, lists, maps and references are typed)`, 'compute the value in the body');
      return call('jenkins.FunctionParam.of', lit(prm.name), obj([['type', prm.type === undefined ? undefined : lit(prm.type)], ['default', dflt]]));
    });
    const where = `prelude > def ${st.name}()`;
    this.at(where, st.pos);
    let body = this.scriptedAttempt(st.body, where);
    if (!body) {
      this.escape(`the Groovy body of function ${show(st.name)}`, st.pos);
      this.secretsInRaw(st.body, where);
      body = lit(this.methodBody(st));
    }
    return { name: st.name, props: obj([['params', params.length ? arr(params) : undefined], ['nonCps', nonCps ? lit(true) : undefined], ['body', body]]), pos: st.pos };
  }

  private snapshot(): { diagnostics: number; escapes: number; rewrites: number; positions: Map<string, Pos>; occurrences: Map<string, Pos[]> } {
    return { diagnostics: this.diagnostics.length, escapes: this.escapes.length, rewrites: this.rewrites.length,
      positions: new Map(this.positions), occurrences: new Map(this.occurrences) };
  }

  private restore(s: ReturnType<Reader['snapshot']>): void {
    this.diagnostics.length = s.diagnostics;
    this.escapes.length = s.escapes;
    this.rewrites.length = s.rewrites;
    this.positions.clear();
    s.positions.forEach((v, k) => this.positions.set(k, v));
    this.occurrences.clear();
    s.occurrences.forEach((v, k) => this.occurrences.set(k, v));
  }

  /** The text between the braces of a method body, re-indented. */
  private methodBody(st: Extract<GStmt, { k: 'method' }>): string {
    const from = this.offset(st.pos);
    const to = this.offset(st.end ?? st.pos);
    const toks = groovyLexer().GroovyLexer.tokenize(this.source.slice(from, to)).tokens;
    let depth = 0;
    let open = -1;
    for (const t of toks) {
      if (t.image === '(') depth++;
      else if (t.image === ')') depth--;
      else if (t.image === '{' && depth === 0) { open = t.startOffset; break; }
    }
    return dedent(this.source.slice(from + open + 1, to - 1));
  }

  // ---- values ----

  /** A value tree the typed API writes exactly (a `StepArgValue`), or undefined. */
  private value(e: GExpr): Js | undefined {
    const all = (xs: readonly GExpr[]): Js[] | undefined => {
      const out = xs.map((x) => this.value(x));
      return out.every((x) => x !== undefined) ? out as Js[] : undefined;
    };
    switch (e.k) {
      case 'str': return lit(e.v);
      case 'gstr': return this.refText(e);
      case 'bool': return lit(e.v);
      case 'num': return /^\d+(\.\d+)?$/.test(e.text.replace(/^-/, '')) && Number.isSafeInteger(Math.trunc(e.v)) && String(e.v) === e.text ? lit(e.v) : undefined;
      case 'list': { const items = all(e.items); return items && arr(items); }
      case 'map': {
        if (!e.entries.every((x) => x.key.k === 'str' && IDENT.test(x.key.v))) return undefined;
        const vals = all(e.entries.map((x) => x.value));
        return vals && obj(e.entries.map((x, i) => [(x.key as { v: string }).v, vals[i]]));
      }
      case 'call': {
        if (e.obj || e.closures.length || !IDENT.test(e.name)) return undefined;
        const named = e.args.filter((a) => a.name);
        if (named.length && named.length !== e.args.length) return undefined;
        if (named.length) {
          if (!named.every((a) => a.name!.k === 'str' && IDENT.test(a.name!.v))) return undefined;
          const vals = all(named.map((a) => a.value));
          return vals && call('jenkins.Value.call', lit(e.name), obj(named.map((a, i) => [(a.name as { v: string }).v, vals[i]])));
        }
        const vals = all(e.args.map((a) => a.value));
        if (!vals) return undefined;
        return vals.length ? call('jenkins.Value.call', lit(e.name), arr(vals)) : call('jenkins.Value.call', lit(e.name));
      }
      case 'var': return IDENT.test(e.name) && !['this', 'super'].includes(e.name) ? call('jenkins.Value.ref', call('jenkins.Ref.variable', lit(e.name))) : undefined;
      case 'prop': {
        const ref = this.refOf(e);
        return ref && ref.fn !== 'variable' ? call('jenkins.Value.ref', call(`jenkins.Ref.${ref.fn}`, lit(ref.name))) : undefined;
      }
      default: return undefined;
    }
  }

  /**
   * A value tree, or else the expression's Groovy text as `Value.expression` (a listed escape, its secrets still
   * checked). `limit` is where the expression's text ends at the latest; `closer` a bracket to drop there.
   */
  private valueOrRaw(e: GExpr, limit: Pos, w: string, closer?: string): Js {
    const v = this.value(e) ?? this.stepResult(e, w);
    if (v) return v;
    return this.rawExpression(e, limit, w, closer);
  }

  /** `sh(script: …, returnStdout: true).trim()` in Scripted code as `Value.stepResult(step, { trim: true })`. */
  private stepResult(e: GExpr, w: string): Js | undefined {
    const inner = e.k === 'call' && e.name === 'trim' && e.op === '.' && !e.args.length && !e.closures.length ? e.obj : undefined;
    if (!this.scripted || inner?.k !== 'call' || inner.obj || inner.closures.length || !inner.parens || !IDENT.test(inner.name)) return undefined;
    const saved = this.snapshot();
    try {
      const step = this.step({ name: inner.name, call: inner, pos: inner.pos }, `${w} > value`, 0);
      const failed = this.diagnostics.slice(saved.diagnostics).length > 0 || this.escapes.length > saved.escapes || this.rewrites.length > saved.rewrites;
      if (!failed) return call('jenkins.Value.stepResult', step, obj([['trim', lit(true)]]));
    } catch (err) {
      if (!(err instanceof Skip)) throw err;
    }
    this.restore(saved);
    return undefined;
  }

  private rawExpression(e: GExpr, limit: Pos, w: string, closer?: string): Js {
    this.escape('Value.expression', e.pos);
    this.secretsInRaw([{ k: 'expr', e, pos: e.pos }], w);
    return call('jenkins.Value.expression', lit(this.sourceOf(this.openingParens(e, limit, closer), limit, closer)));
  }

  /**
   * Where a parenthesised expression's text starts: the AST drops the brackets of `(count as String)`, so its
   * leftmost operand is inside them; the start moves back over each `(` whose `)` the text holds.
   */
  private openingParens(e: GExpr, limit: Pos, closer?: string): Pos {
    let start = this.offset(startOf(e));
    const unmatched = (from: number): number => {
      const toks = groovyLexer().GroovyLexer.tokenize(this.sourceOf(this.position(from), limit, closer)).tokens;
      return toks.filter((t) => t.image === ')').length - toks.filter((t) => t.image === '(').length;
    };
    for (let extra = unmatched(start); extra > 0; extra--) {
      const before = this.source.slice(0, start).replace(/\s+$/, '');
      if (!before.endsWith('(')) break;
      start = before.length - 1;
    }
    return this.position(start);
  }

  /** The source text from `start` to its last token before `limit` (comments, line ends, `;` and `closer` dropped). */
  private sourceOf(start: Pos, limit: Pos, closer?: string): string {
    const text = this.source.slice(this.offset(start), this.offset(limit));
    const { GroovyLexer, NL, Comment, Semi } = groovyLexer();
    const toks = GroovyLexer.tokenize(text).tokens.filter((t) => t.tokenType !== NL && t.tokenType !== Comment && t.tokenType !== Semi);
    let last = toks.length - 1;
    if (closer && toks[last]?.image === closer) last--;
    return last < 0 ? '' : text.slice(0, (toks[last].endOffset ?? 0) + 1);
  }

  // ---- Scripted steps ----

  /** `parallel(a: { … }, b: { … }, failFast: true)`, branches as closures. */
  private parallelStep(s: Entry, w: string): Js {
    const one = s.call.args.length === 1 && !s.call.args[0].name ? s.call.args[0].value : undefined;
    if (one?.k === 'var' && IDENT.test(one.name) && !s.call.closures.length) return call('jenkins.Step.parallelOf', call('jenkins.Ref.variable', lit(one.name)));
    const branches: Array<[string, Js]> = [];
    let failFast: Js | undefined;
    // `parallel([a: { }, b: { }])`: a map literal is the same call to Groovy as named arguments.
    const only = s.call.args.length === 1 && !s.call.args[0].name ? s.call.args[0].value : undefined;
    const args = only?.k === 'map' ? only.entries.map((x) => ({ name: x.key, value: x.value })) : s.call.args;
    for (const a of args) {
      const key = a.name?.k === 'str' ? a.name.v : undefined;
      if (key === 'failFast' && a.value.k === 'bool') { failFast = lit(a.value.v); continue; }
      if (key === undefined || a.value.k !== 'closure' || a.value.params !== undefined || /^\d+$/.test(key)) {
        return this.gap(a.value.pos, a.name ? 'a parallel branch that is not a { } block (or has a numeric name)' : 'parallel with a map built at run time',
          "write parallel(name: { … }, other: { … }) with the branches as blocks");
      }
      branches.push([key, arr(this.steps(a.value.body, `${w} > branch ${show(key)}`))]);
    }
    if (s.call.closures.length) this.gap(s.pos, 'parallel with a trailing block', 'give the branches as named blocks');
    return failFast ? call('jenkins.Step.parallel', obj(branches), obj([['failFast', failFast]])) : call('jenkins.Step.parallel', obj(branches));
  }

  /**
   * `properties([...])`: `parameters([...])` and `pipelineTriggers([...])` as typed parameters and triggers when
   * they come last (where the typed form writes them), other job properties as value trees.
   */
  private properties(s: Entry, one: GExpr | undefined, w: string): Js {
    if (!one || one.k !== 'list' || s.call.closures.length) return this.gap(s.pos, 'properties without a list', 'write properties([ … ])');
    const items = [...one.items];
    // Findings about an entry (a cron spec, a parameter) quote it: each entry's line is a candidate position.
    const entries = (xs: readonly GExpr[]): void => xs.forEach((x) => {
      this.occur(w, 'step', '', x.pos);
      if (x.k === 'call' && x.args.length === 1 && x.args[0].value.k === 'list') entries(x.args[0].value.items);
    });
    entries(items);
    const isCall = (x: GExpr | undefined, n: string): x is Extract<GExpr, { k: 'call' }> => x?.k === 'call' && !x.obj && x.name === n && x.args.length === 1 && x.args[0].value.k === 'list';
    const props: Array<[string, Js | undefined]> = [];
    let triggers: Js | undefined;
    let parameters: Js | undefined;
    if (isCall(items[items.length - 1], 'pipelineTriggers')) {
      const t = items.pop() as Extract<GExpr, { k: 'call' }>;
      const list = t.args[0].value as Extract<GExpr, { k: 'list' }>;
      triggers = arr(list.items.map((x) => (x.k === 'call' && !x.obj ? this.trigger({ name: x.name, call: x, pos: x.pos }, `${w} > triggers`)
        : this.gap(x.pos, 'this trigger', "write cron('H 4 * * *')"))));
    }
    if (isCall(items[items.length - 1], 'parameters')) {
      const ps = items.pop() as Extract<GExpr, { k: 'call' }>;
      const list = ps.args[0].value as Extract<GExpr, { k: 'list' }>;
      parameters = arr(list.items.map((x) => (x.k === 'call' && !x.obj ? this.parameter({ name: x.name, call: x, pos: x.pos }, `${w} > parameters`)
        : this.gap(x.pos, 'this parameter', "write string(name: 'X', …)"))));
    }
    const rest = items.map((x) => this.value(x) ?? this.gap(x.pos, 'this job property (only calls, lists, maps and literals have a typed form)', 'write it as name(arg: value, …)'));
    props.push(['properties', rest.length ? arr(rest) : undefined], ['parameters', parameters], ['triggers', triggers]);
    return call('jenkins.Step.properties', obj(props));
  }

  /** `podTemplate(…) { node(POD_LABEL) { … } }` (kubernetes plugin), with the Pod Security level the pod needs. */
  private podTemplate(s: Entry, named: Map<string, GExpr>, positional: GExpr[], w: string): Js {
    const inner = s.call.closures[0]?.body;
    const node = inner?.length === 1 && inner[0].k === 'expr' && inner[0].e.k === 'call' ? inner[0].e : undefined;
    const label = node?.args[0]?.value;
    // The older form names the pod by a variable: `podTemplate(label: l, …) { node(l) { … } }`.
    const given = named.get('label');
    const variable = label?.k === 'var' && given?.k === 'var' && given.name === label.name && IDENT.test(label.name) ? label.name : undefined;
    if (positional.length || s.call.closures.length !== 1 || !node || node.obj || node.name !== 'node' || node.args.length !== 1
      || label?.k !== 'var' || (label.name !== 'POD_LABEL' && !variable) || node.closures.length !== 1) {
      return this.gap(s.pos, 'this podTemplate form (the typed forms are podTemplate(…) { node(POD_LABEL) { … } } and podTemplate(label: l, …) { node(l) { … } })',
        'run the steps in node(POD_LABEL) { … } right inside podTemplate');
    }
    if (variable) named.delete('label');
    const kinds: Record<string, 'str' | 'num' | 'bool'> = { cloud: 'str', namespace: 'str', label: 'str', inheritFrom: 'str', serviceAccount: 'str',
      nodeSelector: 'str', workingDir: 'str', yaml: 'str', idleMinutes: 'num', activeDeadlineSeconds: 'num', showRawYaml: 'bool' };
    const props: Array<[string, Js]> = [];
    for (const [k, v] of named) {
      if (k === 'containers') {
        if (v.k !== 'list') this.gap(v.pos, 'containers that are not a list', 'write containers: [containerTemplate(…)]');
        props.push(['containerTemplates', arr(v.items.map((x) => this.containerTemplate(x, w)))]);
      } else if (k === 'yamlMergeStrategy' || k === 'podRetention') {
        const values = POD_SYMBOLS[k];
        if (v.k !== 'call' || v.obj || v.args.length || !values[v.name]) this.gap(v.pos, `this ${k}`, `write ${k}: ${Object.keys(values)[0]}()`);
        props.push([k, get(`jenkins.${k === 'podRetention' ? 'PodRetention' : 'YamlMergeStrategy'}.${values[v.name]}`)]);
      } else if (kinds[k]) {
        props.push([k, kinds[k] === 'num' ? lit(this.num(v, w)) : kinds[k] === 'bool' ? lit(this.boolValue(v, w, k)) : lit(this.str(v, w))]);
      } else this.gap(v.pos, `podTemplate argument ${show(k)}`, `use ${[...Object.keys(kinds), 'containers', 'yamlMergeStrategy', 'podRetention'].join(', ')}`);
    }
    this.at(`${w} > node`, node.pos);
    const steps = arr(this.steps(node.closures[0].body, `${w} > node`));
    const security = this.podSecurity((extra) => (evaluate(call('jenkins.Step.podTemplate', obj([...props, ...extra]), arr([]))) as {
      _toCall(): { problems?: Array<{ rule: string; message: string }> } })._toCall().problems ?? [], s.pos, w);
    const labelVariable: Array<[string, Js]> = variable ? [['labelVariable', call('jenkins.Ref.variable', lit(variable))]] : [];
    return call('jenkins.Step.podTemplate', obj([...labelVariable, ...props, ...security]), steps);
  }

  /**
   * The pod as written may break Pod Security "restricted" (root, no requests, …): the import then writes the
   * least relaxed level it passes, with a reason, so Jenkins runs the same pod, and lists it.
   */
  private podSecurity(probe: (extra: Array<[string, Js]>) => Array<{ rule: string; message: string }>, pos: Pos, w: string): Array<[string, Js]> {
    const rules = (extra: Array<[string, Js]>): Array<{ rule: string; message: string }> => {
      try {
        return probe(extra);
      } catch (e) {
        if (e instanceof SlipwayError) return [];
        throw e;
      }
    };
    const restricted = rules([]).filter((r) => r.rule === 'pod-security-restricted');
    if (restricted.length === 0) return [];
    const reason = lit('imported as written: the pod does not meet Pod Security "restricted"');
    const baseline: Array<[string, Js]> = [['podSecurity', call('jenkins.PodSecurity.baseline', reason)]];
    const level = rules(baseline).some((r) => r.rule === 'pod-security-baseline') ? 'privileged' : 'baseline';
    const why = restricted.map((r) => r.message.replace(/^agent pod breaks Pod Security "restricted": /, '')).join('; ');
    this.rewrite(`the pod does not meet Pod Security "restricted" (${why}): it is written with podSecurity: PodSecurity.${level}(…), which keeps it as it is`, pos);
    this.report(pos, 'pod-security-restricted', `${w}: the pod does not meet Pod Security "restricted": ${why}`,
      `harden the pod, or keep it and opt out visibly: the import writes podSecurity: PodSecurity.${level}('…')`, 'warning');
    return [['podSecurity', call(`jenkins.PodSecurity.${level}`, reason)]];
  }

  /** `containerTemplate(name: …, image: …, …)` as `jenkins.ContainerTemplate.of({ … })`. */
  private containerTemplate(x: GExpr, w: string): Js {
    if (x.k !== 'call' || x.obj || x.name !== 'containerTemplate' || x.closures.length) return this.gap(x.pos, 'this container (only containerTemplate(…) has a typed form)', 'write containerTemplate(name: …, image: …)');
    const { named, positional } = this.args(x, w);
    if (positional.length) this.gap(x.pos, 'containerTemplate with positional arguments', 'use named arguments');
    const kinds: Record<string, 'str' | 'bool' | 'id'> = { name: 'str', image: 'str', command: 'str', args: 'str', workingDir: 'str', ttyEnabled: 'bool',
      alwaysPullImage: 'bool', privileged: 'bool', runAsUser: 'id', runAsGroup: 'id', resourceRequestCpu: 'str', resourceRequestMemory: 'str',
      resourceLimitCpu: 'str', resourceLimitMemory: 'str' };
    const props: Array<[string, Js]> = [];
    for (const [k, v] of named) {
      if (k === 'envVars') {
        if (v.k !== 'list') this.gap(v.pos, 'envVars that are not a list', "write envVars: [envVar(key: 'K', value: 'v')]");
        const env: Array<[string, Js]> = v.items.map((e) => {
          const a = e.k === 'call' && !e.obj && e.name === 'envVar' ? this.args(e, w).named : undefined;
          const key = a?.get('key');
          const val = a?.get('value');
          if (!a || a.size !== 2 || key?.k !== 'str' || val?.k !== 'str' || /^\d+$/.test(key.v)) return this.gap(e.pos, 'this container environment variable', "write envVar(key: 'K', value: 'v')");
          return [key.v, lit(val.v)];
        });
        props.push(['envVars', obj(env)]);
        continue;
      }
      const kind = kinds[k];
      if (!kind) this.gap(v.pos, `containerTemplate argument ${show(k)}`, `use ${[...Object.keys(kinds), 'envVars'].join(', ')}`);
      if (kind === 'id') {
        const text = this.str(v, w);
        // The plugin takes the id as text; the typed prop is the number, written back as text.
        if (!/^(0|[1-9]\d*)$/.test(text)) this.gap(v.pos, `${k} ${show(text)}`, `write ${k}: '1000'`);
        props.push([k, lit(Number(text))]);
      } else props.push([k, kind === 'bool' ? lit(this.boolValue(v, w, k)) : lit(this.str(v, w))]);
    }
    return call('jenkins.ContainerTemplate.of', obj(props));
  }

  // ---- Scripted statements ----

  /** One statement of Scripted Groovy as a typed step. */
  private statement(st: GStmt, where: string): Js {
    switch (st.k) {
      case 'expr': {
        const e = st.e;
        if (e.k === 'call' && !e.obj) return this.step({ name: e.name, call: e, pos: e.pos, end: st.end }, where, 0);
        if (e.k === 'var') return this.step({ name: e.name, call: { k: 'call', name: e.name, args: [], closures: [], parens: false, pos: e.pos }, pos: e.pos }, where, 0);
        const typed = this.assignment(e, st, where) ?? this.docker(e, where);
        if (typed) return typed;
        const what = e.k === 'bin' && e.op !== '[' && /=$/.test(e.op) && !['==', '!=', '<=', '>='].includes(e.op) ? `the assignment ${e.op} to this target (Step.assign writes env.X, currentBuild.X or a variable = value)`
          : e.k === 'call' ? `a method call on an object (${show(e.name)})` : 'an expression statement';
        return this.gap(st.pos, `${what} in Scripted Groovy`, 'move it into a helper function (def f() { … }), whose Groovy body is kept as written');
      }
      case 'decl': {
        const typed = st.type !== undefined && st.modifiers.length === 0 && st.annotations.length === 0 && st.value !== undefined && IDENT.test(st.name);
        if (!isPlainDef(st) && !typed) return this.gap(st.pos, `the declaration of ${show(st.name)} (only def NAME = value and TYPE NAME = value have a typed form)`, 'write def NAME = value');
        this.at(`${where} > def`, st.pos);
        const value = this.valueOrRaw(st.value!, st.end ?? st.pos, `${where} > def`);
        return typed ? call('jenkins.Step.define', lit(st.name), value, obj([['type', lit(st.type!)]])) : call('jenkins.Step.define', lit(st.name), value);
      }
      case 'while': {
        const w = `${where} > while`;
        this.at(w, st.pos);
        this.occur(w, 'step', '', st.pos);
        const cond = this.value(st.cond);
        const c = cond && cond.k === 'call' && cond.fn === 'jenkins.Value.ref' ? cond : this.rawExpression(st.cond, st.body.pos, w, ')');
        return call('jenkins.Step.whileLoop', c, arr(this.steps(blockBody(st.body), w)));
      }
      case 'if': {
        const w = `${where} > if`;
        this.at(w, st.pos);
        const cond = this.value(st.cond);
        const c = cond && cond.k === 'call' && cond.fn === 'jenkins.Value.ref' ? cond : this.rawExpression(st.cond, st.then.pos, w, ')');
        const then = arr(this.steps(blockBody(st.then), w));
        return st.else ? call('jenkins.Step.ifThen', c, then, arr(this.steps(blockBody(st.else), `${w} > else`))) : call('jenkins.Step.ifThen', c, then);
      }
      case 'for': {
        if (!st.coll || st.type !== undefined) return this.gap(st.pos, st.coll ? 'a for loop with a typed variable' : 'a classic for (init; cond; update) loop', 'write for (x in items) { … }');
        const w = `${where} > for`;
        this.at(w, st.pos);
        return call('jenkins.Step.forIn', lit(st.name!), this.valueOrRaw(st.coll, st.body.pos, w, ')'), arr(this.steps(blockBody(st.body), w)));
      }
      case 'try': {
        const w = `${where} > try`;
        this.at(w, st.pos);
        const steps = arr(this.steps(st.body, w));
        const clauses = st.catches.map((c) => obj([['variable', c.name === 'err' ? undefined : lit(c.name)],
          ['types', c.types.length ? arr(c.types.map((t) => lit(t))) : undefined], ['steps', arr(this.steps(c.body, `${w} > catch`))]]));
        const katch = clauses.length > 1 ? arr(clauses) : clauses[0];
        const fin = st.fin ? arr(this.steps(st.fin, `${w} > finally`)) : undefined;
        return call('jenkins.Step.tryCatch', obj([['steps', steps], ['catch', katch], ['finally', fin]]));
      }
      case 'return':
        this.at(`${where} > return`, st.pos);
        this.occur(`${where} > return`, 'step', '', st.pos);
        return st.e ? call('jenkins.Step.returnValue', this.valueOrRaw(st.e, st.end ?? st.pos, `${where} > return`)) : call('jenkins.Step.returnValue');
      case 'throw':
        this.at(`${where} > throw`, st.pos);
        this.occur(`${where} > throw`, 'step', '', st.pos);
        return call('jenkins.Step.throwError', st.e.k === 'var' && IDENT.test(st.e.name) ? call('jenkins.Ref.variable', lit(st.e.name))
          : this.rawExpression(st.e, st.end ?? st.pos, `${where} > throw`));
      default:
        return this.gap(st.pos, `${stmtKind(st)} in Scripted Groovy`, 'move it into a helper function (def f() { … }), whose Groovy body is kept as written');
    }
  }

  /** `env.X = …`, `currentBuild.result = …`, `name = …` as `Step.assign`; undefined for other targets. */
  private assignment(e: GExpr, st: GStmt, where: string): Js | undefined {
    if (e.k !== 'bin' || e.op !== '=') return undefined;
    // `branches[name] = { … }`: a branch of a map `parallel branches` runs.
    if (e.l.k === 'bin' && e.l.op === '[' && e.l.l.k === 'var' && IDENT.test(e.l.l.name) && e.r.k === 'closure' && e.r.params === undefined
      && (e.l.r.k === 'str' || (e.l.r.k === 'gstr' && this.refText(e.l.r)))) {
      const w = `${where} > branch`;
      this.at(w, st.pos);
      this.occur(w, 'step', '', st.pos);
      return call('jenkins.Step.putBranch', call('jenkins.Ref.variable', lit(e.l.l.name)), this.text(e.l.r, w), arr(this.steps(e.r.body, w)));
    }
    const ref = this.refOf(e.l);
    if (!ref) return undefined;
    const w = `${where} > assign`;
    this.at(w, st.pos);
    this.occur(w, 'step', '', st.pos);
    return call('jenkins.Step.assign', call(`jenkins.Ref.${ref.fn}`, lit(ref.name)), this.valueOrRaw(e.r, st.end ?? st.pos, w));
  }

  /** Docker Pipeline's `docker.image('x').inside('args') { … }` and `docker.withRegistry(url, 'id') { … }`. */
  private docker(e: GExpr, where: string): Js | undefined {
    if (e.k !== 'call' || e.closures.length !== 1 || e.op !== '.' || e.args.some((a) => a.name)) return undefined;
    const isDocker = (x: GExpr | undefined): boolean => x?.k === 'var' && x.name === 'docker';
    const text = (x: GExpr): boolean => x.k === 'str' || (x.k === 'gstr' && this.refText(x) !== undefined);
    const img = e.obj;
    if (e.name === 'inside' && img?.k === 'call' && img.name === 'image' && img.op === '.' && isDocker(img.obj) && !img.closures.length
      && img.args.length === 1 && !img.args[0].name && text(img.args[0].value) && e.args.length <= 1 && e.args.every((a) => text(a.value))) {
      const w = `${where} > docker.image.inside`;
      this.at(w, e.pos);
      this.occur(w, 'step', '', e.pos);
      const opts = e.args.length ? obj([['args', this.text(e.args[0].value, w)]]) : undefined;
      const steps = arr(this.steps(e.closures[0], w));
      return opts ? call('jenkins.Step.dockerInside', this.text(img.args[0].value, w), steps, opts) : call('jenkins.Step.dockerInside', this.text(img.args[0].value, w), steps);
    }
    if (e.name === 'withRegistry' && isDocker(e.obj) && e.args.length >= 1 && e.args.length <= 2 && text(e.args[0].value) && (e.args.length === 1 || e.args[1].value.k === 'str')) {
      const w = `${where} > docker.withRegistry`;
      this.at(w, e.pos);
      this.occur(w, 'step', '', e.pos);
      const cred = e.args[1] ? lit(this.str(e.args[1].value, w)) : undef();
      return call('jenkins.Step.dockerWithRegistry', this.text(e.args[0].value, w), cred, arr(this.steps(e.closures[0], w)));
    }
    return undefined;
  }

  // ---- secrets in raw Groovy ----

  private collectSecrets(body: readonly GStmt[]): void {
    visitStatements(body, (st) => eachExpr(st, (e) => {
      if (e.k === 'bin' && e.op === '=' && e.l.k === 'var' && e.r.k === 'call' && !e.r.obj && e.r.name === 'credentials') {
        [e.l.name, `${e.l.name}_USR`, `${e.l.name}_PSW`].forEach((n) => this.secrets.add(n));
      }
      if (e.k === 'call' && !e.obj && e.name === 'withCredentials') {
        for (const a of e.args) {
          if (a.value.k !== 'list') continue;
          for (const b of a.value.items) {
            if (b.k !== 'call') continue;
            for (const x of b.args) if (x.name?.k === 'str' && /[vV]ariable$/.test(x.name.v) && x.value.k === 'str') this.secrets.add(x.value.v);
          }
        }
      }
      if (e.k === 'call' && !e.obj && e.name === 'password') {
        const n = e.args.find((x) => x.name?.k === 'str' && x.name.v === 'name')?.value;
        if (n?.k === 'str') this.secretParams.add(n.v);
      }
    }));
  }

  /** A GString handed to a step inside raw Groovy must not interpolate a secret (Jenkins only warns at run time). */
  private secretsInRaw(body: readonly GStmt[], w: string): void {
    visitStatements(body, (st) => eachExpr(st, (e) => {
      if (e.k !== 'call' || e.obj) return;
      for (const a of e.args) {
        if (a.value.k !== 'gstr') continue;
        for (const part of a.value.parts) {
          if (typeof part === 'string') continue;
          const ref = part.k === 'var' ? { owner: '', name: part.name } : part.k === 'prop' && part.obj.k === 'var' ? { owner: part.obj.name, name: part.name } : undefined;
          if (!ref) continue;
          const secret = ref.owner === 'params' ? this.secretParams.has(ref.name) : (ref.owner === '' || ref.owner === 'env') && this.secrets.has(ref.name);
          if (secret) {
            this.report(part.pos, 'secret-in-gstring', `${w}: ${show(ref.owner ? `${ref.owner}.${ref.name}` : ref.name)} holds a secret and would be interpolated by Groovy into ${show(e.name)}`,
              `reference it as $${ref.name} inside a single-quoted '…' string so the shell reads it, not Groovy`);
          }
        }
      }
    }));
  }

  // ---- structure ----

  /** The entries of a section block: each must be a call (a bare name is a call without arguments). */
  private entries(c: GClosure | undefined, where: string): Entry[] {
    const out: Entry[] = [];
    for (const s of c?.body ?? []) {
      const e = s.k === 'expr' ? s.e : undefined;
      if (e?.k === 'call' && !e.obj) out.push({ name: e.name, call: e, pos: e.pos });
      else if (e?.k === 'var') out.push({ name: e.name, call: { k: 'call', name: e.name, args: [], closures: [], parens: false, pos: e.pos }, pos: e.pos });
      else if (e?.k === 'call') this.report(s.pos, 'not-declarative', `${where}: method calls on objects are not allowed outside "script" blocks`, 'wrap the call in script { }');
      else this.report(s.pos, 'not-declarative', `${where}: expected a directive or step, found ${stmtKind(s)}`, 'wrap Groovy logic in script { }');
    }
    return out;
  }

  private closureOf(e: Entry, where: string): GClosure {
    if (e.call.closures.length !== 1 || e.call.args.length > 0) {
      this.bad(e.pos, 'section-block', `${where}: ${show(e.name)} needs a { } block and no arguments`, `write ${e.name} { … }`);
    }
    return e.call.closures[0];
  }

  /** Sections of a pipeline, stage or matrix, each at most once; a different order than the writer's is listed. */
  private sections(c: GClosure, where: string): Map<string, Entry> {
    const map = this.once(this.entries(c, where), where);
    const ranks = [...map.keys()].map((k) => SECTION_ORDER.indexOf(k)).filter((r) => r >= 0);
    if (ranks.some((r, i) => i > 0 && r < ranks[i - 1])) {
      this.rewrite(`${where}: sections are written in the order ${[...map.keys()].filter((k) => SECTION_ORDER.includes(k))
        .sort((a, b) => SECTION_ORDER.indexOf(a) - SECTION_ORDER.indexOf(b)).join(', ')}`, c.pos);
    }
    return map;
  }

  private once(list: Entry[], where: string): Map<string, Entry> {
    const map = new Map<string, Entry>();
    for (const e of list) {
      if (map.has(e.name)) this.report(e.pos, 'duplicate-section', `${where}: multiple occurrences of the ${e.name} section`, `merge the ${e.name} sections into one`);
      else map.set(e.name, e);
    }
    return map;
  }

  private pipeline(p: Call): { props: Js; stages: StagePlan[] } {
    const where = 'pipeline';
    const sections = this.sections(p.closures[0], where);
    const known = new Set(['agent', 'stages', 'environment', 'options', 'parameters', 'triggers', 'tools', 'libraries', 'post']);
    for (const [name, e] of sections) {
      if (!known.has(name)) {
        this.report(e.pos, 'unknown-section', REMOVED_SECTIONS.has(name) ? `pipeline: the ${show(name)} section was renamed or removed in Declarative 0.8+`
          : `pipeline: undefined section ${show(name)}`, `use one of ${[...known].join(', ')}`);
      }
    }
    const props = this.directives(new Map([...sections].filter(([n]) => n !== 'when' && n !== 'input')), where, 'pipeline');
    const extra: Array<[string, Js | undefined]> = [];
    const params = sections.get('parameters');
    if (params) { this.at(`${where} > parameters`, params.pos); extra.push(['parameters', this.attempt(() => this.parameters(params, where))]); }
    const triggers = sections.get('triggers');
    if (triggers) { this.at(`${where} > triggers`, triggers.pos); extra.push(['triggers', this.attempt(() => this.triggers(triggers, where))]); }
    const libs = sections.get('libraries');
    if (libs) { this.at(`${where} > libraries`, libs.pos); extra.push(['libraries', this.attempt(() => this.libraries(libs, where))]); }
    const stages = sections.get('stages');
    const list = stages ? this.attempt(() => this.stageList(this.closureOf(stages, where), where, 'stage')) ?? [] : [];
    return { props: obj([...props, ...extra]), stages: list };
  }

  /** agent, environment, options, tools, post (+ when, input for stages and matrices) as props entries. */
  private directives(sections: Map<string, Entry>, where: string, level: string): Array<[string, Js | undefined]> {
    const out: Array<[string, Js | undefined]> = [];
    const agent = sections.get('agent');
    if (agent) { this.at(`${where} > agent`, agent.pos); out.push(['agent', this.attempt(() => this.agent(agent, where))]); }
    const env = sections.get('environment');
    if (env) { this.at(`${where} > environment`, env.pos); out.push(['environment', this.attempt(() => this.environment(env, where))]); }
    const options = sections.get('options');
    if (options) { this.at(`${where} > options`, options.pos); out.push(['options', this.attempt(() => this.options(options, where, level))]); }
    const tools = sections.get('tools');
    if (tools) { this.at(`${where} > tools`, tools.pos); out.push(['tools', this.attempt(() => this.tools(tools, where))]); }
    const when = sections.get('when');
    if (when) { this.at(`${where} > when`, when.pos); out.push(...(this.attempt(() => this.when(when, where)) ?? [])); }
    const input = sections.get('input');
    if (input) { this.at(`${where} > input`, input.pos); out.push(['input', this.attempt(() => this.input(input, where))]); }
    const post = sections.get('post');
    if (post) { this.at(`${where} > post`, post.pos); out.push(['post', this.attempt(() => this.post(post, where))]); }
    return out;
  }

  private stageList(c: GClosure, where: string, kind: 'stage' | 'parallel'): StagePlan[] {
    const out: StagePlan[] = [];
    for (const e of this.entries(c, where)) {
      if (e.name !== 'stage') {
        this.report(e.pos, 'not-declarative', `${where}: expected a stage, found ${show(e.name)}`, "write stage('name') { … }");
        continue;
      }
      const s = this.attempt(() => this.stage(e, where, kind));
      if (s) out.push(s);
    }
    return out;
  }

  private stage(e: Entry, parent: string, kind: 'stage' | 'parallel'): StagePlan {
    const nameArg = e.call.args[0]?.value;
    if (e.call.args.length !== 1 || e.call.args[0].name || nameArg?.k !== 'str') {
      this.bad(e.pos, 'stage-name-literal', `${parent}: a stage needs one string literal name`, "write stage('Build') { … } (no GString, no variables)");
    }
    const name = nameArg.v;
    const where = `${parent}${kind === 'parallel' ? ' > parallel' : ''} > stage ${show(name)}`;
    this.at(where, e.pos);
    if (e.call.closures.length !== 1) this.bad(e.pos, 'stage-block-required', `${where}: stage does not have a block`, `write stage(${show(name)}) { steps { … } }`);
    const sections = this.sections(e.call.closures[0], where);
    const known = new Set(['agent', 'environment', 'options', 'tools', 'when', 'input', 'post', 'steps', 'stages', 'parallel', 'matrix', 'failFast']);
    for (const [n, s] of sections) {
      if (!known.has(n)) {
        this.report(s.pos, 'unknown-stage-section', `${where}: unknown stage section ${show(n)}; steps in a stage must be in a 'steps' block`,
          `use one of ${[...known].join(', ')}`);
      }
    }
    const props = this.directives(sections, where, 'stage');
    const fail = sections.get('failFast');
    if (fail) props.push(['failFast', lit(this.bool(fail.call, where, 'failFast'))]);
    const steps = sections.get('steps');
    if (steps) {
      this.at(`${where} > steps`, steps.pos);
      props.push(['steps', this.attempt(() => arr(this.steps(this.closureOf(steps, where), `${where} > steps`)))]);
    }
    const plan: StagePlan = { name, kind, props: obj(props), pos: e.pos, where, children: [] };
    const nested = sections.get('stages');
    if (nested) plan.children.push(...this.attempt(() => this.stageList(this.closureOf(nested, where), where, 'stage')) ?? []);
    const parallel = sections.get('parallel');
    if (parallel) plan.children.push(...this.attempt(() => this.stageList(this.closureOf(parallel, where), where, 'parallel')) ?? []);
    const matrix = sections.get('matrix');
    if (matrix) plan.matrix = this.attempt(() => this.matrix(matrix, `${where} > matrix`));
    return plan;
  }

  private matrix(e: Entry, where: string): MatrixPlan {
    this.at(where, e.pos);
    const sections = this.sections(this.closureOf(e, where), where);
    const known = new Set(['axes', 'excludes', 'agent', 'environment', 'options', 'tools', 'when', 'input', 'post', 'stages']);
    for (const [n, s] of sections) {
      if (!known.has(n)) this.report(s.pos, 'unknown-section', `${where}: undefined section ${show(n)}`, `use one of ${[...known].join(', ')}`);
    }
    const axes: Js[] = [];
    const axesEntry = sections.get('axes');
    if (!axesEntry) this.report(e.pos, 'matrix-axes-required', `${where}: matrix has no axes`, 'add axes { axis { name …; values … } }');
    for (const a of axesEntry ? this.entries(this.closureOf(axesEntry, where), `${where} > axes`) : []) {
      const ax = this.attempt(() => this.axis(a, where, false));
      if (ax) axes.push(obj([['name', lit(ax.name)], ['values', arr(ax.values!.map(lit))]]));
    }
    let excludes: Js | undefined;
    const ex = sections.get('excludes');
    if (ex) {
      const list: Js[] = [];
      for (const x of this.entries(this.closureOf(ex, where), `${where} > excludes`)) {
        if (x.name !== 'exclude') { this.report(x.pos, 'not-declarative', `${where}: expected exclude, found ${show(x.name)}`, 'write exclude { axis { … } }'); continue; }
        const cells: Js[] = [];
        for (const a of this.entries(this.attempt(() => this.closureOf(x, where)), `${where} > exclude`)) {
          const ax = this.attempt(() => this.axis(a, where, true));
          if (ax) cells.push(obj([['name', lit(ax.name)], ['values', ax.values ? arr(ax.values.map(lit)) : undefined], ['notValues', ax.notValues ? arr(ax.notValues.map(lit)) : undefined]]));
        }
        list.push(arr(cells));
      }
      excludes = arr(list);
    }
    const props = obj([['axes', arr(axes)], ['excludes', excludes], ...this.directives(sections, where, 'matrix')]);
    const st = sections.get('stages');
    const stages = st ? this.attempt(() => this.stageList(this.closureOf(st, where), where, 'stage')) ?? [] : [];
    return { props, stages, pos: e.pos, where };
  }

  private axis(a: Entry, where: string, exclude: boolean): { name: string; values?: string[]; notValues?: string[] } {
    if (a.name !== 'axis') this.bad(a.pos, 'not-declarative', `${where}: expected axis, found ${show(a.name)}`, 'write axis { name …; values … }');
    const fields = this.once(this.entries(this.closureOf(a, where), `${where} > axis`), `${where} > axis`);
    const out: { name: string; values?: string[]; notValues?: string[] } = { name: '' };
    for (const [n, f] of fields) {
      if (n === 'name') {
        out.name = this.literal(this.single(f, where), where);
        if (!exclude) this.occur(where, 'axis', out.name, f.pos);
      }
      else if (n === 'values' || (exclude && n === 'notValues')) {
        out[n] = f.call.args.map((x) => (x.name ? this.bad(f.pos, 'matrix-axis-values', `${where}: axis values are string literals`, "write values 'a', 'b'") : this.literal(x.value, where)));
      } else this.report(f.pos, 'unknown-directive', `${where}: ${show(n)} is not an axis field`, exclude ? 'use name, values or notValues' : 'use name and values');
    }
    return out;
  }

  // ---- directives ----

  private agent(e: Entry, where: string): Js {
    const w = `${where} > agent`;
    if (e.call.closures.length === 0) {
      const v = e.call.args[0]?.value;
      if (e.call.args.length === 1 && v?.k === 'var' && (v.name === 'any' || v.name === 'none')) return call(`jenkins.Agent.${v.name}`);
      this.bad(e.pos, 'agent-form', `${w}: only "agent none", "agent any" or "agent { … }" are allowed`, 'write agent any, agent none or agent { label … }');
    }
    const types = this.entries(this.closureOf(e, w), w);
    if (types.length !== 1) this.bad(e.pos, 'agent-type', `${w}: ${types.length === 0 ? 'expected an agent' : 'only one agent type is allowed per agent section'}`, 'give exactly one of label, node, docker, dockerfile, kubernetes');
    const t = types[0];
    const block = t.call.closures.length === 1 && t.call.args.length === 0;
    const fields = block ? this.once(this.entries(t.call.closures[0], `${w} > ${t.name}`), `${w} > ${t.name}`) : new Map<string, Entry>();
    const take = (allowed: Record<string, 'str' | 'text' | 'bool' | 'num'>, unmodelled: readonly string[] = []): Array<[string, Js]> => {
      const out: Array<[string, Js]> = [];
      for (const [n, f] of fields) {
        const kind = allowed[n];
        if (!kind && unmodelled.includes(n)) {
          this.report(f.pos, 'unsupported-form', `slipway's typed API cannot write the ${t.name} agent option ${show(n)} yet`,
            `leave it out, or keep this Jenkinsfile hand-written until jenkins.Agent.${t.name}() has it`, 'warning');
          continue;
        }
        if (!kind) {
          this.report(f.pos, 'agent-option', `${w}: invalid config option ${show(n)} for agent type ${show(t.name)}`, `use one of ${Object.keys(allowed).join(', ')}`);
          continue;
        }
        const v = this.single(f, w);
        out.push([n, kind === 'text' ? this.text(v, w) : kind === 'bool' ? lit(this.boolValue(v, w, n)) : kind === 'num' ? lit(this.num(v, w)) : lit(this.str(v, w))]);
      }
      return out;
    };
    const docker = { label: 'str', args: 'str', customWorkspace: 'str', reuseNode: 'bool', registryUrl: 'str', registryCredentialsId: 'str' } as const;
    switch (t.name) {
      case 'label': return call('jenkins.Agent.label', this.text(this.single(t, w), w));
      case 'node': return call('jenkins.Agent.node', obj(take({ label: 'text', customWorkspace: 'str' })));
      case 'docker':
        if (!block) {
          this.rewrite("docker 'image' is written docker { image '…' }", t.pos);
          return call('jenkins.Agent.docker', obj([['image', this.text(this.single(t, w), w)]]));
        }
        return call('jenkins.Agent.docker', obj(take({ image: 'text', alwaysPull: 'bool', ...docker })));
      case 'dockerfile': {
        if (!block) {
          const v = t.call.args[0]?.value;
          if (v?.k === 'bool' && v.v) return call('jenkins.Agent.dockerfile');
          this.bad(t.pos, 'agent-form', `${w}: dockerfile takes true or a block`, 'write dockerfile true or dockerfile { … }');
        }
        return call('jenkins.Agent.dockerfile', obj(take({ filename: 'str', dir: 'str', additionalBuildArgs: 'str', ...docker })));
      }
      case 'kubernetes': {
        const symbols = (['yamlMergeStrategy', 'podRetention'] as const).map((k) => [k, fields.get(k)] as const);
        symbols.forEach(([k]) => fields.delete(k));
        const entries = take({ cloud: 'str', namespace: 'str', inheritFrom: 'str', defaultContainer: 'str', serviceAccount: 'str', nodeSelector: 'str',
          customWorkspace: 'str', idleMinutes: 'num', activeDeadlineSeconds: 'num', showRawYaml: 'bool', retries: 'num', yamlFile: 'str', yaml: 'str',
          label: 'str', workingDir: 'str' },
        // Valid options of the kubernetes plugin's declarative agent that the typed props do not have.
        ['inheritYamlMergeStrategy', 'containerTemplate', 'containerTemplates', 'schedulerName', 'instanceCap',
          'slaveConnectTimeout', 'workspaceVolume', 'supplementalGroups', 'agentContainer', 'agentInjection']);
        for (const [k, f] of symbols) {
          if (!f) continue;
          const v = this.single(f, w);
          const value = v.k === 'call' && !v.obj && !v.args.length ? POD_SYMBOLS[k][v.name] : undefined;
          if (!value) this.bad(f.pos, 'agent-option', `${w}: ${k} is one of ${Object.keys(POD_SYMBOLS[k]).map((x) => `${x}()`).join(', ')}`, `write ${k} ${Object.keys(POD_SYMBOLS[k])[0]}()`);
          entries.push([k, get(`jenkins.${k === 'podRetention' ? 'PodRetention' : 'YamlMergeStrategy'}.${value}`)]);
        }
        const security = this.podSecurity((extra) => (evaluate(call('jenkins.Agent.kubernetes', obj([...entries, ...extra]))) as {
          _toAst(): { problems?: Array<{ rule: string; message: string }> } })._toAst().problems ?? [], t.pos, `${w} > kubernetes`);
        return call('jenkins.Agent.kubernetes', obj([...entries, ...security]));
      }
      default:
        return this.gap(t.pos, `the agent type ${show(t.name)}`, 'use label, node, docker, dockerfile or kubernetes');
    }
  }

  private environment(e: Entry, where: string): Js {
    const w = `${where} > environment`;
    const out: Array<[string, Js]> = [];
    const seen = new Set<string>();
    for (const s of this.closureOf(e, w).body) {
      const x = s.k === 'expr' ? s.e : undefined;
      if (x?.k !== 'bin' || x.op !== '=' || x.l.k !== 'var') {
        this.report(s.pos, 'environment-form', `${w}: expected NAME = value`, "write NAME = 'value' or NAME = credentials('id')");
        continue;
      }
      const name = x.l.name;
      if (seen.has(name)) this.report(s.pos, 'duplicate-environment', `${w}: duplicate environment variable name ${show(name)}`, 'declare each variable once');
      seen.add(name);
      const v = this.attempt(() => this.envValue(x.r, w, name));
      if (v) out.push([name, v]);
    }
    return obj(out);
  }

  private envValue(v: GExpr, w: string, name: string): Js {
    if (v.k === 'str') return call('jenkins.EnvValue.of', lit(v.v));
    if (v.k === 'gstr') return call('jenkins.EnvValue.text', this.text(v, w));
    if (v.k === 'call' && !v.obj && v.name === 'credentials' && v.args.length === 1 && v.args[0].value.k === 'str') {
      return call('jenkins.EnvValue.credentials', lit(v.args[0].value.v));
    }
    if (v.k === 'num' && Number.isSafeInteger(v.v) && String(v.v) === v.text) {
      // Jenkins stores every environment value as a string.
      this.rewrite(`${name} = ${v.text} is written ${name} = '${v.text}'`, v.pos);
      return call('jenkins.EnvValue.of', lit(v.text));
    }
    if (v.k === 'num') return this.gap(v.pos, `the number ${v.text} as the value of ${show(name)}`, `quote it: ${name} = '${v.text}'`);
    if (v.k === 'var' || (v.k === 'prop')) {
      return this.bad(v.pos, 'environment-value', `${w}: ${show(name)} cannot use a bare variable as a value directly`, 'add quotes: "${…}"');
    }
    return this.gap(v.pos, `this value of ${show(name)} (only quoted strings, GStrings of env/params references and credentials() are modelled)`,
      'compute it in a script { } step with env.NAME = …, or quote it');
  }

  private options(e: Entry, where: string, level: string): Js {
    const w = `${where} > options`;
    const out: Js[] = [];
    for (const o of this.entries(this.closureOf(e, w), w)) {
      this.occur(where, 'option', o.name, o.pos);
      this.occur(w, 'entry', '', o.pos);
      const v = this.attempt(() => this.option(o, w, level !== 'pipeline'));
      if (v) out.push(v);
    }
    return arr(out);
  }

  private option(o: Entry, w: string, inStage: boolean): Js {
    const { named, positional } = this.args(o.call, w);
    const none = o.call.args.length === 0 && o.call.closures.length === 0;
    const flags: Record<string, string> = { disableResume: 'disableResume', disableRestartFromStage: 'disableRestartFromStage',
      newContainerPerStage: 'newContainerPerStage', skipDefaultCheckout: 'skipDefaultCheckout', skipStagesAfterUnstable: 'skipStagesAfterUnstable',
      parallelsAlwaysFailFast: 'parallelsAlwaysFailFast', timestamps: 'timestamps' };
    if (o.call.closures.length) this.bad(o.pos, 'option-block', `${w}: options definitions cannot have blocks`, `write ${o.name}(…) without { }`);
    if (flags[o.name] && none) return call(`jenkins.Option.${o.name}`);
    const one = positional.length === 1 && named.size === 0 ? positional[0] : undefined;
    switch (o.name) {
      case 'buildDiscarder': {
        const r = one;
        if (r?.k !== 'call' || r.name !== 'logRotator' || r.obj) return this.gap(o.pos, 'this buildDiscarder strategy', 'use buildDiscarder(logRotator(numToKeepStr: …))');
        const ra = this.args(r, w);
        const keys = ['numToKeep', 'daysToKeep', 'artifactNumToKeep', 'artifactDaysToKeep'];
        const props: Array<[string, Js]> = [];
        for (const [k, val] of ra.named) {
          const base = k.replace(/Str$/, '');
          if (!keys.includes(base) || !k.endsWith('Str') || val.k !== 'str' || !/^[1-9]\d*$/.test(val.v)) {
            this.gap(val.pos, `logRotator ${k}: ${val.k === 'str' ? show(val.v) : 'this value'}`, "write the counts as whole-number strings, e.g. numToKeepStr: '10'");
          }
          props.push([base, lit(Number((val as { v: string }).v))]);
        }
        props.sort((a, b) => keys.indexOf(a[0]) - keys.indexOf(b[0]));
        return call('jenkins.Option.buildDiscarder', obj(props));
      }
      case 'checkoutToSubdirectory': if (one?.k === 'str') return call('jenkins.Option.checkoutToSubdirectory', lit(one.v)); break;
      case 'disableConcurrentBuilds':
        if (none) return call('jenkins.Option.disableConcurrentBuilds');
        if (positional.length === 0 && named.size === 1 && named.get('abortPrevious')?.k === 'bool') {
          return call('jenkins.Option.disableConcurrentBuilds', lit((named.get('abortPrevious') as { v: boolean }).v));
        }
        break;
      case 'overrideIndexTriggers': if (one?.k === 'bool') return call('jenkins.Option.overrideIndexTriggers', lit(one.v)); break;
      case 'preserveStashes':
        if (none) return call('jenkins.Option.preserveStashes');
        if (positional.length === 0 && named.size === 1 && named.get('buildCount')?.k === 'num') return call('jenkins.Option.preserveStashes', lit((named.get('buildCount') as { v: number }).v));
        break;
      case 'quietPeriod': if (one?.k === 'num') return call('jenkins.Option.quietPeriod', lit(one.v)); break;
      case 'retry': if (one?.k === 'num') return call('jenkins.Option.retry', lit(one.v)); break;
      case 'timeout':
        if (one?.k === 'num') return call('jenkins.Option.timeoutMinutes', lit(one.v));
        if (positional.length === 0) {
          const d = this.duration(named, o.pos, w, ['activity']);
          const act = named.get('activity');
          return act ? call('jenkins.Option.timeout', d, lit(this.boolValue(act, w, 'activity'))) : call('jenkins.Option.timeout', d);
        }
        break;
      case 'ansiColor': if (one?.k === 'str') return call('jenkins.Option.ansiColor', lit(one.v)); break;
      case 'lock': if (one?.k === 'str') return call('jenkins.Option.lock', lit(one.v)); break;
      case 'withCredentials': if (one?.k === 'list') return call('jenkins.Option.withCredentials', arr(one.items.map((b) => this.binding(b, w)))); break;
      case 'parameters': case 'pipelineTriggers':
        this.bad(o.pos, 'option-not-allowed', `${w}: the ${show(o.name)} job property can't be used in options`, `use the pipeline's ${o.name === 'parameters' ? 'parameters' : 'triggers'} section`);
        break;
      default: break;
    }
    if (flags[o.name] === undefined && positional.length === 0) {
      this.escape(`Option.of(${show(o.name)})`, o.pos);
      return call('jenkins.Option.of', lit(o.name), this.argValues(named, w), lit(inStage));
    }
    return this.gap(o.pos, `option ${show(o.name)} with these arguments`, 'use the typed jenkins.Option form, or named arguments for Option.of');
  }

  private duration(named: Map<string, GExpr>, pos: Pos, w: string, extra: string[]): Js {
    const time = named.get('time');
    const unit = named.get('unit') ?? { k: 'str' as const, v: 'MINUTES', quote: "'" as const, pos };
    for (const k of named.keys()) if (k !== 'time' && k !== 'unit' && !extra.includes(k)) this.bad(pos, 'timeout-form', `${w}: timeout has no parameter ${show(k)}`, 'use time, unit and activity');
    if (time?.k !== 'num' || unit.k !== 'str' || !UNITS[unit.v]) {
      this.gap(pos, 'this timeout (time must be a number and unit one of DAYS, HOURS, MINUTES, SECONDS, MILLISECONDS)', "write timeout(time: 10, unit: 'MINUTES')");
    }
    if (!named.has('unit')) this.rewrite("timeout(time: n) is written with its default unit: 'MINUTES'", pos);
    const u = (unit as { v: string }).v;
    // Duration writes the largest exact unit: `time: 60, unit: 'MINUTES'` comes out as `time: 1, unit: 'HOURS'`.
    const out = jenkinsTime((Duration as unknown as Record<string, (n: number) => Duration>)[UNITS[u]](time.v));
    if (out.unit !== u) this.rewrite(`timeout(time: ${time.text}, unit: '${u}') is written timeout(time: ${out.time}, unit: '${out.unit}')`, pos);
    return call(`Duration.${UNITS[u]}`, lit(time.v));
  }

  private parameters(e: Entry, where: string): Js {
    const w = `${where} > parameters`;
    return arr(this.entries(this.closureOf(e, w), w).map((p) => this.attempt(() => this.parameter(p, w))).filter((x): x is Js => x !== undefined));
  }

  private parameter(p: Entry, w: string): Js {
    const { named, positional } = this.args(p.call, w);
    const pname = named.get('name');
    if (pname?.k === 'str') this.occur(w.replace(/ > parameters$/, ''), 'parameter', pname.v, p.pos);
    this.occur(w, 'entry', '', p.pos);
    if (positional.length > 0) this.bad(p.pos, 'parameter-form', `${w}: ${p.name} takes named arguments`, `write ${p.name}(name: 'X', …)`);
    const fields: Record<string, Record<string, 'str' | 'bool' | 'list'>> = {
      string: { name: 'str', defaultValue: 'str', description: 'str', trim: 'bool' },
      text: { name: 'str', defaultValue: 'str', description: 'str' },
      booleanParam: { name: 'str', defaultValue: 'bool', description: 'str' },
      choice: { name: 'str', choices: 'list', description: 'str' },
      password: { name: 'str', defaultValue: 'str', description: 'str' },
    };
    const f = fields[p.name];
    if (!f) return this.gap(p.pos, `the parameter type ${show(p.name)}`, 'use string, text, booleanParam, choice or password');
    const props: Array<[string, Js]> = [];
    for (const [k, v] of named) {
      const kind = f[k];
      if (!kind) this.gap(v.pos, `${p.name} parameter argument ${show(k)}`, `use ${Object.keys(f).join(', ')}`);
      if (kind === 'list') {
        if (v.k === 'str') {
          // The choice parameter splits a string on newlines; the typed form is the list.
          this.rewrite("choices: 'a\\nb' is written as the list ['a', 'b']", v.pos);
          props.push([k, arr(v.v.split('\n').map((x) => lit(x)))]);
          continue;
        }
        if (v.k !== 'list') this.gap(v.pos, 'these choices', "write choices: ['a', 'b']");
        props.push([k, arr(v.items.map((x) => lit(this.str(x, w))))]);
      } else props.push([k, kind === 'bool' ? lit(this.boolValue(v, w, k)) : lit(this.str(v, w))]);
    }
    return call(`jenkins.Parameter.${p.name}`, obj(props));
  }

  private triggers(e: Entry, where: string): Js {
    const w = `${where} > triggers`;
    const out: Js[] = [];
    for (const t of this.entries(this.closureOf(e, w), w)) {
      this.occur(where, 'trigger', t.name, t.pos);
      this.occur(w, 'entry', '', t.pos);
      const v = this.attempt(() => this.trigger(t, w));
      if (v) out.push(v);
    }
    return arr(out);
  }

  /** One trigger of a `triggers` section or of `pipelineTriggers([...])`. */
  private trigger(t: Entry, w: string): Js {
    const { named, positional } = this.args(t.call, w);
    if ((t.name === 'cron' || t.name === 'pollSCM') && positional.length === 1 && named.size === 0) return call(`jenkins.Trigger.${t.name}`, lit(this.str(positional[0], w)));
    if (t.name === 'upstream' && positional.length === 0) {
      const projects = named.get('upstreamProjects');
      const threshold = named.get('threshold');
      const th = threshold && this.dotted(threshold);
      const level = th?.match(/^hudson\.model\.Result\.(\w+)$/)?.[1];
      if (threshold && (!level || !RESULTS.has(level))) this.gap(threshold.pos, 'this upstream threshold', 'use hudson.model.Result.SUCCESS, UNSTABLE or FAILURE');
      return call('jenkins.Trigger.upstream', obj([['projects', arr(this.str(projects!, w).split(',').map((s) => lit(s)))],
        ['threshold', level ? get(`jenkins.BuildResult.${level}`) : undefined]]));
    }
    if (positional.length === 0) {
      this.escape(`Trigger.of(${show(t.name)})`, t.pos);
      return call('jenkins.Trigger.of', lit(t.name), this.argValues(named, w));
    }
    return this.gap(t.pos, `trigger ${show(t.name)} with these arguments`, 'use named arguments');
  }

  private tools(e: Entry, where: string): Js {
    const w = `${where} > tools`;
    const typed = new Set(['maven', 'jdk', 'gradle', 'nodejs']);
    return arr(this.entries(this.closureOf(e, w), w).map((t) => this.attempt(() => {
      this.occur(where, 'tool', t.name, t.pos);
      this.occur(w, 'entry', '', t.pos);
      const v = this.text(this.single(t, w), w);
      if (typed.has(t.name)) return call(`jenkins.Tool.${t.name}`, v);
      this.escape(`Tool.of(${show(t.name)})`, t.pos);
      return call('jenkins.Tool.of', lit(t.name), v);
    })).filter((x): x is Js => x !== undefined));
  }

  private libraries(e: Entry, where: string): Js {
    const w = `${where} > libraries`;
    return arr(this.entries(this.closureOf(e, w), w).map((l) => this.attempt(() => {
      if (l.name !== 'lib') this.bad(l.pos, 'library-form', `${w}: expected a "lib(...)" but got ${show(l.name)}`, "write lib('name@version')");
      const s = this.str(this.single(l, w), w);
      const at = s.indexOf('@');
      return at < 0 ? call('jenkins.Library.of', lit(s)) : call('jenkins.Library.of', lit(s.slice(0, at)), lit(s.slice(at + 1)));
    })).filter((x): x is Js => x !== undefined));
  }

  private post(e: Entry, where: string): Js {
    const w = `${where} > post`;
    const out: Array<[string, Js]> = [];
    for (const c of this.once(this.entries(this.closureOf(e, w), w), w).values()) {
      if (!POST.includes(c.name)) {
        this.report(c.pos, 'post-condition', `${w}: invalid condition ${show(c.name)}`, `use one of ${POST.join(', ')}`);
        continue;
      }
      this.at(`${w} > ${c.name}`, c.pos);
      const steps = this.attempt(() => this.steps(this.closureOf(c, w), `${w} > ${c.name}`));
      if (steps) out.push([c.name, arr(steps)]);
    }
    out.sort((a, b) => POST.indexOf(a[0]) - POST.indexOf(b[0]));
    return obj(out);
  }

  private when(e: Entry, where: string): Array<[string, Js | undefined]> {
    const w = `${where} > when`;
    const out: Array<[string, Js | undefined]> = [];
    const conds: Js[] = [];
    for (const c of this.entries(this.closureOf(e, w), w)) {
      if (c.name === 'beforeAgent' || c.name === 'beforeInput' || c.name === 'beforeOptions') {
        out.push([c.name, lit(this.bool(c.call, w, c.name))]);
        continue;
      }
      const v = this.attempt(() => this.condition(c, w), call('jenkins.When.expression', lit('true')));
      if (v) conds.push(v);
    }
    if (conds.length > 1) {
      // Jenkins ANDs the conditions of a when block; the typed API takes one condition.
      this.rewrite('several conditions in when are written inside allOf { }', e.pos);
      out.unshift(['when', call('jenkins.When.allOf', ...conds)]);
    }
    if (conds.length === 1) out.unshift(['when', conds[0]]);
    return out;
  }

  private condition(c: Entry, w: string): Js {
    const { named, positional } = this.args(c.call, w);
    const nested = ['allOf', 'anyOf', 'not'];
    if (nested.includes(c.name)) {
      if (c.call.args.length) this.bad(c.pos, 'when-children', `${w}: no additional arguments are allowed for children when condition ${show(c.name)}`, `write ${c.name} { … }`);
      const kids = this.entries(this.closureOf(c, w), w).map((k) => this.condition(k, w));
      if (c.name === 'not' && kids.length !== 1) this.bad(c.pos, 'when-children', `${w}: when condition "not" needs exactly one child condition`, 'give not { } one condition');
      if (kids.length === 0) this.bad(c.pos, 'when-children', `${w}: nested when condition ${show(c.name)} requires at least one child condition`, 'add a condition, or remove it');
      return call(`jenkins.When.${c.name}`, ...kids);
    }
    if (c.call.closures.length && c.name !== 'expression') {
      this.bad(c.pos, 'when-children', `${w}: no children when conditions are allowed for when condition ${show(c.name)}`, 'remove the { } block');
    }
    const comparator = (): Js | undefined => {
      const v = named.get('comparator');
      if (!v) return undefined;
      const s = this.str(v, w);
      if (!COMPARATORS.has(s)) this.bad(v.pos, 'when-comparator', `${w}: comparator ${show(s)} is not EQUALS, GLOB or REGEXP`, 'use EQUALS, GLOB or REGEXP');
      return get(`jenkins.Comparator.${s}`);
    };
    const only = (keys: string[]): void => {
      for (const k of named.keys()) if (!keys.includes(k)) this.bad(named.get(k)!.pos, 'when-argument', `${w}: ${c.name} has no parameter ${show(k)}`, `use ${keys.join(', ')}`);
    };
    const none = positional.length === 0 && named.size === 0;
    switch (c.name) {
      case 'branch': case 'tag': {
        if (positional.length === 1 && named.size === 0) return call(`jenkins.When.${c.name}`, lit(this.str(positional[0], w)));
        only(['pattern', 'comparator']);
        const pattern = named.get('pattern');
        if (!pattern) this.bad(c.pos, 'when-argument', `${w}: ${c.name} needs a pattern`, `write ${c.name} 'main'`);
        const cmp = comparator();
        return cmp ? call(`jenkins.When.${c.name}`, lit(this.str(pattern, w)), cmp) : this.gap(c.pos, `${c.name}(pattern: …) without a comparator`, `write ${c.name} '…'`);
      }
      case 'buildingTag': case 'isRestartedRun': if (none) return call(`jenkins.When.${c.name}`); break;
      case 'changelog': if (positional.length === 1 && named.size === 0) return call('jenkins.When.changelog', lit(this.str(positional[0], w))); break;
      case 'changeset': {
        if (positional.length === 1 && named.size === 0) return call('jenkins.When.changeset', lit(this.str(positional[0], w)));
        only(['pattern', 'comparator', 'caseSensitive']);
        const cs = named.get('caseSensitive');
        return call('jenkins.When.changeset', lit(this.str(named.get('pattern') ?? this.bad(c.pos, 'when-argument', `${w}: changeset needs a pattern`, "write changeset 'src/**'"), w)),
          obj([['comparator', comparator()], ['caseSensitive', cs ? lit(this.boolValue(cs, w, 'caseSensitive')) : undefined]]));
      }
      case 'changeRequest': {
        if (positional.length) break;
        const keys = ['id', 'target', 'branch', 'fork', 'url', 'title', 'author', 'authorDisplayName', 'authorEmail'];
        only([...keys, 'comparator']);
        const props: Array<[string, Js | undefined]> = keys.filter((k) => named.has(k)).map((k) => [k, lit(this.str(named.get(k)!, w))]);
        props.push(['comparator', comparator()]);
        return none ? call('jenkins.When.changeRequest') : call('jenkins.When.changeRequest', obj(props));
      }
      case 'environment': {
        only(['name', 'value', 'ignoreCase']);
        const ic = named.get('ignoreCase');
        const n = named.get('name');
        const v = named.get('value');
        if (!n || !v || positional.length) this.bad(c.pos, 'when-argument', `${w}: environment needs name: and value:`, "write environment name: 'DEPLOY', value: 'true'");
        const args = [lit(this.str(n, w)), lit(this.str(v, w))];
        return ic ? call('jenkins.When.environment', ...args, lit(this.boolValue(ic, w, 'ignoreCase'))) : call('jenkins.When.environment', ...args);
      }
      case 'equals': {
        only(['expected', 'actual']);
        const ex = named.get('expected');
        const ac = named.get('actual');
        if (!ex || !ac) this.bad(c.pos, 'when-argument', `${w}: equals needs expected: and actual:`, 'write equals expected: …, actual: …');
        return call('jenkins.When.equals', this.text(ex, w), this.text(ac, w));
      }
      case 'expression': {
        if (c.call.closures.length !== 1 || c.call.args.length) this.bad(c.pos, 'when-argument', `${w}: expression needs a { } block`, 'write expression { return … }');
        return call('jenkins.When.expression', lit(this.raw(c.call.closures[0], `${w} > expression`)));
      }
      case 'triggeredBy':
        if (positional.length === 1 && named.size === 0) return call('jenkins.When.triggeredBy', lit(this.str(positional[0], w)));
        only(['cause', 'detail']);
        if (named.has('cause') && named.has('detail')) return call('jenkins.When.triggeredBy', lit(this.str(named.get('cause')!, w)), lit(this.str(named.get('detail')!, w)));
        break;
      default:
        return this.bad(c.pos, 'when-unknown-condition', `${w}: unknown conditional ${show(c.name)}`,
          'use branch, buildingTag, changelog, changeset, changeRequest, environment, equals, expression, tag, triggeredBy, isRestartedRun, allOf, anyOf or not');
    }
    return this.gap(c.pos, `when ${c.name} with these arguments`, `see jenkins.When.${c.name}`);
  }

  private input(e: Entry, where: string): Js {
    const w = `${where} > input`;
    const fields = this.once(this.entries(this.closureOf(e, w), w), w);
    const props: Array<[string, Js]> = [];
    for (const [n, f] of fields) {
      if (['message', 'id', 'ok', 'submitter', 'submitterParameter'].includes(n)) props.push([n, lit(this.str(this.single(f, w), w))]);
      else if (n === 'parameters') props.push([n, this.parameters(f, w)]);
      else this.report(f.pos, 'input-field', `${w}: not a valid field for input: ${show(n)}`, 'use message, id, ok, submitter, submitterParameter or parameters');
    }
    if (!fields.has('message')) this.bad(e.pos, 'input-message-required', `${w}: no message specified for input`, "add message 'Deploy?'");
    return obj(props);
  }

  // ---- steps ----

  /** Steps of a block: Declarative entries, or Scripted statements (`if`, `for`, `try`, `def` too). */
  private steps(body: GClosure | readonly GStmt[], where: string): Js[] {
    const stmts = Array.isArray(body) ? body as readonly GStmt[] : (body as GClosure).body;
    const out: Js[] = [];
    if (this.scripted) {
      // A gap stands in as a step no rule reads, so the checks that follow see the block as it is.
      for (const st of stmts) {
        const v = this.attempt(() => this.statement(st, where), call('jenkins.Step.call', lit('unsupportedStep')));
        if (v) out.push(v);
      }
      return out;
    }
    for (const s of this.entries({ k: 'closure', body: stmts, pos: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, where)) {
      const v = this.attempt(() => this.step(s, where, stmts.length),
        call('jenkins.Step.call', lit(['parallel', 'stage', 'properties', 'node', 'pipeline'].includes(s.name) ? 'unsupportedStep' : s.name)));
      if (v) out.push(v);
    }
    return out;
  }

  private step(s: Entry, where: string, siblings: number): Js {
    const w = `${where} > ${s.name}`;
    this.at(w, s.pos);
    this.occur(w, 'step', '', s.pos);
    const { named, positional } = this.args(s.call, w);
    const one = positional.length === 1 && named.size === 0 ? positional[0] : undefined;
    const block = s.call.closures.length === 1 ? s.call.closures[0] : undefined;
    const kids = (): Js => arr(this.steps(block!, w));
    if (s.call.closures.length > 1) this.gap(s.pos, 'a step with several closures', 'use one { } block');
    const optional = (keys: Record<string, 'str' | 'bool' | 'num'>, except: string[] = []): Js => obj([...named].filter(([k]) => !except.includes(k)).map(([k, v]) => {
      const kind = keys[k];
      if (!kind) this.gap(v.pos, `${s.name} argument ${show(k)}`, `use ${Object.keys(keys).join(', ')}, or Step.call`);
      return [k, kind === 'bool' ? lit(this.boolValue(v, w, k)) : kind === 'num' ? lit(this.num(v, w)) : lit(this.str(v, w))];
    }));
    const typed = (): Js | undefined => {
      switch (s.name) {
        case 'sh': case 'bat': case 'powershell': case 'pwsh': {
          if (block) return undefined;
          if (one?.k === 'str') return call(`jenkins.Step.${s.name}`, lit(one.v));
          const script = named.get('script');
          if (positional.length === 0 && script?.k === 'str') {
            const rest = optional({ label: 'str', returnStdout: 'bool', returnStatus: 'bool', encoding: 'str' }, ['script']);
            return call(`jenkins.Step.${s.name}`, lit(script.v), rest);
          }
          // A GString of references is run-time text, which the validator reads (and refuses secrets in).
          const gtext = one?.k === 'gstr' ? this.refText(one) : positional.length === 0 && script?.k === 'gstr' ? this.refText(script) : undefined;
          if (gtext) {
            return one ? call(`jenkins.Step.${s.name}`, gtext)
              : call(`jenkins.Step.${s.name}`, gtext, optional({ label: 'str', returnStdout: 'bool', returnStatus: 'bool', encoding: 'str' }, ['script']));
          }
          if (one?.k === 'gstr' || script?.k === 'gstr') {
            // Other GString expressions are kept through the generic step, where the validator still sees every
            // reference (and refuses secrets).
            this.escape(`Step.call(${show(s.name)}) for a GString script`, s.pos);
            return call('jenkins.Step.call', lit(s.name), this.argValues(one ? new Map([['script', one], ...named]) : named, w));
          }
          return undefined;
        }
        case 'checkout': if (one?.k === 'var' && one.name === 'scm' && !block) return call('jenkins.Step.checkout'); return undefined;
        case 'git':
          if (one?.k === 'str' && !block) return this.defaultParam(s, 'url', call('jenkins.Step.git', obj([['url', lit(one.v)]])));
          if (positional.length === 0 && !block) return call('jenkins.Step.git', optional({ url: 'str', branch: 'str', credentialsId: 'str', changelog: 'bool', poll: 'bool' }));
          return undefined;
        case 'stash':
          if (one?.k === 'str' && !block) return this.defaultParam(s, 'name', call('jenkins.Step.stash', obj([['name', lit(one.v)]])));
          if (positional.length === 0 && !block) return call('jenkins.Step.stash', optional({ name: 'str', includes: 'str', excludes: 'str', allowEmpty: 'bool', useDefaultExcludes: 'bool' }));
          return undefined;
        case 'unstash': if (one?.k === 'str' && !block) return call('jenkins.Step.unstash', lit(one.v)); return undefined;
        case 'archiveArtifacts':
          if (one?.k === 'str' && !block) return this.defaultParam(s, 'artifacts', call('jenkins.Step.archiveArtifacts', obj([['artifacts', lit(one.v)]])));
          if (positional.length === 0 && !block) {
            return call('jenkins.Step.archiveArtifacts', optional({ artifacts: 'str', excludes: 'str', fingerprint: 'bool', allowEmptyArchive: 'bool', onlyIfSuccessful: 'bool' }));
          }
          return undefined;
        case 'junit':
          if (block) return undefined;
          if (one?.k === 'str') return call('jenkins.Step.junit', lit(one.v));
          if (positional.length === 0 && named.get('testResults')?.k === 'str') {
            return call('jenkins.Step.junit', lit((named.get('testResults') as { v: string }).v),
              optional({ allowEmptyResults: 'bool', keepLongStdio: 'bool', skipPublishingChecks: 'bool' }, ['testResults']));
          }
          return undefined;
        case 'dir': if (one?.k === 'str' && block) return call('jenkins.Step.dir', lit(one.v), kids()); return undefined;
        case 'timeout':
          if (block && one?.k === 'num') {
            this.rewrite(`timeout(${one.text}) { } is written timeout(time: ${one.text}, unit: 'MINUTES') { }`, s.pos);
            return call('jenkins.Step.timeout', call('Duration.minutes', lit(one.v)), kids());
          }
          if (block && positional.length === 0) {
            const d = this.duration(named, s.pos, w, ['activity']);
            const act = named.get('activity');
            return act ? call('jenkins.Step.timeout', d, kids(), obj([['activity', lit(this.boolValue(act, w, 'activity'))]])) : call('jenkins.Step.timeout', d, kids());
          }
          return undefined;
        case 'retry': if (one?.k === 'num' && block) return call('jenkins.Step.retry', lit(one.v), kids()); return undefined;
        case 'echo': case 'error': {
          // Any other expression (`echo env.X`, `echo String.format(…)`) is a generic call with its value.
          const t = one && !block ? (one.k === 'str' ? lit(one.v) : one.k === 'gstr' ? this.refText(one) : undefined) : undefined;
          return t && call(`jenkins.Step.${s.name}`, t);
        }
        case 'container': {
          if (!block) return undefined;
          if (one?.k === 'str') return call('jenkins.Step.container', lit(one.v), kids());
          const name = named.get('name');
          if (positional.length === 0 && name?.k === 'str') {
            const shell = named.get('shell');
            for (const k of named.keys()) if (k !== 'name' && k !== 'shell') return undefined;
            return shell ? call('jenkins.Step.container', lit(name.v), kids(), obj([['shell', lit(this.str(shell, w))]])) : call('jenkins.Step.container', lit(name.v), kids());
          }
          return undefined;
        }
        case 'withCredentials': if (one?.k === 'list' && block) return call('jenkins.Step.withCredentials', arr(one.items.map((b) => this.binding(b, w))), kids()); return undefined;
        case 'withEnv': {
          if (one?.k !== 'list' || !block) return undefined;
          const vars: Array<[string, Js]> = one.items.map((x) => {
            // `"NAME=${env.X}"`: the name is in the first literal piece, the rest is run-time text.
            const head = x.k === 'gstr' && typeof x.parts[0] === 'string' ? x.parts[0] : this.str(x, w);
            const eq = head.indexOf('=');
            if (eq <= 0) this.bad(x.pos, 'step-argument', `${w}: withEnv entry ${show(head)} is not NAME=value`, "write 'NAME=value'");
            if (x.k !== 'gstr') return [head.slice(0, eq), lit(head.slice(eq + 1))];
            return [head.slice(0, eq), this.text({ ...x, parts: [head.slice(eq + 1), ...x.parts.slice(1)] }, w)];
          });
          if (new Set(vars.map(([k]) => k)).size !== vars.length || vars.some(([k]) => /^\d+$/.test(k))) {
            this.gap(one.pos, 'withEnv entries with a repeated or numeric name', 'give each variable once');
          }
          return call('jenkins.Step.withEnv', obj(vars), kids());
        }
        case 'withKubeConfig': {
          if (!block) return undefined;
          const m = one?.k === 'map' ? new Map(one.entries.map((x) => [this.str(x.key, w), x.value] as const)) : positional.length === 0 ? named : undefined;
          if (!m) return undefined;
          const keys = { credentialsId: 'str', serverUrl: 'str', caCertificate: 'str', clusterName: 'str', contextName: 'str', namespace: 'str' } as const;
          const props = [...m].map(([k, v]): [string, Js] => {
            if (!(k in keys)) this.gap(v.pos, `withKubeConfig argument ${show(k)}`, `use ${Object.keys(keys).join(', ')}`);
            return [k, lit(this.str(v, w))];
          });
          if (one) this.gap(s.pos, 'withKubeConfig([…]) with a map argument (it writes named arguments)', 'write withKubeConfig(credentialsId: …) { }');
          return call('jenkins.Step.withKubeConfig', obj(props), kids());
        }
        case 'input':
          if (positional.length === 0 && !block) {
            const props: Array<[string, Js]> = [];
            for (const [k, v] of named) {
              if (k === 'parameters') {
                if (v.k !== 'list') this.gap(v.pos, 'input parameters that are not a list', 'write parameters: [string(name: …)]');
                props.push([k, arr(v.items.map((x) => {
                  if (x.k !== 'call' || x.obj) this.gap(x.pos, 'this input parameter', 'write string(name: …)');
                  return this.parameter({ name: x.name, call: x, pos: x.pos }, w);
                }))]);
              } else if (['message', 'id', 'ok', 'submitter', 'submitterParameter'].includes(k)) props.push([k, lit(this.str(v, w))]);
              else this.gap(v.pos, `input argument ${show(k)}`, 'use message, id, ok, submitter, submitterParameter, parameters');
            }
            return call('jenkins.Step.input', obj(props));
          }
          return undefined;
        case 'script':
          if (block && s.call.args.length === 0 && !this.scripted) return this.scriptBlock(block, w);
          return undefined;
        case 'library': {
          // `library 'name@version'`: the run-time library step (not the @Library annotation).
          if (one?.k !== 'str' || block) return undefined;
          const at = one.v.indexOf('@');
          return at < 0 ? call('jenkins.Step.library', lit(one.v)) : call('jenkins.Step.library', lit(one.v.slice(0, at)), lit(one.v.slice(at + 1)));
        }
        case 'cleanWs': case 'deleteDir':
          if (s.call.args.length === 0 && !block) {
            if (!s.call.parens) this.rewrite(`${s.name} is written ${s.name}()`, s.pos);
            return call(`jenkins.Step.${s.name}`);
          }
          return undefined;
        case 'milestone':
          if (block) return undefined;
          if (s.call.args.length === 0 && s.call.parens) return call('jenkins.Step.milestone');
          if (named.size === 1 && named.get('ordinal')?.k === 'num' && positional.length === 0) return call('jenkins.Step.milestone', lit((named.get('ordinal') as { v: number }).v));
          return undefined;
        case 'parallel':
          if (this.scripted) return this.parallelStep(s, w);
          // The legacy `parallel a: { }, b: { }` is valid as the only step of a stage.
          if (siblings === 1) return this.gap(s.pos, 'the legacy parallel step (branches as closures)', 'write a parallel { stage(…) { … } } section');
          return this.bad(s.pos, 'step-blocked', `${w}: the parallel step can only be used as the only top-level step in a stage's step block`,
            'use a parallel { stage … } section');
        case 'node':
          if (!this.scripted || !block || named.size || positional.length > 1) break;
          if (positional.length && positional[0].k === 'var' && IDENT.test(positional[0].name)) return call('jenkins.Step.node', call('jenkins.Ref.variable', lit(positional[0].name)), kids());
          if (positional.length && positional[0].k !== 'str' && positional[0].k !== 'gstr') {
            return this.gap(s.pos, 'node(label) with a label that is not a string', "write node('label') { … }, or node(POD_LABEL) right inside podTemplate");
          }
          return call('jenkins.Step.node', positional.length ? this.text(positional[0], w) : undef(), kids());
        case 'stage':
          if (!this.scripted) break;
          if (!block || !one || (one.k !== 'str' && one.k !== 'gstr')) return this.gap(s.pos, 'this stage form', "write stage('name') { … }");
          return call('jenkins.Step.stage', this.text(one, w), kids());
        case 'properties':
          if (!this.scripted) break;
          return this.properties(s, one, w);
        case 'podTemplate':
          if (!this.scripted) break;
          return this.podTemplate(s, named, positional, w);
        default: break;
      }
      switch (s.name) {
        case 'stage': case 'properties': case 'node': case 'pipeline':
          if (this.scripted) return undefined;
          return this.bad(s.pos, 'step-blocked', `${w}: step ${show(s.name)} is not allowed in Declarative steps`,
            s.name === 'stage' ? 'use nested stages { }' : 'use the matching Declarative section');
        default: return undefined;
      }
    };
    const t = typed();
    if (t) return t;
    if (positional.length === 0 && !s.call.parens && named.size === 0 && !block) this.rewrite(`${s.name} is written ${s.name}()`, s.pos);
    const values = positional.length ? positional.map((x) => this.value(x)) : [];
    if (positional.length === 1 && values[0] === undefined && s.end && !block && this.scripted) {
      // One argument that is an expression (`echo String.format(…)`): its Groovy text, a listed escape.
      values[0] = this.rawExpression(positional[0], s.end, w, s.call.parens ? ')' : undefined);
    }
    if (positional.length && values.every((x) => x !== undefined)) {
      // Positional arguments (`buildApp('web')`) are written as given.
      this.escape(`Step.call(${show(s.name)})`, s.pos);
      return block ? call('jenkins.Step.call', lit(s.name), arr(values as Js[]), kids()) : call('jenkins.Step.call', lit(s.name), arr(values as Js[]));
    }
    if (positional.length === 0) {
      this.escape(`Step.call(${show(s.name)})`, s.pos);
      return block ? call('jenkins.Step.call', lit(s.name), this.argValues(named, w), kids()) : named.size ? call('jenkins.Step.call', lit(s.name), this.argValues(named, w))
        : call('jenkins.Step.call', lit(s.name));
    }
    return this.gap(s.pos, `the step ${s.name} in this form (${positional.length ? 'positional arguments' : 'no parentheses'})`,
      `write ${s.name}(name: value, …) with named arguments, or use script { }`);
  }

  /** A single positional argument is the step's default parameter; the typed call writes it by name. */
  private defaultParam(s: Entry, param: string, js: Js): Js {
    this.rewrite(`${s.name} '…' is written ${s.name}(${param}: '…')`, s.pos);
    return js;
  }

  private binding(b: GExpr, w: string): Js {
    const types = ['usernamePassword', 'usernameColonPassword', 'string', 'file', 'zip', 'sshUserPrivateKey', 'certificate'];
    if (b.k !== 'call' || b.obj || !types.includes(b.name) || b.closures.length) return this.gap(b.pos, 'this credentials binding', `use one of ${types.join(', ')}`);
    const { named, positional } = this.args(b, w);
    if (positional.length) this.gap(b.pos, `${b.name} with positional arguments`, 'use named arguments');
    return call(`jenkins.Credential.${b.name}`, obj([...named].map(([k, v]) => [k, lit(this.str(v, w))])));
  }

  // ---- values ----

  private args(c: Call, w: string): { named: Map<string, GExpr>; positional: GExpr[] } {
    const named = new Map<string, GExpr>();
    const positional: GExpr[] = [];
    for (const a of c.args as GArg[]) {
      if (a.name) {
        const k = a.name.k === 'str' ? a.name.v : this.scripted ? this.gap(a.name.pos, 'a computed argument name', 'write name: value')
          : this.bad(a.name.pos, 'argument-name', `${w}: argument names must be plain words`, 'write name: value');
        named.set(k, a.value);
      } else positional.push(a.value);
    }
    if (named.size && positional.length && this.scripted) this.gap(c.pos, 'named and positional arguments in one call', 'use only named arguments');
    if (named.size && positional.length) this.bad(c.pos, 'mixed-arguments', `${w}: cannot mix named and unnamed arguments`, 'use only named arguments');
    return { named, positional };
  }

  /** Named literal arguments for the generic escapes (`Step.call`, `Option.of`, `Trigger.of`). */
  private argValues(named: Map<string, GExpr>, w: string): Js {
    return obj([...named].map(([k, v]): [string, Js] => {
      if (v.k === 'str' || v.k === 'num' || v.k === 'bool') return [k, lit(v.v)];
      if (v.k === 'gstr') return [k, this.text(v, w)];
      if (v.k === 'list' && v.items.every((x) => x.k === 'str')) return [k, arr(v.items.map((x) => lit((x as { v: string }).v)))];
      // Nested calls, lists and maps (`parameters: [string(name: …)]`) are value trees.
      const tree = this.value(v);
      if (tree) return [k, tree];
      return this.gap(v.pos, `the argument ${show(k)} (generic steps take strings, numbers, booleans, string lists and env/params references)`, 'use a literal value, or a script { } block');
    }));
  }

  private single(e: Entry, w: string): GExpr {
    if (e.call.args.length !== 1 || e.call.args[0].name || e.call.closures.length) {
      this.bad(e.pos, 'directive-value', `${w}: ${show(e.name)} takes one value`, `write ${e.name} 'value'`);
    }
    return e.call.args[0].value;
  }

  /** Literal text where the typed API takes a string; Jenkins accepts expressions here too, so others are a gap. */
  private str(v: GExpr, w: string): string {
    if (v.k !== 'str') this.gap(v.pos, `${v.k === 'gstr' ? 'a GString' : 'an expression'} in ${w} (the typed API takes literal text here)`, "write a quoted literal like 'value'");
    return v.v;
  }

  /** Literal text where Jenkins itself requires a string literal (axis names and values). */
  private literal(v: GExpr, w: string): string {
    if (v.k !== 'str') this.bad(v.pos, 'expected-string-literal', `${w}: expected a string literal`, "write a quoted literal like 'value' (no GString or variable here)");
    return v.v;
  }

  private num(v: GExpr, w: string): number {
    if (v.k !== 'num') this.gap(v.pos, `an expression in ${w} (the typed API takes a number literal here)`, 'write a number literal');
    return v.v;
  }

  private boolValue(v: GExpr, w: string, what: string): boolean {
    if (v.k !== 'bool') this.gap(v.pos, `an expression for ${what} in ${w} (the typed API takes true or false here)`, `write ${what} true or ${what} false`);
    return v.v;
  }

  /** `beforeAgent` / `beforeInput` / `beforeOptions` / `failFast`: Jenkins requires a boolean literal. */
  private bool(c: Call, w: string, what: string): boolean {
    const v = this.single({ name: what, call: c, pos: c.pos }, w);
    if (v.k !== 'bool') this.bad(v.pos, 'expected-boolean', `${w}: expected a boolean with ${what}`, `write ${what} true or ${what} false`);
    return v.v;
  }

  private dotted(e: GExpr): string | undefined {
    if (e.k === 'var') return e.name;
    if (e.k === 'prop' && e.op === '.') {
      const o = this.dotted(e.obj);
      return o === undefined ? undefined : `${o}.${e.name}`;
    }
    return undefined;
  }

  /** A literal or a GString of allow-listed references, as a string or `jenkins.Text.of(…)`. */
  private text(v: GExpr, w: string): Js {
    if (v.k === 'str') return lit(v.v);
    if (v.k !== 'gstr') return this.bad(v.pos, 'expected-string-literal', `${w}: expected a string`, "write a quoted literal, or a GString of env/params references");
    const t = this.refText(v);
    if (t) return t;
    const p = v.parts.find((x) => typeof x !== 'string' && !this.refOf(x)) as GExpr;
    return this.gap(p.pos, 'a GString expression other than env.X, params.X, currentBuild.X or a variable', 'compute the value in a script { } step');
  }

  /** A GString of allow-listed references as `jenkins.Text.of(…)`, or undefined. */
  private refText(v: Extract<GExpr, { k: 'gstr' }>): Js | undefined {
    const parts: Js[] = [];
    for (const p of v.parts) {
      if (typeof p === 'string') { parts.push(lit(p)); continue; }
      const r = this.refOf(p);
      if (!r) return undefined;
      parts.push(call(`jenkins.Ref.${r.fn}`, lit(r.name)));
    }
    return call('jenkins.Text.of', ...parts);
  }

  /** `env.X`, `params.X`, `currentBuild.X` or a variable, as the `Ref` factory and name. */
  private refOf(e: GExpr): { fn: string; name: string } | undefined {
    const d = this.dotted(e);
    const m = d?.match(/^(?:(env|params|currentBuild)\.)?([A-Za-z_]\w*)$/);
    if (!m || ['this', 'super'].includes(m[2])) return undefined;
    return { fn: { env: 'env', params: 'param', currentBuild: 'currentBuild' }[m[1] ?? ''] ?? 'variable', name: m[2] };
  }

  /** The source of a closure body (for `script {}` / `expression {}`), checked as Groovy at its own position. */
  private raw(c: GClosure, w: string): string {
    const start = this.offset(c.pos) + 1;
    const end = this.offset(c.end) - 1;
    const body = dedent(this.source.slice(start, end));
    this.secretsInRaw(c.body, w);
    for (const d of checkGroovyBlock(this.source.slice(start, end), this.position(start))) {
      this.report(d, d.rule, `${w}: ${d.message}`, d.message.startsWith('Method definition') ? 'define helper functions in a shared library, not inside a script block' : 'fix the Groovy in the block');
    }
    return body;
  }

  private offset(p: Pos): number {
    return this.lineStarts[p.line - 1] + p.column - 1;
  }

  private position(offset: number): Pos {
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1] <= offset) line++;
    return { line: line + 1, column: offset - this.lineStarts[line] + 1 };
  }
}

/** Calls `f` on every expression of a statement (not descending into nested statement lists: visitStatements does). */
function eachExpr(s: GStmt, f: (e: GExpr) => void): void {
  const visit = (e: GExpr | undefined): void => {
    if (!e) return;
    f(e);
    switch (e.k) {
      case 'call': visit(e.obj); e.args.forEach((a) => { visit(a.name); visit(a.value); }); break;
      case 'gstr': e.parts.forEach((x) => typeof x !== 'string' && visit(x)); break;
      case 'prop': case 'mref': visit(e.obj); break;
      case 'new': e.args.forEach((a) => visit(a.value)); break;
      case 'list': e.items.forEach(visit); break;
      case 'map': e.entries.forEach((x) => { visit(x.key); visit(x.value); }); break;
      case 'bin': visit(e.l); visit(e.r); break;
      case 'tern': visit(e.c); visit(e.t); visit(e.f); break;
      case 'elvis': visit(e.c); visit(e.f); break;
      case 'unary': case 'postfix': case 'cast': case 'spread': visit(e.e); break;
      case 'range': visit(e.from); visit(e.to); break;
      default: break;
    }
  };
  switch (s.k) {
    case 'expr': visit(s.e); break;
    case 'decl': visit(s.value); break;
    case 'if': case 'while': visit(s.cond); break;
    case 'for': visit(s.coll); visit(s.cond); visit(s.update); break;
    case 'switch': visit(s.e); s.cases.forEach((c) => c.values.forEach(visit)); break;
    case 'return': case 'throw': visit(s.e); break;
    case 'assert': visit(s.cond); visit(s.message); break;
    default: break;
  }
}

function stmtKind(s: GStmt): string {
  if (s.k === 'expr') return s.e.k === 'bin' && s.e.op === '=' ? 'an assignment' : 'an expression';
  return ({ decl: 'a declaration', method: 'a method definition', if: 'an if statement', for: 'a for loop', while: 'a while loop', try: 'a try block',
    assert: 'an assert statement', import: 'an import' } as Record<string, string>)[s.k] ?? `a ${s.k} statement`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The kubernetes plugin's `yamlMergeStrategy` and `podRetention` symbols → the typed constants. */
const POD_SYMBOLS: Record<'yamlMergeStrategy' | 'podRetention', Record<string, string>> = {
  yamlMergeStrategy: { override: 'OVERRIDE', merge: 'MERGE' },
  podRetention: { never: 'NEVER', always: 'ALWAYS', onFailure: 'ON_FAILURE', default: 'DEFAULT' },
};

/** `def NAME = value`: no type, modifier or annotation (the form `addVariable` and `Step.define` write). */
function isPlainDef(st: Extract<GStmt, { k: 'decl' }>): boolean {
  return st.type === undefined && st.modifiers.length === 0 && st.annotations.length === 0 && st.value !== undefined && IDENT.test(st.name);
}

/** `String NAME = value` or `@Field [Type] NAME = value` at the top of the file (`addVariable` with options). */
function isTypedDef(st: Extract<GStmt, { k: 'decl' }>): boolean {
  const field = st.annotations.length === 1 && st.annotations[0].name === 'Field' && st.annotations[0].args.length === 0;
  return (field || (st.annotations.length === 0 && st.type !== undefined)) && st.modifiers.length === 0 && st.value !== undefined && IDENT.test(st.name);
}

/** The statements of an `if`/`for` body, braced or not. */
function blockBody(st: GStmt): readonly GStmt[] {
  return st.k === 'block' ? st.body : [st];
}

/** Where an expression's text starts (its leftmost operand: `a[0]` starts at `a`, not at the bracket). */
function startOf(e: GExpr): Pos {
  switch (e.k) {
    case 'bin': return startOf(e.l);
    case 'prop': case 'mref': return startOf(e.obj);
    case 'call': return e.obj ? startOf(e.obj) : e.pos;
    case 'postfix': case 'cast': return startOf(e.e);
    case 'tern': case 'elvis': return startOf(e.c);
    case 'range': return startOf(e.from);
    default: return e.pos;
  }
}

/**
 * Groovy text of a block body without its blank first and last lines, re-indented to column 1 unless a
 * multi-line string would change (the writer keeps such bodies as they are).
 */
function dedent(text: string): string {
  const lines = text.split('\n');
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (/'''|"""|\$\/|\\$/m.test(text)) return lines.join('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd()).join('\n').trim();
}
