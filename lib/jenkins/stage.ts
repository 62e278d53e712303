import { Construct, IConstruct } from 'constructs';
import { fail, show } from '../core';
import { DirectivesAst, EnvAst, InputAst, MatrixAst, StageAst, WhenAst } from './ast';
import { Agent } from './agent';
import { addPodFile } from './pod-file';
import { EnvValue } from './environment';
import { Ref, Text } from './groovy';
import { Option } from './option';
import { Parameter } from './parameter';
import { PostBlock, PostCondition, PostProps } from './post';
import { Step } from './step';
import { Tool } from './tool';
import { When } from './when';

/** Props of the `input` directive of a stage or matrix: the stage waits for approval before its agent is taken. */
export interface InputProps {
  /** The question shown to the approver (a {@link Text} is read at run time, e.g. with the build number). */
  readonly message: string | Text;
  /**
   * Id of the input (for the REST API).
   * @default - the stage name
   */
  readonly id?: string;
  /**
   * Text of the "proceed" button.
   * @default 'Proceed'
   */
  readonly ok?: string;
  /**
   * Comma-separated users or groups allowed to approve.
   * @default - anyone with Job/Build permission
   */
  readonly submitter?: string;
  /**
   * Environment variable that receives the approver's user id.
   * @default - not recorded
   */
  readonly submitterParameter?: string;
  /**
   * Parameters the approver fills in; they become environment variables of the stage.
   * @default - none
   */
  readonly parameters?: Parameter[];
}

/** Directives a stage and a matrix share. */
export interface StageDirectives {
  /**
   * Where this stage runs; overrides the pipeline's agent. Not allowed on a stage with parallel/matrix stages.
   * @default - the enclosing agent
   */
  readonly agent?: Agent;
  /**
   * Environment variables for this stage (`credentials()` values bind secrets).
   * @default - none
   */
  readonly environment?: Record<string, EnvValue>;
  /**
   * Stage options (wrappers such as timeout/retry/timestamps, skipDefaultCheckout, checkoutToSubdirectory).
   * @default - none
   */
  readonly options?: Option[];
  /**
   * Tools to put on the PATH. Not allowed on a stage with parallel/matrix stages.
   * @default - none
   */
  readonly tools?: Tool[];
  /**
   * Run the stage only when this condition holds (combine several with `When.allOf`).
   * @default - always run
   */
  readonly when?: When;
  /**
   * Evaluate `when` before allocating the agent.
   * @default false
   */
  readonly beforeAgent?: boolean;
  /**
   * Evaluate `when` before the `input`.
   * @default false
   */
  readonly beforeInput?: boolean;
  /**
   * Evaluate `when` before the stage options (e.g. before a timeout starts).
   * @default false
   */
  readonly beforeOptions?: boolean;
  /**
   * Wait for approval before the stage runs.
   * @default - no approval
   */
  readonly input?: InputProps;
  /**
   * Steps to run after the stage, per build condition.
   * @default - none
   */
  readonly post?: PostProps;
}

/** Props of a stage. Give `steps` here, or add nested, parallel or matrix stages with the `add…` methods. */
export interface StageProps extends StageDirectives {
  /**
   * The steps of the stage.
   * @default - none (add nested stages, parallel stages or a matrix instead)
   */
  readonly steps?: Step[];
  /**
   * For a stage with parallel stages or a matrix: abort the others when one fails.
   * @default false
   */
  readonly failFast?: boolean;
}

/** One matrix axis: an environment variable and its values. */
export interface MatrixAxis {
  /** The axis (and environment variable) name; an identifier. */
  readonly name: string;
  /** The values, in order. */
  readonly values: string[];
}

/** One axis of a matrix `exclude`: `values` or `notValues`, not both. */
export interface MatrixExcludeAxis {
  /** The axis name. */
  readonly name: string;
  /**
   * Exclude cells with one of these values.
   * @default - none
   */
  readonly values?: string[];
  /**
   * Exclude cells with any value except these.
   * @default - none
   */
  readonly notValues?: string[];
}

/** Props of a matrix. */
export interface MatrixProps extends StageDirectives {
  /** The axes; every combination of their values is a cell. */
  readonly axes: MatrixAxis[];
  /**
   * Cells to leave out; each exclude lists axis conditions that must all match.
   * @default - none
   */
  readonly excludes?: MatrixExcludeAxis[][];
}

/** @internal Shared bookkeeping of stage containers (the pipeline, a stage, a matrix). */
export class StageList {
  public readonly stages: Stage[] = [];
  /** Names already taken, so each add checks uniqueness in O(1); made by the first add (most lists stay empty). */
  private names?: Set<string>;

  constructor(private readonly owner: IConstruct, private readonly where: string) {}

  add(name: string, props: StageProps, kind: string): Stage {
    if (name.trim() === '') {
      fail(this.owner, 'stage-name-required', `${this.where}: ${kind} name ${show(name)} is empty`, 'give the stage a name');
    }
    if (this.names?.has(name)) {
      fail(this.owner, 'duplicate-stage-name', `${this.where}: duplicate stage name ${show(name)}`,
        'give sibling stages different names (the same name in different groups is fine)');
    }
    addPodFile(this.owner as Construct, props.agent);
    const s = new Stage(this.owner, `${this.where} > stage ${show(name)}`, name, props);
    this.stages.push(s);
    (this.names ??= new Set()).add(name);
    return s;
  }
}

function directivesAst(d: StageDirectives, post: PostBlock): DirectivesAst & { when?: WhenAst; input?: InputAst } {
  const modifiers = d.beforeAgent !== undefined || d.beforeInput !== undefined || d.beforeOptions !== undefined;
  return {
    agent: d.agent?._toAst(),
    environment: d.environment ? envAst(d.environment) : undefined,
    options: d.options?.map((o) => o._toAst()),
    tools: d.tools?.map((t) => t._toCall()),
    when: d.when || modifiers ? {
      conditions: d.when ? [d.when._toAst()] : [],
      beforeAgent: d.beforeAgent, beforeInput: d.beforeInput, beforeOptions: d.beforeOptions,
    } : undefined,
    input: d.input ? { ...d.input, parameters: d.input.parameters?.map((p) => p._toCall()) } : undefined,
    post: post.toAst(),
  };
}

/** @internal */
export function envAst(env: Record<string, EnvValue>): EnvAst[] {
  return Object.entries(env).map(([name, v]) => ({ name, value: v._expr, secret: v.secret, problems: v._problems }));
}

/**
 * A `stage`: a named, visualised unit of the pipeline holding exactly one of: steps, nested (sequential)
 * stages, parallel stages, or a matrix.
 */
export class Stage {
  private steps?: Step[];
  /** Nested and parallel stages, made by the first add (most stages hold steps only). */
  private sequential?: StageList;
  private parallel?: StageList;
  private matrix?: Matrix;
  private readonly postBlock: PostBlock;

  /** @internal */
  constructor(
    private readonly owner: IConstruct,
    private readonly where: string,
    /** The stage name shown in Jenkins. */
    public readonly name: string,
    private readonly props: StageProps,
  ) {
    this.steps = props.steps ? [...props.steps] : undefined;
    this.postBlock = new PostBlock(props.post);
  }

  /** Appends steps to this stage. */
  public addSteps(...steps: Step[]): this {
    this.steps = [...(this.steps ?? []), ...steps];
    return this;
  }

  /** Adds a nested stage; nested stages run one after another (sequential stages). */
  public addStage(name: string, props: StageProps = {}): Stage {
    return (this.sequential ??= new StageList(this.owner, this.where)).add(name, props, 'stage');
  }

  /** Adds a stage that runs in parallel with the other parallel stages of this stage. */
  public addParallel(name: string, props: StageProps = {}): Stage {
    return (this.parallel ??= new StageList(this.owner, `${this.where} > parallel`)).add(name, props, 'parallel stage');
  }

  /** Turns this stage into a matrix: its stages run once per combination of axis values. */
  public addMatrix(props: MatrixProps): Matrix {
    if (this.matrix) fail(this.owner, 'stage-body-exclusive', `${this.where}: already has a matrix`, 'use one matrix per stage');
    this.matrix = new Matrix(this.owner, `${this.where} > matrix`, props);
    return this.matrix;
  }

  /** Adds steps to run after this stage when `condition` holds. */
  public addPost(condition: PostCondition, ...steps: Step[]): this {
    this.postBlock.add(condition, steps);
    return this;
  }

  /** @internal */
  public _toAst(): StageAst {
    return {
      name: this.name,
      ...directivesAst(this.props, this.postBlock),
      failFast: this.props.failFast,
      steps: this.steps?.map((s) => s._toCall()),
      stages: this.sequential?.stages.length ? this.sequential.stages.map((s) => s._toAst()) : undefined,
      parallel: this.parallel?.stages.length ? this.parallel.stages.map((s) => s._toAst()) : undefined,
      matrix: this.matrix?._toAst(),
    };
  }
}

/**
 * A `matrix`: its stages run once per cell (combination of axis values); each axis is an environment
 * variable in its cell, readable in labels and messages with {@link Matrix.axis}.
 */
export class Matrix {
  private readonly list: StageList;
  private readonly postBlock: PostBlock;

  /** @internal */
  constructor(private readonly owner: IConstruct, private readonly where: string, private readonly props: MatrixProps) {
    addPodFile(owner as Construct, props.agent);
    this.list = new StageList(owner, where);
    this.postBlock = new PostBlock(props.post);
  }

  /** Adds a stage that runs in every cell. */
  public addStage(name: string, props: StageProps = {}): Stage {
    return this.list.add(name, props, 'stage');
  }

  /** A reference to an axis value (`${NAME}`) for a {@link Text}, e.g. `Text.of(m.axis('PLATFORM'), '-agent')`. */
  public axis(name: string): Ref {
    if (!this.props.axes.some((a) => a.name === name)) {
      fail(this.owner, 'matrix-axis-unknown', `${this.where}: no axis named ${show(name)}`,
        `use one of ${show(this.props.axes.map((a) => a.name))}`);
    }
    return Ref.variable(name);
  }

  /** Adds steps to run after each cell when `condition` holds. */
  public addPost(condition: PostCondition, ...steps: Step[]): this {
    this.postBlock.add(condition, steps);
    return this;
  }

  /** @internal */
  public _toAst(): MatrixAst {
    return {
      ...directivesAst(this.props, this.postBlock),
      axes: this.props.axes.map((a) => ({ name: a.name, values: [...a.values] })),
      excludes: this.props.excludes?.map((ex) => ex.map((a) => ({ ...a }))),
      stages: this.list.stages.map((s) => s._toAst()),
    };
  }
}
