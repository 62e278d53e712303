/** The Tekton `PipelineRun` (tekton.dev/v1): runs a Pipeline with params, workspace bindings and timeouts. */
import { Construct } from 'constructs';
import { assertProps, constructId, assertValue, checkedValue, rethrowRefusal, addRules, Duration, durationMillis, fail, goDuration, Names, RuleViolation, show, Violations } from '../core';
import { checkPropagated, checkPropagatedWorkspaces } from './params';
import { Pipeline, PipelineInterface } from './pipeline';
import { Resolver } from './resolver';
import {
  PodTemplate, runValueViolations, checkRunBindings, checkRunPodSecurity, podSecurityOf, renderPodTemplate, runMetadata, startRun,
} from './run-common';
import { computeResourceViolations } from './step';
import { ComputeResources, ParamValue, clean, nonEmpty, renderParams } from './values';
import { WorkspaceBinding } from './workspace-binding';
import { MetadataProps } from './metadata';

/** A reference to a Pipeline by name or resolver. */
export class PipelineRef {
  /** A Pipeline in the run's namespace; give its interface to have params and workspaces checked. */
  public static named(name: string, pipelineInterface?: PipelineInterface): PipelineRef {
    return new PipelineRef({ name }, pipelineInterface);
  }

  /** A Pipeline fetched by a resolver. */
  public static resolve(resolver: Resolver, pipelineInterface?: PipelineInterface): PipelineRef {
    return checkedValue(() => rethrowRefusal(resolver), () => new PipelineRef(resolver.toJson('pipeline'), pipelineInterface));
  }

  private constructor(
    private readonly json: any,
    /** The referenced Pipeline's interface, when known. */
    public readonly pipelineInterface?: PipelineInterface,
  ) {}

  /** The JSON form. */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.json));
  }
}

/** Timeouts of a PipelineRun. `Duration.seconds(0)` means no timeout. */
export interface PipelineRunTimeouts {
  /**
   * The whole run.
   * @default 60m (Tekton's default-timeout-minutes)
   */
  readonly pipeline?: Duration;
  /**
   * All DAG tasks.
   * @default pipeline minus finally
   */
  readonly tasks?: Duration;
  /**
   * All finally tasks.
   * @default pipeline minus tasks
   */
  readonly finally?: Duration;
}

/** Per-pipeline-task overrides (`taskRunSpecs[]`). */
export interface TaskRunSpec {
  /**
   * Service account of this task's pods.
   * @default the run's
   */
  readonly serviceAccountName?: string;
  /**
   * Pod template of this task's pods.
   * @default the run's
   */
  readonly podTemplate?: PodTemplate;
  /**
   * Timeout of this task's TaskRuns; at most the tasks (or pipeline) timeout.
   * @default the pipeline task's
   */
  readonly timeout?: Duration;
  /**
   * Task-level compute resources (beta).
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
}

/** Props of {@link PipelineRun}. Give exactly one of `pipeline` and `pipelineRef`. */
export interface PipelineRunProps extends MetadataProps {
  /**
   * The Pipeline construct to run: referenced by name, or embedded as `pipelineSpec` when it is `inline`.
   * @default none: set pipelineRef
   */
  readonly pipeline?: Pipeline;
  /**
   * A Pipeline by name or resolver.
   * @default none: set pipeline
   */
  readonly pipelineRef?: PipelineRef;
  /**
   * Param values.
   * @default none
   */
  readonly params?: Record<string, ParamValue>;
  /**
   * Pipeline workspace name → what backs it.
   * @default none
   */
  readonly workspaces?: Record<string, WorkspaceBinding>;
  /**
   * Timeouts.
   * @default Tekton's (60m for the pipeline)
   */
  readonly timeouts?: PipelineRunTimeouts;
  /**
   * Service account of all TaskRun pods (`taskRunTemplate.serviceAccountName`).
   * @default 'default'
   */
  readonly serviceAccountName?: string;
  /**
   * Pod template of all TaskRun pods (`taskRunTemplate.podTemplate`).
   * @default non-root user 65532, fsGroup 65532, seccomp RuntimeDefault
   */
  readonly podTemplate?: PodTemplate;
  /**
   * Pipeline task name → overrides.
   * @default none
   */
  readonly taskRunSpecs?: Record<string, TaskRunSpec>;
  /**
   * A fixed `metadata.name`. A finished run cannot be updated, so re-applying a fixed name fails.
   * @default none: `metadata.generateName` is used
   */
  readonly name?: string;
  /**
   * The `generateName` prefix.
   * @default '<pipeline name>-run-'
   */
  readonly generateName?: string;
  /**
   * Create the run as pending (`status: PipelineRunPending`); it starts when the status is removed.
   * @default false
   */
  readonly pending?: boolean;
}

const DEFAULT_PIPELINE_TIMEOUT = Duration.minutes(60);

/** Checks the timeout arithmetic of a PipelineRun; throws on the first problem. */
export function checkTimeouts(scope: Construct, t: PipelineRunTimeouts): void {
  const pipeline = t.pipeline ?? DEFAULT_PIPELINE_TIMEOUT;
  const p = durationMillis(pipeline);
  const name = t.pipeline ? `timeouts.pipeline ${goDuration(pipeline)}` : `the default pipeline timeout ${goDuration(pipeline)}`;
  if (t.tasks && durationMillis(t.tasks) === 0 && p !== 0) {
    fail(scope, 'timeouts-tasks-zero', `timeouts.tasks is 0 (no timeout) but ${name} is not`,
      'set timeouts.pipeline to 0 as well, or give tasks a finite timeout');
  }
  if (p === 0) return;
  if (t.tasks && durationMillis(t.tasks) > p) {
    fail(scope, 'timeouts-tasks', `timeouts.tasks ${goDuration(t.tasks)} is longer than ${name}`,
      'make tasks at most the pipeline timeout');
  }
  if (t.finally && durationMillis(t.finally) > p) {
    fail(scope, 'timeouts-finally', `timeouts.finally ${goDuration(t.finally)} is longer than ${name}`,
      'make finally at most the pipeline timeout');
  }
  if (t.tasks && t.finally && durationMillis(t.tasks) + durationMillis(t.finally) > p) {
    fail(scope, 'timeouts-sum', `timeouts.tasks ${goDuration(t.tasks)} + timeouts.finally ${goDuration(t.finally)} exceed ${name}`,
      'make tasks + finally at most the pipeline timeout');
  }
}

/**
 * A run of a Pipeline. Uses `generateName` by default, so every apply starts a new run. Created inside a
 * `TriggerTemplate`, it becomes one of the template's resources (and may use `$(tt.params…)`).
 */
export class PipelineRun extends Construct {
  /** True when rendered into a TriggerTemplate. */
  public readonly embedded: boolean;
  private readonly props: PipelineRunProps;
  private readonly pipelineName: string;

  constructor(scope: Construct, id: string, props: PipelineRunProps) {
    super(scope, constructId(scope, id, 'pipeline run', "new PipelineRun(chart, 'run', { … })"));
    assertProps(this, props);
    this.props = props;
    if ((props.pipeline === undefined) === (props.pipelineRef === undefined)) {
      fail(this, 'run-ref-or-spec', `pipeline run needs exactly one of pipeline and pipelineRef, got ${props.pipeline ? 'both' : 'neither'}`,
        'set pipeline (a Pipeline construct) or pipelineRef (by name or resolver)');
    }
    this.pipelineName = props.pipeline?.name ?? (props.pipelineRef?.toJson().name as string | undefined) ?? Names.toDnsLabel(id, 63, this);
    if (props.pipeline?.inline && Object.keys(props.pipeline.embeddedMetadata).length > 0) {
      fail(this, 'inline-metadata', `inline Pipeline ${show(props.pipeline.name)} has labels or annotations, which a PipelineRun's pipelineSpec cannot carry`,
        'put them on the PipelineRun (labels/annotations props)');
    }
    assertValue(this, [
      ...runValueViolations('', props.serviceAccountName, props.podTemplate),
      ...Object.entries(props.taskRunSpecs ?? {}).flatMap(([task, s]) => [
        ...runValueViolations(`taskRunSpecs ${show(task)} `, s.serviceAccountName, s.podTemplate),
        ...computeResourceViolations(`taskRunSpecs ${show(task)} computeResources`, s.computeResources),
        ...Object.entries({ ...s.stepSpecs, ...s.sidecarSpecs }).flatMap(([n, r]) => computeResourceViolations(`taskRunSpecs ${show(task)} ${show(n)}`, r)),
      ]),
    ]);
    this.embedded = startRun(this, scope, props, { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', generateName: this.generateNamePrefix, spec: () => this.renderSpec() });
    if (props.timeouts) checkTimeouts(this, props.timeouts);
    const limit = props.timeouts?.tasks ?? props.timeouts?.pipeline ?? DEFAULT_PIPELINE_TIMEOUT;
    for (const [task, spec] of Object.entries(props.taskRunSpecs ?? {})) {
      if (spec.timeout && durationMillis(limit) !== 0 && durationMillis(spec.timeout) > durationMillis(limit)) {
        fail(this, 'task-run-spec-timeout', `taskRunSpecs ${show(task)} timeout ${goDuration(spec.timeout)} exceeds ${goDuration(limit)}`,
          'keep it within timeouts.tasks (or timeouts.pipeline, default 60m)');
      }
    }
    addRules(this, () => this.validateRun());
  }

  private get generateNamePrefix(): string {
    return this.props.generateName ?? `${this.pipelineName.slice(0, 40)}-run-`;
  }

  /** The whole document (used when embedded in a TriggerTemplate). */
  public toJson(): any {
    return clean({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: runMetadata(this.props, this.generateNamePrefix),
      spec: this.renderSpec(),
    });
  }

  private renderSpec(): any {
    const p = this.props;
    const pipeline = p.pipeline;
    return clean({
      pipelineRef: pipeline && !pipeline.inline ? { name: pipeline.name } : p.pipelineRef?.toJson(),
      pipelineSpec: pipeline?.inline ? pipeline.renderSpec() : undefined,
      params: renderParams(p.params),
      workspaces: nonEmpty(Object.entries(p.workspaces ?? {}).map(([name, b]) => b.toJson(name))),
      timeouts: p.timeouts ? {
        pipeline: goDuration(p.timeouts.pipeline), tasks: goDuration(p.timeouts.tasks), finally: goDuration(p.timeouts.finally),
      } : undefined,
      taskRunTemplate: {
        serviceAccountName: p.serviceAccountName,
        podTemplate: renderPodTemplate(p.podTemplate, true),
      },
      taskRunSpecs: nonEmpty(Object.entries(p.taskRunSpecs ?? {}).map(([task, s]) => ({
        pipelineTaskName: task,
        serviceAccountName: s.serviceAccountName,
        podTemplate: renderPodTemplate(s.podTemplate, false),
        timeout: goDuration(s.timeout),
        computeResources: s.computeResources,
        stepSpecs: nonEmpty(Object.entries(s.stepSpecs ?? {}).map(([name, r]) => ({ name, computeResources: r }))),
        sidecarSpecs: nonEmpty(Object.entries(s.sidecarSpecs ?? {}).map(([name, r]) => ({ name, computeResources: r }))),
      }))),
      status: p.pending ? 'PipelineRunPending' : undefined,
    });
  }

  private validateRun(): RuleViolation[] {
    const v = new Violations();
    if (this.props.pipeline) {
      const specs = this.props.taskRunSpecs ?? {};
      checkRunPodSecurity(v, 'pipeline run', this.props.pipeline.allTasks.flatMap((t) => (t.props.taskSpec
        // Tekton merges a taskRunSpecs podTemplate field by field over the run's: securityContext falls back.
        ? [{ task: t.props.taskSpec, pod: specs[t.name]?.podTemplate?.securityContext ?? podSecurityOf(this.props.podTemplate) }] : [])));
    }
    const known = this.props.pipeline?.interface ?? this.props.pipelineRef?.pipelineInterface;
    if (known) {
      checkRunBindings(v, `pipeline run of ${show(this.pipelineName)}`, known, this.props.params ?? {},
        Object.keys(this.props.workspaces ?? {}), false);
    }
    const pipeline = this.props.pipeline;
    if (pipeline?.inline) {
      checkPropagated(v, `pipeline run of ${show(this.pipelineName)}`, pipeline.propagatedParams, Object.keys(this.props.params ?? {}));
      checkPropagatedWorkspaces(v, 'the pipeline run', pipeline.propagatedWorkspaces, Object.keys(this.props.workspaces ?? {}));
    }
    if (pipeline) {
      const taskNames = new Set(pipeline.allTasks.map((t) => t.name));
      for (const [task, spec] of Object.entries(this.props.taskRunSpecs ?? {})) {
        if (!taskNames.has(task)) {
          v.add('task-run-spec-unknown-task', `taskRunSpecs names pipeline task ${show(task)}, which pipeline ${show(pipeline.name)} does not have`,
            `use one of ${show(pipeline.allTasks.map((t) => t.name))}`);
        }
        if (spec.computeResources && Object.keys(spec.stepSpecs ?? {}).length > 0) {
          v.add('compute-resources-exclusive', `taskRunSpecs ${show(task)} sets computeResources and stepSpecs`,
            'set task-level computeResources or per-step resources, not both');
        }
      }
    }
    return v.all;
  }
}
