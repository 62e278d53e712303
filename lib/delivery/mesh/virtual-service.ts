import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, Duration, RuleViolation, addRules, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { Destination, Headers, StringMatch, istioDuration, renderDestination, renderHeaders } from './common';
import { virtualServiceViolations } from './validation';
import { checkReferencesOf } from '../references';
import { istioApiVersion, IstioObjectProps } from './istio-object';
import { PORT, checkProps, hostViolations, intViolations, metadataViolations, numberViolations } from '../values';

/** Conditions a request must meet for an HTTP route to apply (all fields AND-ed). */
export interface HttpMatch {
  /**
   * Name of the match (for logs).
   * @default - none
   */
  readonly name?: string;
  /**
   * URI match.
   * @default - any URI
   */
  readonly uri?: StringMatch;
  /**
   * Method match.
   * @default - any method
   */
  readonly method?: StringMatch;
  /**
   * Authority (Host header) match.
   * @default - any authority
   */
  readonly authority?: StringMatch;
  /**
   * Header matches (lowercase names).
   * @default - none
   */
  readonly headers?: Record<string, StringMatch>;
  /**
   * Headers that must not match.
   * @default - none
   */
  readonly withoutHeaders?: Record<string, StringMatch>;
  /**
   * Query parameter matches.
   * @default - none
   */
  readonly queryParams?: Record<string, StringMatch>;
  /**
   * Match the URI case-insensitively.
   * @default false
   */
  readonly ignoreUriCase?: boolean;
  /**
   * Port the request arrives on.
   * @default - any port
   */
  readonly port?: number;
  /**
   * Labels of the calling workload.
   * @default - any caller
   */
  readonly sourceLabels?: Record<string, string>;
}

/** One weighted destination of a route. */
export interface RouteDestination {
  /** Where to send. */
  readonly destination: Destination;
  /**
   * Relative weight (share = weight / sum of weights).
   * @default - all traffic when alone
   */
  readonly weight?: number;
  /**
   * Header changes for this destination.
   * @default - none
   */
  readonly headers?: Headers;
}

/** Retry policy of an HTTP route. */
export interface HttpRetry {
  /** Retries allowed (0 disables retries). */
  readonly attempts: number;
  /**
   * Timeout per attempt.
   * @default - the route timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions that trigger a retry (Envoy policies such as `5xx`, `connect-failure`, or HTTP status codes).
   * @default ['connect-failure', 'refused-stream', 'unavailable', 'cancelled']
   */
  readonly retryOn?: string[];
  /**
   * Retry on endpoints in other localities.
   * @default false
   */
  readonly retryRemoteLocalities?: boolean;
}

/** A fixed delay injected into a share of requests. */
export interface FaultDelay {
  /** How long to delay. */
  readonly fixedDelay: Duration;
  /**
   * Percent of requests delayed (0.0001..100).
   * @default 100
   */
  readonly percentage?: number;
}

/** An error returned instead of forwarding a share of requests. */
export interface FaultAbort {
  /**
   * HTTP status to return (200..599).
   * @default - none; set this or grpcStatus
   */
  readonly httpStatus?: number;
  /**
   * gRPC status to return, e.g. `UNAVAILABLE`.
   * @default - none
   */
  readonly grpcStatus?: string;
  /**
   * Percent of requests aborted (0.0001..100).
   * @default 100
   */
  readonly percentage?: number;
}

/** An HTTP redirect answer. */
export interface HttpRedirect {
  /**
   * New path.
   * @default - unchanged
   */
  readonly uri?: string;
  /**
   * New authority (host).
   * @default - unchanged
   */
  readonly authority?: string;
  /**
   * Redirect status.
   * @default 301
   */
  readonly redirectCode?: number;
}

/** A fixed answer. */
export interface HttpDirectResponse {
  /** HTTP status. */
  readonly status: number;
  /**
   * Response body.
   * @default - empty
   */
  readonly body?: string;
}

/** A rewrite before forwarding. */
export interface HttpRewrite {
  /**
   * Replacement for the matched path prefix or whole path.
   * @default - unchanged
   */
  readonly uri?: string;
  /**
   * New authority (host).
   * @default - unchanged
   */
  readonly authority?: string;
}

/** A mirror destination with its own share. */
export interface HttpMirror {
  /** Where copies go. */
  readonly destination: Destination;
  /**
   * Percent of requests copied (0..100).
   * @default 100
   */
  readonly percentage?: number;
}

/** Injected faults, for resilience tests. */
export interface HttpFault {
  /**
   * Delay a share of requests.
   * @default - no delay
   */
  readonly delay?: FaultDelay;
  /**
   * Fail a share of requests with an HTTP status (200..599) or a gRPC status.
   * @default - no abort
   */
  readonly abort?: FaultAbort;
}

/** Cross-origin resource sharing policy. */
export interface CorsPolicy {
  /**
   * Origins allowed.
   * @default - none
   */
  readonly allowOrigins?: StringMatch[];
  /**
   * Methods allowed.
   * @default - none
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed.
   * @default - none
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers browsers may read.
   * @default - none
   */
  readonly exposeHeaders?: string[];
  /**
   * How long preflight results may be cached.
   * @default - not set
   */
  readonly maxAge?: Duration;
  /**
   * Allow credentials.
   * @default false
   */
  readonly allowCredentials?: boolean;
}

/** An HTTP route: matches and what to do with matching requests. */
export interface HttpRoute {
  /**
   * Route name (Argo Rollouts steers routes by name).
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Conditions (OR-ed).
   * @default - every request
   */
  readonly match?: HttpMatch[];
  /**
   * Weighted destinations.
   * @default - none (then redirect or directResponse)
   */
  readonly route?: RouteDestination[];
  /**
   * Answer with a redirect instead of routing.
   * @default - none
   */
  readonly redirect?: HttpRedirect;
  /**
   * Answer directly instead of routing.
   * @default - none
   */
  readonly directResponse?: HttpDirectResponse;
  /**
   * Rewrite URI or authority before forwarding.
   * @default - none
   */
  readonly rewrite?: HttpRewrite;
  /**
   * Request timeout.
   * @default - disabled
   */
  readonly timeout?: Duration;
  /**
   * Retry policy.
   * @default - the mesh default (2 attempts)
   */
  readonly retries?: HttpRetry;
  /**
   * Fault injection.
   * @default - none
   */
  readonly fault?: HttpFault;
  /**
   * Copy requests to this destination (responses are discarded).
   * @default - none
   */
  readonly mirror?: Destination;
  /**
   * Percent of requests mirrored (0..100).
   * @default 100
   */
  readonly mirrorPercentage?: number;
  /**
   * Several mirror destinations with their own percentages (not with `mirror`).
   * @default - none
   */
  readonly mirrors?: HttpMirror[];
  /**
   * CORS policy.
   * @default - none
   */
  readonly corsPolicy?: CorsPolicy;
  /**
   * Header manipulation.
   * @default - none
   */
  readonly headers?: Headers;
}

/** A TCP or TLS route. */
export interface L4Route {
  /**
   * Destination port the route applies to.
   * @default - any
   */
  readonly port?: number;
  /**
   * SNI hosts (TLS routes; required there).
   * @default - none
   */
  readonly sniHosts?: string[];
  /**
   * Only traffic arriving through these gateways (`mesh` = the sidecars), e.g. the two legs of an egress gateway.
   * @default - every gateway of the VirtualService
   */
  readonly gateways?: string[];
  /** Weighted destinations. */
  readonly route: RouteDestination[];
}

/** Props of {@link VirtualService}. */
export interface VirtualServiceProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Hosts the routes apply to (Service names or external hosts).
   * @default - none; at least one is needed
   */
  readonly hosts?: string[];
  /**
   * Gateways (`mesh` = all sidecars).
   * @default - mesh only
   */
  readonly gateways?: string[];
  /**
   * Namespaces the VirtualService is visible to.
   * @default - all
   */
  readonly exportTo?: string[];
  /**
   * HTTP routes, first match wins.
   * @default - none; add with addHttpRoute()
   */
  readonly http?: HttpRoute[];
  /**
   * TCP routes.
   * @default - none
   */
  readonly tcp?: L4Route[];
  /**
   * TLS (SNI) routes.
   * @default - none
   */
  readonly tls?: L4Route[];
}

const matches = (m?: Record<string, StringMatch>) => (m ? Object.fromEntries(Object.entries(m).map(([k, s]) => [k, s.toJson()])) : undefined);
const pct = (value: number | undefined) => (value === undefined ? undefined : { value });
const dests = (r: RouteDestination[]) => r.map((d) => compact({ destination: renderDestination(d.destination), weight: d.weight, headers: renderHeaders(d.headers) }));

/** Shared value rules of a destination: its host, and a whole port (istiod's range rule runs at synth). */
function destinationValueViolations(where: string, d: Destination | undefined): RuleViolation[] {
  if (!d) return [];
  return [...(d.host === '*' ? [] : hostViolations(`${where}.host`, d.host)), ...intViolations(`${where}.port`, d.port)];
}

function routeValueViolations(where: string, route: RouteDestination[] | undefined): RuleViolation[] {
  return (route ?? []).flatMap((d, i) => [
    ...destinationValueViolations(`${where}.route[${i}].destination`, d.destination),
    ...intViolations(`${where}.route[${i}].weight`, d.weight),
  ]);
}

/**
 * The shared value rules of an HTTP route, checked where a route is given: whole numbers where Istio
 * wants integers, finite percentages, valid hosts and ports.
 */
function httpRouteValueViolations(where: string, r: HttpRoute): RuleViolation[] {
  return [
    ...(r.match ?? []).flatMap((m, j) => intViolations(`${where}.match[${j}].port`, m.port, PORT)),
    ...routeValueViolations(where, r.route),
    ...intViolations(`${where}.redirect.redirectCode`, r.redirect?.redirectCode),
    ...intViolations(`${where}.directResponse.status`, r.directResponse?.status),
    ...intViolations(`${where}.retries.attempts`, r.retries?.attempts),
    ...intViolations(`${where}.fault.abort.httpStatus`, r.fault?.abort?.httpStatus),
    ...numberViolations(`${where}.fault.abort.percentage`, r.fault?.abort?.percentage),
    ...numberViolations(`${where}.fault.delay.percentage`, r.fault?.delay?.percentage),
    ...destinationValueViolations(`${where}.mirror`, r.mirror),
    ...numberViolations(`${where}.mirrorPercentage`, r.mirrorPercentage),
    ...(r.mirrors ?? []).flatMap((m, j) => [
      ...destinationValueViolations(`${where}.mirrors[${j}].destination`, m.destination),
      ...numberViolations(`${where}.mirrors[${j}].percentage`, m.percentage),
    ]),
  ];
}

function l4ValueViolations(where: string, r: L4Route): RuleViolation[] {
  return [...intViolations(`${where}.port`, r.port, PORT), ...routeValueViolations(where, r.route),
    ...(r.sniHosts ?? []).flatMap((h, j) => hostViolations(`${where}.sniHosts[${j}]`, h))];
}

/** @internal Renders one HTTP route. */
export function renderHttpRoute(r: HttpRoute): Json {
  const out = compact({
    name: r.name,
    match: r.match?.map((m) => compact({
      name: m.name, uri: m.uri?.toJson(), method: m.method?.toJson(), authority: m.authority?.toJson(),
      headers: matches(m.headers), withoutHeaders: matches(m.withoutHeaders), queryParams: matches(m.queryParams),
      ignoreUriCase: m.ignoreUriCase, port: m.port, sourceLabels: m.sourceLabels,
    })),
    route: r.route ? dests(r.route) : undefined,
    redirect: r.redirect ? compact({ ...r.redirect }) : undefined,
    directResponse: r.directResponse ? compact({ status: r.directResponse.status, body: r.directResponse.body !== undefined ? { string: r.directResponse.body } : undefined }) : undefined,
    rewrite: r.rewrite ? compact({ ...r.rewrite }) : undefined,
    timeout: istioDuration(r.timeout),
    retries: r.retries ? compact({
      attempts: r.retries.attempts, perTryTimeout: istioDuration(r.retries.perTryTimeout),
      retryOn: r.retries.retryOn?.join(','), retryRemoteLocalities: r.retries.retryRemoteLocalities,
    }) : undefined,
    fault: r.fault ? compact({
      delay: r.fault.delay ? compact({ fixedDelay: istioDuration(r.fault.delay.fixedDelay), percentage: pct(r.fault.delay.percentage) }) : undefined,
      abort: r.fault.abort ? compact({ httpStatus: r.fault.abort.httpStatus, grpcStatus: r.fault.abort.grpcStatus, percentage: pct(r.fault.abort.percentage) }) : undefined,
    }) : undefined,
    mirror: r.mirror ? renderDestination(r.mirror) : undefined,
    mirrorPercentage: pct(r.mirrorPercentage),
    mirrors: r.mirrors?.map((m) => compact({ destination: renderDestination(m.destination), percentage: pct(m.percentage) })),
    corsPolicy: r.corsPolicy ? compact({
      allowOrigins: r.corsPolicy.allowOrigins?.map((o) => o.toJson()), allowMethods: r.corsPolicy.allowMethods,
      allowHeaders: r.corsPolicy.allowHeaders, exposeHeaders: r.corsPolicy.exposeHeaders,
      maxAge: istioDuration(r.corsPolicy.maxAge), allowCredentials: r.corsPolicy.allowCredentials,
    }) : undefined,
    headers: renderHeaders(r.headers),
  });
  // an empty fault stays visible so the webhook rule can name it
  return r.fault && !out.fault ? { ...out, fault: {} } : out;
}

/**
 * An Istio `VirtualService` (networking.istio.io/v1): how requests to a host are routed — matches, weighted
 * destinations, retries, timeouts, faults, mirroring, CORS and header changes. istiod's webhook rules run at synth.
 */
export class VirtualService extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  private readonly hosts: string[];
  private readonly http: HttpRoute[] = [];
  private readonly tcp: L4Route[];
  private readonly tls: L4Route[];

  constructor(scope: Construct, id: string, private readonly props: VirtualServiceProps = {}) {
    super(scope, constructId(scope, id, 'VirtualService', "new VirtualService(scope, 'Main', …)"));
    checkProps(this, { ...props, http: undefined }, [
      ...metadataViolations({ name: props.name, namespace: props.namespace }),
      ...(props.hosts ?? []).flatMap((h, i) => hostViolations(`hosts[${i}]`, h)),
      ...(props.tcp ?? []).flatMap((r, i) => l4ValueViolations(`tcp[${i}]`, r)),
      ...(props.tls ?? []).flatMap((r, i) => l4ValueViolations(`tls[${i}]`, r)),
    ]);
    this.hosts = [...(props.hosts ?? [])];
    this.tcp = [...(props.tcp ?? [])];
    this.tls = [...(props.tls ?? [])];
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: istioApiVersion(this, 'networking.istio.io'),
      kind: 'VirtualService',
      metadata: compact({ name: props.name, namespace: props.namespace }),
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    for (const r of props.http ?? []) this.addHttpRoute(r);
    checkReferencesOf(this);
    addRules(this, () => virtualServiceViolations(FinalDocument.of(this.resource).spec ?? {}));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Appends an HTTP route (routes are matched in order). */
  public addHttpRoute(route: HttpRoute): this {
    checkProps(this, route, httpRouteValueViolations(`http[${this.http.length}]${route.name ? ` ${JSON.stringify(route.name)}` : ''}`, route));
    this.http.push(route);
    return this;
  }

  /** Adds a host. */
  public addHost(host: string): this {
    checkProps(this, undefined, hostViolations(`hosts[${this.hosts.length}]`, host));
    this.hosts.push(host);
    return this;
  }

  private renderSpec(): Json {
    const l4 = (r: L4Route) => compact({
      match: r.port !== undefined || r.sniHosts || r.gateways ? [compact({ gateways: r.gateways, port: r.port, sniHosts: r.sniHosts })] : undefined,
      route: dests(r.route),
    });
    return compact({
      hosts: this.hosts,
      gateways: this.props.gateways,
      exportTo: this.props.exportTo,
      http: this.http.map(renderHttpRoute),
      tcp: this.tcp.map((r) => l4(r)),
      tls: this.tls.map((r) => l4(r)),
    });
  }
}
