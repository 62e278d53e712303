import { Construct } from 'constructs';
import { CommentStyle, GeneratedFile, addRules, constructId, fail, show } from '../core';
import { isIdentifier } from './groovy';
import { PipelineAst } from './ast';
import { Agent } from './agent';
import { addPodFile } from './pod-file';
import { EnvValue } from './environment';
import { Library } from './library';
import { FunctionProps, GroovyImport, Prelude, VariableOptions } from './prelude';
import { StepArgValue } from './value';
import { Option } from './option';
import { Parameter } from './parameter';
import { PostBlock, PostCondition, PostProps } from './post';
import { Stage, StageList, StageProps, envAst } from './stage';
import { Step } from './step';
import { Tool } from './tool';
import { Trigger } from './trigger';
import { validatePipeline } from './validator';
import { writePipeline } from './writer';

/** Props of {@link Jenkinsfile}: the pipeline-level sections. */
export interface JenkinsfileProps {
  /**
   * Output path under the synth directory.
   * @default `jenkins/<id>.Jenkinsfile`
   */
  readonly path?: string;
  /**
   * Where the committed copy lives in the repository (e.g. `Jenkinsfile`), checked or updated by `PipelineApp`.
   * @default - no committed copy
   */
  readonly committedPath?: string;
  /**
   * Where the pipeline runs (required by Jenkins; `Agent.none()` makes each stage declare its own).
   * @default - none; synth fails with rule agent-required
   */
  readonly agent?: Agent;
  /**
   * Pipeline environment variables.
   * @default - none
   */
  readonly environment?: Record<string, EnvValue>;
  /**
   * Pipeline options (job properties and wrappers).
   * @default - none
   */
  readonly options?: Option[];
  /**
   * Build parameters.
   * @default - none
   */
  readonly parameters?: Parameter[];
  /**
   * Build triggers.
   * @default - none
   */
  readonly triggers?: Trigger[];
  /**
   * Tools on the PATH for every stage.
   * @default - none
   */
  readonly tools?: Tool[];
  /**
   * Steps after the pipeline, per build condition.
   * @default - none
   */
  readonly post?: PostProps;
  /**
   * Shared libraries to load (the `libraries` directive).
   * @default - none
   */
  readonly libraries?: Library[];
  /**
   * Shared libraries loaded by the `@Library([...]) _` annotation before `pipeline {}` (what most large projects
   * write; their global variables and classes are then usable in the whole file).
   * @default - none
   */
  readonly libraryAnnotations?: Library[];
  /**
   * `import` lines at the top (classes of a shared library, `groovy.transform.Field`, …); with `libraryAnnotations`,
   * the `@Library` annotation is written on the first import.
   * @default - none
   */
  readonly imports?: GroovyImport[];
}

/**
 * A Declarative Jenkinsfile: the `pipeline { }` with its agent (Jenkins' Node), stages and steps. Written at
 * synth to `jenkins/<id>.Jenkinsfile`; every rule of Jenkins' Declarative validator that needs no controller
 * is checked at synth with the stage location in the message.
 */
export class Jenkinsfile extends GeneratedFile {
  private readonly props: JenkinsfileProps;
  private readonly stageList: StageList;
  private readonly postBlock: PostBlock;
  private readonly options: Option[];
  private readonly parameters: Parameter[];
  private readonly environment: Record<string, EnvValue>;
  private readonly prelude: Prelude;

  constructor(scope: Construct, id: string, props: JenkinsfileProps = {}) {
    super(scope, constructId(scope, id, 'Jenkinsfile', "'ci'"), { path: props.path ?? `jenkins/${id}.Jenkinsfile`, commentStyle: CommentStyle.SLASHES, committedPath: props.committedPath });
    this.props = props;
    this.stageList = new StageList(this, 'pipeline');
    this.postBlock = new PostBlock(props.post);
    this.options = [...props.options ?? []];
    this.parameters = [...props.parameters ?? []];
    this.environment = { ...props.environment };
    this.prelude = new Prelude(this, props.libraryAnnotations, props.imports);
    addPodFile(this, props.agent);
    addRules(this, () => validatePipeline(this._toAst()));
  }

  /** Adds a top-level stage; stages run in the order they are added. */
  public addStage(name: string, props: StageProps = {}): Stage {
    return this.stageList.add(name, props, 'stage');
  }

  /** Adds steps to run after the pipeline when `condition` holds. */
  public addPost(condition: PostCondition, ...steps: Step[]): this {
    this.postBlock.add(condition, steps);
    return this;
  }

  /**
   * Adds a top-level variable before `pipeline {}`, `def NAME = value` (a value tree: text, numbers, lists, maps,
   * `Value.expression(…)`), readable in steps with `Ref.variable(NAME)`; `options` give a type (`String NAME = …`) or
   * `@Field`.
   */
  public addVariable(name: string, value: StepArgValue, options: VariableOptions = {}): this {
    this.prelude.addVariable(name, value, options);
    return this;
  }

  /** Adds a helper function before `pipeline {}`, `def name(params) { body }`, callable with `Step.call(name, [args])`. */
  public addFunction(name: string, props: FunctionProps): this {
    this.prelude.addFunction(name, props);
    return this;
  }

  /** Adds a pipeline option. */
  public addOption(option: Option): this {
    this.options.push(option);
    return this;
  }

  /** Adds a build parameter. */
  public addParameter(parameter: Parameter): this {
    this.parameters.push(parameter);
    return this;
  }

  /** Adds (or replaces) a pipeline environment variable. */
  public addEnvironment(name: string, value: EnvValue): this {
    if (!isIdentifier(name)) {
      fail(this, 'environment-identifier', `pipeline > environment: ${show(name)} is not a valid identifier and cannot be used for an environment variable`,
        'start with a letter or underscore and use only letters, digits and underscores');
    }
    this.environment[name] = value;
    return this;
  }

  /** The pipeline's Declarative AST. @internal */
  public _toAst(): PipelineAst {
    const p = this.props;
    const hasEnv = p.environment !== undefined || Object.keys(this.environment).length > 0;
    return {
      prelude: this.prelude.toAst(),
      agent: p.agent?._toAst(),
      libraries: p.libraries?.map((l) => l.toString()),
      libraryProblems: p.libraries?.flatMap((l) => l._problems()),
      options: p.options !== undefined || this.options.length ? this.options.map((o) => o._toAst()) : undefined,
      parameters: p.parameters !== undefined || this.parameters.length ? this.parameters.map((x) => x._toCall()) : undefined,
      triggers: p.triggers?.map((t) => t._toCall()),
      tools: p.tools?.map((t) => t._toCall()),
      environment: hasEnv ? envAst(this.environment) : undefined,
      stages: this.stageList.stages.map((s) => s._toAst()),
      post: this.postBlock.toAst(),
    };
  }

  protected renderBody(): string {
    return writePipeline(this._toAst());
  }
}
