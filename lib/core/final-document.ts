import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RuleViolation, SlipwayError, addBoundRules, appendPair, show } from './errors';
import { FINAL_DOCUMENT, checkFinalDocument, installStrictCheck } from './strict-check';
import { installSynthesisScope, synthesisDocuments } from './synthesis';

// Every object with a final document is checked at synth, however the module that made it was imported.
installStrictCheck();
installSynthesisScope();

/**
 * Property names of the generated cdk8s `k8s` L1 types that differ from the Kubernetes field names (the L1s
 * convert them when they render). A patch path using the left form would land nowhere in the final document.
 */
const CAMEL_TO_KUBE: Record<string, string> = {
  clusterIp: 'clusterIP', datasetUuid: 'datasetUUID', diskUri: 'diskURI', externalId: 'externalID', hostIp: 'hostIP',
  hostIpc: 'hostIPC', hostPid: 'hostPID', insecureSkipTlsVerify: 'insecureSkipTLSVerify', loadBalancerIp: 'loadBalancerIP',
  nodeId: 'nodeID', nonResourceUrLs: 'nonResourceURLs', pdId: 'pdID', podCidRs: 'podCIDRs', podCidr: 'podCIDR',
  providerId: 'providerID', setHostnameAsFqdn: 'setHostnameAsFQDN', storagePolicyId: 'storagePolicyID',
  targetCpuUtilizationPercentage: 'targetCPUUtilizationPercentage', targetWwNs: 'targetWWNs', volumeId: 'volumeID',
  xKubernetesEmbeddedResource: 'x-kubernetes-embedded-resource', xKubernetesIntOrString: 'x-kubernetes-int-or-string',
  xKubernetesListMapKeys: 'x-kubernetes-list-map-keys', xKubernetesListType: 'x-kubernetes-list-type',
  xKubernetesMapType: 'x-kubernetes-map-type', xKubernetesPreserveUnknownFields: 'x-kubernetes-preserve-unknown-fields',
  xKubernetesValidations: 'x-kubernetes-validations',
};

const TRANSFORMS = Symbol.for('slipway.FinalDocument.transforms');

interface Op { readonly op: string; readonly path: string; readonly from?: string; readonly value?: unknown }

/**
 * The Kubernetes document an object is written as, with escape-hatch patches applied to it. cdk8s applies
 * `addJsonPatch()` to a generated L1's camelCase props before they are converted to Kubernetes JSON, which drops any
 * key the L1 does not know (`/spec/template/spec/hostPID`, an IntOrString `'10%'`, a quantity `'1'`). Enabled
 * objects apply their patches to the final document instead, and slipway's rules read that same document.
 */
export class FinalDocument {
  /**
   * Makes `ApiObject.of(scope).addJsonPatch()` use Kubernetes JSON paths on the final document, and checks the
   * patches at synth (rules `json-patch-camel-case`, `json-patch-value`, `json-patch-apply`). Idempotent.
   * @returns the object written for `scope`
   */
  public static enable(scope: IConstruct): ApiObject {
    const obj = ApiObject.of(scope);
    if ((obj as any)[FINAL_DOCUMENT]) return obj;
    // The object's own render, kept unbound: shared functions instead of closures per object keep the tree small.
    Object.defineProperty(obj, FINAL_DOCUMENT, { value: obj.toJson });
    Object.defineProperty(obj, 'toJson', { configurable: true, value: finalToJson });
    addBoundRules(scope, patchRules, obj);
    return obj;
  }

  /**
   * Registers a change to the rendered Kubernetes JSON of `scope`'s object, for fields its L1 cannot carry. It runs
   * in registration order before the escape-hatch patches (so a user's patch still wins) and edits `doc` in place;
   * use {@link putSorted} so keys stay in the order cdk8s writes.
   */
  public static addTransform(scope: IConstruct, transform: (doc: any) => void): void {
    FinalDocument._addTransform(scope, transform, undefined);
  }

  /**
   * {@link addTransform} with the transform called on `self`: one shared function instead of a closure per object.
   * @internal
   */
  public static _addTransform<T>(scope: IConstruct, transform: (this: T, doc: any) => void, self: T): void {
    const obj = FinalDocument.enable(scope);
    // [transform, this, transform, this, …] in one exact-size array.
    const list: unknown[] | undefined = (obj as any)[TRANSFORMS];
    const next = appendPair(list, transform, self);
    if (list) (obj as any)[TRANSFORMS] = next;
    else Object.defineProperty(obj, TRANSFORMS, { configurable: true, writable: true, value: next });
  }

  /**
   * The final document of `scope`'s object (patches applied), rendered once per synthesis (`App.synth()`,
   * `Chart.toJson()`) and afresh outside one. Treat it as read-only.
   * Throws a rule error when a patch cannot be applied.
   */
  public static of(scope: IConstruct): any {
    const obj = ApiObject.of(scope);
    const documents = synthesisDocuments();
    const cached = documents?.get(obj);
    if (cached !== undefined) return cached;
    const result = build(obj);
    if (result.violation) throw new SlipwayError(scopePath(obj), result.violation);
    documents?.set(obj, result.doc);
    return result.doc;
  }

  private constructor() {}
}

/** `toJson()` of an enabled object: the document the rules read, when they rendered it in this synthesis. */
function finalToJson(this: ApiObject): any {
  const documents = synthesisDocuments();
  let doc = documents?.get(this);
  if (doc !== undefined) {
    documents!.delete(this);
  } else {
    const result = build(this);
    if (result.violation) throw new SlipwayError(scopePath(this), result.violation);
    doc = result.doc;
  }
  checkFinalDocument(this, doc);
  return doc;
}

/** The escape-hatch rules of an enabled object; a patched document is kept for the render that follows. */
function patchRules(this: ApiObject): RuleViolation[] {
  if (patchesOf(this).length === 0) return [];
  const bad = patchViolations(this);
  if (bad.length > 0) return bad;
  const result = build(this);
  if (result.violation) return [result.violation];
  synthesisDocuments()?.set(this, result.doc);
  return [];
}

/** The path of the construct that owns the object (the L2), as users know it. */
function scopePath(obj: ApiObject): string {
  return obj.node.id === 'Resource' || obj.node.id === 'Default' ? obj.node.scope!.node.path : obj.node.path;
}

/** Renders the object without its patches, then applies them to the Kubernetes JSON. */
function build(obj: ApiObject): { doc?: any; violation?: RuleViolation } {
  const own: ((this: ApiObject) => any) | undefined = (obj as any)[FINAL_DOCUMENT];
  if (!own) return { doc: obj.toJson() };
  const render = () => own.call(obj);
  if (patchesOf(obj).length === 0) return { doc: transformed(obj, render()) };
  const bad = patchViolations(obj)[0];
  if (bad) return { violation: bad };
  const patches = patchesOf(obj).splice(0);
  let doc: any;
  try {
    doc = render();
  } finally {
    patchesOf(obj).push(...patches);
  }
  let patched: any = transformed(obj, doc);
  for (const patch of patches) {
    try {
      patched = JsonPatch.apply(patched, patch);
    } catch (e: any) {
      const op = (patch as any)._toJson() as Op;
      return { violation: {
        rule: 'json-patch-apply',
        message: `json patch ${op.op} ${show(op.path)} cannot be applied to the ${obj.kind} document: ${String(e.message ?? e).split('\n')[0]}`,
        fix: 'use a path that exists in the synthesized document (Kubernetes field names, e.g. /spec/template/spec/hostPID); add a missing parent object with JsonPatch.add first',
      } };
    }
  }
  // Keep apiVersion, kind and metadata first, as cdk8s does.
  const out: any = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched && !(k in out)) out[k] = patched[k];
  return { doc: out };
}

/** cdk8s keeps the patch list private in its types; it is the documented `addJsonPatch()` store. @internal */
export function patchesOf(obj: ApiObject): JsonPatch[] {
  return (obj as unknown as { patches: JsonPatch[] }).patches;
}

function transformed(obj: ApiObject, doc: any): any {
  const list: any[] | undefined = (obj as any)[TRANSFORMS];
  if (list) for (let i = 0; i < list.length; i += 2) list[i].call(list[i + 1], doc);
  return doc;
}

function opsOf(obj: ApiObject): Op[] {
  return patchesOf(obj).map((p) => (p as any)._toJson() as Op);
}

/** Patches that would silently misbehave on the final document. */
function patchViolations(obj: ApiObject): RuleViolation[] {
  const v: RuleViolation[] = [];
  for (const op of opsOf(obj)) {
    for (const path of [op.path, op.from]) {
      if (path === undefined) continue;
      const segments = path.split('/');
      if (segments.some((s) => s in CAMEL_TO_KUBE)) {
        const kube = segments.map((s) => CAMEL_TO_KUBE[s] ?? s).join('/');
        v.push({ rule: 'json-patch-camel-case', message: `json patch path ${show(path)} uses the cdk8s property name, not the Kubernetes field`,
          fix: `write the Kubernetes path ${show(kube)} (patches apply to the final Kubernetes document)` });
      }
    }
    const cls = classInstance(op.value);
    if (cls) {
      v.push({ rule: 'json-patch-value', message: `json patch ${op.op} ${show(op.path)} has a ${cls} value, which is not Kubernetes JSON`,
        fix: "pass the plain JSON value, e.g. '10%' instead of IntOrString.fromString('10%'), '1' instead of Quantity.fromString('1')" });
    }
  }
  return v;
}

/** The class name of the first non-plain object in a patch value, if any. */
function classInstance(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    for (const x of value) {
      const c = classInstance(x);
      if (c) return c;
    }
    return undefined;
  }
  if (proto !== Object.prototype && proto !== null) return proto?.constructor?.name ?? 'class';
  for (const x of Object.values(value)) {
    const c = classInstance(x);
    if (c) return c;
  }
  return undefined;
}

/**
 * Sets `target[key] = value` (or deletes the key for `undefined`) keeping the keys sorted as cdk8s writes them;
 * objects inside `value` are sorted too.
 */
export function putSorted(target: Record<string, any>, key: string, value: unknown): void {
  if (value === undefined) {
    delete target[key];
    return;
  }
  const had = key in target;
  target[key] = sortedCopy(value);
  if (had) return;
  const keys = Object.keys(target).sort();
  const entries = keys.map((k) => [k, target[k]] as const);
  for (const k of keys) delete target[k];
  for (const [k, v] of entries) target[k] = v;
}

function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as any)[k];
    if (v !== undefined) out[k] = sortedCopy(v);
  }
  return out;
}
