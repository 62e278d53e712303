import { Expr, str, textOrStr } from './ast';
import { Text } from './groovy';

/**
 * A value in an `environment` block: literal text, a {@link Text} with references (a GString the generator
 * builds), or `credentials('id')`, which binds a Jenkins credential (secret text, file, username/password as
 * `NAME`, `NAME_USR`, `NAME_PSW`, or SSH key).
 */
export class EnvValue {
  /** A literal value, emitted single-quoted. */
  public static of(value: string): EnvValue {
    return new EnvValue(str(value), false);
  }

  /** A value read at run time, e.g. `EnvValue.text(Text.of('app:', Ref.env('BUILD_NUMBER')))`. */
  public static text(value: Text): EnvValue {
    return new EnvValue(textOrStr(value), false);
  }

  /** `credentials('id')`: the credential's secret. */
  public static credentials(credentialsId: string): EnvValue {
    return new EnvValue({ k: 'call', call: { name: 'credentials', args: [{ value: str(credentialsId) }] } }, true, credentialsId);
  }

  private constructor(
    /** @internal */
    public readonly _expr: Expr,
    /** True if the variable holds a secret. */
    public readonly secret: boolean,
    /** The credential id, for `credentials()` values. */
    public readonly credentialsId?: string,
  ) {}
}
