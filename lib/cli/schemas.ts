/** The strict schema checks `slipway check` runs: the same implementation as `slipway/testing`. */
import { kubernetesModel, unknownFields } from '../testing/core';
import { hasSchema, schemaProblems } from '../testing/crd';

export { unknownFields };
export const hasCrdSchema = hasSchema;
export const k8sModel = kubernetesModel;

/** Strict schema errors of `value` (at `pointer` of the kind's schema) as `path message`; empty when valid. */
export function crdErrors(apiVersion: string, kind: string, value: unknown, pointer: string[] = []): string[] {
  return schemaProblems(apiVersion, kind, value, '', pointer).map((p) => `${p.path} ${p.message}`);
}
