/** `metadata.labels` and `metadata.annotations` of every Tekton and Triggers object, checked as Kubernetes does. */
import { IConstruct } from 'constructs';
import { annotationViolations, assertValue, labelViolations } from '../core';

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

/** Checks labels and annotations like the API server; throws on the first bad key or value. */
export function checkMetadata(scope: IConstruct, meta: MetadataProps): void {
  assertValue(scope, [...labelViolations(meta.labels), ...annotationViolations(meta.annotations)]);
}

/** The labels and annotations to write (copies; empty maps left out). */
export function renderMetadata(meta: MetadataProps): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const out: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  if (meta.labels && Object.keys(meta.labels).length) out.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length) out.annotations = { ...meta.annotations };
  return out;
}
