/**
 * The shared value rules of lib/core/values.ts as the delivery constructs and value factories use them: optional
 * numbers, object metadata and Istio hosts. Internal: not exported from the layer's index.
 */
import { IConstruct } from 'constructs';
import {
  NameForm, NumberRule, RuleViolation, annotationViolations, assertProps, assertValue, finiteViolations, integerViolations,
  labelViolations, nameViolations, show,
} from '../core';

/** A port number, 1..65535. */
export const PORT: NumberRule = { min: 1, max: 65535 };
/** A whole percent, 0..100. */
export const PERCENT: NumberRule = { min: 0, max: 100 };
/** A whole number ≥ 0 (int32). */
export const NON_NEGATIVE: NumberRule = { min: 0 };

/** Violations of an optional whole number (int32 unless `rule` says otherwise); nothing when unset. */
export function intViolations(what: string, value: number | undefined, rule: NumberRule = {}): RuleViolation[] {
  return value === undefined ? [] : integerViolations(what, value, rule);
}

/** Violations of an optional finite number; nothing when unset. */
export function numberViolations(what: string, value: number | undefined, rule: NumberRule = {}): RuleViolation[] {
  return value === undefined ? [] : finiteViolations(what, value, rule);
}

/** The metadata a delivery object takes: its name in the kind's form, labels and annotations. */
export interface MetadataInput {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/** Violations of `metadata.name` (in `form`), `metadata.labels` and `metadata.annotations`. */
export function metadataViolations(meta: MetadataInput, form: NameForm = NameForm.DNS_SUBDOMAIN): RuleViolation[] {
  return [
    ...(meta.name === undefined ? [] : nameViolations('metadata.name', meta.name, form)),
    ...(meta.namespace === undefined ? [] : nameViolations('metadata.namespace', meta.namespace, NameForm.DNS_LABEL)),
    ...labelViolations(meta.labels, 'label'),
    ...annotationViolations(meta.annotations),
  ];
}

// istio `agent.ValidateWildcardDomain`: labels of letters, digits and '-' (either case), a leading `*` or `*.`.
const HOST_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/**
 * An Istio host (`istio-host`): a short name, an FQDN or a wildcard (`*`, `*.example.com`), at most 255 characters,
 * dot-separated labels of at most 63 letters, digits and '-'; a Gateway host may carry a `namespace/` prefix.
 */
export function hostViolations(what: string, host: unknown, allowNamespace = false): RuleViolation[] {
  const bad = [{ rule: 'istio-host', message: `${what} ${show(host)} is not a valid host`,
    fix: "use a Service short name, an FQDN or a wildcard such as 'reviews', 'reviews.prod.svc.cluster.local' or '*.example.com'" }];
  if (typeof host !== 'string') return bad;
  let h = host;
  const slash = h.indexOf('/');
  if (allowNamespace && slash >= 0) {
    const ns = h.slice(0, slash);
    if (ns !== '*' && ns !== '.' && ns !== '~' && !HOST_LABEL.test(ns)) return bad;
    h = h.slice(slash + 1);
  }
  if (h === '*') return [];
  if (h.startsWith('*.')) h = h.slice(2);
  else if (h.startsWith('*')) h = h.slice(1) || 'x';
  if (h.length === 0 || h.length > 255) return bad;
  return h.split('.').every((l) => l.length <= 63 && HOST_LABEL.test(l)) ? [] : bad;
}

/**
 * One call where a construct or `addX()` takes its props: a refusal kept on a value inside them (a `Duration`, a
 * `CanaryStep`…) is thrown with the construct's path, then the first of `violations`.
 */
export function checkProps(scope: IConstruct, props: unknown, violations: readonly RuleViolation[] = []): void {
  assertProps(scope, props);
  assertValue(scope, violations);
}
