import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FinalDocument, Names, Violations, addRules, assertValue, fail, putSorted, show } from '../core';
import { storageQuantity } from './cluster-scoped';
import { claimViolations } from './persistent-volume-claim';
import { Service } from './service';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps, templateKind } from './secure-pod';
import { plusConstructorError } from './plus-errors';
import { REPLICAS, assertInteger, countRule, rollingUpdateViolations } from './object-rules';

/** A per-pod PersistentVolumeClaim a StatefulSet creates (`<template>-<sts>-<n>`); cdk8s-plus-28 lacks these. */
export interface VolumeClaimTemplateProps {
  /** Template name; also the volume name containers mount. */
  readonly name: string;
  /** Size of each pod's volume. */
  readonly storage: Size;
  /**
   * Access modes.
   * @default [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /**
   * StorageClass name (a `StorageClass.name`).
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
  /**
   * `Filesystem` or `Block`.
   * @default kplus.PersistentVolumeMode.FILE_SYSTEM
   */
  readonly volumeMode?: kplus.PersistentVolumeMode;
  /**
   * Labels of each claim.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations of each claim (e.g. a backup tool's).
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** Props of {@link StatefulSet}. */
export interface StatefulSetProps extends Omit<kplus.StatefulSetProps, 'containers' | 'initContainers'>, SecurePodProps {
  /**
   * Per-pod volume claims.
   * @default - none; add with addVolumeClaimTemplate()
   */
  readonly volumeClaimTemplates?: VolumeClaimTemplateProps[];
  /**
   * Name of an existing headless governing Service (`serviceName`) that another construct or file manages; no
   * Service object is written. Give either this or `service`.
   * @default - a headless Service from the container ports, or `service`
   */
  readonly serviceName?: string;
  /**
   * What happens to the per-pod claims when the StatefulSet is deleted or scaled down
   * (`persistentVolumeClaimRetentionPolicy`).
   * @default - not written (Retain for both)
   */
  readonly claimRetention?: { readonly whenDeleted?: ClaimRetention; readonly whenScaled?: ClaimRetention };
  /**
   * The first pod ordinal (`ordinals.start`), e.g. 1 for pods `db-1`, `db-2`…
   * @default - not written (0)
   */
  readonly ordinalsStart?: number;
  /**
   * Pods that may be unavailable during a rolling update (`updateStrategy.rollingUpdate.maxUnavailable`, a count or
   * a percentage; needs the MaxUnavailableStatefulSet feature gate).
   * @default - not written (1)
   */
  readonly maxUnavailable?: number | string;
}

/** What happens to a StatefulSet's claims (`persistentVolumeClaimRetentionPolicy`). */
export enum ClaimRetention {
  /** Keep the claims (the Kubernetes default). */
  RETAIN = 'Retain',
  /** Delete the claims. */
  DELETE = 'Delete',
}

/**
 * A cdk8s-plus-28 `StatefulSet` with volumeClaimTemplates, stable pod DNS names and slipway's secure pod
 * defaults. `podManagementPolicy` (OrderedReady default, or Parallel) and ordered rolling updates with a
 * `partition` come from cdk8s-plus-28.
 */
export class StatefulSet extends SecurePod(kplus.StatefulSet) {
  /** The first pod ordinal. */
  public readonly ordinalsStart: number;
  private readonly governedByName: boolean;
  private readonly templates: VolumeClaimTemplateProps[];
  private readonly templateVolumes: Map<string, kplus.Volume>;

  constructor(scope: Construct, id: string, props: StatefulSetProps) {
    const { plus: { volumeClaimTemplates, serviceName, claimRetention, ordinalsStart, maxUnavailable, ...rest }, pod } = splitPodProps(props);
    // cdk8s-plus-28 would derive the headless Service from containers, which slipway adds after construction, so
    // the Service is made here (next to the StatefulSet) from the declared ports. An existing Service by name is
    // stood in for by one in a private tree, which is never written.
    try {
      super(scope, id, { ...rest, service: rest.service ?? (serviceName !== undefined ? existingService(id, serviceName)
      : headlessFor(scope, id, pod.containers ?? [])) });
    } catch (e) {
      throw plusConstructorError(scope, id, e);
    }
    if (serviceName !== undefined && rest.service) {
      fail(this, 'statefulset-service', 'both service and serviceName are given', 'give one: service (an object in this app) or serviceName (an existing Service)');
    }
    if (serviceName !== undefined) Names.assertDnsLabel(this, 'serviceName', serviceName);
    this.governedByName = serviceName !== undefined;
    this.templates = [];
    this.templateVolumes = new Map();
    assertInteger(this, 'ordinalsStart', ordinalsStart, countRule('statefulset-ordinals', 'use a whole number from 0 (the default) up'));
    this.ordinalsStart = ordinalsStart ?? 0;
    if (typeof maxUnavailable === 'number') {
      assertInteger(this, 'maxUnavailable', maxUnavailable, { min: 1, rangeRule: 'statefulset-max-unavailable', fix: "use 1 or more, or a percentage such as '25%'" });
    } else if (maxUnavailable !== undefined && !/^[1-9]\d*%$/.test(maxUnavailable)) {
      fail(this, 'statefulset-max-unavailable', `maxUnavailable ${show(maxUnavailable)} is not a count >= 1 or a percentage`, "use 1 or more, or a percentage such as '25%'");
    }
    // cdk8s-plus-28 keeps the strategy's type internal; its render says it.
    if (maxUnavailable !== undefined && (this.strategy as unknown as { _toKube(): { type?: string } })._toKube().type === 'OnDelete') {
      fail(this, 'statefulset-max-unavailable', 'maxUnavailable is set with the OnDelete strategy', 'use StatefulSetUpdateStrategy.rollingUpdate()');
    }
    if (claimRetention !== undefined || ordinalsStart !== undefined || maxUnavailable !== undefined) {
      FinalDocument.addTransform(this, (doc) => {
        if (maxUnavailable !== undefined) {
          doc.spec.updateStrategy ??= { type: 'RollingUpdate' };
          putSorted(doc.spec.updateStrategy, 'rollingUpdate', { ...doc.spec.updateStrategy.rollingUpdate, maxUnavailable });
        }
        if (claimRetention !== undefined) putSorted(doc.spec, 'persistentVolumeClaimRetentionPolicy', { ...claimRetention });
        if (ordinalsStart !== undefined) putSorted(doc.spec, 'ordinals', { start: ordinalsStart });
      });
    }
    assertInteger(this, 'replicas', props.replicas, REPLICAS);
    assertValue(this, rollingUpdateViolations('StatefulSet', (this.strategy as unknown as { _toKube(): { rollingUpdate?: Record<string, unknown> } })._toKube().rollingUpdate));
    for (const t of volumeClaimTemplates ?? []) this.addVolumeClaimTemplate(t);
    setupSecurePod(this, pod, templateKind('StatefulSet', ['Always'], true), props);
    addRules(this, () => {
      const v = new Violations();
      if (!this.governedByName && this.service.clusterIP !== 'None') {
        v.add('statefulset-headless-service', `the governing Service ${show(this.service.name)} is not headless`,
          'use Service.headless() so each pod gets a stable DNS name');
      }
      for (const t of this.templates) for (const x of claimViolations(`volume claim template ${show(t.name)}`, t.accessModes, t.storage, true)) v.add(x.rule, x.message, x.fix);
      return v.all;
    });
  }

  /** The volume claim templates. */
  public get volumeClaimTemplates(): VolumeClaimTemplateProps[] {
    return [...this.templates];
  }

  /**
   * Adds a per-pod claim and returns the volume to mount in a container (`volumeMounts: [{ path, volume }]`).
   * The volume is not added to the pod's `volumes`: the StatefulSet controller provides it.
   */
  public addVolumeClaimTemplate(props: VolumeClaimTemplateProps): kplus.Volume {
    Names.assertDnsLabel(this, 'volume claim template name', props.name);
    if (this.templateVolumes.has(props.name)) {
      fail(this, 'volume-claim-template-unique', `volume claim template ${show(props.name)} is declared twice`, 'give each template its own name');
    }
    this.templates.push({ ...props, accessModes: props.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
    const claim = kplus.PersistentVolumeClaim.fromClaimName(this, `Claim-${props.name}`, props.name);
    const volume = kplus.Volume.fromPersistentVolumeClaim(this, `ClaimVolume-${props.name}`, claim, { name: props.name });
    this.templateVolumes.set(props.name, volume);
    return volume;
  }

  /**
   * The stable DNS name of pod `ordinal`: `<sts>-<n>.<service>.<namespace>.svc.cluster.local` (needs the headless
   * governing Service).
   */
  public podDnsName(ordinal: number): string {
    if (!(Number.isInteger(ordinal) && ordinal >= this.ordinalsStart)) {
      fail(this, 'pod-ordinal', `pod ordinal ${show(ordinal)} is not a whole number >= ${this.ordinalsStart}`, `use ${this.ordinalsStart} for the first pod, ${this.ordinalsStart + 1} for the second…`);
    }
    return `${this.name}-${ordinal}.${this.service.name}.${this.metadata.namespace ?? 'default'}.svc.cluster.local`;
  }

  /** @internal */
  public _toKube(): kplus.k8s.StatefulSetSpec {
    const spec = super._toKube();
    const names = new Set(this.templateVolumes.keys());
    const volumes = spec.template.spec?.volumes?.filter((v) => !names.has(v.name));
    return {
      ...spec,
      template: { ...spec.template, spec: { ...spec.template.spec!, volumes: volumes && volumes.length > 0 ? volumes : undefined } },
      volumeClaimTemplates: this.templates.length === 0 ? undefined : this.templates.map((t) => ({
        metadata: { name: t.name, labels: t.labels, annotations: t.annotations },
        spec: {
          accessModes: t.accessModes,
          storageClassName: t.storageClassName,
          volumeMode: t.volumeMode ?? kplus.PersistentVolumeMode.FILE_SYSTEM,
          resources: { requests: { storage: kplus.k8s.Quantity.fromString(storageQuantity(t.storage)) } },
        },
      })),
    };
  }
}

function existingService(id: string, name: string): Service {
  const detached = new Chart(new App({ outdir: 'unused' }), `${id}-existing-service`);
  return Service.headless(detached, 'Service', { metadata: { name }, ports: [{ port: 1 }] });
}

function headlessFor(scope: Construct, id: string, containers: kplus.ContainerProps[]): Service {
  const ports = containers.flatMap((c) => [
    ...(c.portNumber !== undefined ? [{ number: c.portNumber, name: undefined as string | undefined, protocol: undefined as kplus.Protocol | undefined }] : []),
    ...(c.ports ?? []).map((p) => ({ number: p.number, name: p.name, protocol: p.protocol }))]);
  if (ports.length === 0) {
    fail(scope, 'statefulset-service-ports', `StatefulSet ${show(id)} has no service and no container ports`,
      'pass service: Service.headless(...), or give a container a portNumber');
  }
  return Service.headless(scope, `${id}Service`, {
    ports: ports.map((p) => ({ port: p.number, targetPort: p.number, name: p.name ?? (ports.length > 1 ? `port-${p.number}` : undefined), protocol: p.protocol })),
  });
}
