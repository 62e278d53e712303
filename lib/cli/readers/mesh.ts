/**
 * Istio VirtualService documents → `mesh.VirtualService` with typed routes, matches and destinations;
 * DestinationRules → `mesh.DestinationRule` with their subsets; ServiceEntries → `mesh.ServiceEntry`; Gateways →
 * `mesh.Gateway` with their servers.
 */
import { Duration, durationMillis } from '../../core';
import { Expr, api, arr, callApi, construct, data, lit, obj, ref } from '../calls';
import { DocumentBuilder, Plan, guarded } from './plan';

type Path = Array<string | number>;

/** The kinds this reader builds (apiVersion/kind). */
export const MESH_KINDS = new Set(['networking.istio.io/v1/VirtualService', 'networking.istio.io/v1/DestinationRule',
  'networking.istio.io/v1/ServiceEntry', 'networking.istio.io/v1/Gateway']);

const READERS: Record<string, (plan: Plan, doc: number) => void> = {
  VirtualService: readVirtualService, DestinationRule: readDestinationRule, ServiceEntry: readServiceEntry, Gateway: readGateway,
};

/** Reads every VirtualService, DestinationRule, ServiceEntry and Gateway of the plan. */
export function readMesh(plan: Plan, docs: number[]): void {
  for (const i of docs) guarded(plan, i, READERS[String(plan.documents[i].value?.kind)]);
}

function str(v: unknown): Expr | undefined {
  return v === undefined ? undefined : lit(String(v));
}

function num(v: unknown): Expr | undefined {
  return v === undefined ? undefined : data(v);
}

/** Istio durations (`5s`, `1.5s`) as `Duration`; forms Duration cannot hold exactly are gaps. */
function duration(b: DocumentBuilder, v: unknown, at: Path): Expr | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)(?:\.(\d{1,3}))?s$/.exec(String(v));
  if (!m) {
    try {
      durationMillis(Duration.parse(String(v)));
      return callApi('Duration.parse', lit(String(v)));
    } catch {
      b.gap(at, `duration ${JSON.stringify(v)} (slipway holds whole milliseconds)`);
      return undefined;
    }
  }
  const ms = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return ms % 1000 === 0 ? callApi('Duration.seconds', lit(ms / 1000)) : callApi('Duration.millis', lit(ms));
}

function stringMatch(b: DocumentBuilder, v: any, at: Path): Expr | undefined {
  if (v === undefined) return undefined;
  b.only(v, at, ['exact', 'prefix', 'regex']);
  const kind = ['exact', 'prefix', 'regex'].find((k) => v?.[k] !== undefined);
  if (!kind || Object.keys(v).length !== 1) {
    b.gap(at, 'a string match that is not exactly one of exact, prefix and regex');
    return undefined;
  }
  return callApi(`mesh.StringMatch.${kind}`, lit(String(v[kind])));
}

function matchMap(b: DocumentBuilder, v: any, at: Path): Expr | undefined {
  if (v === undefined) return undefined;
  return obj(Object.fromEntries(Object.entries(v).map(([k, m]) => [k, stringMatch(b, m, [...at, k])])));
}

function destination(b: DocumentBuilder, d: any, at: Path): Expr {
  b.only(d, at, ['host', 'subset', 'port']);
  b.only(d?.port, [...at, 'port'], ['number']);
  return obj({ host: str(d?.host ?? ''), subset: str(d?.subset), port: num(d?.port?.number) });
}

function headers(b: DocumentBuilder, h: any, at: Path): Expr | undefined {
  if (h === undefined) return undefined;
  b.only(h, at, ['request', 'response']);
  const ops = (o: any, p: Path) => {
    if (o === undefined) return undefined;
    b.only(o, p, ['set', 'add', 'remove']);
    return data(o);
  };
  return obj({ request: ops(h.request, [...at, 'request']), response: ops(h.response, [...at, 'response']) });
}

function percentage(b: DocumentBuilder, p: any, at: Path): Expr | undefined {
  if (p === undefined) return undefined;
  b.only(p, at, ['value']);
  return num(p.value);
}

function routes(b: DocumentBuilder, list: any, at: Path): Expr {
  return arr((list ?? []).map((r: any, i: number) => {
    b.only(r, [...at, i], ['destination', 'weight', 'headers']);
    return obj({ destination: destination(b, r.destination, [...at, i, 'destination']), weight: num(r.weight), headers: headers(b, r.headers, [...at, i, 'headers']) });
  }));
}

function httpRoute(b: DocumentBuilder, r: any, at: Path): Expr {
  b.only(r, at, ['name', 'match', 'route', 'redirect', 'directResponse', 'rewrite', 'timeout', 'retries', 'fault', 'mirror',
    'mirrorPercentage', 'mirrors', 'corsPolicy', 'headers']);
  const match = r.match ? arr(r.match.map((m: any, i: number) => {
    const p = [...at, 'match', i];
    b.only(m, p, ['name', 'uri', 'method', 'authority', 'headers', 'withoutHeaders', 'queryParams', 'ignoreUriCase', 'port', 'sourceLabels']);
    return obj({
      name: str(m.name), uri: stringMatch(b, m.uri, [...p, 'uri']), method: stringMatch(b, m.method, [...p, 'method']),
      authority: stringMatch(b, m.authority, [...p, 'authority']), headers: matchMap(b, m.headers, [...p, 'headers']),
      withoutHeaders: matchMap(b, m.withoutHeaders, [...p, 'withoutHeaders']), queryParams: matchMap(b, m.queryParams, [...p, 'queryParams']),
      ignoreUriCase: num(m.ignoreUriCase), port: num(m.port), sourceLabels: m.sourceLabels ? data(m.sourceLabels) : undefined,
    });
  })) : undefined;
  if (r.redirect) b.only(r.redirect, [...at, 'redirect'], ['uri', 'authority', 'redirectCode']);
  if (r.rewrite) b.only(r.rewrite, [...at, 'rewrite'], ['uri', 'authority']);
  if (r.directResponse) {
    b.only(r.directResponse, [...at, 'directResponse'], ['status', 'body']);
    b.only(r.directResponse.body, [...at, 'directResponse', 'body'], ['string']);
  }
  const retries = r.retries;
  if (retries) b.only(retries, [...at, 'retries'], ['attempts', 'perTryTimeout', 'retryOn', 'retryRemoteLocalities']);
  const fault = r.fault;
  if (fault) {
    b.only(fault, [...at, 'fault'], ['delay', 'abort']);
    b.only(fault.delay, [...at, 'fault', 'delay'], ['fixedDelay', 'percentage']);
    b.only(fault.abort, [...at, 'fault', 'abort'], ['httpStatus', 'grpcStatus', 'percentage']);
  }
  const cors = r.corsPolicy;
  if (cors) b.only(cors, [...at, 'corsPolicy'], ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'allowCredentials']);
  return obj({
    name: str(r.name),
    match,
    route: r.route ? routes(b, r.route, [...at, 'route']) : undefined,
    redirect: r.redirect ? data(r.redirect) : undefined,
    directResponse: r.directResponse ? obj({ status: num(r.directResponse.status), body: str(r.directResponse.body?.string) }) : undefined,
    rewrite: r.rewrite ? data(r.rewrite) : undefined,
    timeout: duration(b, r.timeout, [...at, 'timeout']),
    retries: retries ? obj({
      attempts: num(retries.attempts ?? 0),
      perTryTimeout: duration(b, retries.perTryTimeout, [...at, 'retries', 'perTryTimeout']),
      retryOn: retries.retryOn !== undefined ? data(String(retries.retryOn).split(',')) : undefined,
      retryRemoteLocalities: num(retries.retryRemoteLocalities),
    }) : undefined,
    fault: fault ? obj({
      delay: fault.delay ? obj({ fixedDelay: duration(b, fault.delay.fixedDelay, [...at, 'fault', 'delay', 'fixedDelay']) ?? callApi('Duration.seconds', lit(0)),
        percentage: percentage(b, fault.delay.percentage, [...at, 'fault', 'delay', 'percentage']) }) : undefined,
      abort: fault.abort ? obj({ httpStatus: num(fault.abort.httpStatus), grpcStatus: str(fault.abort.grpcStatus),
        percentage: percentage(b, fault.abort.percentage, [...at, 'fault', 'abort', 'percentage']) }) : undefined,
    }) : undefined,
    mirror: r.mirror ? destination(b, r.mirror, [...at, 'mirror']) : undefined,
    mirrorPercentage: percentage(b, r.mirrorPercentage, [...at, 'mirrorPercentage']),
    mirrors: r.mirrors ? arr(r.mirrors.map((m: any, i: number) => {
      b.only(m, [...at, 'mirrors', i], ['destination', 'percentage']);
      return obj({ destination: destination(b, m.destination, [...at, 'mirrors', i, 'destination']), percentage: percentage(b, m.percentage, [...at, 'mirrors', i, 'percentage']) });
    })) : undefined,
    corsPolicy: cors ? obj({
      allowOrigins: cors.allowOrigins ? arr(cors.allowOrigins.map((o: any, i: number) => stringMatch(b, o, [...at, 'corsPolicy', 'allowOrigins', i]) ?? lit(''))) : undefined,
      allowMethods: cors.allowMethods ? data(cors.allowMethods) : undefined,
      allowHeaders: cors.allowHeaders ? data(cors.allowHeaders) : undefined,
      exposeHeaders: cors.exposeHeaders ? data(cors.exposeHeaders) : undefined,
      maxAge: duration(b, cors.maxAge, [...at, 'corsPolicy', 'maxAge']),
      allowCredentials: num(cors.allowCredentials),
    }) : undefined,
    headers: headers(b, r.headers, [...at, 'headers']),
  });
}

function l4Route(b: DocumentBuilder, r: any, at: Path, tls: boolean): Expr {
  b.only(r, at, ['match', 'route']);
  const matches = r.match ?? [];
  if (matches.length > 1) b.gap([...at, 'match'], 'more than one L4 match (slipway writes at most one)');
  const m = matches[0] ?? {};
  b.only(m, [...at, 'match', 0], tls ? ['port', 'sniHosts'] : ['port']);
  return obj({ port: num(m.port), sniHosts: m.sniHosts ? data(m.sniHosts) : undefined, route: routes(b, r.route, [...at, 'route']) });
}

/** `metadata.namespace` as the `namespace` prop every Istio kind takes. */
function namespaceOf(v: any): Expr | undefined {
  return v.metadata?.namespace !== undefined ? str(v.metadata.namespace) : undefined;
}

function readVirtualService(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name', 'namespace']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['hosts', 'gateways', 'exportTo', 'http', 'tcp', 'tls']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'VirtualService');
  b.add([], construct('mesh.VirtualService', ref('scope'), lit(id), obj({
    name: lit(name),
    namespace: namespaceOf(v),
    hosts: spec.hosts ? data(spec.hosts) : undefined,
    gateways: spec.gateways ? data(spec.gateways) : undefined,
    exportTo: spec.exportTo ? data(spec.exportTo) : undefined,
    http: spec.http ? arr(spec.http.map((r: any, i: number) => httpRoute(b, r, ['spec', 'http', i]))) : undefined,
    tcp: spec.tcp ? arr(spec.tcp.map((r: any, i: number) => l4Route(b, r, ['spec', 'tcp', i], false))) : undefined,
    tls: spec.tls ? arr(spec.tls.map((r: any, i: number) => l4Route(b, r, ['spec', 'tls', i], true))) : undefined,
  })));
  b.commit();
}

/** A DestinationRule: host, exportTo and subsets by labels (traffic policies have no reader yet: a gap). */
function readDestinationRule(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name', 'namespace']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['host', 'exportTo', 'subsets']);
  const subsets = Array.isArray(spec.subsets) ? spec.subsets : [];
  subsets.forEach((x: any, i: number) => b.only(x, ['spec', 'subsets', i], ['name', 'labels']));
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'DestinationRule');
  b.add([], construct('mesh.DestinationRule', ref('scope'), lit(id), obj({
    name: lit(name),
    namespace: namespaceOf(v),
    host: str(spec.host),
    exportTo: spec.exportTo ? data(spec.exportTo) : undefined,
    subsets: spec.subsets ? arr(subsets.map((x: any) => obj({ name: str(x?.name ?? ''), labels: x?.labels ? data(x.labels) : undefined }))) : undefined,
  })));
  b.commit();
}

/** A value of one of the API's string enums (`mesh.ServiceEntryLocation.MESH_EXTERNAL`); another value is a gap. */
function enumMember(b: DocumentBuilder, enumName: string, members: readonly string[], v: unknown, at: Path): Expr | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && members.includes(v)) return api(`mesh.${enumName}.${v}`);
  b.gap(at, `${at.join('.')} ${JSON.stringify(v)} is not a value of ${enumName}`);
  return undefined;
}

/** A ServiceEntry: hosts, addresses, ports, location, resolution, endpoints, workload selector, exportTo. */
function readServiceEntry(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name', 'namespace']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['hosts', 'addresses', 'ports', 'location', 'resolution', 'endpoints', 'workloadSelector', 'exportTo']);
  const list = (x: unknown): any[] => (Array.isArray(x) ? x : []);
  list(spec.ports).forEach((p, i) => b.only(p, ['spec', 'ports', i], ['number', 'protocol', 'name', 'targetPort']));
  list(spec.endpoints).forEach((e, i) => b.only(e, ['spec', 'endpoints', i], ['address', 'ports', 'labels']));
  b.only(spec.workloadSelector, ['spec', 'workloadSelector'], ['labels']);
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'ServiceEntry');
  b.add([], construct('mesh.ServiceEntry', ref('scope'), lit(id), obj({
    name: lit(name),
    namespace: namespaceOf(v),
    hosts: spec.hosts ? data(spec.hosts) : undefined,
    addresses: spec.addresses ? data(spec.addresses) : undefined,
    ports: spec.ports ? data(spec.ports) : undefined,
    location: enumMember(b, 'ServiceEntryLocation', ['MESH_EXTERNAL', 'MESH_INTERNAL'], spec.location, ['spec', 'location']),
    resolution: enumMember(b, 'ServiceEntryResolution', ['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN'], spec.resolution, ['spec', 'resolution']),
    endpoints: spec.endpoints ? data(spec.endpoints) : undefined,
    workloadSelector: spec.workloadSelector?.labels ? data(spec.workloadSelector.labels) : undefined,
    exportTo: spec.exportTo ? data(spec.exportTo) : undefined,
  })));
  b.commit();
}

const GATEWAY_PROTOCOLS = ['HTTP', 'HTTPS', 'GRPC', 'HTTP2', 'TCP', 'TLS'];
const SERVER_TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'];

/**
 * A Gateway: selector and servers (port, protocol, port name, hosts, TLS mode, credentialName, httpsRedirect).
 * A Gateway without a selector is a gap: `mesh.Gateway` writes Istio's ingress gateway selector by default.
 */
function readGateway(plan: Plan, doc: number): void {
  const b = new DocumentBuilder(plan, doc);
  const v = b.value;
  b.only(v, [], ['apiVersion', 'kind', 'metadata', 'spec']);
  b.only(v.metadata, ['metadata'], ['name', 'namespace']);
  const spec = v.spec ?? {};
  b.only(spec, ['spec'], ['selector', 'servers']);
  if (spec.selector === undefined) b.gap(['spec', 'selector'], 'a Gateway without a selector (mesh.Gateway writes istio: ingressgateway by default)');
  const servers = (Array.isArray(spec.servers) ? spec.servers : []).map((x: any, i: number) => {
    const at = ['spec', 'servers', i];
    b.only(x, at, ['port', 'hosts', 'tls']);
    b.only(x?.port, [...at, 'port'], ['number', 'protocol', 'name']);
    b.only(x?.tls, [...at, 'tls'], ['mode', 'credentialName', 'httpsRedirect']);
    if (x?.port?.name === undefined) b.gap([...at, 'port'], 'a Gateway server port without a name');
    return obj({
      port: data(x?.port?.number ?? 0),
      protocol: enumMember(b, 'GatewayProtocol', GATEWAY_PROTOCOLS, x?.port?.protocol, [...at, 'port', 'protocol']),
      portName: str(x?.port?.name ?? ''),
      hosts: data(x?.hosts ?? []),
      tls: x?.tls ? obj({
        mode: enumMember(b, 'ServerTlsMode', SERVER_TLS_MODES, x.tls.mode, [...at, 'tls', 'mode']),
        credentialName: str(x.tls.credentialName),
        httpsRedirect: x.tls.httpsRedirect !== undefined ? data(x.tls.httpsRedirect) : undefined,
      }) : undefined,
    });
  });
  const name = String(v.metadata?.name ?? '');
  const id = plan.constructId(name, 'Gateway');
  b.add([], construct('mesh.Gateway', ref('scope'), lit(id), obj({
    name: lit(name),
    namespace: namespaceOf(v),
    selector: spec.selector ? data(spec.selector) : undefined,
    servers: spec.servers ? arr(servers) : undefined,
  })));
  b.commit();
}
