import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addRules, assertValue, checkedValue, constructId, fail, FinalDocument, integerViolations, NameForm, putSorted, show } from '../core';
import { checkObject, laterMetadataViolations } from './object-rules';
import { clusterScoped, withStorage } from './cluster-scoped';
import { claimViolations } from './persistent-volume-claim';

/** Where a statically provisioned volume's data lives. */

/** A LUN: a whole number from 0 to 255. */
const LUN = { min: 0, max: 255, rangeRule: 'iscsi-lun', fix: 'use a LUN from 0 to 255' };
export class PersistentVolumeSource {
  /** A volume of a CSI driver, e.g. `PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-0abc')`. */
  public static csi(driver: string, volumeHandle: string, options: { readonly fsType?: string; readonly readOnly?: boolean } = {}): PersistentVolumeSource {
    return new PersistentVolumeSource({ csi: { driver, volumeHandle, fsType: options.fsType, readOnly: options.readOnly } }, undefined);
  }

  /** An NFS export. */
  public static nfs(server: string, path: string, readOnly = false): PersistentVolumeSource {
    return new PersistentVolumeSource({ nfs: { server, path, readOnly } }, undefined);
  }

  /** A local disk or directory on one node; the volume is pinned to that node with node affinity. */
  public static local(path: string, nodeName: string): PersistentVolumeSource {
    return checkedValue(() => {
      if (!String(path).startsWith('/')) fail(undefined, 'local-volume-path', `local volume path ${show(path)} is not absolute`, "use an absolute path such as '/mnt/disks/ssd1'");
    }, () => new PersistentVolumeSource({ local: { path } }, nodeName));
  }

  /**
   * A directory or device on the node (`hostPath`; single-node and test clusters). The pods that use it need
   * `PodSecurity.privileged()`.
   * @param type `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`, `CharDevice` or `BlockDevice`
   */
  public static hostPath(path: string, type?: string): PersistentVolumeSource {
    return checkedValue(() => {
      if (!String(path).startsWith('/')) fail(undefined, 'host-path', `hostPath ${show(path)} is not absolute`, "use an absolute path such as '/mnt/data'");
      const types = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
      if (type !== undefined && !types.includes(type)) {
        fail(undefined, 'host-path', `hostPath type ${show(type)} is unknown`, `use one of ${types.slice(1).join(', ')}`);
      }
    }, () => new PersistentVolumeSource({ hostPath: { path, type } }, undefined));
  }

  /** An iSCSI target. */
  public static iscsi(targetPortal: string, iqn: string, lun: number, options: { readonly fsType?: string; readonly readOnly?: boolean } = {}): PersistentVolumeSource {
    return checkedValue(() => assertValue(undefined, integerViolations('iSCSI lun', lun, LUN)),
      () => new PersistentVolumeSource({ iscsi: { targetPortal, iqn, lun, fsType: options.fsType, readOnly: options.readOnly } }, undefined));
  }

  /** A Fibre Channel disk by WWNs and LUN. */
  public static fc(targetWWNs: string[], lun: number, options: { readonly fsType?: string; readonly readOnly?: boolean } = {}): PersistentVolumeSource {
    return checkedValue(() => assertValue(undefined, integerViolations('Fibre Channel lun', lun, LUN)),
      () => new PersistentVolumeSource({ fc: { targetWWNs: [...targetWWNs], lun, fsType: options.fsType, readOnly: options.readOnly } }, undefined));
  }

  private constructor(public readonly spec: Record<string, unknown>, public readonly nodeName: string | undefined) {}
}

/** Props of {@link PersistentVolume}. */
export interface PersistentVolumeProps extends kplus.PersistentVolumeProps {
  /** Where the data lives. */
  readonly source: PersistentVolumeSource;
}

/**
 * A statically provisioned PersistentVolume from CSI, NFS, a local disk, hostPath, iSCSI or Fibre Channel
 * (cdk8s-plus-28 only has the deprecated in-tree cloud disks). Capacity and access modes are checked at synth.
 */
export class PersistentVolume extends kplus.PersistentVolume {
  /** Where the data lives. */
  public readonly source: PersistentVolumeSource;

  constructor(scope: Construct, id: string, props: PersistentVolumeProps) {
    const { source, ...rest } = props;
    super(scope, constructId(scope, id, 'PersistentVolume', "'disk-1'"), { ...rest, accessModes: rest.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
    checkObject(this, 'PersistentVolume', NameForm.DNS_SUBDOMAIN, props);
    this.source = source;
    // The source is written into the Kubernetes JSON: the L1's camelCase names differ for some (targetWWNs).
    FinalDocument.addTransform(this, (doc) => {
      for (const [k, v] of Object.entries(source.spec)) putSorted(doc.spec, k, v);
    });
    clusterScoped(this.apiObject);
    addRules(this, () => [...laterMetadataViolations(this, 'PersistentVolume'), ...claimViolations('the volume', this.accessModes, this.storage, true)]);
  }

  /** @internal */
  public _toKube(): kplus.k8s.PersistentVolumeSpec {
    const node = this.source.nodeName;
    const spec = withStorage(this, () => super._toKube(), (s, storage) => {
      (s as { capacity?: unknown }).capacity = { storage: kplus.k8s.Quantity.fromString(storage) };
    });
    return {
      ...spec,
      nodeAffinity: node === undefined ? undefined : { required: { nodeSelectorTerms: [{
        matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
    };
  }
}
