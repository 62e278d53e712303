/**
 * Container security contexts after Tekton's merge. Tekton applies the `stepTemplate` to each step with a
 * strategic merge: every field the step leaves unset keeps the template's value. So a step that only says
 * `privileged: true` still carries the template's `allowPrivilegeEscalation: false`, which Kubernetes refuses.
 * Opt-outs therefore write the relaxed values on the step itself, and the merged result is checked here.
 */
import { IConstruct } from 'constructs';
import { fail, show } from '../core';
import { SecurityContext } from './values';

/** The typed opt-outs a container may set. */
export interface SecurityOptOuts {
  /** `allowPrivileged: true`. */
  readonly allowPrivileged?: boolean;
  /** `allowRoot: true`. */
  readonly allowRoot?: boolean;
}

/** Tekton's merge of a template's security context under a step's own (set fields win, lists are replaced). */
export function mergeSecurityContext(template: SecurityContext | undefined, own: SecurityContext | undefined): SecurityContext {
  const out: Record<string, unknown> = Object.assign({}, template) as Record<string, unknown>;
  if (own) for (const k of Object.keys(own)) if ((own as any)[k] !== undefined) out[k] = (own as any)[k];
  return out as SecurityContext;
}

/**
 * The security context to write on a container, given what the template (or slipway's default) supplies
 * underneath it: the container's own fields plus the explicit values its opt-outs stand for. Throws
 * `privileged-step` for privilege without the opt-out and `security-context-merge` when the merged context is
 * one Kubernetes validation or the kubelet refuses.
 */
export function containerSecurityContext(scope: IConstruct, what: string, name: string, own: SecurityContext | undefined,
  template: SecurityContext | undefined, optOuts: SecurityOptOuts): SecurityContext | undefined {
  const label = `${what} ${show(name)}`;
  if (own?.privileged && !optOuts.allowPrivileged) {
    fail(scope, 'privileged-step', `${label} asks for a privileged container`,
      `drop privileged (rootless builders such as kaniko or buildah --storage-driver=vfs work without it), or set allowPrivileged: true on this ${what}`);
  }
  const relaxed: Record<string, unknown> = {};
  // A privileged container may always escalate; Kubernetes refuses the pair privileged + no escalation.
  if (optOuts.allowPrivileged && own?.privileged && own.allowPrivilegeEscalation === undefined) relaxed.allowPrivilegeEscalation = true;
  // Root needs both: runAsNonRoot false (the template says true) and uid 0 (run pods default to uid 65532).
  if (optOuts.allowRoot && own?.runAsNonRoot === undefined) relaxed.runAsNonRoot = false;
  if (optOuts.allowRoot && own?.runAsUser === undefined) relaxed.runAsUser = 0;
  const written = Object.keys(relaxed).length > 0 ? { ...(own ?? {}), ...relaxed } as SecurityContext : own;
  const merged = mergeSecurityContext(template, written);
  const from = (field: keyof SecurityContext) => (written?.[field] !== undefined ? 'its own' : 'the step template\'s');
  if (merged.privileged && merged.allowPrivilegeEscalation === false) {
    fail(scope, 'security-context-merge',
      `${label} runs privileged with ${from('allowPrivilegeEscalation')} allowPrivilegeEscalation: false; Kubernetes refuses that pair`,
      `remove allowPrivilegeEscalation: false from this ${what}'s securityContext (with allowPrivileged: true slipway writes allowPrivilegeEscalation: true)`);
  }
  const sysAdmin = (merged.addCapabilities ?? []).find((c) => /^(CAP_)?SYS_ADMIN$/.test(c));
  if (sysAdmin && merged.allowPrivilegeEscalation === false) {
    fail(scope, 'security-context-merge',
      `${label} adds capability ${show(sysAdmin)} with ${from('allowPrivilegeEscalation')} allowPrivilegeEscalation: false; Kubernetes refuses that pair`,
      `set allowPrivilegeEscalation: true in this ${what}'s securityContext, or drop ${sysAdmin}`);
  }
  if (merged.runAsUser === 0 && merged.runAsNonRoot === true) {
    fail(scope, 'security-context-merge',
      `${label} sets runAsUser: 0 under ${from('runAsNonRoot')} runAsNonRoot: true; the kubelet refuses to start it`,
      `set allowRoot: true on this ${what} (slipway writes runAsNonRoot: false), or drop runAsUser: 0`);
  }
  if (merged.seccompProfile !== undefined && !['RuntimeDefault', 'Unconfined'].includes(merged.seccompProfile)) {
    fail(scope, 'security-context-merge', `${label} has seccompProfile ${show(merged.seccompProfile)}; slipway writes only RuntimeDefault and Unconfined`,
      "use 'RuntimeDefault' (a Localhost profile needs localhostProfile: add it with ApiObject.of(...).addJsonPatch())");
  }
  return written;
}

/** The pod-level fields a container falls back to. */
export interface PodSecurityDefaults {
  /** Pod `runAsNonRoot`. */
  readonly runAsNonRoot?: boolean;
  /** Pod `runAsUser`. */
  readonly runAsUser?: number;
}

/**
 * What the kubelet refuses once a container's merged context falls back to the pod's: uid 0 under
 * `runAsNonRoot: true`, from either level.
 */
export function podMergeProblem(container: SecurityContext, pod: PodSecurityDefaults | undefined): string | undefined {
  const nonRoot = container.runAsNonRoot ?? pod?.runAsNonRoot;
  const user = container.runAsUser ?? pod?.runAsUser;
  if (nonRoot === true && user === 0) {
    const from = (f: 'runAsNonRoot' | 'runAsUser') => (container[f] !== undefined ? 'the container' : 'the pod template');
    return `runs as uid 0 (from ${from('runAsUser')}) under runAsNonRoot: true (from ${from('runAsNonRoot')}); the kubelet refuses to start it`;
  }
  return undefined;
}
