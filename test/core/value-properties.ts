/**
 * Shared harness of the value property tests: edge-value generators and the oracle. Every generated input either
 * synthesizes to documents that pass the independent strict checks and hold exactly the input values, or is refused
 * by a slipway error whose message starts with a construct path. Anything else is an exception, and tests expect 0.
 */
import * as fc from 'fast-check';
import { SlipwayError } from '../../lib/core';
import { formatProblems } from '../../lib/testing/problem';
import { validateDocuments } from '../../lib/testing/validate';

/** Fixed seed: the same inputs on every run. */
export const SEED = 20261201;

/** A field's valid values and its edge values (which may be valid too: the oracle decides, not the generator). */
export interface FieldGen<T> {
  readonly valid: fc.Arbitrary<T>;
  readonly edge: fc.Arbitrary<T>;
}

/** Integers and the numbers that break integer fields: 0, negatives, fractions, NaN, ±Infinity, -0, int32 edges. */
export const edgeInt = (valid: fc.Arbitrary<number> = fc.integer({ min: 0, max: 5 })): FieldGen<number> => ({
  valid,
  edge: fc.constantFrom(0, -1, 1, 2.5, -0.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, -0, 65535, 65536),
});

/** Names: valid DNS labels, and 64 characters, upper case, whitespace, newlines, dots, unicode, empty. */
export const edgeName: FieldGen<string> = {
  valid: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/),
  edge: fc.constantFrom('', 'a'.repeat(63), 'a'.repeat(64), 'Upper_Case', 'a b', ' lead', 'trail ', 'a\nb', '-lead', 'a.b', 'ünicode', 'x', '0abc'),
};

/** Label values: valid ones (empty included) and the forms the API server refuses. */
export const edgeLabelValue: FieldGen<string> = {
  valid: fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?$/),
  edge: fc.constantFrom('', 'v1.2.3', 'A_b.C', 'x'.repeat(63), 'x'.repeat(64), '-lead', 'trail-', 'a b', 'a\nb', 'ünï'),
};

/** Label and annotation keys: prefixed and plain, and broken ones. */
export const edgeKey: FieldGen<string> = {
  valid: fc.constantFrom('app', 'app.kubernetes.io/name', 'example.com/x', 'tekton.dev/tags'),
  edge: fc.constantFrom('Example.com/x', 'a/b/c', '/x', 'x/', 'bad key', 'a\nb', 'k'.repeat(64), 'k'.repeat(63), 'ü', ''),
};

/** Env var names: identifiers, Kubernetes' dotted names and the forms it refuses. */
export const edgeEnvName: FieldGen<string> = {
  valid: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/),
  edge: fc.constantFrom('A=B', '', '1X', 'my.var', 'my-var', 'a b', 'X\n', 'ü'),
};

/** Image references: pinned and tagged ones, and whitespace, newlines, empty, unicode. */
export const edgeImage: FieldGen<string> = {
  valid: fc.constantFrom('docker.io/library/alpine:3.20', `ghcr.io/acme/tool@sha256:${'0'.repeat(64)}`, 'localhost:5000/x:1', 'alpine'),
  edge: fc.constantFrom(' alpine:3.20', 'alpine:3.20 ', 'a b:1', '', 'alpine\n', '\talpine'),
};

/** Either a field generator's valid or its edge values. */
export function either<T>(a: FieldGen<T>, b: FieldGen<T>): FieldGen<T> {
  return { valid: a.valid, edge: fc.oneof(a.edge, b.edge) };
}

/**
 * Records whose fields are valid except for 0 to 3 fields that take edge values, so both accepted and refused
 * inputs are common and each refusal has few causes.
 */
export function withEdges<T extends Record<string, unknown>>(fields: { [K in keyof T]: FieldGen<T[K]> }): fc.Arbitrary<T> {
  const keys = Object.keys(fields) as Array<keyof T>;
  const valid = fc.record(Object.fromEntries(keys.map((k) => [k, fields[k].valid])) as { [K in keyof T]: fc.Arbitrary<T[K]> });
  const edge = fc.record(Object.fromEntries(keys.map((k) => [k, fields[k].edge])) as { [K in keyof T]: fc.Arbitrary<T[K]> });
  return fc.tuple(valid, edge, fc.subarray(keys, { maxLength: 3 })).map(([v, e, pick]) => {
    const out = { ...v };
    for (const k of pick) out[k] = e[k];
    return out;
  });
}

/** What the oracle saw. */
export interface Tally {
  inputs: number;
  accepted: number;
  refused: number;
  refusedWithPath: number;
  /** Refusals per rule id. */
  readonly byRule: Record<string, number>;
  readonly exceptions: string[];
}

/** A fresh tally. */
export function tally(): Tally {
  return { inputs: 0, accepted: 0, refused: 0, refusedWithPath: 0, byRule: {}, exceptions: [] };
}

const RULE = /\(rule: [a-z0-9-]+\)\. fix: \S/;

/** True when `e` is a slipway refusal naming a construct: thrown at once, or collected at synth by cdk8s. */
function refusalWithPath(e: unknown): boolean {
  if (e instanceof SlipwayError) return e.path !== '' && /^\[[^\]]+\] /.test(e.message) && RULE.test(e.message);
  const m = e instanceof Error ? e.message : '';
  const lines = m.split('\n');
  return lines[0] === 'Validation failed with the following errors:' && lines.length > 1
    && lines.slice(1).filter((l) => l.trim()).every((l) => /^\s+\[[^\]]+\] /.test(l) && RULE.test(l));
}

/**
 * Runs one generated input: `build` synthesizes and returns the documents, `exact` throws if they do not hold the
 * input values. Records the outcome; never throws.
 */
export function judge(t: Tally, label: string, build: () => any[], exact: (docs: any[]) => void): void {
  t.inputs++;
  let docs: any[];
  try {
    docs = build();
  } catch (e) {
    t.refused++;
    const rule = /\(rule: ([a-z0-9-]+)\)/.exec(e instanceof Error ? e.message : '')?.[1] ?? '(none)';
    t.byRule[rule] = (t.byRule[rule] ?? 0) + 1;
    if (refusalWithPath(e)) t.refusedWithPath++;
    else t.exceptions.push(`${label}: refusal without a construct path or rule: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const problems = validateDocuments(docs);
  if (problems.length > 0) {
    t.exceptions.push(`${label}: accepted, but the strict checks fail:\n${formatProblems(problems)}`);
    return;
  }
  try {
    exact(docs);
  } catch (e) {
    t.exceptions.push(`${label}: accepted, but altered: ${(e as Error).message}`);
    return;
  }
  t.accepted++;
}

/** Throws unless `actual` equals `expected` as JSON; a non-finite input has no JSON form, so it is never "equal". */
export function same(what: string, actual: unknown, expected: unknown): void {
  const nonFinite = typeof expected === 'number' && !Number.isFinite(expected);
  if (nonFinite || JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: wrote ${JSON.stringify(actual)}, input ${typeof expected === 'string' ? JSON.stringify(expected) : String(expected)}`);
  }
}

/**
 * Prints the counts the reports quote and asserts the property: no exception, every refusal names a construct, and
 * both outcomes occur (a property that only accepts or only refuses proves nothing).
 */
export function expectTally(name: string, t: Tally): void {
  console.log(`${name} value properties: ${JSON.stringify({ ...t, exceptions: t.exceptions.length })}`);
  expect(t.exceptions.slice(0, 5)).toEqual([]);
  expect(t.refusedWithPath).toBe(t.refused);
  expect(t.accepted).toBeGreaterThan(0);
  expect(t.refused).toBeGreaterThan(0);
}
