import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Problem } from './problem';
import { packageSchemasDir, schemasDir } from './schemas';

/* eslint-disable @typescript-eslint/no-require-imports */
const models = new Map<string, any>();

/**
 * The kubernetes-models class for an apiVersion and kind, or undefined. Each kind is its own module in the package
 * (`kubernetes-models/apps/v1/Deployment`), so only the kinds asked for are loaded, not the whole package.
 */
export function kubernetesModel(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  // Kubernetes' own groups have no dot or end in .k8s.io; anything else is a custom resource.
  if (group.includes('.') && !group.endsWith('.k8s.io')) return undefined;
  if (!/^[a-z0-9.-]*$/.test(group) || !/^v[a-z0-9]+$/.test(version ?? '') || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const id = `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  if (!models.has(id)) {
    let model: any;
    try {
      model = require(id)[kind];
    } catch {
      model = undefined;
    }
    models.set(id, typeof model === 'function' ? model : undefined);
  }
  return models.get(id);
}

/** True if the document is a core Kubernetes kind (one kubernetes-models has a model for). */
export function isCoreKubernetes(doc: any): boolean {
  return kubernetesModel(doc?.apiVersion ?? '', doc?.kind ?? '') !== undefined;
}

/**
 * kubernetes-models' problems with a core document, then every field its schema does not declare. Kinds with a
 * vendored shape (schemas/kubernetes-shapes.json) run the package's compiled validator directly and walk the shape;
 * other kinds go through the model class and the slower Proxy walk. Both give the same verdict.
 */
export function kubernetesProblems(doc: any, document: string, size?: { chars: number }): Problem[] {
  const shape = kindShape(doc?.apiVersion, doc?.kind);
  const validate = shape === undefined ? undefined : schemaValidator(doc.apiVersion, doc.kind);
  if (shape === undefined || !validate) return modelProblems(doc, document);
  return fastProblems(doc, document, shape, validate, size);
}

function fastProblems(doc: any, document: string, shape: Shape, validate: (d: unknown) => boolean, size?: { chars: number }): Problem[] {
  if (!validate(doc)) {
    const errors = (validate as any).errors ?? [];
    kubernetesErrorMessages(errors);
    return errors.map((x: any) => ({ check: 'kubernetes' as const, document, path: x.instancePath || '/', message: `data${x.instancePath} ${x.message}` }));
  }
  return unknownByShape(doc, shape, size).map((p) => ({ check: 'kubernetes' as const, document, path: p, message: UNKNOWN }));
}

const UNKNOWN = 'unknown field (the API server prunes or rejects it)';

/** The slow path: the kubernetes-models class, then the Proxy walk (kinds without a vendored shape). */
export function modelProblems(doc: any, document: string): Problem[] {
  const Model = kubernetesModel(doc?.apiVersion ?? '', doc?.kind ?? '');
  if (!Model) return [{ check: 'kubernetes', document, path: '/', message: `no Kubernetes model for ${doc?.apiVersion} ${doc?.kind}` }];
  try {
    new Model(doc).validate();
  } catch (e: any) {
    const errors: any[] = e.errors ?? [{ instancePath: '/', message: e.message }];
    return errors.map((x) => ({ check: 'kubernetes' as const, document, path: x.instancePath || '/', message: x.message ?? String(x) }));
  }
  return unknownFields(doc).map((p) => ({ check: 'kubernetes' as const, document, path: p, message: UNKNOWN }));
}

/** Adds ajv's English messages to compiled-validator errors, as kubernetes-models does. */
function kubernetesErrorMessages(errors: any[]): void {
  // Resolved from kubernetes-models, whose dependencies they are.
  const validateDir = dirname(require.resolve('@kubernetes-models/validate', { paths: [dirname(require.resolve('kubernetes-models'))] }));
  (require(require.resolve('ajv-i18n', { paths: [validateDir] })) as { en(e: any[]): void }).en(errors);
}

/** A field shape (see tools/schemas.js): 0 scalar, 1 open object, a type name, [item], or { '*': value } for a map. */
type Shape = 0 | 1 | string | [Shape] | { '*': Shape };
let shapes: { kinds: Record<string, Shape>; defs: Record<string, Record<string, Shape>> } | null | undefined;

/** The vendored field shape of a core kind, or undefined when schemas/ has none for it. */
export function kindShape(apiVersion: string, kind: string): Shape | undefined {
  if (shapes === undefined) {
    let file = join(schemasDir(), 'kubernetes-shapes.json');
    if (!existsSync(file)) file = join(packageSchemasDir(), 'kubernetes-shapes.json'); // SLIPWAY_SCHEMAS_DIR of CRDs only
    shapes = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  }
  return shapes?.kinds[`${apiVersion}/${kind}`];
}

/**
 * JSON paths of the fields of `doc` that `shape` does not declare. With `size`, it also adds to `size.chars` the
 * characters of every key and string and 24 per other scalar: six times that bounds the document's JSON bytes from above
 * (an escaped character takes at most six), so synth measures only documents that may be large.
 */
export function unknownByShape(doc: any, shape: Shape, size?: { chars: number }): string[] {
  const out: string[] = [];
  const defs = shapes!.defs;
  const segments: string[] = [];
  let chars = 0;
  const whole = (value: any): void => {
    chars += JSON.stringify(value)?.length ?? 0;
  };
  const walk = (value: any, s: Shape): void => {
    if (value === null || typeof value !== 'object') {
      chars += typeof value === 'string' ? value.length + 2 : 24;
      return;
    }
    if (s === 0 || s === 1) return whole(value); // open objects, and objects where a scalar belongs (a type error)
    if (Array.isArray(value)) {
      chars += 2;
      const item: Shape = Array.isArray(s) ? s[0] : 1;
      for (let i = 0; i < value.length; i++) {
        segments.push(String(i));
        walk(value[i], item);
        segments.pop();
      }
      return;
    }
    if (Array.isArray(s)) return whole(value);
    chars += 2;
    const fields = typeof s === 'object' ? undefined : defs[s];
    for (const k of Object.keys(value)) {
      chars += k.length + 3;
      const f = fields ? fields[k] : (s as { '*': Shape })['*'];
      if (f === undefined) {
        out.push(`/${[...segments, k].map(pointer).join('/')}`);
        whole(value[k]);
        continue;
      }
      segments.push(k);
      walk(value[k], f);
      segments.pop();
    }
  };
  walk(doc, shape);
  if (size) size.chars += chars;
  return out;
}

const pointer = (key: string): string => (key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key);

const GROUPS: Record<string, string> = {
  '': 'Core', 'apps': 'Apps', 'batch': 'Batch', 'autoscaling': 'Autoscaling', 'policy': 'Policy',
  'networking.k8s.io': 'Networking', 'storage.k8s.io': 'Storage', 'rbac.authorization.k8s.io': 'Rbac',
  'scheduling.k8s.io': 'Scheduling', 'node.k8s.io': 'Node', 'coordination.k8s.io': 'Coordination',
  'discovery.k8s.io': 'Discovery', 'admissionregistration.k8s.io': 'Admissionregistration',
};

const validators = new Map<string, ((d: unknown) => boolean) | undefined>();

function schemaValidator(apiVersion: string, kind: string): ((d: unknown) => boolean) | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!validators.has(key)) validators.set(key, loadValidator(apiVersion, kind));
  return validators.get(key);
}

function loadValidator(apiVersion: string, kind: string): ((d: unknown) => boolean) | undefined {
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
  const shape = kindShape(doc?.apiVersion, doc?.kind);
  if (shape !== undefined) return unknownByShape(doc, shape);
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
