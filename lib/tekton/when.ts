/** Guards of a pipeline task (`when`). */
import { checkedValue, fail, show } from '../core';
import { checkCel } from './cel';
import { scanRefs } from './expressions';

/**
 * One `when` expression: `input in/notin values`, or a CEL expression (alpha). A refusal is thrown by the task or step
 * the expression is given to, with its construct path.
 */
export class WhenExpression {
  /** Run the task only if `input` is one of `values`. */
  public static in(input: string, values: string[]): WhenExpression {
    return WhenExpression.make(input, 'in', values);
  }

  /** Run the task only if `input` is none of `values`. */
  public static notIn(input: string, values: string[]): WhenExpression {
    return WhenExpression.make(input, 'notin', values);
  }

  /**
   * A CEL expression (needs `enable-cel-in-whenexpression`: `featureFlags.enableCelInWhenExpression` or
   * `ApiFields.ALPHA`). Tekton variables must be single-quoted, as in `"'$(params.branch)' == 'main'"`, so a
   * value cannot inject CEL. The expression is parsed now, as Tekton compiles it at admission.
   */
  public static cel(expression: string): WhenExpression {
    return checkedValue(() => WhenExpression.checkCel(expression), () => new WhenExpression({ cel: expression }));
  }

  private static checkCel(expression: string): void {
    if (typeof expression !== 'string' || !expression.trim()) {
      fail(undefined, 'when-input-blank', 'the CEL expression is blank', 'write a CEL expression');
    }
    for (const ref of scanRefs(expression)) {
      const at = expression.indexOf(ref.text);
      if (expression[at - 1] !== "'" || expression[at + ref.text.length] !== "'") {
        fail(undefined, 'when-cel-quoted', `CEL expression ${show(expression)} uses ${ref.text} unquoted`,
          `quote it: '${ref.text}', so its value is a CEL string and cannot change the expression`);
      }
    }
    checkCel(undefined, 'when expression', expression);
  }

  private static make(input: string, operator: string, values: string[]): WhenExpression {
    return checkedValue(() => WhenExpression.checkInput(input, operator, values),
      () => new WhenExpression({ input, operator, values: Array.isArray(values) ? [...values] : [] }));
  }

  private static checkInput(input: string, operator: string, values: string[]): void {
    // Plain JavaScript callers can pass a list; Tekton's `input` is a single string.
    if (typeof input !== 'string') {
      fail(undefined, 'when-input-string', `when expression input ${show(input)} is not a string`,
        'use one string, e.g. a param, one element ($(params.x[0])) or a result; a whole array goes in values');
    }
    if (!Array.isArray(values) || values.some((x) => typeof x !== 'string')) {
      fail(undefined, 'when-values-empty', `when expression values ${show(values)} are not a list of strings`,
        "list strings, e.g. ['main'], or a whole array reference ['$(params.list[*])']");
    }
    if (!input.trim()) {
      fail(undefined, 'when-input-blank', `when expression (${operator} ${show(values)}) has a blank input`,
        'use a param or result reference as input');
    }
    if (values.length === 0) {
      fail(undefined, 'when-values-empty', `when expression on ${show(input)} has no values`, 'list at least one value');
    }
  }

  private constructor(private readonly json: { input?: string; operator?: string; values?: string[]; cel?: string }) {}

  /** True for CEL expressions. */
  public get isCel(): boolean {
    return this.json.cel !== undefined;
  }

  /** Every string in the expression (for reference scanning). */
  public get strings(): string[] {
    return this.json.cel !== undefined ? [this.json.cel] : [this.json.input!, ...this.json.values!];
  }

  /** The `input` (Tekton requires a string there: no whole array or object). */
  public get input(): string | undefined {
    return this.json.input;
  }

  /** The `values` (they may hold a whole array reference `[*]`), or the CEL text. */
  public get valueStrings(): string[] {
    return this.json.cel !== undefined ? [this.json.cel] : [...this.json.values!];
  }

  /** The JSON form. */
  public toJson(): any {
    return { ...this.json, values: this.json.values ? [...this.json.values] : undefined };
  }
}
