import { Construct } from 'constructs';
import { CommentStyle, GeneratedFile, addRules, constructId } from '../core';
import { Library } from './library';
import { FunctionProps, GroovyImport, Prelude, VariableOptions } from './prelude';
import { Step } from './step';
import { StepArgValue } from './value';
import { validateScripted } from './validator';
import { writeScripted } from './writer';

/** Props of {@link ScriptedJenkinsfile}. */
export interface ScriptedJenkinsfileProps {
  /**
   * Output path under the synth directory.
   * @default `jenkins/<id>.Jenkinsfile`
   */
  readonly path?: string;
  /**
   * Where the committed copy lives in the repository, checked or updated by `PipelineApp`.
   * @default - no committed copy
   */
  readonly committedPath?: string;
  /**
   * Shared libraries loaded by the `@Library([...]) _` annotation at the top.
   * @default - none
   */
  readonly libraryAnnotations?: Library[];
  /**
   * `import` lines at the top (classes of a shared library, `groovy.transform.Field`, …); with `libraryAnnotations`,
   * the `@Library` annotation is written on the first import.
   * @default - none
   */
  readonly imports?: GroovyImport[];
  /**
   * The body: usually `Step.properties(...)`, then `Step.node(...)` or `Step.podTemplate(...)` holding `Step.stage(...)`s.
   * @default - none (add them with addSteps)
   */
  readonly steps?: Step[];
}

/**
 * A Scripted Jenkinsfile: `node('label') { stage('Build') { … } }`, `parallel` maps, `properties([...])`,
 * `podTemplate` + `container`, `try/catch/finally`, built from the same {@link Step}s, escaper and checks as the
 * Declarative {@link Jenkinsfile}. Steps that need a workspace are checked to be inside `node` or `podTemplate`.
 */
export class ScriptedJenkinsfile extends GeneratedFile {
  private readonly steps: Step[];
  private readonly prelude: Prelude;

  constructor(scope: Construct, id: string, props: ScriptedJenkinsfileProps = {}) {
    super(scope, constructId(scope, id, 'ScriptedJenkinsfile', "'ci'"), { path: props.path ?? `jenkins/${id}.Jenkinsfile`, commentStyle: CommentStyle.SLASHES, committedPath: props.committedPath });
    this.steps = [...props.steps ?? []];
    this.prelude = new Prelude(this, props.libraryAnnotations, props.imports);
    addRules(this, () => validateScripted(this.prelude.toAst(), this.steps.map((s) => s._toCall())));
  }

  /** Appends statements to the body. */
  public addSteps(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  /**
   * Adds a top-level variable, `def NAME = value` (a value tree: text, numbers, lists, maps, `Value.expression(…)`);
   * `options` give a type (`String NAME = …`) or `@Field`.
   */
  public addVariable(name: string, value: StepArgValue, options: VariableOptions = {}): this {
    this.prelude.addVariable(name, value, options);
    return this;
  }

  /** Adds a helper function, `def name(params) { body }`, callable with `Step.call(name, [args])`. */
  public addFunction(name: string, props: FunctionProps): this {
    this.prelude.addFunction(name, props);
    return this;
  }

  protected renderBody(): string {
    return writeScripted(this.prelude.toAst(), this.steps.map((s) => s._toCall()));
  }
}
