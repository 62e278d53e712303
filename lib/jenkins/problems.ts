import { Duration, NumberRule, RuleViolation, durationMillis, finiteViolations, integerViolations, refusalViolation, show } from '../core';
import { isIdentifier } from './groovy';

/**
 * Collects problems while a value class is built. Value classes have no construct scope, so instead of throwing
 * they record the problem; the validator reports it at synth with the construct path and the stage location.
 * @internal
 */
export class Problems {
  public readonly list: RuleViolation[] = [];

  add(rule: string, message: string, fix: string): void {
    this.list.push({ rule, message, fix });
  }

  /** Records violations of the shared value rules (lib/core/values.ts). */
  all(violations: readonly RuleViolation[]): void {
    this.list.push(...violations);
  }

  identifier(what: string, value: string): void {
    if (!isIdentifier(value)) {
      this.add('identifier', `${what} ${show(value)} is not a valid identifier`,
        'start with a letter or underscore, use only letters, digits and underscores, and avoid Groovy keywords');
    }
  }

  nonEmpty(rule: string, what: string, value: string | undefined, fix: string): void {
    if (value !== undefined && value.trim() === '') this.add(rule, `${what} ${show(value)} is empty`, fix);
  }

  /**
   * A Java `int` argument (what Jenkins' steps, options and the kubernetes plugin bind counts to): NaN and Infinity
   * (`value-finite`), fractions (`value-integer`) and values outside `min`..int32 (`number-range`) are refused.
   */
  wholeNumber(what: string, value: number | undefined, min: number, rule: NumberRule = {}): void {
    if (value === undefined) return;
    this.all(integerViolations(what, value, { min, rangeRule: 'number-range', ...rule }).slice(0, 1));
  }

  /** A Java `double` argument (e.g. junit's healthScaleFactor): NaN and Infinity are refused (`value-finite`). */
  finite(what: string, value: number | undefined, rule: NumberRule = {}): void {
    if (value === undefined) return;
    this.all(finiteViolations(what, value, { rangeRule: 'number-range', ...rule }).slice(0, 1));
  }

  /**
   * The whole milliseconds of a duration, or undefined when it is refused (a refused `Duration.*` value or a cdk8s
   * `Duration` that is negative, fractional or infinite): the refusal is recorded, so the construct it reaches
   * reports it with its path at synth.
   */
  duration(d: Duration): number | undefined {
    try {
      return durationMillis(d);
    } catch (e) {
      const v = refusalViolation(e);
      if (!v) throw e;
      this.list.push(v);
      return undefined;
    }
  }

  get result(): RuleViolation[] | undefined {
    return this.list.length ? this.list : undefined;
  }
}
