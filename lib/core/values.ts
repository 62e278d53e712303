/**
 * The value rules every construct and value factory shares: integers and finite numbers, object names, labels and
 * annotations, env var names and image references. Each check returns the violations (empty when the value is fine)
 * so a caller can throw the first at once ({@link assertValue}) or collect them at synth.
 *
 * @internal shared by slipway's layers; not part of the package's public API.
 */
import { IConstruct } from 'constructs';
import { RuleViolation, SlipwayError, show } from './errors';
import { DNS_LABEL_FIX, DNS_SUBDOMAIN_FIX, Names } from './names';

/**
 * What a value is, for a message: text, or a function that builds it (called only when the value is refused, so a
 * check on a hot path builds no message).
 * @internal
 */
export type What = string | (() => string);

function whatOf(what: What): string {
  return typeof what === 'function' ? what() : what;
}

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
      fix: fix ?? DNS_LABEL_FIX }];
  }
  if (typeof value === 'string' && Names.isDnsSubdomain(value)) return [];
  return [{ rule: 'dns-1123-subdomain', message: `${what} ${show(value)} is not a valid DNS-1123 subdomain`,
    fix: fix ?? DNS_SUBDOMAIN_FIX }];
}

// A label value and the name part of a qualified name: at most 63, alphanumeric at both ends. `$` is not multiline.
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Keys already judged, for the label and annotation keys every object repeats (`app.kubernetes.io/name`); bounded so
 * a long-lived process does not grow it without end.
 */
const qualified = new Map<string, boolean>();

/** True for a Kubernetes qualified name: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63. */
function isQualifiedName(key: string): boolean {
  let known = qualified.get(key);
  if (known === undefined) {
    if (qualified.size >= 4096) qualified.clear();
    qualified.set(key, known = judgeQualifiedName(key));
  }
  return known;
}

function judgeQualifiedName(key: string): boolean {
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
export function imageViolations(what: What, image: unknown, fix?: string): RuleViolation[] {
  // eslint-disable-next-line no-control-regex
  if (typeof image === 'string' && image !== '' && !/[\s\u0000-\u001f\u007f]/.test(image)) return [];
  return [{ rule: 'image-reference', message: `${whatOf(what)} ${show(image)} is not an image reference`,
    fix: fix ?? "write the reference without spaces, e.g. 'docker.io/library/alpine:3.20' (pin a digest in production)" }];
}

/**
 * A ConfigMap or Secret data key (`data-key`, or a layer's own `rule`): letters, digits, '-', '_' and '.', at most
 * 253, not `.` or `..`.
 * @internal
 */
export function dataKeyViolations(what: string, key: unknown, fix?: string, rule = 'data-key'): RuleViolation[] {
  if (typeof key === 'string' && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && !key.startsWith('..')) return [];
  return [{ rule, message: `${what} ${show(key)} is not a valid ConfigMap or Secret key`,
    fix: fix ?? "use letters, digits, '-', '_' and '.', e.g. 'token'" }];
}

// The Kubernetes quantity grammar (resource.Quantity), without a sign: requests and limits cannot be negative.
const QUANTITY = /^(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/**
 * A resource quantity (`resource-quantity`), e.g. `500m`, `2`, `1Gi`, `1e3`: no sign, space or `NaN`.
 * @internal
 */
export function quantityViolations(what: What, value: unknown, fix?: string): RuleViolation[] {
  if (typeof value === 'string' && QUANTITY.test(value)) return [];
  return [{ rule: 'resource-quantity', message: `${whatOf(what)} ${show(value)} is not a Kubernetes quantity`,
    fix: fix ?? "write e.g. '500m' or '2' for cpu, '256Mi' or '1Gi' for memory" }];
}

/**
 * Throws the first violation for `scope` (or without a path when the value is not yet given to a construct).
 * @internal
 */
export function assertValue(scope: IConstruct | undefined, violations: readonly RuleViolation[]): void {
  if (violations.length > 0) throw new SlipwayError(scope ? scope.node.path : '', violations[0]);
}

// ---------------------------------------------------------------------------------------------------------------
// Refusals of value factories, kept until the value reaches a construct, which throws them with its path.

const REFUSED = new WeakMap<object, RuleViolation>();

/** The violation behind a path-less error (its message is `message (rule: id). fix: …`). */
function violationOf(e: SlipwayError): RuleViolation {
  const marker = ` (rule: ${e.rule}). fix: `;
  const i = e.message.indexOf(marker);
  return i < 0 ? { rule: e.rule, message: e.message, fix: '' } : { rule: e.rule, message: e.message.slice(0, i), fix: e.message.slice(i + marker.length) };
}

/**
 * The violation of a refusal without a construct path (a value factory's, e.g. a refused `Duration.*`), or undefined
 * for any other error, so a layer that collects problems can record it instead of throwing it.
 * @internal
 */
export function refusalViolation(e: unknown): RuleViolation | undefined {
  return e instanceof SlipwayError && e.path === '' ? violationOf(e) : undefined;
}

/**
 * Runs a value's checks. A refusal (a `SlipwayError` without a construct path) is kept on the value instead of
 * thrown: the construct the value is given to throws it with its own path ({@link assertValues}, {@link assertProps}).
 * @internal
 */
export function checkValue(value: object, checks: () => void): void {
  if (REFUSED.has(value)) return;
  try {
    checks();
  } catch (e) {
    if (!(e instanceof SlipwayError) || e.path !== '') throw e;
    REFUSED.set(value, violationOf(e));
  }
}

/**
 * A value factory's result: runs `checks` first (a refusal is kept, see {@link checkValue}), then `build`, which
 * must not throw on the refused input (the value is never rendered).
 * @internal
 */
export function checkedValue<T extends object>(checks: () => void, build: () => T): T {
  let refusal: RuleViolation | undefined;
  try {
    checks();
  } catch (e) {
    if (!(e instanceof SlipwayError) || e.path !== '') throw e;
    refusal = violationOf(e);
  }
  const value = build();
  if (refusal) REFUSED.set(value, refusal);
  return value;
}

/** True if the value holds a refusal (it must not be rendered). @internal */
export function isRefused(value: object | undefined): boolean {
  return value !== undefined && REFUSED.has(value);
}

/** Inside a value's checks: passes on the refusal of a value it is made of. @internal */
export function rethrowRefusal(part: object | undefined): void {
  const v = part ? REFUSED.get(part) : undefined;
  if (v) throw new SlipwayError('', v);
}

/** Throws the first refusal of `values` with the path of `scope`, the construct they were given to. @internal */
export function assertValues(scope: IConstruct, values: ReadonlyArray<object | undefined>): void {
  for (const value of values) {
    const v = value ? REFUSED.get(value) : undefined;
    if (v) throw new SlipwayError(scope.node.path, v);
  }
}

function isConstruct(x: object): boolean {
  // `in`, not a read: a construct's `node.path` is computed from its scopes on every read.
  const node = (x as any).node;
  return typeof node === 'object' && node !== null && 'path' in node;
}

/**
 * Throws the first kept refusal found anywhere in `props` (plain objects, arrays and value objects, not
 * constructs) with the path of `scope`: one call where a construct or `addX()` takes its props.
 * @internal
 */
export function assertProps(scope: IConstruct, props: unknown): void {
  if (props === null || typeof props !== 'object') return;
  const v = refusalIn(props, new Set(), 0);
  if (v) throw new SlipwayError(scope.node.path, v);
}

/** Deep-frozen values found without a refusal (shared defaults): nothing inside them can change, so walks skip them. */
const SETTLED = new WeakSet<object>();

/**
 * Freezes `value` and everything inside it (constructs excepted) and, if it holds no refusal, lets {@link assertProps}
 * skip it: for defaults made once and shared by every construct. Returns `value`.
 * @internal
 */
export function settledValue<T extends object>(value: T): T {
  const freeze = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || Object.isFrozen(x) || isConstruct(x)) return;
    Object.freeze(x);
    for (const k of Object.keys(x)) freeze((x as Record<string, unknown>)[k]);
  };
  freeze(value);
  if (refusalIn(value, new Set(), 0) === undefined) SETTLED.add(value);
  return value;
}

/** The first refusal kept on `x` or on a value inside it, depth first. */
function refusalIn(x: object, seen: Set<object>, depth: number): RuleViolation | undefined {
  if (depth > 8 || seen.has(x) || SETTLED.has(x)) return undefined;
  seen.add(x);
  const own = REFUSED.get(x);
  if (own) return own;
  if (isConstruct(x)) return undefined;
  if (Array.isArray(x)) {
    for (const member of x) {
      if (member === null || typeof member !== 'object') continue;
      const v = refusalIn(member, seen, depth + 1);
      if (v) return v;
    }
    return undefined;
  }
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(x, k)) continue;
    const member = (x as Record<string, unknown>)[k];
    if (member === null || typeof member !== 'object') continue;
    const v = refusalIn(member, seen, depth + 1);
    if (v) return v;
  }
  return undefined;
}

/**
 * Checks a construct id before `constructs` sees it, so an empty or repeated id is a slipway error with a rule and a
 * fix instead of `Only root constructs may have an empty ID` or `There is already a Construct with name …`.
 * @internal
 */
export function constructId(scope: IConstruct, id: string, what: string, example: string, duplicateRule = 'duplicate-construct-id'): string {
  if (typeof id !== 'string' || id === '') {
    throw new SlipwayError(scope.node.path, { rule: 'construct-id-empty', message: `${what} id is empty`, fix: `pass a non-empty id, e.g. ${example}` });
  }
  const other = scope.node.tryFindChild(id);
  if (other) {
    throw new SlipwayError(scope.node.path, {
      rule: duplicateRule,
      message: `${what} id ${JSON.stringify(id)} is already used by ${other.node.path}`,
      fix: `give each ${what} its own id (ids name the construct path and must be unique among siblings)`,
    });
  }
  return id;
}
