import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, show, constructId, NameForm, nameViolations } from '../../core';
import { Json, compact } from '../rollouts/common';
import { istioResource, IstioObjectProps } from './istio-object';
import { checkProps, metadataViolations } from '../values';

/** Props of {@link WorkloadEntry}. */
export interface WorkloadEntryProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** IP address or DNS name of the VM or bare-metal host. */
  readonly address: string;
  /**
   * Labels, so a ServiceEntry's `workloadSelector` (or a Service) selects the entry.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Port names of the service mapped to the host's ports.
   * @default - the service ports as they are
   */
  readonly ports?: Record<string, number>;
  /**
   * The ServiceAccount identity the host's proxy presents.
   * @default - none (no mTLS identity)
   */
  readonly serviceAccount?: string;
  /**
   * Network the host is on (multi-network meshes).
   * @default - the same network
   */
  readonly network?: string;
  /**
   * Locality `region/zone/subzone`.
   * @default - none
   */
  readonly locality?: string;
  /**
   * Load-balancing weight among the endpoints.
   * @default 1
   */
  readonly weight?: number;
}

/** istiod's WorkloadEntry checks. */
function workloadEntryViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  const v = (message: string, fix: string) => out.push({ rule: 'istio-workload-entry', message, fix });
  if (!spec.address && !spec.network) v('address is required', 'set the IP address or DNS name of the host');
  for (const [name, port] of Object.entries(spec.ports ?? {}) as Array<[string, number]>) {
    if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) v(`ports ${show(name)} ${show(port)}: port number ${port} must be in the range 1..65535`, 'use a port from 1 to 65535');
  }
  if (spec.weight !== undefined && !(Number.isInteger(spec.weight) && spec.weight >= 0)) v(`weight ${show(spec.weight)}: must be a whole number >= 0`, 'use a whole weight');
  return out;
}

/** An Istio `WorkloadEntry` (networking.istio.io/v1): a VM or bare-metal host taking part in the mesh as an endpoint. */
export class WorkloadEntry extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;
  /** The entry's labels (a ServiceEntry's workloadSelector matches them). */
  public readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkloadEntryProps) {
    super(scope, constructId(scope, id, 'WorkloadEntry', "new WorkloadEntry(scope, 'Main', …)"));
    checkProps(this, props, [...metadataViolations({ labels: props.labels }),
      ...(props.serviceAccount === undefined ? [] : nameViolations('serviceAccount', props.serviceAccount, NameForm.DNS_SUBDOMAIN))]);
    this.labels = { ...(props.labels ?? {}) };
    this.resource = istioResource(this, 'networking.istio.io', 'WorkloadEntry', props, () => compact({
      address: props.address, labels: props.labels, ports: props.ports, serviceAccount: props.serviceAccount,
      network: props.network, locality: props.locality, weight: props.weight,
    }), workloadEntryViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
