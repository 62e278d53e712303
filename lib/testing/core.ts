import { dirname, join } from 'path';
import { Problem } from './problem';

/* eslint-disable @typescript-eslint/no-require-imports */
let models: Record<string, any> | undefined;
function kubernetesModels(): Record<string, any> {
  return (models ??= require('kubernetes-models'));
}

const camel = (g: string): string => g.split(/[.-]/).map((p, i) => (i ? p[0].toUpperCase() + p.slice(1) : p)).join('');

/** The kubernetes-models class for an apiVersion and kind, or undefined. */
export function kubernetesModel(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const ns = (group ? kubernetesModels()[camel(group)] : kubernetesModels())?.[version];
  return typeof ns?.[kind] === 'function' ? ns[kind] : undefined;
}

/** True if the document is a core Kubernetes kind (one kubernetes-models has a model for). */
export function isCoreKubernetes(doc: any): boolean {
  return kubernetesModel(doc?.apiVersion ?? '', doc?.kind ?? '') !== undefined;
}

/** kubernetes-models' problems with a core document, then every field its schema does not declare. */
export function kubernetesProblems(doc: any, document: string): Problem[] {
  const Model = kubernetesModel(doc?.apiVersion ?? '', doc?.kind ?? '');
  if (!Model) return [{ check: 'kubernetes', document, path: '/', message: `no Kubernetes model for ${doc?.apiVersion} ${doc?.kind}` }];
  try {
    new Model(doc).validate();
  } catch (e: any) {
    const errors: any[] = e.errors ?? [{ instancePath: '/', message: e.message }];
    return errors.map((x) => ({ check: 'kubernetes' as const, document, path: x.instancePath || '/', message: x.message ?? String(x) }));
  }
  return unknownFields(doc).map((p) => ({ check: 'kubernetes' as const, document, path: p, message: 'unknown field (the API server prunes or rejects it)' }));
}

const GROUPS: Record<string, string> = {
  '': 'Core', 'apps': 'Apps', 'batch': 'Batch', 'autoscaling': 'Autoscaling', 'policy': 'Policy',
  'networking.k8s.io': 'Networking', 'storage.k8s.io': 'Storage', 'rbac.authorization.k8s.io': 'Rbac',
  'scheduling.k8s.io': 'Scheduling', 'node.k8s.io': 'Node', 'coordination.k8s.io': 'Coordination',
  'discovery.k8s.io': 'Discovery', 'admissionregistration.k8s.io': 'Admissionregistration',
};

function schemaValidator(apiVersion: string, kind: string): ((d: unknown) => boolean) | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const g = GROUPS[group];
  if (!g) return undefined;
  const file = `IoK8sApi${g}${version[0].toUpperCase()}${version.slice(1)}${kind}`;
  try {
    // The package's export map hides _schemas, so its file is loaded by path.
    return require(join(dirname(require.resolve('kubernetes-models')), '_schemas', `${file}.js`)).validate;
  } catch {
    return undefined;
  }
}

/**
 * JSON paths of fields that the kind's schema does not declare. kubernetes-models' compiled validators read every
 * declared field and enumerate the keys of maps; a Proxy records what the validator looked at, so a field it never
 * touched is one the API server would prune or reject.
 */
export function unknownFields(doc: any): string[] {
  const validate = schemaValidator(doc.apiVersion, doc.kind);
  if (!validate) return [];
  const seen = new Map<object, { keys: Set<string>; map: boolean; path: string }>();
  const wrap = (value: any, path: string): any => {
    if (value === null || typeof value !== 'object') return value;
    const rec = { keys: new Set<string>(), map: false, path };
    seen.set(value, rec);
    const cache = new Map<string, any>();
    return new Proxy(value, {
      get(target, key) {
        if (typeof key !== 'string') return Reflect.get(target, key);
        rec.keys.add(key);
        if (!cache.has(key)) cache.set(key, wrap(target[key], `${path}/${key}`));
        return cache.get(key);
      },
      ownKeys(target) {
        rec.map = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  validate(wrap(doc, ''));
  const out: string[] = [];
  for (const [obj, rec] of seen) {
    if (rec.map || Array.isArray(obj)) continue;
    for (const k of Object.keys(obj)) if (!rec.keys.has(k)) out.push(`${rec.path}/${k}`);
  }
  return out;
}
