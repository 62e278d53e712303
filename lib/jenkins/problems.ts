import { RuleViolation, show } from '../core';
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

  identifier(what: string, value: string): void {
    if (!isIdentifier(value)) {
      this.add('identifier', `${what} ${show(value)} is not a valid identifier`,
        'start with a letter or underscore, use only letters, digits and underscores, and avoid Groovy keywords');
    }
  }

  nonEmpty(rule: string, what: string, value: string | undefined, fix: string): void {
    if (value !== undefined && value.trim() === '') this.add(rule, `${what} ${show(value)} is empty`, fix);
  }

  wholeNumber(what: string, value: number | undefined, min: number): void {
    if (value === undefined) return;
    if (!Number.isSafeInteger(value) || value < min) {
      this.add('number-range', `${what} ${show(value)} is not a whole number >= ${min} in the safe integer range`,
        `use a whole number from ${min} to ${Number.MAX_SAFE_INTEGER}`);
    }
  }

  get result(): RuleViolation[] | undefined {
    return this.list.length ? this.list : undefined;
  }
}
