import { Duration, RuleViolation, assertValue, checkValue, wholeSeconds } from '../../core';
import { IResourceRef, Json, compact } from './common';
import { PORT, intViolations } from '../values';

/** The Gateway API traffic-router plugin's registered name. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** Options every traffic router shares. */
export interface TrafficRoutingOptions {
  /**
   * Routes the controller adds for setHeaderRoute/setMirrorRoute steps, highest precedence first.
   * @default - none
   */
  readonly managedRoutes?: string[];
  /**
   * The weight that means "all traffic" (NGINX and plugins only).
   * @default 100
   */
  readonly maxTrafficWeight?: number;
}

/** A TLS route of a VirtualService, found by port and SNI hosts. */
export interface IstioTlsRoute {
  /**
   * The route's port.
   * @default - any
   */
  readonly port?: number;
  /**
   * SNI hosts the route matches.
   * @default - any
   */
  readonly sniHosts?: string[];
}

/** A TCP route of a VirtualService, found by port. */
export interface IstioTcpRoute {
  /** The route's port. */
  readonly port: number;
}

/** A VirtualService the Rollout steers. */
export interface IstioVirtualServiceRef {
  /** The VirtualService (a construct, or `{ name }` for one created elsewhere). */
  readonly virtualService: IResourceRef;
  /**
   * Names of the HTTP routes to steer.
   * @default - the single HTTP route outside managedRoutes
   */
  readonly routes?: string[];
  /**
   * TLS routes to steer, by port and SNI hosts.
   * @default - none
   */
  readonly tlsRoutes?: IstioTlsRoute[];
  /**
   * TCP routes to steer, by port.
   * @default - none
   */
  readonly tcpRoutes?: IstioTcpRoute[];
}

/** Subset-level splitting: one Service, two DestinationRule subsets. */
export interface IstioDestinationRuleRef {
  /** The DestinationRule (a construct, or `{ name }`). */
  readonly destinationRule: IResourceRef;
  /** Subset that selects the canary pods. */
  readonly canarySubsetName: string;
  /** Subset that selects the stable pods. */
  readonly stableSubsetName: string;
}

/** Props of {@link TrafficRouting.istio}. */
export interface IstioTrafficRoutingProps extends TrafficRoutingOptions {
  /**
   * The VirtualService to steer.
   * @default - none; set this or virtualServices
   */
  readonly virtualService?: IstioVirtualServiceRef;
  /**
   * Several VirtualServices to steer together.
   * @default - none
   */
  readonly virtualServices?: IstioVirtualServiceRef[];
  /**
   * Split by DestinationRule subsets instead of by canary/stable Services.
   * @default - host-level split by Services
   */
  readonly destinationRule?: IstioDestinationRuleRef;
}

/** Props of {@link TrafficRouting.nginx}. */
export interface NginxTrafficRoutingProps extends TrafficRoutingOptions {
  /**
   * The Ingress that routes to the stable Service.
   * @default - none; set this or stableIngresses
   */
  readonly stableIngress?: IResourceRef;
  /**
   * Several stable Ingresses.
   * @default - none
   */
  readonly stableIngresses?: IResourceRef[];
  /**
   * Prefix of the NGINX annotations.
   * @default 'nginx.ingress.kubernetes.io'
   */
  readonly annotationPrefix?: string;
  /**
   * Extra canary annotations (e.g. `canary-by-header`).
   * @default - none
   */
  readonly additionalIngressAnnotations?: Record<string, string>;
}

/** Props of {@link TrafficRouting.alb}. */
export interface AlbTrafficRoutingProps extends TrafficRoutingOptions {
  /**
   * The Ingress.
   * @default - none; set this or ingresses
   */
  readonly ingress?: IResourceRef;
  /**
   * Several Ingresses.
   * @default - none
   */
  readonly ingresses?: IResourceRef[];
  /** The Service port the Ingress uses. */
  readonly servicePort: number;
  /**
   * The Service the Ingress routes to, when not the stable Service.
   * @default - the stable Service
   */
  readonly rootService?: IResourceRef;
  /**
   * Keep a client on the target group (stable or canary) it first reached, for this long (1 s to 7 days).
   * @default - no stickiness
   */
  readonly stickiness?: Duration;
}

/** Props of {@link TrafficRouting.gatewayApi}. */
export interface GatewayApiTrafficRoutingProps extends TrafficRoutingOptions {
  /**
   * HTTPRoutes whose backendRefs (stable and canary Services) the plugin weighs.
   * @default - none; set this or grpcRoutes/tcpRoutes
   */
  readonly httpRoutes?: string[];
  /**
   * GRPCRoutes to weigh.
   * @default - none
   */
  readonly grpcRoutes?: string[];
  /**
   * TCPRoutes to weigh.
   * @default - none
   */
  readonly tcpRoutes?: string[];
  /**
   * Namespace of the routes.
   * @default - the Rollout's namespace
   */
  readonly namespace?: string;
}

/** Props of {@link TrafficRouting.smi}. */
export interface SmiTrafficRoutingProps extends TrafficRoutingOptions {
  /**
   * The Service clients call.
   * @default - the stable Service
   */
  readonly rootService?: IResourceRef;
  /**
   * Name of the TrafficSplit the controller creates.
   * @default - the Rollout's name
   */
  readonly trafficSplitName?: string;
}

/** Props of {@link TrafficRouting.appMesh}. */
export interface AppMeshTrafficRoutingProps extends TrafficRoutingOptions {
  /** The App Mesh VirtualService. */
  readonly virtualService: string;
  /**
   * Routes of its VirtualRouter to steer.
   * @default - all
   */
  readonly routes?: string[];
  /** VirtualNode of the canary pods. */
  readonly canaryVirtualNode: string;
  /** VirtualNode of the stable pods. */
  readonly stableVirtualNode: string;
}

/** How a canary Rollout shifts traffic (instead of only scaling ReplicaSets). */
export class TrafficRouting {
  /** Istio: weights on a VirtualService's routes, by Service host or by DestinationRule subset. */
  public static istio(props: IstioTrafficRoutingProps): TrafficRouting {
    const vs = (r: IstioVirtualServiceRef): Json => compact({
      name: r.virtualService.name,
      routes: r.routes,
      tlsRoutes: r.tlsRoutes?.map((t) => compact({ ...t })),
      tcpRoutes: r.tcpRoutes?.map((t) => ({ ...t })),
    });
    const refs = [
      ...(props.virtualService ? [props.virtualService.virtualService] : []),
      ...(props.virtualServices ?? []).map((r) => r.virtualService),
      ...(props.destinationRule ? [props.destinationRule.destinationRule] : []),
    ];
    const ports = [props.virtualService, ...props.virtualServices ?? []].flatMap((r, i) => [
      ...(r?.tlsRoutes ?? []).flatMap((t, j) => intViolations(`istio virtualServices[${i}].tlsRoutes[${j}].port`, t.port, PORT)),
      ...(r?.tcpRoutes ?? []).flatMap((t, j) => intViolations(`istio virtualServices[${i}].tcpRoutes[${j}].port`, t.port, PORT)),
    ]);
    return new TrafficRouting(props, {
      istio: compact({
        virtualService: props.virtualService ? vs(props.virtualService) : undefined,
        virtualServices: props.virtualServices?.map(vs),
        destinationRule: props.destinationRule ? {
          name: props.destinationRule.destinationRule.name,
          canarySubsetName: props.destinationRule.canarySubsetName,
          stableSubsetName: props.destinationRule.stableSubsetName,
        } : undefined,
      }),
    }, refs, ports);
  }

  /** NGINX Ingress: the controller clones the stable Ingress as a weighted canary Ingress. */
  public static nginx(props: NginxTrafficRoutingProps): TrafficRouting {
    return new TrafficRouting(props, {
      nginx: compact({
        stableIngress: props.stableIngress?.name,
        stableIngresses: props.stableIngresses?.map((i) => i.name),
        annotationPrefix: props.annotationPrefix,
        additionalIngressAnnotations: props.additionalIngressAnnotations,
      }),
    }, [...(props.stableIngress ? [props.stableIngress] : []), ...(props.stableIngresses ?? [])]);
  }

  /** AWS ALB Ingress: weighted target groups. */
  public static alb(props: AlbTrafficRoutingProps): TrafficRouting {
    const checks = () => {
      wholeSeconds(props.stickiness);
      return intViolations('alb servicePort', props.servicePort, PORT);
    };
    // rendered late: a stickiness that is not whole seconds is kept as the refusal, never rendered
    return new TrafficRouting(props, () => ({
      alb: compact({
        ingress: props.ingress?.name,
        ingresses: props.ingresses?.map((i) => i.name),
        servicePort: props.servicePort,
        rootService: props.rootService?.name,
        stickinessConfig: props.stickiness ? { enabled: true, durationSeconds: wholeSeconds(props.stickiness) } : undefined,
      }),
    }), [...(props.ingress ? [props.ingress] : []), ...(props.ingresses ?? [])], checks);
  }

  /**
   * Kubernetes Gateway API through the `argoproj-labs/gatewayAPI` traffic-router plugin Argo documents: the plugin
   * sets the stable and canary Service weights of the named HTTPRoutes (or GRPC/TCP routes). Register the plugin
   * in the controller's `argo-rollouts-config` ConfigMap.
   */
  public static gatewayApi(props: GatewayApiTrafficRoutingProps): TrafficRouting {
    // one route is the plugin's `httpRoute: name` form, several its `httpRoutes: [{ name }]` form
    const routes = (kind: string, list: string[] | undefined): Json => (!list || list.length === 0 ? {}
      : list.length === 1 ? { [`${kind}Route`]: list[0] } : { [`${kind}Routes`]: list.map((name) => ({ name })) });
    const config = compact({ ...routes('http', props.httpRoutes), ...routes('grpc', props.grpcRoutes), ...routes('tcp', props.tcpRoutes), namespace: props.namespace });
    return new TrafficRouting(props, { plugins: { [GATEWAY_API_PLUGIN]: config } }, []);
  }

  /** SMI: the controller writes a TrafficSplit for the root Service. */
  public static smi(props: SmiTrafficRoutingProps = {}): TrafficRouting {
    return new TrafficRouting(props, { smi: compact({ rootService: props.rootService?.name, trafficSplitName: props.trafficSplitName }) }, []);
  }

  /** Ambassador: the controller clones each Mapping as a weighted canary Mapping (the Mappings must not set weight). */
  public static ambassador(mappings: string[], options: TrafficRoutingOptions = {}): TrafficRouting {
    return new TrafficRouting(options, { ambassador: { mappings } }, []);
  }

  /** Traefik: weights on a weighted TraefikService. */
  public static traefik(weightedTraefikServiceName: string, options: TrafficRoutingOptions = {}): TrafficRouting {
    return new TrafficRouting(options, { traefik: { weightedTraefikServiceName } }, []);
  }

  /** Apache APISIX: weights on an ApisixRoute (optionally only some of its rules). */
  public static apisix(routeName: string, rules?: string[], options: TrafficRoutingOptions = {}): TrafficRouting {
    return new TrafficRouting(options, { apisix: { route: compact({ name: routeName, rules }) } }, []);
  }

  /** AWS App Mesh: weights on a VirtualRouter's routes between the canary and stable VirtualNodes. */
  public static appMesh(props: AppMeshTrafficRoutingProps): TrafficRouting {
    return new TrafficRouting(props, {
      appMesh: {
        virtualService: compact({ name: props.virtualService, routes: props.routes }),
        virtualNodeGroup: { canaryVirtualNodeRef: { name: props.canaryVirtualNode }, stableVirtualNodeRef: { name: props.stableVirtualNode } },
      },
    }, []);
  }

  /** A traffic-router plugin, configured by the plugin's own schema. */
  public static plugin(name: string, config: Json, options: TrafficRoutingOptions = {}): TrafficRouting {
    return new TrafficRouting(options, { plugins: { [name]: config } }, []);
  }

  private constructor(private readonly options: TrafficRoutingOptions, private readonly router: Json | (() => Json),
    /** The objects the router names (for synth-time reference checks). */
    public readonly references: IResourceRef[], violations: RuleViolation[] | (() => RuleViolation[]) = []) {
    // a refusal stays on the routing; the Rollout that takes it throws it with its path
    checkValue(this, () => assertValue(undefined, [
      ...intViolations('maxTrafficWeight', options.maxTrafficWeight),
      ...(typeof violations === 'function' ? violations() : violations),
    ]));
  }

  /** The `trafficRouting` object. */
  public toJson(): Json {
    // the router key stays even when empty (`smi: {}` is a valid router with defaults)
    return {
      ...(typeof this.router === 'function' ? this.router() : this.router),
      ...compact({
        managedRoutes: this.options.managedRoutes?.map((name) => ({ name })),
        maxTrafficWeight: this.options.maxTrafficWeight,
      }),
    };
  }
}
