/**
 * A pod template (`spec` of a Pod, `spec.template.spec` of a workload) → the props of a slipway pod-bearing
 * construct: containers through the secure defaults, volumes as typed handles, the Pod Security level the file
 * meets, and the JSON patches that remove what cdk8s-plus-28 always adds (the address label, a default startup probe).
 */
import { Expr, api, arr, callApi, construct, data, lit, member, method, obj, ref } from '../../calls';
import { FieldPath } from '../../yaml-source';
import { DocumentBuilder } from '../plan';
import { baselineFindings, restrictedFindings } from '../../../workloads/pod-security';

/** What a pod template becomes: props of the construct, and calls on it after it is built. */
export interface PodParts {
  /** Props (containers, volumes, securityContext, podSecurity, …). */
  readonly props: Record<string, Expr | undefined>;
  /** Calls on the construct variable once it exists (`addNodeSelector`, JSON patches). */
  readonly after: Array<(self: Expr) => Expr>;
}

const ENV_FIELDS: Record<string, string> = {
  'metadata.name': 'POD_NAME', 'metadata.namespace': 'POD_NAMESPACE', 'metadata.uid': 'POD_UID', 'status.podIP': 'POD_IP',
  'spec.serviceAccountName': 'SERVICE_ACCOUNT_NAME', 'spec.nodeName': 'NODE_NAME', 'status.hostIP': 'NODE_IP', 'status.podIPs': 'POD_IPS',
};
const PULL: Record<string, string> = { Always: 'ALWAYS', IfNotPresent: 'IF_NOT_PRESENT', Never: 'NEVER' };
const PROTOCOLS: Record<string, string> = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP' };
const SECCOMP: Record<string, string> = { RuntimeDefault: 'RUNTIME_DEFAULT', Unconfined: 'UNCONFINED', Localhost: 'LOCALHOST' };
const DNS: Record<string, string> = { ClusterFirst: 'CLUSTER_FIRST', ClusterFirstWithHostNet: 'CLUSTER_FIRST_WITH_HOST_NET', Default: 'DEFAULT', None: 'NONE' };
const RESTART: Record<string, string> = { Always: 'ALWAYS', OnFailure: 'ON_FAILURE', Never: 'NEVER' };
const POD_OPTIONS = ['priorityClassName', 'runtimeClassName', 'shareProcessNamespace', 'enableServiceLinks', 'hostPID', 'hostIPC', 'preemptionPolicy', 'hostUsers'];
const HOST_PATH: Record<string, string> = { '': 'DEFAULT', DirectoryOrCreate: 'DIRECTORY_OR_CREATE', Directory: 'DIRECTORY', FileOrCreate: 'FILE_OR_CREATE',
  File: 'FILE', Socket: 'SOCKET', CharDevice: 'CHAR_DEVICE', BlockDevice: 'BLOCK_DEVICE' };
const LEVEL_ANNOTATION = 'slipway.dev/pod-security-level';
const REASON_ANNOTATION = 'slipway.dev/pod-security-opt-out';

/** `cdk8s.Duration.seconds(n)` for kplus props. */
export const seconds = (n: unknown): Expr => callApi('cdk8s.Duration.seconds', data(n));

/** `Cpu.millis(250)` / `Cpu.units(1)` for a CPU quantity kplus writes back unchanged, else undefined. */
function cpu(v: unknown): Expr | undefined {
  const s = String(v);
  if (/^[1-9][0-9]*m$/.test(s)) return callApi('kplus.Cpu.millis', lit(Number(s.slice(0, -1))));
  if (typeof v === 'number' || /^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(s)) return String(Number(s)) === s ? callApi('kplus.Cpu.units', lit(Number(s))) : undefined;
  return undefined;
}

/** `Size.mebibytes(n)` / `Size.gibibytes(n)` for a binary quantity kplus writes (as Mi or Gi), else undefined. */
export function size(v: unknown, unit: 'Mi' | 'Gi'): Expr | undefined {
  const m = /^([1-9][0-9]*)(Mi|Gi|Ti)$/.exec(String(v));
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] === 'Mi' ? 1 : m[2] === 'Gi' ? 1024 : 1024 * 1024);
  if (unit === 'Gi' && n % 1024 !== 0) return undefined;
  return m[2] === 'Mi' ? callApi('cdk8s.Size.mebibytes', lit(Number(m[1]))) : callApi(m[2] === 'Gi' ? 'cdk8s.Size.gibibytes' : 'cdk8s.Size.tebibytes', lit(Number(m[1])));
}

/**
 * The level the file's pods meet: from slipway's own annotations, else (import) the strictest the spec passes, so
 * behaviour is kept; `check` holds an unannotated pod to "restricted", slipway's default.
 */
function levelOf(spec: any, annotations: Record<string, string>, exact: boolean): { level: 'restricted' | 'baseline' | 'privileged'; reason?: string; annotated: boolean } {
  const named = annotations[LEVEL_ANNOTATION];
  if ((named === 'baseline' || named === 'privileged') && annotations[REASON_ANNOTATION]) return { level: named, reason: annotations[REASON_ANNOTATION], annotated: true };
  if (!exact || restrictedFindings(spec).length === 0) return { level: 'restricted', annotated: false };
  const findings = restrictedFindings(spec);
  if (baselineFindings(spec).length === 0) return { level: 'baseline', reason: `imported as written: ${findings[0]}`, annotated: false };
  return { level: 'privileged', reason: `imported as written: ${baselineFindings(spec)[0]}`, annotated: false };
}

/** Reads a pod template. `metaAt`/`specAt` locate its metadata and spec in the document. */
export function readPodTemplate(b: DocumentBuilder, meta: any, spec: any, specAt: FieldPath, pointer: string, owner: string,
  claimTemplates: ReadonlyMap<string, Expr> = new Map()): PodParts {
  const plan = b.plan;
  const after: Array<(self: Expr) => Expr> = [];
  b.only(spec, specAt, ['containers', 'initContainers', 'volumes', 'serviceAccountName', 'securityContext', 'nodeSelector',
    'terminationGracePeriodSeconds', 'hostNetwork', 'dnsPolicy', 'setHostnameAsFQDN', 'hostname', 'subdomain', 'tolerations', 'restartPolicy', 'automountServiceAccountToken', 'imagePullSecrets', ...POD_OPTIONS]);
  const annotations: Record<string, string> = meta?.annotations ?? {};
  const level = levelOf(spec, annotations, plan.exact);
  if (level.level !== 'restricted' && !level.annotated) {
    b.note({ kind: 'opt-out', text: `${b.plan.documents[b.doc].label}: its pods do not meet Pod Security "restricted" (${level.reason?.replace('imported as written: ', '')}): written with PodSecurity.${level.level}() so they run as the file says` });
  }
  // Volumes first: mounts refer to them.
  const volumes = new Map<string, Expr>(claimTemplates);
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    const at = [...specAt, 'volumes', i];
    const volume = readVolume(b, v, at, owner);
    if (!volume) return;
    const name = plan.variable(owner, String(v.name), 'volume');
    b.add(at, volume, name);
    volumes.set(String(v.name), ref(name));
  });
  const containers = (list: any[] | undefined, key: string): Expr | undefined => list === undefined ? undefined
    : arr(list.map((c: any, i: number) => readContainer(b, c, [...specAt, key, i], volumes, level.level, (path) => after.push((self) => removePatch(self, path)), `${pointer}/${key}/${i}`, specAt)));
  const ctx = spec.securityContext;
  b.only(ctx, [...specAt, 'securityContext'], ['runAsUser', 'runAsGroup', 'fsGroup', 'runAsNonRoot', 'fsGroupChangePolicy', 'sysctls']);
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) after.push((self) => method(self, 'addNodeSelector', lit(k), lit(String(v))));
  (spec.tolerations ?? []).forEach((t: any, i: number) => {
    const query = toleration(b, t, [...specAt, 'tolerations', i]);
    if (query) after.push((self) => method(member(self, 'scheduling'), 'tolerate', callApi('kplus.Node.tainted', query)));
  });
  const pulls: any[] = spec.imagePullSecrets ?? [];
  pulls.forEach((x, i) => b.only(x, [...specAt, 'imagePullSecrets', i], ['name']));
  const pullSecret = (x: any, i: number): Expr => callApi('kplus.Secret.fromSecretName', ref('scope'),
    lit(plan.constructId(i === 0 ? `${owner}-pull-secret` : `${owner}-pull-secret-${i + 1}`, 'Secret')), lit(String(x.name)));
  if (spec.automountServiceAccountToken === undefined) {
    b.note({ kind: 'opt-out', text: `${b.plan.documents[b.doc].label}: automountServiceAccountToken: true written, as Kubernetes does when the file leaves it out (cdk8s-plus-28 writes false)` });
  }
  if (spec.dnsPolicy !== undefined && !DNS[spec.dnsPolicy]) b.gap([...specAt, 'dnsPolicy'], `dnsPolicy ${spec.dnsPolicy}`);
  const props: Record<string, Expr | undefined> = {
    podSecurity: level.level === 'restricted' ? undefined : callApi(`workloads.PodSecurity.${level.level}`, lit(level.reason ?? '')),
    writableTmp: lit(false),
    initContainers: containers(spec.initContainers, 'initContainers'),
    containers: containers(spec.containers, 'containers'),
    volumes: volumes.size > claimTemplates.size ? arr([...volumes].filter(([n]) => !claimTemplates.has(n)).map(([, x]) => x)) : undefined,
    serviceAccount: spec.serviceAccountName !== undefined
      ? callApi('kplus.ServiceAccount.fromServiceAccountName', ref('scope'), lit(plan.constructId(`${owner}-sa`, 'ServiceAccount')), lit(String(spec.serviceAccountName))) : undefined,
    automountServiceAccountToken: lit(spec.automountServiceAccountToken ?? true),
    // The level writes runAsNonRoot: true on the pod unless told; false is what Kubernetes assumes when it is unset.
    securityContext: ctx || level.level === 'restricted' ? obj({
      user: ctx?.runAsUser !== undefined ? data(ctx.runAsUser) : undefined,
      group: ctx?.runAsGroup !== undefined ? data(ctx.runAsGroup) : undefined,
      fsGroup: ctx?.fsGroup !== undefined ? data(ctx.fsGroup) : undefined,
      ensureNonRoot: ctx?.runAsNonRoot !== undefined ? data(ctx.runAsNonRoot) : level.level === 'restricted' ? lit(false) : undefined,
      fsGroupChangePolicy: ctx?.fsGroupChangePolicy !== undefined ? api(`kplus.FsGroupChangePolicy.${ctx!.fsGroupChangePolicy === 'OnRootMismatch' ? 'ON_ROOT_MISMATCH' : 'ALWAYS'}`) : undefined,
      sysctls: ctx?.sysctls ? data(ctx.sysctls) : undefined,
    }) : undefined,
    terminationGracePeriod: spec.terminationGracePeriodSeconds !== undefined ? seconds(spec.terminationGracePeriodSeconds) : undefined,
    hostNetwork: spec.hostNetwork !== undefined ? data(spec.hostNetwork) : undefined,
    dns: [spec.dnsPolicy, spec.setHostnameAsFQDN, spec.hostname, spec.subdomain].some((x) => x !== undefined) ? obj({
      policy: spec.dnsPolicy !== undefined && DNS[spec.dnsPolicy] ? api(`kplus.DnsPolicy.${DNS[spec.dnsPolicy]}`) : undefined,
      hostnameAsFQDN: spec.setHostnameAsFQDN !== undefined ? data(spec.setHostnameAsFQDN) : undefined,
      hostname: spec.hostname !== undefined ? lit(String(spec.hostname)) : undefined,
      subdomain: spec.subdomain !== undefined ? lit(String(spec.subdomain)) : undefined,
    }) : undefined,
    restartPolicy: spec.restartPolicy !== undefined && RESTART[spec.restartPolicy] ? api(`kplus.RestartPolicy.${RESTART[spec.restartPolicy]}`) : undefined,
    // One Secret in cdk8s-plus-28's own prop; several in slipway's list.
    dockerRegistryAuth: pulls.length === 1 && pulls[0]?.name !== undefined ? pullSecret(pulls[0], 0) : undefined,
    imagePullSecrets: pulls.length > 1 ? arr(pulls.map(pullSecret)) : undefined,
  };
  if (spec.restartPolicy !== undefined && !RESTART[spec.restartPolicy]) b.gap([...specAt, 'restartPolicy'], `restartPolicy ${spec.restartPolicy}`);
  for (const k of POD_OPTIONS) if (spec[k] !== undefined) props[k] = data(spec[k]);
  return { props, after };
}

const EFFECTS: Record<string, string> = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' };

/** A toleration as `kplus.NodeTaintQuery`: `is` (Equal), `exists`, or `any()` (Exists without a key). */
function toleration(b: DocumentBuilder, t: any, at: FieldPath): Expr | undefined {
  b.only(t, at, ['key', 'operator', 'value', 'effect', 'tolerationSeconds']);
  if (t.effect !== undefined && !EFFECTS[t.effect]) b.gap([...at, 'effect'], `effect ${t.effect}`);
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') b.gap([...at, 'tolerationSeconds'], 'tolerationSeconds without effect NoExecute');
  const options = obj({
    effect: t.effect !== undefined && EFFECTS[t.effect] ? api(`kplus.TaintEffect.${EFFECTS[t.effect]}`) : undefined,
    evictAfter: t.tolerationSeconds !== undefined ? seconds(t.tolerationSeconds) : undefined,
  });
  if (t.operator === 'Exists') {
    if (t.key === undefined) {
      if (t.effect !== undefined || t.tolerationSeconds !== undefined) b.gap(at, 'a keyless toleration with an effect (cdk8s-plus-28 writes NodeTaintQuery.any() without one)');
      return callApi('kplus.NodeTaintQuery.any');
    }
    return callApi('kplus.NodeTaintQuery.exists', lit(String(t.key)), options);
  }
  if (t.operator !== undefined && t.operator !== 'Equal') b.gap([...at, 'operator'], `operator ${t.operator}`);
  return callApi('kplus.NodeTaintQuery.is', lit(String(t.key ?? '')), lit(String(t.value ?? '')), options);
}

/** `ApiObject.of(self).addJsonPatch(JsonPatch.remove(path))`: removes what cdk8s-plus-28 adds and the file does not have. */
export function removePatch(self: Expr, path: string): Expr {
  return method(callApi('cdk8s.ApiObject.of', self), 'addJsonPatch', callApi('cdk8s.JsonPatch.remove', lit(path)));
}

/**
 * The ConfigMap or Secret construct of a given document, else a cdk8s-plus-28 reference by name: for import an
 * object made outside the app (listed); for check one in a detached tree the app never sees, so the app-wide
 * reference check reports it as it does for any reference to an object in none of the files.
 */
function configHandle(b: DocumentBuilder, kind: 'ConfigMap' | 'Secret', name: string, owner: string): Expr {
  const h = b.plan.handle(kind, name);
  if (h) return ref(h.variable);
  if (b.plan.exact) {
    b.note({ kind: 'escape-hatch', text: `${b.plan.documents[b.doc].label} refers to ${kind} ${JSON.stringify(name)}, which is in none of the files: referred to by name with kplus.${kind}.from${kind === 'Secret' ? 'SecretName' : 'ConfigMapName'}()` });
  }
  return byName(b, kind, name, `${owner}-${name}`);
}

/** `kplus.Secret.fromSecretName(scope, id, name)` (import) or the same in a detached tree (check). */
export function byName(b: DocumentBuilder, kind: 'ConfigMap' | 'Secret', name: string, id: string): Expr {
  const scope = b.plan.exact ? ref('scope') : construct('cdk8s.Chart', construct('cdk8s.App'), lit('outside-the-files'));
  return callApi(kind === 'Secret' ? 'kplus.Secret.fromSecretName' : 'kplus.ConfigMap.fromConfigMapName', scope, lit(b.plan.constructId(id, kind)), lit(name));
}

function readVolume(b: DocumentBuilder, v: any, at: FieldPath, owner: string): Expr | undefined {
  b.only(v, at, ['name', 'configMap', 'secret', 'emptyDir', 'persistentVolumeClaim', 'hostPath']);
  const id = lit(b.plan.constructId(`${owner}-volume-${v.name}`, 'Volume'));
  if (v.configMap) {
    b.only(v.configMap, [...at, 'configMap'], ['name', 'optional', 'defaultMode']);
    return callApi('kplus.Volume.fromConfigMap', ref('scope'), id, configHandle(b, 'ConfigMap', String(v.configMap.name), owner), obj({
      name: lit(String(v.name)), optional: v.configMap.optional !== undefined ? data(v.configMap.optional) : undefined,
      defaultMode: v.configMap.defaultMode !== undefined ? data(v.configMap.defaultMode) : undefined,
    }));
  }
  if (v.secret) {
    b.only(v.secret, [...at, 'secret'], ['secretName', 'optional', 'defaultMode']);
    return callApi('kplus.Volume.fromSecret', ref('scope'), id, configHandle(b, 'Secret', String(v.secret.secretName), owner), obj({
      name: lit(String(v.name)), optional: v.secret.optional !== undefined ? data(v.secret.optional) : undefined,
      defaultMode: v.secret.defaultMode !== undefined ? data(v.secret.defaultMode) : undefined,
    }));
  }
  if (v.emptyDir) {
    b.only(v.emptyDir, [...at, 'emptyDir'], ['sizeLimit', 'medium']);
    const limit = v.emptyDir.sizeLimit !== undefined ? size(v.emptyDir.sizeLimit, 'Mi') : undefined;
    if (v.emptyDir.sizeLimit !== undefined && !limit) b.gap([...at, 'emptyDir', 'sizeLimit'], `emptyDir sizeLimit ${v.emptyDir.sizeLimit} (written in Mi)`);
    if (v.emptyDir.medium !== undefined && v.emptyDir.medium !== 'Memory') b.gap([...at, 'emptyDir', 'medium'], `emptyDir medium ${v.emptyDir.medium}`);
    return callApi('kplus.Volume.fromEmptyDir', ref('scope'), id, lit(String(v.name)), obj({
      sizeLimit: limit, medium: v.emptyDir.medium === 'Memory' ? api('kplus.EmptyDirMedium.MEMORY') : undefined,
    }));
  }
  if (v.persistentVolumeClaim) {
    b.only(v.persistentVolumeClaim, [...at, 'persistentVolumeClaim'], ['claimName', 'readOnly']);
    const claim = String(v.persistentVolumeClaim.claimName);
    const h = b.plan.handle('PersistentVolumeClaim', claim);
    const handle = h ? ref(h.variable)
      : callApi('kplus.PersistentVolumeClaim.fromClaimName', ref('scope'), lit(b.plan.constructId(`${owner}-${claim}`, 'PersistentVolumeClaim')), lit(claim));
    return callApi('kplus.Volume.fromPersistentVolumeClaim', ref('scope'), id, handle, obj({
      name: lit(String(v.name)), readOnly: v.persistentVolumeClaim.readOnly !== undefined ? data(v.persistentVolumeClaim.readOnly) : undefined,
    }));
  }
  if (v.hostPath) {
    b.only(v.hostPath, [...at, 'hostPath'], ['path', 'type']);
    const type = v.hostPath.type;
    if (type !== undefined && !HOST_PATH[type]) b.gap([...at, 'hostPath', 'type'], `hostPath type ${JSON.stringify(type)}`);
    return callApi('kplus.Volume.fromHostPath', ref('scope'), id, lit(String(v.name)), obj({
      path: lit(String(v.hostPath.path)), type: type !== undefined && HOST_PATH[type] ? api(`kplus.HostPathVolumeType.${HOST_PATH[type]}`) : undefined,
    }));
  }
  b.gap(at, `volume ${JSON.stringify(v.name)}: only configMap, secret, emptyDir, persistentVolumeClaim and hostPath volumes are imported`);
  return undefined;
}

function probe(b: DocumentBuilder, p: any, at: FieldPath): Expr | undefined {
  if (p === undefined) return undefined;
  b.only(p, at, ['httpGet', 'tcpSocket', 'exec', 'grpc', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold', 'terminationGracePeriodSeconds']);
  const options: Record<string, Expr | undefined> = {
    initialDelay: p.initialDelaySeconds !== undefined ? callApi('Duration.seconds', data(p.initialDelaySeconds)) : undefined,
    period: p.periodSeconds !== undefined ? callApi('Duration.seconds', data(p.periodSeconds)) : undefined,
    timeout: p.timeoutSeconds !== undefined ? callApi('Duration.seconds', data(p.timeoutSeconds)) : undefined,
    terminationGracePeriod: p.terminationGracePeriodSeconds !== undefined ? callApi('Duration.seconds', data(p.terminationGracePeriodSeconds)) : undefined,
    failureThreshold: p.failureThreshold !== undefined ? data(p.failureThreshold) : undefined,
    successThreshold: p.successThreshold !== undefined ? data(p.successThreshold) : undefined,
  };
  const port = (x: any, key: string): Expr | undefined => {
    if (x?.port === undefined) return undefined;
    if (typeof x.port !== 'number') b.gap([...at, key, 'port'], `probe port ${JSON.stringify(x.port)} (slipway's probes take a port number)`);
    return data(x.port);
  };
  if (p.httpGet) {
    const h = p.httpGet;
    b.only(h, [...at, 'httpGet'], ['path', 'port', 'scheme', 'httpHeaders', 'host']);
    return callApi('workloads.Probe.fromHttpGet', lit(String(h.path ?? '/')), obj({
      ...options, port: port(h, 'httpGet'), scheme: h.scheme !== undefined ? api(`kplus.ConnectionScheme.${h.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP'}`) : undefined,
      httpHeaders: h.httpHeaders ? data(h.httpHeaders) : undefined, host: h.host !== undefined ? lit(String(h.host)) : undefined,
    }));
  }
  if (p.tcpSocket) {
    b.only(p.tcpSocket, [...at, 'tcpSocket'], ['port']);
    return callApi('workloads.Probe.fromTcpSocket', obj({ ...options, port: port(p.tcpSocket, 'tcpSocket') }));
  }
  if (p.exec) {
    b.only(p.exec, [...at, 'exec'], ['command']);
    return callApi('workloads.Probe.fromCommand', data(p.exec.command ?? []), obj(options));
  }
  if (p.grpc) {
    b.only(p.grpc, [...at, 'grpc'], ['port', 'service']);
    return callApi('workloads.Probe.fromGrpc', data(p.grpc.port), obj({ ...options, service: p.grpc.service !== undefined ? lit(String(p.grpc.service)) : undefined }));
  }
  b.gap(at, 'a probe without a handler');
  return undefined;
}

function envValue(b: DocumentBuilder, e: any, at: FieldPath, owner: string): Expr | undefined {
  if (e.valueFrom === undefined) return callApi('kplus.EnvValue.fromValue', lit(String(e.value ?? '')));
  const f = e.valueFrom;
  b.only(f, [...at, 'valueFrom'], ['configMapKeyRef', 'secretKeyRef', 'fieldRef']);
  if (f.configMapKeyRef) {
    b.only(f.configMapKeyRef, [...at, 'valueFrom', 'configMapKeyRef'], ['name', 'key', 'optional']);
    const r = f.configMapKeyRef;
    return callApi('kplus.EnvValue.fromConfigMap', configHandle(b, 'ConfigMap', String(r.name), owner), lit(String(r.key)),
      ...(r.optional !== undefined ? [obj({ optional: data(r.optional) })] : []));
  }
  if (f.secretKeyRef) {
    b.only(f.secretKeyRef, [...at, 'valueFrom', 'secretKeyRef'], ['name', 'key', 'optional']);
    const r = f.secretKeyRef;
    return callApi('kplus.EnvValue.fromSecretValue', obj({ secret: configHandle(b, 'Secret', String(r.name), owner), key: lit(String(r.key)) }),
      ...(r.optional !== undefined ? [obj({ optional: data(r.optional) })] : []));
  }
  if (f.fieldRef) {
    b.only(f.fieldRef, [...at, 'valueFrom', 'fieldRef'], ['fieldPath']);
    const key = ENV_FIELDS[f.fieldRef.fieldPath];
    if (key) return callApi('kplus.EnvValue.fromFieldRef', api(`kplus.EnvFieldPaths.${key}`));
    b.gap([...at, 'valueFrom', 'fieldRef', 'fieldPath'], `fieldRef ${f.fieldRef.fieldPath}`);
    return undefined;
  }
  b.gap([...at, 'valueFrom'], 'an env valueFrom other than configMapKeyRef, secretKeyRef and fieldRef');
  return undefined;
}

function resources(b: DocumentBuilder, r: any, at: FieldPath): { resources?: Expr; extended?: Expr } {
  if (r === undefined) return {};
  b.only(r, at, ['requests', 'limits']);
  const out: Record<string, Record<string, Expr>> = {};
  const extended: Record<string, Expr> = {};
  for (const side of ['requests', 'limits'] as const) {
    for (const [name, q] of Object.entries(r[side] ?? {})) {
      const key = side === 'requests' ? 'request' : 'limit';
      const value = name === 'cpu' ? cpu(q) : name === 'memory' ? size(q, 'Mi') : name === 'ephemeral-storage' ? size(q, 'Gi') : undefined;
      const prop = name === 'ephemeral-storage' ? 'ephemeralStorage' : name;
      if (value) (out[prop] ??= {})[key] = value;
      else if (side === 'limits' && /\//.test(name) && /^[1-9][0-9]*$/.test(String(q)) && r.requests?.[name] === undefined) extended[name] = lit(Number(q));
      else b.gap([...at, side, name], `${side}.${name} ${JSON.stringify(q)} (slipway writes cpu as m or cores, memory in Mi, ephemeral storage in whole Gi)`);
    }
  }
  return {
    resources: Object.keys(out).length ? obj(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, obj(v)]))) : undefined,
    extended: Object.keys(extended).length ? obj(extended) : undefined,
  };
}

/** The security context fields slipway's level writes when the file leaves them out, and the file must then set. */
function containerSecurity(b: DocumentBuilder, s: any, at: FieldPath, level: string, podCtx: any): Expr {
  b.only(s, at, ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'capabilities', 'seccompProfile']);
  const ctx = s ?? {};
  b.only(ctx.capabilities, [...at, 'capabilities'], ['add', 'drop']);
  b.only(ctx.seccompProfile, [...at, 'seccompProfile'], ['type', 'localhostProfile']);
  // What the level writes unless set: a field the file leaves out would then appear.
  const added: string[] = [];
  if (level === 'restricted') {
    if (ctx.runAsNonRoot === undefined) added.push('runAsNonRoot');
    if (ctx.capabilities?.drop === undefined) added.push('capabilities.drop');
  }
  if (level !== 'privileged' && ctx.seccompProfile === undefined) added.push('seccompProfile');
  if (ctx.allowPrivilegeEscalation === undefined) added.push('allowPrivilegeEscalation');
  if (added.length) {
    b.inexact(at.length && s === undefined ? at : at, `container ${at.join('.')} leaves out ${added.join(', ')}, which slipway writes at Pod Security "${level}"${podCtx?.runAsNonRoot !== undefined && added.includes('runAsNonRoot') ? ' (the pod sets runAsNonRoot)' : ''}`);
  }
  const caps = (list: unknown[] | undefined) => list === undefined ? undefined : arr(list.map((c) => api(`kplus.Capability.${String(c)}`)));
  const seccomp = ctx.seccompProfile;
  if (seccomp?.type !== undefined && !SECCOMP[seccomp.type]) b.gap([...at, 'seccompProfile', 'type'], `seccompProfile type ${seccomp.type}`);
  return obj({
    user: ctx.runAsUser !== undefined ? data(ctx.runAsUser) : undefined,
    group: ctx.runAsGroup !== undefined ? data(ctx.runAsGroup) : undefined,
    ensureNonRoot: ctx.runAsNonRoot !== undefined ? data(ctx.runAsNonRoot) : level === 'restricted' ? undefined : lit(false),
    privileged: ctx.privileged !== undefined ? data(ctx.privileged) : undefined,
    readOnlyRootFilesystem: lit(ctx.readOnlyRootFilesystem ?? false),
    allowPrivilegeEscalation: ctx.allowPrivilegeEscalation !== undefined ? data(ctx.allowPrivilegeEscalation) : undefined,
    capabilities: ctx.capabilities ? obj({ add: caps(ctx.capabilities.add), drop: caps(ctx.capabilities.drop) }) : undefined,
    seccompProfile: seccomp && SECCOMP[seccomp.type] ? obj({
      type: api(`kplus.SeccompProfileType.${SECCOMP[seccomp.type]}`),
      localhostProfile: seccomp.localhostProfile !== undefined ? lit(String(seccomp.localhostProfile)) : undefined,
    }) : undefined,
  });
}

function readContainer(b: DocumentBuilder, c: any, at: FieldPath, volumes: Map<string, Expr>, level: string,
  patch: (path: string) => void, pointer: string, specAt: FieldPath): Expr {
  b.only(c, at, ['name', 'image', 'command', 'args', 'workingDir', 'imagePullPolicy', 'ports', 'env', 'envFrom', 'resources', 'volumeMounts',
    'securityContext', 'livenessProbe', 'readinessProbe', 'startupProbe', 'restartPolicy', 'tty', 'stdin', 'stdinOnce', 'terminationMessagePolicy']);
  const owner = String(b.value?.metadata?.name ?? 'pod');
  const ports = (c.ports ?? []).map((p: any, i: number) => {
    b.only(p, [...at, 'ports', i], ['containerPort', 'name', 'protocol', 'hostPort', 'hostIP']);
    if (p.protocol !== undefined && !PROTOCOLS[p.protocol]) b.gap([...at, 'ports', i, 'protocol'], `protocol ${p.protocol}`);
    return obj({
      number: data(p.containerPort), name: p.name !== undefined ? lit(String(p.name)) : undefined,
      protocol: p.protocol !== undefined && PROTOCOLS[p.protocol] ? api(`kplus.Protocol.${PROTOCOLS[p.protocol]}`) : undefined,
      hostPort: p.hostPort !== undefined ? data(p.hostPort) : undefined, hostIp: p.hostIP !== undefined ? lit(String(p.hostIP)) : undefined,
    });
  });
  // cdk8s-plus-28 adds a TCP startup probe to a container with ports; the file has none.
  if (ports.length > 0 && c.startupProbe === undefined && at[at.length - 2] === 'containers') patch(`${pointer}/startupProbe`);
  const env: Record<string, Expr> = {};
  (c.env ?? []).forEach((e: any, i: number) => {
    b.only(e, [...at, 'env', i], ['name', 'value', 'valueFrom']);
    const v = envValue(b, e, [...at, 'env', i], owner);
    if (v) env[String(e.name)] = v;
  });
  const envFrom = (c.envFrom ?? []).map((e: any, i: number) => {
    b.only(e, [...at, 'envFrom', i], ['configMapRef', 'secretRef', 'prefix']);
    const prefix = e.prefix !== undefined ? [lit(String(e.prefix))] : [];
    if (e.configMapRef) {
      b.only(e.configMapRef, [...at, 'envFrom', i, 'configMapRef'], ['name']);
      return callApi('kplus.Env.fromConfigMap', configHandle(b, 'ConfigMap', String(e.configMapRef.name), owner), ...prefix);
    }
    b.only(e.secretRef, [...at, 'envFrom', i, 'secretRef'], ['name']);
    return callApi('kplus.Env.fromSecret', configHandle(b, 'Secret', String(e.secretRef?.name), owner), ...prefix);
  });
  const mounts = (c.volumeMounts ?? []).map((m: any, i: number) => {
    b.only(m, [...at, 'volumeMounts', i], ['name', 'mountPath', 'readOnly', 'subPath', 'subPathExpr']);
    const volume = volumes.get(String(m.name));
    if (!volume) b.gap([...at, 'volumeMounts', i, 'name'], `volume mount ${JSON.stringify(m.name)} of a volume that is not imported`);
    return obj({
      path: lit(String(m.mountPath)), volume: volume ?? lit(''), readOnly: m.readOnly !== undefined ? data(m.readOnly) : undefined,
      subPath: m.subPath !== undefined ? lit(String(m.subPath)) : undefined, subPathExpr: m.subPathExpr !== undefined ? lit(String(m.subPathExpr)) : undefined,
    });
  });
  if (c.imagePullPolicy !== undefined && !PULL[c.imagePullPolicy]) b.gap([...at, 'imagePullPolicy'], `imagePullPolicy ${c.imagePullPolicy}`);
  const { resources: res, extended } = resources(b, c.resources, [...at, 'resources']);
  if (c.resources === undefined) b.inexact([...at, 'resources'], `container ${JSON.stringify(c.name)} sets no resources (slipway writes its default requests)`);
  const podCtx = b.plan.documents[b.doc].value && specAt.reduce((v: any, k) => v?.[k as any], b.value)?.securityContext;
  return obj({
    name: lit(String(c.name ?? '')),
    image: lit(String(c.image ?? '')),
    command: c.command ? data(c.command) : undefined,
    args: c.args ? data(c.args) : undefined,
    workingDir: c.workingDir !== undefined ? lit(String(c.workingDir)) : undefined,
    imagePullPolicy: c.imagePullPolicy !== undefined && PULL[c.imagePullPolicy] ? api(`kplus.ImagePullPolicy.${PULL[c.imagePullPolicy]}`) : undefined,
    ports: ports.length ? arr(ports) : undefined,
    envVariables: Object.keys(env).length ? obj(env) : undefined,
    envFrom: envFrom.length ? arr(envFrom) : undefined,
    resources: res,
    extendedResources: extended,
    volumeMounts: mounts.length ? arr(mounts) : undefined,
    securityContext: containerSecurity(b, c.securityContext, [...at, 'securityContext'], level, podCtx),
    liveness: probe(b, c.livenessProbe, [...at, 'livenessProbe']),
    readiness: probe(b, c.readinessProbe, [...at, 'readinessProbe']),
    startup: probe(b, c.startupProbe, [...at, 'startupProbe']),
    restartPolicy: c.restartPolicy === 'Always' ? api('kplus.ContainerRestartPolicy.ALWAYS') : undefined,
    tty: c.tty !== undefined ? data(c.tty) : undefined,
    stdin: c.stdin !== undefined ? data(c.stdin) : undefined,
    stdinOnce: c.stdinOnce !== undefined ? data(c.stdinOnce) : undefined,
    terminationMessagePolicy: c.terminationMessagePolicy !== undefined ? lit(String(c.terminationMessagePolicy)) : undefined,
  });
}
