import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, Duration, RuleViolation, addRules, labelViolations, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { istioDuration } from './common';
import { destinationRuleViolations } from './validation';
import { checkReferencesOf } from '../references';
import { istioApiVersion, IstioObjectProps } from './istio-object';
import { checkProps, hostViolations, intViolations, metadataViolations } from '../values';

/** Load-balancing algorithms. */
export class LoadBalancer {
  /** Round robin. */
  public static roundRobin(): LoadBalancer {
    return new LoadBalancer({ simple: 'ROUND_ROBIN' });
  }

  /** Fewest outstanding requests (Envoy's default). */
  public static leastRequest(): LoadBalancer {
    return new LoadBalancer({ simple: 'LEAST_REQUEST' });
  }

  /** Random endpoint. */
  public static random(): LoadBalancer {
    return new LoadBalancer({ simple: 'RANDOM' });
  }

  /** Forward to the caller's original destination address. */
  public static passthrough(): LoadBalancer {
    return new LoadBalancer({ simple: 'PASSTHROUGH' });
  }

  /** Session affinity by a request header. */
  public static consistentHashByHeader(headerName: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpHeaderName: headerName } });
  }

  /** Session affinity by a cookie (created with `ttl` when missing). */
  public static consistentHashByCookie(name: string, ttl?: Duration, path?: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpCookie: compact({ name, path, ttl: istioDuration(ttl) }) } });
  }

  /** Session affinity by client IP. */
  public static consistentHashBySourceIp(): LoadBalancer {
    return new LoadBalancer({ consistentHash: { useSourceIp: true } });
  }

  /** Session affinity by a query parameter. */
  public static consistentHashByQueryParameter(name: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpQueryParameterName: name } });
  }

  private constructor(public readonly json: Json) {}
}

/** TCP connection limits. */
export interface TcpConnectionPool {
  /**
   * Maximum connections to a host.
   * @default 2^32-1
   */
  readonly maxConnections?: number;
  /**
   * TCP connect timeout.
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;
  /**
   * Idle timeout.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;
  /**
   * Maximum connection lifetime.
   * @default - unlimited
   */
  readonly maxConnectionDuration?: Duration;
}

/** HTTP request limits. */
export interface HttpConnectionPool {
  /**
   * Requests queued while waiting for a connection.
   * @default 2^32-1
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * Active requests to a destination.
   * @default 2^32-1
   */
  readonly http2MaxRequests?: number;
  /**
   * Requests per connection (1 disables keep-alive).
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Concurrent retries to all hosts.
   * @default 2^32-1
   */
  readonly maxRetries?: number;
  /**
   * Idle timeout of upstream connections.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;
  /**
   * Concurrent streams per HTTP/2 connection.
   * @default 2^31-1
   */
  readonly maxConcurrentStreams?: number;
}

/** Connection pool (circuit-breaker thresholds). */
export interface ConnectionPool {
  /**
   * TCP limits.
   * @default - none
   */
  readonly tcp?: TcpConnectionPool;
  /**
   * HTTP limits.
   * @default - none
   */
  readonly http?: HttpConnectionPool;
}

/** Outlier detection: ejects failing endpoints (the circuit breaker). */
export interface OutlierDetection {
  /**
   * 5xx responses in a row that eject an endpoint.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * 502/503/504 responses in a row that eject an endpoint.
   * @default - off
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Locally originated failures in a row (needs splitExternalLocalOriginErrors).
   * @default - off
   */
  readonly consecutiveLocalOriginFailures?: number;
  /**
   * Count local-origin failures separately.
   * @default false
   */
  readonly splitExternalLocalOriginErrors?: boolean;
  /**
   * Time between ejection sweeps.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Minimum ejection duration (grows with each ejection).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Most endpoints that may be ejected, in percent.
   * @default 10
   */
  readonly maxEjectionPercent?: number;
  /**
   * Outlier detection stops below this share of healthy endpoints, in percent.
   * @default 0
   */
  readonly minHealthPercent?: number;
}

/** TLS modes towards the upstream. */
export enum ClientTlsMode {
  /** Plain text. */
  DISABLE = 'DISABLE',
  /** TLS with server authentication. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with given certificates. */
  MUTUAL = 'MUTUAL',
  /** Mutual TLS with Istio's workload certificates. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** TLS settings towards the upstream. */
export interface ClientTls {
  /** The TLS mode. */
  readonly mode: ClientTlsMode;
  /**
   * Secret with the client certificate / CA (SIMPLE and MUTUAL).
   * @default - none
   */
  readonly credentialName?: string;
  /**
   * SNI to present.
   * @default - the host
   */
  readonly sni?: string;
  /**
   * Accepted server identities.
   * @default - any
   */
  readonly subjectAltNames?: string[];
}

/** Traffic policy for a host or a subset. */
export interface TrafficPolicy {
  /**
   * Load balancing.
   * @default - LEAST_REQUEST
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Connection limits.
   * @default - Envoy defaults
   */
  readonly connectionPool?: ConnectionPool;
  /**
   * Circuit breaker.
   * @default - off
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * TLS towards the upstream.
   * @default - auto mTLS inside the mesh
   */
  readonly tls?: ClientTls;
}

/** A named group of endpoints selected by pod labels. */
export interface Subset {
  /** Subset name (referenced by routes). */
  readonly name: string;
  /**
   * Pod labels of the subset.
   * @default - all endpoints
   */
  readonly labels?: Record<string, string>;
  /**
   * Policy overriding the rule's.
   * @default - the rule's policy
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Props of {@link DestinationRule}. */
export interface DestinationRuleProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The Service host the rule applies to (required by synth).
   * @default - none
   */
  readonly host?: string;
  /**
   * Subsets.
   * @default - none; add with addSubset()
   */
  readonly subsets?: Subset[];
  /**
   * Policy for all traffic to the host.
   * @default - none
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Namespaces the rule is visible to.
   * @default - all
   */
  readonly exportTo?: string[];
}

/** The shared value rules of a traffic policy: every count and percent of Istio's protos is an int32. */
function trafficPolicyValueViolations(where: string, tp: TrafficPolicy | undefined): RuleViolation[] {
  if (!tp) return [];
  const ints = (at: string, o: object | undefined) => Object.entries(o ?? {})
    .filter(([, x]) => typeof x === 'number').flatMap(([k, x]) => intViolations(`${where}.${at}.${k}`, x as number));
  return [...ints('connectionPool.tcp', tp.connectionPool?.tcp), ...ints('connectionPool.http', tp.connectionPool?.http),
    ...ints('outlierDetection', tp.outlierDetection)];
}

function subsetValueViolations(where: string, s: Subset): RuleViolation[] {
  // the subset name has istiod's own rule (istio-subsets) at synth
  return [...labelViolations(s.labels, `${where} label`),
    ...trafficPolicyValueViolations(`${where}.trafficPolicy`, s.trafficPolicy)];
}

/** @internal Renders a traffic policy. */
export function renderTrafficPolicy(tp: TrafficPolicy | undefined): Json | undefined {
  if (!tp) return undefined;
  const d = istioDuration;
  return compact({
    loadBalancer: tp.loadBalancer?.json,
    connectionPool: tp.connectionPool ? compact({
      tcp: tp.connectionPool.tcp ? compact({
        maxConnections: tp.connectionPool.tcp.maxConnections, connectTimeout: d(tp.connectionPool.tcp.connectTimeout),
        idleTimeout: d(tp.connectionPool.tcp.idleTimeout), maxConnectionDuration: d(tp.connectionPool.tcp.maxConnectionDuration),
      }) : undefined,
      http: tp.connectionPool.http ? compact({ ...tp.connectionPool.http, idleTimeout: d(tp.connectionPool.http.idleTimeout) }) : undefined,
    }) : undefined,
    outlierDetection: tp.outlierDetection ? compact({
      ...tp.outlierDetection, interval: d(tp.outlierDetection.interval), baseEjectionTime: d(tp.outlierDetection.baseEjectionTime),
    }) : undefined,
    tls: tp.tls ? compact({ ...tp.tls }) : undefined,
  }) as Json;
}

/**
 * An Istio `DestinationRule`: subsets of a host and the policy for traffic to it (load balancing, connection
 * pool, outlier detection, TLS).
 */
export class DestinationRule extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  private readonly subsets: Subset[] = [];

  constructor(scope: Construct, id: string, private readonly props: DestinationRuleProps = {}) {
    super(scope, constructId(scope, id, 'DestinationRule', "new DestinationRule(scope, 'Main', …)"));
    checkProps(this, { ...props, subsets: undefined }, [
      ...metadataViolations({ name: props.name, namespace: props.namespace }),
      ...(props.host === undefined ? [] : hostViolations('host', props.host)),
      ...trafficPolicyValueViolations('trafficPolicy', props.trafficPolicy),
    ]);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: istioApiVersion(this, 'networking.istio.io'),
      kind: 'DestinationRule',
      metadata: compact({ name: props.name, namespace: props.namespace }),
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    for (const s of props.subsets ?? []) this.addSubset(s);
    checkReferencesOf(this);
    addRules(this, () => destinationRuleViolations(FinalDocument.of(this.resource).spec ?? {}));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Adds a subset. */
  public addSubset(subset: Subset): this {
    checkProps(this, subset, subsetValueViolations(`subsets[${this.subsets.length}]`, subset));
    this.subsets.push(subset);
    return this;
  }

  private renderSpec(): Json {
    return {
      ...compact({
        host: this.props.host,
        exportTo: this.props.exportTo,
        subsets: this.subsets.map((s) => ({ ...compact({ name: s.name, labels: s.labels }), ...(s.trafficPolicy ? { trafficPolicy: renderTrafficPolicy(s.trafficPolicy) } : {}) })),
      }),
      // kept even when empty, so the webhook rule can name it
      ...(this.props.trafficPolicy ? { trafficPolicy: renderTrafficPolicy(this.props.trafficPolicy) } : {}),
    };
  }
}
