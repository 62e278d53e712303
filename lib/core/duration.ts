import { fail, show } from './errors';

const UNITS: ReadonlyArray<[string, number]> = [['h', 3600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/**
 * A length of time, stored in whole milliseconds. Renders to each backend's own form:
 * Go durations for Tekton and Argo (`1h30m`), seconds for Kubernetes, a time + unit pair for Jenkins.
 */
export class Duration {
  /** A duration of `amount` milliseconds. */
  public static millis(amount: number): Duration {
    return new Duration(amount, 'ms');
  }

  /** A duration of `amount` seconds. */
  public static seconds(amount: number): Duration {
    return new Duration(amount * 1000, 's');
  }

  /** A duration of `amount` minutes. */
  public static minutes(amount: number): Duration {
    return new Duration(amount * 60_000, 'm');
  }

  /** A duration of `amount` hours. */
  public static hours(amount: number): Duration {
    return new Duration(amount * 3600_000, 'h');
  }

  /** A duration of `amount` days. */
  public static days(amount: number): Duration {
    return new Duration(amount * 86_400_000, 'd');
  }

  /**
   * Parses a Go-style duration (`90s`, `1h30m`, `500ms`, `0`). Only h, m, s and ms with whole numbers are
   * accepted, which is what every backend we emit to understands.
   */
  public static parse(text: string): Duration {
    if (text === '0') return new Duration(0, 's');
    const re = /(\d+)(ms|h|m|s)/gy;
    let total = 0;
    let matched = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      total += Number(m[1]) * UNITS.find(([u]) => u === m![2])![1];
      matched = re.lastIndex;
    }
    if (matched !== text.length || text.length === 0) {
      fail(undefined, 'duration-format', `${show(text)} is not a duration`,
        "write it like '90s', '5m', '1h30m' or '500ms', or use Duration.minutes(5)");
    }
    return new Duration(total, 's');
  }

  /** The whole number of milliseconds. */
  public readonly millis: number;

  private constructor(ms: number, private readonly unit: string) {
    if (!Number.isFinite(ms) || ms < 0 || !Number.isInteger(ms)) {
      fail(undefined, 'duration-range', `duration ${show(ms)}ms is not a whole, non-negative number of milliseconds`,
        'use a non-negative value that is a whole number of milliseconds');
    }
    this.millis = ms;
  }

  /** Whole seconds; throws if the duration is not a whole number of seconds. */
  public toSeconds(): number {
    if (this.millis % 1000 !== 0) {
      fail(undefined, 'duration-whole-seconds', `duration ${this.toGoString()} is not a whole number of seconds`,
        'round it to whole seconds');
    }
    return this.millis / 1000;
  }

  /** The Go duration string, largest units first (`1h30m`, `45s`, `0s`). */
  public toGoString(): string {
    if (this.millis === 0) return '0s';
    let rest = this.millis;
    let out = '';
    for (const [u, size] of UNITS) {
      const n = Math.floor(rest / size);
      if (n > 0) out += `${n}${u}`;
      rest -= n * size;
    }
    return out;
  }

  /** The largest Jenkins `timeout` unit that expresses this duration exactly. */
  public toJenkins(): { time: number; unit: 'DAYS' | 'HOURS' | 'MINUTES' | 'SECONDS' | 'MILLISECONDS' } {
    const options: Array<[number, 'DAYS' | 'HOURS' | 'MINUTES' | 'SECONDS' | 'MILLISECONDS']> = [
      [86_400_000, 'DAYS'], [3600_000, 'HOURS'], [60_000, 'MINUTES'], [1000, 'SECONDS'], [1, 'MILLISECONDS'],
    ];
    for (const [size, unit] of options) {
      if (this.millis % size === 0 && this.millis > 0) return { time: this.millis / size, unit };
    }
    return { time: 0, unit: 'SECONDS' };
  }

  /** True if both durations are equally long. */
  public equals(other: Duration): boolean {
    return this.millis === other.millis;
  }

  /** A readable form for messages (the unit the duration was created in is kept where exact). */
  public toString(): string {
    return this.unit === 'd' && this.millis % 86_400_000 === 0 ? `${this.millis / 86_400_000}d` : this.toGoString();
  }
}
