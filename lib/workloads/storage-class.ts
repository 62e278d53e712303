import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FinalDocument, NameForm, Names, constructId, fail, show } from '../core';
import { checkObject } from './object-rules';
import { clusterScoped } from './cluster-scoped';

/** What happens to a dynamically provisioned volume when its claim is deleted. */
export enum ReclaimPolicy {
  /** Delete the volume and its data (Kubernetes default). */
  DELETE = 'Delete',
  /** Keep the volume for manual recovery. */
  RETAIN = 'Retain',
}

/** When a claim is bound and provisioned. */
export enum VolumeBindingMode {
  /** At once, before any pod uses it (Kubernetes default). */
  IMMEDIATE = 'Immediate',
  /** When the first pod using it is scheduled, so the volume lands in that pod's zone. */
  WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer',
}

/** Props of {@link StorageClass}. */
export interface StorageClassProps {
  /** The provisioner (a CSI driver name), e.g. `ebs.csi.aws.com` or `pd.csi.storage.gke.io`. */
  readonly provisioner: string;
  /**
   * Provisioner-specific parameters, e.g. `{ type: 'gp3' }`.
   * @default - none
   */
  readonly parameters?: Record<string, string>;
  /**
   * Reclaim policy of provisioned volumes.
   * @default ReclaimPolicy.DELETE
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * Binding mode.
   * @default VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER (zone-aware; Kubernetes' default is Immediate)
   */
  readonly volumeBindingMode?: VolumeBindingMode;
  /**
   * Whether claims may grow after creation.
   * @default false
   */
  readonly allowVolumeExpansion?: boolean;
  /**
   * Mount options for provisioned volumes.
   * @default - none
   */
  readonly mountOptions?: string[];
  /**
   * Where volumes may be provisioned (`allowedTopologies`): each entry is one term of label key → allowed values,
   * e.g. `[{ 'topology.kubernetes.io/zone': ['eu-west-1a', 'eu-west-1b'] }]`.
   * @default - anywhere
   */
  readonly allowedTopologies?: Record<string, string[]>[];
  /**
   * Mark as the cluster's default class (`storageclass.kubernetes.io/is-default-class`).
   * @default false
   */
  readonly isDefault?: boolean;
  /**
   * Object metadata.
   * @default - a generated name
   */
  readonly metadata?: ApiObjectMetadata;
}

/** A `storage.k8s.io/v1` StorageClass for dynamic provisioning (cdk8s-plus-28 has none). */
export class StorageClass extends Construct {
  /** The L1 object (`Resource`). */
  public readonly apiObject: kplus.k8s.KubeStorageClass;

  constructor(scope: Construct, id: string, props: StorageClassProps) {
    super(scope, constructId(scope, id, 'StorageClass', "'fast-ssd'"));
    if (!isQualifiedName(props.provisioner)) {
      fail(this, 'storage-class-provisioner', `provisioner ${show(props.provisioner)} is not a qualified name`,
        "use the CSI driver's name, e.g. 'ebs.csi.aws.com' (at most 63 characters after an optional DNS prefix and '/')");
    }
    const annotations = props.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined;
    // A StorageClass has no spec and is immutable once created, so its fields are fixed at construction.
    this.apiObject = new kplus.k8s.KubeStorageClass(this, 'Resource', {
      metadata: { ...props.metadata, annotations: { ...props.metadata?.annotations, ...annotations } },
      provisioner: props.provisioner,
      parameters: props.parameters,
      reclaimPolicy: props.reclaimPolicy ?? ReclaimPolicy.DELETE,
      volumeBindingMode: props.volumeBindingMode ?? VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER,
      allowVolumeExpansion: props.allowVolumeExpansion ?? false,
      mountOptions: props.mountOptions ? [...props.mountOptions] : undefined,
      allowedTopologies: props.allowedTopologies?.map((term) => ({
        matchLabelExpressions: Object.entries(term).map(([key, values]) => ({ key, values: [...values] })) })),
    });
    for (const term of props.allowedTopologies ?? []) {
      for (const [key, values] of Object.entries(term)) {
        if (values.length === 0) fail(this, 'storage-class-topology', `allowedTopologies key ${show(key)} has no values`, 'list at least one value, e.g. a zone name');
      }
    }
    checkObject(this, 'StorageClass', NameForm.DNS_SUBDOMAIN, props);
    FinalDocument.enable(this);
    clusterScoped(this.apiObject);
  }

  /** The class name claims refer to (`storageClassName`). */
  public get name(): string {
    return this.apiObject.name;
  }
}

function isQualifiedName(s: string): boolean {
  const parts = s.split('/');
  const name = parts[parts.length - 1];
  if (parts.length > 2 || (parts.length === 2 && !Names.isDnsSubdomain(parts[0]))) return false;
  return name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}
