import { Arg, Call, named, optStr, textOrStr } from './ast';
import { Text } from './groovy';
import { Problems } from './problems';

/** Props of {@link Credential.usernamePassword}. */
export interface UsernamePasswordBindingProps {
  /** The Jenkins credential id (a {@link Text} when it is read at run time, e.g. from a matrix axis). */
  readonly credentialsId: string | Text;
  /** Variable that receives the username. */
  readonly usernameVariable: string;
  /** Variable that receives the password. */
  readonly passwordVariable: string;
}

/** Props of bindings that expose a credential through one variable. */
export interface SingleVariableBindingProps {
  /** The Jenkins credential id (a {@link Text} when it is read at run time, e.g. from a matrix axis). */
  readonly credentialsId: string | Text;
  /** Variable that receives the secret (text, file path or directory). */
  readonly variable: string;
}

/** Props of {@link Credential.sshUserPrivateKey}. */
export interface SshUserPrivateKeyBindingProps {
  /** The Jenkins credential id (a {@link Text} when it is read at run time, e.g. from a matrix axis). */
  readonly credentialsId: string | Text;
  /** Variable that receives the path of the key file. */
  readonly keyFileVariable: string;
  /**
   * Variable that receives the passphrase.
   * @default - not bound
   */
  readonly passphraseVariable?: string;
  /**
   * Variable that receives the username.
   * @default - not bound
   */
  readonly usernameVariable?: string;
}

/** Props of {@link Credential.certificate}. */
export interface CertificateBindingProps {
  /** The Jenkins credential id (a {@link Text} when it is read at run time, e.g. from a matrix axis). */
  readonly credentialsId: string | Text;
  /** Variable that receives the path of the keystore. */
  readonly keystoreVariable: string;
  /**
   * Variable that receives the keystore password.
   * @default - not bound
   */
  readonly passwordVariable?: string;
  /**
   * Variable that receives the key alias.
   * @default - not bound
   */
  readonly aliasVariable?: string;
}

/**
 * A `withCredentials` binding (credentials-binding plugin). Secrets reach scripts only as environment variables
 * (`$VAR` inside a single-quoted `sh`), never through Groovy interpolation.
 */
export class Credential {
  /** `usernamePassword`: username and password in two variables. */
  public static usernamePassword(props: UsernamePasswordBindingProps): Credential {
    return new Credential('usernamePassword', props.credentialsId, [
      ['usernameVariable', props.usernameVariable], ['passwordVariable', props.passwordVariable]]);
  }

  /** `usernameColonPassword`: `user:password` in one variable. */
  public static usernameColonPassword(props: SingleVariableBindingProps): Credential {
    return new Credential('usernameColonPassword', props.credentialsId, [['variable', props.variable]]);
  }

  /** `string`: a secret text credential. */
  public static string(props: SingleVariableBindingProps): Credential {
    return new Credential('string', props.credentialsId, [['variable', props.variable]]);
  }

  /** `file`: a secret file; the variable holds a temporary path. */
  public static file(props: SingleVariableBindingProps): Credential {
    return new Credential('file', props.credentialsId, [['variable', props.variable]]);
  }

  /** `zip`: a secret zip file, unpacked; the variable holds the directory. */
  public static zip(props: SingleVariableBindingProps): Credential {
    return new Credential('zip', props.credentialsId, [['variable', props.variable]]);
  }

  /** `sshUserPrivateKey`: an SSH key file, with optional passphrase and username variables. */
  public static sshUserPrivateKey(props: SshUserPrivateKeyBindingProps): Credential {
    return new Credential('sshUserPrivateKey', props.credentialsId, [['keyFileVariable', props.keyFileVariable],
      ['passphraseVariable', props.passphraseVariable], ['usernameVariable', props.usernameVariable]]);
  }

  /** `certificate`: a keystore file, with optional password and alias variables. */
  public static certificate(props: CertificateBindingProps): Credential {
    return new Credential('certificate', props.credentialsId, [['keystoreVariable', props.keystoreVariable],
      ['passwordVariable', props.passwordVariable], ['aliasVariable', props.aliasVariable]]);
  }

  /** The binding type, e.g. `usernamePassword`. */
  public readonly type: string;
  /** The variables this binding sets (they hold secrets). */
  public readonly variables: string[];
  private readonly call: Call;

  private constructor(type: string, credentialsId: string | Text, vars: Array<[string, string | undefined]>) {
    const p = new Problems();
    if (typeof credentialsId === 'string') p.nonEmpty('credentials-id', `${type} credentialsId`, credentialsId, 'give the id of a Jenkins credential');
    const set = vars.filter((v): v is [string, string] => v[1] !== undefined);
    for (const [key, v] of set) p.identifier(`${type} ${key}`, v);
    this.type = type;
    this.variables = set.map(([, v]) => v);
    const args: Arg[] = named([['credentialsId', textOrStr(credentialsId)], ...set.map(([k, v]): [string, ReturnType<typeof optStr>] => [k, optStr(v)])]);
    this.call = { name: type, args, problems: p.result };
  }

  /** @internal */
  public _toCall(): Call {
    return this.call;
  }
}
