/**
 * The value rules every construct and value factory shares: integers and finite numbers, object names, labels and
 * annotations, env var names and image references. Each check returns the violations (empty when the value is fine)
 * so a caller can throw the first at once ({@link assertValue}) or collect them at synth.
 *
 * @internal shared by slipway's layers; not part of the package's public API.
 */
import { IConstruct } from 'constructs';
import { RuleViolation, SlipwayError, show } from './errors';
import { Names } from './names';

/** The smallest int32, the range of most Kubernetes and CRD integer fields. @internal */
export const INT32_MIN = -(2 ** 31);
/** The largest int32. @internal */
export const INT32_MAX = 2 ** 31 - 1;

/** Bounds and wording of a number check. @internal */
export interface NumberRule {
  /**
   * Smallest allowed value.
   * @default INT32_MIN for integers, no bound for finite numbers
   */
  readonly min?: number;
  /**
   * Largest allowed value.
   * @default INT32_MAX for integers, no bound for finite numbers
   */
  readonly max?: number;
  /**
   * Refuse exactly `min` (for "greater than 0" fields).
   * @default false
   */
  readonly exclusiveMin?: boolean;
  /**
   * The fix, naming the API at the caller's place.
   * @default a sentence naming the allowed range
   */
  readonly fix?: string;
  /**
   * Rule id for a value outside the range, so a layer keeps its domain rule (e.g. `task-run-retries`).
   * @default 'value-range'
   */
  readonly rangeRule?: string;
}

function rangeText(min: number | undefined, max: number | undefined, exclusiveMin: boolean | undefined): string {
  const lo = min === undefined ? undefined : `${exclusiveMin ? 'greater than' : 'from'} ${min}`;
  if (lo && max !== undefined) return exclusiveMin ? `${lo} and at most ${max}` : `${lo} to ${max}`;
  if (lo) return exclusiveMin ? lo : `≥ ${min}`;
  return max !== undefined ? `at most ${max}` : 'any';
}

function rangeViolations(what: string, value: number, rule: NumberRule, kind: string, min?: number, max?: number): RuleViolation[] {
  const below = min !== undefined && (rule.exclusiveMin ? value <= min : value < min);
  const above = max !== undefined && value > max;
  if (!below && !above) return [];
  const range = rangeText(min, max, rule.exclusiveMin);
  return [{ rule: rule.rangeRule ?? 'value-range', message: `${what} ${show(value)} is not ${kind} ${range}`,
    fix: rule.fix ?? `pass ${kind} ${range}` }];
}

/**
 * A finite number (NaN, Infinity and non-numbers refused: `value-finite`) within `rule`'s bounds.
 * @internal
 */
export function finiteViolations(what: string, value: unknown, rule: NumberRule = {}): RuleViolation[] {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return [{ rule: 'value-finite', message: `${what} ${show(value)} is not a finite number`,
      fix: rule.fix ?? `pass a number ${rangeText(rule.min, rule.max, rule.exclusiveMin)}` }];
  }
  return rangeViolations(what, value, rule, 'a number', rule.min, rule.max);
}

/**
 * A whole number (fractions refused: `value-integer`) within `rule`'s bounds, int32 unless stated (int64 fields
 * such as `runAsUser` pass `max: Number.MAX_SAFE_INTEGER`).
 * @internal
 */
export function integerViolations(what: string, value: unknown, rule: NumberRule = {}): RuleViolation[] {
  const min = rule.min ?? INT32_MIN;
  const max = rule.max ?? INT32_MAX;
  const fix = rule.fix ?? `pass a whole number ${rangeText(min, max, rule.exclusiveMin)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return [{ rule: 'value-finite', message: `${what} ${show(value)} is not a finite number`, fix }];
  }
  if (!Number.isInteger(value)) {
    return [{ rule: 'value-integer', message: `${what} ${show(value)} is not a whole number`, fix }];
  }
  return rangeViolations(what, value, { ...rule, fix }, 'a whole number', min, max);
}

/** How a kind's `metadata.name` is validated by the API server. @internal */
export enum NameForm {
  /** RFC 1123 label: at most 63 lowercase alphanumerics and '-' (Services, Namespaces, Tekton step names). */
  DNS_LABEL = 'label',
  /** RFC 1123 subdomain: dot-separated labels, at most 253 characters (most kinds, ServiceAccounts). */
  DNS_SUBDOMAIN = 'subdomain',
}

/**
 * A name in `form`; rules `dns-1123-label` and `dns-1123-subdomain`, as {@link Names} has them.
 * @internal
 */
export function nameViolations(what: string, value: unknown, form: NameForm, fix?: string): RuleViolation[] {
  if (form === NameForm.DNS_LABEL) {
    if (typeof value === 'string' && Names.isDnsLabel(value)) return [];
    return [{ rule: 'dns-1123-label', message: `${what} ${show(value)} is not a valid DNS-1123 label`,
      fix: fix ?? "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit" }];
  }
  if (typeof value === 'string' && Names.isDnsSubdomain(value)) return [];
  return [{ rule: 'dns-1123-subdomain', message: `${what} ${show(value)} is not a valid DNS-1123 subdomain`,
    fix: fix ?? "use at most 253 lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit" }];
}

// A label value and the name part of a qualified name: at most 63, alphanumeric at both ends. `$` is not multiline.
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** True for a Kubernetes qualified name: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63. */
function isQualifiedName(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash !== key.lastIndexOf('/')) return false;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !Names.isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && NAME_PART.test(name);
}

/**
 * `metadata.labels` as the API server checks them: keys are qualified names (`label-key`), values at most 63
 * characters, alphanumeric at both ends, or empty (`label-value`).
 * @internal
 */
export function labelViolations(labels: Readonly<Record<string, unknown>> | undefined, where = 'label'): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (!isQualifiedName(k)) {
      out.push({ rule: 'label-key', message: `${where} key ${show(k)} is not a qualified name`,
        fix: "use an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric" });
    }
    if (typeof v !== 'string' || (v !== '' && (v.length > 63 || !NAME_PART.test(v)))) {
      out.push({ rule: 'label-value', message: `${where} ${show(k)} has value ${show(v)}, which is not a valid label value`,
        fix: "use at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric (or put free text in annotations)" });
    }
  }
  return out;
}

/**
 * `metadata.annotations`: keys are qualified names (`annotation-key`), values are strings (`annotation-value`); an
 * empty value is kept.
 * @internal
 */
export function annotationViolations(annotations: Readonly<Record<string, unknown>> | undefined): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const [k, v] of Object.entries(annotations ?? {})) {
    if (!isQualifiedName(k)) {
      out.push({ rule: 'annotation-key', message: `annotation key ${show(k)} is not a qualified name`,
        fix: "use an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.'" });
    }
    if (typeof v !== 'string') {
      out.push({ rule: 'annotation-value', message: `annotation ${show(k)} has value ${show(v)}, which is not a string`,
        fix: 'quote the value (annotations hold text)' });
    }
  }
  return out;
}

// Kubernetes 1.28 `IsEnvVarName`: a C identifier that may also hold '-' and '.'.
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * An env var name as Kubernetes 1.28 validates it (`env-name`): letters, digits, '_', '-' and '.', not starting
 * with a digit; `A=B` and '' are refused.
 * @internal
 */
export function envNameViolations(name: unknown, fix?: string): RuleViolation[] {
  if (typeof name === 'string' && ENV_NAME.test(name)) return [];
  return [{ rule: 'env-name', message: `env var name ${show(name)} is not a valid environment variable name`,
    fix: fix ?? "use letters, digits, '_', '-' and '.', not starting with a digit, e.g. 'GIT_URL'" }];
}

/**
 * An image reference (`image-reference`): not empty, no whitespace or control characters anywhere (a leading
 * or trailing space would name another image). `$(params.image)` stays allowed for Tekton.
 * @internal
 */
export function imageViolations(what: string, image: unknown, fix?: string): RuleViolation[] {
  // eslint-disable-next-line no-control-regex
  if (typeof image === 'string' && image !== '' && !/[\s\u0000-\u001f\u007f]/.test(image)) return [];
  return [{ rule: 'image-reference', message: `${what} ${show(image)} is not an image reference`,
    fix: fix ?? "write the reference without spaces, e.g. 'docker.io/library/alpine:3.20' (pin a digest in production)" }];
}

/**
 * Throws the first violation for `scope` (or without a path when the value is not yet given to a construct).
 * @internal
 */
export function assertValue(scope: IConstruct | undefined, violations: readonly RuleViolation[]): void {
  if (violations.length > 0) throw new SlipwayError(scope ? scope.node.path : '', violations[0]);
}
