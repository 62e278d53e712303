/** A task of a Pipeline (`spec.tasks[]` or `spec.finally[]`). */
import { Construct } from 'constructs';
import { assertProps, constructId, assertValue, integerViolations, Duration, fail, goDuration, Names, show } from '../core';
import { ResultRef, VariableRef, scanRefs } from './expressions';
import type { Pipeline } from './pipeline';
import type { PipelineRef } from './pipeline-run';
import { Task } from './task';
import { TaskInterface, TaskRef } from './task-ref';
import { MetadataProps } from './metadata';
import { WhenExpression } from './when';
import {
  ApiFields, FeatureFlags, OnError, ParamType, ParamValue, apiFieldsAllow, checkParamValues, clean, featureEnabled, nonEmpty, renderParams,
} from './values';

/** A pipeline workspace, as bound to a pipeline task (optionally a sub-path of it). */
export class PipelineWorkspace {
  /** @internal */
  constructor(
    /** The pipeline workspace name. */
    public readonly name: string,
    /** Whether runs may leave it unbound. */
    public readonly optional: boolean,
    /** The sub-path the task sees. */
    public readonly subPathValue?: string,
  ) {}

  /** The same workspace, but the task sees only `path` inside it. */
  public subPath(path: string): PipelineWorkspace {
    return new PipelineWorkspace(this.name, this.optional, path);
  }

  /** `$(workspaces.<name>.bound)`. */
  public get bound(): string {
    return `$(workspaces.${this.name}.bound)`;
  }
}

/** A combination added to a matrix (`matrix.include[]`). */
export interface MatrixInclude {
  /** The combination's name. */
  readonly name: string;
  /** String params of this combination. */
  readonly params: Record<string, ParamValue>;
}

/** Fan a task out over arrays of values (beta). */
export interface MatrixProps {
  /**
   * Array params; one TaskRun per combination.
   * @default none
   */
  readonly params?: Record<string, ParamValue>;
  /**
   * Extra or extended combinations.
   * @default none
   */
  readonly include?: MatrixInclude[];
}

/** Props of a pipeline task. Give exactly one of `taskRef`, `taskSpec`, `pipelineRef` and `pipelineSpec`. */
export interface PipelineTaskProps {
  /**
   * The Task to run: `task.ref`, `TaskRef.named()`, `TaskRef.resolve(Resolver.hub(...))`, or a catalog entry.
   * @default none: set taskSpec
   */
  readonly taskRef?: TaskRef;
  /**
   * An inline Task (created with `inline: true`).
   * @default none: set taskRef
   */
  readonly taskSpec?: Task;
  /**
   * Run a whole Pipeline as this task (pipelines in pipelines; alpha).
   * @default none
   */
  readonly pipelineRef?: PipelineRef;
  /**
   * Run an inline Pipeline (created with `inline: true`) as this task (alpha).
   * @default none
   */
  readonly pipelineSpec?: Pipeline;
  /**
   * Param values for the Task.
   * @default none
   */
  readonly params?: Record<string, ParamValue>;
  /**
   * Task workspace name → pipeline workspace (optionally `.subPath('dir')`).
   * @default none
   */
  readonly workspaces?: Record<string, PipelineWorkspace>;
  /**
   * Tasks that must finish first (results used in params already order the tasks). Not allowed in finally.
   * @default none
   */
  readonly runAfter?: PipelineTask[];
  /**
   * Guards; the task is skipped unless all hold.
   * @default none
   */
  readonly when?: WhenExpression[];
  /**
   * Fan-out (beta).
   * @default none
   */
  readonly matrix?: MatrixProps;
  /**
   * How often to retry a failed TaskRun.
   * @default 0
   */
  readonly retries?: number;
  /**
   * Timeout of each TaskRun.
   * @default the pipeline's tasks timeout
   */
  readonly timeout?: Duration;
  /**
   * `OnError.CONTINUE` lets the pipeline go on when this task fails (beta; not with retries).
   * @default OnError.STOP_AND_FAIL
   */
  readonly onError?: OnError;
  /**
   * Human-readable name.
   * @default none
   */
  readonly displayName?: string;
  /**
   * Description.
   * @default none
   */
  readonly description?: string;
}

/** `taskSpec.metadata` of an embedded task, when it has labels or annotations. */
function embeddedMetadata(task: Task): { metadata?: MetadataProps } {
  const m = task.embeddedMetadata;
  return Object.keys(m).length > 0 ? { metadata: m } : {};
}

/** The default cap on matrix combinations (`default-max-matrix-combinations-count`). */
export const MAX_MATRIX_COMBINATIONS = 256;

/** A task of a Pipeline. Its `result(name)` handle makes any task that uses it run after this one. */
export class PipelineTask extends Construct {
  /** The pipeline task name (the construct id). */
  public readonly name: string;
  /** True for tasks under `finally`. */
  public readonly isFinally: boolean;
  /** The props. */
  public readonly props: PipelineTaskProps;
  private readonly extraRunAfter: PipelineTask[] = [];
  private scanned?: Array<{ readonly field: string; readonly text: string; readonly refs: VariableRef[] }>;

  /** @internal */
  constructor(scope: Construct, id: string, props: PipelineTaskProps, isFinally: boolean, apiFields: ApiFields, flags?: FeatureFlags) {
    super(scope, constructId(scope, id, 'pipeline task', "pipeline.addTask('build', { … })", 'pipeline-task-name-unique'));
    assertProps(this, props);
    this.name = id;
    this.isFinally = isFinally;
    this.props = props;
    if (!Names.isDnsLabel(id)) {
      fail(this, 'pipeline-task-name', `pipeline task name ${show(id)} is not a valid DNS-1123 label`,
        'use at most 63 lowercase letters, digits and -');
    }
    checkParamValues(this, props.params);
    checkParamValues(this, props.matrix?.params);
    for (const inc of props.matrix?.include ?? []) checkParamValues(this, inc.params);
    const given = (['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'] as const).filter((k) => props[k] !== undefined);
    if (given.length !== 1) {
      fail(this, 'pipeline-task-ref-or-spec',
        `pipeline task ${show(id)} needs exactly one of taskRef and taskSpec, got ${given.length ? `multiple (${given.join(', ')})` : 'neither'}`,
        'set taskRef (a Task by name or resolver) or taskSpec (an inline Task), not both');
    }
    if ((props.pipelineRef || props.pipelineSpec) && !apiFieldsAllow(apiFields, ApiFields.ALPHA)) {
      fail(this, 'alpha-feature', `pipeline task ${show(id)} runs a pipeline in a pipeline, an alpha feature, but apiFields is ${show(apiFields)}`,
        'set apiFields: ApiFields.ALPHA on the pipeline (and enable-api-fields: alpha on the cluster), or run the tasks directly');
    }
    if (props.pipelineSpec && !props.pipelineSpec.inline) {
      fail(this, 'pipeline-task-ref-or-spec', `pipelineSpec of ${show(id)} is Pipeline ${show(props.pipelineSpec.name)}, which is emitted on its own`,
        'reference it with pipelineRef: PipelineRef.named(...), or create the Pipeline with inline: true');
    }
    if (props.pipelineSpec && Object.keys(props.pipelineSpec.embeddedMetadata).length > 0) {
      fail(this, 'inline-metadata', `inline Pipeline ${show(props.pipelineSpec.name)} of ${show(id)} has labels or annotations, which an embedded pipelineSpec cannot carry`,
        'drop them from the inline Pipeline, or emit it on its own and reference it with pipelineRef');
    }
    if (props.taskSpec && !props.taskSpec.inline) {
      fail(this, 'pipeline-task-ref-or-spec', `taskSpec of ${show(id)} is Task ${show(props.taskSpec.name)}, which is emitted on its own`,
        'reference it with taskRef: task.ref, or create the Task with inline: true');
    }
    if (props.taskRef && !apiFieldsAllow(apiFields, props.taskRef.requires)) {
      fail(this, props.taskRef.requires === ApiFields.ALPHA ? 'alpha-feature' : 'beta-feature',
        `taskRef ${props.taskRef.description} needs ${props.taskRef.requires} API fields, but apiFields is ${show(apiFields)}`,
        `set apiFields: ApiFields.${props.taskRef.requires.toUpperCase()} on the pipeline (and on the cluster), or reference the task by name`);
    }
    if (isFinally && props.runAfter?.length) {
      fail(this, 'finally-run-after', `finally task ${show(id)} has runAfter ${show(props.runAfter.map((t) => t.name))}`,
        'drop runAfter: finally tasks run after all tasks');
    }
    if (props.retries !== undefined) {
      assertValue(this, integerViolations(`retries of ${show(id)}`, props.retries, { min: 0, rangeRule: 'pipeline-task-retries', fix: 'set retries to a whole number ≥ 0' }));
    }
    if (props.onError !== undefined) {
      if (!Object.values(OnError).includes(props.onError)) {
        fail(this, 'pipeline-task-on-error', `onError of ${show(id)} is ${show(props.onError)}`, 'use OnError.CONTINUE or OnError.STOP_AND_FAIL');
      }
      if (!apiFieldsAllow(apiFields, ApiFields.BETA)) {
        fail(this, 'beta-feature', `onError on pipeline task ${show(id)} is beta, but apiFields is ${show(apiFields)}`,
          'set apiFields: ApiFields.BETA, or drop onError');
      }
      if (props.onError === OnError.CONTINUE && (props.retries ?? 0) > 0) {
        fail(this, 'pipeline-task-on-error-retries', `pipeline task ${show(id)} sets onError continue with retries ${props.retries}`,
          'drop retries, or let the task fail the pipeline');
      }
    }
    for (const w of props.when ?? []) {
      if (w.isCel && !featureEnabled(apiFields, flags, 'enableCelInWhenExpression')) {
        fail(this, 'alpha-feature', `pipeline task ${show(id)} uses a CEL when expression, which needs enable-cel-in-whenexpression, but it is off (apiFields ${show(apiFields)})`,
          'set featureFlags: { enableCelInWhenExpression: true } on the pipeline (and the flag on the cluster), or use WhenExpression.in()');
      }
    }
    if (props.matrix) this.checkMatrix(props.matrix, apiFields);
  }

  private checkMatrix(m: MatrixProps, apiFields: ApiFields): void {
    if (!apiFieldsAllow(apiFields, ApiFields.BETA)) {
      fail(this, 'beta-feature', `matrix on ${show(this.name)} is beta, but apiFields is ${show(apiFields)}`, 'set apiFields: ApiFields.BETA');
    }
    const names = Object.keys(m.params ?? {});
    const both = names.filter((n) => n in (this.props.params ?? {}));
    if (both.length > 0) {
      fail(this, 'matrix-param-in-params', `param(s) ${show(both)} of ${show(this.name)} are in both params and matrix`,
        'keep each param in one place');
    }
    for (const [n, v] of Object.entries(m.params ?? {})) {
      if (v.knownType !== undefined && v.type !== ParamType.ARRAY) {
        fail(this, 'matrix-param-type', `matrix param ${show(n)} of ${show(this.name)} is ${v.type}`,
          "give matrix params arrays: ParamValue.array([...]) or a whole array reference ('$(params.x[*])')");
      }
    }
    // Duplicate params inside matrix.params or one include cannot happen: they are keys of one object.
    for (const inc of m.include ?? []) {
      for (const [n, v] of Object.entries(inc.params)) {
        if (v.type !== ParamType.STRING) {
          fail(this, 'matrix-param-type', `include ${show(inc.name)} param ${show(n)} is ${v.type}`, 'include params are strings');
        }
      }
    }
    const lengths = Object.values(m.params ?? {}).map((v) => (Array.isArray(v.value) ? v.value.length : 1));
    const base = lengths.length ? lengths.reduce((a, b) => a * b, 1) : 0;
    // An include whose params all name matrix params adds a combination only if no existing combination has
    // those values; one that only adds other params extends the matching combinations and adds none.
    const extra = (m.include ?? []).filter((inc) => {
      if (names.length === 0) return true;
      const onMatrix = Object.entries(inc.params).filter(([n]) => n in (m.params ?? {}));
      return onMatrix.some(([n, v]) => {
        const arr = m.params![n].value;
        return Array.isArray(arr) && !arr.includes(v.value as string);
      });
    }).length;
    if (base + extra > MAX_MATRIX_COMBINATIONS) {
      fail(this, 'matrix-combinations', `matrix of ${show(this.name)} makes ${base + extra} combinations`,
        `keep it at or below ${MAX_MATRIX_COMBINATIONS} (default-max-matrix-combinations-count)`);
    }
  }

  /** The interface of the Task this runs, when known. */
  public get taskInterface(): TaskInterface | undefined {
    if (this.props.taskSpec) return this.props.taskSpec.interface;
    const child = this.props.pipelineSpec?.interface ?? this.props.pipelineRef?.pipelineInterface;
    if (child) return { params: child.params, workspaces: child.workspaces, results: [] };
    return this.props.taskRef?.taskInterface;
  }

  /** True when the task fans out. */
  public get isMatrixed(): boolean {
    return this.props.matrix !== undefined;
  }

  /** True when this task runs a Pipeline (pipelines in pipelines). */
  public get isPipeline(): boolean {
    return this.props.pipelineRef !== undefined || this.props.pipelineSpec !== undefined;
  }

  /** A result of this task; checked against the Task's declared results when known. */
  public result(name: string): ResultRef {
    if (this.isPipeline) {
      fail(this, 'pipeline-in-pipeline-result', `task ${show(this.name)} runs a pipeline; its results cannot be referenced`,
        'read the result inside the child pipeline, or run its tasks directly');
    }
    const known = this.taskInterface;
    if (known && !known.results.some((r) => r.name === name)) {
      fail(this, 'result-ref-unknown', `task ${show(this.name)} has no result ${show(name)}`,
        `use a declared result (${show(known.results.map((r) => r.name))})`);
    }
    return new ResultRef(this.name, name, this.isFinally ? 'finally' : 'tasks');
  }

  /** `$(tasks.<name>.status)`: Succeeded, Failed or None (finally tasks only). */
  public get status(): string {
    return `$(tasks.${this.name}.status)`;
  }

  /** `$(tasks.<name>.reason)` (finally tasks only). */
  public get reason(): string {
    return `$(tasks.${this.name}.reason)`;
  }

  /** Adds explicit ordering edges. */
  public runAfter(...tasks: PipelineTask[]): void {
    if (this.isFinally) {
      fail(this, 'finally-run-after', `finally task ${show(this.name)} cannot runAfter ${show(tasks.map((t) => t.name))}`,
        'drop runAfter: finally tasks run after all tasks');
    }
    this.extraRunAfter.push(...tasks);
  }

  /** Explicit `runAfter` tasks. */
  public get runAfterTasks(): PipelineTask[] {
    return [...(this.props.runAfter ?? []), ...this.extraRunAfter];
  }

  /** Every string that Tekton scans for references: params, matrix, when and inline steps. */
  public get referenceStrings(): Array<{ field: string; text: string }> {
    return this.scannedStrings.map((x) => ({ field: x.field, text: x.text }));
  }

  /** @internal The reference strings with the references each holds; props are readonly, so scanned once. */
  public get scannedStrings(): ReadonlyArray<{ readonly field: string; readonly text: string; readonly refs: VariableRef[] }> {
    return this.scanned ??= this.collectReferenceStrings().map((x) => ({ field: x.field, text: x.text, refs: scanRefs(x.text) }));
  }

  private collectReferenceStrings(): Array<{ field: string; text: string }> {
    const out: Array<{ field: string; text: string }> = [];
    for (const v of Object.values(this.props.params ?? {})) for (const s of v.strings) out.push({ field: 'params', text: s });
    for (const v of Object.values(this.props.matrix?.params ?? {})) for (const s of v.strings) out.push({ field: 'matrix', text: s });
    for (const inc of this.props.matrix?.include ?? []) {
      for (const v of Object.values(inc.params)) for (const s of v.strings) out.push({ field: 'matrix', text: s });
    }
    for (const w of this.props.when ?? []) {
      if (w.input !== undefined) out.push({ field: 'when-input', text: w.input });
      for (const s of w.valueStrings) out.push({ field: 'when', text: s });
    }
    return out;
  }

  /** Tasks this one depends on: runAfter plus tasks whose results it reads (also from inline steps). */
  public get dependencies(): string[] {
    const deps = new Set<string>();
    for (const t of this.props.runAfter ?? []) deps.add(t.name);
    for (const t of this.extraRunAfter) deps.add(t.name);
    for (const s of this.scannedStrings) {
      for (const r of s.refs) if (r.prefix === 'tasks' && r.parts[1] === 'results') deps.add(r.parts[0]);
    }
    for (const r of this.props.taskSpec?.taskRefs ?? []) if (r.parts[1] === 'results') deps.add(r.parts[0]);
    return [...deps];
  }

  /** The rendered pipeline task. */
  public render(): any {
    const m = this.props.matrix;
    return clean({
      name: this.name,
      displayName: this.props.displayName,
      description: this.props.description,
      taskRef: this.props.taskRef?.toJson(),
      // An embedded task carries its own labels and annotations, which Tekton copies onto the TaskRun.
      taskSpec: this.props.taskSpec ? Object.assign(this.props.taskSpec.renderSpec(), embeddedMetadata(this.props.taskSpec)) : undefined,
      pipelineRef: this.props.pipelineRef?.toJson(),
      pipelineSpec: this.props.pipelineSpec?.renderSpec(),
      runAfter: nonEmpty(this.runAfterTasks.map((t) => t.name)),
      params: renderParams(this.props.params),
      matrix: m ? {
        params: renderParams(m.params),
        include: nonEmpty(m.include?.map((i) => ({ name: i.name, params: renderParams(i.params) }))),
      } : undefined,
      workspaces: nonEmpty(Object.entries(this.props.workspaces ?? {}).map(([name, w]) => ({
        name, workspace: w.name, subPath: w.subPathValue,
      }))),
      when: nonEmpty(this.props.when?.map((w) => w.toJson())),
      retries: this.props.retries,
      timeout: goDuration(this.props.timeout),
      onError: this.props.onError,
    });
  }
}
