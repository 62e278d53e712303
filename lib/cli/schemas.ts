/** The strict schema checks `slipway check` runs: the same implementation as `slipway/testing`. */
import { unknownFields } from '../testing/core';
import { hasSchema, schemaProblems } from '../testing/crd';

export { unknownFields };
export const hasCrdSchema = hasSchema;

const models = new Map<string, any>();

/**
 * The kubernetes-models class for an apiVersion and kind, loaded from its own module: the package index loads
 * every model of every group (about a second), while a check needs the handful of kinds it meets.
 */
export function k8sModel(apiVersion: string, kind: string): any {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) models.set(key, loadModel(apiVersion, kind));
  return models.get(key);
}

function loadModel(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind) || !/^v[0-9a-z]+$/.test(version ?? '') || !/^[a-z0-9.-]*$/.test(group)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(`kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`);
    return typeof m?.[kind] === 'function' ? m[kind] : undefined;
  } catch {
    return undefined; // a group or kind the package does not have
  }
}

/** Strict schema errors of `value` (at `pointer` of the kind's schema) as `path message`; empty when valid. */
export function crdErrors(apiVersion: string, kind: string, value: unknown, pointer: string[] = []): string[] {
  return schemaProblems(apiVersion, kind, value, '', pointer).map((p) => `${p.path} ${p.message}`);
}
