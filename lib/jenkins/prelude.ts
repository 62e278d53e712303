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
   * Parameter names (identifiers), read in the body with `Ref.variable(name)`.
   * @default - none
   */
  readonly params?: string[];
  /**
   * The body as typed steps (a Scripted context: any step is allowed, escaped and checked as usual), or as Groovy
   * text (escape hatch, emitted as written; brackets and strings must balance, checked).
   */
  readonly body: Step[] | string;
}

/** What comes before `pipeline {}` or the Scripted body. */
export interface PreludeAst {
  readonly libraries?: readonly string[];
  readonly variables: ReadonlyArray<{ readonly name: string; readonly value: Expr }>;
  readonly functions: ReadonlyArray<{ readonly name: string; readonly params: readonly string[]; readonly steps?: readonly Call[]; readonly raw?: string }>;
  readonly problems: readonly RuleViolation[];
}

/**
 * The hybrid part of a Jenkinsfile shared by Declarative and Scripted files: `@Library(...) _`, top-level `def`
 * variables and helper functions. @internal
 */
export class Prelude {
  private readonly variables: Array<{ name: string; value: Expr }> = [];
  private readonly functions: Array<{ name: string; params: string[]; body: Step[] | string }> = [];
  private readonly problems = new Problems();

  constructor(private readonly owner: IConstruct, private readonly libraries?: Library[]) {}

  addVariable(name: string, value: StepArgValue): void {
    this.checkName('variable', name);
    this.variables.push({ name, value: valueExpr(value, this.problems) });
  }

  addFunction(name: string, props: FunctionProps): void {
    this.checkName('function', name);
    for (const param of props.params ?? []) {
      if (!isIdentifier(param)) fail(this.owner, 'identifier', `function ${show(name)} parameter ${show(param)} is not a valid identifier`, IDENT_FIX);
    }
    if (typeof props.body === 'string') for (const v of checkRawGroovy(`function ${show(name)}`, props.body) ?? []) this.problems.add(v.rule, v.message, v.fix);
    this.functions.push({ name, params: [...props.params ?? []], body: props.body });
  }

  toAst(): PreludeAst {
    return {
      libraries: this.libraries?.map((l) => l.toString()),
      variables: this.variables,
      functions: this.functions.map((f) => ({ name: f.name, params: f.params,
        ...typeof f.body === 'string' ? { raw: f.body } : { steps: f.body.map((s) => s._toCall()) } })),
      problems: [...this.problems.list, ...this.libraries?.flatMap((l) => l._problems()) ?? []],
    };
  }

  private checkName(what: string, name: string): void {
    if (!isIdentifier(name)) fail(this.owner, 'identifier', `${what} name ${show(name)} is not a valid identifier`, IDENT_FIX);
    if (this.variables.some((v) => v.name === name) || this.functions.some((f) => f.name === name)) {
      fail(this.owner, 'duplicate-definition', `${what} ${show(name)} is defined twice at the top of the Jenkinsfile`, 'give each variable and function its own name');
    }
  }
}

const IDENT_FIX = 'start with a letter or underscore, use only letters, digits and underscores, and avoid Groovy keywords';
