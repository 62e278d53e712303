import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, fail, show, constructId } from '../core';
import { DestinationRule, HttpRetry, TrafficPolicy, VirtualService } from './mesh';
import {
  BackgroundAnalysisProps, CanaryStep, HeaderRouteMatch, IAnalysisTemplate, Rollout, RolloutStrategy, TrafficRouting,
} from './rollouts';
import { HorizontalPodAutoscaler, Microservice, MicroserviceAutoscaling, Service } from '../workloads';
import { DeliveryAnalysis } from './analysis';
import { PodSource, autoscaleRollout, siblingService, takeOver } from './workload';
import { PERCENT, checkProps, hostViolations, intViolations } from './values';

/** How the canary's traffic share is enforced by Istio. */
export class CanaryRouting {
  /** Host-level split: the VirtualService weighs the stable and canary Services (the default). */
  public static byServices(): CanaryRouting {
    return new CanaryRouting('services', undefined);
  }

  /**
   * Subset-level split: one host, a DestinationRule with `stable` and `canary` subsets (the controller adds the
   * pod-template hash to each), optionally with a traffic policy (circuit breaker, load balancer).
   */
  public static bySubsets(trafficPolicy?: TrafficPolicy): CanaryRouting {
    return new CanaryRouting('subsets', trafficPolicy);
  }

  private constructor(public readonly mode: 'services' | 'subsets', public readonly trafficPolicy: TrafficPolicy | undefined) {}
}

/**
 * What happens to the workload's own Ingress under a canary. An Ingress controller sends requests straight to the
 * Service endpoints, so without help it bypasses the VirtualService weights: that is refused unless one is chosen.
 */
export class CanaryIngress {
  /**
   * ingress-nginx runs with an Istio sidecar: the Ingress gets `nginx.ingress.kubernetes.io/service-upstream: "true"`
   * and `upstream-vhost: <service>.<namespace>.svc.cluster.local`, so nginx sends to the Service address and its
   * sidecar applies the VirtualService weights (Istio's documented nginx integration). Inject the sidecar into
   * the ingress-nginx pods yourself; they live outside this app.
   */
  public static throughMesh(): CanaryIngress {
    return new CanaryIngress();
  }

  private constructor() {}
}

/** Props of {@link CanaryDelivery}. */
export interface CanaryDeliveryProps {
  /** The workload to deliver (from `slipway/workloads`). */
  readonly workload: Microservice;
  /**
   * Traffic weights of the generated steps: each is `setWeight`, `pause`, then the analysis.
   * @default [20, 50, 80]
   */
  readonly weights?: number[];
  /**
   * Pause after each weight.
   * @default Duration.minutes(1)
   */
  readonly pauseBetween?: Duration;
  /**
   * Your own steps instead of the generated ones (use `analysisStep` from the result for the analysis).
   * @default - generated from weights
   */
  readonly steps?: CanaryStep[];
  /**
   * The analysis that gates each weight.
   * @default DeliveryAnalysis.successRate()
   */
  readonly analysis?: DeliveryAnalysis;
  /**
   * Also run the analysis in the background for the whole update (its metrics may then run indefinitely).
   * @default false
   */
  readonly backgroundAnalysis?: boolean;
  /**
   * Host-level or subset-level split.
   * @default CanaryRouting.byServices()
   */
  readonly routing?: CanaryRouting;
  /**
   * Where the Rollout's pods come from.
   * @default PodSource.workloadRef()
   */
  readonly podSource?: PodSource;
  /**
   * Gateways the VirtualService binds to besides the mesh (e.g. `istio-system/public`).
   * @default - mesh only
   */
  readonly gateways?: string[];
  /**
   * Extra hosts of the VirtualService (e.g. the public host behind a gateway).
   * @default - the workload's Service name only
   */
  readonly hosts?: string[];
  /**
   * Timeout of the primary route.
   * @default - none
   */
  readonly timeout?: Duration;
  /**
   * Retries of the primary route.
   * @default - the mesh default
   */
  readonly retries?: HttpRetry;
  /**
   * Routes the Rollout may add for setHeaderRoute/setMirrorRoute steps.
   * @default - none
   */
  readonly managedRoutes?: string[];
  /**
   * Send requests with this header to the canary from the first step on (testers reach it before any weight);
   * the route is removed when the update completes.
   * @default - no header route
   */
  readonly headerRoute?: HeaderRouteMatch;
  /**
   * Autoscaling of the Rollout, when the workload has none of its own (its own HPA is retargeted to the Rollout).
   * @default - the workload's autoscaler, or fixed replicas
   */
  readonly autoscaling?: MicroserviceAutoscaling;
  /**
   * How the workload's Ingress (if it has one) keeps the canary weights.
   * @default - a workload with an Ingress is refused (rule canary-ingress-bypass)
   */
  readonly ingress?: CanaryIngress;
}

/** Name of the VirtualService route the Rollout steers. */
export const PRIMARY_ROUTE = 'primary';
/** Name of the managed route that `headerRoute` adds. */
export const HEADER_ROUTE = 'header-route';

/**
 * Canary delivery of a workload through Istio: a Rollout (over the workload's Deployment or its pod template),
 * stable and canary Services selecting its pods, the VirtualService (and in subset mode the DestinationRule) it
 * steers, an AnalysisTemplate gating each step, and the workload's HPA retargeted to the Rollout. Every name is
 * derived from the workload's, so references agree by construction.
 */
export class CanaryDelivery extends Construct {
  /** The Rollout. */
  public readonly rollout: Rollout;
  /** Service of the stable pods (`<name>-stable`). */
  public readonly stableService: Service;
  /** Service of the canary pods (`<name>-canary`). */
  public readonly canaryService: Service;
  /** The VirtualService the Rollout steers (named like the workload). */
  public readonly virtualService: VirtualService;
  /** The DestinationRule, in subset mode. */
  public readonly destinationRule?: DestinationRule;
  /** The analysis template, unless the analysis is `none()`. */
  public readonly analysisTemplate?: IAnalysisTemplate;
  /** The analysis as a step, for custom step lists. */
  public readonly analysisStep?: CanaryStep;
  /** The autoscaler that scales the Rollout, if any. */
  public readonly hpa?: HorizontalPodAutoscaler;

  constructor(scope: Construct, id: string, props: CanaryDeliveryProps) {
    super(scope, constructId(scope, id, 'CanaryDelivery', "new CanaryDelivery(scope, 'Main', …)"));
    const w = props.workload;
    const name = w.name;
    const routing = props.routing ?? CanaryRouting.byServices();
    const weights = props.weights ?? [20, 50, 80];
    // Argo accepts setWeight 0 (e.g. a first step that only starts the canary pods), so 0 is a valid weight here too
    checkProps(this, { ...props, workload: undefined }, [
      ...weights.flatMap((x, i) => intViolations(`weights[${i}]`, x, { ...PERCENT, rangeRule: 'canary-set-weight', fix: 'use whole weights from 0 to 100' })),
      ...(props.hosts ?? []).flatMap((h, i) => hostViolations(`hosts[${i}]`, h)),
    ]);

    this.stableService = siblingService(this, 'StableService', w, `${name}-stable`);
    this.canaryService = siblingService(this, 'CanaryService', w, `${name}-canary`);

    const host = w.service.name;
    const subsets = routing.mode === 'subsets';
    if (subsets) {
      this.destinationRule = new DestinationRule(this, 'DestinationRule', {
        name,
        host,
        trafficPolicy: routing.trafficPolicy,
        subsets: [{ name: 'stable', labels: w.selectorLabels }, { name: 'canary', labels: w.selectorLabels }],
      });
    }
    this.virtualService = new VirtualService(this, 'VirtualService', {
      name,
      hosts: [host, ...(props.hosts ?? [])],
      gateways: props.gateways ? ['mesh', ...props.gateways] : undefined,
      http: [{
        name: PRIMARY_ROUTE,
        route: subsets
          ? [{ destination: { host, subset: 'stable', port: w.servicePort }, weight: 100 }, { destination: { host, subset: 'canary', port: w.servicePort }, weight: 0 }]
          : [{ destination: { host: this.stableService.name, port: w.servicePort }, weight: 100 }, { destination: { host: this.canaryService.name, port: w.servicePort }, weight: 0 }],
        timeout: props.timeout,
        retries: props.retries,
      }],
    });

    const bound = (props.analysis ?? DeliveryAnalysis.successRate())._bind(this, 'Analysis', name, subsets ? host : this.canaryService.name);
    this.analysisTemplate = bound?.template;
    this.analysisStep = bound ? CanaryStep.analysis({ templates: [bound.template], args: bound.args }) : undefined;
    const header = props.headerRoute ? [CanaryStep.setHeaderRoute(HEADER_ROUTE, [props.headerRoute])] : [];
    const steps = [...header, ...props.steps ?? weights.flatMap((x) => [
      CanaryStep.setWeight(x),
      CanaryStep.pause(props.pauseBetween ?? Duration.minutes(1)),
      ...(this.analysisStep ? [this.analysisStep] : []),
    ])];
    const background: BackgroundAnalysisProps | undefined = bound && props.backgroundAnalysis
      ? { templates: [bound.template], args: bound.args, startingStep: 1 } : undefined;

    const pods = takeOver(w, props.podSource ?? PodSource.workloadRef(), props.autoscaling !== undefined);
    this.rollout = new Rollout(this, 'Rollout', {
      name,
      ...pods,
      selector: w.selectorLabels,
      revisionHistoryLimit: w.deployment.revisionHistoryLimit,
      strategy: RolloutStrategy.canary({
        canaryService: this.canaryService,
        stableService: this.stableService,
        steps,
        analysis: background,
        trafficRouting: TrafficRouting.istio({
          virtualService: { virtualService: this.virtualService, routes: [PRIMARY_ROUTE] },
          destinationRule: this.destinationRule
            ? { destinationRule: this.destinationRule, canarySubsetName: 'canary', stableSubsetName: 'stable' } : undefined,
          managedRoutes: props.headerRoute ? [HEADER_ROUTE, ...(props.managedRoutes ?? [])] : props.managedRoutes,
        }),
      }),
    });
    this.hpa = autoscaleRollout(this, w, this.rollout, props.autoscaling);
    if (w.ingress) routeIngressThroughMesh(this, w, props.ingress);
  }
}

/** Keeps the canary weights for traffic entering through the workload's Ingress, or refuses the bypass. */
function routeIngressThroughMesh(scope: Construct, w: Microservice, mode: CanaryIngress | undefined): void {
  const ingress = w.ingress!;
  const className = ApiObject.of(ingress).toJson().spec?.ingressClassName;
  if (!mode) {
    fail(scope, 'canary-ingress-bypass', `Ingress ${show(ingress.name)} (class ${show(className)}) sends requests straight to the pods of Service ${show(w.service.name)}: it bypasses the VirtualService weights, so the canary gets a pod-count share of public traffic that no step controls`,
      "pass ingress: CanaryIngress.throughMesh() (ingress-nginx with an Istio sidecar), or enter through an Istio Gateway with the gateways and hosts options and drop the Microservice's ingress");
  }
  if (className !== 'nginx') {
    fail(scope, 'canary-ingress-bypass', `Ingress ${show(ingress.name)} has class ${show(className)}: CanaryIngress.throughMesh() writes ingress-nginx annotations only`,
      "use the nginx class, or enter through an Istio Gateway with the gateways and hosts options and drop the Microservice's ingress");
  }
  const namespace = Chart.of(w).namespace;
  if (!namespace) {
    fail(scope, 'canary-ingress-bypass', `Ingress ${show(ingress.name)}: the upstream host needs the namespace of Service ${show(w.service.name)}, and its chart sets none`,
      'give the chart a namespace (new Chart(app, id, { namespace }))');
  }
  ingress.metadata.addAnnotation('nginx.ingress.kubernetes.io/service-upstream', 'true');
  ingress.metadata.addAnnotation('nginx.ingress.kubernetes.io/upstream-vhost', `${w.service.name}.${namespace}.svc.cluster.local`);
}
