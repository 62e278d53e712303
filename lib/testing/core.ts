import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Problem } from './problem';

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
 * The problems of a core document. Kinds with a vendored shape (schemas/kubernetes-shapes.json) are checked by one
 * walk over the shape: unknown fields, scalar types, integer formats, int-or-string, quantities, enums and required
 * fields, as kubernetes-models' compiled validators check them (the shape is read from them). Other kinds go through
 * the model class and the slower Proxy walk.
 */
export function kubernetesProblems(doc: any, document: string, size?: { chars: number }): Problem[] {
  const shape = kindShape(doc?.apiVersion, doc?.kind);
  if (shape === undefined) return modelProblems(doc, document);
  return shapeProblems(doc, shape, size).map((p) => ({ check: 'kubernetes' as const, document, path: p.path, message: p.message }));
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

/**
 * A field shape (see tools/schemas.js): a scalar descriptor ("s", "i32", … with a trailing "!" when null is refused),
 * { enum } one of the strings, 1 an open object, a type name, [item], or { '*': value } for a map.
 */
type Shape = 1 | string | [Shape] | { '*': Shape } | { enum: string[] };
interface Shapes {
  kinds: Record<string, Shape>;
  defs: Record<string, Record<string, Shape>>;
  required: Record<string, string[]>;
}
let shapes: Shapes | null | undefined;

/** The vendored field shape of a core kind, or undefined when schemas/ has none for it. */
export function kindShape(apiVersion: string, kind: string): Shape | undefined {
  if (shapes === undefined) {
    // schemas.ts (and the YAML reader it loads) only when a shape is first asked for.
    const { packageSchemasDir, schemasDir } = require('./schemas') as typeof import('./schemas');
    let file = join(schemasDir(), 'kubernetes-shapes.json');
    if (!existsSync(file)) file = join(packageSchemasDir(), 'kubernetes-shapes.json'); // SLIPWAY_SCHEMAS_DIR of CRDs only
    shapes = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  }
  if (!shapes) return undefined;
  // Keyed by apiVersion, then kind: no string built per document.
  let byKind = shapeIndex.get(apiVersion);
  if (!byKind) shapeIndex.set(apiVersion, byKind = new Map());
  let shape = byKind.get(kind);
  if (shape === undefined && !byKind.has(kind)) byKind.set(kind, shape = shapes.kinds[`${apiVersion}/${kind}`]);
  return shape;
}

const shapeIndex = new Map<string, Map<string, Shape | undefined>>();

const QUANTITY = /^[+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+)(?:[KMGTPE]i|[YZEPTGMkhdcmunpfazy]|da|[eE][+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+))?$/;
const DATE_TIME = /^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const isInt32 = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v <= 2147483647 && v >= -2147483648;

/**
 * What is wrong with a scalar `value` of descriptor `d` (without its "!"; `strict` when null is refused), in ajv's
 * words, or undefined when it is right.
 */
function scalarProblem(d: string, strict: boolean, value: unknown): string | undefined {
  if (value === null) return strict ? 'must not be null' : undefined;
  switch (d) {
    case 's': return typeof value === 'string' ? undefined : 'must be string';
    case 'b': return typeof value === 'boolean' ? undefined : 'must be boolean';
    case 'n': return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be number';
    case 'i64': return typeof value === 'number' && Number.isInteger(value) ? undefined : 'must be integer';
    case 'i32':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be integer';
      return isInt32(value) ? undefined : 'must match format "int32"';
    case 'ios': return typeof value === 'string' || isInt32(value) ? undefined : 'must be a string or an int32 integer (int-or-string)';
    case 'q':
      return (typeof value === 'string' && QUANTITY.test(value)) || (typeof value === 'number' && Number.isFinite(value))
        ? undefined : 'must be a quantity (a number, or a string such as "100m" or "1Gi")';
    case 'dt': return typeof value === 'string' && DATE_TIME.test(value) ? undefined : 'must match format "date-time"';
    case 'byte': return typeof value === 'string' && BASE64.test(value) ? undefined : 'must match format "byte" (base64)';
    default: return undefined;
  }
}

/** A problem the shape walk found: a JSON pointer and ajv's style of message (`data/spec/replicas must be integer`). */
interface ShapeProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A shape compiled once for the walk: the kind of node decided ahead (no lookups of descriptor strings per value),
 * object fields in maps without a prototype, enums as sets. One class for every kind keeps the walk's reads of a node
 * monomorphic.
 */
class Compiled {
  /** A list's items. */
  public item: Compiled | undefined;
  /** A map's values. */
  public value: Compiled | undefined;

  constructor(
    /** 0 scalar, 1 enum, 2 open object, 3 list, 4 map, 5 typed object. */
    public readonly t: 0 | 1 | 2 | 3 | 4 | 5,
    /** A scalar's descriptor without its "!", or an enum's values as the message lists them. */
    public readonly d: string,
    /** A scalar that refuses null (its descriptor ends in "!"). */
    public readonly strict: boolean,
    public readonly values: Set<unknown> | undefined,
    public readonly fields: Map<string, Compiled> | undefined,
    public readonly required: readonly string[],
  ) {}
}

const OPEN = new Compiled(2, '', false, undefined, undefined, []);
const compiledDefs = new Map<string, Compiled>();
const compiledInline = new WeakMap<object, Compiled>();

function compile(s: Shape): Compiled {
  if (s === 1) return OPEN;
  if (typeof s === 'string') {
    const known = compiledDefs.get(s);
    if (known) return known;
    const fields = shapes!.defs[s];
    if (fields === undefined) {
      const scalar = new Compiled(0, s.endsWith('!') ? s.slice(0, -1) : s, s.endsWith('!'), undefined, undefined, []);
      compiledDefs.set(s, scalar);
      return scalar;
    }
    // Registered before its fields are compiled: definitions refer to each other (and to themselves).
    const node = new Compiled(5, '', false, undefined, new Map(), shapes!.required[s] ?? []);
    compiledDefs.set(s, node);
    for (const k of Object.keys(fields)) node.fields!.set(k, compile(fields[k]));
    return node;
  }
  const known = compiledInline.get(s);
  if (known) return known;
  let node: Compiled;
  if (Array.isArray(s)) {
    node = new Compiled(3, '', false, undefined, undefined, []);
    compiledInline.set(s, node);
    node.item = compile(s[0]);
  } else if ('enum' in s) {
    node = new Compiled(1, s.enum.join(', '), false, new Set(s.enum), undefined, []);
    compiledInline.set(s, node);
  } else {
    node = new Compiled(4, '', false, undefined, undefined, []);
    compiledInline.set(s, node);
    node.value = compile(s['*']);
  }
  return node;
}

const INDEX = Array.from({ length: 64 }, (_, i) => String(i));

/** The state of one walk: the problems so far, the JSON pointer segments of the value being read, the size bound. */
class ShapeWalk {
  public readonly out: ShapeProblem[] = [];
  public chars = 0;
  private readonly segments: string[] = [];

  public walk(value: any, s: Compiled): void {
    switch (s.t) {
      case 0: {
        this.chars += typeof value === 'string' ? value.length + 2 : 24;
        const problem = scalarProblem(s.d, s.strict, value);
        if (problem) this.report(problem);
        if (value !== null && typeof value === 'object') this.whole(value);
        return;
      }
      case 1:
        this.chars += typeof value === 'string' ? value.length + 2 : 24;
        if (!s.values!.has(value)) this.report(`must be equal to one of the allowed values: ${s.d}`);
        return;
    }
    if (value === null) {
      this.chars += 4; // the validators accept null for an object or a list
      return;
    }
    if (s.t === 2) return this.whole(value); // open objects (RawExtension, JSON)
    if (s.t === 3) {
      if (!Array.isArray(value)) return this.report('must be array'), this.whole(value);
      this.chars += 2;
      const segments = this.segments;
      for (let i = 0; i < value.length; i++) {
        segments.push(i < INDEX.length ? INDEX[i] : String(i));
        this.walk(value[i], s.item!);
        segments.pop();
      }
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return this.report('must be object'), this.whole(value);
    this.chars += 2;
    const fields = s.fields;
    for (const r of s.required) if (value[r] === undefined) this.report(`must have required property '${r}'`);
    const segments = this.segments;
    for (const k in value) {
      this.chars += k.length + 3;
      const f = fields ? fields.get(k) : s.value;
      const v = value[k];
      if (f === undefined) {
        this.report(UNKNOWN, this.here(k));
        this.whole(v);
        continue;
      }
      // undefined is what JSON.stringify drops: no field at all
      if (v === undefined) continue;
      segments.push(k);
      this.walk(v, f);
      segments.pop();
    }
  }

  private here(key?: string): string {
    return `/${(key === undefined ? this.segments : [...this.segments, key]).map(pointer).join('/')}`;
  }

  private report(message: string, at = this.here()): void {
    this.out.push({ path: at, message: message === UNKNOWN ? message : `data${at === '/' ? '' : at} ${message}` });
  }

  private whole(value: any): void {
    this.chars += JSON.stringify(value)?.length ?? 0;
  }
}

/**
 * Every problem of `doc` against its vendored shape, in document order. With `size`, it also adds to `size.chars` the
 * characters of every key and string and 24 per other scalar: six times that bounds the document's JSON bytes from
 * above (an escaped character takes at most six), so synth measures only documents that may be large.
 */
export function shapeProblems(doc: any, shape: Shape, size?: { chars: number }): ShapeProblem[] {
  const w = new ShapeWalk();
  w.walk(doc, compile(shape));
  if (size) size.chars += w.chars;
  return w.out;
}

/** JSON paths of the fields of `doc` that `shape` does not declare. */
export function unknownByShape(doc: any, shape: Shape): string[] {
  return shapeProblems(doc, shape).filter((p) => p.message === UNKNOWN).map((p) => p.path);
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
