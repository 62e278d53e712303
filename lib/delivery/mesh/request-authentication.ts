import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, RuleViolation, show, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { istioDuration } from './common';
import { istioResource, matchLabels, IstioObjectProps } from './istio-object';
import { checkProps } from '../values';

/** Where a JWT is read from, besides the default `Authorization: Bearer` header and `access_token` parameter. */
export interface JwtHeader {
  /** Header name. */
  readonly name: string;
  /**
   * Prefix stripped from the value, e.g. `Bearer `.
   * @default - none
   */
  readonly prefix?: string;
}

/** One trusted issuer of end-user JWTs. */
export interface JwtRule {
  /** The `iss` claim of accepted tokens. */
  readonly issuer: string;
  /**
   * Where the issuer publishes its keys (an https URL).
   * @default - discovered from the issuer's OpenID configuration
   */
  readonly jwksUri?: string;
  /**
   * Accepted `aud` values.
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * Headers the token may come in.
   * @default - `Authorization: Bearer`
   */
  readonly fromHeaders?: JwtHeader[];
  /**
   * Query parameters the token may come in.
   * @default ['access_token']
   */
  readonly fromParams?: string[];
  /**
   * Cookies the token may come in.
   * @default - none
   */
  readonly fromCookies?: string[];
  /**
   * Forward the token to the workload.
   * @default false
   */
  readonly forwardOriginalToken?: boolean;
  /**
   * Copy claims into request headers (header name → claim).
   * @default - none
   */
  readonly outputClaimToHeaders?: Record<string, string>;
  /**
   * Timeout of the JWKS fetch.
   * @default 5s
   */
  readonly timeout?: Duration;
}

/** Props of {@link RequestAuthentication}. */
export interface RequestAuthenticationProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Labels of the workloads (or gateway pods) it applies to.
   * @default - the whole namespace
   */
  readonly selector?: Record<string, string>;
  /** The trusted issuers. */
  readonly jwtRules: JwtRule[];
}

const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** istiod's `validateJwtRule` checks. */
function requestAuthenticationViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  const v = (message: string, fix: string) => out.push({ rule: 'istio-request-authentication', message, fix });
  (spec.jwtRules ?? []).forEach((r: Json, i: number) => {
    if (!r.issuer) v(`jwtRules[${i}].issuer: issuer must be set`, 'set the iss claim of the tokens to accept');
    if (r.jwksUri !== undefined && !/^https?:\/\/[^\s/]+/.test(r.jwksUri)) {
      v(`jwtRules[${i}].jwksUri ${show(r.jwksUri)}: invalid jwksUri: must be an http(s) URL`, "use the issuer's key URL, e.g. https://issuer.example.com/.well-known/jwks.json");
    }
    (r.fromHeaders ?? []).forEach((h: Json, j: number) => {
      if (!h.name || !HEADER.test(h.name)) v(`jwtRules[${i}].fromHeaders[${j}].name ${show(h.name)}: location header name must be set to a valid header name`, 'name the header, e.g. x-jwt-assertion');
    });
    for (const [header] of (r.outputClaimToHeaders ?? []).map((o: Json) => [o.header])) {
      if (!header || !HEADER.test(header)) v(`jwtRules[${i}].outputClaimToHeaders header ${show(header)}: invalid header name`, 'use a valid HTTP header name');
    }
  });
  if ((spec.jwtRules ?? []).length === 0) v('jwtRules is empty: a RequestAuthentication needs at least one issuer', 'add a JwtRule');
  return out;
}

/**
 * An Istio `RequestAuthentication` (security.istio.io/v1): which JWT issuers a workload accepts for end users. It
 * only rejects invalid tokens; pair it with an AuthorizationPolicy on `requestPrincipals` to require one.
 */
export class RequestAuthentication extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    super(scope, constructId(scope, id, 'RequestAuthentication', "new RequestAuthentication(scope, 'Main', …)"));
    checkProps(this, props);
    this.resource = istioResource(this, 'security.istio.io', 'RequestAuthentication', props, () => compact({
      selector: matchLabels(props.selector),
      jwtRules: props.jwtRules.map((r) => compact({
        issuer: r.issuer, jwksUri: r.jwksUri, audiences: r.audiences,
        fromHeaders: r.fromHeaders?.map((h) => compact({ name: h.name, prefix: h.prefix })),
        fromParams: r.fromParams, fromCookies: r.fromCookies, forwardOriginalToken: r.forwardOriginalToken,
        outputClaimToHeaders: r.outputClaimToHeaders ? Object.entries(r.outputClaimToHeaders).map(([header, claim]) => ({ header, claim })) : undefined,
        timeout: istioDuration(r.timeout),
      })),
    }), requestAuthenticationViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** The `requestPrincipals` value (`<iss>/<sub>`) an AuthorizationPolicy matches for any token of `issuer`. */
  public static anyPrincipalOf(issuer: string): string {
    return `${issuer}/*`;
  }
}
