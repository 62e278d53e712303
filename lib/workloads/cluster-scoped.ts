import { ApiObject, JsonPatch, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { FinalDocument } from '../core';

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

/** Kubernetes-path escape hatches on every object a composite writes. */
export function enableAll(scope: IConstruct): void {
  for (const c of scope.node.findAll()) if (ApiObject.isApiObject(c)) FinalDocument.enable(c);
}
