import { Construct } from 'constructs';
import { fail, show, constructId } from '../../core';
import { ExternalObject } from '../references';
import { DestinationRule } from './destination-rule';
import { Gateway, GatewayProtocol, ServerTlsMode } from './gateway';
import { ServiceEntry, ServiceEntryLocation, ServiceEntryResolution } from './service-entry';
import { VirtualService } from './virtual-service';
import { checkProps } from '../values';
import type { IstioObjectProps } from './istio-object';

/** Props of {@link EgressGateway}. */
export interface EgressGatewayProps extends IstioObjectProps {
  /** The object names (ServiceEntry `<name>`, Gateway / DestinationRule / VirtualService `<name>-egress`). */
  readonly name: string;
  /** The external host, e.g. `api.stripe.com`. */
  readonly host: string;
  /**
   * The TLS port (the traffic stays TLS end to end: the gateway routes by SNI, passthrough).
   * @default 443
   */
  readonly port?: number;
  /**
   * Labels of Istio's egress gateway pods.
   * @default { istio: 'egressgateway' }
   */
  readonly gatewaySelector?: Record<string, string>;
  /**
   * The egress gateway's Service host.
   * @default 'istio-egressgateway.istio-system.svc.cluster.local'
   */
  readonly gatewayHost?: string;
}

/**
 * Egress through Istio's egress gateway, as Istio documents it for HTTPS: a ServiceEntry for the external host, a
 * Gateway on the egress gateway pods (TLS passthrough), a DestinationRule subset for the gateway, and the
 * VirtualService pair that sends sidecar traffic for the host to the gateway and the gateway's traffic out.
 * Istio's egress gateway itself (pods and Service) is declared as living outside the app. Pair it with a
 * `Sidecar` in `REGISTRY_ONLY` mode so nothing leaves the mesh another way.
 */
export class EgressGateway extends Construct {
  /** The ServiceEntry for the external host. */
  public readonly serviceEntry: ServiceEntry;
  /** The Gateway on the egress gateway pods. */
  public readonly gateway: Gateway;
  /** The DestinationRule with the gateway subset. */
  public readonly destinationRule: DestinationRule;
  /** The VirtualService pair (mesh → gateway → host). */
  public readonly virtualService: VirtualService;

  constructor(scope: Construct, id: string, props: EgressGatewayProps) {
    super(scope, constructId(scope, id, 'EgressGateway', "new EgressGateway(scope, 'Main', …)"));
    checkProps(this, props);
    const port = props.port ?? 443;
    if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      fail(this, 'istio-egress-gateway', `port ${show(port)}: port number ${port} must be in the range 1..65535`, 'use the TLS port of the external host, e.g. 443');
    }
    if (props.host.includes('*')) {
      fail(this, 'istio-egress-gateway', `host ${show(props.host)}: a wildcard host cannot be routed by SNI through the egress gateway without a dynamic forward proxy`, 'name one external host per EgressGateway');
    }
    const gatewayHost = props.gatewayHost ?? 'istio-egressgateway.istio-system.svc.cluster.local';
    const selector = props.gatewaySelector ?? { istio: 'egressgateway' };
    // installed with Istio, not by this app
    ExternalObject.pods(this, 'GatewayPods', selector, 'istio-system');
    ExternalObject.hosts(this, 'GatewayService', [gatewayHost]);
    const gatewayName = `${props.name}-egress`;
    this.serviceEntry = new ServiceEntry(this, 'ServiceEntry', {
      name: props.name, namespace: props.namespace, hosts: [props.host], ports: [{ number: port, name: 'tls', protocol: 'TLS' }],
      resolution: ServiceEntryResolution.DNS, location: ServiceEntryLocation.MESH_EXTERNAL,
    });
    this.gateway = new Gateway(this, 'Gateway', {
      name: gatewayName, namespace: props.namespace, selector,
      servers: [{ port, protocol: GatewayProtocol.TLS, portName: 'tls', hosts: [props.host], tls: { mode: ServerTlsMode.PASSTHROUGH } }],
    });
    this.destinationRule = new DestinationRule(this, 'DestinationRule', { name: gatewayName, namespace: props.namespace, host: gatewayHost, subsets: [{ name: props.name }] });
    this.virtualService = new VirtualService(this, 'VirtualService', {
      name: gatewayName, namespace: props.namespace, hosts: [props.host], gateways: ['mesh', gatewayName],
      tls: [
        { gateways: ['mesh'], port, sniHosts: [props.host], route: [{ destination: { host: gatewayHost, subset: props.name, port } }] },
        { gateways: [gatewayName], port, sniHosts: [props.host], route: [{ destination: { host: props.host, port } }] },
      ],
    });
  }
}
