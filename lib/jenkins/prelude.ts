import { IConstruct } from 'constructs';
import { RuleViolation, fail, show } from '../core';
import { Call, Expr } from './ast';
import { isIdentifier } from './groovy';
import { Library } from './library';
import { Problems } from './problems';
import { checkRawGroovy } from './raw-groovy';
import { Step } from './step';
import { StepArgValue, valueExpr } from './value';

/** Props of a helper function defined at the top of a Jenkinsfile (`def name(a, b) { … }`). */
export interface FunctionProps {
  /**
   * Parameters, read in the body with `Ref.variable(name)`: plain names (`def f(a, b)`), or
   * `FunctionParam.of(name, { type, default })` for `def f(String name, Map opts = [:])`.
   * @default - none
   */
  readonly params?: Array<string | FunctionParam>;
  /**
   * Annotate the function `@NonCPS`: it runs as plain Groovy (needed for non-serializable objects such as
   * `JsonSlurper` results), so its body may not call pipeline steps.
   * @default false
   */
  readonly nonCps?: boolean;
  /**
   * The body as typed steps (a Scripted context: any step is allowed, escaped and checked as usual), or as Groovy
   * text (escape hatch, emitted as written; brackets and strings must balance, checked).
   */
  readonly body: Step[] | string;
}

/** Options of `addVariable`: a typed declaration, or a script field. */
export interface VariableOptions {
  /**
   * The declared type instead of `def`, e.g. `String`, `List<String>`.
   * @default - `def`
   */
  readonly type?: string;
  /**
   * Annotate it `@Field`, so helper functions can read it (a plain top-level `def` is local to the script body).
   * Needs `GroovyImport.of('groovy.transform.Field')` in `imports`.
   * @default false
   */
  readonly field?: boolean;
}

/** Props of {@link FunctionParam.of}. */
export interface FunctionParamProps {
  /**
   * The declared Groovy/Java type, e.g. `String`, `Map`, `List<String>`, `java.net.URI`.
   * @default - untyped (`def`)
   */
  readonly type?: string;
  /**
   * The default value when the caller leaves the argument out, e.g. `{}` → `[:]`, `false`, `'latest'`.
   * @default - required argument
   */
  readonly default?: StepArgValue;
}

/** A helper function parameter with a type and/or a default: `String name`, `Map opts = [:]`. */
export class FunctionParam {
  /** A parameter named `name` (an identifier). */
  public static of(name: string, props: FunctionParamProps = {}): FunctionParam {
    return new FunctionParam(name, props);
  }

  private constructor(
    /** The parameter name. */
    public readonly name: string,
    private readonly props: FunctionParamProps,
  ) {}

  /** @internal */
  public _toAst(p: Problems): ParamAst {
    if (this.props.type !== undefined) checkType(p, `parameter ${show(this.name)}`, this.props.type);
    return { name: this.name, type: this.props.type, default: this.props.default === undefined ? undefined : valueExpr(this.props.default, p) };
  }
}

/** `import a.b.C` or `import static a.b.C.member` at the top of the file. */
export class GroovyImport {
  /** `import className`, e.g. `GroovyImport.of('groovy.transform.Field')` or a class of a shared library. */
  public static of(className: string): GroovyImport {
    return new GroovyImport(className, false);
  }

  /** `import static className.member`, e.g. `GroovyImport.staticMember('com.example.ci.Strings', 'slug')`. */
  public static staticMember(className: string, member: string): GroovyImport {
    return new GroovyImport(`${className}.${member}`, true);
  }

  private constructor(
    /** The imported name, e.g. `groovy.transform.Field`. */
    public readonly name: string,
    /** True for `import static`. */
    public readonly isStatic: boolean,
  ) {}

  /** @internal */
  public _problems(): RuleViolation[] {
    const ok = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+(\.\*)?$/.test(this.name) && this.name.split('.').every((x) => x === '*' || isIdentifier(x));
    return ok ? [] : [{ rule: 'groovy-import', message: `import ${show(this.name)} is not a qualified class name`,
      fix: "give the package and class, e.g. GroovyImport.of('groovy.transform.Field')" }];
  }
}

/** A parameter as the writer prints it. */
export interface ParamAst {
  readonly name: string;
  readonly type?: string;
  readonly default?: Expr;
}

/** What comes before `pipeline {}` or the Scripted body. */
export interface PreludeAst {
  readonly libraries?: readonly string[];
  readonly imports?: ReadonlyArray<{ readonly name: string; readonly isStatic: boolean }>;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly value: Expr; readonly type?: string; readonly field?: boolean; readonly problems?: readonly RuleViolation[] }>;
  readonly functions: ReadonlyArray<{ readonly name: string; readonly params: readonly ParamAst[]; readonly nonCps?: boolean; readonly steps?: readonly Call[]; readonly raw?: string; readonly problems?: readonly RuleViolation[] }>;
  readonly problems: readonly RuleViolation[];
}

/**
 * The hybrid part of a Jenkinsfile shared by Declarative and Scripted files: `@Library(...) _`, top-level `def`
 * variables and helper functions. @internal
 */
export class Prelude {
  private readonly variables: Array<{ name: string; value: Expr; type?: string; field?: boolean; problems?: RuleViolation[] }> = [];
  private readonly functions: Array<{ name: string; params: ParamAst[]; nonCps?: boolean; body: Step[] | string; problems?: RuleViolation[] }> = [];
  private readonly problems = new Problems();

  constructor(private readonly owner: IConstruct, private readonly libraries?: Library[], private readonly imports?: GroovyImport[]) {}

  addVariable(name: string, value: StepArgValue, options: VariableOptions = {}): void {
    this.checkName('variable', name);
    const p = new Problems();
    if (options.type !== undefined) checkType(p, `variable ${show(name)}`, options.type);
    if (options.field && !this.imports?.some((i) => !i.isStatic && ['groovy.transform.Field', 'groovy.transform.*'].includes(i.name))) {
      p.add('field-import', `variable ${show(name)} is a @Field, but groovy.transform.Field is not imported (the script would not compile)`,
        "add GroovyImport.of('groovy.transform.Field') to imports");
    }
    this.variables.push({ name, value: valueExpr(value, p), type: options.type, field: options.field || undefined, problems: p.result });
  }

  addFunction(name: string, props: FunctionProps): void {
    this.checkName('function', name);
    const p = new Problems();
    const params = (props.params ?? []).map((x) => (typeof x === 'string' ? { name: x } : x._toAst(p)));
    for (const param of params) {
      if (!isIdentifier(param.name)) fail(this.owner, 'identifier', `function ${show(name)} parameter ${show(param.name)} is not a valid identifier`, IDENT_FIX);
    }
    if (typeof props.body === 'string') for (const v of checkRawGroovy(`function ${show(name)}`, props.body) ?? []) this.problems.add(v.rule, v.message, v.fix);
    this.functions.push({ name, params, nonCps: props.nonCps, body: props.body, problems: p.result });
  }

  toAst(): PreludeAst {
    return {
      libraries: this.libraries?.map((l) => l.toString()),
      imports: this.imports?.map((i) => ({ name: i.name, isStatic: i.isStatic })),
      variables: this.variables,
      functions: this.functions.map((f) => ({ name: f.name, params: f.params, nonCps: f.nonCps, problems: [...f.problems ?? [], ...this.nonCpsProblems(f)],
        ...typeof f.body === 'string' ? { raw: f.body } : { steps: f.body.map((s) => s._toCall()) } })),
      problems: [...this.problems.list, ...this.libraries?.flatMap((l) => l._problems()) ?? [], ...this.imports?.flatMap((i) => i._problems()) ?? []],
    };
  }

  /** A @NonCPS body may call other helper functions of the file, but no pipeline step (checked when all are known). */
  private nonCpsProblems(f: { name: string; nonCps?: boolean; body: Step[] | string }): RuleViolation[] {
    if (!f.nonCps || typeof f.body === 'string') return [];
    const step = firstStep(f.body.map((s) => s._toCall()), new Set(this.functions.map((x) => x.name)));
    return step === undefined ? [] : [{ rule: 'noncps-step', message: `@NonCPS function ${show(f.name)} calls the pipeline step ${show(step)}, which Jenkins does not run from @NonCPS code`,
      fix: 'move the step out of the function (return a value and call the step from the caller), or set nonCps: false' }];
  }

  private checkName(what: string, name: string): void {
    if (!isIdentifier(name)) fail(this.owner, 'identifier', `${what} name ${show(name)} is not a valid identifier`, IDENT_FIX);
    if (this.variables.some((v) => v.name === name) || this.functions.some((f) => f.name === name)) {
      fail(this.owner, 'duplicate-definition', `${what} ${show(name)} is defined twice at the top of the Jenkinsfile`, 'give each variable and function its own name');
    }
  }
}

const IDENT_FIX = 'start with a letter or underscore, use only letters, digits and underscores, and avoid Groovy keywords';

/** A Groovy type name: dotted identifiers, optional generic arguments and array brackets. */
const GROOVY_TYPE = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(<[\w$.,<>? ]+>)?(\[\])*$/;
/** Statements that are Groovy structure, not pipeline steps (allowed in @NonCPS code). */
const STRUCTURE = new Set(['def', 'assign', 'if', 'for', 'while', 'return', 'throw', 'try']);

function checkType(p: Problems, what: string, type: string): void {
  if (!GROOVY_TYPE.test(type)) {
    p.add('groovy-type', `${what} has the type ${show(type)}, which is not a Groovy type name`,
      "give a class name such as 'String', 'Map', 'List<String>' or 'java.net.URI', or leave type out");
  }
}

/** The first pipeline step among the calls (descending into Groovy structure), if any. */
function firstStep(calls: readonly Call[], helpers: ReadonlySet<string>): string | undefined {
  for (const c of calls) {
    if (!(c.scriptedOnly && STRUCTURE.has(c.name)) && !(helpers.has(c.name) && !c.block)) return c.name;
    const inner = firstStep([...c.block ?? [], ...c.elseBlock ?? [], ...c.catches?.flatMap((x) => x.block) ?? [], ...c.finallyBlock ?? []], helpers);
    if (inner) return inner;
  }
  return undefined;
}
