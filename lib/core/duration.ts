import { Duration as Cdk8sDuration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from './errors';
import { assertValues, checkedValue, rethrowRefusal } from './values';

const UNITS: ReadonlyArray<[string, number]> = [['h', 3600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/**
 * A length of time. slipway's own factories (`Duration.minutes(5)`, `Duration.parse('1h30m')`) and cdk8s'
 * `Duration` both fit wherever slipway takes one, so the two never need a cast. slipway renders it in each backend's
 * own form: Go durations for Tekton and Argo (`1h30m`), seconds for Kubernetes, a time and unit for Jenkins.
 */
export interface Duration {
  /** The length in milliseconds. */
  toMilliseconds(): number;
}

/**
 * A duration, or the refusal of one: a negative, fractional or infinite amount is kept on the value and thrown by the
 * construct it reaches (with that construct's path), or where it is rendered.
 */
function make(amount: number, unit: string, millis: number): Duration {
  return checkedValue(() => {
    if (!Number.isFinite(amount) || amount < 0 || !Number.isInteger(millis)) {
      fail(undefined, 'duration-range', `duration ${show(amount)}${unit} is not a whole, non-negative number of milliseconds`,
        'use a non-negative, finite value that is a whole number of milliseconds');
    }
  }, (): Duration => (Number.isFinite(millis) && millis >= 0 && Number.isInteger(millis) ? Cdk8sDuration.millis(millis) : { toMilliseconds: () => millis }));
}

/** slipway's `Duration` factories; each returns a cdk8s `Duration`. */
export const Duration = {
  /** A duration of `amount` milliseconds. */
  millis: (amount: number): Duration => make(amount, 'ms', amount),
  /** A duration of `amount` seconds. */
  seconds: (amount: number): Duration => make(amount, 's', amount * 1000),
  /** A duration of `amount` minutes. */
  minutes: (amount: number): Duration => make(amount, 'm', amount * 60_000),
  /** A duration of `amount` hours. */
  hours: (amount: number): Duration => make(amount, 'h', amount * 3600_000),
  /** A duration of `amount` days. */
  days: (amount: number): Duration => make(amount, 'd', amount * 86_400_000),
  /**
   * Parses a Go-style duration (`90s`, `1h30m`, `500ms`, `0`), the form Tekton and Argo write. Only h, m, s and ms
   * with whole numbers are accepted, which is what every backend slipway writes to understands.
   */
  parse(text: string): Duration {
    if (text === '0') return Cdk8sDuration.millis(0);
    const re = /(\d+)(ms|h|m|s)/gy;
    let total = 0;
    let matched = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      total += Number(m[1]) * UNITS.find(([u]) => u === m![2])![1];
      matched = re.lastIndex;
    }
    if (matched === text.length && text.length > 0) return make(total, 'ms', total);
    // Like the other factories, the refusal is kept and thrown with the path of the construct the value reaches.
    return checkedValue(() => fail(undefined, 'duration-format', `${show(text)} is not a duration`,
      "write it like '90s', '5m', '1h30m' or '500ms', or use Duration.minutes(5)"), (): Duration => ({ toMilliseconds: () => NaN }));
  },
};

/**
 * The whole milliseconds of a duration; a cdk8s `Duration` that is negative, fractional or not finite is refused
 * (at `scope` when given).
 * @internal
 */
export function durationMillis(d: Duration, scope?: IConstruct): number {
  if (scope) assertValues(scope, [d]);
  else rethrowRefusal(d);
  const ms = d.toMilliseconds();
  if (!Number.isFinite(ms) || ms < 0 || !Number.isInteger(ms)) {
    fail(scope, 'duration-range', `duration ${show(ms)}ms is not a whole, non-negative number of milliseconds`,
      'use a non-negative, finite value that is a whole number of milliseconds');
  }
  return ms;
}

/**
 * The Go duration string, largest units first (`1h30m`, `45s`, `0s`); undefined stays undefined.
 * @internal
 */
export function goDuration(d: Duration, scope?: IConstruct): string;
export function goDuration(d: Duration | undefined, scope?: IConstruct): string | undefined;
export function goDuration(d: Duration | undefined, scope?: IConstruct): string | undefined {
  if (d === undefined) return undefined;
  let rest = durationMillis(d, scope);
  if (rest === 0) return '0s';
  let out = '';
  for (const [u, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${u}`;
    rest -= n * size;
  }
  return out;
}

/**
 * Whole seconds (Kubernetes' `…Seconds` fields); a duration that is not a whole number of seconds is refused.
 * @internal
 */
export function wholeSeconds(d: Duration, scope?: IConstruct): number;
export function wholeSeconds(d: Duration | undefined, scope?: IConstruct): number | undefined;
export function wholeSeconds(d: Duration | undefined, scope?: IConstruct): number | undefined {
  if (d === undefined) return undefined;
  const ms = durationMillis(d, scope);
  if (ms % 1000 !== 0) {
    fail(scope, 'duration-whole-seconds', `duration ${goDuration(d)} is not a whole number of seconds`,
      'round it to whole seconds, e.g. Duration.seconds(2)');
  }
  return ms / 1000;
}

/**
 * The largest Jenkins `timeout` unit that expresses the duration exactly.
 * @internal
 */
export function jenkinsTime(d: Duration, scope?: IConstruct): { time: number; unit: 'DAYS' | 'HOURS' | 'MINUTES' | 'SECONDS' | 'MILLISECONDS' } {
  const ms = durationMillis(d, scope);
  const options: Array<[number, 'DAYS' | 'HOURS' | 'MINUTES' | 'SECONDS' | 'MILLISECONDS']> = [
    [86_400_000, 'DAYS'], [3600_000, 'HOURS'], [60_000, 'MINUTES'], [1000, 'SECONDS'], [1, 'MILLISECONDS'],
  ];
  for (const [size, unit] of options) {
    if (ms % size === 0 && ms > 0) return { time: ms / size, unit };
  }
  return { time: 0, unit: 'SECONDS' };
}
