import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, addRules, constructId, labelViolations } from '../../core';
import { Json, compact } from '../rollouts/common';
import { serviceEntryViolations } from './validation';
import { checkReferencesOf } from '../references';
import { istioApiVersion, IstioObjectProps } from './istio-object';
import { PORT, checkProps, hostViolations, intViolations, metadataViolations } from '../values';

/** Whether the service is inside the mesh. */
export enum ServiceEntryLocation {
  /** Outside the mesh (an external API). */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Inside the mesh (e.g. VMs). */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/** How endpoints are found. */
export enum ServiceEntryResolution {
  /** Use the destination address of the connection. */
  NONE = 'NONE',
  /** Use the listed endpoint addresses. */
  STATIC = 'STATIC',
  /** Resolve the hosts (or endpoints) by DNS. */
  DNS = 'DNS',
  /** Resolve by DNS, one address at a time. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
}

/** A port of a ServiceEntry. */
export interface ServiceEntryPort {
  /** Port number. */
  readonly number: number;
  /** Protocol (`HTTP`, `HTTPS`, `TCP`, `TLS`, `GRPC`, …). */
  readonly protocol: string;
  /** Port name (unique). */
  readonly name: string;
  /**
   * Endpoint port.
   * @default - the same number
   */
  readonly targetPort?: number;
}

/** An endpoint of a ServiceEntry. */
export interface ServiceEntryEndpoint {
  /** IP address or host name. */
  readonly address: string;
  /**
   * Port numbers by port name.
   * @default - the entry's ports
   */
  readonly ports?: Record<string, number>;
  /**
   * Labels (for subsets).
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** Props of {@link ServiceEntry}. */
export interface ServiceEntryProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Hosts of the service.
   * @default - none; at least one is needed
   */
  readonly hosts?: string[];
  /**
   * Virtual IPs.
   * @default - none
   */
  readonly addresses?: string[];
  /**
   * Ports.
   * @default - none
   */
  readonly ports?: ServiceEntryPort[];
  /**
   * Inside or outside the mesh.
   * @default ServiceEntryLocation.MESH_EXTERNAL
   */
  readonly location?: ServiceEntryLocation;
  /**
   * Endpoint resolution.
   * @default ServiceEntryResolution.NONE
   */
  readonly resolution?: ServiceEntryResolution;
  /**
   * Endpoints (addresses with optional port map and labels).
   * @default - none
   */
  readonly endpoints?: ServiceEntryEndpoint[];
  /**
   * Namespaces the entry is visible to.
   * @default - all
   */
  readonly exportTo?: string[];
  /**
   * Labels of the pods or WorkloadEntries that are the endpoints (instead of `endpoints`).
   * @default - none
   */
  readonly workloadSelector?: Record<string, string>;
}

/** An Istio `ServiceEntry`: adds an external (or VM) service to the mesh registry. */
export class ServiceEntry extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceEntryProps = {}) {
    super(scope, constructId(scope, id, 'ServiceEntry', "new ServiceEntry(scope, 'Main', …)"));
    checkProps(this, props, [
      ...metadataViolations({ name: props.name, namespace: props.namespace, labels: props.workloadSelector }),
      ...(props.hosts ?? []).flatMap((h, i) => hostViolations(`hosts[${i}]`, h)),
      ...(props.ports ?? []).flatMap((p, i) => [...intViolations(`ports[${i}].number`, p.number, PORT), ...intViolations(`ports[${i}].targetPort`, p.targetPort, PORT)]),
      ...(props.endpoints ?? []).flatMap((e, i) => [...labelViolations(e.labels, `endpoints[${i}] label`),
        ...Object.entries(e.ports ?? {}).flatMap(([n, p]) => intViolations(`endpoints[${i}].ports ${JSON.stringify(n)}`, p, PORT))]),
    ]);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: istioApiVersion(this, 'networking.istio.io'),
      kind: 'ServiceEntry',
      metadata: compact({ name: props.name, namespace: props.namespace }),
      spec: Lazy.any({
        produce: (): Json => compact({
          hosts: props.hosts,
          addresses: props.addresses,
          ports: props.ports?.map((p) => compact({ ...p })),
          location: props.location,
          resolution: props.resolution,
          endpoints: props.endpoints?.map((e) => compact({ ...e })),
          workloadSelector: props.workloadSelector ? { labels: { ...props.workloadSelector } } : undefined,
          exportTo: props.exportTo,
        }),
      }),
    });
    checkReferencesOf(this);
    addRules(this, () => serviceEntryViolations(FinalDocument.of(this.resource).spec ?? {}));
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
