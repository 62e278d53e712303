// References that must resolve across the whole app (argo lint's reference checks, istioctl analyze IST0101,
// IST0109, IST0127, IST0130/0131). Only objects declared external (ExternalObject, cdk8s-plus imports) skip them.
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppReferences, Delivery, DeliveryAnalysis, ExternalObject } from '../../lib/delivery';
import * as m from '../../lib/delivery/mesh';
import * as r from '../../lib/delivery/rollouts';
import { Microservice } from '../../lib/workloads';
import { LABELS, POD, service, surroundings } from './fixtures';
import { expectRule, synthError } from './rules';

const to = (host: string, subset?: string): m.RouteDestination => ({ destination: { host, subset } });

function deployment(chart: Chart, name: string, labels: Record<string, string>, spec: any = POD): ApiObject {
  return new ApiObject(chart, `Deploy-${name}`, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  });
}

describe('Argo Rollouts references resolve across the app', () => {
  test('rule reference-analysis-template: a typo\'d AnalysisTemplate.fromName() is refused, with the near name; a template in another chart resolves', () => {
    // the template lives in a chart of its own, in the namespace of the Rollouts
    const withTemplate = () => {
      const app = Testing.app();
      const shared = new Chart(app, 'shared', { namespace: 'shop' });
      new r.AnalysisTemplate(shared, 'Rate', { name: 'success-rate', metrics: [{ name: 'm', provider: r.MetricProvider.web({ url: 'http://probe/ok' }) }] });
      return app;
    };
    const chart = new Chart(withTemplate(), 'shop', { namespace: 'shop' });
    Delivery.canary(new Microservice(chart, 'Web', { image: 'ghcr.io/acme/web:1' }), { analysis: DeliveryAnalysis.fromTemplate(r.AnalysisTemplate.fromName('succes-rate')) });
    expectRule(chart, 'reference-analysis-template', 'shop/WebCanary/Rollout', 'AnalysisTemplate "succes-rate" is not in the app',
      'analysistemplates.argoproj.io "succes-rate" not found', '(did you mean "success-rate"?)', 'ExternalObject.analysisTemplate()');

    const fixed = new Chart(withTemplate(), 'fixed', { namespace: 'shop' });
    Delivery.canary(new Microservice(fixed, 'Web', { image: 'ghcr.io/acme/web:1' }), { analysis: DeliveryAnalysis.fromTemplate(r.AnalysisTemplate.fromName('success-rate')) });
    expect(synthError(fixed)).toBe('');
    const external = new Chart(Testing.app(), 'external');
    const platform = ExternalObject.clusterAnalysisTemplate(external, 'Platform', 'platform-slo');
    Delivery.canary(new Microservice(external, 'Web', { image: 'ghcr.io/acme/web:1' }), { analysis: DeliveryAnalysis.fromTemplate(platform) });
    expect(synthError(external)).toBe('');
    expect(Testing.synth(external).find((d) => d.kind === 'Rollout').spec.strategy.canary.steps[2].analysis.templates).toEqual([{ templateName: 'platform-slo', clusterScope: true }]);
  });

  test('rule reference-service: Rollout Services and Ingress backends (and their ports) must exist', () => {
    const chart = Testing.chart();
    new r.Rollout(chart, 'Web', { name: 'web', template: r.PodTemplate.of({ labels: LABELS, spec: POD }),
      strategy: r.RolloutStrategy.blueGreen({ activeService: { name: 'web-activ' } }) });
    service(chart, 'web-active');
    expectRule(chart, 'reference-service', 'test/Web', 'blueGreen.activeService: Service "web-activ" is not in the app', '(did you mean "web-active"?)');

    const plain = Testing.chart();
    new m.VirtualService(plain, 'Vs', { hosts: ['web'], http: [{ route: [to('web')] }] });
    service(plain, 'web');
    deployment(plain, 'web', LABELS);
    new ApiObject(plain, 'Ingress', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop' }, spec: { rules: [{ host: 'shop.example.com', http: { paths: [
      { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } },
      { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
    ] } }] } });
    expectRule(plain, 'reference-service', 'test/Ingress', 'spec.rules[0].http.paths[1].backend: Service "api" is not in the app');
    expectRule(plain, 'reference-service', 'test/Ingress', 'spec.rules[0].http.paths[0].backend: Service "web" has no port 8080 (ports: http)');
  });

  test('rule reference-traffic-router: a Rollout steering VirtualService "wbe" is refused', () => {
    const chart = Testing.chart();
    for (const n of ['web-stable', 'web-canary']) service(chart, n);
    new m.VirtualService(chart, 'Vs', { name: 'web', hosts: ['web'], http: [{ name: 'primary', route: [{ ...to('web-stable'), weight: 100 }, { ...to('web-canary'), weight: 0 }] }] });
    new r.Rollout(chart, 'Web', { name: 'web', template: r.PodTemplate.of({ labels: LABELS, spec: POD }), strategy: r.RolloutStrategy.canary({
      canaryService: { name: 'web-canary' }, stableService: { name: 'web-stable' },
      trafficRouting: r.TrafficRouting.istio({ virtualService: { virtualService: { name: 'wbe' }, routes: ['primary'] } }),
    }) });
    expectRule(chart, 'reference-traffic-router', 'test/Web', 'trafficRouting.istio.virtualService: VirtualService "wbe" is not in the app',
      'virtualservices.networking.istio.io "wbe" not found', '(did you mean "web"?)');
  });

  test('rule reference-workload: HPA targets and workloadRef Deployments must exist', () => {
    const chart = Testing.chart();
    AppReferences.check(chart);
    new ApiObject(chart, 'Hpa', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' }, minReplicas: 1, maxReplicas: 3 } });
    expectRule(chart, 'reference-workload', 'test/Hpa', 'spec.scaleTargetRef: Rollout "web" is not in the app (rollouts.argoproj.io "web" not found)');
    const ref = Testing.chart();
    new r.Rollout(ref, 'Web', { workloadRef: r.WorkloadRef.deployment({ name: 'web' }), selector: LABELS });
    expectRule(ref, 'reference-workload', 'test/Web', 'spec.workloadRef: Deployment "web" is not in the app');
  });

  test('rule reference-config: ConfigMaps and Secrets of env, envFrom and volumes must exist, or be declared external or optional', () => {
    const spec = { containers: [{ name: 'app', image: 'ghcr.io/acme/web:1',
      env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'FLAG', valueFrom: { configMapKeyRef: { name: 'flags', key: 'x', optional: true } } }],
      envFrom: [{ configMapRef: { name: 'web-config' } }] }], volumes: [{ name: 'tls', secret: { secretName: 'web-tls' } }] };
    const chart = Testing.chart();
    AppReferences.check(chart);
    deployment(chart, 'web', LABELS, spec);
    expectRule(chart, 'reference-config', 'test/Deploy-web', 'spec.template.spec.containers[0].env "DB_PASSWORD": Secret "db" is not in the app', 'kplus.Secret.fromSecretName()');
    expectRule(chart, 'reference-config', 'test/Deploy-web', 'envFrom[0]: ConfigMap "web-config" is not in the app');
    expectRule(chart, 'reference-config', 'test/Deploy-web', 'spec.volumes "tls": Secret "web-tls" is not in the app');
    const ok = Testing.chart();
    AppReferences.check(ok);
    deployment(ok, 'web', LABELS, { ...spec, volumes: [...spec.volumes, { name: 'ca', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } }] });
    kplus.Secret.fromSecretName(ok, 'Db', 'db'); // created by the secrets operator
    ExternalObject.secret(ok, 'Tls', 'web-tls');
    new kplus.ConfigMap(ok, 'Config', { metadata: { name: 'web-config' }, data: { A: '1' } });
    expect(synthError(ok)).toBe('');
  });

  test('rule selector-matches-pods: Services and PodDisruptionBudgets must select pods of the app', () => {
    const chart = Testing.chart();
    AppReferences.check(chart);
    deployment(chart, 'web', LABELS);
    service(chart, 'web', { app: 'wbe' });
    new ApiObject(chart, 'Pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'webb' } } } });
    expectRule(chart, 'selector-matches-pods', 'test/Svc-web', 'spec.selector {"app":"wbe"}: Service "web" selects no pod of the app in namespace "default"');
    expectRule(chart, 'selector-matches-pods', 'test/Pdb', 'PodDisruptionBudget "web" selects no pod of the app');
    // the canary Services select the Rollout's pods (through its workloadRef Deployment) — all resolve
    const ok = Testing.chart();
    Delivery.canary(new Microservice(ok, 'Web', { image: 'ghcr.io/acme/web:1', autoscaling: { maxReplicas: 4 } }));
    expect(synthError(ok)).toBe('');
  });
});

describe('Istio references resolve across the app (istioctl analyze)', () => {
  function mesh(): Chart {
    const chart = Testing.chart();
    surroundings(chart);
    service(chart, 'checkout', { app: 'checkout' });
    deployment(chart, 'checkout', { app: 'checkout' });
    new m.DestinationRule(chart, 'Dr', { name: 'checkout', host: 'checkout', subsets: [{ name: 'v1', labels: { app: 'checkout' } }] });
    return chart;
  }

  test('rule istio-gateway-not-found: IST0101 "Referenced gateway not found" for a VirtualService bound to no-such-gateway', () => {
    const chart = mesh();
    new m.VirtualService(chart, 'Vs', { hosts: ['checkout'], gateways: ['no-such-gateway'], http: [{ route: [to('checkout')] }] });
    expectRule(chart, 'istio-gateway-not-found', 'test/Vs', 'spec.gateways[0] "no-such-gateway": Referenced gateway not found: "no-such-gateway"', 'ExternalObject.gateway()');
    const ok = mesh();
    const gw = ExternalObject.gateway(ok, 'Public', 'istio-system/public');
    new m.VirtualService(ok, 'Vs', { hosts: ['shop.example.com'], gateways: [gw.reference], http: [{ route: [to('checkout')] }] });
    expect(synthError(ok)).toBe('');
  });

  test('rule istio-host-not-found: IST0101 "Referenced host not found" for routes and DestinationRules; ServiceEntry and FQDN hosts resolve', () => {
    const chart = mesh();
    new m.VirtualService(chart, 'Vs', { hosts: ['checkout'], http: [{ route: [to('checkuot')] }] });
    expectRule(chart, 'istio-host-not-found', 'test/Vs', 'http[0].route[0].destination.host "checkuot": Referenced host not found: "checkuot"');
    const ok = mesh();
    new m.ServiceEntry(ok, 'Se', { hosts: ['api.stripe.com'], ports: [{ number: 443, name: 'https', protocol: 'TLS' }], resolution: m.ServiceEntryResolution.DNS, location: m.ServiceEntryLocation.MESH_EXTERNAL });
    new m.VirtualService(ok, 'Vs', { hosts: ['checkout'], http: [{ route: [to('checkout.default.svc.cluster.local', 'v1')] }] });
    new m.DestinationRule(ok, 'Stripe', { host: 'api.stripe.com', trafficPolicy: { tls: { mode: m.ClientTlsMode.SIMPLE } } });
    expect(synthError(ok)).toBe('');
  });

  test('rule istio-subset-not-found: IST0101 "Referenced host+subset in destinationrule not found" for subset v9', () => {
    const chart = mesh();
    new m.VirtualService(chart, 'Vs', { hosts: ['checkout'], http: [{ route: [to('checkout', 'v9')] }] });
    expectRule(chart, 'istio-subset-not-found', 'test/Vs', 'Referenced host+subset in destinationrule not found: "checkout+v9" (the DestinationRule defines v1)');
  });

  test('rule istio-gateway-selector: an empty selector, or one no pod carries ("Referenced selector not found"), is refused', () => {
    const empty = Testing.chart();
    new m.Gateway(empty, 'Gw', { name: 'gw', selector: {}, servers: [{ port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['*'] }] });
    expectRule(empty, 'istio-gateway-selector', 'test/Gw', 'spec.selector {}: an empty selector applies the Gateway to every pod');
    const none = Testing.chart();
    new m.Gateway(none, 'Gw', { name: 'gw', servers: [{ port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['*'] }] });
    expectRule(none, 'istio-gateway-selector', 'test/Gw', 'Referenced selector not found: "istio=ingressgateway"', 'ExternalObject.pods(');
    surroundings(none);
    expect(synthError(none)).toBe('');
  });

  test('rule istio-no-matching-workloads: IST0127 for an AuthorizationPolicy selecting labels no pod carries', () => {
    const chart = mesh();
    new m.AuthorizationPolicy(chart, 'Ap', { selector: { app: 'chekout' }, rules: [{ from: [{ namespaces: ['shop'] }] }] });
    expectRule(chart, 'istio-no-matching-workloads', 'test/Ap', 'No matching workloads for this resource with the following labels: app=chekout');
  });

  test('rule istio-conflicting-hosts: IST0109 two mesh VirtualServices for one host, also across charts', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    surroundings(a, ['web']);
    new m.VirtualService(a, 'Vs', { name: 'web', hosts: ['web.default.svc.cluster.local'], http: [{ route: [to('web')] }] });
    const b = new Chart(app, 'b');
    new m.VirtualService(b, 'Vs', { name: 'web-retries', hosts: ['web'], http: [{ route: [to('web')], retries: { attempts: 3 } }] });
    expectRule(b, 'istio-conflicting-hosts', 'b/Vs', 'spec.hosts "web": The VirtualServices default/web,default/web-retries associated with mesh gateway define the same host web.default.svc.cluster.local');
    // gateway-bound VirtualServices for one host are merged by istiod, not a conflict
    const c = new Chart(Testing.app(), 'c');
    surroundings(c, ['web']);
    const gw = ExternalObject.gateway(c, 'Gw', 'istio-system/public');
    new m.VirtualService(c, 'A', { hosts: ['shop.example.com'], gateways: [gw.reference], http: [{ match: [{ uri: m.StringMatch.prefix('/a') }], route: [to('web')] }] });
    new m.VirtualService(c, 'B', { hosts: ['shop.example.com'], gateways: [gw.reference], http: [{ match: [{ uri: m.StringMatch.prefix('/b') }], route: [to('web')] }] });
    expect(synthError(c)).toBe('');
  });

  test('rule istio-unreachable-route: IST0130 a header route after a catch-all, IST0131 a repeated match', () => {
    const chart = mesh();
    new m.VirtualService(chart, 'Vs', { hosts: ['checkout'], http: [
      { name: 'primary', route: [to('checkout')] },
      { name: 'testers', match: [{ headers: { 'x-tester': m.StringMatch.exact('1') } }], route: [to('checkout', 'v1')] },
    ] });
    expectRule(chart, 'istio-unreachable-route', 'test/Vs', 'http[1] "testers": VirtualService rule #1 not used (only the last rule can have no matches');
    const dup = mesh();
    new m.VirtualService(dup, 'Vs', { hosts: ['checkout'], http: [
      { match: [{ uri: m.StringMatch.prefix('/api') }], route: [to('checkout')] },
      { match: [{ uri: m.StringMatch.prefix('/api') }], route: [to('checkout', 'v1')] },
      { route: [to('checkout')] },
    ] });
    expectRule(dup, 'istio-unreachable-route', 'test/Vs', 'VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0)');
  });
});
