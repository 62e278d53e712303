import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, RuleViolation, show, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { istioDuration } from './common';
import { istioResource, IstioObjectProps } from './istio-object';
import { checkProps } from '../values';

/** Where the limit is enforced. */
export enum RateLimitContext {
  /** On the workload's inbound sidecar listener: the limit is per pod. */
  SIDECAR_INBOUND = 'SIDECAR_INBOUND',
  /** On an ingress gateway: the limit is per gateway pod. */
  GATEWAY = 'GATEWAY',
}

/** Props of {@link LocalRateLimit}. */
export interface LocalRateLimitProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** Labels of the workload (or gateway) pods the limit applies to. */
  readonly selector: Record<string, string>;
  /**
   * Sidecar or gateway.
   * @default RateLimitContext.SIDECAR_INBOUND
   */
  readonly context?: RateLimitContext;
  /** Bucket size: the burst a pod accepts. */
  readonly maxTokens: number;
  /**
   * Tokens added each interval.
   * @default - maxTokens
   */
  readonly tokensPerFill?: number;
  /** How often the bucket is refilled (at least 50ms). */
  readonly fillInterval: Duration;
  /**
   * Header set on limited (429) responses.
   * @default 'x-local-rate-limit'
   */
  readonly responseHeader?: string;
}

const FILTER = 'envoy.filters.http.local_ratelimit';

/** Envoy's local rate limit constraints (the filter rejects the configuration otherwise). */
function localRateLimitViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const p of spec.configPatches ?? []) {
    const bucket = p.patch?.value?.typed_config?.value?.token_bucket;
    if (!bucket) continue;
    const v = (message: string, fix: string) => out.push({ rule: 'istio-local-rate-limit', message, fix });
    if (!(Number.isInteger(bucket.max_tokens) && bucket.max_tokens >= 1)) v(`token_bucket.max_tokens ${show(bucket.max_tokens)}: must be a whole number >= 1`, 'allow at least one request per bucket');
    if (!(Number.isInteger(bucket.tokens_per_fill) && bucket.tokens_per_fill >= 1)) v(`token_bucket.tokens_per_fill ${show(bucket.tokens_per_fill)}: must be a whole number >= 1`, 'refill at least one token');
    const ms = Number(String(bucket.fill_interval).replace(/s$/, '')) * 1000;
    if (!(ms >= 50)) v(`token_bucket.fill_interval ${show(bucket.fill_interval)}: fill_interval must be >= 50ms`, 'refill every 50ms or slower');
  }
  return out;
}

/**
 * Istio's local rate limit as its documentation writes it: an `EnvoyFilter` (networking.istio.io/v1alpha3) that
 * inserts Envoy's `local_ratelimit` HTTP filter before the router on the selected pods, with a token bucket per
 * pod, enabled and enforced for 100 % of requests. Limited requests get 429 and the response header.
 */
export class LocalRateLimit extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: LocalRateLimitProps) {
    super(scope, constructId(scope, id, 'LocalRateLimit', "new LocalRateLimit(scope, 'Main', …)"));
    checkProps(this, props);
    const percent = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: 'HUNDRED' } });
    this.resource = istioResource(this, 'networking.istio.io/v1alpha3', 'EnvoyFilter', props, () => ({
      workloadSelector: { labels: { ...props.selector } },
      configPatches: [{
        applyTo: 'HTTP_FILTER',
        match: { context: props.context ?? RateLimitContext.SIDECAR_INBOUND, listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: FILTER,
            typed_config: {
              '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
              'type_url': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
              'value': compact({
                stat_prefix: 'http_local_rate_limiter',
                token_bucket: { max_tokens: props.maxTokens, tokens_per_fill: props.tokensPerFill ?? props.maxTokens, fill_interval: istioDuration(props.fillInterval) },
                filter_enabled: percent('local_rate_limit_enabled'),
                filter_enforced: percent('local_rate_limit_enforced'),
                response_headers_to_add: [{ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key: props.responseHeader ?? 'x-local-rate-limit', value: 'true' } }],
              }),
            },
          },
        },
      }],
    }), localRateLimitViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
