/** `metadata.labels` and `metadata.annotations` of every Tekton and Triggers object, checked as Kubernetes does. */
import { IConstruct } from 'constructs';
import { Names, fail, show } from '../core';

/** Labels and annotations (catalog metadata, Pipelines-as-Code, Chains). */
export interface MetadataProps {
  /**
   * `metadata.labels`, e.g. `{ 'app.kubernetes.io/version': '0.9' }`.
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * `metadata.annotations`, e.g. `{ 'tekton.dev/pipelines.minVersion': '0.50.0', 'tekton.dev/tags': 'git' }`.
   * @default none
   */
  readonly annotations?: Record<string, string>;
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** True for a Kubernetes qualified name: an optional DNS-1123 subdomain prefix, '/', and a name of at most 63. */
function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !Names.isDnsSubdomain(prefix))) return false;
  return name.length <= 63 && NAME_PART.test(name);
}

/** Checks labels and annotations like the API server; throws on the first bad key or label value. */
export function checkMetadata(scope: IConstruct, meta: MetadataProps): void {
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    if (!isQualifiedName(k)) {
      fail(scope, 'label-key', `label key ${show(k)} is not a qualified name`,
        "use an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric");
    }
    if (typeof v !== 'string' || v.length > 63 || (v !== '' && !NAME_PART.test(v))) {
      fail(scope, 'label-value', `label ${show(k)} has value ${show(v)}, which is not a valid label value`,
        "use at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric (or put free text in annotations)");
    }
  }
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    if (!isQualifiedName(k)) {
      fail(scope, 'annotation-key', `annotation key ${show(k)} is not a qualified name`,
        "use an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.'");
    }
    if (typeof v !== 'string') {
      fail(scope, 'annotation-key', `annotation ${show(k)} has value ${show(v)}, which is not a string`, 'quote the value');
    }
  }
}

/** The labels and annotations to write (copies; empty maps left out). */
export function renderMetadata(meta: MetadataProps): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const out: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  if (meta.labels && Object.keys(meta.labels).length) out.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length) out.annotations = { ...meta.annotations };
  return out;
}
