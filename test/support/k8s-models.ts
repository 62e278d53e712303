/**
 * Validates core Kubernetes documents with kubernetes-models (Kubernetes 1.33 OpenAPI schemas).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const models: Record<string, any> = require('kubernetes-models');

const camel = (g: string): string => g.split(/[.-]/).map((p, i) => (i ? p[0].toUpperCase() + p.slice(1) : p)).join('');

/** The kubernetes-models class for an apiVersion and kind, or undefined. */
export function k8sModel(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const ns = (group ? models[camel(group)] : models)?.[version];
  return typeof ns?.[kind] === 'function' ? ns[kind] : undefined;
}

/** True if kubernetes-models has a model for this document's apiVersion and kind. */
export function isCoreKubernetes(doc: any): boolean {
  return k8sModel(doc?.apiVersion ?? '', doc?.kind ?? '') !== undefined;
}

/** Asserts each document validates with kubernetes-models; a document without a model fails. */
export function expectK8sValid(docs: any[]): void {
  const problems: string[] = [];
  for (const doc of docs) {
    const id = `${doc?.apiVersion} ${doc?.kind} ${doc?.metadata?.name ?? ''}`;
    const Model = k8sModel(doc?.apiVersion ?? '', doc?.kind ?? '');
    if (!Model) {
      problems.push(`${id}: no kubernetes-models class`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e: any) {
      problems.push(`${id}: ${e.message}`);
    }
  }
  if (problems.length > 0) throw new Error(`kubernetes-models validation failed:\n  ${problems.join('\n  ')}`);
}
