import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show } from '../core';
import * as tekton from '../tekton';
import { kubernetesLiteral, scopeOf, StepScope, stepAccess, tektonVariables } from './access';
import { ContainerProps, Resources } from './node';
import type { Pipeline } from './pipeline';
import { PostCondition } from './post';
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
 * secrets reach scripts only through `env` (`$(params…)` values, `secretKeyRef`), never through the script text,
 * and each step gets only the params and secrets it reads.
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
  const ctx: Ctx = { p, scope, ws, params, approvals, containers: new Map(), templates: new Map() };

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
    const task = taskSpec(ctx, name, steps, p.postStepNames(c), scopeOf(p));
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
  /** Each container's flattened resources and security context, computed once for all the steps that use it. */
  readonly containers: Map<ContainerProps, { readonly resources: Record<string, string>; readonly securityContext: Record<string, unknown> }>;
  /** Step templates without env, shared by every task with the same one (by their JSON). */
  readonly templates: Map<string, tekton.StepTemplateProps>;
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
  // Env values are literal on both engines: Kubernetes' own `$(VAR)` is escaped, Tekton's variables cannot be.
  const environment = (scope: Construct, env: Record<string, string>) => {
    for (const [k, v] of Object.entries(env)) {
      const refs = tektonVariables(v);
      if (refs.length > 0) {
        fail(scope, 'tekton-variable-syntax', `env var ${k} value ${show(v)} contains ${refs.map((r) => show(r)).join(', ')}, which Tekton would substitute `
          + '(Jenkins keeps it literal)', 'drop the reference from the value (Tekton has no escape for it in env values): a param already reaches the '
          + 'steps that name it as an env var of its own name; or lower this pipeline to Jenkins only');
      }
    }
  };
  environment(p, p.environment);
  const visit = (s: Stage) => {
    environment(s, s.environment);
    // Tekton substitutes variables in a PipelineTask's displayName too; Jenkins shows the name as written.
    const named = tektonVariables(s.stageName);
    if (named.length > 0) {
      fail(s, 'tekton-variable-syntax', `stage name ${show(s.stageName)} contains ${named.map((r) => show(r)).join(', ')}, which Tekton would substitute in the task's displayName`,
        'write the name without "$(" (Tekton has no escape for it), or lower this pipeline to Jenkins only');
    }
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
          fail(s, 'tekton-approval-approvers', `stage ${show(s.stageName)}: the Tekton ApprovalTask needs approvers`, "list approvers: Step.approval({ message, approvers: ['release-managers'] })");
        }
        // The message is a param value of the ApprovalTask, where Tekton substitutes `$(…)`.
        substitution(s, `stage ${show(s.stageName)}: approval message`, [st.message!]);
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
  const name = s._taskName;
  const when = [...(group?.when ?? []), ...s.when].map((w) => whenExpression(ctx, w));
  // Set one by one: spreads of optional parts in a literal take V8's slow generic copy, once per stage.
  const common: { -readonly [K in keyof tekton.PipelineTaskProps]: tekton.PipelineTaskProps[K] } = { displayName: s.stageName };
  // Tekton has no task groups: the parallel stage's name travels in each branch's description.
  if (group) common.description = `${BRANCH_OF}${JSON.stringify(group.stageName)}`;
  if (runAfter.length) common.runAfter = runAfter;
  if (when.length) common.when = when;
  if (s.retries > 0) common.retries = s.retries;
  if (s.timeout) common.timeout = s.timeout;
  const approval = s.steps.find((st) => st.kind === StepKind.APPROVAL);
  if (approval) {
    const ct = ctx.approvals.customTask!;
    common.taskRef = tekton.TaskRef.custom(ct.apiVersion, ct.kind);
    common.params = {
      approvers: tekton.ParamValue.array(approval.approvers),
      numberOfApprovalsRequired: tekton.ParamValue.string('1'),
      description: tekton.ParamValue.string(approval.message!),
    };
    return pipeline.addTask(name, common);
  }
  const t = taskSpec(ctx, name, s.steps, s.stepNames(), group ? scopeOf(ctx.p, group, s) : scopeOf(ctx.p, s));
  let matrix: tekton.MatrixProps | undefined;
  if (s.matrix) {
    matrix = s.matrix.excludes.length === 0
      ? { params: Object.fromEntries(s.matrix.axes.map((a) => [a.name, tekton.ParamValue.array(a.values)])) }
      // Tekton has no exclude: list the remaining cells explicitly.
      : { include: s.matrix.cells().map((c, i) => ({ name: `cell-${i + 1}`, params: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, tekton.ParamValue.string(v)])) })) };
  }
  common.taskSpec = t.task;
  common.params = t.params;
  common.workspaces = { [SOURCE_WORKSPACE]: ctx.ws };
  if (matrix) common.matrix = matrix;
  return pipeline.addTask(name, common);
}

function whenExpression(ctx: Ctx, w: When): tekton.WhenExpression {
  // "any tag" is `SOURCE_TAG notin ['']`; everything else is `in`; negation flips the operator.
  const anyTag = w.kind === WhenKind.TAG && w.values.length === 0;
  const input = ctx.params.get(w.kind === WhenKind.BRANCH ? SOURCE_PARAMS.BRANCH : w.kind === WhenKind.TAG ? SOURCE_PARAMS.TAG : w.param!.name)!.toString();
  const values = anyTag ? [''] : w.values;
  return anyTag !== w.negated ? tekton.WhenExpression.notIn(input, values) : tekton.WhenExpression.in(input, values);
}

/** One env entry of a step, as data (so the step template can be found by comparing entries). */
type EnvEntry = { readonly literal: string } | { readonly param: string } | { readonly secret: string; readonly key: string };

/** A step's full container settings, before the step template takes what all steps share. */
interface StepSpec {
  readonly name: string;
  readonly image: string;
  readonly script: string;
  readonly workingDir: string;
  readonly env: Array<[string, EnvEntry]>;
  readonly resources: Record<string, string>;
  readonly securityContext: Record<string, unknown>;
}

/**
 * An inline Task for a list of steps. Each step gets only what it reads ({@link stepAccess}): the params and axes
 * its script names (as env vars of the same name, never `$(…)` in the script) and the secrets it names or is
 * granted. The Task declares only the params its steps read (and the matrix axes, which a matrix task must
 * declare). What every step shares goes into the `stepTemplate`, and each step carries only what differs.
 */
function taskSpec(ctx: Ctx, name: string, steps: Step[], names: string[], scope: StepScope): { task: tekton.Task; params: Record<string, tekton.ParamValue> } {
  const accesses = steps.map((st) => stepAccess(st, scope));
  const specs = steps.map((st, i): StepSpec => {
    const c = st.container ? ctx.p.runsOn.container(st.container)! : ctx.p.runsOn.defaultContainer;
    const env: Array<[string, EnvEntry]> = [];
    for (const [k, v] of [...Object.entries(scope.environment), ...Object.entries(st.inputs)]) env.push([k, { literal: kubernetesLiteral(v) }]);
    for (const p of accesses[i].params) env.push([p.name, { param: p.name }]);
    if (st.kind === StepKind.CHECKOUT) for (const p of [SOURCE_PARAMS.URL, SOURCE_PARAMS.REVISION]) env.push([p, { param: p }]);
    for (const a of accesses[i].axes) env.push([a, { param: a }]);
    for (const sec of accesses[i].secrets) for (const [variable, key] of Object.entries(sec.keys)) env.push([variable, { secret: sec.kubernetesSecret, key }]);
    let settings = ctx.containers.get(c);
    if (!settings) {
      const r = (c.resources ?? Resources.DEFAULT).toKubernetes();
      settings = { resources: flatten(r as Record<string, Record<string, string>>), securityContext: securityContext(c) as Record<string, unknown> };
      ctx.containers.set(c, settings);
    }
    return {
      name: names[i],
      image: c.image,
      // Without a shebang Tekton runs `sh` with `set -e` (as Jenkins runs `sh -xe`); a custom shell keeps -e.
      script: c.shell ? `#!${c.shell} -e\n${st.script!}` : st.script!,
      workingDir: st.dir ? `$(workspaces.${SOURCE_WORKSPACE}.path)/${st.dir}` : `$(workspaces.${SOURCE_WORKSPACE}.path)`,
      env,
      resources: settings.resources,
      securityContext: settings.securityContext,
    };
  });
  const template = stepTemplate(specs);
  const task = new tekton.Task(ctx.scope, `Task-${name}`, { name, inline: true, stepTemplate: templateProps(ctx, template) });
  task.addWorkspace(SOURCE_WORKSPACE);
  const params: Record<string, tekton.ParamValue> = {};
  // Pipeline params (and source params) some step reads, in declaration order; then the axes.
  const read = new Set(specs.flatMap((x) => x.env.filter(([, e]) => 'param' in e).map(([, e]) => (e as { param: string }).param)));
  for (const [pname, handle] of ctx.params) {
    if (!read.has(pname)) continue;
    task.addParam(pname);
    params[pname] = tekton.ParamValue.of(handle);
  }
  for (const a of scope.axes) task.addParam(a);
  const inTemplate = new Set(template.env.map(([k]) => k));
  specs.forEach((spec) => {
    const resources = unflatten(difference(spec.resources, template.resources));
    const sc = difference(spec.securityContext, template.securityContext);
    const env = spec.env.filter(([k]) => !inTemplate.has(k));
    task.addStep(spec.name, {
      image: spec.image,
      script: spec.script,
      ...(spec.workingDir !== template.workingDir ? { workingDir: spec.workingDir } : {}),
      ...(env.length ? { env: envOf(env) } : {}),
      ...(resources ? { computeResources: resources } : {}),
      ...(Object.keys(sc).length ? { securityContext: sc as tekton.SecurityContext } : {}),
    });
  });
  return { task, params };
}

/**
 * The step template props. Templates without env are shared, deeply frozen, by every task with the same one, so the
 * Task checks each distinct template once.
 */
function templateProps(ctx: Ctx, template: ReturnType<typeof stepTemplate>): tekton.StepTemplateProps {
  const build = (): tekton.StepTemplateProps => ({
    computeResources: unflatten(template.resources),
    securityContext: template.securityContext as tekton.SecurityContext,
    ...(template.workingDir !== undefined ? { workingDir: template.workingDir } : {}),
    ...(template.env.length ? { env: envOf(template.env) } : {}),
  });
  if (template.env.length > 0) return build();
  const key = JSON.stringify([template.resources, template.securityContext, template.workingDir ?? null]);
  let shared = ctx.templates.get(key);
  if (!shared) {
    shared = deepFreeze(JSON.parse(JSON.stringify(build()))) as tekton.StepTemplateProps;
    ctx.templates.set(key, shared);
  }
  return shared;
}

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

/** Env entries as Tekton env values; a param (declared by the task) is read as `$(params.X)` in `env` only. */
function envOf(entries: Array<[string, EnvEntry]>): Record<string, tekton.EnvValue> {
  const env: Record<string, tekton.EnvValue> = {};
  for (const [k, e] of entries) {
    env[k] = 'literal' in e ? tekton.EnvValue.fromValue(e.literal)
      : 'param' in e ? tekton.EnvValue.fromExpression(`$(params.${e.param})`)
        : tekton.EnvValue.fromSecretKey(e.secret, e.key);
  }
  return env;
}

/**
 * The step template: per field, the value every step has (the most common one, first on a tie), since Tekton merges
 * the template under each step field by field and a step cannot remove a field the template sets. In a multi-step
 * task the working directory goes there too (the most common one), and the env entries every step has.
 */
function stepTemplate(specs: StepSpec[]): { resources: Record<string, string>; securityContext: Record<string, unknown>; workingDir?: string; env: Array<[string, EnvEntry]> } {
  const multi = specs.length > 1;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const env = multi ? specs[0].env.filter(([k, e]) => specs.every((x) => x.env.some(([k2, e2]) => k2 === k && same(e2, e)))) : [];
  return {
    resources: shared(specs.map((x) => x.resources)) as Record<string, string>,
    securityContext: shared(specs.map((x) => x.securityContext)),
    // Every step has a working directory, so a step whose directory differs simply sets its own.
    ...(multi ? shared(specs.map((x) => ({ workingDir: x.workingDir }))) as { workingDir: string } : {}),
    env,
  };
}

/** For each key every record has: its most common value (the first seen on a tie). */
function shared(records: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // One record (a one-step task): every value is its own most common one.
  if (records.length === 1) return Object.assign(out, records[0]);
  for (const key of Object.keys(records[0])) {
    if (!records.every((r) => key in r)) continue;
    const counts = new Map<string, { value: unknown; n: number }>();
    for (const r of records) {
      const k = JSON.stringify(r[key]);
      const c = counts.get(k) ?? { value: r[key], n: 0 };
      c.n++;
      counts.set(k, c);
    }
    out[key] = [...counts.values()].reduce((best, c) => (c.n > best.n ? c : best)).value;
  }
  return out;
}

/** The fields of `full` the template does not set to the same value. */
function difference(full: Record<string, unknown>, template: Record<string, unknown>): Record<string, any> {
  return Object.fromEntries(Object.entries(full).filter(([k, v]) => template[k] !== v && JSON.stringify(template[k]) !== JSON.stringify(v)));
}

/** `{ requests: { cpu } }` ⇄ `{ 'requests.cpu' }`: Tekton merges resource maps key by key. */
function flatten(r: Record<string, Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).flatMap(([group, m]) => Object.entries(m).map(([k, v]) => [`${group}.${k}`, v])));
}

function unflatten(flat: Record<string, string>): tekton.ComputeResources | undefined {
  const out: Record<string, Record<string, string>> = {};
  for (const [path, v] of Object.entries(flat)) {
    const [group, k] = path.split('.');
    (out[group] ??= {})[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function securityContext(c: ContainerProps): tekton.SecurityContext {
  return c.runAsRoot
    ? { runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: false, dropCapabilities: ['ALL'], seccompProfile: 'RuntimeDefault' }
    : { runAsNonRoot: true, allowPrivilegeEscalation: false, dropCapabilities: ['ALL'], seccompProfile: 'RuntimeDefault' };
}
