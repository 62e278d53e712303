import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addRules, constructId, dataKeyViolations as keyViolations, fail, FinalDocument, NameForm, putSorted, RuleViolation, show } from '../core';
import { checkObject, laterMetadataViolations } from './object-rules';

/** The API server's limit on the data of one ConfigMap or Secret. */
const MAX_BYTES = 1024 * 1024;

/** The API's rules for ConfigMap and Secret data keys and size. */
export function dataKeyViolations(what: string, data: Record<string, string>): RuleViolation[] {
  const v: RuleViolation[] = [];
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) {
    v.push(...keyViolations(`${what} data key`, key, "use at most 253 letters, digits, '-', '_' or '.' (file names such as 'application.yaml' are fine)", 'config-key'));
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
    super(scope, constructId(scope, id, 'ConfigMap', "'app-config'"), props);
    checkObject(this, 'ConfigMap', NameForm.DNS_SUBDOMAIN, props);
    // cdk8s drops empty strings when it renders; an empty value is data too, so the final document gets them back.
    FinalDocument.addTransform(this, (doc) => {
      for (const [field, data] of [['data', this.data], ['binaryData', this.binaryData]] as const) {
        if (Object.keys(data).length > 0) putSorted(doc, field, data);
      }
    });
    addRules(this, () => [...laterMetadataViolations(this, 'ConfigMap'), ...dataKeyViolations('the ConfigMap', { ...this.data, ...this.binaryData })]);
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
    super(scope, constructId(scope, id, 'Secret', "'app-secret'"), rest);
    checkObject(this, 'Secret', NameForm.DNS_SUBDOMAIN, props);
    for (const [k, val] of Object.entries(data ?? {})) {
      if (!BASE64.test(val)) {
        fail(this, 'secret-data-base64', `Secret data ${show(k)} is not base64`, 'encode the value (Buffer.from(text).toString(\'base64\')) or put plain text in stringData');
      }
      if (props.stringData?.[k] !== undefined) {
        fail(this, 'secret-data-key', `Secret key ${show(k)} is in both data and stringData`, 'give each key once (stringData wins on the server, so data would be lost)');
      }
      this.keys.set(k, Buffer.from(val, 'base64').toString('latin1'));
    }
    for (const [k, val] of Object.entries(props.stringData ?? {})) this.keys.set(k, val);
    // cdk8s drops empty strings when it renders; an empty value is data too.
    FinalDocument.addTransform(this, (doc) => {
      if (data && Object.keys(data).length > 0) putSorted(doc, 'data', { ...doc.data, ...data });
      const strings = Object.fromEntries([...this.keys].filter(([k]) => data?.[k] === undefined));
      if (Object.keys(strings).length > 0) putSorted(doc, 'stringData', strings);
    });
    addRules(this, () => [...laterMetadataViolations(this, 'Secret'), ...dataKeyViolations('the Secret', Object.fromEntries(this.keys))]);
  }

  /** Adds a string value. */
  public addStringData(key: string, value: string): void {
    super.addStringData(key, value);
    this.keys?.set(key, value);
  }
}
