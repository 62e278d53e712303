import { IConstruct } from 'constructs';
import { fail, show } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The fix of `dns-1123-label`, shared with lib/core/values.ts. @internal */
export const DNS_LABEL_FIX = "use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";
/** The fix of `dns-1123-subdomain`, shared with lib/core/values.ts. @internal */
export const DNS_SUBDOMAIN_FIX = "use at most 253 lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit";

/** Name checks shared by every backend (Kubernetes API machinery rules and Groovy identifiers). */
export class Names {
  /** True if `value` is an RFC 1123 DNS label: lowercase alphanumerics and '-', at most 63 characters. */
  public static isDnsLabel(value: string): boolean {
    return value.length <= 63 && DNS_LABEL.test(value);
  }

  /** True if `value` is an RFC 1123 DNS subdomain: dot-separated labels, at most 253 characters. */
  public static isDnsSubdomain(value: string): boolean {
    return value.length <= 253 && DNS_SUBDOMAIN.test(value);
  }

  /** True if `value` is an identifier (`[A-Za-z_][A-Za-z0-9_]*`), as Groovy and env var names need. */
  public static isIdentifier(value: string): boolean {
    return IDENTIFIER.test(value);
  }

  /** Throws unless `value` is a DNS-1123 label; `what` names the field in the message. */
  public static assertDnsLabel(scope: IConstruct | undefined, what: string, value: string): void {
    if (!Names.isDnsLabel(value)) {
      fail(scope, 'dns-1123-label', `${what} ${show(value)} is not a valid DNS-1123 label`, DNS_LABEL_FIX);
    }
  }

  /** Throws unless `value` is a DNS-1123 subdomain (Kubernetes object names). */
  public static assertDnsSubdomain(scope: IConstruct | undefined, what: string, value: string): void {
    if (!Names.isDnsSubdomain(value)) {
      fail(scope, 'dns-1123-subdomain', `${what} ${show(value)} is not a valid DNS-1123 subdomain`, DNS_SUBDOMAIN_FIX);
    }
  }

  /** Throws unless `value` is an identifier (`[A-Za-z_][A-Za-z0-9_]*`); identifiers are validated, never escaped. */
  public static assertIdentifier(scope: IConstruct | undefined, what: string, value: string): void {
    if (!C_IDENTIFIER.test(value)) {
      fail(scope, 'identifier', `${what} ${show(value)} is not a valid identifier`,
        'start with a letter or underscore and use only letters, digits and underscores');
    }
  }

  /**
   * A DNS-1123 label derived from free text (construct ids, stage names): lowercased, runs of other characters
   * turned into '-', trimmed to `maxLength`. Deterministic; throws if nothing usable is left (with the path of
   * `scope`, the construct whose name it is, when given).
   */
  public static toDnsLabel(text: string, maxLength = 63, scope?: IConstruct): string {
    const label = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength)
      .replace(/-+$/, '');
    if (!label) {
      fail(scope, 'dns-1123-label', `cannot derive a DNS-1123 label from ${show(text)}`,
        'give the object an explicit name made of lowercase letters, digits and - (the name prop)');
    }
    return label;
  }

  private constructor() {}
}
