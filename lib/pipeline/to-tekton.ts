import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, Names, show } from '../core';
import * as tekton from '../tekton';
import { ContainerProps, Resources } from './node';
import type { Pipeline } from './pipeline';
import { PostCondition } from './post';
import { Secret } from './secret';
import { Stage } from './stage';
import { Step, StepKind } from './step';
import { When, WhenKind } from './when';

/** The pipeline params Tekton needs for what Jenkins learns from SCM; a trigger binding fills them. */
export const SOURCE_PARAMS = {
  /** Repository URL (checkout). */
  URL: 'SOURCE_URL',
  /** Commit or ref to check out (checkout). */
  REVISION: 'SOURCE_REVISION',
  /** Branch being built (`When.branch`); empty when building a tag. */
  BRANCH: 'SOURCE_BRANCH',
  /** Tag being built (`When.tag`); empty when building a branch. */
  TAG: 'SOURCE_TAG',
} as const;

/** How a branch task's description names its parallel stage: `parallel branch of "Test"`. */
export const BRANCH_OF = 'parallel branch of ';

/** The name of the run's source workspace. */
export const SOURCE_WORKSPACE = 'source';

/** How approvals lower to Tekton, which has no built-in manual approval. */
export class TektonApprovals {
  /** The default: an approval step is a synth error (rule `tekton-approval-unsupported`). */
  public static readonly UNSUPPORTED = new TektonApprovals(undefined);

  /**
   * The Tekton manual-approval-gate custom task (`openshift-pipelines.org/v1alpha1` `ApprovalTask`); the cluster
   * must run its controller. Approvers are required.
   */
  public static approvalTask(): TektonApprovals {
    return new TektonApprovals({ apiVersion: 'openshift-pipelines.org/v1alpha1', kind: 'ApprovalTask' });
  }

  private constructor(
    /** The custom task kind, if any. */
    public readonly customTask: { apiVersion: string; kind: string } | undefined,
  ) {}
}

/** Props of the PipelineRun that {@link Pipeline.toTekton} can emit. */
export interface TektonRunOptions {
  /** Repository URL checked out by `Step.checkout()`. */
  readonly sourceUrl: string;
  /**
   * Revision to check out.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Branch the run builds (for `When.branch`).
   * @default - the revision
   */
  readonly branch?: string;
  /**
   * Size of the per-run source volume (`volumeClaimTemplate`).
   * @default '1Gi'
   */
  readonly storage?: string;
}

/** Props of the GitHub trigger that {@link Pipeline.toTekton} can emit. */
export interface TektonTriggerOptions {
  /** The Secret holding the GitHub webhook secret; the GitHub interceptor rejects unsigned events. */
  readonly webhookSecret: string;
  /**
   * Key of the webhook secret in that Secret.
   * @default 'secretToken'
   */
  readonly webhookSecretKey?: string;
  /**
   * Size of each run's source volume (`volumeClaimTemplate`).
   * @default '1Gi'
   */
  readonly storage?: string;
}

/** Options of {@link Pipeline.toTekton}. */
export interface TektonTargetOptions {
  /**
   * How approval steps lower.
   * @default TektonApprovals.UNSUPPORTED
   */
  readonly approvals?: TektonApprovals;
  /**
   * Also emit a PipelineRun (`generateName`, so each `kubectl create` is a new run) with a fresh source volume.
   * @default - no run (start runs with a trigger or `tkn`)
   */
  readonly run?: TektonRunOptions;
  /**
   * Also start a run for every GitHub push: an EventListener (GitHub signature check, CEL overlays that split
   * `refs/heads/…` and `refs/tags/…`), a TriggerBinding and a TriggerTemplate filling the `SOURCE_*` params.
   * @default - no trigger
   */
  readonly trigger?: TektonTriggerOptions;
}

/** What {@link Pipeline.toTekton} created. */
export interface TektonTarget {
  /** The Tekton Pipeline. */
  readonly pipeline: tekton.Pipeline;
  /** The PipelineRun, when `run` was given. */
  readonly run?: tekton.PipelineRun;
  /** The EventListener, when `trigger` was given. */
  readonly eventListener?: tekton.EventListener;
}

/**
 * Lowers a portable pipeline to Tekton (children under `Tekton`): one Pipeline whose tasks are inline Tasks, one per
 * stage (a parallel branch is a task; a matrix is a `matrix` task), ordered with `runAfter` so parallel branches
 * stay parallel; conditions as `when`; post steps as `finally` tasks guarded on `$(tasks.status)`. Params, env and
 * secrets reach scripts only through `env` (`$(params…)` values, `secretKeyRef`), never through the script text.
 */
export function lowerToTekton(p: Pipeline, options: TektonTargetOptions = {}): TektonTarget {
  if (!Chart.isChart(findChart(p))) {
    fail(p, 'pipeline-chart', `pipeline ${show(p.pipelineName)} is not inside a cdk8s Chart, so Tekton objects have nowhere to go`,
      'create the Pipeline with a Chart as its scope (or an ancestor)');
  }
  const approvals = options.approvals ?? TektonApprovals.UNSUPPORTED;
  checkExpressible(p, approvals);
  const scope = new Construct(p, 'Tekton');
  const pipeline = new tekton.Pipeline(scope, 'Pipeline', { name: p.pipelineName });
  const ws = pipeline.addWorkspace(SOURCE_WORKSPACE, { description: 'the checked-out source, one volume per run' });
  const used = usedSourceParams(p);
  const params = new Map<string, tekton.Param>();
  for (const param of p.params) {
    params.set(param.name, pipeline.addParam(param.name, {
      default: tekton.ParamValue.string(param.defaultValue),
      ...(param.description !== undefined ? { description: param.description } : {}),
    }));
  }
  for (const name of used) {
    const optional = name === SOURCE_PARAMS.BRANCH || name === SOURCE_PARAMS.TAG;
    params.set(name, pipeline.addParam(name, optional ? { default: tekton.ParamValue.string('') } : {}));
  }
  const ctx: Ctx = { p, scope, ws, params, approvals };

  let previous: tekton.PipelineTask[] = [];
  for (const stage of p.stages) {
    if (stage.isParallel) {
      previous = stage.branches.map((b) => addStageTask(ctx, pipeline, b, previous, stage));
    } else {
      previous = [addStageTask(ctx, pipeline, stage, previous)];
    }
  }
  const statusWhen: Record<PostCondition, string[] | undefined> = {
    [PostCondition.ALWAYS]: undefined,
    [PostCondition.SUCCESS]: ['Succeeded', 'Completed'],
    [PostCondition.FAILURE]: ['Failed'],
  };
  for (const c of [PostCondition.ALWAYS, PostCondition.SUCCESS, PostCondition.FAILURE]) {
    const steps = p.post(c);
    if (steps.length === 0) continue;
    const name = `post-${c}`;
    const task = taskSpec(ctx, name, steps, p.postStepNames(c), p.environment, [], []);
    const values = statusWhen[c];
    pipeline.addFinally(name, {
      taskSpec: task.task,
      displayName: `post ${c}`,
      params: task.params,
      workspaces: { [SOURCE_WORKSPACE]: ws },
      ...(values ? { when: [tekton.WhenExpression.in(tekton.Context.TASKS_STATUS, values)] } : {}),
    });
  }

  let run: tekton.PipelineRun | undefined;
  if (options.run) {
    const r = options.run;
    const runParams: Record<string, tekton.ParamValue> = {};
    if (used.has(SOURCE_PARAMS.URL)) runParams[SOURCE_PARAMS.URL] = tekton.ParamValue.string(r.sourceUrl);
    if (used.has(SOURCE_PARAMS.REVISION)) runParams[SOURCE_PARAMS.REVISION] = tekton.ParamValue.string(r.revision ?? 'main');
    if (used.has(SOURCE_PARAMS.BRANCH)) runParams[SOURCE_PARAMS.BRANCH] = tekton.ParamValue.string(r.branch ?? r.revision ?? 'main');
    run = new tekton.PipelineRun(scope, 'Run', {
      pipeline,
      ...(Object.keys(runParams).length ? { params: runParams } : {}),
      workspaces: { [SOURCE_WORKSPACE]: tekton.WorkspaceBinding.volumeClaimTemplate({ storage: r.storage ?? '1Gi' }) },
      timeouts: { pipeline: p.timeout },
      ...(p.runsOn.serviceAccount ? { serviceAccountName: p.runsOn.serviceAccount } : {}),
    });
  }
  let eventListener: tekton.EventListener | undefined;
  if (options.trigger) eventListener = addTrigger(ctx, pipeline, used, options.trigger);
  return { pipeline, run, eventListener };
}

/** GitHub push → run: webhook values are untrusted; they reach steps only as params read through env. */
function addTrigger(ctx: Ctx, pipeline: tekton.Pipeline, used: Set<string>, t: TektonTriggerOptions): tekton.EventListener {
  const p = ctx.p;
  const template = new tekton.TriggerTemplate(ctx.scope, 'TriggerTemplate', { name: p.pipelineName });
  const ttParams = new Map<string, tekton.TriggerParam>();
  for (const name of used) {
    const optional = name === SOURCE_PARAMS.BRANCH || name === SOURCE_PARAMS.TAG;
    ttParams.set(name, template.addParam(name, optional ? { default: '' } : {}));
  }
  new tekton.PipelineRun(template, 'Run', {
    pipeline,
    ...(ttParams.size ? { params: Object.fromEntries([...ttParams].map(([k, v]) => [k, tekton.ParamValue.of(v)])) } : {}),
    workspaces: { [SOURCE_WORKSPACE]: tekton.WorkspaceBinding.volumeClaimTemplate({ storage: t.storage ?? '1Gi' }) },
    timeouts: { pipeline: p.timeout },
    ...(p.runsOn.serviceAccount ? { serviceAccountName: p.runsOn.serviceAccount } : {}),
  });
  const values: Record<string, string> = {
    [SOURCE_PARAMS.URL]: '$(body.repository.clone_url)',
    [SOURCE_PARAMS.REVISION]: '$(body.after)',
    [SOURCE_PARAMS.BRANCH]: '$(extensions.branch)',
    [SOURCE_PARAMS.TAG]: '$(extensions.tag)',
  };
  const binding = new tekton.TriggerBinding(ctx.scope, 'TriggerBinding', {
    name: `${p.pipelineName}-github-push`,
    params: Object.fromEntries([...used].map((k) => [k, values[k]])),
  });
  const listener = new tekton.EventListener(ctx.scope, 'EventListener', { name: p.pipelineName });
  listener.addTrigger('github-push', {
    template,
    bindings: [binding],
    interceptors: [
      tekton.Interceptor.github({ secretName: t.webhookSecret, ...(t.webhookSecretKey ? { secretKey: t.webhookSecretKey } : {}) }),
      tekton.Interceptor.cel({ overlays: {
        branch: "body.ref.startsWith('refs/heads/') ? body.ref.substring(11) : ''",
        tag: "body.ref.startsWith('refs/tags/') ? body.ref.substring(10) : ''",
      } }),
    ],
  });
  return listener;
}

interface Ctx {
  readonly p: Pipeline;
  readonly scope: Construct;
  readonly ws: tekton.PipelineWorkspace;
  readonly params: Map<string, tekton.Param>;
  readonly approvals: TektonApprovals;
}

function findChart(c: Construct): Construct | undefined {
  return c.node.scopes.slice().reverse().find((s) => Chart.isChart(s));
}

/** Everything Tekton cannot express fails here, naming the construct, the feature and the backend. */
function checkExpressible(p: Pipeline, approvals: TektonApprovals): void {
  // Tekton substitutes `$(…)` in param values, defaults and when values, with no escape: such text cannot pass.
  const substitution = (scope: Construct, what: string, values: string[]) => {
    const bad = values.find((v) => v.includes('$('));
    if (bad !== undefined) {
      fail(scope, 'tekton-variable-syntax', `${what} ${show(bad)} contains "$(", which Tekton would read as a variable reference`,
        'drop "$(" from the value (Tekton has no escape for it in param values), or lower this pipeline to Jenkins only');
    }
  };
  for (const param of p.params) substitution(p, `param ${param.name} default or choice`, [param.defaultValue, ...param.choices]);
  const visit = (s: Stage) => {
    for (const w of s.when) substitution(s, `stage ${show(s.stageName)}: condition value`, w.values);
    if (s.matrix) substitution(s, `stage ${show(s.stageName)}: matrix value`, s.matrix.axes.flatMap((a) => a.values));
    for (const w of s.when) {
      if (w.isGlob) {
        fail(s, 'tekton-when-glob', `stage ${show(s.stageName)}: condition ${w.describe()} uses a glob, which Tekton cannot express`
          + ' (when expressions compare exact values with in/notin; CEL is alpha)', 'list the exact names, or lower this pipeline to Jenkins only');
      }
    }
    for (const st of s.steps) {
      if (st.kind === StepKind.APPROVAL) {
        if (!approvals.customTask) {
          fail(s, 'tekton-approval-unsupported', `stage ${show(s.stageName)}: Tekton has no built-in manual approval`,
            'pass approvals: TektonApprovals.approvalTask() to toTekton() (needs the manual-approval-gate controller), or lower to Jenkins only');
        }
        if (st.approvers.length === 0) {
          fail(s, 'tekton-approval-approvers', `stage ${show(s.stageName)}: the Tekton ApprovalTask needs approvers`, 'list approvers in Step.approval()');
        }
      }
    }
    s.branches.forEach(visit);
  };
  p.stages.forEach(visit);
}

function usedSourceParams(p: Pipeline): Set<string> {
  const used = new Set<string>();
  const visitSteps = (steps: Step[]) => {
    if (steps.some((s) => s.kind === StepKind.CHECKOUT)) {
      used.add(SOURCE_PARAMS.URL);
      used.add(SOURCE_PARAMS.REVISION);
    }
  };
  const visit = (s: Stage) => {
    for (const w of s.when) {
      if (w.kind === WhenKind.BRANCH) used.add(SOURCE_PARAMS.BRANCH);
      if (w.kind === WhenKind.TAG) used.add(SOURCE_PARAMS.TAG);
    }
    visitSteps(s.steps);
    s.branches.forEach(visit);
  };
  p.stages.forEach(visit);
  for (const c of [PostCondition.ALWAYS, PostCondition.SUCCESS, PostCondition.FAILURE]) visitSteps(p.post(c));
  return new Set([SOURCE_PARAMS.URL, SOURCE_PARAMS.REVISION, SOURCE_PARAMS.BRANCH, SOURCE_PARAMS.TAG].filter((x) => used.has(x)));
}

function addStageTask(ctx: Ctx, pipeline: tekton.Pipeline, s: Stage, runAfter: tekton.PipelineTask[], group?: Stage): tekton.PipelineTask {
  const name = Names.toDnsLabel(s.stageName);
  const when = [...(group?.when ?? []), ...s.when].map((w) => whenExpression(ctx, w));
  const common = {
    displayName: s.stageName,
    // Tekton has no task groups: the parallel stage's name travels in each branch's description.
    ...(group ? { description: `${BRANCH_OF}${JSON.stringify(group.stageName)}` } : {}),
    ...(runAfter.length ? { runAfter } : {}),
    ...(when.length ? { when } : {}),
    ...(s.retries > 0 ? { retries: s.retries } : {}),
    ...(s.timeout ? { timeout: s.timeout } : {}),
  };
  const approval = s.steps.find((st) => st.kind === StepKind.APPROVAL);
  if (approval) {
    const ct = ctx.approvals.customTask!;
    return pipeline.addTask(name, {
      ...common,
      taskRef: tekton.TaskRef.custom(ct.apiVersion, ct.kind),
      params: {
        approvers: tekton.ParamValue.array(approval.approvers),
        numberOfApprovalsRequired: tekton.ParamValue.string('1'),
        description: tekton.ParamValue.string(approval.message!),
      },
    });
  }
  const secrets = [...(group?.secrets ?? []), ...s.secrets];
  const axes = s.matrix?.axes.map((a) => a.name) ?? [];
  const t = taskSpec(ctx, name, s.steps, s.stepNames(), { ...ctx.p.environment, ...(group?.environment ?? {}), ...s.environment }, secrets, axes);
  let matrix: tekton.MatrixProps | undefined;
  if (s.matrix) {
    matrix = s.matrix.excludes.length === 0
      ? { params: Object.fromEntries(s.matrix.axes.map((a) => [a.name, tekton.ParamValue.array(a.values)])) }
      // Tekton has no exclude: list the remaining cells explicitly.
      : { include: s.matrix.cells().map((c, i) => ({ name: `cell-${i + 1}`, params: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, tekton.ParamValue.string(v)])) })) };
  }
  return pipeline.addTask(name, {
    ...common,
    taskSpec: t.task,
    params: t.params,
    workspaces: { [SOURCE_WORKSPACE]: ctx.ws },
    ...(matrix ? { matrix } : {}),
  });
}

function whenExpression(ctx: Ctx, w: When): tekton.WhenExpression {
  // "any tag" is `SOURCE_TAG notin ['']`; everything else is `in`; negation flips the operator.
  const anyTag = w.kind === WhenKind.TAG && w.values.length === 0;
  const input = ctx.params.get(w.kind === WhenKind.BRANCH ? SOURCE_PARAMS.BRANCH : w.kind === WhenKind.TAG ? SOURCE_PARAMS.TAG : w.param!.name)!.toString();
  const values = anyTag ? [''] : w.values;
  return anyTag !== w.negated ? tekton.WhenExpression.notIn(input, values) : tekton.WhenExpression.in(input, values);
}

/**
 * An inline Task for a list of steps. It declares every pipeline param (and the axes), which each step reads as an
 * env var of the same name: the portable promise that params are env vars, kept without putting `$(…)` in scripts.
 */
function taskSpec(ctx: Ctx, name: string, steps: Step[], names: string[], environment: Record<string, string>,
  stageSecrets: Secret[], axes: string[]): { task: tekton.Task; params: Record<string, tekton.ParamValue> } {
  const task = new tekton.Task(ctx.scope, `Task-${name}`, { name, inline: true });
  const workspace = task.addWorkspace(SOURCE_WORKSPACE);
  const taskParams = new Map<string, tekton.Param>();
  const params: Record<string, tekton.ParamValue> = {};
  const needsSource = steps.some((s) => s.kind === StepKind.CHECKOUT);
  for (const [pname, handle] of ctx.params) {
    const source = Object.values(SOURCE_PARAMS).includes(pname as any);
    if (source && !(needsSource && (pname === SOURCE_PARAMS.URL || pname === SOURCE_PARAMS.REVISION))) continue;
    taskParams.set(pname, task.addParam(pname));
    params[pname] = tekton.ParamValue.of(handle);
  }
  for (const a of axes) taskParams.set(a, task.addParam(a));
  steps.forEach((st, i) => {
    const c = st.container ? ctx.p.runsOn.container(st.container)! : ctx.p.runsOn.defaultContainer;
    const env: Record<string, tekton.EnvValue> = {};
    for (const [k, v] of Object.entries(environment)) env[k] = tekton.EnvValue.fromValue(v);
    for (const [k, v] of Object.entries(st.inputs)) env[k] = tekton.EnvValue.fromValue(v);
    for (const [k, h] of taskParams) {
      if (st.kind === StepKind.CHECKOUT || !Object.values(SOURCE_PARAMS).includes(k as any)) env[k] = tekton.EnvValue.fromExpression(h);
    }
    for (const sec of [...ctx.p.secrets, ...stageSecrets, ...st.secrets]) {
      for (const [variable, key] of Object.entries(sec.keys)) env[variable] = tekton.EnvValue.fromSecretKey(sec.kubernetesSecret, key);
    }
    task.addStep(names[i], {
      image: c.image,
      // Without a shebang Tekton runs `sh` with `set -e` (as Jenkins runs `sh -xe`); a custom shell keeps -e.
      script: c.shell ? `#!${c.shell} -e\n${st.script!}` : st.script!,
      workingDir: st.dir ? `${workspace.path}/${st.dir}` : workspace.path,
      env,
      computeResources: (c.resources ?? Resources.DEFAULT).toKubernetes(),
      securityContext: securityContext(c),
    });
  });
  return { task, params };
}

function securityContext(c: ContainerProps): tekton.SecurityContext {
  return c.runAsRoot
    ? { runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: false, dropCapabilities: ['ALL'], seccompProfile: 'RuntimeDefault' }
    : { runAsNonRoot: true, allowPrivilegeEscalation: false, dropCapabilities: ['ALL'], seccompProfile: 'RuntimeDefault' };
}
