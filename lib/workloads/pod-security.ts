import { fail } from '../core';

/** Annotation on the pod template that records a visible Pod Security opt-out and its reason. */
export const POD_SECURITY_OPT_OUT_ANNOTATION = 'slipway.dev/pod-security-opt-out';

/**
 * Which Pod Security Standard a workload's pods must meet. The default is `restricted`: slipway fills in the
 * settings (non-root, no privilege escalation, capabilities drop ALL, seccomp RuntimeDefault, read-only root
 * filesystem with an `emptyDir` at `/tmp`) and reports any pod that breaks it at synth.
 */
export class PodSecurity {
  /** Pods must meet "restricted" (the default). */
  public static restricted(): PodSecurity {
    return new PodSecurity(undefined);
  }

  /**
   * Pods may break "restricted" (hostPath, root, host network…). The reason is required and is written to the pod
   * template as the `slipway.dev/pod-security-opt-out` annotation so reviewers and admission policies see it.
   * The namespace must then allow at least "baseline" or "privileged" pods.
   */
  public static optOut(reason: string): PodSecurity {
    if (reason.trim().length === 0) {
      fail(undefined, 'pod-security-opt-out-reason', 'pod security opt-out has an empty reason',
        "say why the pod cannot be restricted, e.g. PodSecurity.optOut('reads /var/log on the node')");
    }
    return new PodSecurity(reason.trim());
  }

  private constructor(
    /** The opt-out reason, or undefined for "restricted". */
    public readonly optOutReason: string | undefined,
  ) {}

  /** True when pods must meet "restricted". */
  public get isRestricted(): boolean {
    return this.optOutReason === undefined;
  }
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
    const who = `container ${JSON.stringify(c.name)}`;
    if (ctx.privileged) out.push(`${who} is privileged`);
    if (ctx.allowPrivilegeEscalation !== false) out.push(`${who} does not set allowPrivilegeEscalation: false`);
    if (!(ctx.runAsNonRoot ?? podCtx.runAsNonRoot)) out.push(`${who} does not set runAsNonRoot: true`);
    if ((ctx.runAsUser ?? podCtx.runAsUser) === 0) out.push(`${who} runs as user 0`);
    const seccomp = ctx.seccompProfile?.type ?? podSeccomp;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) out.push(`${who} has no RuntimeDefault or Localhost seccomp profile`);
    if (!(ctx.capabilities?.drop ?? []).includes('ALL')) out.push(`${who} does not drop ALL capabilities`);
    const added = (ctx.capabilities?.add ?? []).filter((a: string) => a !== 'NET_BIND_SERVICE');
    if (added.length > 0) out.push(`${who} adds capabilities ${added.join(', ')}`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${who} uses hostPort ${p.hostPort}`);
  }
  return out;
}
