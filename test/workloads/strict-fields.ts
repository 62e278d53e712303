/**
 * Strict unknown-field check for core Kubernetes documents. kubernetes-models' compiled validators read every field
 * the schema declares (`data.x === undefined`) and enumerate the keys of maps; a field the validator never touched is
 * one the API server would prune or reject. A Proxy records what the validator looked at.
 */
import { dirname, join } from 'path';

const GROUPS: Record<string, string> = {
  '': 'Core', 'apps': 'Apps', 'batch': 'Batch', 'autoscaling': 'Autoscaling', 'policy': 'Policy',
  'networking.k8s.io': 'Networking', 'storage.k8s.io': 'Storage', 'rbac.authorization.k8s.io': 'Rbac',
};

function schemaValidator(apiVersion: string, kind: string): ((d: unknown) => boolean) | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const g = GROUPS[group];
  if (!g) return undefined;
  const file = `IoK8sApi${g}${version[0].toUpperCase()}${version.slice(1)}${kind}`;
  try {
    // The package's export map hides _schemas, so load the file by path.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(join(dirname(require.resolve('kubernetes-models')), '_schemas', `${file}.js`)).validate;
  } catch {
    return undefined;
  }
}

/** Paths of fields in `doc` that the kubernetes-models schema does not declare. */
export function unknownFields(doc: any): string[] {
  const validate = schemaValidator(doc.apiVersion, doc.kind);
  if (!validate) return [`${doc.apiVersion} ${doc.kind}: no schema`];
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

/** Asserts no document has fields outside its schema. */
export function expectNoUnknownFields(docs: any[]): void {
  const problems = docs.flatMap((d) => unknownFields(d).map((p) => `${d.kind} ${d.metadata?.name}: ${p}`));
  if (problems.length > 0) throw new Error(`unknown fields:\n  ${problems.join('\n  ')}`);
}
