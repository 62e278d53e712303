import { Testing } from 'cdk8s';
import { meshChart } from './fixtures';

describe('Istio constructs', () => {
  const docs = Testing.synth(meshChart());
  const get = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

  test('every valid form synthesizes and the output is stable', () => {
    expect(docs).toMatchSnapshot();
  });

  test('VirtualService renders matches, weights, retries, timeouts, faults, mirror, CORS and headers', () => {
    const http = get('VirtualService', 'reviews').spec.http;
    const primary = http.find((h: any) => h.name === 'primary');
    expect(primary.route.map((d: any) => d.weight)).toEqual([90, 10]);
    expect(primary.retries).toEqual({ attempts: 3, perTryTimeout: '2.5s', retryOn: '5xx,connect-failure,503' });
    expect(primary.timeout).toBe('10s');
    expect(primary.corsPolicy.maxAge).toBe('3600s');
    expect(primary.mirrorPercentage).toEqual({ value: 5 });
    expect(primary.corsPolicy.allowOrigins).toEqual([{ exact: 'https://shop.example.com' }]);
    expect(http.find((h: any) => h.name === 'chaos').fault).toEqual({ delay: { fixedDelay: '5s', percentage: { value: 10 } }, abort: { httpStatus: 503, percentage: { value: 0.5 } } });
    expect(http.find((h: any) => h.name === 'teapot').directResponse).toEqual({ status: 418, body: { string: 'short and stout' } });
    expect(http[http.length - 1].name).toBe('fallback');
  });

  test('DestinationRule renders subsets, connection pool, outlier detection, load balancer and TLS', () => {
    const spec = get('DestinationRule', 'reviews').spec;
    expect(spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3']);
    expect(spec.trafficPolicy.outlierDetection).toMatchObject({ consecutive5xxErrors: 5, baseEjectionTime: '30s', maxEjectionPercent: 50 });
    expect(spec.trafficPolicy.connectionPool.tcp.connectTimeout).toBe('0.5s');
    expect(spec.subsets[1].trafficPolicy.loadBalancer).toEqual({ consistentHash: { httpCookie: { name: 'user', ttl: '3600s' } } });
  });

  test('security kinds render selectors, rules and per-port mTLS', () => {
    expect(get('AuthorizationPolicy', 'web-allow').spec.rules[0].to).toEqual([{ operation: { methods: ['GET'], paths: ['/api/*'] } }]);
    expect(get('AuthorizationPolicy', 'deny-all').spec).toEqual({});
    expect(get('PeerAuthentication', 'web').spec.portLevelMtls).toEqual({ 9090: { mode: 'PERMISSIVE' } });
  });
});
