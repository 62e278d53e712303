import { fail, show } from '../core';
import { Param } from './param';
import { checkValue, rethrowRefusal } from './refusals';

/** What a {@link When} condition tests. */
export enum WhenKind {
  /** The branch being built. */
  BRANCH = 'branch',
  /** The tag being built (any tag, or a name). */
  TAG = 'tag',
  /** A run parameter's value. */
  PARAM = 'param',
}

/**
 * A condition for running a stage. Several conditions on one stage must all hold (Jenkins: conditions side by side
 * in `when`; Tekton: a list of `when` expressions). A skipped stage does not skip the stages after it, on both engines.
 */
export class When {
  /**
   * The branch is one of `names`. A `*` makes a glob (Jenkins only: Tekton `when` compares exact values, so a
   * glob is a synth error there).
   */
  public static branch(...names: string[]): When {
    return new When(WhenKind.BRANCH, names, undefined, false, () => assertValues('branch', names));
  }

  /** The run builds a tag: any tag, or one of `names` (a `*` makes a glob, Jenkins only). */
  public static tag(...names: string[]): When {
    return new When(WhenKind.TAG, names, undefined, false, () => names.length > 0 && assertValues('tag', names));
  }

  /** The param's value is one of `values` (a boolean param takes `'true'`/`'false'`). */
  public static paramEquals(param: Param, ...values: string[]): When {
    return new When(WhenKind.PARAM, values, param, false, () => {
      rethrowRefusal(param);
      assertValues(`param ${param.name}`, values);
      for (const v of values) {
        if (!param.accepts(v)) {
          fail(undefined, 'when-param-value', `param ${show(param.name)} can never be ${show(v)}`,
            `compare with one of ${show(param.choices)}`);
        }
      }
    });
  }

  /** The opposite condition (Jenkins `not { … }`, Tekton `notin`), e.g. `When.not(When.branch('main'))`. */
  public static not(condition: When): When {
    return new When(condition.kind, condition.values, condition.param, !condition.negated, () => rethrowRefusal(condition));
  }

  private constructor(
    /** What is tested. */ public readonly kind: WhenKind,
    /** Accepted values (empty for "any tag"). */ public readonly values: string[],
    /** The param, for `PARAM`. */ public readonly param: Param | undefined,
    /** True when the condition is negated. */ public readonly negated: boolean,
    checks: () => void,
  ) {
    checkValue(this, checks);
  }

  /** True if a value is a glob (contains `*` or `?`). */
  public get isGlob(): boolean {
    return this.values.some((v) => /[*?]/.test(v));
  }

  /** A canonical one-line description, used by graphs and the equivalence check. */
  public describe(): string {
    const vals = this.values.map((v) => JSON.stringify(v)).join(', ');
    const text = this.kind === WhenKind.BRANCH ? `branch in [${vals}]`
      : this.kind === WhenKind.TAG ? (this.values.length ? `tag in [${vals}]` : 'tag')
        : `param ${this.param!.name} in [${vals}]`;
    return this.negated ? `not ${text}` : text;
  }
}

function assertValues(what: string, values: string[]): void {
  if (values.length === 0) {
    fail(undefined, 'when-values', `${what} condition has no values`, 'pass at least one value');
  }
  for (const v of values) {
    if (v.length === 0 || /[\r\n]/.test(v)) {
      fail(undefined, 'when-values', `${what} condition value ${show(v)} is empty or spans lines`, 'use a one-line, non-empty value');
    }
  }
}
