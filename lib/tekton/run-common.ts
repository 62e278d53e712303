/** What PipelineRun and TaskRun share: pod templates, binding checks and embedding in TriggerTemplates. */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  NameForm, Names, RuleViolation, Violations, envNameViolations, fail, integerViolations, nameViolations, show,
} from '../core';
import { scanRefs } from './expressions';
import { DeclaredParam, checkParamValue } from './params';
import { podMergeProblem } from './security-context';
import { type MetadataProps, checkMetadata, renderMetadata, templateSubstitutions } from './metadata';
import { type Task, checkResourceName, useGenerateName } from './task';
import { EnvValue, ParamValue, Volume, checkParamValues, clean, nonEmpty } from './values';
import type { WorkspaceBinding } from './workspace-binding';

/** What every run (TaskRun, CustomRun) takes besides what it runs. */
export interface RunProps extends MetadataProps {
  /**
   * Param values.
   * @default none
   */
  readonly params?: Record<string, ParamValue>;
  /**
   * Workspace name → what backs it.
   * @default none
   */
  readonly workspaces?: Record<string, WorkspaceBinding>;
  /**
   * Service account the run uses.
   * @default 'default'
   */
  readonly serviceAccountName?: string;
  /**
   * Retries.
   * @default 0
   */
  readonly retries?: number;
  /**
   * A fixed name.
   * @default none: `generateName` is used
   */
  readonly name?: string;
}

/** Pod-level security context of run pods. */
export interface PodSecurityContext {
  /**
   * Refuse root.
   * @default true
   */
  readonly runAsNonRoot?: boolean;
  /**
   * User id.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Group id.
   * @default 65532
   */
  readonly runAsGroup?: number;
  /**
   * Group owning mounted volumes, so non-root steps can write workspaces.
   * @default 65532
   */
  readonly fsGroup?: number;
  /**
   * Seccomp profile type.
   * @default 'RuntimeDefault'
   */
  readonly seccompProfile?: string;
  /**
   * Extra groups of the pod's processes.
   * @default none
   */
  readonly supplementalGroups?: number[];
  /**
   * When to change volume ownership to fsGroup (`OnRootMismatch` or `Always`).
   * @default Kubernetes' default (Always)
   */
  readonly fsGroupChangePolicy?: string;
}

/** The pod template of TaskRun pods. */
export interface PodTemplate {
  /**
   * Pod security context.
   * @default non-root user 65532, fsGroup 65532, seccomp RuntimeDefault
   */
  readonly securityContext?: PodSecurityContext;
  /**
   * Node selector.
   * @default none
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Image pull secrets (names).
   * @default none
   */
  readonly imagePullSecrets?: string[];
  /**
   * Mount the service account token.
   * @default Kubernetes' default
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Priority class.
   * @default none
   */
  readonly priorityClassName?: string;
  /**
   * Environment for every step and sidecar container (a step's own env wins).
   * @default none
   */
  readonly env?: Record<string, EnvValue>;
  /**
   * Tolerations (Kubernetes `Toleration` objects).
   * @default none
   */
  readonly tolerations?: Array<Record<string, unknown>>;
  /**
   * Affinity (a Kubernetes `Affinity` object).
   * @default none
   */
  readonly affinity?: Record<string, unknown>;
  /**
   * Extra pod volumes (for example to back a step's volumeMounts).
   * @default none
   */
  readonly volumes?: Volume[];
  /**
   * RuntimeClass of the pod (e.g. gVisor or Kata for untrusted builds).
   * @default the cluster's default
   */
  readonly runtimeClassName?: string;
  /**
   * DNS policy.
   * @default ClusterFirst
   */
  readonly dnsPolicy?: string;
  /**
   * DNS config (a Kubernetes `PodDNSConfig` object).
   * @default none
   */
  readonly dnsConfig?: Record<string, unknown>;
  /**
   * Use the node's network namespace. Leaves the pod outside the "restricted" and "baseline" profiles.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Extra /etc/hosts entries (Kubernetes `HostAlias` objects).
   * @default none
   */
  readonly hostAliases?: Array<Record<string, unknown>>;
  /**
   * The scheduler.
   * @default default-scheduler
   */
  readonly schedulerName?: string;
  /**
   * Inject Service environment variables.
   * @default true
   */
  readonly enableServiceLinks?: boolean;
  /**
   * Topology spread constraints.
   * @default none
   */
  readonly topologySpreadConstraints?: Array<Record<string, unknown>>;
}

const SECURE_POD: PodSecurityContext = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: 'RuntimeDefault' };

const INT64 = { min: 0, max: Number.MAX_SAFE_INTEGER };

/**
 * The values a run gives its pods, checked as Kubernetes does: the service account name (a DNS-1123 subdomain),
 * the pod template's ids (whole numbers ≥ 0), env var names and image pull secret names.
 */
export function runValueViolations(where: string, serviceAccountName: string | undefined, t: PodTemplate | undefined): RuleViolation[] {
  const sc = t?.securityContext;
  return [
    // `$(tt.params.sa)` in a TriggerTemplate is a real form: the name is known only when the trigger fires.
    ...(serviceAccountName === undefined || serviceAccountName.includes('$(') ? [] : nameViolations(`${where}serviceAccountName`, serviceAccountName, NameForm.DNS_SUBDOMAIN)),
    ...(['runAsUser', 'runAsGroup', 'fsGroup'] as const).flatMap((f) => (sc?.[f] === undefined ? []
      : integerViolations(`${where}podTemplate.securityContext.${f}`, sc[f], { ...INT64, fix: `set podTemplate.securityContext.${f} to a whole number ≥ 0` }))),
    ...(sc?.supplementalGroups ?? []).flatMap((g) => integerViolations(`${where}podTemplate.securityContext.supplementalGroups entry`, g, INT64)),
    ...Object.keys(t?.env ?? {}).flatMap((n) => envNameViolations(n, 'rename the key in podTemplate.env')),
    ...(t?.imagePullSecrets ?? []).flatMap((n) => nameViolations(`${where}podTemplate.imagePullSecrets entry`, n, NameForm.DNS_SUBDOMAIN)),
  ];
}

/** Renders a pod template, with the secure pod security context unless one is given. */
export function renderPodTemplate(t: PodTemplate | undefined, withDefault: boolean): any {
  if (!t && !withDefault) return undefined;
  const sc = t?.securityContext ?? (withDefault ? SECURE_POD : undefined);
  return clean({
    securityContext: sc ? {
      runAsNonRoot: sc.runAsNonRoot, runAsUser: sc.runAsUser, runAsGroup: sc.runAsGroup, fsGroup: sc.fsGroup,
      seccompProfile: sc.seccompProfile ? { type: sc.seccompProfile } : undefined,
      supplementalGroups: sc.supplementalGroups, fsGroupChangePolicy: sc.fsGroupChangePolicy,
    } : undefined,
    nodeSelector: t?.nodeSelector,
    env: nonEmpty(Object.entries(t?.env ?? {}).map(([n, e]) => e.toJson(n))),
    tolerations: t?.tolerations,
    affinity: t?.affinity,
    volumes: nonEmpty(t?.volumes?.map((v) => v.toJson())),
    runtimeClassName: t?.runtimeClassName,
    automountServiceAccountToken: t?.automountServiceAccountToken,
    dnsPolicy: t?.dnsPolicy,
    dnsConfig: t?.dnsConfig,
    enableServiceLinks: t?.enableServiceLinks,
    priorityClassName: t?.priorityClassName,
    schedulerName: t?.schedulerName,
    imagePullSecrets: t?.imagePullSecrets?.map((name) => ({ name })),
    hostAliases: t?.hostAliases,
    hostNetwork: t?.hostNetwork,
    topologySpreadConstraints: t?.topologySpreadConstraints,
  });
}

/** The pod security context a run writes: the given one, or slipway's secure default. */
export function podSecurityOf(t: PodTemplate | undefined): PodSecurityContext {
  return t?.securityContext ?? SECURE_POD;
}

/** `security-context-merge` at run level: each known step's context over the run's pod security context. */
export function checkRunPodSecurity(v: Violations, what: string, tasks: Array<{ task: Task; pod: PodSecurityContext }>): void {
  for (const { task, pod } of tasks) {
    for (const c of task.mergedSecurityContexts) {
      const problem = podMergeProblem(c.securityContext, pod);
      if (problem) {
        v.add('security-context-merge', `${what}: task ${show(task.name)} ${c.what} ${problem}`,
          "set allowRoot: true on that step (it writes runAsNonRoot: false), or change the run's podTemplate.securityContext");
      }
    }
  }
}

/** What a run must provide, as declared by the Pipeline or Task it runs. */
export interface RunnableInterface {
  /** Declared params. */
  readonly params: ReadonlyArray<DeclaredParam>;
  /** Declared workspaces. */
  readonly workspaces: ReadonlyArray<{ readonly name: string; readonly optional: boolean }>;
}

/** Reconciler-time checks of a run's params and workspaces against what it runs. */
export function checkRunBindings(v: Violations, what: string, known: RunnableInterface, params: Record<string, ParamValue>,
  workspaces: string[], rejectUnknownWorkspaces: boolean): void {
  const missing = known.params.filter((p) => !p.hasDefault && !(p.name in params)).map((p) => p.name);
  if (missing.length > 0) {
    v.add('run-missing-param', `${what} is missing parameters ${show(missing)}, which have no default values`,
      'pass them in params, or give them defaults');
  }
  for (const p of known.params) {
    const value = params[p.name];
    if (value) checkParamValue(v, what, p, value);
  }
  for (const w of known.workspaces) {
    if (!w.optional && !workspaces.includes(w.name)) {
      v.add('run-missing-workspace', `${what} does not bind workspace ${show(w.name)}, which is required`,
        `add workspaces: { '${w.name}': WorkspaceBinding.volumeClaimTemplate({ storage: '1Gi' }) }`);
    }
  }
  if (rejectUnknownWorkspaces) {
    for (const b of workspaces) {
      if (!known.workspaces.some((w) => w.name === b)) {
        v.add('run-workspace-unknown', `${what}: workspace binding ${show(b)} does not match any declared workspace`,
          `bind one of ${show(known.workspaces.map((w) => w.name))}`);
      }
    }
  }
}

/** Eager checks of a run's param values. */
export function checkRunParams(scope: IConstruct, params: Record<string, ParamValue>, inTemplate: boolean): void {
  checkParamValues(scope, params);
  for (const [name, value] of Object.entries(params)) {
    for (const s of value.strings) {
      for (const ref of scanRefs(s)) {
        if (ref.prefix === 'tasks') {
          fail(scope, 'run-param-result-ref', `run param ${show(name)} uses ${ref.text}; run params cannot read task results`,
            'read the result inside the pipeline, in the consuming task\'s params');
        }
        if (['body', 'header', 'extensions'].includes(ref.prefix)) {
          fail(scope, 'variable-prefix', `run param ${show(name)} uses ${ref.text}; event fields are only substituted in TriggerBindings`,
            'bind the field in a TriggerBinding, declare a template param and pass $(tt.params.<name>)');
        }
        if (ref.prefix === 'tt' && !inTemplate) {
          fail(scope, 'variable-prefix', `run param ${show(name)} uses ${ref.text} outside a TriggerTemplate`,
            'create the run inside a TriggerTemplate (new PipelineRun(template, ...)), or pass a literal');
        }
      }
    }
  }
}

/** Marker so runs can tell that their scope is a TriggerTemplate (which renders them into resourcetemplates). */
export const TRIGGER_TEMPLATE = Symbol.for('slipway.tekton.TriggerTemplate');

/** A run that renders into a TriggerTemplate instead of its own document. */
export interface IEmbeddableRun extends IConstruct {
  /** The whole run document. */
  toJson(): any;
}

/** True when `scope` is a TriggerTemplate: a run created there is a resource template, substituted by Triggers. */
export function isTriggerTemplate(scope: IConstruct): boolean {
  return Boolean((scope as any)?.[TRIGGER_TEMPLATE]);
}

/**
 * Checks a run's `metadata.name`; in a TriggerTemplate, after `$(tt.params…)` substitution could make it valid (a
 * name such as `release-$(tt.params.version)` is created as `release-1-2`).
 */
export function checkRunName(scope: Construct, name: string, inTemplate: boolean): void {
  const forms = inTemplate ? templateSubstitutions(name) : [name];
  if (forms.length > 0 && !forms.some(isResourceName)) checkResourceName(scope, name);
}

function isResourceName(name: string): boolean {
  return name.length <= 63 && Names.isDnsSubdomain(name);
}

/** If `scope` is a TriggerTemplate, registers `run` with it and returns true. */
export function embedInTemplate(scope: IConstruct, run: IEmbeddableRun): boolean {
  const t = scope as any;
  if (isTriggerTemplate(t)) {
    t.registerRun(run);
    return true;
  }
  return false;
}

/** What a run is written as: its kind, the `generateName` prefix used without a name, and its spec. */
export interface RunDocument {
  /** `tekton.dev/v1`, or `v1beta1` for CustomRun. */
  readonly apiVersion: string;
  /** The run's kind. */
  readonly kind: string;
  /** The prefix written as `metadata.generateName` when the run has no name. */
  readonly generateName: string;
  /** The spec, rendered at synth. */
  readonly spec: () => any;
}

/**
 * What every run does first: checks its name, metadata and params, then writes its own document — unless `scope` is a
 * TriggerTemplate, which renders the run into its resourcetemplates. Returns true when the run is embedded there.
 */
export function startRun(run: Construct & IEmbeddableRun, scope: IConstruct, props: RunProps, doc: RunDocument): boolean {
  const inTemplate = isTriggerTemplate(scope);
  if (props.name) checkRunName(run, props.name, inTemplate);
  checkMetadata(run, props, inTemplate);
  const embedded = embedInTemplate(scope, run);
  checkRunParams(run, props.params ?? {}, embedded);
  if (!embedded) {
    const res = new ApiObject(run, 'Resource', {
      apiVersion: doc.apiVersion,
      kind: doc.kind,
      metadata: { ...(props.name ? { name: props.name } : {}), ...renderMetadata(props) },
      spec: Lazy.any({ produce: doc.spec }),
    });
    if (!props.name) useGenerateName(res, doc.generateName);
  }
  return embedded;
}

/** A run's metadata as a TriggerTemplate embeds it: its name, or the `generateName` prefix, and labels/annotations. */
export function runMetadata(props: RunProps, generateName: string): any {
  return { ...(props.name ? { name: props.name } : { generateName }), ...renderMetadata(props) };
}
