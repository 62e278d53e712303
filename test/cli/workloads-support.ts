/**
 * The normal form for core workload documents: what the API server stores (its defaults filled in on both sides),
 * quantities by value, volumes by name, and slipway's visible Pod Security annotations left out (an import at a
 * relaxed level writes them on purpose).
 */
const POD_SECURITY = ['slipway.dev/pod-security-level', 'slipway.dev/pod-security-opt-out'];

function fill(o: any, defaults: Record<string, unknown>): void {
  if (!o || typeof o !== 'object') return;
  for (const [k, v] of Object.entries(defaults)) if (o[k] === undefined) o[k] = v;
}

function quantity(v: unknown): unknown {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(v));
  if (!m) return v;
  const f: Record<string, number> = { '': 1, m: 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9 };
  return Number(m[1]) * f[m[2] ?? ''];
}

function probe(p: any): void {
  if (!p) return;
  fill(p, { periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
  if (p.httpGet) fill(p.httpGet, { scheme: 'HTTP' });
}

function podSpec(spec: any, restartDefault: boolean): void {
  if (!spec) return;
  fill(spec, { dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler' });
  if (restartDefault) fill(spec, { restartPolicy: 'Always' });
  for (const k of ['hostNetwork', 'setHostnameAsFQDN']) if (spec[k] === false) delete spec[k];
  if (spec.automountServiceAccountToken === true) delete spec.automountServiceAccountToken;
  if (spec.securityContext?.fsGroupChangePolicy === 'Always') delete spec.securityContext.fsGroupChangePolicy;
  if (spec.securityContext?.runAsNonRoot === false) delete spec.securityContext.runAsNonRoot;
  spec.securityContext ??= {};
  for (const t of spec.tolerations ?? []) fill(t, { operator: 'Equal' });
  if (Array.isArray(spec.volumes)) {
    spec.volumes.sort((a: any, b: any) => String(a.name).localeCompare(String(b.name)));
    for (const v of spec.volumes) if (v.emptyDir?.sizeLimit) v.emptyDir.sizeLimit = quantity(v.emptyDir.sizeLimit);
    for (const v of spec.volumes) for (const k of ['configMap', 'secret']) if (v[k]) fill(v[k], { defaultMode: 420 });
    for (const v of spec.volumes) if (v.persistentVolumeClaim?.readOnly === false) delete v.persistentVolumeClaim.readOnly;
    for (const v of spec.volumes) if (v.hostPath) fill(v.hostPath, { type: '' });
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const tag = /:[^/]+$/.test(String(c.image).split('@')[0]) && !String(c.image).endsWith(':latest');
    fill(c, { imagePullPolicy: tag ? 'IfNotPresent' : 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    for (const p of c.ports ?? []) fill(p, { protocol: 'TCP' });
    for (const side of ['requests', 'limits']) {
      const r = c.resources?.[side];
      if (r) for (const k of Object.keys(r)) r[k] = quantity(r[k]);
    }
    for (const k of ['privileged', 'readOnlyRootFilesystem']) if (c.securityContext?.[k] === false) delete c.securityContext[k];
    probe(c.livenessProbe); probe(c.readinessProbe); probe(c.startupProbe);
  }
}

function template(t: any, restartDefault: boolean): void {
  if (!t) return;
  for (const a of POD_SECURITY) delete t.metadata?.annotations?.[a];
  podSpec(t.spec, restartDefault);
}

function jobSpec(s: any): void {
  if (!s) return;
  fill(s, { backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
  template(s.template, false);
}

/** Fills in what the API server stores for a document slipway did not set. */
export function serverDefaults(d: any): any {
  const x = JSON.parse(JSON.stringify(d));
  const s = x.spec;
  switch (x.kind) {
    case 'Deployment':
      fill(s, { replicas: 1, minReadySeconds: 0, progressDeadlineSeconds: 600, revisionHistoryLimit: 10 });
      s.strategy ??= { type: 'RollingUpdate' };
      if (s.strategy.type === 'RollingUpdate') { s.strategy.rollingUpdate ??= {}; fill(s.strategy.rollingUpdate, { maxSurge: '25%', maxUnavailable: '25%' }); }
      template(s.template, true);
      break;
    case 'DaemonSet':
      fill(s, { minReadySeconds: 0, revisionHistoryLimit: 10 });
      s.updateStrategy ??= { type: 'RollingUpdate' };
      if (s.updateStrategy.type === 'RollingUpdate') { s.updateStrategy.rollingUpdate ??= {}; fill(s.updateStrategy.rollingUpdate, { maxUnavailable: 1, maxSurge: 0 }); }
      template(s.template, true);
      break;
    case 'StatefulSet':
      fill(s, { replicas: 1, minReadySeconds: 0, revisionHistoryLimit: 10, podManagementPolicy: 'OrderedReady' });
      s.updateStrategy ??= { type: 'RollingUpdate' };
      if (s.updateStrategy.type === 'RollingUpdate') { s.updateStrategy.rollingUpdate ??= {}; fill(s.updateStrategy.rollingUpdate, { partition: 0 }); }
      for (const t of s.volumeClaimTemplates ?? []) {
        fill(t.spec, { volumeMode: 'Filesystem' });
        if (t.spec?.resources?.requests?.storage) t.spec.resources.requests.storage = quantity(t.spec.resources.requests.storage);
      }
      template(s.template, true);
      break;
    case 'PersistentVolumeClaim':
      fill(s, { volumeMode: 'Filesystem' });
      if (s.resources?.requests?.storage) s.resources.requests.storage = quantity(s.resources.requests.storage);
      break;
    case 'Pod':
      for (const a of POD_SECURITY) delete x.metadata?.annotations?.[a];
      podSpec(s, true);
      break;
    case 'Job': jobSpec(s); break;
    case 'CronJob':
      fill(s, { concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
      jobSpec(s.jobTemplate?.spec);
      break;
    case 'Service':
      fill(s, { type: 'ClusterIP', sessionAffinity: 'None' });
      for (const p of s.ports ?? []) fill(p, { protocol: 'TCP', targetPort: p.port });
      break;
    case 'ConfigMap':
      if (x.immutable === false) delete x.immutable;
      break;
    case 'HorizontalPodAutoscaler':
      fill(s, { minReplicas: 1 });
      if (!s.metrics?.length) s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      break;
    default: break;
  }
  return x;
}
