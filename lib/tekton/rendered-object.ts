import { ApiObject, ApiObjectProps, App, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { Construct } from 'constructs';
import { checkRenderedDocument } from '../core/strict-check';
import { renderUncleaned } from './values';

/** Marks a value that cdk8s' resolve would change or refuse: the object then renders the cdk8s way. */
const NOT_PLAIN = Symbol('not plain JSON');

/**
 * The API object of a Tekton construct whose `spec` slipway renders whole, as plain JSON. cdk8s' `toJson()` resolves
 * every value of the document (a resolution context and a key path per value) and then copies it again to sort its
 * keys; for a spec that holds no `Lazy`, token or class instance this is one copy. So the object copies the spec
 * once, with the keys sorted and null values dropped exactly as cdk8s writes them, and renders the cdk8s way
 * (`spec: Lazy`) when the app has resolvers of its own or the spec holds anything but plain JSON.
 * @internal
 */
export class RenderedObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ApiObjectProps, private readonly renderSpec: () => any) {
    super(scope, id, { ...props, spec: Lazy.any({ produce: renderSpec }) });
  }

  public toJson(): any {
    if (!defaultResolvers(App.of(this).resolvers)) return super.toJson();
    const sort = !process.env.CDK8S_DISABLE_SORT;
    const data = plainCopy({ ...(this as any).props, metadata: this.metadata.toJson(), spec: renderUncleaned(this.renderSpec) }, sort);
    if (data === NOT_PLAIN) return super.toJson();
    // What cdk8s does after resolving: patches, then apiVersion, kind and metadata first.
    const patched = JsonPatch.apply(data, ...(this as any).patches);
    const doc: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched) doc[k] = patched[k];
    // The strict check wraps ApiObject's own toJson, which this replaces.
    checkRenderedDocument(this, doc);
    return doc;
  }
}

/** True when the app resolves with cdk8s' built-in resolvers only (which leave plain JSON as it is). */
function defaultResolvers(resolvers: readonly unknown[]): boolean {
  return resolvers.length === 3 && resolvers[0] instanceof LazyResolver && resolvers[1] instanceof ImplicitTokenResolver
    && resolvers[2] instanceof NumberStringUnionResolver;
}

/**
 * cdk8s' resolve and sanitize of plain JSON in one copy: object keys sorted (unless `sort` is false), null and
 * undefined object values dropped, null array items written as undefined; NOT_PLAIN for anything else.
 */
function plainCopy(value: any, sort: boolean): any {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') return NOT_PLAIN;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = plainCopy(value[i], sort);
      if (v === NOT_PLAIN) return NOT_PLAIN;
      out[i] = v;
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN;
  const keys = Object.keys(value);
  if (sort) keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = plainCopy(value[k], sort);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    if (v !== undefined) out[k] = v;
  }
  return out;
}
