import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import * as m from '../../lib/delivery/mesh';
import { surroundings } from './fixtures';
import { expectRule, synthError } from './rules';

const to = (host: string, weight?: number): m.RouteDestination => ({ destination: { host }, weight });
function vs(http: m.HttpRoute[], props: m.VirtualServiceProps = {}) {
  const chart = Testing.chart();
  surroundings(chart, ['web', 'a', 'b', 'db', 'shadow']);
  const v = new m.VirtualService(chart, 'Vs', { hosts: ['web'], http, ...props });
  return { chart, v };
}

describe('VirtualService webhook rules (research §3.1)', () => {
  test('rule istio-virtual-service-hosts: at least one host', () => {
    expectRule(vs([{ route: [to('web')] }], { hosts: [] }).chart, 'istio-virtual-service-hosts', 'test/Vs', 'virtual service must have at least one host');
  });

  test('rule istio-virtual-service-routes-required: http, tcp or tls; TLS routes need SNI hosts', () => {
    expectRule(vs([]).chart, 'istio-virtual-service-routes-required', 'test/Vs', 'http, tcp or tls must be provided in virtual service');
    expectRule(vs([], { tls: [{ port: 443, route: [to('db')] }] }).chart, 'istio-virtual-service-routes-required', 'test/Vs', 'TLS match must have at least one SNI host');
  });

  test('rule istio-http-route-action: route, redirect and directResponse are exclusive; no fault or rewrite with redirect', () => {
    expectRule(vs([{ name: 'x', route: [to('web')], redirect: { uri: '/a' } }]).chart, 'istio-http-route-action', 'test/Vs',
      'http[0] "x" has ["route","redirect"]: exactly one of route, redirect or directResponse must be set');
    expectRule(vs([{ directResponse: { status: 200 }, fault: { abort: { httpStatus: 500 } } }]).chart, 'istio-http-route-action', 'test/Vs',
      'fault or rewrite cannot be combined with redirect or directResponse');
    expectRule(vs([{ directResponse: { status: 700 } }]).chart, 'istio-http-route-action', 'test/Vs', 'directResponse.status 700');
  });

  test('rule istio-route-weight: weights are non-negative and not all zero', () => {
    expectRule(vs([{ route: [to('a', -10), to('b', 110)] }]).chart, 'istio-route-weight', 'test/Vs', 'http[0].route[0] weight -10: weight must be non-negative');
    expectRule(vs([{ route: [to('a', 0), to('b', 0)] }]).chart, 'istio-route-weight', 'test/Vs', 'total destination weight is 0 across 2 destinations');
    // since Istio 1.15 weights need not sum to 100: 1 and 3 are a valid 25/75 split
    expect(synthError(vs([{ route: [to('a', 1), to('b', 3)] }]).chart)).toBe('');
  });

  test('rule istio-duration: durations are at least 1ms', () => {
    expectRule(vs([{ route: [to('web')], timeout: Duration.millis(0) }]).chart, 'istio-duration', 'test/Vs', 'http[0].timeout "0s": duration must be at least 1ms');
  });

  test('rule istio-retries: attempts >= 0, no settings with 0 attempts, known retryOn policies', () => {
    expectRule(vs([{ route: [to('web')], retries: { attempts: -1 } }]).chart, 'istio-retries', 'test/Vs', 'attempts -1: attempts cannot be negative');
    expectRule(vs([{ route: [to('web')], retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } }]).chart, 'istio-retries', 'test/Vs',
      'http retry policy configured when attempts are set to 0 (disabled)');
    expectRule(vs([{ route: [to('web')], retries: { attempts: 2, retryOn: ['5xx', 'on-bad-day'] } }]).chart, 'istio-retries', 'test/Vs',
      'retryOn "on-bad-day": is not a valid retryOn policy');
  });

  test('rule istio-fault: abort and/or delay, percentages in range, HTTP status 200-599', () => {
    expectRule(vs([{ route: [to('web')], fault: {} }]).chart, 'istio-fault', 'test/Vs', 'fault must have an abort and/or a delay');
    expectRule(vs([{ route: [to('web')], fault: { abort: { httpStatus: 700, percentage: 10 } } }]).chart, 'istio-fault', 'test/Vs',
      'httpStatus 700: abort http status must be in range 200-599');
    expectRule(vs([{ route: [to('web')], fault: { delay: { fixedDelay: Duration.seconds(1), percentage: 120 } } }]).chart, 'istio-fault', 'test/Vs',
      'percentage 120: percentage must be 0 or in [0.0001, 100]');
    const { chart, v } = vs([{ route: [to('web')], fault: { delay: { fixedDelay: Duration.seconds(1) } } }]);
    ApiObject.of(v).addJsonPatch(JsonPatch.add('/spec/http/0/fault/delay/exponentialDelay', '1s'));
    expectRule(chart, 'istio-fault', 'test/Vs', 'exponentialDelay is not supported');
  });

  test('rule istio-mirror: mirror XOR mirrors, percentage 0..100', () => {
    expectRule(vs([{ route: [to('web')], mirror: { host: 'shadow' }, mirrorPercentage: 150 }]).chart, 'istio-mirror', 'test/Vs',
      'mirrorPercentage 150: mirror percentage must have a max value of 100');
    expectRule(vs([{ route: [to('web')], mirror: { host: 'a' }, mirrors: [{ destination: { host: 'b' } }] }]).chart, 'istio-mirror', 'test/Vs',
      'cannot specify both mirror and mirrors');
  });
});

describe('DestinationRule webhook rules', () => {
  const dr = (props: m.DestinationRuleProps) => {
    const chart = Testing.chart();
    new m.DestinationRule(chart, 'Dr', { host: 'web', ...props });
    return chart;
  };

  test('rule istio-destination-rule-host: host is required', () => {
    expectRule(dr({ host: undefined, subsets: [{ name: 'v1' }] }), 'istio-destination-rule-host', 'test/Dr', 'spec.host is required');
  });

  test('rule istio-traffic-policy: a policy needs at least one field', () => {
    expectRule(dr({ trafficPolicy: {} }), 'istio-traffic-policy', 'test/Dr', 'traffic policy must have at least one field');
  });

  test('rule istio-outlier-detection: percents 0..100, local-origin failures need the split flag', () => {
    expectRule(dr({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 120 } } }), 'istio-outlier-detection', 'test/Dr',
      'outlierDetection.maxEjectionPercent 120: must be in range [0, 100]');
    expectRule(dr({ trafficPolicy: { outlierDetection: { consecutiveLocalOriginFailures: 3 } } }), 'istio-outlier-detection', 'test/Dr',
      'consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors');
  });

  test('rule istio-connection-pool: pool values are non-negative', () => {
    expectRule(dr({ trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: -1 } } } }), 'istio-connection-pool', 'test/Dr',
      'connectionPool.http.http1MaxPendingRequests -1: must be non-negative');
  });

  test('rule istio-subsets: subset names are unique', () => {
    expectRule(dr({ subsets: [{ name: 'v1' }, { name: 'v1' }] }), 'istio-subsets', 'test/Dr', 'subsets[1] "v1": duplicate subset names');
  });
});

describe('Gateway, ServiceEntry and security rules', () => {
  test('rule istio-gateway-servers: servers with hosts and unique port names', () => {
    const chart = Testing.chart();
    new m.Gateway(chart, 'Gw', { servers: [
      { port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'web', hosts: [] },
      { port: 8080, protocol: m.GatewayProtocol.HTTP, portName: 'web', hosts: ['*'] },
    ] });
    expectRule(chart, 'istio-gateway-servers', 'test/Gw', 'servers[0]: server config must contain at least one host');
    expectRule(chart, 'istio-gateway-servers', 'test/Gw', 'port name "web": port names in servers must be unique: duplicate name web');
    const empty = Testing.chart();
    new m.Gateway(empty, 'Gw');
    expectRule(empty, 'istio-gateway-servers', 'test/Gw', 'gateway must have at least one server');
  });

  test('rule istio-gateway-tls: HTTPS/TLS servers need TLS settings with a credential', () => {
    const chart = Testing.chart();
    new m.Gateway(chart, 'Gw', { servers: [{ port: 443, protocol: m.GatewayProtocol.HTTPS, portName: 'https', hosts: ['*'] }] });
    expectRule(chart, 'istio-gateway-tls', 'test/Gw', 'protocol "HTTPS": server must have TLS settings for HTTPS/TLS protocols');
    const c2 = Testing.chart();
    new m.Gateway(c2, 'Gw', { servers: [{ port: 443, protocol: m.GatewayProtocol.HTTPS, portName: 'https', hosts: ['*'], tls: { mode: m.ServerTlsMode.SIMPLE } }] });
    expectRule(c2, 'istio-gateway-tls', 'test/Gw', 'tls mode "SIMPLE": needs credentialName');
  });

  test('rule istio-service-entry: hosts required, unique ports, no DNS for wildcards', () => {
    const chart = Testing.chart();
    new m.ServiceEntry(chart, 'Se', { hosts: ['*.example.com'], resolution: m.ServiceEntryResolution.DNS,
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }, { number: 443, name: 'tls', protocol: 'TLS' }] });
    expectRule(chart, 'istio-service-entry', 'test/Se', 'host "*.example.com": wildcard host cannot be resolved by DNS without endpoints');
    expectRule(chart, 'istio-service-entry', 'test/Se', 'port number 443 is listed twice');
    const c2 = Testing.chart();
    new m.ServiceEntry(c2, 'Se');
    expectRule(c2, 'istio-service-entry', 'test/Se', 'service entry must have at least one host');
  });

  test('rule istio-authorization-provider: CUSTOM needs a provider, and only CUSTOM takes one', () => {
    const chart = Testing.chart();
    new m.AuthorizationPolicy(chart, 'Ap', { action: m.AuthorizationAction.CUSTOM });
    expectRule(chart, 'istio-authorization-provider', 'test/Ap', 'action CUSTOM: a provider must be specified');
    const c2 = Testing.chart();
    new m.AuthorizationPolicy(c2, 'Ap', { action: m.AuthorizationAction.DENY, provider: 'opa' });
    expectRule(c2, 'istio-authorization-provider', 'test/Ap', 'provider "opa" must only be used with CUSTOM');
  });

  test('rule istio-authorization-rule: conditions need values; sources and operations are not empty', () => {
    const chart = Testing.chart();
    new m.AuthorizationPolicy(chart, 'Ap', { rules: [{ from: [{}], when: [{ key: 'request.auth.claims[iss]' }] }] });
    expectRule(chart, 'istio-authorization-rule', 'test/Ap', 'key "request.auth.claims[iss]": condition needs values or notValues');
    expectRule(chart, 'istio-authorization-rule', 'test/Ap', 'rules[0].from: source must not be empty');
  });

  test('rule istio-peer-authentication-port-level: portLevelMtls needs a selector', () => {
    const chart = Testing.chart();
    new m.PeerAuthentication(chart, 'Pa', { mtls: m.MtlsMode.STRICT, portLevelMtls: { 8080: m.MtlsMode.DISABLE } });
    expectRule(chart, 'istio-peer-authentication-port-level', 'test/Pa', 'portLevelMtls requires a workload selector');
  });
});
