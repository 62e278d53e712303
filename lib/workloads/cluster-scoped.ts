import { ApiObject, JsonPatch, Size } from 'cdk8s';

/**
 * Drops the chart's namespace from a cluster-scoped object (StorageClass, PersistentVolume): cdk8s stamps the
 * chart namespace on every object, and a namespaced-looking cluster object confuses `kubectl diff` and GitOps tools.
 */
export function clusterScoped(obj: ApiObject): void {
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

/** A storage size as a quantity: whole GiB as `Gi`, otherwise `Mi`. */
export function storageQuantity(size: Size): string {
  const mib = size.toMebibytes();
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
