/** Steps and sidecars of a Task: props, eager checks and rendering. */
import { IConstruct } from 'constructs';
import {
  Duration, Names, RuleViolation, assertValue, checkedValue, rethrowRefusal, envNameViolations, fail, goDuration, imageViolations, integerViolations, quantityViolations, show,
} from '../core';
import { injectableRefs, shellCodeInjections } from './injection';
import { Probe } from './probe';
import { containerSecurityContext } from './security-context';
import { WhenExpression } from './when';
import { Resolver } from './resolver';
import {
  ComputeResources, EnvFrom, EnvValue, ImagePullPolicy, OnError, ParamType, ParamValue, SecurityContext,
  VolumeMount, checkParamValues, nonEmpty, renderParams, renderSecurityContext,
} from './values';

/** Interface of a StepAction, as far as a referencing step needs it. */
export interface StepActionInterface {
  /** Declared params: name and whether it has a default. */
  readonly params: ReadonlyArray<{ readonly name: string; readonly hasDefault: boolean }>;
}

/** Which StepAction a step runs (`steps[].ref`). */
export class StepActionRef {
  /** A StepAction in the same namespace, by name; with its interface, missing params are caught at synth. */
  public static named(name: string, stepActionInterface?: StepActionInterface): StepActionRef {
    return new StepActionRef({ name }, stepActionInterface && (() => stepActionInterface));
  }

  /** @internal A reference whose interface is read at synth, so params added later still count. */
  public static lazy(name: string, stepActionInterface: () => StepActionInterface): StepActionRef {
    return new StepActionRef({ name }, stepActionInterface);
  }

  /** A StepAction fetched by a resolver. */
  public static resolve(resolver: Resolver): StepActionRef {
    return checkedValue(() => rethrowRefusal(resolver), () => new StepActionRef(resolver.toJson('stepaction')));
  }

  private readonly interfaceOf?: () => StepActionInterface;

  private constructor(private readonly json: any, iface?: () => StepActionInterface) {
    this.interfaceOf = iface;
  }

  /** The StepAction's params, when known (read at synth, so params added later count). */
  public get stepActionInterface(): StepActionInterface | undefined {
    return this.interfaceOf?.();
  }

  /** The JSON form. */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.json));
  }
}

/** A step result declaration. */
export interface StepResultProps {
  /**
   * The result type.
   * @default ParamType.STRING
   */
  readonly type?: ParamType;
  /**
   * What the result holds.
   * @default none
   */
  readonly description?: string;
  /**
   * Object keys, for object results.
   * @default none
   */
  readonly properties?: string[];
}

/** A step's own mount of a task workspace (isolated workspaces, beta). */
export interface StepWorkspace {
  /** The task workspace name. */
  readonly name: string;
  /**
   * Where to mount it in this step only.
   * @default the workspace's mount path
   */
  readonly mountPath?: string;
}

/** Fields shared by steps, sidecars and the step template. */
export interface ContainerProps {
  /**
   * The container image; pin it by digest in production.
   * @default the step template's image
   */
  readonly image?: string;
  /**
   * The entrypoint. Not with `script`.
   * @default the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments. Kubernetes expands `$(VAR)` here too; write `$$(` for a literal.
   * @default none
   */
  readonly args?: string[];
  /**
   * Working directory.
   * @default the image's
   */
  readonly workingDir?: string;
  /**
   * Environment variables. This is where params and results go: `EnvValue.fromExpression(param)`,
   * then read `"$NAME"` in the script.
   * @default none
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Whole ConfigMaps or Secrets as environment (every key becomes a variable).
   * @default none
   */
  readonly envFrom?: EnvFrom[];
  /**
   * CPU and memory.
   * @default the step template's
   */
  readonly computeResources?: ComputeResources;
  /**
   * Volume mounts.
   * @default none
   */
  readonly volumeMounts?: VolumeMount[];
  /**
   * The container security context. `privileged: true` needs `allowPrivileged`.
   * @default the task's step template (secure)
   */
  readonly securityContext?: SecurityContext;
  /**
   * Image pull policy.
   * @default Kubernetes' default
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

/** A step of a Task. */
export interface StepProps extends ContainerProps {
  /**
   * A script run instead of `command`; start it with a shebang. Params, task results and trigger params must
   * reach it through `env`, never as `$(…)` inside the text.
   * @default none
   */
  readonly script?: string;
  /**
   * Human-readable name.
   * @default none
   */
  readonly displayName?: string;
  /**
   * The step's own timeout.
   * @default none (the TaskRun's)
   */
  readonly timeout?: Duration;
  /**
   * What to do when the step fails.
   * @default OnError.STOP_AND_FAIL
   */
  readonly onError?: OnError;
  /**
   * Step results, read by later steps as `$(steps.<step>.results.<name>)` or mapped to task results.
   * @default none
   */
  readonly results?: Record<string, StepResultProps>;
  /**
   * Task workspaces this step mounts in isolation (beta).
   * @default none
   */
  readonly workspaces?: StepWorkspace[];
  /**
   * Also write the step's stdout to this path, e.g. a result path (alpha: `stdoutConfig.path`).
   * @default not captured
   */
  readonly stdoutPath?: string;
  /**
   * Also write the step's stderr to this path (alpha: `stderrConfig.path`).
   * @default not captured
   */
  readonly stderrPath?: string;
  /**
   * Guards: the step is skipped unless all hold (`steps[].when`).
   * @default none
   */
  readonly when?: WhenExpression[];
  /**
   * Run a StepAction instead of an inline container; then only `params` (and `onError`, `timeout`) may be set.
   * @default an inline step
   */
  readonly ref?: StepActionRef;
  /**
   * Params for the referenced StepAction.
   * @default none
   */
  readonly params?: Record<string, ParamValue>;
  /**
   * Opt out of the script-injection check for this step: allow `$(params…)`, `$(tasks…)`, `$(tt.params…)` or
   * `$(steps…results…)` inside `script` or inside the code argument of `sh -c`, `python -c`, `node -e`, … in
   * `command`/`args`. Tekton pastes those values into the code text, so a crafted value runs as code.
   * @default false
   */
  readonly allowUnsafeScriptSubstitution?: boolean;
  /**
   * Allow `securityContext.privileged: true` on this step; slipway then also writes
   * `allowPrivilegeEscalation: true` on the step, so the step template's `false` does not survive Tekton's merge.
   * @default false
   */
  readonly allowPrivileged?: boolean;
  /**
   * Let this step run as root (images such as kaniko or buildah that need uid 0): slipway writes
   * `runAsNonRoot: false` and `runAsUser: 0` on the step (unless it sets them), overriding the step template's
   * `runAsNonRoot: true` after Tekton's merge and the run pod's default uid 65532.
   * @default false
   */
  readonly allowRoot?: boolean;
}

/** A sidecar of a Task (runs next to the steps, e.g. a database for tests). */
export interface SidecarProps extends ContainerProps {
  /**
   * A script run instead of `command`.
   * @default none
   */
  readonly script?: string;
  /**
   * Task workspaces this sidecar mounts.
   * @default none
   */
  readonly workspaces?: StepWorkspace[];
  /**
   * Readiness probe: Tekton starts the steps once every sidecar is ready.
   * @default none
   */
  readonly readinessProbe?: Probe;
  /**
   * Liveness probe.
   * @default none
   */
  readonly livenessProbe?: Probe;
  /**
   * Startup probe.
   * @default none
   */
  readonly startupProbe?: Probe;
  /**
   * Allow `$(params…)` (and other injectable references) in the script or in a `sh -c` code argument.
   * @default false
   */
  readonly allowUnsafeScriptSubstitution?: boolean;
  /**
   * Allow `securityContext.privileged: true` (writes `allowPrivilegeEscalation: true` too).
   * @default false
   */
  readonly allowPrivileged?: boolean;
  /**
   * Let this sidecar run as root (writes `runAsNonRoot: false` and `runAsUser: 0`).
   * @default false
   */
  readonly allowRoot?: boolean;
}

/** A declared step (returned by `Task.addStep`); `result(name)` renders `$(steps.<step>.results.<name>)`. */
export class Step {
  /** @internal The security context written on the step: its own plus what its opt-outs relax. */
  public readonly securityContext?: SecurityContext;

  /** @internal */
  constructor(
    /** The step name (for a step added without one, Tekton's own `unnamed-<index>`). */
    public readonly name: string,
    /** The props it was declared with. */
    public readonly props: StepProps,
    /** False for a step declared without a name (`addStep(props)`). */
    public readonly named: boolean = true,
    securityContext: SecurityContext | undefined = props.securityContext,
  ) {
    this.securityContext = securityContext;
  }

  /** `$(steps.<step>.results.<name>)` for a declared step result (usable in later steps' env/command/args). */
  public result(name: string): string {
    if (!this.props.results || !(name in this.props.results)) {
      fail(undefined, 'step-result-undeclared', `step ${show(this.name)} declares no result ${show(name)}`,
        `add it to the step's results (declared: ${show(Object.keys(this.props.results ?? {}))})`);
    }
    return `$(steps.${this.name}.results.${name})`;
  }
}

const CONTAINER_FIELDS = ['image', 'command', 'args', 'workingDir', 'env', 'envFrom', 'computeResources', 'volumeMounts',
  'securityContext', 'imagePullPolicy'];
const FIELDS: Record<string, ReadonlySet<string>> = {
  step: new Set([...CONTAINER_FIELDS, 'script', 'displayName', 'timeout', 'onError', 'results', 'workspaces', 'stdoutPath',
    'stderrPath', 'when', 'ref', 'params', 'allowUnsafeScriptSubstitution', 'allowPrivileged', 'allowRoot']),
  sidecar: new Set([...CONTAINER_FIELDS, 'script', 'workspaces', 'readinessProbe', 'livenessProbe', 'startupProbe',
    'allowUnsafeScriptSubstitution', 'allowPrivileged', 'allowRoot']),
  stepTemplate: new Set(CONTAINER_FIELDS),
};

/**
 * `container-field-unknown`: a prop slipway does not write (plain JavaScript callers, or a cast) would be dropped
 * from the output without a word; refuse it instead.
 */
export function checkKnownFields(scope: IConstruct, what: 'step' | 'sidecar' | 'stepTemplate', label: string, props: object): void {
  const known = FIELDS[what];
  const extra = Object.keys(props).filter((k) => !known.has(k) && (props as any)[k] !== undefined);
  if (extra.length > 0) {
    fail(scope, 'container-field-unknown', `${label} sets ${extra.map((k) => show(k)).join(', ')}, which slipway does not write for a ${what}`,
      `use the typed props (${[...known].join(', ')}), or ApiObject.of(task).addJsonPatch(...) for a field slipway does not type`);
  }
}

/** Requests and limits as Kubernetes quantities; a `$(params…)` reference is resolved by Tekton. */
export function computeResourceViolations(label: string, r: ComputeResources | undefined): RuleViolation[] {
  return (['requests', 'limits'] as const).flatMap((kind) => Object.entries(r?.[kind] ?? {})
    .filter(([, q]) => !(typeof q === 'string' && q.includes('$(')))
    .flatMap(([name, q]) => quantityViolations(`${label}.${kind}.${name}`, q)));
}

/**
 * The values of a container (step, sidecar, step template) checked as Kubernetes does: the image reference, env var
 * names and the numeric ids of its security context.
 */
export function containerValueViolations(label: string, props: ContainerProps): RuleViolation[] {
  const sc = props.securityContext;
  return [
    ...(props.image === undefined ? [] : imageViolations(`${label} image`, props.image)),
    ...Object.keys(props.env ?? {}).flatMap((n) => envNameViolations(n, `rename the key in the env of ${label}`)),
    ...computeResourceViolations(`${label} computeResources`, props.computeResources),
    ...(['runAsUser', 'runAsGroup'] as const).flatMap((f) => (sc?.[f] === undefined ? []
      : integerViolations(`${label} securityContext.${f}`, sc[f], { min: 0, max: Number.MAX_SAFE_INTEGER, fix: `set securityContext.${f} to a whole number ≥ 0` }))),
  ];
}

/**
 * Eager checks of one container (step or sidecar); returns the security context to write, given the one that
 * Tekton merges underneath (the step template for steps, slipway's restricted default for sidecars).
 */
export function checkContainer(scope: IConstruct, what: string, name: string, props: StepProps & SidecarProps,
  template: SecurityContext | undefined, named = true): SecurityContext | undefined {
  checkKnownFields(scope, what as 'step' | 'sidecar', `${what} ${show(name)}`, props);
  if (named && !Names.isDnsLabel(name)) {
    fail(scope, 'step-name', `${what} name ${show(name)} is not a valid DNS-1123 label`,
      "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit");
  }
  assertValue(scope, containerValueViolations(`${what} ${show(name)}`, props));
  if (props.script !== undefined && props.command !== undefined) {
    fail(scope, 'step-script-command-exclusive', `${what} ${show(name)} sets both script and command ${show(props.command)}`,
      'use script alone, or command (+ args) alone');
  }
  if (!props.allowUnsafeScriptSubstitution) checkInjection(scope, `${what} ${show(name)}`, props, what);
  for (const m of props.volumeMounts ?? []) {
    if (m.mountPath.startsWith('/tekton/') && !m.mountPath.startsWith('/tekton/home')) {
      fail(scope, 'volume-mount-reserved', `${what} ${show(name)} mounts ${show(m.name)} at ${show(m.mountPath)}, under /tekton/ which Tekton reserves`,
        'mount it somewhere else (only /tekton/home is allowed under /tekton/)');
    }
    if (m.name.startsWith('tekton-internal-')) {
      fail(scope, 'volume-mount-reserved', `${what} ${show(name)} mounts volume ${show(m.name)}; the tekton-internal- prefix is reserved`,
        'rename the volume');
    }
  }
  // Tekton also takes a whole param reference, resolved per run; the reference itself is checked at synth.
  if (props.onError !== undefined && !Object.values(OnError).includes(props.onError) && !/^\$\(params\.[^()]+\)$/.test(props.onError)) {
    fail(scope, 'step-on-error', `${what} ${show(name)} has onError ${show(props.onError)}`,
      'use OnError.CONTINUE, OnError.STOP_AND_FAIL or a param reference');
  }
  return containerSecurityContext(scope, what, name, props.securityContext, template, props);
}

/**
 * `script-injection`: injectable references in a script, or in the code argument of a shell or interpreter.
 * `what` names the construct whose `allowUnsafeScriptSubstitution` opts out (none for the step template).
 */
export function checkInjection(scope: IConstruct, label: string, props: ContainerProps & { readonly script?: string }, what?: string): void {
  const inScript = injectableRefs(props.script);
  const inCode = shellCodeInjections(props.command, props.args);
  if (inScript.length === 0 && inCode.length === 0) return;
  const where = inScript.length > 0 ? 'its script' : `the code argument of ${show(props.command![0])} in command/args`;
  fail(scope, 'script-injection', `${label} pastes ${[...inScript, ...inCode].join(', ')} into ${where}; a crafted value would run as code`,
    `pass it through env instead: env: { VALUE: EnvValue.fromExpression(...) } and read "$VALUE" in the code${what ? ` (or set allowUnsafeScriptSubstitution: true on this ${what})` : ''}`);
}

/** Eager checks specific to steps; returns the security context to write on the step. */
export function checkStep(scope: IConstruct, name: string, props: StepProps, hasTemplateImage: boolean,
  template: SecurityContext | undefined, named = true): SecurityContext | undefined {
  const sc = checkContainer(scope, 'step', name, props, template, named);
  checkParamValues(scope, props.params);
  if (props.ref) {
    const forbidden = (['image', 'command', 'args', 'script', 'workingDir', 'env', 'volumeMounts', 'results'] as const)
      .filter((k) => props[k] !== undefined);
    if (forbidden.length > 0) {
      fail(scope, 'step-ref-exclusive', `step ${show(name)} references a StepAction and also sets ${forbidden.join(', ')}`,
        'set those fields in the StepAction; a referencing step takes only params, onError and timeout');
    }
  } else {
    if (props.params !== undefined) {
      fail(scope, 'step-params-need-ref', `step ${show(name)} sets params but references no StepAction`,
        'set ref: StepActionRef.named(...), or pass values through env');
    }
    if (!props.image && !hasTemplateImage) {
      fail(scope, 'step-image-required', `step ${show(name)} has no image`,
        'set image (pinned by digest), or an image in the task\'s stepTemplate');
    }
  }
  return sc;
}

function renderEnv(env: Record<string, EnvValue> | undefined): any[] | undefined {
  if (!env) return undefined;
  return nonEmpty(Object.entries(env).map(([k, v]) => v.toJson(k)));
}

/** Renders the container fields common to steps, sidecars and the step template. */
export function renderContainer(props: ContainerProps, securityContext = props.securityContext): any {
  return {
    image: props.image,
    imagePullPolicy: props.imagePullPolicy,
    command: props.command,
    args: props.args,
    workingDir: props.workingDir,
    env: renderEnv(props.env),
    envFrom: nonEmpty(props.envFrom?.map((e) => e.toJson())),
    computeResources: props.computeResources,
    volumeMounts: nonEmpty(props.volumeMounts?.map((m) => ({ ...m }))),
    securityContext: renderSecurityContext(securityContext),
  };
}

/** Renders a step. */
export function renderStep(step: Step): any {
  const props = step.props;
  return {
    name: step.name,
    displayName: props.displayName,
    ...renderContainer(props, step.securityContext),
    script: props.script,
    timeout: goDuration(props.timeout),
    onError: props.onError,
    results: nonEmpty(Object.entries(props.results ?? {}).map(([n, r]) => ({
      name: n, type: r.type, description: r.description,
      properties: renderProperties(r.properties),
    }))),
    workspaces: nonEmpty(props.workspaces?.map((w) => ({ name: w.name, mountPath: w.mountPath ?? `/workspace/${w.name}` }))),
    ref: props.ref?.toJson(),
    params: renderParams(props.params),
    when: nonEmpty(props.when?.map((w) => w.toJson())),
    stdoutConfig: props.stdoutPath !== undefined ? { path: props.stdoutPath } : undefined,
    stderrConfig: props.stderrPath !== undefined ? { path: props.stderrPath } : undefined,
  };
}

/** Object keys as Tekton's `properties` map (every key a string). */
export function renderProperties(keys: string[] | undefined): any {
  return keys ? Object.fromEntries(keys.map((k) => [k, { type: 'string' }])) : undefined;
}

/**
 * Renders a sidecar. Tekton merges no template into sidecars, so slipway's restricted context is written on each
 * (under the sidecar's own fields and opt-outs).
 */
export function renderSidecar(name: string, props: SidecarProps, securityContext: SecurityContext | undefined): any {
  return {
    name,
    ...renderContainer(props, securityContext),
    readinessProbe: props.readinessProbe?.toJson(),
    livenessProbe: props.livenessProbe?.toJson(),
    startupProbe: props.startupProbe?.toJson(),
    script: props.script,
    workspaces: nonEmpty(props.workspaces?.map((w) => ({ name: w.name, mountPath: w.mountPath ?? `/workspace/${w.name}` }))),
  };
}

/** Every string field of a container, with the field name, for reference checks. */
export function containerStrings(props: StepProps): Array<{ field: string; text: string }> {
  const out: Array<{ field: string; text: string }> = [];
  const add = (field: string, text: string | undefined) => { if (text !== undefined) out.push({ field, text }); };
  add('image', props.image);
  add('workingDir', props.workingDir);
  add('script', props.script);
  props.command?.forEach((c) => add('command', c));
  props.args?.forEach((a) => add('args', a));
  for (const v of Object.values(props.env ?? {})) add('env', v.value);
  for (const m of props.volumeMounts ?? []) {
    add('volumeMounts', m.name);
    add('volumeMounts', m.mountPath);
    add('volumeMounts', m.subPath);
  }
  for (const v of Object.values(props.params ?? {})) for (const s of v.strings) add('params', s);
  for (const w of props.when ?? []) {
    add('when-input', w.input);
    for (const s of w.valueStrings) add('when', s);
  }
  add('onError', props.onError);
  add('stdoutConfig', props.stdoutPath);
  add('stderrConfig', props.stderrPath);
  return out;
}

