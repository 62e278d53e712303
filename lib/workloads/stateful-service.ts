import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertProps, constructId, Duration, fail, Names, show } from '../core';
import { PORT, assertInteger } from './object-rules';
import { NAME_LABEL } from './microservice';
import { SecurePodOptions, securePodOptionsOf } from './secure-pod';
import { DisruptionLimit, PodDisruptionBudget, checkEvictable } from './pod-disruption-budget';
import { Probe } from './probe';
import { Service } from './service';
import { StatefulSet } from './stateful-set';

/** Props of {@link StatefulService}. */
export interface StatefulServiceProps extends SecurePodOptions {
  /** Container image, e.g. `mysql:8.4`. */
  readonly image: string;
  /**
   * Name of the StatefulSet, its headless Service and PDB.
   * @default - the construct id as a DNS label
   */
  readonly name?: string;
  /** Port the container listens on (e.g. 3306). */
  readonly port: number;
  /**
   * Name of the Service port.
   * @default 'tcp'
   */
  readonly portName?: string;
  /**
   * Replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Size of each pod's data volume.
   * @default Size.gibibytes(10)
   */
  readonly storage?: Size;
  /**
   * Where the data volume is mounted.
   * @default '/data'
   */
  readonly dataPath?: string;
  /**
   * StorageClass of the data volumes.
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
  /**
   * Access modes of the data volumes.
   * @default [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /**
   * Requests and limits.
   * @default DEFAULT_RESOURCES
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Readiness probe.
   * @default Probe.fromTcpSocket() on the port
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: kplus.Probe;
  /**
   * Startup probe.
   * @default Probe.fromTcpSocket() every 10 s for up to 10 minutes (databases recover slowly)
   */
  readonly startup?: kplus.Probe;
  /**
   * Environment variables.
   * @default - none
   */
  readonly envVariables?: Record<string, kplus.EnvValue>;
  /**
   * Whole ConfigMaps or Secrets as environment.
   * @default - none
   */
  readonly envFrom?: kplus.EnvFrom[];
  /**
   * More volume mounts (config files, secrets).
   * @default - data and /tmp only
   */
  readonly volumeMounts?: kplus.VolumeMount[];
  /**
   * Command.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Init containers, run in order before the app.
   * @default - none
   */
  readonly initContainers?: kplus.ContainerProps[];
  /**
   * Pod management.
   * @default kplus.PodManagementPolicy.ORDERED_READY (one pod at a time, in order)
   */
  readonly podManagementPolicy?: kplus.PodManagementPolicy;
  /**
   * Update strategy.
   * @default kplus.StatefulSetUpdateStrategy.rollingUpdate() (highest ordinal first, one at a time)
   */
  readonly updateStrategy?: kplus.StatefulSetUpdateStrategy;
  /**
   * Disruption budget.
   * @default DisruptionLimit.maxUnavailable(1) when replicas >= 2, otherwise none
   */
  readonly disruptionBudget?: DisruptionLimit;
  /**
   * Pod identity.
   * @default - the namespace's default ServiceAccount, token not mounted
   */
  readonly serviceAccount?: kplus.IServiceAccount;
}

/**
 * A stateful service in one call: a StatefulSet with a per-pod data volume (volumeClaimTemplates), its headless
 * Service for stable pod DNS names, and a PodDisruptionBudget when replicated. Every part is a public property.
 */
export class StatefulService extends Construct {
  /** Name shared by the StatefulSet, the headless Service and the PDB. */
  public readonly name: string;
  /** The StatefulSet. */
  public readonly statefulSet: StatefulSet;
  /** The main container. */
  public readonly container: kplus.Container;
  /** The headless governing Service. */
  public readonly service: Service;
  /** The disruption budget, if any. */
  public readonly pdb?: PodDisruptionBudget;
  /** The per-pod data volume (from the `data` volume claim template). */
  public readonly data: kplus.Volume;
  /** Labels that select the pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The container port. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, constructId(scope, id, 'StatefulService', "'db'"));
    assertProps(this, props);
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    Names.assertDnsLabel(this, 'stateful service name', this.name);
    this.port = props.port;
    assertInteger(this, 'port', this.port, PORT);
    const dataPath = props.dataPath ?? '/data';
    if (!dataPath.startsWith('/')) fail(this, 'mount-path', `dataPath ${show(dataPath)} is not absolute`, "use an absolute path such as '/var/lib/mysql'");
    this.selectorLabels = { [NAME_LABEL]: this.name };
    const replicas = props.replicas ?? 1;

    this.service = Service.headless(this, 'Service', {
      metadata: { name: this.name, labels: this.selectorLabels },
      ports: [{ name: props.portName ?? 'tcp', port: this.port, targetPort: this.port }],
      // Peers must find each other before they are ready (cluster bootstrap).
      publishNotReadyAddresses: true,
    });
    for (const [k, v] of Object.entries(this.selectorLabels)) this.service.selectLabel(k, v);

    this.statefulSet = new StatefulSet(this, 'StatefulSet', {
      metadata: { name: this.name, labels: this.selectorLabels },
      service: this.service,
      select: false,
      replicas,
      podManagementPolicy: props.podManagementPolicy,
      strategy: props.updateStrategy,
      ...securePodOptionsOf(props),
      serviceAccount: props.serviceAccount,
      initContainers: props.initContainers,
    });
    // ApiObject.of(statefulService) reaches the StatefulSet.
    this.node.defaultChild = this.statefulSet;
    this.statefulSet.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    for (const [k, v] of Object.entries(this.selectorLabels)) this.statefulSet.podMetadata.addLabel(k, v);
    this.data = this.statefulSet.addVolumeClaimTemplate({
      name: 'data', storage: props.storage ?? Size.gibibytes(10),
      storageClassName: props.storageClassName, accessModes: props.accessModes,
    });
    this.container = this.statefulSet.addContainer({
      name: 'app',
      image: props.image,
      portNumber: this.port,
      command: props.command,
      args: props.args,
      envVariables: props.envVariables,
      envFrom: props.envFrom,
      resources: props.resources,
      volumeMounts: [{ path: dataPath, volume: this.data }, ...(props.volumeMounts ?? [])],
      readiness: props.readiness ?? Probe.fromTcpSocket(),
      liveness: props.liveness,
      startup: props.startup ?? Probe.fromTcpSocket({ period: Duration.seconds(10), failureThreshold: 60 }),
    });

    if (props.disruptionBudget) checkEvictable(this, props.disruptionBudget, replicas);
    if (props.disruptionBudget || replicas >= 2) {
      this.pdb = new PodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name: this.name, labels: this.selectorLabels },
        selector: this.selectorLabels,
        limit: props.disruptionBudget,
      });
    }
  }

  /** `<name>-<n>.<name>.<namespace>.svc.cluster.local`: the stable DNS name of pod `ordinal`. */
  public podDnsName(ordinal: number): string {
    return this.statefulSet.podDnsName(ordinal);
  }
}
