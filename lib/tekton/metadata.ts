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

// Beyond this many references every value is accepted: the combinations grow as 2^n and such text is not real.
const MAX_REFS = 6;

/**
 * `text` as Triggers could write it: each `$(tt.params…)` replaced by an empty value or by one lowercase letter
 * (which every name, label and key form accepts at any place), in every combination. Empty when `text` holds too
 * many references to try: the caller then accepts it.
 */
export function templateSubstitutions(text: string): string[] {
  const parts = text.split(TT_PARAM);
  const refs = parts.length - 1;
  if (refs > MAX_REFS) return [];
  const out: string[] = [];
  for (let mask = 0; mask < 2 ** refs; mask++) {
    out.push(parts.reduce((acc, part, i) => (i === 0 ? part : `${acc}${mask & (1 << (i - 1)) ? 'x' : ''}${part}`), ''));
  }
  return out;
}

/** True when some substitution of the template params in `key` and `value` passes `check`. */
function someSubstitutionPasses(check: (m: Record<string, unknown>) => RuleViolation[], key: string, value: unknown): boolean {
  const keys = templateSubstitutions(key);
  const values = typeof value === 'string' ? templateSubstitutions(value) : [value];
  if (keys.length === 0 || values.length === 0) return true;
  return keys.some((k) => values.some((v) => check({ [k]: v }).length === 0));
}

/** The violations of one entry that remain whatever the template params hold, reported on the written text. */
function afterSubstitution(check: (m: Record<string, unknown>) => RuleViolation[], key: string, value: unknown): RuleViolation[] {
  return someSubstitutionPasses(check, key, value) ? [] : check({ [key]: value });
}

/** The labels and annotations to write (copies; empty maps left out). */
export function renderMetadata(meta: MetadataProps): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const out: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  if (meta.labels && Object.keys(meta.labels).length) out.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length) out.annotations = { ...meta.annotations };
  return out;
}
