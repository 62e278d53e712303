import { Construct, IConstruct } from 'constructs';
import type * as jenkins from '../jenkins';
import { addRules, Duration, fail, formatViolation, goDuration, Names, RuleViolation, show, SlipwayError, wholeSeconds } from '../core';
import { paramOfReference, scopeOf, StepScope, stepAccess, tektonVariables } from './access';
import { GraphStage, GraphStep, PipelineDiagram, PipelineGraph } from './graph';
import { Node, Resources } from './node';
import { Param } from './param';
import { PostCondition } from './post';
import { assertValues, constructId } from './refusals';
import { Secret } from './secret';
import { assertEnvironment, Stage, StageProps } from './stage';
import { Step, StepKind } from './step';
import { JenkinsTargetOptions, lowerToJenkins } from './to-jenkins';
import { lowerToTekton, TektonTarget, TektonTargetOptions } from './to-tekton';
import { WhenKind } from './when';

/** Props of {@link Pipeline}. */
export interface PipelineProps {
  /** Where the steps run. */
  readonly node: Node;
  /**
   * Pipeline name: a DNS-1123 label; names the Jenkinsfile, the Tekton Pipeline and the graph file.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Typed run parameters.
   * @default []
   */
  readonly params?: Param[];
  /**
   * Literal env vars for every step.
   * @default {}
   */
  readonly environment?: Record<string, string>;
  /**
   * Secrets for the steps that read them: a step whose script names a variable of the secret, or that lists it in
   * its own `secrets` (Jenkins `withCredentials` around those steps, Tekton `secretKeyRef` env on them). A secret
   * that reaches no step is an error (`secret-unread`).
   * @default []
   */
  readonly secrets?: Secret[];
  /**
   * Fails the whole run when it takes longer (Jenkins `options { timeout }`, Tekton PipelineRun `timeouts.pipeline`).
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
  /**
   * Write the stage graph as Mermaid to `<name>.mmd` in the output directory.
   * @default true
   */
  readonly diagram?: boolean;
}

/**
 * A CI/CD pipeline written once: a {@link Node} (where work runs), {@link Stage}s (what people see, in sequence, in
 * parallel or as a matrix) and {@link Step}s (units of work). `toJenkins()` and `toTekton()` lower it to a
 * Jenkinsfile and Tekton objects with the same meaning; what a backend cannot express is a synth error naming the
 * construct, the feature and the backend.
 */
export class Pipeline extends Construct {
  /** The pipeline name. */
  public readonly pipelineName: string;
  /** Where the steps run (the `node` prop; `node` itself is the construct tree node). */
  public readonly runsOn: Node;
  /** Literal env vars for every step. */
  public readonly environment: Record<string, string>;
  /** Timeout of the whole run. */
  public readonly timeout: Duration;
  private readonly paramList: Param[] = [];
  private readonly secretList: Secret[] = [];
  private readonly stageList: Stage[] = [];
  private readonly postSteps = new Map<PostCondition, Step[]>();
  private lowered = false;
  private readonly loweredTo = new Set<string>();

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, constructId(scope, id, 'pipeline', "new Pipeline(chart, 'ci', { … })"));
    assertValues(this, [props.node]);
    this.pipelineName = props.name ?? Names.toDnsLabel(id, 63, this);
    Names.assertDnsLabel(this, 'pipeline name', this.pipelineName);
    assertEnvironment(this, props.environment ?? {});
    this.runsOn = props.node;
    this.environment = { ...(props.environment ?? {}) };
    this.timeout = props.timeout ?? Duration.hours(1);
    if (wholeSeconds(this.timeout) < 1) {
      fail(this, 'timeout-positive', `pipeline timeout ${goDuration(this.timeout)} is shorter than a second`, 'use at least Duration.seconds(1)');
    }
    for (const p of props.params ?? []) this.addParam(p);
    for (const s of props.secrets ?? []) this.addSecret(s);
    if (props.diagram ?? true) {
      new PipelineDiagram(this, 'Diagram', { path: `${this.pipelineName}.mmd`, graph: () => this.graph() });
    }
    addRules(this, () => [
      ...(this.loweredTo.size > 0 ? [] : [{
        rule: 'pipeline-not-lowered',
        message: `pipeline ${show(this.pipelineName)} is never lowered, so synth would write neither a Jenkinsfile nor Tekton objects for it`,
        fix: 'call toJenkins() and/or toTekton() on the pipeline after adding its stages',
      }]),
      // A lowered model passed these checks and is sealed, so they cannot fail any more.
      ...(this.lowered ? [] : this.violations()).map((v) => ({ ...v.violation, message: `${v.path === this.node.path ? '' : `${v.path}: `}${v.violation.message}` })),
    ]);
  }

  /** Declares a run parameter. */
  public addParam(param: Param): Param {
    this.assertOpen();
    assertValues(this, [param]);
    if (this.paramList.some((p) => p.name.toLowerCase() === param.name.toLowerCase())) {
      fail(this, 'duplicate-param', `param ${show(param.name)} is declared twice (names compare case-insensitively)`, 'give each param its own name');
    }
    this.paramList.push(param);
    return param;
  }

  /** Adds a pipeline secret: bound for the steps that read it (see {@link PipelineProps.secrets}). */
  public addSecret(secret: Secret): Secret {
    this.assertOpen();
    assertValues(this, [secret]);
    this.secretList.push(secret);
    return secret;
  }

  /** Appends a stage (steps, optionally a matrix; or parallel branches via `addBranch()` on the result). */
  public addStage(id: string, props: StageProps = {}): Stage {
    this.assertOpen();
    if (RESERVED_CHILDREN.includes(id)) {
      fail(this, 'stage-id-reserved', `stage id ${show(id)} is the id of the pipeline's ${id === 'Diagram' ? 'graph file' : `${id} lowering`}`,
        `use another id and keep the name people see: addStage('${id}Stage', { name: '${id}' })`);
    }
    const stage = new Stage(this, id, props);
    this.stageList.push(stage);
    return stage;
  }

  /** Adds steps that run after all stages, when `condition` holds. */
  public addPost(condition: PostCondition, ...steps: Step[]): void {
    this.assertOpen();
    assertValues(this, steps);
    for (const s of steps) {
      if (s.kind === StepKind.APPROVAL) {
        fail(this, 'post-approval', `post ${condition} holds an approval`, 'approvals belong in a stage; post steps must not wait for people');
      }
    }
    this.postSteps.set(condition, [...(this.postSteps.get(condition) ?? []), ...steps]);
  }

  /**
   * Lowers the pipeline to a Jenkinsfile (child `Jenkinsfile`, written to `jenkins/<name>.Jenkinsfile`).
   * Checks the whole model first; afterwards the model is sealed.
   */
  public toJenkins(options: JenkinsTargetOptions = {}): jenkins.Jenkinsfile {
    this.assertNotLowered('Jenkinsfile', 'toJenkins()');
    this._checkAndSeal();
    this.loweredTo.add('Jenkinsfile');
    return lowerToJenkins(this, options);
  }

  /**
   * Lowers the pipeline to Tekton (children under `Tekton`: a Pipeline of inline Tasks, and a PipelineRun when
   * `run` is given). The pipeline must be inside a Chart. Checks the whole model first; afterwards it is sealed.
   * What Tekton cannot express (glob conditions, approvals without a mapping) fails with a `tekton-*` rule.
   */
  public toTekton(options: TektonTargetOptions = {}): TektonTarget {
    this.assertNotLowered('Tekton', 'toTekton()');
    this._checkAndSeal();
    this.loweredTo.add('Tekton');
    return lowerToTekton(this, options);
  }

  /** True once the first lowering checked and sealed the model. @internal */
  public get _sealed(): boolean {
    return this.lowered;
  }

  /** The params, in order. */
  public get params(): Param[] {
    return [...this.paramList];
  }

  /** The pipeline-level secrets. */
  public get secrets(): Secret[] {
    return [...this.secretList];
  }

  /** The stages, in order. */
  public get stages(): Stage[] {
    return [...this.stageList];
  }

  /** Post steps of a condition (empty if none). */
  public post(condition: PostCondition): Step[] {
    return [...(this.postSteps.get(condition) ?? [])];
  }

  /** The resolved names of a condition's post steps. */
  public postStepNames(condition: PostCondition): string[] {
    return resolveNames(this.post(condition));
  }

  /** The backend-neutral stage graph (what both backends must mean). */
  public graph(): PipelineGraph {
    const stage = (s: Stage, group?: Stage): GraphStage => {
      const scope = group ? scopeOf(this, group, s) : scopeOf(this, s);
      const names = s.stepNames();
      // Assigned one by one in the order written (optional keys in place): spreads of optional parts in a literal
      // take V8's slow generic copy, once per stage.
      const g: Record<string, unknown> = { name: s.stageName, when: s.when.map((w) => w.describe()) };
      if (s.timeout) g.timeoutSeconds = wholeSeconds(s.timeout);
      g.retries = s.retries;
      if (s.matrix) {
        g.matrix = Object.fromEntries(s.matrix.axes.map((a) => [a.name, a.values]));
        g.matrixCells = s.matrix.cells();
      }
      g.branches = s.branches.map((b) => stage(b, s));
      g.steps = s.steps.map((st, i) => this.graphStep(st, names[i], scope));
      return g as unknown as GraphStage;
    };
    const post: Record<string, GraphStep[]> = {};
    for (const c of [PostCondition.ALWAYS, PostCondition.SUCCESS, PostCondition.FAILURE]) {
      const steps = this.post(c);
      const names = this.postStepNames(c);
      if (steps.length) post[c] = steps.map((st, i) => this.graphStep(st, names[i], scopeOf(this)));
    }
    return {
      name: this.pipelineName,
      params: this.paramList.map((p) => ({ name: p.name, type: p.type, default: p.defaultValue })),
      stages: this.stageList.map((s) => stage(s)),
      post,
    };
  }

  /** Every broken whole-model rule, with the construct it is about. */
  public violations(): Array<{ path: string; violation: RuleViolation }> {
    const out: Array<{ path: string; violation: RuleViolation }> = [];
    const add = (scope: IConstruct, rule: string, message: string, fix: string) => out.push({ path: scope.node.path, violation: { rule, message, fix } });
    if (this.stageList.length === 0) add(this, 'pipeline-no-stages', `pipeline ${show(this.pipelineName)} has no stages`, 'add a stage with addStage()');
    const names = new Map<string, Stage>();
    const labels = new Map<string, string>([['post-always', 'post always'], ['post-success', 'post success'], ['post-failure', 'post failure']]);
    const paramNames = new Set(this.paramList.map((p) => p.name));
    const envOwners = new Map<string, string>();
    for (const p of this.paramList) envOwners.set(p.name, `param ${p.name}`);
    for (const k of Object.keys(this.environment)) {
      if (envOwners.has(k)) add(this, 'env-conflict', `env var ${show(k)} is also ${envOwners.get(k)}`, 'rename one of them');
    }
    const secretOwners = new Map<string, Secret>();
    const checkSecrets = (scope: IConstruct, secrets: Secret[]) => {
      for (const s of secrets) {
        for (const v of s.variables) {
          const other = secretOwners.get(v);
          if (other && other !== s && (other.credentialsId !== s.credentialsId || other.kubernetesSecret !== s.kubernetesSecret)) {
            add(scope, 'secret-variable-conflict', `secret variable ${show(v)} is bound to ${show(other.credentialsId)} and to ${show(s.credentialsId)}`,
              'use one variable name per secret');
          }
          secretOwners.set(v, s);
          if (envOwners.has(v) || Object.keys(this.environment).includes(v)) {
            add(scope, 'env-conflict', `secret variable ${show(v)} is also ${envOwners.get(v) ?? 'a pipeline env var'}`, 'rename one of them');
          }
        }
      }
    };
    checkSecrets(this, this.secretList);
    const checkSteps = (scope: IConstruct, steps: Step[], names: string[], axes: string[]) => {
      steps.forEach((st, i) => {
        const refs = st.kind === StepKind.RUN ? tektonVariables(st.script!) : [];
        if (refs.length > 0) {
          const param = refs.map(paramOfReference).find((x) => x !== undefined);
          add(scope, 'step-tekton-variable', `step ${show(names[i])} names ${refs.map((r) => show(r)).join(', ')} in its script: Tekton would substitute it `
            + 'before the shell runs (with no escape), and Jenkins would run it as a command', param !== undefined
            ? `read the param from its env var: "$${param}" (params reach steps as env vars on both engines)`
            : refs.some((r) => r.startsWith('$(workspaces')) ? 'steps start in the checkout: use "$PWD"'
              : 'the portable model has no such variable; for a command substitution, write "$( …)" with a space after "$("');
        }
        for (const a of st.axes) {
          if (!axes.includes(a)) {
            add(scope, 'step-axis-unknown', `step ${show(names[i])} is granted matrix axis ${show(a)}, which its stage does not have`,
              axes.length ? `grant one of ${show(axes)}` : 'drop axes from the step options: only steps of a matrix stage have axes');
          }
        }
        if (st.container !== undefined && !this.runsOn.container(st.container)) {
          add(scope, 'unknown-container', `step container ${show(st.container)} is not in the node`,
            `use one of ${show(this.runsOn.containers.map((c) => c.name))} or add it to the node`);
        }
        for (const p of st.params) {
          if (!paramNames.has(p.name)) add(scope, 'param-undeclared', `a step reads param ${show(p.name)}, which the pipeline does not declare`, 'declare it: add it to the params of the Pipeline props, or call pipeline.addParam(param) before lowering');
        }
        checkSecrets(scope, st.secrets);
      });
    };
    const visit = (s: Stage) => {
      const other = names.get(s.stageName);
      if (other) add(s, 'duplicate-stage-name', `stage name ${show(s.stageName)} is also used by ${other.node.path}`, 'give each stage its own name (Jenkins requires it)');
      names.set(s.stageName, s);
      const label = s._taskName;
      const owner = labels.get(label);
      if (owner !== undefined && owner !== s.stageName) {
        add(s, 'stage-name-collision', `stage name ${show(s.stageName)} and ${show(owner)} both become the Tekton task name ${show(label)}`, 'rename one of them');
      }
      labels.set(label, s.stageName);
      for (const k of Object.keys(s.environment)) {
        if (envOwners.has(k)) add(s, 'env-conflict', `env var ${show(k)} is also ${envOwners.get(k)}`, 'rename one of them');
      }
      checkSecrets(s, s.secrets);
      for (const w of s.when) {
        if (w.kind === WhenKind.PARAM && !this.paramList.includes(w.param!)) {
          add(s, 'param-undeclared', `a condition reads param ${show(w.param!.name)}, which the pipeline does not declare`, 'declare it: add it to the params of the Pipeline props, or call pipeline.addParam(param) before lowering');
        }
      }
      if (s.matrix) {
        for (const a of s.matrix.axes) {
          if (envOwners.has(a.name) || a.name in this.environment || a.name in s.environment) {
            add(s, 'env-conflict', `matrix axis ${show(a.name)} is also ${envOwners.get(a.name) ?? 'an env var'}`, 'rename one of them');
          }
        }
      }
      // Jenkins runs every branch and matrix cell in the one agent pod, so parallel image builds would share (and
      // overwrite) one kaniko filesystem; Tekton would give each its own pod. Refuse rather than differ.
      const builds = s.isParallel ? s.branches.filter((b) => b.steps.some((x) => x.buildsImage)).length
        : s.matrix && s.steps.some((x) => x.buildsImage) ? 2 : 0;
      if (builds > 1) {
        add(s, 'parallel-image-builds', `stage ${show(s.stageName)} builds images in parallel ${s.matrix ? 'matrix cells' : 'branches'}`,
          'build the images one after another in one stage: Jenkins runs parallel branches in one agent pod, so the builds would share one kaniko container');
      }
      if (s.isParallel) {
        if (s.timeout || s.retries > 0) {
          add(s, 'parallel-options', `parallel stage ${show(s.stageName)} has a timeout or retries`,
            'set them on the branches: Tekton has no task group to time or retry as one');
        }
        s.branches.forEach(visit);
      } else if (s.steps.length === 0) {
        add(s, 'stage-empty', `stage ${show(s.stageName)} has no steps and no branches`, 'add a step with addStep() or branches with addBranch()');
      }
      checkSteps(s, s.steps, s.stepNames(), s.matrix?.axes.map((a) => a.name) ?? []);
    };
    this.stageList.forEach(visit);
    for (const c of this.postSteps.keys()) checkSteps(this, this.post(c), this.postStepNames(c), []);
    // A pipeline or stage secret reaches only the steps that read it: one that reaches none would be dropped silently.
    // Equal variable and references mean the same secret, whichever object a step was granted.
    const key = (x: Secret) => JSON.stringify([x.variable, x.credentialsId, x.kubernetesSecret, x.keys]);
    const reached = new Set<string>();
    const reach = (steps: Step[], scope: StepScope) => steps.forEach((st) => stepAccess(st, scope).secrets.forEach((x) => reached.add(key(x))));
    for (const s of this.stageList) {
      if (s.isParallel) s.branches.forEach((b) => reach(b.steps, scopeOf(this, s, b)));
      else reach(s.steps, scopeOf(this, s));
    }
    for (const c of this.postSteps.keys()) reach(this.post(c), scopeOf(this));
    const unread = (scope: IConstruct, owner: string, secrets: Secret[]) => {
      for (const x of secrets) {
        if (reached.has(key(x))) continue;
        add(scope, 'secret-unread', `${owner} secret ${show(x.variable)} reaches no step: no step's script names ${x.variables.map((v) => show(v)).join(' or ')}`,
          `grant it to the steps that use it without naming it: Step.run(script, { secrets: [secret] }); or drop it from the ${owner}`);
      }
    };
    unread(this, 'pipeline', this.secretList);
    const visitSecrets = (s: Stage) => {
      unread(s, 'stage', s.secrets);
      s.branches.forEach(visitSecrets);
    };
    this.stageList.forEach(visitSecrets);
    return out;
  }

  /** Throws the violations (the first as the error's rule, every one in its message); lowering calls it so no backend sees a broken model. @internal */
  public _checkAndSeal(): void {
    if (this.lowered) return; // checked and sealed by the first lowering: nothing can have changed since
    const v = this.violations();
    if (v.length > 0) {
      const e = new SlipwayError(v[0].path, v[0].violation);
      if (v.length > 1) e.message += v.slice(1).map((x) => `\n${formatViolation(x.violation, x.path)}`).join('');
      throw e;
    }
    this.lowered = true;
    this.stageList.forEach((s) => s._seal());
  }

  private graphStep(st: Step, name: string, scope: StepScope): GraphStep {
    const container = st.kind === StepKind.APPROVAL ? undefined : (st.container ? this.runsOn.container(st.container) : this.runsOn.defaultContainer);
    const access = stepAccess(st, scope);
    return {
      name,
      kind: st.kind,
      container: container?.name ?? '',
      image: container?.image ?? '',
      resources: container ? (container.resources ?? Resources.DEFAULT).toKubernetes() : {},
      runAsRoot: container?.runAsRoot ?? false,
      dir: st.dir ?? '',
      text: st.kind === StepKind.RUN ? st.script! : st.kind === StepKind.APPROVAL ? st.message! : st.pattern ?? '',
      environment: st.kind === StepKind.APPROVAL ? {} : sortKeys(scope.environment),
      secrets: access.secrets.flatMap((s) => s.variables).sort(),
      params: [...access.params.map((p) => p.name), ...access.axes].sort(),
    };
  }

  private assertNotLowered(child: string, call: string): void {
    if (this.loweredTo.has(child)) {
      fail(this, 'duplicate-lowering', `pipeline ${show(this.pipelineName)} is already lowered with ${call}`,
        `call ${call} once per pipeline; for another variant, create another Pipeline`);
    }
  }

  private assertOpen(): void {
    if (this.lowered) {
      fail(this, 'pipeline-lowered', `pipeline ${show(this.pipelineName)} changed after it was lowered to a backend`,
        'finish the model before calling toJenkins()/toTekton()');
    }
  }
}

/** Ids of the pipeline's own children: the lowerings and the graph file. */
const RESERVED_CHILDREN = ['Jenkinsfile', 'Tekton', 'Diagram'];

/** Step names: explicit, or the kind's default numbered when it repeats. */
export function resolveNames(steps: Step[]): string[] {
  const counts = new Map<string, number>();
  return steps.map((s) => {
    if (s.name) return s.name;
    const n = (counts.get(s.defaultName) ?? 0) + 1;
    counts.set(s.defaultName, n);
    return n === 1 ? s.defaultName : `${s.defaultName}-${n}`;
  });
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
