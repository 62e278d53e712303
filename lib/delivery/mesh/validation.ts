/**
 * istiod's admission rules (istio/istio `pkg/config/validation`) for the kinds we emit, over rendered specs.
 */
import { Names, RuleViolation, show } from '../../core';
import { Json } from '../rollouts/common';
import { parseGoDuration } from '../rollouts/validation';

type V = RuleViolation;
const v = (rule: string, message: string, fix: string): V => ({ rule, message, fix });
/** A value inside upstream message text, as istiod prints it, with control characters escaped (one line per message). */
const raw = (x: unknown): string => JSON.stringify(String(x)).slice(1, -1);

/** Envoy retry policies istiod accepts in `retryOn` (besides HTTP status codes). */
export const RETRY_ON_POLICIES = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
];

function durationViolation(where: string, d: unknown): V[] {
  if (d === undefined) return [];
  const s = parseGoDuration(String(d));
  if (s === undefined || s < 0.001 || Math.abs(s * 1000 - Math.round(s * 1000)) > 1e-9) {
    return [v('istio-duration', `${where} ${show(d)}: duration must be at least 1ms and of millisecond precision`, "use a duration such as '250ms' or '10s'")];
  }
  return [];
}

function percentViolation(where: string, p: Json | undefined): V[] {
  if (p?.value === undefined) return [];
  const x = p.value;
  if (x < 0 || x > 100 || (x > 0 && x < 0.0001)) {
    return [v('istio-fault', `${where} percentage ${show(x)}: percentage must be 0 or in [0.0001, 100]`, 'use a percentage between 0.0001 and 100')];
  }
  return [];
}

// istiod requires DNS-1123 labels of subset and Gateway names: the shared name rule
const isDnsLabel = (name: string): boolean => Names.isDnsLabel(name);

/**
 * istio `host.Name.Matches`: equal names, or a wildcard (`*.example.com`, `*`) that covers the other name. Used for
 * duplicate hosts in one VirtualService and for conflicting VirtualServices across the app.
 */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const covers = (wild: string, other: string) => wild.startsWith('*') && other.endsWith(wild.slice(1));
  return covers(a, b) || covers(b, a);
}

/** validateDestination: a concrete host, a DNS-1123 subset name, a port in 1..65535. */
function destinationViolations(where: string, d: Json | undefined): V[] {
  if (!d) return [];
  const out: V[] = [];
  if (d.host === '*') {
    out.push(v('istio-destination', `${where}.host "*": invalid destination host *`, 'name one Service host (a short name, an FQDN or a ServiceEntry host)'));
  }
  if (d.subset !== undefined && !isDnsLabel(String(d.subset))) {
    out.push(v('istio-destination', `${where}.subset ${show(d.subset)}: subset name is invalid: ${raw(d.subset)}`, 'use a DNS-1123 label: lowercase letters, digits and -'));
  }
  const port = d.port?.number;
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    out.push(v('istio-destination', `${where}.port.number ${show(port)}: port number ${raw(port)} must be in the range 1..65535`, 'use a port from 1 to 65535'));
  }
  return out;
}

function weightViolations(where: string, route: Json[] | undefined): V[] {
  const out: V[] = [];
  const r = route ?? [];
  let total = 0;
  r.forEach((d, i) => {
    const w = d.weight ?? 0;
    if (w < 0) out.push(v('istio-route-weight', `${where}.route[${i}] weight ${show(w)}: weight must be non-negative`, 'use a weight of 0 or more'));
    if (!d.destination?.host) out.push(v('istio-route-weight', `${where}.route[${i}]: destination host is required`, 'name the destination host'));
    out.push(...destinationViolations(`${where}.route[${i}].destination`, d.destination));
    total += w;
  });
  if (r.length > 1 && total === 0) {
    out.push(v('istio-route-weight', `${where}: total destination weight is 0 across ${r.length} destinations`, 'give at least one destination a positive weight'));
  }
  return out;
}

/** JSON with sorted keys at every level, so equal matches compare equal. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x && typeof x === 'object') return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${canonical((x as Json)[k])}`).join(',')}}`;
  return JSON.stringify(x);
}

/**
 * istioctl analyze IST0130 (a rule after a catch-all is never used) and IST0131 (a match repeating an earlier one is
 * never used): routes are matched in order, so either is a route that silently never applies.
 */
function unreachableRouteViolations(http: Json[]): V[] {
  const out: V[] = [];
  const seen = new Map<string, [number, number]>();
  const fix = 'put the specific routes first and the catch-all (no match) route last, or merge the duplicate matches';
  const catchAll = http.findIndex((h) => (h.match ?? []).length === 0 || h.match.some((m: Json) => Object.keys(m).filter((k) => k !== 'name').length === 0));
  http.forEach((h: Json, i: number) => {
    const label = `http[${i}]${h.name ? ` ${show(h.name)}` : ''}`;
    if (catchAll >= 0 && i > catchAll) {
      out.push(v('istio-unreachable-route', `${label}: VirtualService rule #${i} not used (only the last rule can have no matches; rule #${catchAll} matches every request) (IST0130)`, fix));
      return;
    }
    (h.match ?? []).forEach((m: Json, j: number) => {
      const { name: _name, ...rest } = m;
      const key = canonical(rest);
      const earlier = seen.get(key);
      if (earlier && earlier[0] !== i) {
        out.push(v('istio-unreachable-route', `${label}: VirtualService rule #${i} match #${j} is not used (duplicate/overlapping match in rule #${earlier[0]}) (IST0131)`, fix));
      } else if (!earlier) {
        seen.set(key, [i, j]);
      }
    });
  });
  return out;
}

/** VirtualService webhook rules. */
export function virtualServiceViolations(spec: Json): V[] {
  const out: V[] = [];
  if ((spec.hosts ?? []).length === 0) {
    out.push(v('istio-virtual-service-hosts', 'spec.hosts is empty: virtual service must have at least one host', 'add the host (Service name) the routes apply to'));
  }
  const hosts: string[] = spec.hosts ?? [];
  const gateways: string[] = spec.gateways ?? [];
  const boundToMesh = gateways.length === 0 || gateways.includes('mesh');
  if (boundToMesh && hosts.includes('*')) {
    out.push(v('istio-virtual-service-hosts', `spec.hosts ${show(hosts)}: wildcard host * is not allowed for virtual services bound to the mesh gateway`,
      "name the hosts, or bind the VirtualService to gateways only (gateways without 'mesh')"));
  }
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      if (hostsOverlap(hosts[i], hosts[j])) {
        out.push(v('istio-virtual-service-hosts', `spec.hosts ${show(hosts)}: duplicate hosts in virtual service: ${raw(hosts[i])} & ${raw(hosts[j])}`, 'list each host once (a wildcard already covers the hosts under it)'));
      }
    }
  }
  if ((spec.http ?? []).length === 0 && (spec.tcp ?? []).length === 0 && (spec.tls ?? []).length === 0) {
    out.push(v('istio-virtual-service-routes-required', 'http, tcp or tls must be provided in virtual service', 'add a route with addHttpRoute()'));
  }
  (spec.http ?? []).forEach((h: Json, i: number) => {
    const at = `http[${i}]${h.name ? ` ${show(h.name)}` : ''}`;
    const actions = ['route', 'redirect', 'directResponse'].filter((k) => h[k] !== undefined);
    if (actions.length !== 1) {
      out.push(v('istio-http-route-action', `${at} has ${show(actions)}: exactly one of route, redirect or directResponse must be set`, 'keep one of route, redirect and directResponse'));
    }
    if ((h.redirect || h.directResponse) && (h.fault || h.rewrite)) {
      out.push(v('istio-http-route-action', `${at}: fault or rewrite cannot be combined with redirect or directResponse`, 'drop fault/rewrite from redirect and direct-response routes'));
    }
    if (h.directResponse && (h.directResponse.status < 200 || h.directResponse.status > 599)) {
      out.push(v('istio-http-route-action', `${at}.directResponse.status ${show(h.directResponse.status)}: must be a valid HTTP status code`, 'use a status between 200 and 599'));
    }
    out.push(...weightViolations(at, h.route));
    out.push(...durationViolation(`${at}.timeout`, h.timeout));
    if (h.retries) {
      const r = h.retries;
      if (r.attempts < 0) out.push(v('istio-retries', `${at}.retries.attempts ${show(r.attempts)}: attempts cannot be negative`, 'use 0 (off) or more attempts'));
      if (r.attempts === 0 && (r.perTryTimeout !== undefined || r.retryOn !== undefined || r.retryRemoteLocalities !== undefined)) {
        out.push(v('istio-retries', `${at}.retries: http retry policy configured when attempts are set to 0 (disabled)`, 'drop the other retry fields or set attempts > 0'));
      }
      out.push(...durationViolation(`${at}.retries.perTryTimeout`, r.perTryTimeout).map((x) => ({ ...x, rule: 'istio-retries' })));
      for (const token of String(r.retryOn ?? '').split(',').filter((t) => t.length > 0)) {
        const code = Number(token);
        if (!RETRY_ON_POLICIES.includes(token.trim()) && !(Number.isInteger(code) && code >= 100 && code <= 599)) {
          out.push(v('istio-retries', `${at}.retries.retryOn ${show(token)}: is not a valid retryOn policy`, `use HTTP status codes or ${RETRY_ON_POLICIES.join(', ')}`));
        }
      }
    }
    if (h.fault) {
      const f = h.fault;
      if (!f.delay && !f.abort) out.push(v('istio-fault', `${at}.fault: fault must have an abort and/or a delay`, 'add a delay or an abort'));
      if (f.delay) {
        if (f.delay.exponentialDelay !== undefined) out.push(v('istio-fault', `${at}.fault.delay: exponentialDelay is not supported`, 'use fixedDelay'));
        out.push(...durationViolation(`${at}.fault.delay.fixedDelay`, f.delay.fixedDelay).map((x) => ({ ...x, rule: 'istio-fault' })));
        out.push(...percentViolation(`${at}.fault.delay`, f.delay.percentage));
      }
      if (f.abort) {
        if (f.abort.http2Error !== undefined) out.push(v('istio-fault', `${at}.fault.abort: http2Error not supported`, 'use httpStatus or grpcStatus'));
        if (f.abort.httpStatus !== undefined && f.abort.grpcStatus !== undefined) out.push(v('istio-fault', `${at}.fault.abort: set httpStatus or grpcStatus, not both`, 'keep one'));
        if (f.abort.httpStatus !== undefined && (f.abort.httpStatus < 200 || f.abort.httpStatus > 600)) {
          out.push(v('istio-fault', `${at}.fault.abort.httpStatus ${show(f.abort.httpStatus)}: abort http status must be in range 200-599`, 'use a status between 200 and 599'));
        }
        out.push(...percentViolation(`${at}.fault.abort`, f.abort.percentage));
      }
    }
    out.push(...destinationViolations(`${at}.mirror`, h.mirror));
    (h.mirrors ?? []).forEach((m: Json, j: number) => out.push(...destinationViolations(`${at}.mirrors[${j}].destination`, m.destination)));
    if (h.mirror && h.mirrors) out.push(v('istio-mirror', `${at}: cannot specify both mirror and mirrors`, 'use mirror or mirrors'));
    for (const [where, p] of [[`${at}.mirrorPercentage`, h.mirrorPercentage], ...(h.mirrors ?? []).map((m: Json, j: number) => [`${at}.mirrors[${j}].percentage`, m.percentage])] as Array<[string, Json | undefined]>) {
      if (p?.value !== undefined && (p.value < 0 || p.value > 100)) {
        out.push(v('istio-mirror', `${where} ${show(p.value)}: mirror percentage must have a max value of 100`, 'use a percentage between 0 and 100'));
      }
    }
    if (h.mirrorPercentage && !h.mirror) out.push(v('istio-mirror', `${at}: mirrorPercentage without mirror`, 'set mirror or drop mirrorPercentage'));
    out.push(...durationViolation(`${at}.corsPolicy.maxAge`, h.corsPolicy?.maxAge));
  });
  out.push(...unreachableRouteViolations(spec.http ?? []));
  for (const kind of ['tcp', 'tls']) {
    (spec[kind] ?? []).forEach((r: Json, i: number) => {
      out.push(...weightViolations(`${kind}[${i}]`, r.route));
      if ((r.route ?? []).length === 0) out.push(v('istio-route-weight', `${kind}[${i}]: route is required`, 'add at least one destination'));
      if (kind === 'tls' && !(r.match ?? []).some((m: Json) => (m.sniHosts ?? []).length > 0)) {
        out.push(v('istio-virtual-service-routes-required', `tls[${i}]: TLS match must have at least one SNI host`, 'set sniHosts on the TLS route'));
      }
    });
  }
  return out;
}

function trafficPolicyViolations(where: string, tp: Json | undefined): V[] {
  if (tp === undefined) return [];
  const out: V[] = [];
  if (Object.keys(tp).length === 0) {
    out.push(v('istio-traffic-policy', `${where}: traffic policy must have at least one field`, 'set loadBalancer, connectionPool, outlierDetection or tls, or drop the policy'));
  }
  const od = tp.outlierDetection;
  if (od) {
    for (const f of ['maxEjectionPercent', 'minHealthPercent']) {
      if (od[f] !== undefined && (od[f] < 0 || od[f] > 100)) {
        out.push(v('istio-outlier-detection', `${where}.outlierDetection.${f} ${show(od[f])}: must be in range [0, 100]`, 'use a percentage between 0 and 100'));
      }
    }
    for (const f of ['consecutive5xxErrors', 'consecutiveGatewayErrors', 'consecutiveLocalOriginFailures']) {
      if (od[f] !== undefined && od[f] < 0) out.push(v('istio-outlier-detection', `${where}.outlierDetection.${f} ${show(od[f])}: must be non-negative`, 'use 0 or more'));
    }
    if (od.consecutiveLocalOriginFailures !== undefined && !od.splitExternalLocalOriginErrors) {
      out.push(v('istio-outlier-detection', `${where}.outlierDetection: consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors`, 'set splitExternalLocalOriginErrors: true'));
    }
    for (const f of ['interval', 'baseEjectionTime']) out.push(...durationViolation(`${where}.outlierDetection.${f}`, od[f]));
  }
  const cp = tp.connectionPool;
  if (cp) {
    for (const [grp, o] of Object.entries(cp) as Array<[string, Json]>) {
      for (const [k, val] of Object.entries(o)) {
        if (typeof val === 'number' && val < 0) {
          out.push(v('istio-connection-pool', `${where}.connectionPool.${grp}.${k} ${show(val)}: must be non-negative`, 'use 0 or more'));
        } else if (typeof val === 'string' && /(Timeout|Duration)$/.test(k)) {
          out.push(...durationViolation(`${where}.connectionPool.${grp}.${k}`, val));
        }
      }
    }
  }
  return out;
}

/** DestinationRule webhook rules. */
export function destinationRuleViolations(spec: Json): V[] {
  const out: V[] = [];
  if (!spec.host) out.push(v('istio-destination-rule-host', 'spec.host is required', 'set the Service host the rule applies to'));
  out.push(...trafficPolicyViolations('trafficPolicy', spec.trafficPolicy));
  const seen = new Set<string>();
  (spec.subsets ?? []).forEach((s: Json, i: number) => {
    if (!s.name) out.push(v('istio-subsets', `subsets[${i}]: subset name is required`, 'name the subset'));
    else if (!isDnsLabel(String(s.name))) out.push(v('istio-subsets', `subsets[${i}] ${show(s.name)}: subset name is invalid: ${raw(s.name)}`, 'use a DNS-1123 label: lowercase letters, digits and -'));
    else if (seen.has(s.name)) out.push(v('istio-subsets', `subsets[${i}] ${show(s.name)}: duplicate subset names`, 'give each subset its own name'));
    seen.add(s.name);
    out.push(...trafficPolicyViolations(`subsets[${i}].trafficPolicy`, s.trafficPolicy));
  });
  return out;
}

/** Gateway webhook rules. */
export function gatewayViolations(spec: Json, name?: string): V[] {
  const out: V[] = [];
  if (name !== undefined && !isDnsLabel(name)) {
    out.push(v('istio-gateway-name', `metadata.name ${show(name)}: invalid gateway name: ${show(name)}`, "name the Gateway with a DNS-1123 label (no dots), e.g. 'my-gw'"));
  }
  if ((spec.servers ?? []).length === 0) out.push(v('istio-gateway-servers', 'gateway must have at least one server', 'add a server with addServer()'));
  const ports = new Set<string>();
  (spec.servers ?? []).forEach((s: Json, i: number) => {
    if ((s.hosts ?? []).length === 0) out.push(v('istio-gateway-servers', `servers[${i}]: server config must contain at least one host`, 'add a host (or "*")'));
    const portName = s.port?.name;
    if (portName && ports.has(portName)) {
      out.push(v('istio-gateway-servers', `servers[${i}] port name ${show(portName)}: port names in servers must be unique: duplicate name ${raw(portName)}`, 'give every server its own port name (e.g. http-shop, http-admin)'));
    }
    if (portName) ports.add(portName);
    const proto = String(s.port?.protocol ?? '').toUpperCase();
    if ((proto === 'HTTPS' || proto === 'TLS') && !s.tls) {
      out.push(v('istio-gateway-tls', `servers[${i}] protocol ${show(proto)}: server must have TLS settings for HTTPS/TLS protocols`, 'add tls (e.g. mode SIMPLE with a credentialName)'));
    }
    const mode = s.tls?.mode;
    if ((mode === 'SIMPLE' || mode === 'MUTUAL') && !s.tls.credentialName && !s.tls.credentialNames && !s.tls.serverCertificate) {
      out.push(v('istio-gateway-tls', `servers[${i}] tls mode ${show(mode)}: needs credentialName (or certificate files)`, 'set credentialName to the TLS Secret'));
    }
  });
  return out;
}

/** ServiceEntry webhook rules. */
export function serviceEntryViolations(spec: Json): V[] {
  const out: V[] = [];
  if ((spec.hosts ?? []).length === 0) out.push(v('istio-service-entry', 'service entry must have at least one host', 'add a host'));
  const numbers = new Set<number>();
  const names = new Set<string>();
  for (const p of spec.ports ?? []) {
    if (numbers.has(p.number)) out.push(v('istio-service-entry', `port number ${show(p.number)} is listed twice`, 'list each port once'));
    if (names.has(p.name)) out.push(v('istio-service-entry', `port name ${show(p.name)} is listed twice`, 'give each port its own name'));
    numbers.add(p.number);
    names.add(p.name);
  }
  if ((spec.resolution === 'DNS' || spec.resolution === 'DNS_ROUND_ROBIN') && (spec.endpoints ?? []).length === 0) {
    for (const h of spec.hosts ?? []) {
      if (String(h).startsWith('*')) out.push(v('istio-service-entry', `host ${show(h)}: wildcard host cannot be resolved by DNS without endpoints`, 'name a concrete host or add endpoints'));
    }
  }
  if (spec.resolution === 'STATIC' && (spec.endpoints ?? []).length === 0 && !spec.workloadSelector) {
    out.push(v('istio-service-entry', 'resolution STATIC needs endpoints or a workloadSelector', 'add endpoints'));
  }
  return out;
}

/** AuthorizationPolicy webhook rules. */
export function authorizationPolicyViolations(spec: Json): V[] {
  const out: V[] = [];
  if (spec.action === 'CUSTOM' && !spec.provider?.name) {
    out.push(v('istio-authorization-provider', 'action CUSTOM: a provider must be specified', 'set provider to an extension provider from the mesh config'));
  }
  if (spec.action !== 'CUSTOM' && spec.provider) {
    out.push(v('istio-authorization-provider', `action ${show(spec.action ?? 'ALLOW')}: provider ${show(spec.provider.name)} must only be used with CUSTOM`, 'drop the provider or use AuthorizationAction.CUSTOM'));
  }
  (spec.rules ?? []).forEach((r: Json, i: number) => {
    for (const c of r.when ?? []) {
      if ((c.values ?? []).length === 0 && (c.notValues ?? []).length === 0) {
        out.push(v('istio-authorization-rule', `rules[${i}].when key ${show(c.key)}: condition needs values or notValues`, 'list the values to match'));
      }
    }
    for (const f of r.from ?? []) if (Object.keys(f.source ?? {}).length === 0) out.push(v('istio-authorization-rule', `rules[${i}].from: source must not be empty`, 'set principals, namespaces, ipBlocks, …'));
    for (const t of r.to ?? []) if (Object.keys(t.operation ?? {}).length === 0) out.push(v('istio-authorization-rule', `rules[${i}].to: operation must not be empty`, 'set hosts, ports, methods or paths'));
  });
  return out;
}

/** PeerAuthentication webhook rules. */
export function peerAuthenticationViolations(spec: Json): V[] {
  const out: V[] = [];
  if (spec.portLevelMtls && Object.keys(spec.portLevelMtls).length > 0 && Object.keys(spec.selector?.matchLabels ?? {}).length === 0) {
    out.push(v('istio-peer-authentication-port-level', 'portLevelMtls requires a workload selector', 'select the workload whose ports get their own mode'));
  }
  for (const p of Object.keys(spec.portLevelMtls ?? {})) {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 65535) out.push(v('istio-peer-authentication-port-level', `portLevelMtls port ${show(p)}: port must be in range 1..65535`, 'use a valid port'));
  }
  return out;
}
