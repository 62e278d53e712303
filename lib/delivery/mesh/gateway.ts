import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, addRules, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { gatewayViolations } from './validation';
import { checkReferencesOf } from '../references';
import { istioApiVersion, IstioObjectProps } from './istio-object';
import { PORT, checkProps, hostViolations, intViolations, metadataViolations } from '../values';

/** Protocols a Gateway port can serve. */
export enum GatewayProtocol {
  /** HTTP/1.1, HTTP/2. */
  HTTP = 'HTTP',
  /** HTTP over TLS (needs tls). */
  HTTPS = 'HTTPS',
  /** gRPC. */
  GRPC = 'GRPC',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** Opaque TCP. */
  TCP = 'TCP',
  /** TLS (routed by SNI; needs tls). */
  TLS = 'TLS',
}

/** TLS modes a Gateway server offers. */
export enum ServerTlsMode {
  /** Pass the TLS stream through, routed by SNI. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Terminate TLS with a server certificate. */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require client certificates. */
  MUTUAL = 'MUTUAL',
  /** SNI passthrough with Istio mTLS routing. */
  AUTO_PASSTHROUGH = 'AUTO_PASSTHROUGH',
  /** Istio mutual TLS. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /** Client certificate optional. */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
}

/** TLS settings of a Gateway server. */
export interface ServerTls {
  /**
   * The TLS mode.
   * @default - none (plain text)
   */
  readonly mode?: ServerTlsMode;
  /**
   * Secret holding the certificate and key.
   * @default - none
   */
  readonly credentialName?: string;
  /**
   * Answer plain-text requests with a redirect to HTTPS.
   * @default false
   */
  readonly httpsRedirect?: boolean;
}

/** One listener of a Gateway. */
export interface GatewayServer {
  /** Port number. */
  readonly port: number;
  /** Protocol. */
  readonly protocol: GatewayProtocol;
  /** Port name (unique in the Gateway). */
  readonly portName: string;
  /** Hosts served (`*`, `example.com`, `ns/host`). */
  readonly hosts: string[];
  /**
   * TLS settings (required for HTTPS and TLS).
   * @default - none
   */
  readonly tls?: ServerTls;
}

/** Props of {@link Gateway}. */
export interface GatewayProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Labels of the gateway pods that serve it.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: Record<string, string>;
  /**
   * Listeners.
   * @default - none; add with addServer()
   */
  readonly servers?: GatewayServer[];
}

/** An Istio `Gateway`: the ports, hosts and TLS an ingress or egress gateway serves. */
export class Gateway extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  private readonly servers: GatewayServer[] = [];

  constructor(scope: Construct, id: string, private readonly props: GatewayProps = {}) {
    super(scope, constructId(scope, id, 'Gateway', "new Gateway(scope, 'Main', …)"));
    checkProps(this, { ...props, servers: undefined }, metadataViolations({ name: props.name, namespace: props.namespace, labels: props.selector }));
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: istioApiVersion(this, 'networking.istio.io'),
      kind: 'Gateway',
      metadata: compact({ name: props.name, namespace: props.namespace }),
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    for (const s of props.servers ?? []) this.addServer(s);
    checkReferencesOf(this);
    addRules(this, () => { const doc = FinalDocument.of(this.resource); return gatewayViolations(doc.spec ?? {}, doc.metadata?.name); });
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Adds a listener. */
  public addServer(server: GatewayServer): this {
    const at = `servers[${this.servers.length}]`;
    checkProps(this, server, [...intViolations(`${at}.port`, server.port, PORT),
      ...server.hosts.flatMap((h, i) => hostViolations(`${at}.hosts[${i}]`, h, true))]);
    this.servers.push(server);
    return this;
  }

  private renderSpec(): Json {
    return compact({
      selector: this.props.selector ?? { istio: 'ingressgateway' },
      servers: this.servers.map((s) => compact({
        port: { number: s.port, protocol: s.protocol, name: s.portName },
        hosts: s.hosts,
        tls: s.tls ? compact({ ...s.tls }) : undefined,
      })),
    });
  }
}
