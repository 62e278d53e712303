/**
 * One entry point for the independent checks: core documents go to kubernetes-models, everything else to the
 * strict CRD schemas. Tests call `expectDocumentsValid(Testing.synth(chart))`.
 */
import { expectCrdValid } from './crds';
import { expectK8sValid, isCoreKubernetes } from './k8s-models';

export function expectDocumentsValid(docs: any[]): void {
  const core = docs.filter(isCoreKubernetes);
  const custom = docs.filter((d) => !isCoreKubernetes(d));
  if (core.length > 0) expectK8sValid(core);
  if (custom.length > 0) expectCrdValid(custom);
}
