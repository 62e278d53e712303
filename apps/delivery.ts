// Progressive delivery of the storefront: catalog and checkout ship by Istio canary gated by a success-rate
// analysis, account ships blue-green, every call path is declared (NetworkPolicy + AuthorizationPolicy), and the
// thumbnail function runs on Knative, scales to zero and is triggered by upload events from a Broker.
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Duration, delivery, mesh, serverless, workloads } from '../lib';

const NAMESPACE = 'storefront';
// Functions run in their own namespace: Knative's activator and autoscaler reach their pods, which the
// storefront's default-deny would block.
const FUNCTIONS = 'functions';
const PROMETHEUS = 'http://prometheus.istio-system:9090';

/** The storefront services, each delivered progressively. */
export class StorefrontChart extends Chart {
  /** The canary deliveries, by service name. */
  public readonly canaries: Record<string, delivery.CanaryDelivery> = {};

  constructor(scope: Construct) {
    super(scope, 'delivery-storefront', { namespace: NAMESPACE });
    // Sidecars only accept mutual TLS inside the namespace.
    new mesh.PeerAuthentication(this, 'mtls', { name: 'default', mtls: mesh.MtlsMode.STRICT });
    // Istio's ingress gateway pods are installed with Istio, outside this app.
    delivery.ExternalObject.pods(this, 'ingress-gateway', { istio: 'ingressgateway' }, 'istio-system');
    const gateway = new mesh.Gateway(this, 'gateway', {
      name: 'storefront',
      servers: [
        { port: 80, protocol: mesh.GatewayProtocol.HTTP, portName: 'http', hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
        { port: 443, protocol: mesh.GatewayProtocol.HTTPS, portName: 'https', hosts: ['shop.example.com'],
          tls: { mode: mesh.ServerTlsMode.SIMPLE, credentialName: 'shop-example-com-tls' } },
      ],
    });

    // catalog: public behind the gateway, host-level split, gated at 10/25/50 %.
    const catalog = new workloads.Microservice(this, 'catalog', {
      image: 'ghcr.io/acme/catalog:2.3.1',
      serviceAccount: identity(this, 'catalog'),
      readiness: workloads.Probe.fromHttpGet('/ready'),
      autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 },
    });
    this.canaries.catalog = delivery.Delivery.canary(catalog, {
      weights: [10, 25, 50],
      pauseBetween: Duration.minutes(2),
      analysis: delivery.DeliveryAnalysis.successRate({ prometheusAddress: PROMETHEUS, threshold: 0.99 }),
      gateways: [`${NAMESPACE}/${gateway.name}`],
      hosts: ['shop.example.com'],
      timeout: Duration.seconds(5),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'connect-failure'] },
    });

    // checkout: internal, subset-level split with a circuit breaker on the DestinationRule.
    const checkout = new workloads.Microservice(this, 'checkout', {
      image: 'ghcr.io/acme/checkout:5.0.4',
      serviceAccount: identity(this, 'checkout'),
      readiness: workloads.Probe.fromHttpGet('/ready'),
      autoscaling: { minReplicas: 3, maxReplicas: 12 },
    });
    this.canaries.checkout = delivery.Delivery.canary(checkout, {
      weights: [5, 20, 50, 80],
      analysis: delivery.DeliveryAnalysis.successRate({ prometheusAddress: PROMETHEUS }),
      routing: delivery.CanaryRouting.bySubsets({
        connectionPool: { http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 10 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
      }),
    });

    // account: blue-green, promoted by hand after the preview passes its analysis.
    const account = new workloads.Microservice(this, 'account', {
      image: 'ghcr.io/acme/account:1.9.0',
      serviceAccount: identity(this, 'account'),
      readiness: workloads.Probe.fromHttpGet('/ready'),
      replicas: 3,
    });
    delivery.Delivery.blueGreen(account, {
      prePromotionAnalysis: delivery.DeliveryAnalysis.successRate({ prometheusAddress: PROMETHEUS }),
      postPromotionAnalysis: delivery.DeliveryAnalysis.successRate({ prometheusAddress: PROMETHEUS }),
      scaleDownDelay: Duration.minutes(5),
    });

    // Traces for 5 % of requests and access logs of failed ones; catalog takes at most 200 requests/s per pod.
    new mesh.Telemetry(this, 'telemetry', {
      name: 'storefront',
      tracing: { providers: ['otel'], randomSamplingPercentage: 5 },
      accessLogging: { providers: ['envoy'], filter: 'response.code >= 500' },
    });
    new mesh.LocalRateLimit(this, 'catalog-rate-limit', { name: 'catalog-rate-limit', selector: catalog.selectorLabels, maxTokens: 200, fillInterval: Duration.seconds(1) });

    // Every call path, and nothing else: the gateway reaches catalog, catalog calls checkout, checkout calls
    // account; Prometheus scrapes the sidecars the analyses read. NetworkPolicies plus, in the mesh,
    // AuthorizationPolicies for the callers' ServiceAccounts.
    delivery.ExternalObject.pods(this, 'prometheus', { 'app.kubernetes.io/name': 'prometheus' }, 'istio-system');
    const access = new delivery.NamespaceAccess(this, 'access', { mesh: true, defaultDeny: true });
    access.allowScrapingFrom(delivery.AccessPeer.pods('istio-system', { 'app.kubernetes.io/name': 'prometheus' }));
    access.to(catalog).allowFromPeer(delivery.AccessPeer.pods('istio-system', { istio: 'ingressgateway' }, 'istio-ingressgateway-service-account'));
    access.to(checkout).allowFrom(catalog);
    access.to(account).allowFrom(checkout);
  }
}

/** A ServiceAccount of its own, so the mesh can tell the workload's calls apart (no API token mounted). */
function identity(scope: Construct, name: string): kplus.ServiceAccount {
  return new kplus.ServiceAccount(scope, `${name}-sa`, { metadata: { name }, automountToken: false });
}

/** Functions on Knative Serving. */
export class FunctionsChart extends Chart {
  constructor(scope: Construct) {
    super(scope, 'delivery-functions', { namespace: FUNCTIONS });
    // thumbnail: idle most of the day, so it scales to zero and keeps one pod 5 minutes after the last request.
    const thumbnail = new serverless.KnativeService(this, 'thumbnail', {
      name: 'thumbnail',
      container: { image: 'ghcr.io/acme/thumbnail:1.2.0', env: { QUALITY: '85' } },
      containerConcurrency: 10,
      timeout: Duration.seconds(60),
      autoscaling: {
        class: serverless.AutoscalingClass.KPA,
        metric: serverless.AutoscalingMetric.CONCURRENCY,
        target: 8,
        minScale: 0,
        maxScale: 20,
        scaleToZeroPodRetention: Duration.minutes(5),
        window: Duration.seconds(60),
      },
      rolloutDuration: Duration.seconds(120),
    });
    // Uploads arrive as CloudEvents on the namespace's Broker; only image uploads reach the function, and
    // events it keeps failing on land in the dead-letter function instead of being dropped.
    const deadLetters = new serverless.KnativeService(this, 'dead-letters', {
      name: 'dead-letters', container: { image: 'ghcr.io/acme/event-archive:1.0.0' },
      autoscaling: { minScale: 0, maxScale: 2 },
    });
    const broker = new serverless.Broker(this, 'broker', {
      delivery: { retry: 5, backoffPolicy: 'exponential', backoffDelay: Duration.seconds(1), deadLetterSink: serverless.Sink.knativeService(deadLetters) },
    });
    new serverless.Trigger(this, 'image-uploaded', {
      name: 'thumbnail-on-upload', broker, filter: { type: 'com.acme.image.uploaded' }, subscriber: serverless.Sink.knativeService(thumbnail),
    });
  }
}

/** The namespaces (cluster-scoped, so in a chart without a default namespace): sidecars injected in the storefront, PSS restricted. */
export class StorefrontNamespaceChart extends Chart {
  constructor(scope: Construct) {
    super(scope, 'delivery-namespace');
    new kplus.Namespace(this, 'namespace', {
      metadata: { name: NAMESPACE, labels: { 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    new kplus.Namespace(this, 'functions', {
      metadata: { name: FUNCTIONS, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
  }
}

/** Adds the delivery example's charts to `app`. */
export function addDeliveryApps(app: Construct): void {
  new StorefrontNamespaceChart(app);
  new StorefrontChart(app);
  new FunctionsChart(app);
}
