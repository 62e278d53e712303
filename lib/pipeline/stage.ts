import { Construct } from 'constructs';
import { Duration, assertValue, fail, goDuration, integerViolations, Names, show, wholeSeconds } from '../core';
import { Matrix } from './matrix';
import { RESERVED_ENV } from './param';
import { assertValues, constructId } from './refusals';
import { Secret } from './secret';
import { Step, StepKind } from './step';
import { When } from './when';

const STAGE = Symbol.for('slipway.pipeline.Stage');

/** Options shared by every stage. */
export interface StageOptions {
  /**
   * The name people see. Unique in the pipeline; it also names the Tekton PipelineTask (as a DNS label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Conditions that must all hold for the stage to run.
   * @default - always runs
   */
  readonly when?: When[];
  /**
   * Fails the stage when it runs longer (Jenkins `options { timeout }`, Tekton PipelineTask `timeout`).
   * Only on stages with steps.
   * @default - the pipeline's timeout only
   */
  readonly timeout?: Duration;
  /**
   * Extra attempts after a failure (Jenkins `retry(retries + 1)`, Tekton `retries`). Only on stages with steps.
   * @default 0
   */
  readonly retries?: number;
  /**
   * Literal env vars for the stage's steps.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Secrets for the stage's steps that read them (whose script names a variable of the secret, or that list it in
   * their own `secrets`). A secret that reaches no step is an error (`secret-unread`).
   * @default - none
   */
  readonly secrets?: Secret[];
}

/** Props of {@link Stage}. */
export interface StageProps extends StageOptions {
  /**
   * The steps, in order. More can be added with `addStep()`.
   * @default []
   */
  readonly steps?: Step[];
  /**
   * Run the steps once per cell of this matrix, in parallel.
   * @default - no matrix
   */
  readonly matrix?: Matrix;
}

/**
 * A logical group people see (Jenkins `stage`, a Tekton PipelineTask). Holds either steps (optionally as a matrix)
 * or parallel branches (`addBranch()`), never both. Branches hold steps only.
 */
export class Stage extends Construct {
  /** True for any Stage. */
  public static isStage(x: unknown): x is Stage {
    return x !== null && typeof x === 'object' && STAGE in x;
  }

  /** The name people see. */
  public readonly stageName: string;
  /** Conditions. */
  public readonly when: When[];
  /** Timeout, if any. */
  public readonly timeout?: Duration;
  /** Extra attempts. */
  public readonly retries: number;
  /** Literal env vars. */
  public readonly environment: Record<string, string>;
  /** Stage-level secrets. */
  public readonly secrets: Secret[];
  /** The matrix, if any. */
  public readonly matrix?: Matrix;
  /** The name as a DNS-1123 label: the Tekton PipelineTask name. @internal */
  public readonly _taskName: string;
  private readonly stepList: Step[] = [];
  private readonly branchList: Stage[] = [];
  private sealed = false;
  private sealedNames?: string[];

  constructor(scope: Construct, id: string, props: StageProps = {}) {
    super(scope, stageId(scope, id, props));
    Object.defineProperty(this, STAGE, { value: true });
    assertValues(this, [...(props.when ?? []), ...(props.secrets ?? []), props.matrix]);
    const name = props.name ?? id;
    if (name.trim().length === 0 || /[\r\n]/.test(name)) {
      fail(this, 'stage-name', `stage name ${show(name)} is empty or spans lines`, 'use a short one-line name such as "Build"');
    }
    this._taskName = Names.toDnsLabel(name, 63, this); // throws when no PipelineTask name can be derived
    if (Stage.isStage(scope)) {
      if (Stage.isStage(scope.node.scope)) {
        fail(this, 'parallel-nesting', `branch ${show(name)} is inside another branch`, 'branches hold steps only; Jenkins and this model allow one level of parallel');
      }
      if (props.matrix) {
        fail(this, 'parallel-nesting', `branch ${show(name)} has a matrix`, 'Jenkins forbids matrix inside parallel; make it its own stage');
      }
    }
    if (props.retries !== undefined) {
      // Jenkins' retry() and Tekton's retries take whole numbers; more than 10 hides a flaky stage.
      assertValue(this, integerViolations('retries', props.retries, { min: 0, max: 10, rangeRule: 'stage-retries', fix: 'pass the number of extra attempts to addStage(name, { retries }), e.g. 2' }));
    }
    if (props.timeout !== undefined && wholeSeconds(props.timeout) < 1) {
      fail(this, 'timeout-positive', `stage timeout ${goDuration(props.timeout)} is shorter than a second`, 'use at least Duration.seconds(1)');
    }
    assertEnvironment(this, props.environment ?? {});
    this.stageName = name;
    this.when = [...(props.when ?? [])];
    this.timeout = props.timeout;
    this.retries = props.retries ?? 0;
    this.environment = { ...(props.environment ?? {}) };
    this.secrets = [...(props.secrets ?? [])];
    this.matrix = props.matrix;
    for (const s of props.steps ?? []) this.addStep(s);
  }

  /** Appends steps. */
  public addStep(...steps: Step[]): Stage {
    this.assertOpen();
    assertValues(this, steps);
    if (this.branchList.length > 0) {
      fail(this, 'stage-body', `stage ${show(this.stageName)} already has parallel branches`, 'put the steps in a branch or in their own stage');
    }
    for (const s of steps) {
      if (s.kind === StepKind.APPROVAL && (this.matrix || this.stepList.length > 0)) {
        fail(this, 'approval-alone', `the approval in stage ${show(this.stageName)} is not the stage's only step`,
          'give the approval its own stage (Tekton runs an approval as its own task)');
      }
      if (this.stepList.some((x) => x.kind === StepKind.APPROVAL)) {
        fail(this, 'approval-alone', `stage ${show(this.stageName)} holds an approval, so it can hold no other step`, 'add the step to another stage');
      }
      this.stepList.push(s);
    }
    const names = new Set<string>();
    for (const n of this.stepNames()) {
      if (names.has(n)) {
        fail(this, 'duplicate-step-name', `step name ${show(n)} is used twice in stage ${show(this.stageName)}`, 'give each step its own name');
      }
      names.add(n);
    }
    return this;
  }

  /** Adds a parallel branch (a stage with steps) and returns it. */
  public addBranch(id: string, props: StageProps = {}): Stage {
    this.assertOpen();
    if (this.stepList.length > 0 || this.matrix) {
      fail(this, 'stage-body', `stage ${show(this.stageName)} has steps, so it cannot have parallel branches`, 'move the steps into a branch');
    }
    const branch = new Stage(this, id, props);
    this.branchList.push(branch);
    return branch;
  }

  /** The steps, in order. */
  public get steps(): Step[] {
    return [...this.stepList];
  }

  /** The parallel branches, in order. */
  public get branches(): Stage[] {
    return [...this.branchList];
  }

  /** True if the stage is a group of parallel branches. */
  public get isParallel(): boolean {
    return this.branchList.length > 0;
  }

  /** The resolved step names: explicit, or the kind's default numbered when it repeats ('run', 'run-2'). */
  public stepNames(): string[] {
    if (this.sealedNames) return [...this.sealedNames];
    const counts = new Map<string, number>();
    const names = this.stepList.map((s) => {
      if (s.name) return s.name;
      const n = (counts.get(s.defaultName) ?? 0) + 1;
      counts.set(s.defaultName, n);
      return n === 1 ? s.defaultName : `${s.defaultName}-${n}`;
    });
    // A sealed stage cannot change: its names are resolved once for the rules, the graph and both lowerings.
    if (this.sealed) this.sealedNames = names;
    return this.sealedNames ? [...names] : names;
  }

  /** @internal */
  public _seal(): void {
    this.sealed = true;
    this.branchList.forEach((b) => b._seal());
  }

  private assertOpen(): void {
    if (this.sealed) {
      fail(this, 'pipeline-lowered', `stage ${show(this.stageName)} changed after its pipeline was lowered to a backend`,
        'finish the model before calling toJenkins()/toTekton()');
    }
  }
}

/** A stage id `constructs` accepts; a repeated one is `duplicate-stage-name` when the names people see repeat too. */
function stageId(scope: Construct, id: string, props: StageProps): string {
  const other = scope.node.tryFindChild(id);
  const sameName = other !== undefined && Stage.isStage(other) && other.stageName === (props.name ?? id);
  const branch = Stage.isStage(scope);
  return constructId(scope, id, branch ? 'branch' : 'stage', branch ? "addBranch('Unit')" : "addStage('Build')", sameName ? 'duplicate-stage-name' : 'duplicate-construct-id');
}

/** Checks literal env vars: identifier names, one-line values and no engine-owned names. */
export function assertEnvironment(scope: Construct, env: Record<string, string>): void {
  for (const [k, v] of Object.entries(env)) {
    Names.assertIdentifier(scope, 'env var name', k);
    if (RESERVED_ENV.has(k)) fail(scope, 'env-reserved', `env var ${show(k)} is set by the CI engine`, 'choose another name');
    if (typeof v !== 'string') fail(scope, 'env-value', `env var ${show(k)} has a non-string value ${show(v)}`, 'pass text');
  }
}
