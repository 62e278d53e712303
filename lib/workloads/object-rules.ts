import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RuleViolation } from '../core/errors';
import { NameForm, NumberRule, annotationViolations, assertProps, assertValue, integerViolations, labelViolations, nameViolations } from '../core/values';

/**
 * The shared value rules (lib/core/values.ts) as the workload constructs apply them: object metadata per kind,
 * int32 fields and ports. Internal: not exported from the layer's index.
 */

/** Port numbers: whole numbers from 1 to 65535 (0, NaN and Infinity refused, never dropped). */
export const PORT: NumberRule = { min: 1, max: 65535, rangeRule: 'port-range', fix: 'use a whole port number from 1 to 65535' };

/** User and group ids (`runAsUser`, `runAsGroup`, `fsGroup`): int64 ≥ 0, as far as JavaScript numbers are exact. */
export const ID: NumberRule = { min: 0, max: Number.MAX_SAFE_INTEGER, rangeRule: 'security-context-id', fix: 'use a whole user or group id from 0 up, e.g. 1000' };

/**
 * `maxSurge`/`maxUnavailable`/`partition` of a rolling update as cdk8s-plus-28 renders them (an IntOrString or a
 * number): a whole number ≥ 0 or a whole percentage; `12.5%` is refused by the controller.
 */
export function rollingUpdateViolations(kind: string, rollingUpdate: Record<string, unknown> | undefined): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const [field, raw] of Object.entries(rollingUpdate ?? {})) {
    const v = raw !== null && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
    if (v === undefined) continue;
    if (typeof v === 'string') {
      if (!/^\d+%$/.test(v)) {
        out.push({ rule: 'rolling-update-value', message: `${kind} rollingUpdate ${field} ${JSON.stringify(v)} is not a whole percentage`,
          fix: 'use PercentOrAbsolute.percent() with a whole number, e.g. 25, or PercentOrAbsolute.absolute(1)' });
      }
    } else {
      out.push(...integerViolations(`${kind} rollingUpdate ${field}`, v, { min: 0, rangeRule: 'rolling-update-value', fix: 'use a whole number from 0, e.g. 1' }));
    }
  }
  return out;
}

/** `replicas` of a workload: int32 ≥ 0. */
export const REPLICAS: NumberRule = { min: 0, rangeRule: 'replicas-range', fix: 'use a whole number of replicas from 0 to 2147483647' };

/** A count that may be 0 (replicas, history limits, retries), as the API server checks it: int32 ≥ 0. */
export function countRule(rangeRule: string, fix: string): NumberRule {
  return { min: 0, rangeRule, fix };
}

/** Throws (with the path of `scope`) unless `value` is undefined or a whole number within `rule`. */
export function assertInteger(scope: IConstruct | undefined, what: string, value: number | undefined, rule: NumberRule): void {
  if (value !== undefined) assertValue(scope, integerViolations(what, value, rule));
}

/** The violations of an object's `metadata` (name in `form`, labels, annotations). */
export function metadataViolations(kind: string, metadata: { name?: unknown; labels?: Record<string, unknown>; annotations?: Record<string, unknown> },
  form: NameForm | undefined, nameFix?: string): RuleViolation[] {
  return [
    ...(form !== undefined && metadata.name !== undefined ? nameViolations(`${kind} name`, metadata.name, form, nameFix) : []),
    ...labelViolations(metadata.labels, `${kind} label`),
    ...annotationViolations(metadata.annotations),
  ];
}

/**
 * Labels and annotations of `scope`'s object as it is at synth: what `metadata.addLabel()` and
 * `metadata.addAnnotation()` added after construction meets the same rules as props.
 */
export function laterMetadataViolations(scope: IConstruct, kind: string): RuleViolation[] {
  const { labels, annotations } = metadataNow(ApiObject.of(scope));
  return metadataViolations(kind, { labels, annotations }, undefined);
}

/**
 * The labels and annotations an object has now. cdk8s keeps them as plain maps on the metadata; when every value is a
 * string they are what `metadata.toJson()` writes, without its resolve and copy (one per object and check). Anything
 * else (a Lazy value, an undefined entry) takes the full render.
 */
function metadataNow(obj: ApiObject): { labels?: Record<string, unknown>; annotations?: Record<string, unknown> } {
  const m = obj.metadata as unknown as { labels?: unknown; annotations?: unknown };
  if (stringMap(m.labels) && stringMap(m.annotations)) return { labels: m.labels, annotations: m.annotations };
  return obj.metadata.toJson();
}

function stringMap(x: unknown): x is Record<string, string> {
  if (x === null || typeof x !== 'object' || Object.getPrototypeOf(x) !== Object.prototype) return false;
  for (const k in x) if (typeof (x as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

/**
 * Checks the metadata `scope`'s object has now (props and what cdk8s-plus-28 added) and the value objects in
 * `props` (a refusal kept by a value factory is thrown with this construct's path). Call once in the constructor,
 * after `super()`.
 */
export function checkObject(scope: IConstruct, kind: string, form: NameForm | undefined, props?: unknown, nameFix?: string): void {
  if (props !== undefined) assertProps(scope, props);
  const obj = ApiObject.of(scope);
  const { labels, annotations } = metadataNow(obj);
  assertValue(scope, metadataViolations(kind, { name: obj.metadata.name, labels, annotations }, form, nameFix));
}
