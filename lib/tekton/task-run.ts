/** The Tekton `TaskRun` (tekton.dev/v1): runs one Task. */
import { Construct } from 'constructs';
import { assertProps, constructId, assertValue, integerViolations, addRules, Duration, fail, goDuration, Names, RuleViolation, show, Violations } from '../core';
import { checkPropagated, checkPropagatedWorkspaces } from './params';
import { computeResourceViolations } from './step';
import { PodTemplate, RunProps, runValueViolations, checkRunBindings, checkRunPodSecurity, podSecurityOf, renderPodTemplate, runMetadata, startRun } from './run-common';
import { Task } from './task';
import { TaskRef } from './task-ref';
import { ComputeResources, clean, nonEmpty, renderParams } from './values';

/** Props of {@link TaskRun}. Give exactly one of `task` and `taskRef`. */
export interface TaskRunProps extends RunProps {
  /**
   * The Task construct: referenced by name, or embedded as `taskSpec` when it is `inline`.
   * @default none: set taskRef
   */
  readonly task?: Task;
  /**
   * A Task by name or resolver.
   * @default none: set task
   */
  readonly taskRef?: TaskRef;
  /**
   * Pod template.
   * @default non-root user 65532, fsGroup 65532, seccomp RuntimeDefault
   */
  readonly podTemplate?: PodTemplate;
  /**
   * Timeout; `Duration.seconds(0)` means none.
   * @default 60m
   */
  readonly timeout?: Duration;
  /**
   * Task-level compute resources (beta); not with stepSpecs.
   * @default none
   */
  readonly computeResources?: ComputeResources;
  /**
   * Step name → compute resources (beta).
   * @default none
   */
  readonly stepSpecs?: Record<string, ComputeResources>;
  /**
   * Sidecar name → compute resources (beta).
   * @default none
   */
  readonly sidecarSpecs?: Record<string, ComputeResources>;
  /**
   * The `generateName` prefix.
   * @default '<task name>-run-'
   */
  readonly generateName?: string;
}

/** A run of one Task; `generateName` by default. Inside a `TriggerTemplate`, it renders into the template. */
export class TaskRun extends Construct {
  /** True when rendered into a TriggerTemplate. */
  public readonly embedded: boolean;
  private readonly props: TaskRunProps;
  private readonly taskName: string;

  constructor(scope: Construct, id: string, props: TaskRunProps) {
    super(scope, constructId(scope, id, 'task run', "new TaskRun(chart, 'run', { … })"));
    assertProps(this, props);
    this.props = props;
    if ((props.task === undefined) === (props.taskRef === undefined)) {
      fail(this, 'run-ref-or-spec', `task run needs exactly one of task and taskRef, got ${props.task ? 'both' : 'neither'}`,
        'set task (a Task construct) or taskRef');
    }
    if (props.retries !== undefined) {
      assertValue(this, integerViolations('retries', props.retries, { min: 0, rangeRule: 'task-run-retries', fix: 'set retries to a whole number ≥ 0' }));
    }
    assertValue(this, [
      ...runValueViolations('', props.serviceAccountName, props.podTemplate),
      ...computeResourceViolations('computeResources', props.computeResources),
      ...Object.entries({ ...props.stepSpecs }).flatMap(([n, r]) => computeResourceViolations(`stepSpecs ${show(n)}`, r)),
      ...Object.entries({ ...props.sidecarSpecs }).flatMap(([n, r]) => computeResourceViolations(`sidecarSpecs ${show(n)}`, r)),
    ]);
    if (props.computeResources && Object.keys(props.stepSpecs ?? {}).length > 0) {
      fail(this, 'compute-resources-exclusive', 'task run sets both computeResources and stepSpecs',
        'set task-level computeResources or per-step resources, not both');
    }
    this.taskName = props.task?.name ?? (props.taskRef?.toJson().name as string | undefined) ?? Names.toDnsLabel(id, 63, this);
    if (props.task?.inline && Object.keys(props.task.embeddedMetadata).length > 0) {
      fail(this, 'inline-metadata', `inline Task ${show(props.task.name)} has labels or annotations, which a TaskRun's taskSpec cannot carry`,
        'put them on the TaskRun (labels/annotations props): Tekton copies those onto the pod');
    }
    this.embedded = startRun(this, scope, props, { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', generateName: this.prefix, spec: () => this.renderSpec() });
    addRules(this, () => this.validateRun());
  }

  private get prefix(): string {
    return this.props.generateName ?? `${this.taskName.slice(0, 40)}-run-`;
  }

  /** The whole document (used when embedded in a TriggerTemplate). */
  public toJson(): any {
    return clean({
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: runMetadata(this.props, this.prefix),
      spec: this.renderSpec(),
    });
  }

  private renderSpec(): any {
    const p = this.props;
    return clean({
      taskRef: p.task && !p.task.inline ? { name: p.task.name, kind: 'Task' } : p.taskRef?.toJson(),
      taskSpec: p.task?.inline ? p.task.renderSpec() : undefined,
      params: renderParams(p.params),
      workspaces: nonEmpty(Object.entries(p.workspaces ?? {}).map(([name, b]) => b.toJson(name))),
      serviceAccountName: p.serviceAccountName,
      podTemplate: renderPodTemplate(p.podTemplate, true),
      timeout: goDuration(p.timeout),
      retries: p.retries,
      computeResources: p.computeResources,
      stepSpecs: nonEmpty(Object.entries(p.stepSpecs ?? {}).map(([name, r]) => ({ name, computeResources: r }))),
      sidecarSpecs: nonEmpty(Object.entries(p.sidecarSpecs ?? {}).map(([name, r]) => ({ name, computeResources: r }))),
    });
  }

  private validateRun(): RuleViolation[] {
    const v = new Violations();
    if (this.props.task) checkRunPodSecurity(v, 'task run', [{ task: this.props.task, pod: podSecurityOf(this.props.podTemplate) }]);
    if (this.props.task?.inline) {
      checkPropagated(v, `task run of ${show(this.taskName)}`, this.props.task.propagatedParams, Object.keys(this.props.params ?? {}));
      checkPropagatedWorkspaces(v, 'the task run', this.props.task.propagatedWorkspaces, Object.keys(this.props.workspaces ?? {}));
    }
    const known = this.props.task?.interface ?? this.props.taskRef?.taskInterface;
    if (known) {
      const propagated = new Set((this.props.task?.propagatedWorkspaces ?? []).map((w) => w.name));
      checkRunBindings(v, `task run of ${show(this.taskName)}`, known, this.props.params ?? {},
        Object.keys(this.props.workspaces ?? {}).filter((w) => !propagated.has(w)), true);
    }
    return v.all;
  }
}
