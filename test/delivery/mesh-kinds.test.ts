// The mesh kinds beyond routing: end-user authentication, Sidecar (egress allow-list), Telemetry, WorkloadEntry,
// local rate limiting and the egress gateway pattern. Typed program → expected YAML → strict Istio CRD schema.
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import { ExternalObject } from '../../lib/delivery';
import * as m from '../../lib/delivery/mesh';
import { expectValid } from './check';
import { surroundings } from './fixtures';
import { expectEager, expectRule, synthError } from './rules';

const WEB = { app: 'web' };
function chart(): Chart {
  const c = Testing.chart();
  surroundings(c);
  ExternalObject.pods(c, 'Web', WEB);
  return c;
}
const spec = (c: Chart, kind: string) => Testing.synth(c).find((d) => d.kind === kind).spec;

describe('RequestAuthentication', () => {
  test('JWT issuers next to an AuthorizationPolicy that requires a token', () => {
    const c = chart();
    const ra = new m.RequestAuthentication(c, 'Jwt', { name: 'web-jwt', selector: WEB, jwtRules: [{
      issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['shop'],
      fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }], forwardOriginalToken: true, outputClaimToHeaders: { 'x-user': 'sub' }, timeout: Duration.seconds(3),
    }] });
    new m.AuthorizationPolicy(c, 'RequireJwt', { name: 'web-require-jwt', selector: WEB, rules: [{ from: [{ requestPrincipals: [m.RequestAuthentication.anyPrincipalOf('https://auth.example.com')] }] }] });
    const docs = Testing.synth(c);
    expect(docs.find((d) => d.kind === 'RequestAuthentication')).toEqual({ apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'web-jwt' }, spec: {
      selector: { matchLabels: WEB },
      jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json', audiences: ['shop'],
        fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }], forwardOriginalToken: true, outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }], timeout: '3s' }],
    } });
    expect(docs.find((d) => d.kind === 'AuthorizationPolicy').spec.rules[0].from[0].source.requestPrincipals).toEqual(['https://auth.example.com/*']);
    expect(ra.name).toBe('web-jwt');
    expectValid(docs);
  });

  test('rule istio-request-authentication: issuer set, jwksUri a URL, valid header names', () => {
    const c = chart();
    new m.RequestAuthentication(c, 'Jwt', { selector: WEB, jwtRules: [{ issuer: '', jwksUri: 'auth.example.com/keys', fromHeaders: [{ name: 'bad header' }] }] });
    expectRule(c, 'istio-request-authentication', 'test/Jwt', 'jwtRules[0].issuer: issuer must be set');
    expectRule(c, 'istio-request-authentication', 'test/Jwt', 'jwksUri "auth.example.com/keys": invalid jwksUri');
    expectRule(c, 'istio-request-authentication', 'test/Jwt', 'fromHeaders[0].name "bad header": location header name must be set to a valid header name');
  });
});

describe('Sidecar', () => {
  test('an egress allow-list: own namespace, istio-system and one external host, REGISTRY_ONLY', () => {
    const c = chart();
    new m.Sidecar(c, 'Egress', { name: 'default', egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: m.OutboundTrafficPolicy.REGISTRY_ONLY })
      .addEgress({ hosts: ['*/api.stripe.com'], port: { number: 443, protocol: 'TLS', name: 'tls' } });
    new m.Sidecar(c, 'WebSidecar', { name: 'web', workloadSelector: WEB, egress: [{ hosts: ['./*'] }] });
    expect(spec(c, 'Sidecar')).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }, { hosts: ['*/api.stripe.com'], port: { number: 443, protocol: 'TLS', name: 'tls' } }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expectValid(Testing.synth(c));
  });

  test('rule istio-sidecar: "sidecar: empty configuration provided", hosts of form namespace/dnsName, egressProxy only with ALLOW_ANY', () => {
    const c = chart();
    new m.Sidecar(c, 'Empty');
    expectRule(c, 'istio-sidecar', 'test/Empty', 'sidecar: empty configuration provided');
    const h = chart();
    new m.Sidecar(h, 'Bad', { egress: [{ hosts: ['api.stripe.com'] }] });
    expectRule(h, 'istio-sidecar', 'test/Bad', 'host "api.stripe.com": host must be of form namespace/dnsName');
    const p = chart();
    const sc = new m.Sidecar(p, 'Proxy', { outboundTrafficPolicy: m.OutboundTrafficPolicy.REGISTRY_ONLY });
    ApiObject.of(sc).addJsonPatch(JsonPatch.add('/spec/outboundTrafficPolicy/egressProxy', { host: 'proxy.example.com' }));
    expectRule(p, 'istio-sidecar', 'test/Proxy', 'egress_proxy must be set only with ALLOW_ANY');
  });
});

describe('Telemetry', () => {
  test('metrics without a high-cardinality tag, 10 % trace sampling, access logs of errors only', () => {
    const c = chart();
    new m.Telemetry(c, 'Tel', { name: 'mesh-default',
      metrics: { providers: ['prometheus'], reportingInterval: Duration.seconds(15), overrides: [
        { metric: m.IstioMetric.REQUEST_COUNT, mode: m.TelemetryMode.CLIENT_AND_SERVER, removeTags: ['request_protocol'], addTags: { team: '"shop"' } },
        { metric: m.IstioMetric.REQUEST_SIZE, disabled: true },
      ] },
      tracing: { providers: ['otel'], randomSamplingPercentage: 10, customTags: { env: 'prod' } },
      accessLogging: { providers: ['envoy'], filter: 'response.code >= 400' },
    });
    expect(spec(c, 'Telemetry')).toEqual({
      metrics: [{ providers: [{ name: 'prometheus' }], reportingInterval: '15s', overrides: [
        { match: { metric: 'REQUEST_COUNT', mode: 'CLIENT_AND_SERVER' }, tagOverrides: { team: { operation: 'UPSERT', value: '"shop"' }, request_protocol: { operation: 'REMOVE' } } },
        { match: { metric: 'REQUEST_SIZE' }, disabled: true },
      ] }],
      tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 10, customTags: { env: { literal: { value: 'prod' } } } }],
      accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }],
    });
    expectValid(Testing.synth(c));
  });

  test('rule istio-telemetry: "randomSamplingPercentage must be in range [0.0, 100.0]", providers named', () => {
    const c = chart();
    new m.Telemetry(c, 'Tel', { tracing: { randomSamplingPercentage: 150 }, accessLogging: { providers: [''] } });
    expectRule(c, 'istio-telemetry', 'test/Tel', 'randomSamplingPercentage 150: randomSamplingPercentage must be in range [0.0, 100.0]');
    expectRule(c, 'istio-telemetry', 'test/Tel', 'accessLogging[0].providers[0]: provider name must be set');
  });
});

describe('WorkloadEntry', () => {
  test('a VM behind a ServiceEntry that selects it by label', () => {
    const c = chart();
    const vm = new m.WorkloadEntry(c, 'Vm', { name: 'billing-vm-1', address: '10.0.3.7', labels: { app: 'billing' }, ports: { http: 8080 }, serviceAccount: 'billing', locality: 'eu-west-1/eu-west-1a', weight: 1 });
    new m.ServiceEntry(c, 'Billing', { name: 'billing', hosts: ['billing.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      location: m.ServiceEntryLocation.MESH_INTERNAL, resolution: m.ServiceEntryResolution.STATIC, workloadSelector: vm.labels });
    expect(spec(c, 'WorkloadEntry')).toEqual({ address: '10.0.3.7', labels: { app: 'billing' }, ports: { http: 8080 }, serviceAccount: 'billing', locality: 'eu-west-1/eu-west-1a', weight: 1 });
    expectValid(Testing.synth(c));
  });

  test('rule istio-workload-entry: "address is required", ports in range', () => {
    const c = chart();
    new m.WorkloadEntry(c, 'Vm', { address: '', ports: { http: 70000 } });
    expectRule(c, 'istio-workload-entry', 'test/Vm', 'address is required');
    expectRule(c, 'istio-workload-entry', 'test/Vm', 'ports "http" 70000: port number 70000 must be in the range 1..65535');
  });
});

describe('local rate limit (Istio\'s documented EnvoyFilter)', () => {
  test('a token bucket of 100 requests per second on the workload\'s inbound listener', () => {
    const c = chart();
    new m.LocalRateLimit(c, 'Limit', { name: 'web-rate-limit', selector: WEB, maxTokens: 100, fillInterval: Duration.seconds(1) });
    const s = spec(c, 'EnvoyFilter');
    expect(s.workloadSelector).toEqual({ labels: WEB });
    expect(s.configPatches[0]).toMatchObject({ applyTo: 'HTTP_FILTER', match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
      patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.local_ratelimit', typed_config: {
        type_url: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
        value: { stat_prefix: 'http_local_rate_limiter', token_bucket: { max_tokens: 100, tokens_per_fill: 100, fill_interval: '1s' },
          filter_enabled: { runtime_key: 'local_rate_limit_enabled', default_value: { numerator: 100, denominator: 'HUNDRED' } } } } } } });
    expectValid(Testing.synth(c));
  });

  test('rule istio-local-rate-limit: tokens >= 1, "fill_interval must be >= 50ms"', () => {
    const c = chart();
    new m.LocalRateLimit(c, 'Limit', { selector: WEB, maxTokens: 0, fillInterval: Duration.millis(10), context: m.RateLimitContext.GATEWAY });
    expectRule(c, 'istio-local-rate-limit', 'test/Limit', 'token_bucket.max_tokens 0: must be a whole number >= 1');
    expectRule(c, 'istio-local-rate-limit', 'test/Limit', 'fill_interval "0.01s": fill_interval must be >= 50ms');
  });
});

describe('egress gateway pattern', () => {
  test('ServiceEntry, Gateway, DestinationRule subset and the VirtualService pair, with a REGISTRY_ONLY Sidecar', () => {
    const c = chart();
    const egress = new m.EgressGateway(c, 'Stripe', { name: 'stripe', host: 'api.stripe.com' });
    new m.Sidecar(c, 'Default', { name: 'default', egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: m.OutboundTrafficPolicy.REGISTRY_ONLY });
    const docs = Testing.synth(c);
    expect(synthError(c)).toBe('');
    const gw = 'istio-egressgateway.istio-system.svc.cluster.local';
    expect(docs.find((d) => d.kind === 'VirtualService').spec).toEqual({ hosts: ['api.stripe.com'], gateways: ['mesh', 'stripe-egress'], tls: [
      { match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.stripe.com'] }], route: [{ destination: { host: gw, subset: 'stripe', port: { number: 443 } } }] },
      { match: [{ gateways: ['stripe-egress'], port: 443, sniHosts: ['api.stripe.com'] }], route: [{ destination: { host: 'api.stripe.com', port: { number: 443 } } }] },
    ] });
    expect(docs.find((d) => d.kind === 'Gateway').spec).toEqual({ selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443, protocol: 'TLS', name: 'tls' }, hosts: ['api.stripe.com'], tls: { mode: 'PASSTHROUGH' } }] });
    expect(docs.find((d) => d.kind === 'DestinationRule').spec).toEqual({ host: gw, subsets: [{ name: 'stripe' }] });
    expect(egress.serviceEntry.name).toBe('stripe');
    expectValid(docs);
  });

  test('rule istio-egress-gateway: one concrete host on a valid port', () => {
    expectEager(() => new m.EgressGateway(chart(), 'Any', { name: 'any', host: '*.example.com' }), 'istio-egress-gateway', 'test/Any', 'wildcard host cannot be routed by SNI');
    expectEager(() => new m.EgressGateway(chart(), 'Port', { name: 'p', host: 'api.example.com', port: 0 }), 'istio-egress-gateway', 'test/Port', 'port number 0 must be in the range 1..65535');
  });
});

describe('Istio API version choice', () => {
  test('IstioApiVersion.V1BETA1 writes every Istio kind as v1beta1 (Telemetry v1alpha1) for clusters older than 1.22, valid against those schemas', () => {
    const c = Testing.chart();
    m.IstioApiVersion.use(c, m.IstioApiVersion.V1BETA1);
    surroundings(c, ['web']);
    ExternalObject.pods(c, 'Web', WEB);
    new m.VirtualService(c, 'Vs', { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', subset: 'v1' } }] }] });
    new m.DestinationRule(c, 'Dr', { host: 'web', subsets: [{ name: 'v1', labels: WEB }] });
    new m.Gateway(c, 'Gw', { name: 'gw', servers: [{ port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['*'] }] });
    new m.AuthorizationPolicy(c, 'Ap', { selector: WEB, rules: [{ from: [{ namespaces: ['shop'] }] }] });
    new m.PeerAuthentication(c, 'Pa', { mtls: m.MtlsMode.STRICT });
    new m.RequestAuthentication(c, 'Ra', { jwtRules: [{ issuer: 'https://auth.example.com' }] });
    new m.Sidecar(c, 'Sc', { egress: [{ hosts: ['./*'] }] });
    new m.Telemetry(c, 'Tel', { tracing: { randomSamplingPercentage: 1 } });
    const docs = Testing.synth(c);
    expect(Object.fromEntries(docs.map((d) => [d.kind, d.apiVersion]))).toEqual({
      VirtualService: 'networking.istio.io/v1beta1', DestinationRule: 'networking.istio.io/v1beta1', Gateway: 'networking.istio.io/v1beta1',
      AuthorizationPolicy: 'security.istio.io/v1beta1', PeerAuthentication: 'security.istio.io/v1beta1', RequestAuthentication: 'security.istio.io/v1beta1',
      Sidecar: 'networking.istio.io/v1beta1', Telemetry: 'telemetry.istio.io/v1alpha1',
    });
    expectValid(docs);
  });
});

describe('metadata.namespace on every Istio kind', () => {
  test('each kind writes the namespace it is given (the egress gateway pattern on all four objects), valid against the schemas', () => {
    const c = chart();
    const ns = { namespace: 'shop' };
    // references resolve per namespace: the pods and the host these objects name live in 'shop'
    ExternalObject.pods(c, 'ShopWeb', WEB, 'shop');
    new m.VirtualService(c, 'Vs', { ...ns, hosts: ['billing.internal'], http: [{ route: [{ destination: { host: 'billing.internal' } }] }] });
    new m.DestinationRule(c, 'Dr', { ...ns, host: 'billing.internal' });
    new m.Gateway(c, 'Gw', { ...ns, name: 'gw', servers: [{ port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['*'] }] });
    new m.ServiceEntry(c, 'Se', { ...ns, name: 'billing', hosts: ['billing.internal'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] });
    new m.AuthorizationPolicy(c, 'Ap', { ...ns, selector: WEB, rules: [{ from: [{ namespaces: ['shop'] }] }] });
    new m.PeerAuthentication(c, 'Pa', { namespace: 'istio-system', mtls: m.MtlsMode.STRICT });
    new m.RequestAuthentication(c, 'Ra', { ...ns, jwtRules: [{ issuer: 'https://auth.example.com' }] });
    new m.Sidecar(c, 'Sc', { ...ns, egress: [{ hosts: ['./*'] }] });
    new m.Telemetry(c, 'Tel', { ...ns, tracing: { randomSamplingPercentage: 1 } });
    new m.WorkloadEntry(c, 'Vm', { ...ns, address: '10.0.3.7' });
    new m.LocalRateLimit(c, 'Limit', { ...ns, selector: WEB, maxTokens: 100, fillInterval: Duration.seconds(1) });
    new m.EgressGateway(c, 'Stripe', { namespace: 'egress', name: 'stripe', host: 'api.stripe.com' });
    expect(synthError(c)).toBe('');
    const docs = Testing.synth(c).filter((d) => d.apiVersion.includes('istio.io'));
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}`).sort()).toEqual([
      'AuthorizationPolicy/shop', 'DestinationRule/egress', 'DestinationRule/shop', 'EnvoyFilter/shop', 'Gateway/egress', 'Gateway/shop',
      'PeerAuthentication/istio-system', 'RequestAuthentication/shop', 'ServiceEntry/egress', 'ServiceEntry/shop', 'Sidecar/shop',
      'Telemetry/shop', 'VirtualService/egress', 'VirtualService/shop', 'WorkloadEntry/shop',
    ]);
    expectValid(Testing.synth(c));
  });

  test('rule dns-1123-label (Istio namespace): a namespace that is not a DNS-1123 label', () => {
    expectEager(() => new m.Sidecar(chart(), 'Sc', { namespace: 'Shop.Prod', egress: [{ hosts: ['./*'] }] }), 'dns-1123-label', 'test/Sc', 'metadata.namespace "Shop.Prod"');
    expectEager(() => new m.VirtualService(chart(), 'Vs', { namespace: 'shop_prod', hosts: ['web'] }), 'dns-1123-label', 'test/Vs', 'metadata.namespace "shop_prod"');
  });
});
