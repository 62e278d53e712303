/**
 * An independent Pod Security Standards "restricted" walker for tests (written from the Kubernetes policy text, not
 * shared with lib/): every pod spec in a set of documents, except those carrying the visible opt-out annotation.
 */
const OPT_OUT = 'slipway.dev/pod-security-opt-out';
const ALLOWED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Every pod template (metadata + spec) in a document, with where it was found. */
export function podTemplates(doc: any): { where: string; metadata: any; spec: any }[] {
  const id = `${doc.kind} ${doc.metadata?.name}`;
  switch (doc.kind) {
    case 'Pod': return [{ where: id, metadata: doc.metadata, spec: doc.spec }];
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return [{ where: id, ...doc.spec.template }];
    case 'CronJob': return [{ where: id, ...doc.spec.jobTemplate.spec.template }];
    case 'Rollout': return doc.spec.template ? [{ where: id, ...doc.spec.template }] : [];
    case 'Service': return doc.apiVersion?.startsWith('serving.knative.dev/') ? [{ where: `Knative ${id}`, ...doc.spec.template }] : [];
    default: return [];
  }
}

/**
 * Findings that break "restricted"; with `slipwayDefaults`, also slipway's own defaults (read-only root filesystem,
 * requests set).
 */
export function restrictedProblems(spec: any, slipwayDefaults = true): string[] {
  const p: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) p.push('host namespaces');
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).filter((k) => k !== 'name')[0];
    if (!ALLOWED_VOLUMES.has(type)) p.push(`volume type ${type}`);
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const s = c.securityContext ?? {};
    if (s.privileged === true) p.push(`${c.name}: privileged`);
    if (s.allowPrivilegeEscalation !== false) p.push(`${c.name}: allowPrivilegeEscalation`);
    if ((s.runAsNonRoot ?? pod.runAsNonRoot) !== true) p.push(`${c.name}: runAsNonRoot`);
    if ((s.runAsUser ?? pod.runAsUser) === 0) p.push(`${c.name}: runAsUser 0`);
    const seccomp = s.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') p.push(`${c.name}: seccomp`);
    const caps = s.capabilities ?? {};
    if (!(caps.drop ?? []).includes('ALL')) p.push(`${c.name}: drop ALL`);
    if ((caps.add ?? []).some((a: string) => a !== 'NET_BIND_SERVICE')) p.push(`${c.name}: added capabilities`);
    if ((c.ports ?? []).some((x: any) => x.hostPort)) p.push(`${c.name}: hostPort`);
    if (!slipwayDefaults) continue;
    if (s.readOnlyRootFilesystem !== true) p.push(`${c.name}: writable root filesystem`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) p.push(`${c.name}: requests`);
  }
  return p;
}

/** Checks every pod in `docs`; returns how many were checked and how many were visibly opted out. */
export function checkRestricted(docs: any[], slipwayDefaults = true): { checked: number; optedOut: string[]; problems: string[] } {
  const result = { checked: 0, optedOut: [] as string[], problems: [] as string[] };
  for (const doc of docs) {
    for (const t of podTemplates(doc)) {
      if (t.metadata?.annotations?.[OPT_OUT]) {
        result.optedOut.push(t.where);
        continue;
      }
      result.checked++;
      for (const x of restrictedProblems(t.spec, slipwayDefaults)) result.problems.push(`${t.where}: ${x}`);
    }
  }
  return result;
}
