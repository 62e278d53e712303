/** The Tekton `Task` (tekton.dev/v1): steps, params, results, workspaces, volumes, sidecars and a secure step template. */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps, constructId, Names, RuleViolation, Violations, addRules, assertValue, fail, show } from '../core';
import { Param, TASK_CONTEXT, TaskResult, VariableRef, Workspace, scanRefs } from './expressions';
import {
  ParamDecl, ParamProps, PropagatedParam, RefPlacement, checkParamRef, declareParam, declaredParams, findParam, renderParamSpecs,
} from './params';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { RenderedObject } from './rendered-object';
import { containerSecurityContext, mergeSecurityContext } from './security-context';
import {
  ContainerProps, SidecarProps, Step, StepProps, checkContainer, checkInjection, containerValueViolations, checkKnownFields, checkStep, containerStrings, renderContainer, renderProperties,
  renderSidecar, renderStep,
} from './step';
import { TaskInterface, TaskRef } from './task-ref';
import {
  ApiFields, ComputeResources, FeatureFlags, ParamType, SECURE_SECURITY_CONTEXT, SecurityContext, Volume, apiFieldsAllow, clean,
  featureEnabled, nonEmpty,
} from './values';

/** The step template: defaults every step inherits. */
export interface StepTemplateProps extends ContainerProps {}

/** Props of {@link Task}. */
export interface TaskProps extends MetadataProps {
  /**
   * `metadata.name`: the name pipelines reference.
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
   * Do not emit a Task document: use this Task only as an inline `taskSpec` of a pipeline task or TaskRun.
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
  /**
   * Defaults for every step. Its security context defaults to the "restricted" profile (non-root, no privilege
   * escalation, drop ALL, seccomp RuntimeDefault) and its requests to 100m CPU / 128Mi memory.
   * @default a secure template
   */
  readonly stepTemplate?: StepTemplateProps;
}

/** A task workspace declaration. */
export interface WorkspaceProps {
  /**
   * What the workspace holds.
   * @default none
   */
  readonly description?: string;
  /**
   * Where steps see it.
   * @default /workspace/<name>
   */
  readonly mountPath?: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Runs may leave it unbound (check `$(workspaces.<name>.bound)`).
   * @default false
   */
  readonly optional?: boolean;
}

/** A task result declaration. */
export interface ResultProps {
  /**
   * The type (array and object results are consumed whole or by index/key).
   * @default ParamType.STRING
   */
  readonly type?: ParamType;
  /**
   * What it holds.
   * @default none
   */
  readonly description?: string;
  /**
   * Keys of an object result.
   * @default none
   */
  readonly properties?: string[];
  /**
   * Take the value from a step result: `step.result('digest')` (`$(steps.<step>.results.<name>)`).
   * @default the step writes `$(results.<name>.path)`
   */
  readonly value?: string;
}

const RESULT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DEFAULT_REQUESTS: ComputeResources = { requests: { cpu: '100m', memory: '128Mi' } };

interface WorkspaceDecl { readonly name: string; readonly props: WorkspaceProps }
interface ResultDecl { readonly name: string; readonly type: ParamType; readonly props: ResultProps }

/**
 * A Tekton Task. Declare params, results and workspaces with `addParam`/`addResult`/`addWorkspace` (each returns a
 * handle that renders to its `$(…)` expression) and steps with `addStep`.
 */
export class Task extends Construct {
  /** The Task name (`metadata.name`). */
  public readonly name: string;
  /** True when the Task is only used inline. */
  public readonly inline: boolean;
  /** The API fields the cluster enables. */
  public readonly apiFields: ApiFields;
  private readonly props: TaskProps;
  private readonly params: ParamDecl[] = [];
  private readonly results: ResultDecl[] = [];
  private readonly workspaces: WorkspaceDecl[] = [];
  private readonly steps: Step[] = [];
  private readonly sidecars: Array<{ name: string; props: SidecarProps; securityContext?: SecurityContext }> = [];
  private readonly volumes: Volume[] = [];
  /** Names already taken, so each add checks uniqueness in O(1). */
  private readonly stepNames = new Map<string, Step>();
  /** Made by the first add: most tasks have no sidecars, results or volumes. */
  private sidecarNames?: Set<string>;
  private resultNames?: Set<string>;
  private readonly workspaceNames = new Set<string>();
  private volumeNames?: Set<string>;
  private readonly templateSecurityContext: SecurityContext;
  /** Bumped by every add*(): the scan below is reused until the Task changes. */
  private revision = 0;
  private scanCache?: TaskScan;

  constructor(scope: Construct, id: string, props: TaskProps = {}) {
    super(scope, constructId(scope, id, 'task', "new Task(chart, 'build')"));
    assertProps(this, props);
    this.props = props;
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    this.inline = props.inline ?? false;
    this.apiFields = props.apiFields ?? ApiFields.BETA;
    checkResourceName(this, this.name);
    checkMetadata(this, props);
    this.templateSecurityContext = props.stepTemplate?.securityContext ?? SECURE_SECURITY_CONTEXT;
    const template = props.stepTemplate;
    if (!template || !checkedTemplates.has(template)) {
      if (template?.securityContext?.privileged) {
        fail(this, 'privileged-step', 'the step template asks for privileged containers',
          'set privileged only on the step that needs it, with allowPrivileged: true');
      }
      if (template) {
        checkKnownFields(this, 'stepTemplate', 'the step template', template);
        checkInjection(this, 'the step template', template);
        assertValue(this, containerValueViolations('the step template', template));
      }
      containerSecurityContext(this, 'stepTemplate', this.name, this.templateSecurityContext, undefined, {});
      if (template && deepFrozen(template)) checkedTemplates.add(template);
    }
    if (!this.inline) {
      new RenderedObject(this, 'Resource', {
        apiVersion: 'tekton.dev/v1',
        kind: 'Task',
        metadata: { name: this.name, ...renderMetadata(props) },
      }, () => this.renderSpec());
    }
    addRules(this, () => this.validateSpec());
  }

  /** Declares a param; returns its handle (`$(params.<name>)`). */
  public addParam(name: string, props: ParamProps = {}): Param {
    const decl = declareParam(this, this.params, name, props, this.apiFields, this.props.featureFlags);
    this.revision++;
    return new Param(name, decl.type, decl.keys);
  }

  /** Declares a result; returns its handle (`path` is where a step writes it). */
  public addResult(name: string, props: ResultProps = {}): TaskResult {
    if (!RESULT_NAME.test(name)) {
      fail(this, 'result-name-format', `result name ${show(name)} does not match ${RESULT_NAME.source}`,
        'use letters, digits, -, _ and ., starting and ending with a letter or digit');
    }
    if (this.resultNames?.has(name)) {
      fail(this, 'result-name-unique', `result ${show(name)} is declared twice`, 'give each result its own name');
    }
    const type = props.type ?? ParamType.STRING;
    if (type === ParamType.OBJECT && !props.properties?.length) {
      fail(this, 'result-object-properties', `object result ${show(name)} declares no properties`, 'list its keys in properties');
    }
    if (props.value !== undefined && !/^\$\(steps\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.results\.[^.()\s]+\)$/.test(props.value)) {
      fail(this, 'result-value-format', `result ${show(name)} has value ${show(props.value)}`,
        "use a step result reference, step.result('x'), which renders $(steps.<step>.results.<name>)");
    }
    this.results.push({ name, type, props });
    (this.resultNames ??= new Set()).add(name);
    this.revision++;
    return new TaskResult(name, type);
  }

  /** Declares a workspace; returns its handle (`$(workspaces.<name>.path)`). */
  public addWorkspace(name: string, props: WorkspaceProps = {}): Workspace {
    if (!Names.isDnsLabel(name)) {
      fail(this, 'workspace-name', `workspace name ${show(name)} is not a valid DNS-1123 label`, 'use lowercase letters, digits and -');
    }
    if (this.workspaceNames.has(name)) {
      fail(this, 'workspace-name-unique', `workspace ${show(name)} is declared twice`, 'give each workspace its own name');
    }
    this.workspaces.push({ name, props });
    this.workspaceNames.add(name);
    this.revision++;
    return new Workspace(name, props.optional ?? false);
  }

  /** Adds a volume (for `volumeMounts`). */
  public addVolume(volume: Volume): void {
    assertProps(this, volume);
    if (this.volumeNames?.has(volume.name)) {
      fail(this, 'volume-name-unique', `volume ${show(volume.name)} is added twice`, 'give each volume its own name');
    }
    this.volumes.push(volume);
    (this.volumeNames ??= new Set()).add(volume.name);
    this.revision++;
  }

  /**
   * Adds a step; returns its handle (`result(name)` for step results). A step added without a name
   * (`addStep({ ... })`) gets the name Tekton itself gives unnamed steps, `unnamed-<index>` (container
   * `step-unnamed-<index>`): the v1 CRD schema makes `name` required, so the API server refuses a step without one.
   */
  public addStep(name: string, props: StepProps): Step;
  public addStep(props: StepProps): Step;
  public addStep(nameOrProps: string | StepProps, maybeProps?: StepProps): Step {
    const named = typeof nameOrProps === 'string';
    const props = (named ? maybeProps : nameOrProps) as StepProps;
    // Tekton names the container of an unnamed step `step-unnamed-<index>`.
    const name = named ? nameOrProps : `unnamed-${this.steps.length}`;
    assertProps(this, props);
    const sc = checkStep(this, name, props, this.props.stepTemplate?.image !== undefined, this.templateSecurityContext, named);
    if (!apiFieldsAllow(this.apiFields, ApiFields.ALPHA)) {
      if (props.script?.startsWith('#!win')) {
        fail(this, 'alpha-feature', `step ${show(name)} uses a #!win script, an alpha feature, but apiFields is ${show(this.apiFields)}`,
          'set apiFields: ApiFields.ALPHA (and enable-api-fields: alpha on the cluster), or use a POSIX shebang');
      }
      if (props.stdoutPath !== undefined || props.stderrPath !== undefined) {
        fail(this, 'alpha-feature', `step ${show(name)} captures stdout/stderr to a path, an alpha feature, but apiFields is ${show(this.apiFields)}`,
          'set apiFields: ApiFields.ALPHA, or write the output to the path in the script');
      }
    }
    if (props.when?.some((w) => w.isCel) && !featureEnabled(this.apiFields, this.props.featureFlags, 'enableCelInWhenExpression')) {
      fail(this, 'alpha-feature', `step ${show(name)} uses a CEL when expression, which needs enable-cel-in-whenexpression, but it is off`,
        'set featureFlags: { enableCelInWhenExpression: true } (and the flag on the cluster), or use WhenExpression.in()');
    }
    if (this.stepNames.has(name)) {
      fail(this, 'step-name-unique', `step ${show(name)} is added twice`, 'give each step its own name');
    }
    const step = new Step(name, props, named, sc);
    this.steps.push(step);
    this.stepNames.set(name, step);
    this.revision++;
    return step;
  }

  /** Adds a sidecar. Tekton merges no template into sidecars, so slipway writes the restricted context on each. */
  public addSidecar(name: string, props: SidecarProps): void {
    assertProps(this, props);
    const own = checkContainer(this, 'sidecar', name, props, SECURE_SECURITY_CONTEXT);
    if (name === 'tekton-log-results') {
      fail(this, 'sidecar-name-reserved', 'sidecar name "tekton-log-results" is reserved by Tekton', 'pick another name');
    }
    if (!props.image) fail(this, 'step-image-required', `sidecar ${show(name)} has no image`, 'set image');
    if (this.sidecarNames?.has(name)) {
      fail(this, 'step-name-unique', `sidecar ${show(name)} is added twice`, 'give each sidecar its own name');
    }
    this.sidecars.push({ name, props, securityContext: mergeSecurityContext(SECURE_SECURITY_CONTEXT, own) });
    (this.sidecarNames ??= new Set()).add(name);
    this.revision++;
  }

  /** The handle of a declared param. */
  public param(name: string): Param {
    const p = findParam(this.params, name);
    if (!p) fail(this, 'param-undeclared', `task ${show(this.name)} has no param ${show(name)}`, 'declare it with addParam');
    return new Param(p.name, p.type, p.keys);
  }

  /** What this Task expects and offers (for checks of pipeline tasks and runs). */
  public get interface(): TaskInterface {
    const scan = this.scan;
    return scan.interface ??= {
      params: declaredParams(this.params, scan.allStrings),
      workspaces: this.workspaces.map((w) => ({ name: w.name, optional: w.props.optional ?? false })),
      results: this.results.map((r) => ({ name: r.name, type: r.type })),
    };
  }

  /** A `taskRef` to this Task by name, carrying its interface. */
  public get ref(): TaskRef {
    if (this.inline) {
      fail(this, 'inline-task-ref', `task ${show(this.name)} is inline, so it has no document to reference`,
        'pass it as taskSpec, or drop inline: true');
    }
    return TaskRef.lazy(this.name, () => this.interface);
  }

  /** @internal Every step's security context after Tekton's stepTemplate merge, and every sidecar's as written. */
  public get mergedSecurityContexts(): Array<{ readonly what: string; readonly securityContext: SecurityContext }> {
    return [
      ...this.steps.map((s) => ({ what: `step ${show(s.name)}`, securityContext: mergeSecurityContext(this.templateSecurityContext, s.securityContext) })),
      ...this.sidecars.map((s) => ({ what: `sidecar ${show(s.name)}`, securityContext: s.securityContext ?? {} })),
    ];
  }

  /** @internal Labels and annotations, for a pipeline task's embedded `taskSpec.metadata`. */
  public get embeddedMetadata(): MetadataProps {
    return renderMetadata(this.props);
  }

  /** The rendered `spec` (also used as an inline `taskSpec`). */
  public renderSpec(): any {
    const t = this.props.stepTemplate ?? {};
    // Object.assign, not `{ ...t, more }`: a leading spread with more keys is ~50x slower in Node 20's V8.
    const stepTemplate = renderContainer(Object.assign({}, t, {
      computeResources: t.computeResources ?? DEFAULT_REQUESTS,
      securityContext: this.templateSecurityContext,
    }));
    return clean({
      displayName: this.props.displayName,
      description: this.props.description,
      params: renderParamSpecs(this.params),
      workspaces: nonEmpty(this.workspaces.map((w) => ({
        name: w.name, description: w.props.description, mountPath: w.props.mountPath, readOnly: w.props.readOnly,
        optional: w.props.optional,
      }))),
      results: nonEmpty(this.results.map((r) => ({
        name: r.name, type: r.type, description: r.props.description, value: r.props.value,
        properties: renderProperties(r.props.properties),
      }))),
      volumes: nonEmpty(this.volumes.map((v) => v.toJson())),
      stepTemplate,
      steps: this.steps.map((s) => renderStep(s)),
      sidecars: nonEmpty(this.sidecars.map((s) => renderSidecar(s.name, s.props, s.securityContext))),
    });
  }

  /**
   * Params this inline Task reads without declaring them: the Pipeline task or TaskRun that embeds it must
   * provide them (Tekton propagates params into inline specs).
   */
  public get propagatedParams(): PropagatedParam[] {
    if (!this.inline) return [];
    return [...this.refChecks.propagatedParams];
  }

  /** Workspaces this inline Task reads without declaring them: only a run with an embedded spec propagates them. */
  public get propagatedWorkspaces(): PropagatedParam[] {
    if (!this.inline) return [];
    return [...this.refChecks.propagatedWorkspaces];
  }

  /**
   * The reference rules of every step and sidecar, and the params and workspaces an inline Task propagates: one walk
   * per revision, shared by validateSpec and the pipelines and runs that embed the Task.
   */
  private get refChecks(): RefChecks {
    const scan = this.scan;
    if (!scan.refChecks) {
      const params: PropagatedParam[] = [];
      const workspaces: PropagatedParam[] = [];
      const violations = scan.containers.map((c) => {
        const v = new Violations();
        this.checkRefs(v, c.what, c, params, c.sidecar ? [] : workspaces);
        return v.all;
      });
      // Read from outside, a propagated reference names this task too.
      const outside = (list: PropagatedParam[]) => list.map((x) => ({ name: x.name, where: `task ${show(this.name)} ${x.where}`, text: x.text }));
      scan.refChecks = { violations, propagatedParams: outside(params), propagatedWorkspaces: outside(workspaces) };
    }
    return scan.refChecks;
  }

  /** Every string of every step and sidecar, with where it sits (for result-reference scans by pipelines). */
  public get allStrings(): string[] {
    return [...this.scan.allStrings];
  }

  /** @internal The `$(tasks.<name>.results…)` references in the steps and sidecars (pipelines read them). */
  public get taskRefs(): readonly VariableRef[] {
    return this.scan.taskRefs;
  }

  /** Every container string with its references, scanned once per revision and shared by the rules. */
  private get scan(): TaskScan {
    if (this.scanCache?.revision === this.revision) return this.scanCache;
    const containers: ScannedContainer[] = [];
    const allStrings: string[] = [];
    const taskRefs: VariableRef[] = [];
    const add = (what: string, step: Step, sidecar: boolean) => {
      const strings = containerStrings(step.props).map((x) => {
        const refs = scanRefs(x.text);
        allStrings.push(x.text);
        for (const r of refs) if (r.prefix === 'tasks') taskRefs.push(r);
        return { field: x.field, text: x.text, refs };
      });
      containers.push({ what, step, sidecar, strings });
    };
    for (const s of this.steps) add(`step ${show(s.name)}`, s, false);
    for (const s of this.sidecars) add(`sidecar ${show(s.name)}`, new Step(s.name, s.props), true);
    this.scanCache = { revision: this.revision, containers, allStrings, taskRefs };
    return this.scanCache;
  }

  private validateSpec(): RuleViolation[] {
    const v = new Violations();
    if (this.steps.length === 0) {
      v.add('task-steps-required', `task ${show(this.name)} has no steps`, 'add at least one with addStep()');
    }
    const mounts = new Map<string, string>();
    for (const w of this.workspaces) {
      const path = w.props.mountPath ?? `/workspace/${w.name}`;
      const other = mounts.get(path);
      if (other) {
        v.add('workspace-mount-path', `workspaces ${show(other)} and ${show(w.name)} both mount at ${show(path)}`,
          'give one of them another mountPath');
      }
      mounts.set(path, `workspace ${w.name}`);
    }
    const containers: Array<{ what: string; props: StepProps }> = [
      ...(this.props.stepTemplate ? [{ what: 'stepTemplate', props: this.props.stepTemplate as StepProps }] : []),
      ...this.steps.map((s) => ({ what: `step ${show(s.name)}`, props: s.props })),
      ...this.sidecars.map((s) => ({ what: `sidecar ${show(s.name)}`, props: s.props as StepProps })),
    ];
    for (const c of containers) {
      for (const m of c.props.volumeMounts ?? []) {
        if (!this.volumeNames?.has(m.name)) {
          v.add('volume-mount-undeclared', `${c.what} mounts volume ${show(m.name)}, which the task does not declare`,
            'add it with addVolume(Volume.emptyDir(...)) or fix the name');
        }
        const owner = mounts.get(m.mountPath);
        if (owner?.startsWith('workspace')) {
          v.add('workspace-mount-path', `${c.what} mounts ${show(m.name)} at ${show(m.mountPath)}, where ${owner} is mounted`,
            'mount it elsewhere or change the workspace mountPath');
        }
      }
      for (const w of c.props.workspaces ?? []) {
        if (!this.workspaceNames.has(w.name)) {
          v.add('step-workspace-undeclared', `${c.what} mounts workspace ${show(w.name)}, which the task does not declare`,
            `declare it with addWorkspace(${show(w.name)})`);
        }
      }
    }
    const refViolations = this.refChecks.violations;
    const addAll = (list: RuleViolation[]) => list.forEach((x) => v.add(x.rule, x.message, x.fix));
    for (const [i, s] of this.steps.entries()) {
      addAll(refViolations[i]);
      const known = s.props.ref?.stepActionInterface;
      const given = Object.keys(s.props.params ?? {});
      const missing = (known?.params ?? []).filter((p) => !p.hasDefault && !given.includes(p.name)).map((p) => p.name);
      if (missing.length > 0) {
        v.add('step-action-missing-param', `step ${show(s.name)} does not pass ${show(missing)}, which the StepAction requires`,
          "add them to the step's params");
      }
    }
    for (const [i, c] of this.scan.containers.entries()) if (c.sidecar) addAll(refViolations[i]);
    for (const r of this.results) {
      const ref = r.props.value ? scanRefs(r.props.value)[0] : undefined;
      if (ref) this.checkStepResultRef(v, `result ${show(r.name)}`, ref.parts[0], ref.parts[2]);
    }
    return v.all;
  }

  private checkStepResultRef(v: Violations, where: string, stepName: string, result: string): void {
    const step = this.stepNames.get(stepName);
    if (!step || !step.props.results || !(result in step.props.results)) {
      v.add('step-result-undeclared', `${where} reads result ${show(result)} of step ${show(stepName)}, which is not declared`,
        'declare it in that step\'s results, or fix the names');
    }
  }

  private checkRefs(v: Violations, what: string, container: ScannedContainer, propagated: PropagatedParam[] = [],
    propagatedWorkspaces: PropagatedParam[] = []): void {
    const step = container.step;
    for (const { field, text, refs } of container.strings) {
      for (const ref of refs) {
        const where = `${what} field ${field}`;
        switch (ref.prefix) {
          case 'params':
            if (field === 'params') break; // handed to a StepAction: checked there
            checkParamRef(v, where, ref, text, this.params,
              field === 'command' || field === 'args' ? RefPlacement.ISOLATED_LIST
                : field === 'when' ? RefPlacement.PARAM_VALUE : field === 'when-input' ? RefPlacement.WHEN_INPUT : RefPlacement.STRING,
              this.inline ? propagated : undefined);
            break;
          case 'inputs':
          case 'outputs':
            if (!apiFieldsAllow(this.apiFields, ApiFields.ALPHA)) {
              v.add('alpha-feature', `${where} uses artifact reference ${ref.text}; artifacts are alpha (enable-artifacts)`,
                'set apiFields: ApiFields.ALPHA and enable-artifacts on the cluster, or pass the value as a result');
            }
            break;
          case 'results':
            if (!this.resultNames?.has(ref.parts[0])) {
              v.add('result-undeclared', `${where} uses ${ref.text}, but the task declares no result ${show(ref.parts[0])}`,
                `declare it with addResult(${show(ref.parts[0])})`);
            }
            break;
          case 'step':
            if (!step.props.results || !(ref.parts[1] in step.props.results)) {
              v.add('step-result-undeclared', `${where} uses ${ref.text}, but the step declares no result ${show(ref.parts[1])}`,
                'declare it in the step\'s results');
            }
            break;
          case 'steps':
            // `$(steps.step-<name>.exitCode.path)` and friends are other step variables: no result rules apply.
            if (ref.parts[1] !== 'results') break;
            if (!['env', 'command', 'args'].includes(field)) {
              v.add('step-result-placement', `${where} uses ${ref.text}; step results may only be read in env, command or args`,
                'pass it through env and read the variable');
            }
            this.checkStepResultRef(v, where, ref.parts[0], ref.parts[2]);
            break;
          case 'context':
            if (!TASK_CONTEXT.has(ref.parts.join('.'))) {
              v.add('context-variable', `${where} uses ${ref.text}, which is not a task context variable`,
                `use one of ${[...TASK_CONTEXT].map((c) => `$(context.${c})`).join(', ')}`);
            }
            break;
          case 'workspaces':
            if (!this.workspaceNames.has(ref.parts[0]) && this.inline) {
              // Runs with embedded specs propagate their workspaces; the run checks it binds this one.
              propagatedWorkspaces.push({ name: ref.parts[0], where, text: ref.text });
            } else if (!this.workspaceNames.has(ref.parts[0])) {
              v.add('workspace-ref-undeclared', `${where} uses ${ref.text}, but the task declares no workspace ${show(ref.parts[0])}`,
                `declare it with addWorkspace(${show(ref.parts[0])})`);
            }
            break;
          default:
            break;
        }
      }
    }
  }
}

/** One step or sidecar with its strings and the references each holds. */
interface ScannedContainer {
  readonly what: string;
  readonly step: Step;
  readonly sidecar: boolean;
  readonly strings: ReadonlyArray<{ readonly field: string; readonly text: string; readonly refs: VariableRef[] }>;
}

/** What the rules of one Task revision share, computed on first use. */
interface TaskScan {
  readonly revision: number;
  readonly containers: ScannedContainer[];
  readonly allStrings: string[];
  interface?: TaskInterface;
  refChecks?: RefChecks;
  readonly taskRefs: VariableRef[];
}

/** What the reference rules found in one Task revision. */
interface RefChecks {
  /** The violations of each scanned container, in scan order. */
  readonly violations: RuleViolation[][];
  readonly propagatedParams: PropagatedParam[];
  readonly propagatedWorkspaces: PropagatedParam[];
}

/**
 * Step templates that passed the Task's template checks. Only deeply frozen ones are remembered: they cannot change,
 * so the many Tasks that share one (the inline tasks a portable pipeline lowers to) check it once.
 */
const checkedTemplates = new WeakSet<StepTemplateProps>();

/** True if `x` and every object and array inside it are frozen (primitives count as frozen). */
function deepFrozen(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return true;
  if (!Object.isFrozen(x)) return false;
  for (const v of Array.isArray(x) ? x : Object.values(x)) if (!deepFrozen(v)) return false;
  return true;
}

/** `metadata.name` of every Tekton object: a DNS-1123 subdomain of at most 63 characters. */
export function checkResourceName(scope: Construct, name: string): void {
  if (name.length > 63 || !Names.isDnsSubdomain(name)) {
    fail(scope, 'resource-name', `invalid resource name ${show(name)}: must be a DNS-1123 subdomain of at most 63 characters`,
      'use lowercase letters, digits, - and ., starting and ending with a letter or digit');
  }
}

/** Sets `metadata.generateName` instead of a fixed name (runs: every apply creates a new run). */
export function useGenerateName(obj: ApiObject, prefix: string): void {
  obj.addJsonPatch(JsonPatch.remove('/metadata/name'), JsonPatch.add('/metadata/generateName', prefix));
}
