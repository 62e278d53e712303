/**
 * Charts that use every valid form the research names, shared by the snapshot tests and by the one test file that
 * runs the (slow to load) independent checkers over them.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Duration } from '../../lib/core';
import * as r from '../../lib/delivery/rollouts';
import * as m from '../../lib/delivery/mesh';
import * as s from '../../lib/delivery/serverless';
import { ExternalObject } from '../../lib/delivery';

export const POD = { containers: [{ name: 'app', image: 'ghcr.io/acme/web:1.0.0', ports: [{ containerPort: 8080 }] }] };
export const LABELS = { app: 'web' };

/**
 * What a real cluster has around the objects under test: Istio's ingress gateway pods and, when given, hosts the
 * routes name that the test does not model.
 */
export function surroundings(chart: Chart, hosts: string[] = []): void {
  ExternalObject.pods(chart, 'IngressGateway', { istio: 'ingressgateway' }, 'istio-system');
  if (hosts.length > 0) ExternalObject.hosts(chart, 'Hosts', hosts);
}

/** A plain Service selecting `selector`. */
export function service(scope: Chart, name: string, selector: Record<string, string> = LABELS): ApiObject {
  return new ApiObject(scope, `Svc-${name}`, {
    apiVersion: 'v1', kind: 'Service', metadata: { name },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

/** A VirtualService with a `primary` route to both Services. */
export function routedVs(scope: Chart, name = 'web', stable = 'web-stable', canary = 'web-canary'): m.VirtualService {
  return new m.VirtualService(scope, `Vs-${name}`, {
    name, hosts: [name],
    http: [{ name: 'primary', route: [{ destination: { host: stable }, weight: 100 }, { destination: { host: canary }, weight: 0 }] }],
  });
}

export function successRate(scope: Chart, name = 'success-rate'): r.AnalysisTemplate {
  return new r.AnalysisTemplate(scope, `At-${name}`, {
    name,
    args: [r.TemplateArg.required('service-name'), r.TemplateArg.withDefault('threshold', '0.95')],
    metrics: [{
      name: 'success-rate', interval: Duration.minutes(1), count: 5, failureLimit: 1,
      successCondition: 'result[0] >= {{args.threshold}}',
      provider: r.MetricProvider.prometheus({ address: 'http://prometheus:9090', query: 'sum(rate(x{svc="{{args.service-name}}"}[1m]))', timeout: Duration.seconds(30) }),
    }],
  });
}

/** Every Rollout, AnalysisTemplate and Experiment form. */
export function rolloutsChart(): Chart {
  const chart = Testing.chart();
  const web = successRate(chart);
  const smoke = new r.AnalysisTemplate(chart, 'Smoke', {
    name: 'smoke',
    args: [r.TemplateArg.fromSecret('token', 'smoke-token', 'token'), r.TemplateArg.fromField('ns', 'metadata.namespace')],
    metrics: [
      { name: 'health', provider: r.MetricProvider.web({ url: 'http://web-preview/healthz', jsonPath: '{$.status}', timeout: Duration.seconds(5), headers: { Authorization: 'Bearer {{args.token}}' } }), successCondition: "result == 'ok'" },
      { name: 'post', provider: r.MetricProvider.web({ url: 'http://web-preview/check', method: r.WebMethod.POST, jsonBody: { probe: true } }), successCondition: 'result.ok' },
      { name: 'e2e', provider: r.MetricProvider.job({ spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'e2e', image: 'ghcr.io/acme/e2e:1', args: ['--ns', '{{args.ns}}'] }] } } } }) },
    ],
    dryRun: ['post'],
  });
  const errors = new r.ClusterAnalysisTemplate(chart, 'Errors', {
    name: 'error-budget',
    metrics: [{ name: 'errors', interval: Duration.minutes(5), failureLimit: 3, failureCondition: 'result[0] > 10', initialDelay: Duration.seconds(30),
      provider: r.MetricProvider.prometheus({ address: 'http://prometheus:9090', query: 'sum(rate(errors[5m]))' }) }],
  });

  // canary over Istio Services with every step kind
  service(chart, 'web-stable');
  service(chart, 'web-canary');
  const vs = routedVs(chart);
  const canary = new r.Rollout(chart, 'Web', {
    name: 'web',
    replicas: 4,
    template: r.PodTemplate.of({ labels: LABELS, annotations: { team: 'shop' }, spec: POD }),
    minReadySeconds: 5,
    progressDeadline: Duration.minutes(15),
    progressDeadlineAbort: true,
    strategy: r.RolloutStrategy.canary({
      canaryService: { name: 'web-canary' },
      stableService: { name: 'web-stable' },
      trafficRouting: r.TrafficRouting.istio({ virtualService: { virtualService: vs, routes: ['primary'] }, managedRoutes: ['testers', 'shadow'] }),
      maxSurge: r.IntOrPercent.percent(50),
      maxUnavailable: r.IntOrPercent.count(0),
      analysis: { templates: [errors], startingStep: 2 },
      antiAffinity: r.AntiAffinity.preferred(80),
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { labels: { role: 'stable' } },
      dynamicStableScale: true,
      abortScaleDownDelay: Duration.seconds(0),
      steps: [
        r.CanaryStep.setHeaderRoute('testers', [{ headerName: 'x-canary', headerValue: r.StringMatch.exact('yes') }]),
        r.CanaryStep.setMirrorRoute({ name: 'shadow', percentage: 20, match: [{ method: r.StringMatch.exact('GET'), path: r.StringMatch.prefix('/api'), headers: { 'x-debug': r.StringMatch.regex('.+') } }] }),
        r.CanaryStep.setCanaryScale(r.CanaryScale.replicas(1)),
        r.CanaryStep.setWeight(10),
        r.CanaryStep.pause(Duration.seconds(30)),
        r.CanaryStep.analysis({ templates: [web], args: [r.AnalysisArg.value('service-name', 'web-canary'), r.AnalysisArg.podTemplateHash('hash', r.PodTemplateHash.LATEST)], measurementRetention: { 'success-rate': 20 } }),
        r.CanaryStep.experiment({
          duration: Duration.minutes(10),
          templates: [{ name: 'baseline', specRef: r.SpecRef.STABLE, weight: 5 }, { name: 'candidate', specRef: r.SpecRef.CANARY, weight: 5, serviceName: 'web-candidate' }],
          analyses: [{ name: 'compare', template: web, args: [r.AnalysisArg.value('service-name', 'web-candidate')], requiredForCompletion: true }],
        }),
        r.CanaryStep.setCanaryScale(r.CanaryScale.weight(50)),
        r.CanaryStep.setCanaryScale(r.CanaryScale.matchTrafficWeight()),
        r.CanaryStep.setHeaderRoute('testers'),
        r.CanaryStep.setMirrorRoute({ name: 'shadow' }),
        r.CanaryStep.pause(),
      ],
    }),
  });
  canary.addStep(r.CanaryStep.setWeight(100));

  // canary by DestinationRule subsets (no Services needed), plus a workloadRef
  const dr = new m.DestinationRule(chart, 'ApiDr', { name: 'api', host: 'api', subsets: [{ name: 'stable', labels: { app: 'api' } }, { name: 'canary', labels: { app: 'api' } }] });
  const apiVs = new m.VirtualService(chart, 'ApiVs', { name: 'api', hosts: ['api'], http: [{ name: 'main', route: [{ destination: { host: 'api', subset: 'stable' }, weight: 100 }, { destination: { host: 'api', subset: 'canary' }, weight: 0 }] }] });
  const deployment = new ApiObject(chart, 'ApiDeployment', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
    spec: { replicas: 0, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: POD } },
  });
  service(chart, 'api', { app: 'api' });
  new r.Rollout(chart, 'Api', {
    name: 'api',
    workloadRef: r.WorkloadRef.deployment(deployment, r.WorkloadScaleDown.ON_SUCCESS),
    strategy: r.RolloutStrategy.canary({
      trafficRouting: r.TrafficRouting.istio({ virtualService: { virtualService: apiVs }, destinationRule: { destinationRule: dr, canarySubsetName: 'canary', stableSubsetName: 'stable' } }),
      scaleDownDelay: Duration.seconds(60),
      steps: [r.CanaryStep.setWeight(25), r.CanaryStep.pause(Duration.minutes(2))],
    }),
  });

  // NGINX and SMI routers, plugin with maxTrafficWeight, plain canary without routing
  service(chart, 'shop-stable', { app: 'shop' });
  service(chart, 'shop-canary', { app: 'shop' });
  const ingress = new ApiObject(chart, 'ShopIngress', {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop' },
    spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop-stable', port: { number: 80 } } } }] } }] },
  });
  const shopTemplate = r.PodTemplate.of({ labels: { app: 'shop' }, spec: POD });
  new r.Rollout(chart, 'ShopNginx', {
    name: 'shop-nginx', template: shopTemplate,
    strategy: r.RolloutStrategy.canary({
      canaryService: { name: 'shop-canary' }, stableService: { name: 'shop-stable' },
      trafficRouting: r.TrafficRouting.nginx({ stableIngress: ingress, additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' }, maxTrafficWeight: 1000 }),
      steps: [r.CanaryStep.setWeight(500), r.CanaryStep.pause(Duration.hours(1))],
    }),
  });
  service(chart, 'shop-smi-stable', { app: 'shop' });
  service(chart, 'shop-smi-canary', { app: 'shop' });
  new r.Rollout(chart, 'ShopSmi', {
    name: 'shop-smi', template: shopTemplate,
    strategy: r.RolloutStrategy.canary({
      canaryService: { name: 'shop-smi-canary' }, stableService: { name: 'shop-smi-stable' },
      trafficRouting: r.TrafficRouting.smi({ rootService: { name: 'shop' }, trafficSplitName: 'shop-split' }),
      steps: [r.CanaryStep.setWeight(5), r.CanaryStep.experiment({ templates: [{ name: 'x', specRef: r.SpecRef.CANARY, weight: 5 }] })],
    }),
  });
  new r.Rollout(chart, 'ShopPlain', {
    name: 'shop-plain', template: shopTemplate, rollbackWindow: 3, analysisRunHistory: { successful: 2, unsuccessful: 10 },
    strategy: r.RolloutStrategy.canary({ maxSurge: r.IntOrPercent.count(1), maxUnavailable: r.IntOrPercent.count(0), antiAffinity: r.AntiAffinity.required(),
      steps: [r.CanaryStep.setWeight(20), r.CanaryStep.plugin('acme/notify', { channel: '#releases' }), r.CanaryStep.pause()] }),
  });

  // the other routers: each with its own pair of Services
  const routers: Array<[string, r.TrafficRouting]> = [
    ['ambassador', r.TrafficRouting.ambassador(['edge-mapping'])],
    ['traefik', r.TrafficRouting.traefik('edge-weighted')],
    ['apisix', r.TrafficRouting.apisix('edge-route', ['rule-1'])],
    ['appmesh', r.TrafficRouting.appMesh({ virtualService: 'edge-vs', routes: ['primary'], canaryVirtualNode: 'edge-canary', stableVirtualNode: 'edge-stable' })],
  ];
  for (const [router, trafficRouting] of routers) {
    service(chart, `edge-${router}-stable`, { app: 'edge' });
    service(chart, `edge-${router}-canary`, { app: 'edge' });
    new r.Rollout(chart, `Edge-${router}`, {
      name: `edge-${router}`, template: r.PodTemplate.of({ labels: { app: 'edge' }, spec: POD }),
      strategy: r.RolloutStrategy.canary({ canaryService: { name: `edge-${router}-canary` }, stableService: { name: `edge-${router}-stable` },
        trafficRouting, steps: [r.CanaryStep.setWeight(30), r.CanaryStep.pause(Duration.minutes(1))] }),
    });
  }

  // blue-green with pre- and post-promotion analysis
  service(chart, 'cart', { app: 'cart' });
  service(chart, 'cart-preview', { app: 'cart' });
  new r.Rollout(chart, 'Cart', {
    name: 'cart', replicas: 3, revisionHistoryLimit: 5,
    template: r.PodTemplate.of({ labels: { app: 'cart' }, spec: POD }),
    strategy: r.RolloutStrategy.blueGreen({
      activeService: { name: 'cart' }, previewService: { name: 'cart-preview' },
      previewReplicaCount: 1, autoPromotionEnabled: true, autoPromotionDelay: Duration.minutes(5),
      scaleDownDelay: Duration.seconds(120), scaleDownDelayRevisionLimit: 2, abortScaleDownDelay: Duration.seconds(30),
      maxUnavailable: r.IntOrPercent.count(1), antiAffinity: r.AntiAffinity.preferred(1),
      prePromotionAnalysis: { templates: [smoke] },
      postPromotionAnalysis: { templates: [web], args: [r.AnalysisArg.value('service-name', 'cart')] },
      previewMetadata: { labels: { role: 'preview' } }, activeMetadata: { labels: { role: 'active' } },
    }),
  });

  new r.Experiment(chart, 'Compare', {
    name: 'compare',
    duration: Duration.minutes(20),
    progressDeadlineSeconds: 300,
    scaleDownDelay: Duration.seconds(10),
    templates: [
      { name: 'baseline', replicas: 1, template: r.PodTemplate.of({ labels: { app: 'web', track: 'baseline' }, spec: POD }) },
      { name: 'candidate', replicas: 1, minReadySeconds: 10, serviceName: 'candidate', template: r.PodTemplate.of({ labels: { app: 'web', track: 'candidate' }, spec: POD }) },
    ],
    analyses: [{ name: 'rate', template: web, args: [r.AnalysisArg.value('service-name', 'candidate')], requiredForCompletion: true }],
  });
  return chart;
}

/** Every Istio kind with every field family of the issue. */
export function meshChart(): Chart {
  const chart = Testing.chart();
  surroundings(chart, ['reviews-shadow', 'audit', 'db', 'api.example.com']);
  ExternalObject.gateway(chart, 'SharedGateway', 'istio-system/public');
  ExternalObject.pods(chart, 'Workloads', { app: 'web' });
  ExternalObject.pods(chart, 'ReviewsPods', { app: 'reviews' });
  service(chart, 'reviews', { app: 'reviews' });
  new m.VirtualService(chart, 'Reviews', {
    name: 'reviews',
    hosts: ['reviews', 'reviews.example.com'],
    gateways: ['mesh', 'istio-system/public'],
    exportTo: ['.'],
    http: [
      { name: 'testers', match: [{ headers: { 'x-user': m.StringMatch.exact('tester') }, uri: m.StringMatch.prefix('/api'), ignoreUriCase: true }],
        route: [{ destination: { host: 'reviews', subset: 'v2', port: 9080 } }] },
      { name: 'legacy', match: [{ uri: m.StringMatch.exact('/old') }], redirect: { uri: '/new', redirectCode: 301 } },
      { name: 'teapot', match: [{ uri: m.StringMatch.exact('/teapot') }], directResponse: { status: 418, body: 'short and stout' } },
      { name: 'chaos', match: [{ queryParams: { chaos: m.StringMatch.exact('1') } }],
        fault: { delay: { fixedDelay: Duration.seconds(5), percentage: 10 }, abort: { httpStatus: 503, percentage: 0.5 } },
        route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
      { name: 'primary', match: [{ uri: m.StringMatch.prefix('/reviews') }],
        route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 90, headers: { response: { set: { 'x-version': 'v1' } } } },
          { destination: { host: 'reviews', subset: 'v2' }, weight: 10 }],
        timeout: Duration.seconds(10),
        retries: { attempts: 3, perTryTimeout: Duration.millis(2500), retryOn: ['5xx', 'connect-failure', '503'] },
        mirror: { host: 'reviews-shadow' }, mirrorPercentage: 5,
        corsPolicy: { allowOrigins: [m.StringMatch.exact('https://shop.example.com')], allowMethods: ['GET', 'POST'], allowHeaders: ['authorization'], maxAge: Duration.hours(1), allowCredentials: true },
        headers: { request: { set: { 'x-env': 'prod' }, remove: ['x-debug'] } },
        rewrite: { uri: '/' } },
    ],
  }).addHttpRoute({ name: 'fallback', route: [{ destination: { host: 'reviews' } }], mirrors: [{ destination: { host: 'audit' }, percentage: 1 }] });
  new m.VirtualService(chart, 'Db', { name: 'db', hosts: ['db'], tcp: [{ port: 5432, route: [{ destination: { host: 'db', port: 5432 } }] }],
    tls: [{ port: 443, sniHosts: ['db.example.com'], route: [{ destination: { host: 'db' } }] }] });
  new m.DestinationRule(chart, 'ReviewsDr', {
    name: 'reviews', host: 'reviews',
    trafficPolicy: {
      loadBalancer: m.LoadBalancer.leastRequest(),
      connectionPool: { tcp: { maxConnections: 100, connectTimeout: Duration.millis(500) }, http: { http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 1, maxRetries: 3, idleTimeout: Duration.minutes(5) } },
      outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50, minHealthPercent: 20 },
      tls: { mode: m.ClientTlsMode.ISTIO_MUTUAL },
    },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: m.LoadBalancer.consistentHashByCookie('user', Duration.hours(1)) } }],
  }).addSubset({ name: 'v3', labels: { version: 'v3' }, trafficPolicy: { loadBalancer: m.LoadBalancer.roundRobin() } });
  new m.DestinationRule(chart, 'ExtDr', { name: 'ext', host: 'api.example.com', trafficPolicy: { tls: { mode: m.ClientTlsMode.SIMPLE, sni: 'api.example.com' }, loadBalancer: m.LoadBalancer.consistentHashByHeader('x-user'),
    outlierDetection: { consecutiveLocalOriginFailures: 2, splitExternalLocalOriginErrors: true } } });
  new m.Gateway(chart, 'Public', {
    name: 'public',
    servers: [
      { port: 80, protocol: m.GatewayProtocol.HTTP, portName: 'http', hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
      { port: 443, protocol: m.GatewayProtocol.HTTPS, portName: 'https', hosts: ['shop.example.com'], tls: { mode: m.ServerTlsMode.SIMPLE, credentialName: 'shop-tls' } },
    ],
  });
  new m.ServiceEntry(chart, 'Payments', {
    name: 'payments', hosts: ['api.payments.example.com'], ports: [{ number: 443, protocol: 'HTTPS', name: 'https' }],
    location: m.ServiceEntryLocation.MESH_EXTERNAL, resolution: m.ServiceEntryResolution.DNS,
  });
  new m.ServiceEntry(chart, 'Legacy', { name: 'legacy', hosts: ['legacy.internal'], ports: [{ number: 8080, protocol: 'HTTP', name: 'http', targetPort: 80 }],
    resolution: m.ServiceEntryResolution.STATIC, location: m.ServiceEntryLocation.MESH_INTERNAL, endpoints: [{ address: '10.0.0.5', labels: { app: 'legacy' } }], addresses: ['240.0.0.1'] });
  new m.AuthorizationPolicy(chart, 'WebAllow', {
    name: 'web-allow', selector: { app: 'web' }, action: m.AuthorizationAction.ALLOW,
    rules: [{ from: [{ principals: ['cluster.local/ns/shop/sa/frontend'] }, { namespaces: ['monitoring'] }], to: [{ methods: ['GET'], paths: ['/api/*'] }], when: [{ key: 'request.headers[x-tenant]', values: ['acme'] }] }],
  });
  new m.AuthorizationPolicy(chart, 'ExtAuthz', { name: 'ext-authz', action: m.AuthorizationAction.CUSTOM, provider: 'oauth2-proxy', rules: [{ to: [{ paths: ['/admin/*'] }] }] });
  new m.AuthorizationPolicy(chart, 'DenyAll', { name: 'deny-all' });
  new m.PeerAuthentication(chart, 'Strict', { name: 'default', mtls: m.MtlsMode.STRICT });
  new m.PeerAuthentication(chart, 'WebPorts', { name: 'web', selector: { app: 'web' }, mtls: m.MtlsMode.STRICT, portLevelMtls: { 9090: m.MtlsMode.PERMISSIVE } });
  return chart;
}

/** Knative Services: scale to zero, HPA class, traffic split by revision / latest / tag, gradual rollout. */
export function serverlessChart(): Chart {
  const chart = Testing.chart();
  new s.KnativeService(chart, 'Thumbnail', {
    name: 'thumbnail',
    container: { image: 'ghcr.io/acme/thumbnail:2.0.0', env: { QUALITY: '80' } },
    revisionName: 'thumbnail-v2',
    containerConcurrency: 10,
    timeout: Duration.seconds(120),
    autoscaling: {
      class: s.AutoscalingClass.KPA, metric: s.AutoscalingMetric.RPS, target: 50, targetUtilizationPercentage: 80,
      minScale: 0, maxScale: 10, initialScale: 0, activationScale: 2,
      scaleToZeroPodRetention: Duration.minutes(5), scaleDownDelay: Duration.seconds(30), window: Duration.seconds(60),
      panicWindowPercentage: 10, panicThresholdPercentage: 200, targetBurstCapacity: -1,
    },
    traffic: [
      s.TrafficTarget.revision('thumbnail-v1', { percent: 90, tag: 'previous' }),
      s.TrafficTarget.latestRevision({ percent: 10, tag: 'candidate' }),
    ],
    rolloutDuration: Duration.seconds(300),
    allowZeroInitialScale: true,
  });
  new s.KnativeService(chart, 'Report', {
    name: 'report',
    container: { image: 'ghcr.io/acme/report:1.0.0', port: 9000, requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    autoscaling: { class: s.AutoscalingClass.HPA, metric: s.AutoscalingMetric.CPU, target: 70, minScale: 1, maxScale: 5 },
  }).addTraffic(s.TrafficTarget.latestRevision({ percent: 100 }));
  new s.KnativeService(chart, 'Hello', { name: 'hello', container: { image: 'ghcr.io/acme/hello:1' } });
  return chart;
}
