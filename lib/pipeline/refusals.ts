/**
 * Refusals of the value factories (`Param`, `Secret`, `Node`, `Resources`, `Step`, `Matrix`, `When`), kept until the
 * value reaches a construct, which then throws them with its path. Internal: not exported from the package root.
 */
import { IConstruct } from 'constructs';
import { RuleViolation, SlipwayError } from '../core';

const REFUSED = new WeakMap<object, RuleViolation>();

/**
 * Runs a value's checks. A refusal (a `SlipwayError` without a construct path) is kept on the value instead of
 * thrown: the construct the value is given to throws it with its own path ({@link assertValues}).
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

/** Inside a value's checks: passes on the refusal of a value it is made of (a node's resources, a step's secrets). */
export function rethrowRefusal(part: object | undefined): void {
  const v = part ? REFUSED.get(part) : undefined;
  if (v) throw new SlipwayError('', v);
}

/** Throws the first refusal of `values` with the path of `scope`, the construct they were given to. */
export function assertValues(scope: IConstruct, values: ReadonlyArray<object | undefined>): void {
  for (const value of values) {
    const v = value ? REFUSED.get(value) : undefined;
    if (v) throw new SlipwayError(scope.node.path, v);
  }
}

/** The violation behind a path-less error (its message is `message (rule: id). fix: …`). */
function violationOf(e: SlipwayError): RuleViolation {
  const marker = ` (rule: ${e.rule}). fix: `;
  const i = e.message.indexOf(marker);
  return i < 0 ? { rule: e.rule, message: e.message, fix: '' } : { rule: e.rule, message: e.message.slice(0, i), fix: e.message.slice(i + marker.length) };
}

/**
 * Checks a construct id before `constructs` sees it, so an empty or repeated id is a slipway error with a rule and a
 * fix instead of `Only root constructs may have an empty ID` or `There is already a Construct with name …`.
 */
export function constructId(scope: IConstruct, id: string, what: string, example: string, duplicateRule = 'duplicate-construct-id'): string {
  if (id === '') {
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
