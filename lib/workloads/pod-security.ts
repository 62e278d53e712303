import { fail } from '../core/errors';
import { checkedValue } from '../core/values';

/** Annotation on the pod template that records a visible Pod Security opt-out and its reason. */
export const POD_SECURITY_OPT_OUT_ANNOTATION = 'slipway.dev/pod-security-opt-out';

/** Annotation on the pod template naming the relaxed Pod Security level (`baseline` or `privileged`). */
export const POD_SECURITY_LEVEL_ANNOTATION = 'slipway.dev/pod-security-level';

/** A Pod Security Standards level, enforced by the built-in Pod Security admission controller. */
export enum PodSecurityLevel {
  /** Hardened pods only (slipway's default). */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations; allows root and most volume types. */
  BASELINE = 'baseline',
  /** Anything, e.g. node agents with hostPath; say why in the namespace's description. */
  PRIVILEGED = 'privileged',
}

/**
 * Which Pod Security Standard a workload's pods meet; the level changes what slipway writes, not only what it checks.
 *
 * | level | written into every container | checked at synth |
 * |---|---|---|
 * | `restricted()` (default) | `runAsNonRoot: true` (pod and container), read-only root filesystem with an `emptyDir` at `/tmp`, `allowPrivilegeEscalation: false`, capabilities drop ALL, seccomp RuntimeDefault | "restricted" |
 * | `baseline(reason)` | `allowPrivilegeEscalation: false`, seccomp RuntimeDefault; no `runAsNonRoot`, no read-only root filesystem, no dropped capabilities, no `/tmp` volume | "baseline" |
 * | `privileged(reason)` | nothing of slipway's (cdk8s-plus still writes `privileged: false` and `allowPrivilegeEscalation: false` unless set) | nothing |
 *
 * A relaxed level requires a reason, written to the pod template as the `slipway.dev/pod-security-opt-out`
 * annotation next to `slipway.dev/pod-security-level`, so reviewers and admission policies see it. The namespace must
 * allow the level.
 */
export class PodSecurity {
  /** Pods meet "restricted" (the default): non-root, read-only root filesystem, no privilege escalation, drop ALL, seccomp. */
  public static restricted(): PodSecurity {
    return new PodSecurity(PodSecurityLevel.RESTRICTED, undefined, false);
  }

  /**
   * Pods meet "baseline": they may run as root and write to their root filesystem (e.g. `nginx`, `busybox`, `perl`,
   * `postgres` images), but get no host namespaces, hostPath, privileged mode or extra capabilities.
   * @param reason why the pods cannot be restricted; shown in the output
   */
  public static baseline(reason: string): PodSecurity {
    return checkedValue(() => checkReason(reason), () => new PodSecurity(PodSecurityLevel.BASELINE, trimmed(reason), false));
  }

  /**
   * Pods are unrestricted (node agents with hostPath, host namespaces or capabilities); slipway writes no hardening.
   * @param reason why the pods need it; shown in the output
   */
  public static privileged(reason: string): PodSecurity {
    return checkedValue(() => checkReason(reason), () => new PodSecurity(PodSecurityLevel.PRIVILEGED, trimmed(reason), false));
  }

  /**
   * Skips the "restricted" check but keeps writing the restricted settings.
   * @deprecated use {@link PodSecurity.baseline} or {@link PodSecurity.privileged}, which also write what they say
   */
  public static optOut(reason: string): PodSecurity {
    return checkedValue(() => checkReason(reason), () => new PodSecurity(PodSecurityLevel.PRIVILEGED, trimmed(reason), true));
  }

  private constructor(
    /** The level the pods meet. */
    public readonly level: PodSecurityLevel,
    /** Why the pods are not restricted, or undefined for "restricted". */
    public readonly reason: string | undefined,
    /** @internal the deprecated optOut(): restricted settings written, nothing checked */
    public readonly _legacy: boolean,
  ) {}

  /** The opt-out reason, or undefined for "restricted". */
  public get optOutReason(): string | undefined {
    return this.reason;
  }

  /** True when pods must meet "restricted". */
  public get isRestricted(): boolean {
    return this.level === PodSecurityLevel.RESTRICTED;
  }

  /** True when slipway writes the restricted settings (restricted, and the deprecated `optOut()`). */
  public get writesRestricted(): boolean {
    return this.isRestricted || this._legacy;
  }
}

const trimmed = (reason: string): string => String(reason).trim();

function checkReason(reason: string): void {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    fail(undefined, 'pod-security-opt-out-reason', 'pod security opt-out has an empty reason',
      "say why the pod cannot be restricted, e.g. PodSecurity.baseline('the nginx image runs as root')");
  }
}

/** Capabilities "baseline" lets a container add (the container runtime's default set). */
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

/** What in a rendered pod spec breaks Pod Security Standards "baseline", one line per finding. */
export function baselineFindings(spec: any): string[] {
  const out: string[] = [];
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[f]) out.push(`${f} is true`);
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`volume ${JSON.stringify(v.name)} is of type hostPath`);
  const podSeccomp = spec.securityContext?.seccompProfile?.type;
  if (podSeccomp === 'Unconfined') out.push('pod seccompProfile is Unconfined');
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    const ctx = c.securityContext ?? {};
    const who = (): string => `container ${JSON.stringify(c.name)}`; // only for a finding
    if (ctx.privileged) out.push(`${who()} is privileged`);
    if (ctx.seccompProfile?.type === 'Unconfined') out.push(`${who()} seccompProfile is Unconfined`);
    const added = (ctx.capabilities?.add ?? []).filter((a: string) => !BASELINE_CAPABILITIES.includes(a));
    if (added.length > 0) out.push(`${who()} adds capabilities ${added.join(', ')}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${who()} uses hostPort ${p.hostPort}`);
  }
  return out;
}

/** Volume types "restricted" allows. */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/**
 * What in a rendered pod spec breaks Pod Security Standards "restricted" (Kubernetes 1.28+ policy), one line per
 * finding; empty when compliant.
 */
export function restrictedFindings(spec: any): string[] {
  const out: string[] = [];
  const podCtx = spec.securityContext ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[f]) out.push(`${f} is true`);
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.includes(type)) out.push(`volume ${JSON.stringify(v.name)} is of type ${type}`);
  }
  if (podCtx.runAsUser === 0) out.push('pod runAsUser is 0');
  const podSeccomp = podCtx.seccompProfile?.type;
  if (podSeccomp !== undefined && !['RuntimeDefault', 'Localhost'].includes(podSeccomp)) out.push(`pod seccompProfile is ${podSeccomp}`);
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    const ctx = c.securityContext ?? {};
    const who = (): string => `container ${JSON.stringify(c.name)}`; // only for a finding
    if (ctx.privileged) out.push(`${who()} is privileged`);
    if (ctx.allowPrivilegeEscalation !== false) out.push(`${who()} does not set allowPrivilegeEscalation: false`);
    if (!(ctx.runAsNonRoot ?? podCtx.runAsNonRoot)) out.push(`${who()} does not set runAsNonRoot: true`);
    if ((ctx.runAsUser ?? podCtx.runAsUser) === 0) out.push(`${who()} runs as user 0`);
    const seccomp = ctx.seccompProfile?.type ?? podSeccomp;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) out.push(`${who()} has no RuntimeDefault or Localhost seccomp profile`);
    if (!(ctx.capabilities?.drop ?? []).includes('ALL')) out.push(`${who()} does not drop ALL capabilities`);
    const added = (ctx.capabilities?.add ?? []).filter((a: string) => a !== 'NET_BIND_SERVICE');
    if (added.length > 0) out.push(`${who()} adds capabilities ${added.join(', ')}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${who()} uses hostPort ${p.hostPort}`);
  }
  return out;
}
