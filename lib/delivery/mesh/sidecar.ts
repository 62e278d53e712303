import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, show, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { istioResource, IstioObjectProps } from './istio-object';
import { checkProps } from '../values';

/** What a sidecar does with traffic to hosts it does not know. */
export enum OutboundTrafficPolicy {
  /** Only hosts in the registry (Services, ServiceEntries) are reachable: the egress allow-list. */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Unknown hosts are passed through. */
  ALLOW_ANY = 'ALLOW_ANY',
}

/** Hosts a sidecar may reach, optionally on one port. */
export interface SidecarEgress {
  /**
   * Hosts as `namespace/dnsName`: `./*` (own namespace), `istio-system/*`, `*\/api.example.com`.
   */
  readonly hosts: string[];
  /**
   * Only this port.
   * @default - every port
   */
  readonly port?: { readonly number: number; readonly protocol: string; readonly name: string };
}

/** Props of {@link Sidecar}. */
export interface SidecarProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Labels of the workloads it applies to.
   * @default - every workload of the namespace without a more specific Sidecar
   */
  readonly workloadSelector?: Record<string, string>;
  /**
   * Reachable hosts (smaller proxy configuration, and with REGISTRY_ONLY an egress allow-list).
   * @default - every host of the mesh
   */
  readonly egress?: SidecarEgress[];
  /**
   * Traffic to unknown hosts.
   * @default - the mesh's setting (ALLOW_ANY unless changed)
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;
}

const NS_HOST = /^(\*|\.|~|[a-z0-9]([-a-z0-9]*[a-z0-9])?)\/(\*|\*?[a-zA-Z0-9.*-]+)$/;

/** istiod's `validateSidecar` checks. */
function sidecarViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  const v = (message: string, fix: string) => out.push({ rule: 'istio-sidecar', message, fix });
  if ((spec.egress ?? []).length === 0 && (spec.ingress ?? []).length === 0 && !spec.outboundTrafficPolicy && !spec.inboundConnectionPool) {
    v('sidecar: empty configuration provided', 'add egress hosts or an outbound traffic policy');
  }
  (spec.egress ?? []).forEach((e: Json, i: number) => {
    if ((e.hosts ?? []).length === 0) v(`egress[${i}]: sidecar: egress listener must contain at least one host`, "add hosts such as './*' and 'istio-system/*'");
    for (const h of e.hosts ?? []) {
      if (!NS_HOST.test(h)) v(`egress[${i}] host ${show(h)}: host must be of form namespace/dnsName`, "write './*', 'istio-system/*' or '*/api.example.com'");
    }
    const n = e.port?.number;
    if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 65535)) v(`egress[${i}].port.number ${show(n)}: port number ${n} must be in the range 1..65535`, 'use a port from 1 to 65535');
  });
  if (spec.outboundTrafficPolicy?.egressProxy && spec.outboundTrafficPolicy.mode !== 'ALLOW_ANY') {
    v('outboundTrafficPolicy: sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode', 'use ALLOW_ANY or drop egressProxy');
  }
  return out;
}

/**
 * An Istio `Sidecar` (networking.istio.io/v1): which hosts a workload's proxy knows, and with
 * `OutboundTrafficPolicy.REGISTRY_ONLY` the egress allow-list (everything else gets 502).
 */
export class Sidecar extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  private readonly egress: SidecarEgress[];

  constructor(scope: Construct, id: string, props: SidecarProps = {}) {
    super(scope, constructId(scope, id, 'Sidecar', "new Sidecar(scope, 'Main', …)"));
    checkProps(this, props);
    this.egress = [...(props.egress ?? [])];
    this.resource = istioResource(this, 'networking.istio.io', 'Sidecar', props, () => compact({
      workloadSelector: props.workloadSelector ? { labels: { ...props.workloadSelector } } : undefined,
      egress: this.egress.map((e) => compact({ hosts: e.hosts, port: e.port ? { ...e.port } : undefined })),
      outboundTrafficPolicy: props.outboundTrafficPolicy ? { mode: props.outboundTrafficPolicy } : undefined,
    }), sidecarViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }

  /** Adds reachable hosts. */
  public addEgress(egress: SidecarEgress): this {
    this.egress.push(egress);
    return this;
  }
}
