/** The Tekton `Pipeline` (tekton.dev/v1): a DAG of tasks, `finally` tasks, params, workspaces and results. */
import { Construct } from 'constructs';
import { assertProps, constructId, Names, RuleViolation, Violations, addRules, fail, show } from '../core';
import { PIPELINE_CONTEXT, Param, scanRefs } from './expressions';
import {
  DeclaredParam, ParamDecl, ParamProps, PropagatedParam, RefPlacement, checkParamRef, checkParamValue, checkPropagated, checkPropagatedWorkspaces,
  declareParam,
  declaredParams, findParam, renderParamSpecs,
} from './params';
import { PipelineTask, PipelineTaskProps, PipelineWorkspace } from './pipeline-task';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { RenderedObject } from './rendered-object';
import { checkResourceName } from './task';
import { ApiFields, FeatureFlags, ParamType, clean, nonEmpty } from './values';

/** Props of {@link Pipeline}. */
export interface PipelineProps extends MetadataProps {
  /**
   * `metadata.name`.
   * @default the construct id as a DNS-1123 label
   */
  readonly name?: string;
  /**
   * Description.
   * @default none
   */
  readonly description?: string;
  /**
   * Human-readable name.
   * @default none
   */
  readonly displayName?: string;
  /**
   * Do not emit a Pipeline document: use it only as the inline `pipelineSpec` of a PipelineRun.
   * @default false
   */
  readonly inline?: boolean;
  /**
   * The API fields the cluster enables.
   * @default ApiFields.BETA (Tekton's default)
   */
  readonly apiFields?: ApiFields;
  /**
   * Per-feature flags of the cluster (`enable-cel-in-whenexpression`, `enable-param-enum`).
   * @default each follows apiFields
   */
  readonly featureFlags?: FeatureFlags;
}

/** A pipeline workspace declaration. */
export interface PipelineWorkspaceProps {
  /**
   * What it holds.
   * @default none
   */
  readonly description?: string;
  /**
   * Runs may leave it unbound.
   * @default false
   */
  readonly optional?: boolean;
}

/** A pipeline result. */
export interface PipelineResultProps {
  /** The value: task or finally result references, e.g. `` `${build.result('digest')}` ``. */
  readonly value: string;
  /**
   * The type.
   * @default ParamType.STRING
   */
  readonly type?: ParamType;
  /**
   * Description.
   * @default none
   */
  readonly description?: string;
}

/** What a Pipeline expects from its runs. */
export interface PipelineInterface {
  /** Declared params. */
  readonly params: ReadonlyArray<DeclaredParam>;
  /** Declared workspaces. */
  readonly workspaces: ReadonlyArray<{ readonly name: string; readonly optional: boolean }>;
}

const PIPELINE_PREFIXES = new Set(['params', 'tasks', 'finally', 'context', 'workspaces', 'results']);

/**
 * A Tekton Pipeline. `addTask()` and `addFinally()` return pipeline tasks whose `result()` handles order the DAG;
 * `runAfter` adds explicit edges. Cycles, missing tasks and every reference are checked at synth.
 */
export class Pipeline extends Construct {
  /** The Pipeline name. */
  public readonly name: string;
  /** True when only used inline. */
  public readonly inline: boolean;
  /** The API fields the cluster enables. */
  public readonly apiFields: ApiFields;
  private readonly props: PipelineProps;
  private readonly params: ParamDecl[] = [];
  private readonly workspaces: PipelineWorkspace[] = [];
  private readonly workspaceProps = new Map<string, PipelineWorkspaceProps>();
  private readonly tasks: PipelineTask[] = [];
  private readonly finallyTasks: PipelineTask[] = [];
  private readonly results: Array<{ name: string; props: PipelineResultProps }> = [];
  /** Names of tasks and finally tasks, so each add checks uniqueness in O(1). */
  private readonly taskNames = new Set<string>();
  private readonly workspaceNames = new Set<string>();
  private readonly resultNames = new Set<string>();
  /** Pipeline tasks live under their own scope, so an inline Task may share its pipeline task's name. */
  private readonly taskScope: Construct;

  constructor(scope: Construct, id: string, props: PipelineProps = {}) {
    super(scope, constructId(scope, id, 'pipeline', "new Pipeline(chart, 'ci')"));
    assertProps(this, props);
    this.props = props;
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    this.inline = props.inline ?? false;
    this.apiFields = props.apiFields ?? ApiFields.BETA;
    checkResourceName(this, this.name);
    checkMetadata(this, props);
    this.taskScope = new Construct(this, 'Tasks');
    if (!this.inline) {
      new RenderedObject(this, 'Resource', {
        apiVersion: 'tekton.dev/v1',
        kind: 'Pipeline',
        metadata: { name: this.name, ...renderMetadata(props) },
      }, () => this.renderSpec());
    }
    addRules(this, () => this.validatePipeline());
  }

  /** Declares a pipeline param; returns its handle. */
  public addParam(name: string, props: ParamProps = {}): Param {
    const decl = declareParam(this, this.params, name, props, this.apiFields, this.props.featureFlags);
    return new Param(name, decl.type, decl.keys);
  }

  /** Declares a pipeline workspace; returns its handle for task bindings. */
  public addWorkspace(name: string, props: PipelineWorkspaceProps = {}): PipelineWorkspace {
    if (!Names.isDnsLabel(name)) {
      fail(this, 'workspace-name', `workspace name ${show(name)} is not a valid DNS-1123 label`, 'use lowercase letters, digits and -');
    }
    if (this.workspaceNames.has(name)) {
      fail(this, 'pipeline-workspace-unique', `pipeline workspace ${show(name)} is declared twice`, 'declare it once and bind it to many tasks');
    }
    const ws = new PipelineWorkspace(name, props.optional ?? false);
    this.workspaces.push(ws);
    this.workspaceNames.add(name);
    this.workspaceProps.set(name, props);
    return ws;
  }

  /** Adds a task to the DAG. */
  public addTask(name: string, props: PipelineTaskProps): PipelineTask {
    this.checkUniqueTask(name);
    const t = new PipelineTask(this.taskScope, name, props, false, this.apiFields, this.props.featureFlags);
    this.tasks.push(t);
    this.taskNames.add(name);
    return t;
  }

  /** Adds a `finally` task: it runs after all tasks, whatever their outcome, and may read `status`. */
  public addFinally(name: string, props: PipelineTaskProps): PipelineTask {
    this.checkUniqueTask(name);
    const t = new PipelineTask(this.taskScope, name, props, true, this.apiFields, this.props.featureFlags);
    this.finallyTasks.push(t);
    this.taskNames.add(name);
    return t;
  }

  /** Declares a pipeline result. */
  public addResult(name: string, props: PipelineResultProps): void {
    if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) {
      fail(this, 'result-name-format', `pipeline result name ${show(name)} is invalid`, 'use letters, digits, -, _ and .');
    }
    if (this.resultNames.has(name)) {
      fail(this, 'result-name-unique', `pipeline result ${show(name)} is declared twice`, 'give each result its own name');
    }
    this.results.push({ name, props });
    this.resultNames.add(name);
  }

  /** What runs must provide. */
  public get interface(): PipelineInterface {
    return {
      params: declaredParams(this.params, this.allTasks.flatMap((t) => t.referenceStrings.map((x) => x.text))),
      workspaces: this.workspaces.map((w) => ({ name: w.name, optional: w.optional })),
    };
  }

  /** The pipeline tasks, in order (DAG tasks, then finally). */
  public get allTasks(): PipelineTask[] {
    return [...this.tasks, ...this.finallyTasks];
  }

  /** @internal Labels and annotations given to this Pipeline (an inline one has nowhere to write them). */
  public get embeddedMetadata(): MetadataProps {
    return renderMetadata(this.props);
  }

  /** The rendered spec (also used as an inline `pipelineSpec`). */
  public renderSpec(): any {
    return clean({
      displayName: this.props.displayName,
      description: this.props.description,
      params: renderParamSpecs(this.params),
      workspaces: nonEmpty(this.workspaces.map((w) => ({
        name: w.name, description: this.workspaceProps.get(w.name)?.description, optional: w.optional || undefined,
      }))),
      tasks: this.tasks.map((t) => t.render()),
      finally: nonEmpty(this.finallyTasks.map((t) => t.render())),
      results: nonEmpty(this.results.map((r) => ({
        name: r.name, type: r.props.type, description: r.props.description, value: r.props.value,
      }))),
    });
  }

  private checkUniqueTask(name: string): void {
    if (this.taskNames.has(name)) {
      fail(this, 'pipeline-task-name-unique', `pipeline task name ${show(name)} is used twice (names are unique across tasks and finally)`,
        'give each task its own name');
    }
  }

  private validatePipeline(): RuleViolation[] {
    const v = new Violations();
    if (this.tasks.length === 0) {
      v.add('pipeline-tasks-required', `pipeline ${show(this.name)} has no tasks${this.finallyTasks.length ? ' (finally needs tasks)' : ''}`,
        'add at least one task with addTask()');
    }
    const dag = new Map(this.tasks.map((t) => [t.name, t]));
    const fin = new Map(this.finallyTasks.map((t) => [t.name, t]));
    for (const t of this.allTasks) this.checkTask(v, t, dag, fin, this.inline ? [] : undefined);
    this.checkDag(v, dag, fin);
    for (const r of this.results) {
      const refs = scanRefs(r.props.value);
      if (refs.length === 0) {
        v.add('pipeline-result-value', `pipeline result ${show(r.name)} has value ${show(r.props.value)}, which references no task result`,
          "use task results, e.g. `${task.result('digest')}`");
      }
      for (const ref of refs) {
        const list = ref.prefix === 'tasks' ? dag : ref.prefix === 'finally' ? fin : undefined;
        if (!list || ref.parts[1] !== 'results') {
          v.add('pipeline-result-value', `pipeline result ${show(r.name)} uses ${ref.text}; only task and finally results are allowed`,
            'use $(tasks.<task>.results.<name>) or $(finally.<task>.results.<name>)');
        } else if (!list.has(ref.parts[0])) {
          v.add('pipeline-result-value', `pipeline result ${show(r.name)} uses ${ref.text}, but there is no ${ref.prefix === 'tasks' ? 'task' : 'finally task'} ${show(ref.parts[0])}`,
            'reference an existing task');
        } else {
          this.checkResultExists(v, `pipeline result ${show(r.name)}`, ref.text, list.get(ref.parts[0])!, ref.parts[2]);
        }
      }
    }
    return v.all;
  }

  private checkResultExists(v: Violations, where: string, text: string, task: PipelineTask, result: string): void {
    const known = task.taskInterface;
    if (known && !known.results.some((r) => r.name === result)) {
      v.add('result-ref-unknown', `${where} uses ${text}, but task ${show(task.name)} declares no result ${show(result)}`,
        `use one of ${show(known.results.map((r) => r.name))}`);
    }
  }

  /**
   * Params this inline Pipeline (or its inline tasks) reads without declaring them: the PipelineRun that embeds
   * it must provide them.
   */
  public get propagatedParams(): PropagatedParam[] {
    const out: PropagatedParam[] = [];
    if (!this.inline) return out;
    const dag = new Map(this.tasks.map((t) => [t.name, t]));
    const fin = new Map(this.finallyTasks.map((t) => [t.name, t]));
    for (const t of this.allTasks) this.checkTask(new Violations(), t, dag, fin, out);
    return out;
  }

  /** Workspaces the inline tasks of this inline Pipeline read without declaring them (the PipelineRun must bind them). */
  public get propagatedWorkspaces(): PropagatedParam[] {
    return this.inline ? this.allTasks.flatMap((t) => t.props.taskSpec?.propagatedWorkspaces ?? []) : [];
  }

  private checkTask(v: Violations, t: PipelineTask, dag: Map<string, PipelineTask>, fin: Map<string, PipelineTask>,
    propagated: PropagatedParam[] | undefined): void {
    const what = `${t.isFinally ? 'finally task' : 'task'} ${show(t.name)}`;
    const inlineSpec = t.props.taskSpec;
    if (inlineSpec) {
      const given = t.props.params ?? {};
      const missing = inlineSpec.propagatedParams.filter((p) => !findParam(this.params, p.name) && !(p.name in given));
      if (propagated) propagated.push(...missing);
      else checkPropagated(v, `pipeline ${show(this.name)}`, missing, []);
      if (!this.inline) checkPropagatedWorkspaces(v, `pipeline ${show(this.name)}`, inlineSpec.propagatedWorkspaces, undefined);
    }
    for (const { field, text, refs } of t.scannedStrings) {
      for (const ref of refs) {
        const where = `${what} ${field}`;
        if (!PIPELINE_PREFIXES.has(ref.prefix)) {
          v.add('variable-prefix', `${where} uses invalid variable reference ${ref.text}`,
            'use params, tasks, finally, context, workspaces or results; if you meant a shell variable, use ${VAR} instead');
          continue;
        }
        if (ref.prefix === 'params') {
          checkParamRef(v, where, ref, text, this.params, field === 'when-input' ? RefPlacement.WHEN_INPUT : RefPlacement.PARAM_VALUE, propagated);
        } else if (ref.prefix === 'context') {
          if (!PIPELINE_CONTEXT.has(ref.parts.join('.'))) {
            v.add('context-variable', `${where} uses ${ref.text}, which is not a pipeline context variable`,
              `use one of ${[...PIPELINE_CONTEXT].map((c) => `$(context.${c})`).join(', ')}`);
          }
        } else if (ref.prefix === 'workspaces') {
          if (!this.workspaceNames.has(ref.parts[0]) && !(field === 'params' && this.taskOwnWorkspace(t, ref.parts[0]))) {
            v.add('workspace-ref-undeclared', `${where} uses ${ref.text}, but the pipeline declares no workspace ${show(ref.parts[0])}`,
              `declare it with addWorkspace(${show(ref.parts[0])})`);
          }
        } else if (ref.prefix === 'finally') {
          v.add('finally-result-ref', `${where} uses ${ref.text}; finally results can only be read by pipeline results`,
            'read the result in a pipeline result instead');
        } else if (ref.prefix === 'tasks') {
          this.checkTasksRef(v, t, where, ref.text, ref.parts, ref.index, dag, fin);
        }
      }
    }
    // Inline steps may read task results too (through env): the referenced tasks must exist.
    for (const ref of t.props.taskSpec?.taskRefs ?? []) {
      this.checkTasksRef(v, t, `${what} taskSpec`, ref.text, ref.parts, ref.index, dag, fin);
    }
    for (const w of Object.values(t.props.workspaces ?? {})) {
      if (!this.workspaceNames.has(w.name)) {
        v.add('pipeline-task-workspace-undeclared', `pipeline task ${show(t.name)} expects workspace with name ${show(w.name)} but none exists in pipeline spec`,
          `declare it with addWorkspace(${show(w.name)})`);
      }
    }
    const known = t.taskInterface;
    if (known) {
      const bound = Object.keys(t.props.workspaces ?? {});
      for (const b of bound) {
        if (!known.workspaces.some((w) => w.name === b)) {
          v.add('pipeline-task-workspace-unknown', `${what} binds workspace ${show(b)}, which the task does not declare`,
            `bind one of ${show(known.workspaces.map((w) => w.name))}`);
        }
      }
      for (const w of known.workspaces) {
        if (!w.optional && !bound.includes(w.name)) {
          v.add('pipeline-task-workspace-missing', `${what} does not bind workspace ${show(w.name)}, which the task requires`,
            `add workspaces: { ${w.name}: <pipeline workspace> }`);
        }
      }
      const given = t.props.params ?? {};
      const matrixNames = known.params.length === 0 ? new Set<string>() : new Set([...Object.keys(t.props.matrix?.params ?? {}),
        ...(t.props.matrix?.include ?? []).flatMap((i) => Object.keys(i.params))]);
      for (const p of known.params) {
        const value = given[p.name];
        if (value === undefined) {
          if (!p.hasDefault && !matrixNames.has(p.name)) {
            v.add('pipeline-task-missing-param', `${what} gives no value for param ${show(p.name)}, which has no default`,
              `add params: { ${p.name}: ParamValue.${p.type}(...) }`);
          }
          continue;
        }
        checkParamValue(v, what, p, value);
      }
    }
  }

  /**
   * True if pipeline task `t` binds a task workspace named `name`: Tekton substitutes a task param value like
   * `$(workspaces.source.path)` inside the TaskRun, where the task's own workspaces are in scope.
   */
  private taskOwnWorkspace(t: PipelineTask, name: string): boolean {
    return name in (t.props.workspaces ?? {}) || (t.taskInterface?.workspaces.some((w) => w.name === name) ?? false);
  }

  private checkTasksRef(v: Violations, t: PipelineTask, where: string, text: string, parts: string[], index: '*' | number | undefined,
    dag: Map<string, PipelineTask>, fin: Map<string, PipelineTask>): void {
    const [target, kind, result] = parts;
    const isStatus = parts.length === 1 ? target === 'status' : kind === 'status' || kind === 'reason';
    if (isStatus) {
      if (!t.isFinally) {
        v.add('task-status-outside-finally', `${where} uses ${text}; pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks`,
          'read task status in a finally task (addFinally)');
      } else if (parts.length > 1 && !dag.has(target)) {
        v.add('dag-missing-task', `${where} uses ${text}, but there is no task ${show(target)} in the pipeline's tasks`,
          'reference a task added with addTask()');
      }
      return;
    }
    if (kind !== 'results') {
      v.add('variable-prefix', `${where} uses invalid variable reference ${text}`, 'use $(tasks.<task>.results.<name>)');
      return;
    }
    const producer = dag.get(target);
    if (!producer) {
      if (fin.has(target)) {
        v.add('finally-result-ref', `${where} uses ${text}, a result of finally task ${show(target)}`,
          'read results of DAG tasks only; finally results are for pipeline results');
      } else {
        v.add('dag-missing-task', `task ${show(t.name)} depends on ${show(target)} but ${show(target)} wasn't present in Pipeline (${where} uses ${text})`,
          'reference a task added with addTask()');
      }
      return;
    }
    if (producer.isPipeline) {
      v.add('pipeline-in-pipeline-result', `${where} uses ${text}, but ${show(target)} runs a pipeline; its results cannot be referenced`,
        'read the result inside the child pipeline, or run its tasks directly');
      return;
    }
    this.checkResultExists(v, where, text, producer, result);
    if (producer.isMatrixed) {
      const declared = producer.taskInterface?.results.find((r) => r.name === result);
      if (index !== '*' || (declared && declared.type !== ParamType.STRING)) {
        v.add('matrix-result-whole', `${where} uses ${text}, but ${show(target)} is matrixed: its results are arrays of all runs' string results`,
          `read it whole as $(tasks.${target}.results.${result}[*]) and declare the result as a string`);
      }
    }
  }

  private checkDag(v: Violations, dag: Map<string, PipelineTask>, fin: Map<string, PipelineTask>): void {
    for (const t of this.tasks) {
      for (const r of t.runAfterTasks) {
        if (!dag.has(r.name) || dag.get(r.name) !== r) {
          v.add('dag-missing-task', `task ${show(t.name)} depends on ${show(r.name)} but ${show(r.name)} wasn't present in Pipeline${fin.has(r.name) ? ' (it is a finally task)' : ''}`,
            'runAfter tasks of the same pipeline only');
        }
      }
    }
    // Depth-first search for a cycle; reports the first edge that closes one. Iterative with one shared path, so a
    // long chain neither overflows the call stack nor copies the path per step.
    const state = new Map<string, number>();
    const path: string[] = [];
    const deps: string[][] = [];
    const next: number[] = [];
    for (const root of dag.keys()) {
      if (state.has(root)) continue;
      state.set(root, 1);
      path.push(root); deps.push(dag.get(root)!.dependencies); next.push(0);
      while (path.length > 0) {
        const top = path.length - 1;
        const name = path[top];
        const d = deps[top][next[top]++];
        if (d === undefined) {
          state.set(name, 2);
          path.pop(); deps.pop(); next.pop();
          continue;
        }
        if (!dag.has(d)) continue;
        if (state.get(d) === 1) {
          const cycle = [...path.slice(path.indexOf(d)), d];
          v.add('dag-cycle', `cycle detected; task ${show(name)} depends on ${show(d)} (${cycle.join(' -> ')})`,
            'remove one of the runAfter edges or result references in the cycle');
          return;
        }
        if (!state.has(d)) {
          state.set(d, 1);
          path.push(d); deps.push(dag.get(d)!.dependencies); next.push(0);
        }
      }
    }
  }
}
