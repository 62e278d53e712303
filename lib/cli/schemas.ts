/**
 * The strict schema checks `slipway check` runs: the one place that names where they live, so moving them into
 * `slipway/testing` is a one-line change here.
 */
export { crdErrors, hasCrdSchema } from '../../test/support/crds';
export { k8sModel } from '../../test/support/k8s-models';
export { unknownFields } from '../../test/workloads/strict-fields';
