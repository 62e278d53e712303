import { ApiObject, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { FinalDocument } from '../core';

/**
 * Drops the chart's namespace from a cluster-scoped object (StorageClass, PersistentVolume): cdk8s stamps the
 * chart namespace on every object, and a namespaced-looking cluster object confuses `kubectl diff` and GitOps tools.
 */
export function clusterScoped(obj: ApiObject): void {
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

/** A size in whole KiB, or NaN when it is none (a fraction of a KiB, NaN, Infinity). */
export function sizeKibibytes(size: Size): number {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(kib) ? kib : NaN;
}

/** A storage size as a quantity: whole GiB as `Gi`, whole MiB as `Mi`, otherwise `Ki`. */
export function storageQuantity(size: Size): string {
  const kib = sizeKibibytes(size);
  if (kib % (1024 * 1024) === 0) return `${kib / 1024 / 1024}Gi`;
  return kib % 1024 === 0 ? `${kib / 1024}Mi` : `${kib}Ki`;
}

/**
 * A claim's or volume's spec as cdk8s-plus-28 renders it, but with `storage` as an exact quantity: cdk8s-plus-28
 * writes whole GiB only and throws on `Size.mebibytes(512)`.
 */
export function withStorage<T>(owner: { readonly storage?: Size }, render: () => T, put: (spec: T, quantity: string) => void): T {
  const storage = owner.storage;
  if (storage === undefined) return render();
  Object.defineProperty(owner, 'storage', { value: undefined, configurable: true, writable: true });
  let spec: T;
  try {
    spec = render();
  } finally {
    Object.defineProperty(owner, 'storage', { value: storage, configurable: true, writable: true });
  }
  put(spec, storageQuantity(storage));
  return spec;
}

/** Kubernetes-path escape hatches on every object a composite writes. */
export function enableAll(scope: IConstruct): void {
  for (const c of scope.node.findAll()) if (ApiObject.isApiObject(c)) FinalDocument.enable(c);
}
