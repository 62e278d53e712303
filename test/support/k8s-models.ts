/** The core Kubernetes checks, as the tests have always called them; the implementation is slipway/testing. */
import { isCoreKubernetes, kubernetesModel, kubernetesProblems } from '../../lib/testing/core';

export { isCoreKubernetes };
export const k8sModel = kubernetesModel;

/** Asserts each document validates with kubernetes-models and has no unknown fields. */
export function expectK8sValid(docs: any[]): void {
  const problems = docs.flatMap((d) => kubernetesProblems(d, `${d?.apiVersion} ${d?.kind} ${d?.metadata?.name ?? ''}`));
  if (problems.length > 0) throw new Error(`kubernetes-models validation failed:\n  ${problems.map((p) => `${p.document}: ${p.path} ${p.message}`).join('\n  ')}`);
}
