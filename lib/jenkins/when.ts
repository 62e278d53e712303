import { show } from '../core';
import { Arg, ConditionAst, named, optBool, optStr, str, textOrStr } from './ast';
import { Text } from './groovy';
import { Problems } from './problems';
import { javaRegexError } from './java-regex';
import { checkRawGroovy } from './raw-groovy';

/** How `branch`, `tag`, `changeset` and `changeRequest` compare their pattern. */
export class Comparator {
  /** Exact match. */
  public static readonly EQUALS = new Comparator('EQUALS');
  /** Ant-style glob (the default). */
  public static readonly GLOB = new Comparator('GLOB');
  /** Java regular expression. */
  public static readonly REGEXP = new Comparator('REGEXP');

  private constructor(
    /** The Declarative value. */
    public readonly value: string,
  ) {}
}

/** Props of {@link When.changeRequest}; each set field must match. */
export interface ChangeRequestProps {
  /**
   * Change request id.
   * @default - any
   */
  readonly id?: string;
  /**
   * Target branch.
   * @default - any
   */
  readonly target?: string;
  /**
   * Source branch.
   * @default - any
   */
  readonly branch?: string;
  /**
   * Fork the change comes from.
   * @default - any
   */
  readonly fork?: string;
  /**
   * Change request URL.
   * @default - any
   */
  readonly url?: string;
  /**
   * Title.
   * @default - any
   */
  readonly title?: string;
  /**
   * Author user name.
   * @default - any
   */
  readonly author?: string;
  /**
   * Author display name.
   * @default - any
   */
  readonly authorDisplayName?: string;
  /**
   * Author e-mail.
   * @default - any
   */
  readonly authorEmail?: string;
  /**
   * How the fields are compared.
   * @default Comparator.EQUALS
   */
  readonly comparator?: Comparator;
}

/** Options of {@link When.changeset}. */
export interface ChangesetOptions {
  /**
   * How the pattern is compared.
   * @default Comparator.GLOB
   */
  readonly comparator?: Comparator;
  /**
   * Case-sensitive matching.
   * @default false
   */
  readonly caseSensitive?: boolean;
}

/**
 * A `when` condition of a stage or matrix. Several conditions on one stage must all hold (implicit AND);
 * combine with {@link When.allOf}, {@link When.anyOf} and {@link When.not}.
 */
export class When {
  /** `branch`: the branch being built matches `pattern` (multibranch only). */
  public static branch(pattern: string, comparator?: Comparator): When {
    return When.pattern('branch', pattern, comparator);
  }

  /** `buildingTag()`: the build is for a tag. */
  public static buildingTag(): When {
    return new When({ name: 'buildingTag', args: [] });
  }

  /** `tag`: the tag being built matches `pattern`. */
  public static tag(pattern: string, comparator?: Comparator): When {
    return When.pattern('tag', pattern, comparator);
  }

  /** `changelog`: a commit message matches the (Java) regular expression. */
  public static changelog(regex: string): When {
    const p = new Problems();
    const err = javaRegexError(regex);
    if (err) p.add('when-changelog-regex', `changelog pattern ${show(regex)} is not a valid regular expression (${err})`, 'fix the regular expression');
    return new When({ name: 'changelog', args: [{ value: str(regex) }], problems: p.result });
  }

  /** `changeset`: a changed file matches `pattern`. */
  public static changeset(pattern: string, options: ChangesetOptions = {}): When {
    const extra = named([['comparator', optStr(options.comparator?.value)], ['caseSensitive', optBool(options.caseSensitive)]]);
    const args: Arg[] = extra.length === 0 ? [{ value: str(pattern) }] : [{ key: 'pattern', value: str(pattern) }, ...extra];
    return new When({ name: 'changeset', args });
  }

  /** `changeRequest`: the build is for a change request (pull request), optionally matching fields. */
  public static changeRequest(props: ChangeRequestProps = {}): When {
    const keys = ['id', 'target', 'branch', 'fork', 'url', 'title', 'author', 'authorDisplayName', 'authorEmail'] as const;
    return new When({ name: 'changeRequest', args: named([...keys.map((k): [string, ReturnType<typeof optStr>] => [k, optStr(props[k])]),
      ['comparator', optStr(props.comparator?.value)]]) });
  }

  /** `environment`: the environment variable `name` equals `value` (a {@link Text} is read at run time, e.g. a matrix axis). */
  public static environment(name: string, value: string | Text, ignoreCase?: boolean): When {
    const p = new Problems();
    p.identifier('when environment name', name);
    return new When({ name: 'environment', problems: p.result,
      args: named([['name', str(name)], ['value', textOrStr(value)], ['ignoreCase', optBool(ignoreCase)]]) });
  }

  /** `equals`: `actual` (a value read at run time, e.g. `Text.of(Ref.param('TARGET'))`) equals `expected`. */
  public static equals(expected: string | Text, actual: string | Text): When {
    return new When({ name: 'equals', args: [{ key: 'expected', value: textOrStr(expected) }, { key: 'actual', value: textOrStr(actual) }] });
  }

  /**
   * `expression { … }`: a Groovy expression (escape hatch, emitted as written; never build it from untrusted
   * text). Note that a returned string such as "false" counts as true.
   */
  public static expression(groovy: string): When {
    return new When({ name: 'expression', args: [], raw: groovy, problems: checkRawGroovy('expression', groovy) });
  }

  /** `triggeredBy`: the build was caused by `cause` (e.g. 'TimerTrigger', 'UserIdCause'), optionally with `detail`. */
  public static triggeredBy(cause: string, detail?: string): When {
    const args: Arg[] = detail === undefined ? [{ value: str(cause) }] : named([['cause', str(cause)], ['detail', str(detail)]]);
    return new When({ name: 'triggeredBy', args });
  }

  /** `isRestartedRun()`: the run was restarted from a stage. */
  public static isRestartedRun(): When {
    return new When({ name: 'isRestartedRun', args: [] });
  }

  /** `allOf`: every condition holds (at least one). */
  public static allOf(...conditions: When[]): When {
    return When.nested('allOf', conditions);
  }

  /** `anyOf`: at least one condition holds (at least one). */
  public static anyOf(...conditions: When[]): When {
    return When.nested('anyOf', conditions);
  }

  /** `not`: the condition does not hold. */
  public static not(condition: When): When {
    return When.nested('not', [condition]);
  }

  private static pattern(name: string, pattern: string, comparator?: Comparator): When {
    const args: Arg[] = comparator === undefined ? [{ value: str(pattern) }]
      : [{ key: 'pattern', value: str(pattern) }, { key: 'comparator', value: str(comparator.value) }];
    return new When({ name, args });
  }

  private static nested(name: string, conditions: When[]): When {
    const p = new Problems();
    if (conditions.length === 0) {
      p.add('when-children', `when condition ${show(name)} has no child conditions`, 'give it at least one condition, or remove it');
    }
    return new When({ name, args: [], children: conditions.map((c) => c.ast), problems: p.result });
  }

  private constructor(private readonly ast: ConditionAst) {}

  /** @internal */
  public _toAst(): ConditionAst {
    return this.ast;
  }
}
