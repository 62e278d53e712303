import { IConstruct } from 'constructs';

/**
 * One broken rule: which rule, what was wrong (with the bad value) and how to fix it.
 */
export interface RuleViolation {
  /** Stable rule id, e.g. `duplicate-stage-name`; tests and docs refer to it. */
  readonly rule: string;
  /** What is wrong, naming the bad value. Lowercase, no trailing period. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Error thrown by slipway when a construct breaks a rule.
 * The message reads `[path] message (rule: id). fix: …`.
 */
export class SlipwayError extends Error {
  /** The construct path, or '' when no construct is involved. */
  public readonly path: string;
  /** The rule id. */
  public readonly rule: string;

  constructor(path: string, violation: RuleViolation) {
    super(formatViolation(violation, path));
    this.name = 'SlipwayError';
    this.path = path;
    this.rule = violation.rule;
  }
}

/** Renders a violation as one line, prefixed with the construct path when given. */
export function formatViolation(v: RuleViolation, path?: string): string {
  const prefix = path ? `[${path}] ` : '';
  return `${prefix}${v.message} (rule: ${v.rule}). fix: ${v.fix}`;
}

/**
 * Throws a {@link SlipwayError} for `scope` at once: used for props checked in constructors and `addX()` calls.
 */
export function fail(scope: IConstruct | undefined, rule: string, message: string, fix: string): never {
  throw new SlipwayError(scope ? scope.node.path : '', { rule, message, fix });
}

/**
 * Registers a whole-state check that runs at synth (`App.synth()`, `Testing.synth()`, `synthFiles()`).
 * cdk8s prefixes each message with the construct path.
 */
export function addRules(scope: IConstruct, check: () => RuleViolation[]): void {
  addBoundRules(scope, check, undefined);
}

/** The checks of a construct as [check, this, check, this, …], run by slipway's `Node.validate` (see {@link ruleMessages}). */
const RULES = Symbol.for('slipway.rules');
/** Set on `Node.prototype` by the `Node.validate` wrapper that runs {@link ruleMessages}. @internal */
export const RULES_HOOK = Symbol.for('slipway.rulesHook');

/**
 * {@link addRules} with the check called on `self`: a shared function instead of a closure or a bound function per
 * object. The checks live in one exact-size array on the construct, run first by slipway's `Node.validate`; where
 * that wrapper does not reach the construct's node (another copy of `constructs`), they are a construct validation.
 * @internal
 */
export function addBoundRules<T>(scope: IConstruct, check: (this: T) => RuleViolation[], self: T): void {
  if (!(scope.node as any)[RULES_HOOK]) {
    scope.node.addValidation(new RuleCheck(check, self));
    return;
  }
  const list: unknown[] | undefined = (scope as any)[RULES];
  const next = appendPair(list, check, self);
  if (list) (scope as any)[RULES] = next;
  else Object.defineProperty(scope, RULES, { configurable: true, writable: true, value: next });
}

/**
 * `list` with two more entries, in a new array of exactly that length: an array grown by push or spread keeps ~16
 * spare slots, which add up over thousands of constructs that each hold a few entries.
 * @internal
 */
export function appendPair(list: readonly unknown[] | undefined, a: unknown, b: unknown): unknown[] {
  if (!list) return [a, b];
  const out = new Array(list.length + 2);
  for (let i = 0; i < list.length; i++) out[i] = list[i];
  out[list.length] = a;
  out[list.length + 1] = b;
  return out;
}

/** The messages of the checks {@link addBoundRules} registered on `host`, in registration order. @internal */
export function ruleMessages(host: IConstruct): string[] | undefined {
  const list: any[] | undefined = (host as any)[RULES];
  if (!list) return undefined;
  let out: string[] | undefined;
  for (let i = 0; i < list.length; i += 2) {
    const v: RuleViolation[] = list[i].call(list[i + 1]);
    for (const x of v) (out ??= []).push(formatViolation(x));
  }
  return out;
}

/** One registered check as a construct validation (a class, not a closure per rule, to keep the tree small). */
class RuleCheck {
  constructor(private readonly check: (this: any) => RuleViolation[], private readonly self: unknown) {}

  public validate(): string[] {
    const v = this.check.call(this.self);
    return v.length === 0 ? [] : v.map((x) => formatViolation(x));
  }
}

/** Collects violations while walking a model; `add()` reads like the `fail()` call it replaces. */
export class Violations {
  private readonly list: RuleViolation[] = [];

  /** Records one violation. */
  public add(rule: string, message: string, fix: string): void {
    this.list.push({ rule, message, fix });
  }

  /** Everything recorded so far, in order. */
  public get all(): RuleViolation[] {
    return [...this.list];
  }

  /** Throws the first violation as a {@link SlipwayError} for `path`, if any. */
  public throwFirst(path: string): void {
    if (this.list.length > 0) throw new SlipwayError(path, this.list[0]);
  }
}

/**
 * JSON-ish rendering of a user value for messages: strings quoted, others as JSON, except that numbers JSON cannot
 * hold are shown as written (`NaN`, `Infinity`, `-Infinity`, `-0`), also inside arrays and objects.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(show).join(',')}]`;
  if (value !== null && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    return `{${Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${show(v)}`).join(',')}}`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The construct metadata type of a slipway warning: something that does not fail synth but deserves a look. */
export const WARNING_METADATA = 'slipway:warning';

/** Records a warning on `scope`; `PipelineApp` prints it at synth and `slipway/testing` reports it. */
export function warn(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA, message);
}

/** Every warning recorded under `scope`, one line each, prefixed with the construct path. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => `[${c.node.path}] ${m.data}`));
}
