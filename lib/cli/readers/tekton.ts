/**
 * Tekton documents (Task, Pipeline, PipelineRun) → the calls of `tekton.*` that build them. Typed handles are used
 * for references the API models: a pipeline task's `taskRef` to a Task given together becomes `task.ref`,
 * `$(tasks.x.results.y)` becomes `x.result('y')`, `runAfter` lists the pipeline task handles.
 */
import { Names } from '../../core';
import {
  Expr, api, arr, callApi, construct, data, lit, member, method, obj, optOut, ref,
} from '../calls';
import { DocumentBuilder, Plan, guarded } from './plan';
import { readCustomInterceptor, readEventListener, readTrigger } from './triggers';

type Path = Array<string | number>;

const TEKTON = 'tekton.dev/v1';

/** Reads every Tekton document of the plan, in dependency order (Tasks, then Pipelines, then runs). */
export function readTekton(plan: Plan, kinds: Map<number, string>): void {
  const of = (kind: string) => [...kinds.entries()].filter(([, k]) => k === kind).map(([i]) => i);
  for (const i of of('StepAction')) guarded(plan, i, readStepAction);
  for (const i of of('Task')) guarded(plan, i, readTask);
  for (const i of of('Pipeline')) guarded(plan, i, readPipeline);
  for (const i of of('PipelineRun')) guarded(plan, i, readPipelineRun);
  for (const i of of('TaskRun')) guarded(plan, i, readTaskRun);
  for (const i of of('CustomRun')) guarded(plan, i, readCustomRun);
  for (const i of [...of('TriggerBinding'), ...of('ClusterTriggerBinding')]) guarded(plan, i, readTriggerBinding);
  for (const i of of('TriggerTemplate')) guarded(plan, i, readTriggerTemplate);
  for (const i of [...of('Interceptor'), ...of('ClusterInterceptor')]) guarded(plan, i, readCustomInterceptor);
  for (const i of of('Trigger')) guarded(plan, i, readTrigger);
  for (const i of of('EventListener')) guarded(plan, i, readEventListener);
}

/** The kinds this reader builds (apiVersion/kind). */
export const TEKTON_KINDS = new Set([`${TEKTON}/Task`, `${TEKTON}/Pipeline`, `${TEKTON}/PipelineRun`, `${TEKTON}/TaskRun`,
  'tekton.dev/v1beta1/StepAction', 'tekton.dev/v1beta1/CustomRun', 'triggers.tekton.dev/v1beta1/TriggerBinding', 'triggers.tekton.dev/v1beta1/ClusterTriggerBinding',
  'triggers.tekton.dev/v1beta1/TriggerTemplate', 'triggers.tekton.dev/v1beta1/Trigger', 'triggers.tekton.dev/v1beta1/EventListener',
  'triggers.tekton.dev/v1alpha1/Interceptor', 'triggers.tekton.dev/v1alpha1/ClusterInterceptor']);

/** `{ name, ...(name differs from what the id gives) }`: the explicit name only when needed. */
function nameProp(id: string, name: string): Expr | undefined {
  return Names.toDnsLabel(id) === name ? undefined : lit(name);
}

function str(v: unknown): Expr | undefined {
  return v === undefined ? undefined : lit(String(v));
}

function labelsOf(b: DocumentBuilder, meta: any): Expr | undefined {
  b.only(meta, ['metadata'], ['name', 'labels']);
  return meta?.labels ? data(meta.labels) : undefined;
}

// ---------------------------------------------------------------- values

/** Param names declared in the current scope (Task or Pipeline) → variable of their handle. */
type Handles = Map<string, string>;

/** A `$(params.x)` whole reference to a declared param becomes its handle; other text stays text. */
function paramValue(v: unknown, params: Handles, tasks: Map<string, TaskInfo>): Expr {
  if (Array.isArray(v)) return callApi('tekton.ParamValue.array', arr(v.map((x) => lit(String(x)))));
  if (v !== null && typeof v === 'object') return callApi('tekton.ParamValue.object', data(v));
  const text = String(v);
  const expr = referenceExpr(text, params, tasks);
  return expr ? callApi('tekton.ParamValue.of', expr) : callApi('tekton.ParamValue.string', lit(text));
}

const WHOLE_PARAM = /^\$\(params\.([A-Za-z0-9_-]+)(?:\[(\*|\d+)\]|\.([A-Za-z0-9_-]+))?\)$/;
const WHOLE_RESULT = /^\$\(tasks\.([a-z0-9-]+)\.results\.([A-Za-z0-9_-]+)(?:\[(\*|\d+)\]|\.([A-Za-z0-9_-]+))?\)$/;

/** `handle`, `handle.all`, `handle.index(i)` or `handle.key(k)` for the suffix of a whole reference. */
function accessor(handle: Expr, index: string | undefined, key: string | undefined): Expr {
  if (index === '*') return member(handle, 'all');
  if (index !== undefined) return method(handle, 'index', lit(Number(index)));
  if (key !== undefined) return method(handle, 'key', lit(key));
  return handle;
}

/**
 * A whole `$(params.x…)` or `$(tasks.t.results.r…)` reference as its typed handle expression, where the API has
 * one here (the param is declared in scope, the task is earlier in the pipeline); other text stays text.
 */
function referenceExpr(text: string, params: Handles, tasks: Map<string, TaskInfo>): Expr | undefined {
  let m = WHOLE_PARAM.exec(text);
  if (m && params.has(m[1])) return accessor(ref(params.get(m[1])!), m[2], m[3]);
  m = WHOLE_RESULT.exec(text);
  if (m) {
    const t = tasks.get(m[1]);
    if (t && t.created) return accessor(method(ref(t.variable), 'result', lit(m[2])), m[3], m[4]);
  }
  // Anything else stays text, which the Pipeline checks at synth (a missing task is dag-missing-task there).
  return undefined;
}

function paramRecord(list: unknown, params: Handles, tasks: Map<string, TaskInfo>, b: DocumentBuilder, path: Path): Expr | undefined {
  if (!Array.isArray(list)) return undefined;
  const entries: Record<string, Expr> = {};
  list.forEach((p: any, i) => {
    b.only(p, [...path, i], ['name', 'value']);
    entries[String(p?.name)] = paramValue(p?.value, params, tasks);
  });
  return obj(entries);
}

function duration(v: unknown): Expr | undefined {
  return v === undefined ? undefined : callApi('Duration.parse', lit(String(v)));
}

function enumOf(path: string, values: Record<string, string>, v: unknown, b: DocumentBuilder, at: Path): Expr | undefined {
  if (v === undefined) return undefined;
  const member = Object.entries(values).find(([, x]) => x === v)?.[0];
  if (!member) {
    b.gap(at, `${at.join('.')} value ${JSON.stringify(v)} has no ${path} member`);
    return undefined;
  }
  return api(`${path}.${member}`);
}

const PARAM_TYPES = { STRING: 'string', ARRAY: 'array', OBJECT: 'object' };
const ON_ERROR = { CONTINUE: 'continue', STOP_AND_FAIL: 'stopAndFail' };
const PULL = { ALWAYS: 'Always', IF_NOT_PRESENT: 'IfNotPresent', NEVER: 'Never' };

/** `params:` of a Task or Pipeline → `addParam` calls; returns the handles. */
function declareParams(b: DocumentBuilder, target: string, list: unknown, path: Path, used: Set<string>): Handles {
  const handles: Handles = new Map();
  if (!Array.isArray(list)) return handles;
  list.forEach((p: any, i) => {
    const at = [...path, i];
    b.only(p, at, ['name', 'type', 'description', 'default', 'properties', 'enum']);
    const name = String(p?.name);
    const props = obj({
      type: p.type !== undefined && p.type !== 'string' ? enumOf('tekton.ParamType', PARAM_TYPES, p.type, b, [...at, 'type']) : undefined,
      description: str(p.description),
      default: p.default !== undefined ? defaultValue(p.default) : undefined,
      properties: p.properties ? arr(Object.keys(p.properties).map(lit)) : undefined,
      enum: Array.isArray(p.enum) ? arr(p.enum.map((x: unknown) => lit(String(x)))) : undefined,
    });
    for (const [k, v] of Object.entries(p.properties ?? {})) {
      b.only(v, [...at, 'properties', k], ['type']);
      if ((v as any)?.type !== undefined && (v as any).type !== 'string') b.gap([...at, 'properties', k, 'type'], 'object param keys other than string');
    }
    const args: Expr[] = [lit(name)];
    if ((props as any).entries.length > 0) args.push(props);
    if (used.has(name)) {
      const v = b.plan.variable(name, 'param');
      handles.set(name, v);
      b.add(at, method(ref(target), 'addParam', ...args), v);
    } else {
      b.add(at, method(ref(target), 'addParam', ...args));
    }
  });
  return handles;
}

function defaultValue(v: unknown): Expr {
  if (Array.isArray(v)) return callApi('tekton.ParamValue.array', arr(v.map((x) => lit(String(x)))));
  if (v !== null && typeof v === 'object') return callApi('tekton.ParamValue.object', data(v));
  return callApi('tekton.ParamValue.string', lit(String(v)));
}

/** Names of params read as a whole reference in the strings of `value` (those get a handle variable). */
function wholeParamRefs(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = WHOLE_PARAM.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) value.forEach((v) => wholeParamRefs(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => wholeParamRefs(v, out));
  return out;
}

// ---------------------------------------------------------------- containers

const CONTAINER_FIELDS = ['name', 'image', 'command', 'args', 'workingDir', 'env', 'envFrom', 'computeResources', 'volumeMounts',
  'securityContext', 'imagePullPolicy'];

/** The fields every container shares (step, sidecar, step template). */
function containerProps(b: DocumentBuilder, c: any, path: Path, params: Handles): Record<string, Expr | undefined> {
  const env = Array.isArray(c.env) ? obj(Object.fromEntries(c.env.map((e: any, i: number) => [String(e?.name), envValue(b, e, [...path, 'env', i], params)]))) : undefined;
  const envFrom = Array.isArray(c.envFrom) ? arr(c.envFrom.map((e: any, i: number) => {
    const at = [...path, 'envFrom', i];
    b.only(e, at, ['configMapRef', 'secretRef', 'prefix']);
    const src = e.configMapRef ? ['configMap', e.configMapRef] : ['secret', e.secretRef];
    b.only(src[1], [...at, e.configMapRef ? 'configMapRef' : 'secretRef'], ['name']);
    return callApi(`tekton.EnvFrom.${src[0]}`, lit(String(src[1]?.name)), ...(e.prefix !== undefined ? [lit(String(e.prefix))] : []));
  })) : undefined;
  if (c.computeResources) b.only(c.computeResources, [...path, 'computeResources'], ['requests', 'limits']);
  if (Array.isArray(c.volumeMounts)) c.volumeMounts.forEach((m: any, i: number) => b.only(m, [...path, 'volumeMounts', i], ['name', 'mountPath', 'readOnly', 'subPath']));
  return {
    image: str(c.image),
    command: c.command ? data(c.command) : undefined,
    args: c.args ? data(c.args) : undefined,
    workingDir: str(c.workingDir),
    env,
    envFrom,
    computeResources: c.computeResources ? data(c.computeResources) : undefined,
    volumeMounts: c.volumeMounts ? data(c.volumeMounts) : undefined,
    securityContext: c.securityContext !== undefined ? securityContext(b, c.securityContext, [...path, 'securityContext']) : undefined,
    imagePullPolicy: enumOf('tekton.ImagePullPolicy', PULL, c.imagePullPolicy, b, [...path, 'imagePullPolicy']),
  };
}

function envValue(b: DocumentBuilder, e: any, path: Path, params: Handles): Expr {
  b.only(e, path, ['name', 'value', 'valueFrom']);
  if (e.valueFrom) {
    const vf = e.valueFrom;
    b.only(vf, [...path, 'valueFrom'], ['secretKeyRef', 'configMapKeyRef', 'fieldRef']);
    const keyRef = (field: string, fn: string): Expr => {
      const r = vf[field];
      b.only(r, [...path, 'valueFrom', field], ['name', 'key', 'optional']);
      return callApi(`tekton.EnvValue.${fn}`, lit(String(r.name)), lit(String(r.key)), ...(r.optional !== undefined ? [lit(Boolean(r.optional))] : []));
    };
    if (vf.secretKeyRef) return keyRef('secretKeyRef', 'fromSecretKey');
    if (vf.configMapKeyRef) return keyRef('configMapKeyRef', 'fromConfigMapKey');
    b.only(vf.fieldRef, [...path, 'valueFrom', 'fieldRef'], ['fieldPath']);
    return callApi('tekton.EnvValue.fromFieldPath', lit(String(vf.fieldRef?.fieldPath)));
  }
  const text = String(e.value ?? '');
  const handle = referenceExpr(text, params, new Map());
  return handle ? callApi('tekton.EnvValue.fromExpression', handle) : callApi('tekton.EnvValue.fromValue', lit(text));
}

function securityContext(b: DocumentBuilder, sc: any, path: Path): Expr {
  b.only(sc, path, ['runAsNonRoot', 'runAsUser', 'runAsGroup', 'allowPrivilegeEscalation', 'privileged', 'readOnlyRootFilesystem',
    'capabilities', 'seccompProfile']);
  b.only(sc.capabilities, [...path, 'capabilities'], ['drop', 'add']);
  b.only(sc.seccompProfile, [...path, 'seccompProfile'], ['type']);
  const keep = (k: string) => (sc[k] !== undefined ? data(sc[k]) : undefined);
  return obj({
    runAsNonRoot: keep('runAsNonRoot'),
    runAsUser: keep('runAsUser'),
    runAsGroup: keep('runAsGroup'),
    allowPrivilegeEscalation: keep('allowPrivilegeEscalation'),
    privileged: keep('privileged'),
    readOnlyRootFilesystem: keep('readOnlyRootFilesystem'),
    dropCapabilities: sc.capabilities?.drop ? data(sc.capabilities.drop) : undefined,
    addCapabilities: sc.capabilities?.add ? data(sc.capabilities.add) : undefined,
    seccompProfile: sc.seccompProfile?.type !== undefined ? lit(String(sc.seccompProfile.type)) : undefined,
  });
}

/** The restricted fields Tekton's sidecars and StepActions always get from slipway, as Kubernetes spells them. */
const RESTRICTED: ReadonlyArray<[string, (sc: any) => boolean]> = [
  ['runAsNonRoot', (sc) => sc.runAsNonRoot !== undefined],
  ['allowPrivilegeEscalation', (sc) => sc.allowPrivilegeEscalation !== undefined],
  ['capabilities.drop', (sc) => sc.capabilities?.drop !== undefined],
  ['seccompProfile', (sc) => sc.seccompProfile !== undefined],
];

/**
 * Sidecars and StepActions get slipway's restricted context under their own (no step template merges into
 * them), and the typed API has no form that leaves a field of it out. A context without all of them is then
 * written differently: import builds the document raw and names the fields; check still runs every rule.
 */
function restrictedOnly(b: DocumentBuilder, sc: any, at: Path, what: string): void {
  const missing = RESTRICTED.filter(([, has]) => !has(sc ?? {})).map(([field]) => field);
  if (missing.length === 0) return;
  b.inexact(at, `${what} leaves out ${missing.join(', ')}; slipway writes the restricted value of each on every sidecar and StepAction, and the typed API has no form without them`);
}

/** Opt-outs a container needs to keep its behaviour; `import` writes them only when the rule fires in `check`. */
function containerOptOuts(c: any, what: string): Record<string, Expr | undefined> {
  return {
    allowPrivileged: c.securityContext?.privileged === true
      ? optOut(lit(true), 'privileged-step', `the file runs ${what} privileged; kept so behaviour does not change`) : undefined,
    allowUnsafeScriptSubstitution: typeof c.script === 'string' && c.script.includes('$(')
      ? optOut(lit(true), 'script-injection', `the file pastes $(…) values into the script of ${what}; kept so behaviour does not change — move them to env`) : undefined,
  };
}

function stepWorkspaces(b: DocumentBuilder, list: unknown, path: Path): Expr | undefined {
  if (!Array.isArray(list)) return undefined;
  return arr(list.map((w: any, i) => {
    b.only(w, [...path, i], ['name', 'mountPath']);
    return data(w);
  }));
}

function whenList(b: DocumentBuilder, list: unknown, path: Path): Expr | undefined {
  if (!Array.isArray(list)) return undefined;
  return arr(list.map((w: any, i) => {
    b.only(w, [...path, i], ['input', 'operator', 'values', 'cel']);
    if (w.cel !== undefined) return callApi('tekton.WhenExpression.cel', lit(String(w.cel)));
    const fn = w.operator === 'notin' ? 'notIn' : 'in';
    if (w.operator !== 'in' && w.operator !== 'notin') b.gap([...path, i, 'operator'], `when operator ${JSON.stringify(w.operator)}`);
    return callApi(`tekton.WhenExpression.${fn}`, lit(String(w.input ?? '')), data(w.values ?? []));
  }));
}

function resolverExpr(b: DocumentBuilder, r: any, path: Path): Expr | undefined {
  const params = Object.fromEntries((r.params ?? []).map((p: any) => [String(p?.name), p?.value]));
  const known: Record<string, { fn: string; map: Record<string, string> }> = {
    git: { fn: 'git', map: { url: 'url', org: 'org', repo: 'repo', revision: 'revision', pathInRepo: 'pathInRepo', token: 'token', tokenKey: 'tokenKey', serverURL: 'serverURL', scmType: 'scmType' } },
    bundles: { fn: 'bundle', map: { bundle: 'bundle', name: 'name', secret: 'secret', kind: '' } },
    hub: { fn: 'hub', map: { catalog: 'catalog', type: 'type', name: 'name', version: 'version', kind: '' } },
    cluster: { fn: 'cluster', map: { name: 'name', namespace: 'namespace', kind: '' } },
    http: { fn: 'http', map: { url: 'url', digest: 'digest', 'http-username': 'username', 'http-password-secret': 'passwordSecret', 'http-password-secret-key': 'passwordSecretKey' } },
  };
  const k = known[r.resolver];
  if (!k) {
    b.gap([...path, 'resolver'], `resolver ${JSON.stringify(r.resolver)}`);
    return undefined;
  }
  const options: Record<string, Expr> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!(name in k.map) || typeof value !== 'string') {
      b.gap([...path, 'params'], `param ${JSON.stringify(name)} of the ${r.resolver} resolver`);
      continue;
    }
    if (k.map[name]) options[k.map[name]] = lit(value);
  }
  return callApi(`tekton.Resolver.${k.fn}`, obj(options));
}

// ---------------------------------------------------------------- Task

interface TaskShape {
  /** Variable of the Task construct. */
  readonly variable: string;
}

/** The `spec` of a Task (document or inline `taskSpec`) → addX calls on `variable`. */
function readTaskSpec(b: DocumentBuilder, spec: any, path: Path, variable: string): void {
  b.only(spec, path, ['params', 'results', 'workspaces', 'volumes', 'stepTemplate', 'steps', 'sidecars', 'description', 'displayName']);
  const params = declareParams(b, variable, spec.params, [...path, 'params'], wholeParamRefs([spec.steps, spec.sidecars]));
  (spec.workspaces ?? []).forEach((w: any, i: number) => {
    const at = [...path, 'workspaces', i];
    b.only(w, at, ['name', 'description', 'mountPath', 'readOnly', 'optional']);
    const props = obj({ description: str(w.description), mountPath: str(w.mountPath), readOnly: w.readOnly !== undefined ? lit(Boolean(w.readOnly)) : undefined,
      optional: w.optional !== undefined ? lit(Boolean(w.optional)) : undefined });
    b.add(at, method(ref(variable), 'addWorkspace', lit(String(w.name)), ...((props as any).entries.length ? [props] : [])));
  });
  (spec.results ?? []).forEach((r: any, i: number) => {
    const at = [...path, 'results', i];
    b.only(r, at, ['name', 'type', 'description', 'properties', 'value']);
    const props = obj({
      type: r.type !== undefined && r.type !== 'string' ? enumOf('tekton.ParamType', PARAM_TYPES, r.type, b, [...at, 'type']) : undefined,
      description: str(r.description),
      properties: r.properties ? arr(Object.keys(r.properties).map(lit)) : undefined,
      value: typeof r.value === 'string' ? lit(r.value) : r.value !== undefined ? (b.gap([...at, 'value'], 'result value other than a step result reference'), undefined) : undefined,
    });
    b.add(at, method(ref(variable), 'addResult', lit(String(r.name)), ...((props as any).entries.length ? [props] : [])));
  });
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    const at = [...path, 'volumes', i];
    b.only(v, at, ['name', 'emptyDir', 'configMap', 'secret', 'persistentVolumeClaim']);
    let e: Expr | undefined;
    if (v.emptyDir) {
      b.only(v.emptyDir, [...at, 'emptyDir'], ['medium', 'sizeLimit']);
      e = callApi('tekton.Volume.emptyDir', lit(String(v.name)), ...(Object.keys(v.emptyDir).length ? [data(v.emptyDir)] : []));
    } else if (v.configMap) {
      b.only(v.configMap, [...at, 'configMap'], ['name']);
      e = callApi('tekton.Volume.configMap', lit(String(v.name)), lit(String(v.configMap.name)));
    } else if (v.secret) {
      b.only(v.secret, [...at, 'secret'], ['secretName']);
      e = callApi('tekton.Volume.secret', lit(String(v.name)), lit(String(v.secret.secretName)));
    } else if (v.persistentVolumeClaim) {
      b.only(v.persistentVolumeClaim, [...at, 'persistentVolumeClaim'], ['claimName', 'readOnly']);
      e = callApi('tekton.Volume.persistentVolumeClaim', lit(String(v.name)), lit(String(v.persistentVolumeClaim.claimName)),
        ...(v.persistentVolumeClaim.readOnly !== undefined ? [lit(Boolean(v.persistentVolumeClaim.readOnly))] : []));
    } else b.gap(at, `volume ${JSON.stringify(v?.name)} of a kind slipway does not model`);
    if (e) b.add(at, method(ref(variable), 'addVolume', e));
  });
  (spec.steps ?? []).forEach((s: any, i: number) => {
    const at = [...path, 'steps', i];
    b.only(s, at, [...CONTAINER_FIELDS, 'script', 'displayName', 'timeout', 'onError', 'results', 'workspaces', 'stdoutConfig',
      'stderrConfig', 'when', 'ref', 'params']);
    b.only(s.stdoutConfig, [...at, 'stdoutConfig'], ['path']);
    b.only(s.stderrConfig, [...at, 'stderrConfig'], ['path']);
    let stepRef: Expr | undefined;
    if (s.ref) {
      b.only(s.ref, [...at, 'ref'], ['name', 'resolver', 'params']);
      if (s.ref.resolver) {
        const r = resolverExpr(b, s.ref, [...at, 'ref']);
        stepRef = r && callApi('tekton.StepActionRef.resolve', r);
      } else {
        const h = b.plan.handle('StepAction', String(s.ref.name));
        stepRef = h ? member(ref(h.variable), 'ref') : callApi('tekton.StepActionRef.named', lit(String(s.ref.name)));
      }
    }
    const results = s.results ? obj(Object.fromEntries(s.results.map((r: any, j: number) => {
      b.only(r, [...at, 'results', j], ['name', 'type', 'description', 'properties']);
      return [String(r.name), obj({
        type: r.type !== undefined ? enumOf('tekton.ParamType', PARAM_TYPES, r.type, b, [...at, 'results', j, 'type']) : undefined,
        description: str(r.description),
        properties: r.properties ? arr(Object.keys(r.properties).map(lit)) : undefined,
      })];
    }))) : undefined;
    const props = obj({
      ...containerProps(b, s, at, params),
      script: str(s.script),
      displayName: str(s.displayName),
      timeout: duration(s.timeout),
      onError: enumOf('tekton.OnError', ON_ERROR, s.onError, b, [...at, 'onError']),
      results,
      workspaces: stepWorkspaces(b, s.workspaces, [...at, 'workspaces']),
      stdoutPath: str(s.stdoutConfig?.path),
      stderrPath: str(s.stderrConfig?.path),
      when: whenList(b, s.when, [...at, 'when']),
      ref: stepRef,
      params: paramRecord(s.params, params, new Map(), b, [...at, 'params']),
      ...containerOptOuts(s, `step ${JSON.stringify(s.name)}`),
    });
    b.add(at, method(ref(variable), 'addStep', lit(String(s.name)), props));
  });
  (spec.sidecars ?? []).forEach((s: any, i: number) => {
    const at = [...path, 'sidecars', i];
    b.only(s, at, [...CONTAINER_FIELDS, 'script', 'workspaces']);
    restrictedOnly(b, s.securityContext, [...at, 'securityContext'], `sidecar ${JSON.stringify(s.name)}`);
    const props = obj({ ...containerProps(b, s, at, params), script: str(s.script), workspaces: stepWorkspaces(b, s.workspaces, [...at, 'workspaces']),
      ...containerOptOuts(s, `sidecar ${JSON.stringify(s.name)}`) });
    b.add(at, method(ref(variable), 'addSidecar', lit(String(s.name)), props));
  });
}

/** Task props of a spec: the step template (with the behaviour-keeping empty security context when the file has none). */
function taskProps(b: DocumentBuilder, spec: any, path: Path, label: string): Record<string, Expr | undefined> {
  const t = spec.stepTemplate;
  b.only(t, [...path, 'stepTemplate'], CONTAINER_FIELDS.filter((f) => f !== 'name'));
  const template = containerProps(b, t ?? {}, [...path, 'stepTemplate'], new Map());
  if (!t?.securityContext) {
    template.securityContext = obj({});
    b.note({ kind: 'opt-out', text: `${label} sets no step security context: written securityContext: {} so its steps run as their images say (slipway's default runs them non-root, without privilege escalation)` });
  }
  if (!t?.computeResources) template.computeResources = obj({});
  return { description: str(spec.description), displayName: str(spec.displayName), stepTemplate: obj(template) };
}

function readTask(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Task');
  const variable = plan.variable(name, 'task');
  const spec = v.spec ?? {};
  const props = obj({ name: nameProp(id, name), labels: labelsOf(b, v.metadata), ...taskProps(b, spec, ['spec'], `Task ${JSON.stringify(name)}`) });
  b.add([], construct('tekton.Task', ref('scope'), lit(id), props), variable);
  readTaskSpec(b, spec, ['spec'], variable);
  const typed = b.commit();
  plan.setHandle('Task', name, { variable, typed });
}

// ---------------------------------------------------------------- Pipeline

interface TaskInfo extends TaskShape {
  /** True once its statement has been added (a handle only exists then). */
  created: boolean;
}

/** `ApiFields.ALPHA` for a pipeline that runs pipelines in pipeline tasks (an alpha feature), else the default. */
function apiFieldsOf(spec: any): Expr | undefined {
  const all = [...(spec?.tasks ?? []), ...(spec?.finally ?? [])];
  return all.some((t: any) => t?.pipelineRef !== undefined || t?.pipelineSpec !== undefined) ? api('tekton.ApiFields.ALPHA') : undefined;
}

function readPipelineSpec(b: DocumentBuilder, spec: any, path: Path, variable: string): void {
  const plan = b.plan;
  b.only(spec, path, ['params', 'workspaces', 'tasks', 'finally', 'results', 'description', 'displayName']);
  const all = [...(spec.tasks ?? []), ...(spec.finally ?? [])];
  const params = declareParams(b, variable, spec.params, [...path, 'params'], wholeParamRefs(all.map((t: any) => [t.params, t.matrix])));
  const workspaces = new Map<string, string>();
  (spec.workspaces ?? []).forEach((w: any, i: number) => {
    const at = [...path, 'workspaces', i];
    b.only(w, at, ['name', 'description', 'optional']);
    const props = obj({ description: str(w.description), optional: w.optional !== undefined ? lit(Boolean(w.optional)) : undefined });
    const wv = plan.variable(String(w.name), 'workspace');
    workspaces.set(String(w.name), wv);
    b.add(at, method(ref(variable), 'addWorkspace', lit(String(w.name)), ...((props as any).entries.length ? [props] : [])), wv);
  });
  const tasks = new Map<string, TaskInfo>();
  for (const t of all) tasks.set(String(t?.name), { variable: plan.variable(String(t?.name)), created: false });
  const later: Array<() => void> = [];
  const readOne = (t: any, at: Path, isFinally: boolean): void => {
    b.only(t, at, ['name', 'taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec', 'params', 'workspaces', 'runAfter', 'when', 'matrix', 'retries', 'timeout', 'onError',
      'displayName', 'description']);
    const name = String(t.name);
    const info = tasks.get(name)!;
    let taskRef: Expr | undefined;
    let taskSpec: Expr | undefined;
    let pipelineRef: Expr | undefined;
    let pipelineSpec: Expr | undefined;
    if (t.pipelineRef) {
      // pipelines in pipelines: the child by name (with its interface when given together, so params are checked)
      const r = t.pipelineRef;
      b.only(r, [...at, 'pipelineRef'], ['name', 'resolver', 'params']);
      if (r.resolver) {
        const res = resolverExpr(b, r, [...at, 'pipelineRef']);
        pipelineRef = res && callApi('tekton.PipelineRef.resolve', res);
      } else {
        const h = plan.handle('Pipeline', String(r.name));
        pipelineRef = callApi('tekton.PipelineRef.named', lit(String(r.name)), ...(h ? [member(ref(h.variable), 'interface')] : []));
      }
    }
    if (t.pipelineSpec) {
      const pv = plan.variable(name, 'pipeline', 'spec');
      b.add([...at, 'pipelineSpec'], construct('tekton.Pipeline', ref(variable), lit(name), obj({
        inline: lit(true), apiFields: apiFieldsOf(t.pipelineSpec),
        description: str(t.pipelineSpec.description), displayName: str(t.pipelineSpec.displayName),
      })), pv);
      readPipelineSpec(b, t.pipelineSpec, [...at, 'pipelineSpec'], pv);
      pipelineSpec = ref(pv);
    }
    if (t.taskRef) {
      const r = t.taskRef;
      b.only(r, [...at, 'taskRef'], ['name', 'kind', 'apiVersion', 'resolver', 'params']);
      if (r.resolver) {
        const res = resolverExpr(b, r, [...at, 'taskRef']);
        taskRef = res && callApi('tekton.TaskRef.resolve', res);
      } else if (r.apiVersion) {
        taskRef = callApi('tekton.TaskRef.custom', lit(String(r.apiVersion)), lit(String(r.kind ?? '')), ...(r.name !== undefined ? [lit(String(r.name))] : []));
      } else {
        if (r.kind !== undefined && r.kind !== 'Task') b.gap([...at, 'taskRef', 'kind'], `taskRef kind ${JSON.stringify(r.kind)}`);
        const h = plan.handle('Task', String(r.name));
        taskRef = h ? member(ref(h.variable), 'ref') : callApi('tekton.TaskRef.named', lit(String(r.name)));
      }
    }
    if (t.taskSpec) {
      const sv = plan.variable(name, 'spec');
      const spec = t.taskSpec;
      b.only(spec, [...at, 'taskSpec'], ['params', 'results', 'workspaces', 'volumes', 'stepTemplate', 'steps', 'sidecars', 'description', 'displayName', 'metadata']);
      if (spec.metadata) b.gap([...at, 'taskSpec', 'metadata'], 'taskSpec metadata');
      b.add([...at, 'taskSpec'], construct('tekton.Task', ref(variable), lit(name), obj({ inline: lit(true), ...taskProps(b, spec, [...at, 'taskSpec'], `task ${JSON.stringify(name)}'s taskSpec`) })), sv);
      readTaskSpec(b, spec, [...at, 'taskSpec'], sv);
      taskSpec = ref(sv);
    }
    const runAfter = (t.runAfter ?? []).map(String);
    const missing = runAfter.filter((n: string) => !tasks.has(n));
    missing.forEach((n: string) => b.finding([...at, 'runAfter', runAfter.indexOf(n)], 'dag-missing-task',
      `pipeline task ${JSON.stringify(name)} runs after ${JSON.stringify(n)}, which the pipeline does not have`, 'add that task, or drop it from runAfter'));
    const present = runAfter.filter((n: string) => tasks.has(n));
    const inOrder = present.every((n: string) => tasks.get(n)!.created);
    const wsEntries: Record<string, Expr> = {};
    (t.workspaces ?? []).forEach((w: any, i: number) => {
      b.only(w, [...at, 'workspaces', i], ['name', 'workspace', 'subPath']);
      const pw = workspaces.get(String(w.workspace ?? w.name));
      if (!pw) {
        b.finding([...at, 'workspaces', i, w.workspace !== undefined ? 'workspace' : 'name'], 'pipeline-task-workspace-undeclared',
          `pipeline task ${JSON.stringify(name)} binds workspace ${JSON.stringify(w.workspace ?? w.name)}, which the pipeline does not declare`,
          'declare it in the pipeline\'s workspaces (pipeline.addWorkspace)');
        return;
      }
      wsEntries[String(w.name)] = w.subPath !== undefined ? method(ref(pw), 'subPath', lit(String(w.subPath))) : ref(pw);
    });
    let matrix: Expr | undefined;
    if (t.matrix) {
      b.only(t.matrix, [...at, 'matrix'], ['params', 'include']);
      matrix = obj({
        params: paramRecord(t.matrix.params, params, tasks, b, [...at, 'matrix', 'params']),
        include: Array.isArray(t.matrix.include) ? arr(t.matrix.include.map((inc: any, i: number) => {
          b.only(inc, [...at, 'matrix', 'include', i], ['name', 'params']);
          return obj({ name: lit(String(inc.name ?? '')), params: paramRecord(inc.params, params, tasks, b, [...at, 'matrix', 'include', i, 'params']) ?? obj({}) });
        })) : undefined,
      });
    }
    const props = obj({
      taskRef, taskSpec, pipelineRef, pipelineSpec,
      params: paramRecord(t.params, params, tasks, b, [...at, 'params']),
      workspaces: t.workspaces ? obj(wsEntries) : undefined,
      runAfter: present.length && inOrder ? arr(present.map((n: string) => ref(tasks.get(n)!.variable))) : undefined,
      when: whenList(b, t.when, [...at, 'when']),
      matrix,
      retries: t.retries !== undefined ? data(t.retries) : undefined,
      timeout: duration(t.timeout),
      onError: enumOf('tekton.OnError', ON_ERROR, t.onError, b, [...at, 'onError']),
      displayName: str(t.displayName),
      description: str(t.description),
    });
    b.add(at, method(ref(variable), isFinally ? 'addFinally' : 'addTask', lit(name), props), info.variable);
    info.created = true;
    if (present.length && !inOrder) {
      later.push(() => b.add([...at, 'runAfter'], method(ref(info.variable), 'runAfter', ...present.map((n: string) => ref(tasks.get(n)!.variable)))));
    }
  };
  (spec.tasks ?? []).forEach((t: any, i: number) => readOne(t, [...path, 'tasks', i], false));
  (spec.finally ?? []).forEach((t: any, i: number) => readOne(t, [...path, 'finally', i], true));
  later.forEach((f) => f());
  (spec.results ?? []).forEach((r: any, i: number) => {
    const at = [...path, 'results', i];
    b.only(r, at, ['name', 'value', 'type', 'description']);
    if (typeof r.value !== 'string') b.gap([...at, 'value'], 'a pipeline result value that is not a string');
    b.add(at, method(ref(variable), 'addResult', lit(String(r.name)), obj({
      value: lit(String(r.value)),
      type: r.type !== undefined ? enumOf('tekton.ParamType', PARAM_TYPES, r.type, b, [...at, 'type']) : undefined,
      description: str(r.description),
    })));
  });
}

function readPipeline(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Pipeline');
  const variable = plan.variable(name, 'pipeline');
  const spec = v.spec ?? {};
  b.add([], construct('tekton.Pipeline', ref('scope'), lit(id), obj({
    name: nameProp(id, name), labels: labelsOf(b, v.metadata), description: str(spec.description), displayName: str(spec.displayName),
    apiFields: apiFieldsOf(spec),
  })), variable);
  readPipelineSpec(b, spec, ['spec'], variable);
  const typed = b.commit();
  plan.setHandle('Pipeline', name, { variable, typed });
}

// ---------------------------------------------------------------- PipelineRun

function workspaceBinding(b: DocumentBuilder, w: any, at: Path): Expr | undefined {
  b.only(w, at, ['name', 'subPath', 'volumeClaimTemplate', 'persistentVolumeClaim', 'emptyDir', 'configMap', 'secret', 'projected', 'csi']);
  let e: Expr | undefined;
  if (w.volumeClaimTemplate) {
    const t = w.volumeClaimTemplate;
    b.only(t, [...at, 'volumeClaimTemplate'], ['spec']);
    b.only(t.spec, [...at, 'volumeClaimTemplate', 'spec'], ['accessModes', 'storageClassName', 'resources']);
    b.only(t.spec?.resources, [...at, 'volumeClaimTemplate', 'spec', 'resources'], ['requests']);
    b.only(t.spec?.resources?.requests, [...at, 'volumeClaimTemplate', 'spec', 'resources', 'requests'], ['storage']);
    e = callApi('tekton.WorkspaceBinding.volumeClaimTemplate', obj({
      storage: lit(String(t.spec?.resources?.requests?.storage ?? '')),
      accessModes: t.spec?.accessModes ? data(t.spec.accessModes) : undefined,
      storageClassName: str(t.spec?.storageClassName),
    }));
    if (!t.spec?.accessModes) b.gap([...at, 'volumeClaimTemplate', 'spec'], 'a volumeClaimTemplate without accessModes (slipway writes ReadWriteOnce)');
  } else if (w.persistentVolumeClaim) {
    const c = w.persistentVolumeClaim;
    b.only(c, [...at, 'persistentVolumeClaim'], ['claimName', 'readOnly']);
    e = callApi('tekton.WorkspaceBinding.persistentVolumeClaim', lit(String(c.claimName ?? '')), obj({
      readOnly: c.readOnly !== undefined ? lit(Boolean(c.readOnly)) : undefined,
      allowSharedWrites: !c.readOnly ? optOut(lit(true), 'shared-pvc', `the file shares claim ${JSON.stringify(c.claimName)} read-write between runs; kept so behaviour does not change`) : undefined,
    }));
  } else if (w.emptyDir) {
    b.only(w.emptyDir, [...at, 'emptyDir'], []);
    e = callApi('tekton.WorkspaceBinding.emptyDir');
  } else if (w.configMap) {
    b.only(w.configMap, [...at, 'configMap'], ['name']);
    e = callApi('tekton.WorkspaceBinding.configMap', lit(String(w.configMap.name ?? '')));
  } else if (w.secret) {
    b.only(w.secret, [...at, 'secret'], ['secretName']);
    e = callApi('tekton.WorkspaceBinding.secret', lit(String(w.secret.secretName ?? '')));
  } else if (w.projected) {
    b.only(w.projected, [...at, 'projected'], ['sources']);
    e = callApi('tekton.WorkspaceBinding.projected', data(w.projected.sources ?? []));
  } else if (w.csi) {
    b.only(w.csi, [...at, 'csi'], ['driver', 'volumeAttributes']);
    e = callApi('tekton.WorkspaceBinding.csi', lit(String(w.csi.driver ?? '')), ...(w.csi.volumeAttributes ? [data(w.csi.volumeAttributes)] : []));
  } else {
    b.gap(at, `workspace binding ${JSON.stringify(w?.name)} without a volume source slipway models`);
    return undefined;
  }
  return w.subPath !== undefined ? method(e, 'subPath', lit(String(w.subPath))) : e;
}

function podTemplate(b: DocumentBuilder, t: any, at: Path): Expr {
  b.only(t, at, ['securityContext', 'nodeSelector', 'imagePullSecrets', 'automountServiceAccountToken', 'priorityClassName']);
  const sc = t?.securityContext;
  b.only(sc, [...at, 'securityContext'], ['runAsNonRoot', 'runAsUser', 'runAsGroup', 'fsGroup', 'seccompProfile']);
  b.only(sc?.seccompProfile, [...at, 'securityContext', 'seccompProfile'], ['type']);
  (t?.imagePullSecrets ?? []).forEach((s: any, i: number) => b.only(s, [...at, 'imagePullSecrets', i], ['name']));
  return obj({
    securityContext: sc ? obj({
      runAsNonRoot: sc.runAsNonRoot !== undefined ? data(sc.runAsNonRoot) : undefined,
      runAsUser: sc.runAsUser !== undefined ? data(sc.runAsUser) : undefined,
      runAsGroup: sc.runAsGroup !== undefined ? data(sc.runAsGroup) : undefined,
      fsGroup: sc.fsGroup !== undefined ? data(sc.fsGroup) : undefined,
      seccompProfile: str(sc.seccompProfile?.type),
    }) : obj({}),
    nodeSelector: t?.nodeSelector ? data(t.nodeSelector) : undefined,
    imagePullSecrets: t?.imagePullSecrets ? arr(t.imagePullSecrets.map((s: any) => lit(String(s.name)))) : undefined,
    automountServiceAccountToken: t?.automountServiceAccountToken !== undefined ? data(t.automountServiceAccountToken) : undefined,
    priorityClassName: str(t?.priorityClassName),
  });
}

function readPipelineRun(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  pipelineRunCalls(b, b.value, [], ref('scope'));
  b.commit();
}

/** A run's labels and annotations (Tekton copies them onto its pods). */
function runMetadata(meta: any): Record<string, Expr | undefined> {
  return { labels: meta?.labels ? data(meta.labels) : undefined, annotations: meta?.annotations ? data(meta.annotations) : undefined };
}

function pipelineRunCalls(b: DocumentBuilder, v: any, at0: Path, scope: Expr): void {
  const plan = b.plan;
  b.only(v, at0, ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, [...at0, 'metadata'], ['name', 'generateName', 'labels', 'annotations']);
  const spec = v.spec ?? {};
  b.only(spec, [...at0, 'spec'], ['pipelineRef', 'pipelineSpec', 'params', 'workspaces', 'timeouts', 'taskRunTemplate', 'status']);
  const pr = spec.pipelineRef ?? {};
  b.only(pr, [...at0, 'spec', 'pipelineRef'], ['name', 'resolver', 'params']);
  if (!spec.pipelineRef && !spec.pipelineSpec) b.gap([...at0, 'spec'], 'a PipelineRun without pipelineRef or pipelineSpec');
  let h = pr.name ? plan.handle('Pipeline', String(pr.name)) : undefined;
  if (spec.pipelineSpec) {
    const base = String(v.metadata?.name ?? v.metadata?.generateName ?? 'run').replace(/-+$/, '');
    const variable = plan.variable(base, 'spec');
    b.add([...at0, 'spec', 'pipelineSpec'], construct('tekton.Pipeline', ref('scope'), lit(plan.constructId(`${base}-spec`, 'Pipeline')), obj({
      inline: lit(true), apiFields: apiFieldsOf(spec.pipelineSpec), description: str(spec.pipelineSpec.description), displayName: str(spec.pipelineSpec.displayName),
    })), variable);
    readPipelineSpec(b, spec.pipelineSpec, [...at0, 'spec', 'pipelineSpec'], variable);
    h = { variable, typed: true };
  }
  let pipelineRef: Expr | undefined;
  if (!h && pr.resolver) {
    const r = resolverExpr(b, pr, [...at0, 'spec', 'pipelineRef']);
    pipelineRef = r && callApi('tekton.PipelineRef.resolve', r);
  } else if (!h && pr.name) pipelineRef = callApi('tekton.PipelineRef.named', lit(String(pr.name)));
  const pipelineName = String(pr.name ?? 'run');
  if (spec.pipelineSpec && v.metadata?.name === undefined && v.metadata?.generateName === undefined) b.gap([...at0, 'metadata'], 'a run with an inline pipelineSpec and neither name nor generateName');
  const name = v.metadata?.name;
  const generateName = v.metadata?.generateName;
  const id = plan.constructId(String(name ?? generateName ?? `${pipelineName}-run`).replace(/-+$/, ''), 'PipelineRun');
  const tpl = spec.taskRunTemplate ?? {};
  b.only(tpl, [...at0, 'spec', 'taskRunTemplate'], ['serviceAccountName', 'podTemplate']);
  const timeouts = spec.timeouts;
  b.only(timeouts, [...at0, 'spec', 'timeouts'], ['pipeline', 'tasks', 'finally']);
  if (spec.status !== undefined && spec.status !== 'PipelineRunPending') b.gap([...at0, 'spec', 'status'], `status ${JSON.stringify(spec.status)}`);
  const workspaces: Record<string, Expr> = {};
  (spec.workspaces ?? []).forEach((w: any, i: number) => {
    const e = workspaceBinding(b, w, [...at0, 'spec', 'workspaces', i]);
    if (e) workspaces[String(w.name)] = e;
  });
  if (!tpl.podTemplate?.securityContext) {
    b.note({ kind: 'opt-out', text: `PipelineRun ${JSON.stringify(name ?? generateName)} sets no pod security context: written securityContext: {} so its pods run as the file says (slipway's default runs them as user 65532)` });
  }
  b.add(at0, construct('tekton.PipelineRun', scope, lit(id), obj({
    pipeline: h ? ref(h.variable) : undefined,
    pipelineRef,
    name: str(name),
    ...runMetadata(v.metadata),
    generateName: name === undefined && generateName !== undefined ? lit(String(generateName)) : undefined,
    params: paramRecord(spec.params, new Map(), new Map(), b, [...at0, 'spec', 'params']),
    workspaces: spec.workspaces ? obj(workspaces) : undefined,
    timeouts: timeouts ? obj({ pipeline: duration(timeouts.pipeline), tasks: duration(timeouts.tasks), finally: duration(timeouts.finally) }) : undefined,
    serviceAccountName: str(tpl.serviceAccountName),
    podTemplate: podTemplate(b, tpl.podTemplate ?? {}, [...at0, 'spec', 'taskRunTemplate', 'podTemplate']),
    pending: spec.status === 'PipelineRunPending' ? lit(true) : undefined,
  })));
}

// ---------------------------------------------------------------- TaskRun

function computeSpecs(b: DocumentBuilder, list: unknown, path: Path): Expr | undefined {
  if (!Array.isArray(list)) return undefined;
  return obj(Object.fromEntries(list.map((x: any, i: number) => {
    b.only(x, [...path, i], ['name', 'computeResources']);
    b.only(x.computeResources, [...path, i, 'computeResources'], ['requests', 'limits']);
    return [String(x.name), data(x.computeResources ?? {})];
  })));
}

function readTaskRun(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  taskRunCalls(b, b.value, [], ref('scope'));
  b.commit();
}

function taskRunCalls(b: DocumentBuilder, v: any, at0: Path, scope: Expr): void {
  const plan = b.plan;
  b.only(v, at0, ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, [...at0, 'metadata'], ['name', 'generateName', 'labels', 'annotations']);
  const spec = v.spec ?? {};
  b.only(spec, [...at0, 'spec'], ['taskRef', 'taskSpec', 'params', 'workspaces', 'serviceAccountName', 'podTemplate', 'timeout', 'retries',
    'computeResources', 'stepSpecs', 'sidecarSpecs']);
  const name = v.metadata?.name;
  const generateName = v.metadata?.generateName;
  const taskName = String(spec.taskRef?.name ?? 'task');
  const id = plan.constructId(String(name ?? generateName ?? `${taskName}-run`).replace(/-+$/, ''), 'TaskRun');
  let task: Expr | undefined;
  let taskRef: Expr | undefined;
  if (spec.taskRef) {
    const r = spec.taskRef;
    b.only(r, [...at0, 'spec', 'taskRef'], ['name', 'kind', 'resolver', 'params']);
    if (r.kind !== undefined && r.kind !== 'Task') b.gap([...at0, 'spec', 'taskRef', 'kind'], `taskRef kind ${JSON.stringify(r.kind)}`);
    const h = r.name ? plan.handle('Task', String(r.name)) : undefined;
    if (h) task = ref(h.variable);
    else if (r.resolver) {
      const res = resolverExpr(b, r, [...at0, 'spec', 'taskRef']);
      taskRef = res && callApi('tekton.TaskRef.resolve', res);
    } else taskRef = callApi('tekton.TaskRef.named', lit(String(r.name)));
  } else if (spec.taskSpec) {
    const sv = plan.variable(id, 'spec');
    b.only(spec.taskSpec, [...at0, 'spec', 'taskSpec'], ['params', 'results', 'workspaces', 'volumes', 'stepTemplate', 'steps', 'sidecars', 'description', 'displayName']);
    b.add([...at0, 'spec', 'taskSpec'], construct('tekton.Task', ref('scope'), lit(`${id}-spec`), obj({ inline: lit(true),
      ...taskProps(b, spec.taskSpec, [...at0, 'spec', 'taskSpec'], `TaskRun ${JSON.stringify(name ?? generateName)}'s taskSpec`) })), sv);
    readTaskSpec(b, spec.taskSpec, [...at0, 'spec', 'taskSpec'], sv);
    task = ref(sv);
  } else b.gap([...at0, 'spec'], 'a TaskRun without taskRef or taskSpec');
  const workspaces: Record<string, Expr> = {};
  (spec.workspaces ?? []).forEach((w: any, i: number) => {
    const e = workspaceBinding(b, w, [...at0, 'spec', 'workspaces', i]);
    if (e) workspaces[String(w.name)] = e;
  });
  if (spec.computeResources) b.only(spec.computeResources, [...at0, 'spec', 'computeResources'], ['requests', 'limits']);
  if (!spec.podTemplate?.securityContext) {
    b.note({ kind: 'opt-out', text: `TaskRun ${JSON.stringify(name ?? generateName)} sets no pod security context: written securityContext: {} so its pod runs as the file says (slipway's default runs it as user 65532)` });
  }
  b.add(at0, construct('tekton.TaskRun', scope, lit(id), obj({
    task, taskRef,
    name: str(name),
    ...runMetadata(v.metadata),
    generateName: name === undefined && generateName !== undefined ? lit(String(generateName)) : undefined,
    params: paramRecord(spec.params, new Map(), new Map(), b, [...at0, 'spec', 'params']),
    workspaces: spec.workspaces ? obj(workspaces) : undefined,
    serviceAccountName: str(spec.serviceAccountName),
    podTemplate: podTemplate(b, spec.podTemplate ?? {}, [...at0, 'spec', 'podTemplate']),
    timeout: duration(spec.timeout),
    retries: spec.retries !== undefined ? data(spec.retries) : undefined,
    computeResources: spec.computeResources ? data(spec.computeResources) : undefined,
    stepSpecs: computeSpecs(b, spec.stepSpecs, [...at0, 'spec', 'stepSpecs']),
    sidecarSpecs: computeSpecs(b, spec.sidecarSpecs, [...at0, 'spec', 'sidecarSpecs']),
  })));
}

// ---------------------------------------------------------------- CustomRun

function readCustomRun(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  customRunCalls(b, b.value, [], ref('scope'));
  b.commit();
}

/** A CustomRun of a custom task: by reference (`customRef`) or with its spec embedded (`customSpec`). */
function customRunCalls(b: DocumentBuilder, v: any, at0: Path, scope: Expr): void {
  const plan = b.plan;
  b.only(v, at0, ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, [...at0, 'metadata'], ['name', 'generateName', 'labels', 'annotations']);
  const spec = v.spec ?? {};
  b.only(spec, [...at0, 'spec'], ['customRef', 'customSpec', 'params', 'workspaces', 'serviceAccountName', 'timeout', 'retries']);
  const r = spec.customRef ?? spec.customSpec ?? {};
  b.only(spec.customRef, [...at0, 'spec', 'customRef'], ['apiVersion', 'kind', 'name']);
  b.only(spec.customSpec, [...at0, 'spec', 'customSpec'], ['apiVersion', 'kind', 'spec']);
  const name = v.metadata?.name;
  const generateName = v.metadata?.generateName;
  const prefix = `${String(r.kind ?? '').toLowerCase().slice(0, 40)}-run-`;
  if (name === undefined && generateName === undefined) b.inexact([...at0, 'metadata'], `a CustomRun without name or generateName (slipway writes generateName ${prefix})`);
  const id = plan.constructId(String(name ?? generateName ?? prefix).replace(/-+$/, ''), 'CustomRun');
  const workspaces: Record<string, Expr> = {};
  (spec.workspaces ?? []).forEach((w: any, i: number) => {
    const e = workspaceBinding(b, w, [...at0, 'spec', 'workspaces', i]);
    if (e) workspaces[String(w.name)] = e;
  });
  b.add(at0, construct('tekton.CustomRun', scope, lit(id), obj({
    apiVersion: lit(String(r.apiVersion ?? '')),
    kind: lit(String(r.kind ?? '')),
    customTaskName: spec.customRef?.name !== undefined ? lit(String(spec.customRef.name)) : undefined,
    spec: spec.customSpec ? data(spec.customSpec.spec ?? {}) : undefined,
    name: str(name),
    generateName: name === undefined && generateName !== undefined && generateName !== prefix ? lit(String(generateName)) : undefined,
    ...runMetadata(v.metadata),
    params: paramRecord(spec.params, new Map(), new Map(), b, [...at0, 'spec', 'params']),
    workspaces: spec.workspaces ? obj(workspaces) : undefined,
    serviceAccountName: str(spec.serviceAccountName),
    timeout: duration(spec.timeout),
    retries: spec.retries !== undefined ? data(spec.retries) : undefined,
  })));
}

// ---------------------------------------------------------------- StepAction

function readStepAction(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'StepAction');
  const variable = plan.variable(name, 'action');
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['description', 'params', 'results', 'image', 'command', 'args', 'script', 'workingDir', 'env', 'securityContext', 'volumeMounts']);
  const params = new Map<string, string>();
  const container = containerProps(b, spec, ['spec'], params);
  restrictedOnly(b, spec.securityContext, ['spec', 'securityContext'], `StepAction ${JSON.stringify(name)}`);
  b.add([], construct('tekton.StepAction', ref('scope'), lit(id), obj({
    name: nameProp(id, name),
    description: str(spec.description),
    image: container.image ?? lit(''),
    script: str(spec.script),
    command: container.command,
    args: container.args,
    workingDir: container.workingDir,
    env: container.env,
    securityContext: container.securityContext,
    volumeMounts: container.volumeMounts,
  })), variable);
  declareParams(b, variable, spec.params, ['spec', 'params'], new Set());
  (spec.results ?? []).forEach((r: any, i: number) => {
    const at = ['spec', 'results', i];
    b.only(r, at, ['name', 'type', 'description']);
    const props = obj({ type: enumOf('tekton.ParamType', PARAM_TYPES, r.type, b, [...at, 'type']), description: str(r.description) });
    b.add(at, method(ref(variable), 'addResult', lit(String(r.name)), ...((props as any).entries.length ? [props] : [])));
  });
  const typed = b.commit();
  plan.setHandle('StepAction', name, { variable, typed });
}

// ---------------------------------------------------------------- TriggerBinding

function readTriggerBinding(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name']);
  b.only(v.spec, ['spec'], ['params']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, String(v.kind));
  const variable = plan.variable(name, 'binding');
  b.add([], construct('tekton.TriggerBinding', ref('scope'), lit(id), obj({
    name: nameProp(id, name), clusterScoped: v.kind === 'ClusterTriggerBinding' ? lit(true) : undefined,
  })), variable);
  (v.spec?.params ?? []).forEach((p: any, i: number) => {
    b.only(p, ['spec', 'params', i], ['name', 'value']);
    b.add(['spec', 'params', i], method(ref(variable), 'addParam', lit(String(p?.name)), lit(String(p?.value ?? ''))));
  });
  const typed = b.commit();
  plan.setHandle(String(v.kind), name, { variable, typed });
}

// ---------------------------------------------------------------- TriggerTemplate

function readTriggerTemplate(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name']);
  b.only(v.spec, ['spec'], ['params', 'resourcetemplates']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'TriggerTemplate');
  const variable = plan.variable(name, 'template');
  b.add([], construct('tekton.TriggerTemplate', ref('scope'), lit(id), obj({ name: nameProp(id, name) })), variable);
  (v.spec?.params ?? []).forEach((p: any, i: number) => {
    b.only(p, ['spec', 'params', i], ['name', 'description', 'default']);
    const props = obj({ description: str(p.description), default: p.default !== undefined ? lit(String(p.default)) : undefined });
    b.add(['spec', 'params', i], method(ref(variable), 'addParam', lit(String(p?.name)), ...((props as any).entries.length ? [props] : [])));
  });
  (v.spec?.resourcetemplates ?? []).forEach((rt: any, i: number) => {
    const at = ['spec', 'resourcetemplates', i];
    const kind = `${rt?.apiVersion}/${rt?.kind}`;
    if (kind === `${TEKTON}/PipelineRun`) pipelineRunCalls(b, rt, at, ref(variable));
    else if (kind === `${TEKTON}/TaskRun`) taskRunCalls(b, rt, at, ref(variable));
    else if (kind === 'tekton.dev/v1beta1/CustomRun') customRunCalls(b, rt, at, ref(variable));
    else b.gap(at, `a resource template of kind ${kind} (slipway embeds v1 PipelineRuns and TaskRuns, and v1beta1 CustomRuns)`);
  });
  const typed = b.commit();
  plan.setHandle('TriggerTemplate', name, { variable, typed });
}
