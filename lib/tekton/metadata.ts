/** `metadata.labels` and `metadata.annotations` of every Tekton and Triggers object, checked as Kubernetes does. */
import { IConstruct } from 'constructs';
import { RuleViolation, annotationViolations, assertValue, labelViolations } from '../core';

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

/**
 * Checks labels and annotations like the API server; throws on the first bad key or value. In a TriggerTemplate's
 * resourcetemplates (`inTemplate`), Triggers substitutes `$(tt.params…)` before the object is created, so a key or
 * value holding one is refused only when no substitution could make it valid (its literal parts are wrong).
 */
export function checkMetadata(scope: IConstruct, meta: MetadataProps, inTemplate = false): void {
  if (!inTemplate) {
    assertValue(scope, [...labelViolations(meta.labels), ...annotationViolations(meta.annotations)]);
    return;
  }
  const out: RuleViolation[] = [];
  for (const [k, v] of Object.entries(meta.labels ?? {})) out.push(...afterSubstitution(labelViolations, k, v));
  for (const [k, v] of Object.entries(meta.annotations ?? {})) out.push(...afterSubstitution(annotationViolations, k, v));
  assertValue(scope, out);
}

const TT_PARAM = /\$\(tt\.params\.[^()]*\)/g;

/**
 * `text` with every `$(tt.params…)` replaced by a value that could make it valid: one lowercase letter, which every
 * name, label and key form accepts at any place.
 */
export function substituteTemplateParams(text: string): string {
  return text.replace(TT_PARAM, 'x');
}

/** The violations of one entry that remain whatever the template params hold, reported on the written text. */
function afterSubstitution(check: (m: Record<string, unknown>) => RuleViolation[], key: string, value: unknown): RuleViolation[] {
  const sub = typeof value === 'string' ? substituteTemplateParams(value) : value;
  const left = new Set(check({ [substituteTemplateParams(key)]: sub }).map((x) => x.rule));
  return check({ [key]: value }).filter((x) => left.has(x.rule));
}

/** The labels and annotations to write (copies; empty maps left out). */
export function renderMetadata(meta: MetadataProps): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const out: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  if (meta.labels && Object.keys(meta.labels).length) out.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length) out.annotations = { ...meta.annotations };
  return out;
}
