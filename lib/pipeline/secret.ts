import { assertValue, dataKeyViolations, fail, Names, show } from '../core';
import { checkValue } from './refusals';
import { RESERVED_ENV } from './param';

/** The shape of a secret: what the step sees. */
export enum SecretKind {
  /** One value in one env var (Jenkins "Secret text"; a Kubernetes Secret key). */
  TEXT = 'text',
  /** `<VAR>_USR` and `<VAR>_PSW` (Jenkins "Username with password"; keys `username`/`password` of a basic-auth Secret). */
  USERNAME_PASSWORD = 'usernamePassword',
}

/** Options of the {@link Secret} factories. */
export interface SecretOptions {
  /**
   * The Kubernetes Secret Tekton reads (`secretKeyRef.name`).
   * @default - the same as the Jenkins credentials id
   */
  readonly kubernetesSecret?: string;
}

/** Options of {@link Secret.text}. */
export interface TextSecretOptions extends SecretOptions {
  /**
   * The key inside the Kubernetes Secret.
   * @default 'value'
   */
  readonly key?: string;
}

/**
 * A secret, by reference only: a Jenkins credentials id and a Kubernetes Secret (name and keys). The value never
 * enters the model or the output; steps read it as environment variables. Jenkins binds it with
 * `withCredentials` around the steps that read it, Tekton with `secretKeyRef` on those steps.
 */
export class Secret {
  /** A secret text bound to env var `variable`. `credentialsId` is also the Kubernetes Secret name by default. */
  public static text(variable: string, credentialsId: string, options: TextSecretOptions = {}): Secret {
    return new Secret(SecretKind.TEXT, variable, credentialsId, options.kubernetesSecret ?? credentialsId, { [variable]: options.key ?? 'value' });
  }

  /**
   * A username and password bound to `<variable>_USR` and `<variable>_PSW` (Jenkins' `credentials()` convention);
   * on Tekton read from keys `username` and `password` (a `kubernetes.io/basic-auth` Secret).
   */
  public static usernamePassword(variable: string, credentialsId: string, options: SecretOptions = {}): Secret {
    return new Secret(SecretKind.USERNAME_PASSWORD, variable, credentialsId, options.kubernetesSecret ?? credentialsId,
      { [`${variable}_USR`]: 'username', [`${variable}_PSW`]: 'password' });
  }

  private constructor(
    /** Kind. */ public readonly kind: SecretKind,
    /** The env var (text) or prefix (username/password). */ public readonly variable: string,
    /** Jenkins credentials id. */ public readonly credentialsId: string,
    /** Kubernetes Secret name. */ public readonly kubernetesSecret: string,
    /** Env var name → Kubernetes Secret key. */ public readonly keys: Record<string, string>,
  ) {
    checkValue(this, () => Secret.check(variable, credentialsId, kubernetesSecret, keys));
  }

  private static check(variable: string, credentialsId: string, kubernetesSecret: string, keys: Record<string, string>): void {
    Names.assertIdentifier(undefined, 'secret variable', variable);
    if (RESERVED_ENV.has(variable)) {
      fail(undefined, 'secret-variable-reserved', `secret variable ${show(variable)} is set by the CI engine`, 'choose another name');
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(credentialsId)) {
      fail(undefined, 'secret-credentials-id', `credentials id ${show(credentialsId)} is not a plain id`,
        "use letters, digits, '.', '_' and '-', e.g. 'registry-push'");
    }
    Names.assertDnsSubdomain(undefined, 'Kubernetes Secret name', kubernetesSecret);
    for (const key of Object.values(keys)) {
      assertValue(undefined, dataKeyViolations('secret key', key, "pass a key of letters, digits, '-', '_' and '.' (not '.' or '..'), e.g. Secret.text(variable, id, { key: 'token' })", 'secret-key'));
    }
  }

  /** The env var names the step sees. */
  public get variables(): string[] {
    return Object.keys(this.keys);
  }
}
