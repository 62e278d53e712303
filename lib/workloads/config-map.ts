import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FinalDocument, RuleViolation, addRules, fail, putSorted, show } from '../core';

const KEY = /^[-._a-zA-Z0-9]+$/;
/** The API server's limit on the data of one ConfigMap or Secret. */
const MAX_BYTES = 1024 * 1024;

/** The API's rules for ConfigMap and Secret data keys and size. */
export function dataKeyViolations(what: string, data: Record<string, string>): RuleViolation[] {
  const v: RuleViolation[] = [];
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) {
    if (!KEY.test(key) || key.length > 253 || key === '.' || key === '..') {
      v.push({ rule: 'config-key', message: `${what} key ${show(key)} is not a valid data key`,
        fix: "use at most 253 letters, digits, '-', '_' or '.' (file names such as 'application.yaml' are fine)" });
    }
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > MAX_BYTES) {
    v.push({ rule: 'config-size', message: `${what} holds ${bytes} bytes, over the 1 MiB limit`,
      fix: 'split the data over several objects or mount it from a volume' });
  }
  return v;
}

/**
 * A cdk8s-plus-28 `ConfigMap` whose keys and size are checked at synth. Use it as environment
 * (`kplus.Env.fromConfigMap(cm)`, `kplus.EnvValue.fromConfigMap(cm, key)`) or as files
 * (`kplus.Volume.fromConfigMap(scope, id, cm)`).
 */
export class ConfigMap extends kplus.ConfigMap {
  constructor(scope: Construct, id: string, props: kplus.ConfigMapProps = {}) {
    super(scope, id, props);
    FinalDocument.enable(this);
    addRules(this, () => dataKeyViolations('the ConfigMap', { ...this.data, ...this.binaryData }));
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Props of {@link Secret}: cdk8s-plus-28's (`stringData`, `type`, `immutable`), plus base64 `data`. */
export interface SecretProps extends kplus.SecretProps {
  /**
   * Values already base64-encoded (`data`), as `kubectl create secret` writes them; checked to be base64.
   * @default - none
   */
  readonly data?: Record<string, string>;
}

/**
 * A cdk8s-plus-28 `Secret` whose keys and size are checked at synth. Prefer referencing Secrets made by a secrets
 * operator (`kplus.Secret.fromSecretName`) over committing values; use it as environment
 * (`kplus.EnvValue.fromSecretValue`) or as files (`kplus.Volume.fromSecret`).
 */
export class Secret extends kplus.Secret {
  private readonly keys = new Map<string, string>();

  constructor(scope: Construct, id: string, props: SecretProps = {}) {
    const { data, ...rest } = props;
    super(scope, id, rest);
    for (const [k, val] of Object.entries(data ?? {})) {
      if (!BASE64.test(val)) {
        fail(this, 'secret-data-base64', `Secret data ${show(k)} is not base64`, 'encode the value (Buffer.from(text).toString(\'base64\')) or put plain text in stringData');
      }
      if (props.stringData?.[k] !== undefined) {
        fail(this, 'secret-data-key', `Secret key ${show(k)} is in both data and stringData`, 'give each key once (stringData wins on the server, so data would be lost)');
      }
      this.keys.set(k, Buffer.from(val, 'base64').toString('latin1'));
    }
    if (data && Object.keys(data).length > 0) {
      FinalDocument.addTransform(this, (doc) => putSorted(doc, 'data', { ...doc.data, ...data }));
    } else {
      FinalDocument.enable(this);
    }
    for (const [k, val] of Object.entries(props.stringData ?? {})) this.keys.set(k, val);
    addRules(this, () => dataKeyViolations('the Secret', Object.fromEntries(this.keys)));
  }

  /** Adds a string value. */
  public addStringData(key: string, value: string): void {
    super.addStringData(key, value);
    this.keys?.set(key, value);
  }
}
