import { Size, SizeRoundingBehavior } from 'cdk8s';
import { sizeKibibytes, withStorage } from './cluster-scoped';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addRules, constructId, FinalDocument, NameForm, RuleViolation, show } from '../core';
import { checkObject, laterMetadataViolations } from './object-rules';

/**
 * The API's rules for a claim's access modes and size: at least one access mode, `ReadWriteOncePod` only on its
 * own, and a positive storage request. Shared by {@link PersistentVolumeClaim}, {@link PersistentVolume} and
 * StatefulSet volume claim templates.
 */
export function claimViolations(what: string, accessModes: readonly string[] | undefined, storage: Size | undefined,
  storageRequired: boolean): RuleViolation[] {
  const v: RuleViolation[] = [];
  const modes = accessModes ?? [];
  if (modes.length === 0) {
    v.push({ rule: 'access-modes-required', message: `${what} has no access modes`,
      fix: 'give at least one: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod' });
  }
  if (modes.includes(kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD) && modes.length > 1) {
    v.push({ rule: 'rwop-exclusive', message: `${what} combines ReadWriteOncePod with ${show(modes.filter((m) => m !== 'ReadWriteOncePod'))}`,
      fix: 'use ReadWriteOncePod alone (it cannot be combined with other access modes)' });
  }
  if (new Set(modes).size !== modes.length) {
    v.push({ rule: 'access-modes-unique', message: `${what} repeats an access mode in ${show(modes)}`, fix: 'list each access mode once' });
  }
  const kib = storage === undefined ? undefined : sizeKibibytes(storage);
  if (kib === undefined ? storageRequired : !(kib > 0)) {
    v.push({ rule: 'storage-request', message: `${what} has no positive storage size of whole KiB${storage === undefined ? '' : `: ${show(storage.toKibibytes({ rounding: SizeRoundingBehavior.NONE }))}Ki`}`,
      fix: 'set storage, e.g. Size.gibibytes(10) or Size.mebibytes(512)' });
  }
  return v;
}

/**
 * A cdk8s-plus-28 `PersistentVolumeClaim` whose access modes and size are checked at synth. Access modes:
 * RWO (one node), ROX (many nodes read-only), RWX (many nodes read-write), RWOP (one pod; alone).
 * Volume modes: `Filesystem` (default) or `Block`.
 */
export class PersistentVolumeClaim extends kplus.PersistentVolumeClaim {
  constructor(scope: Construct, id: string, props: kplus.PersistentVolumeClaimProps = {}) {
    super(scope, constructId(scope, id, 'PersistentVolumeClaim', "'data'"), { ...props, accessModes: props.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
    checkObject(this, 'PersistentVolumeClaim', NameForm.DNS_SUBDOMAIN, props);
    FinalDocument.enable(this);
    addRules(this, () => [...laterMetadataViolations(this, 'PersistentVolumeClaim'), ...claimViolations('the claim', this.accessModes, this.storage, true)]);
  }

  /** @internal */
  public _toKube(): kplus.k8s.PersistentVolumeClaimSpec {
    return withStorage(this, () => super._toKube(), (spec, storage) => {
      (spec as { resources?: unknown }).resources = { requests: { storage: kplus.k8s.Quantity.fromString(storage) } };
    });
  }
}
