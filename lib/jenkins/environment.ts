import { Expr, textOrStr } from './ast';
import { Text } from './groovy';
import { checkRawGroovy } from './raw-groovy';
import { RuleViolation } from '../core';

/**
 * A value in an `environment` block: literal text, a {@link Text} with references (a GString the generator
 * builds), or `credentials('id')`, which binds a Jenkins credential (secret text, file, username/password as
 * `NAME`, `NAME_USR`, `NAME_PSW`, or SSH key).
 */
export class EnvValue {
  /** A literal value, emitted single-quoted. */
  public static of(value: string): EnvValue {
    return new EnvValue(textOrStr(value), false);
  }

  /** A value read at run time, e.g. `EnvValue.text(Text.of('app:', Ref.env('BUILD_NUMBER')))`. */
  public static text(value: Text): EnvValue {
    return new EnvValue(textOrStr(value), false);
  }

  /**
   * `credentials('id')`: the credential's secret. The id (never the secret) may be read at run time, e.g. in a
   * matrix: `EnvValue.credentials(Text.of('kubeconfig-', m.axis('CLUSTER')))`.
   */
  public static credentials(credentialsId: string | Text): EnvValue {
    return new EnvValue({ k: 'call', call: { name: 'credentials', args: [{ value: textOrStr(credentialsId) }] } }, true,
      typeof credentialsId === 'string' ? credentialsId : undefined);
  }

  /**
   * A value computed by a Groovy expression when the stage starts, e.g. `readMavenPom().getArtifactId()` or
   * `params.RELEASE ? 'release' : 'snapshot'` (escape hatch, emitted as written; never build it from untrusted
   * text; brackets and strings must balance, checked).
   */
  public static expression(groovy: string): EnvValue {
    const problems = checkRawGroovy('environment expression', groovy);
    const oneLine = groovy.includes('\n') ? [{ rule: 'raw-groovy', message: 'environment expression spans several lines',
      fix: 'write the expression on one line, or compute it in a script step' }] : [];
    return new EnvValue({ k: 'raw', code: groovy }, false, undefined, [...problems ?? [], ...oneLine]);
  }

  private constructor(
    /** @internal */
    public readonly _expr: Expr,
    /** True if the variable holds a secret. */
    public readonly secret: boolean,
    /** The credential id, for `credentials()` values with a literal id. */
    public readonly credentialsId?: string,
    /** @internal */
    public readonly _problems: readonly RuleViolation[] = [],
  ) {}
}
