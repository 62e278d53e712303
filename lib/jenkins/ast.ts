/**
 * The Declarative Pipeline AST: what the API builds, what the validator walks and what the writer prints.
 * It mirrors the plugin's ModelAST (pipeline → agent/stages/post …; a stage holds exactly one of
 * steps | stages | parallel | matrix). Internal: users build it through the construct and value classes.
 */
import { RuleViolation } from '../core';
import { Text } from './groovy';
import type { PreludeAst } from './prelude';

/** A value in Groovy source. `sym` and `gstring` are generator-owned; user text only ever lands in `str`. */
export type Expr =
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'list'; readonly items: readonly Expr[] }
  | { readonly k: 'text'; readonly text: Text }
  | { readonly k: 'sym'; readonly name: string }
  /** A call as a value; `trim` chains `.trim()` on its result (`sh(…, returnStdout: true).trim()`). */
  | { readonly k: 'call'; readonly call: Call; readonly trim?: boolean }
  /** `[key: value, …]`: keys are validated identifiers, in insertion order. */
  | { readonly k: 'map'; readonly entries: ReadonlyArray<readonly [string, Expr]> }
  /** A Groovy expression written by the user (escape hatch, checked like `script` bodies). */
  | { readonly k: 'raw'; readonly code: string };

/** One argument: positional when `key` is absent. */
export interface Arg {
  readonly key?: string;
  readonly value: Expr;
}

/** A method call, optionally with a closure block of calls (steps, option wrappers, conditions). */
export interface Call {
  readonly name: string;
  readonly args: readonly Arg[];
  /** Nested calls inside `{ }`. */
  readonly block?: readonly Call[];
  /** Raw Groovy inside `{ }` (the `script` / `expression` escape hatches). */
  readonly raw?: string;
  /** Problems found when the value was created; reported at synth with the location. */
  readonly problems?: readonly RuleViolation[];
  /** Variables holding secrets inside the block (`withCredentials`), for the GString check. */
  readonly binds?: readonly string[];
  /** Inside the block, any step is allowed (`script { }`: Declarative's checks stop there). */
  readonly scripted?: boolean;
  /** Scripted-only structure (`node`, `stage`, `parallel`, `try`): not allowed in Declarative steps. */
  readonly scriptedOnly?: boolean;
  /** `try { block } catch (T e) { … } … finally { … }` parts, for {@link Call.scriptedOnly} `try`. */
  readonly catches?: ReadonlyArray<{ readonly variable: string; readonly types: readonly string[]; readonly block: readonly Call[] }>;
  readonly finallyBlock?: readonly Call[];
  /** The declared type of a Scripted `def` (`String x = …`). */
  readonly declaredType?: string;
  /** The `else` block of a Scripted `if`. */
  readonly elseBlock?: readonly Call[];
  /** `podTemplate`: the pod's container names when fully known, for `container()` checks inside. */
  readonly podContainers?: readonly string[];
  /** `parallel` branches: name → steps (Scripted `parallel(a: { }, b: { })`). */
  readonly branches?: ReadonlyArray<readonly [string, readonly Call[]]>;
}

/** An `agent` section. */
export interface AgentAst {
  /** `any`, `none`, `label`, `node`, `docker`, `dockerfile`, `kubernetes`. */
  readonly type: string;
  /** `agent any` / `agent none`. */
  readonly bare: boolean;
  /** The short form value: `label 'x'`, `docker 'img'`, `dockerfile true`. */
  readonly value?: Expr;
  /** Block form parameters, in emit order. */
  readonly params: ReadonlyArray<{ readonly name: string; readonly value: Expr }>;
  /** Parameters that must be present and non-empty. */
  readonly required: readonly string[];
  readonly problems?: readonly RuleViolation[];
  /** Kubernetes agents: the pod's container names when fully known (nothing inherited). */
  readonly containers?: readonly string[];
}

/** One `environment` entry. */
export interface EnvAst {
  readonly name: string;
  readonly value: Expr;
  /** True for `credentials('id')`: the name (and `_USR`/`_PSW`) hold secrets. */
  readonly secret: boolean;
  /** Problems of the value (e.g. a bad expression). */
  readonly problems?: readonly RuleViolation[];
}

/** An `options` entry, with where Jenkins accepts it. */
export interface OptionAst {
  readonly call: Call;
  readonly inPipeline: boolean;
  readonly inStage: boolean;
}

/** A `when` condition (leaf or combinator). */
export interface ConditionAst {
  readonly name: string;
  readonly args: readonly Arg[];
  readonly children?: readonly ConditionAst[];
  readonly raw?: string;
  readonly problems?: readonly RuleViolation[];
}

/** A `when` directive. */
export interface WhenAst {
  readonly conditions: readonly ConditionAst[];
  readonly beforeAgent?: boolean;
  readonly beforeInput?: boolean;
  readonly beforeOptions?: boolean;
}

/** The `input` directive. */
export interface InputAst {
  readonly message: string | Text;
  readonly id?: string;
  readonly ok?: string;
  readonly submitter?: string;
  readonly submitterParameter?: string;
  readonly parameters?: readonly Call[];
}

/** One `post` condition block. */
export interface PostAst {
  readonly condition: string;
  readonly steps: readonly Call[];
}

/** Directives shared by the pipeline, a stage and a matrix. */
export interface DirectivesAst {
  readonly agent?: AgentAst;
  readonly environment?: readonly EnvAst[];
  readonly options?: readonly OptionAst[];
  readonly tools?: readonly Call[];
  readonly post?: readonly PostAst[];
}

/** A `stage`. Exactly one of steps/stages/parallel/matrix must be set (validated, not assumed). */
export interface StageAst extends DirectivesAst {
  readonly name: string;
  readonly when?: WhenAst;
  readonly input?: InputAst;
  readonly failFast?: boolean;
  readonly steps?: readonly Call[];
  readonly stages?: readonly StageAst[];
  readonly parallel?: readonly StageAst[];
  readonly matrix?: MatrixAst;
}

/** One matrix axis. */
export interface AxisAst {
  readonly name: string;
  readonly values: readonly string[];
}

/** One axis of an `exclude`. */
export interface ExcludeAxisAst {
  readonly name: string;
  readonly values?: readonly string[];
  readonly notValues?: readonly string[];
}

/** A `matrix` section. */
export interface MatrixAst extends DirectivesAst {
  readonly axes: readonly AxisAst[];
  readonly excludes?: ReadonlyArray<readonly ExcludeAxisAst[]>;
  readonly when?: WhenAst;
  readonly input?: InputAst;
  readonly stages: readonly StageAst[];
}

/** The `pipeline` block. */
export interface PipelineAst extends DirectivesAst {
  readonly stages: readonly StageAst[];
  readonly parameters?: readonly Call[];
  readonly triggers?: readonly Call[];
  readonly libraries?: readonly string[];
  readonly libraryProblems?: readonly RuleViolation[];
  /** `@Library`, top-level `def` variables and helper functions before `pipeline {}`. */
  readonly prelude?: PreludeAst;
}

/** Shorthands used by the value classes. */
export const str = (v: string): Expr => ({ k: 'str', v });
/** A number literal. */
export const num = (v: number): Expr => ({ k: 'num', v });
/** A boolean literal. */
export const bool = (v: boolean): Expr => ({ k: 'bool', v });
/** A generator-owned symbol such as `scm` or `hudson.model.Result.SUCCESS`. */
export const sym = (name: string): Expr => ({ k: 'sym', name });
/** A list of literals. */
export const list = (items: readonly Expr[]): Expr => ({ k: 'list', items });
/** A string or a Text. */
export const textOrStr = (v: string | Text): Expr => (typeof v === 'string' ? str(v) : { k: 'text', text: v });

/** Named arguments from an object, skipping undefined values, in the given key order. */
export function named(entries: ReadonlyArray<[string, Expr | undefined]>): Arg[] {
  return entries.filter((e): e is [string, Expr] => e[1] !== undefined).map(([key, value]) => ({ key, value }));
}

/** `Expr` for an optional string. */
export const optStr = (v: string | undefined): Expr | undefined => (v === undefined ? undefined : str(v));
/** `Expr` for an optional number. */
export const optNum = (v: number | undefined): Expr | undefined => (v === undefined ? undefined : num(v));
/** `Expr` for an optional boolean. */
export const optBool = (v: boolean | undefined): Expr | undefined => (v === undefined ? undefined : bool(v));
