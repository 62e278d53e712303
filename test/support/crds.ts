/**
 * Validates CRD documents (Tekton, Argo Rollouts, Istio, Knative) with ajv against the upstream CRD schemas in
 * `../shared/crds` (override with SLIPWAY_CRDS_DIR). The schemas are made strict first: every object schema that
 * lists properties and does not preserve unknown fields gets `additionalProperties: false`, because the API server
 * prunes or refuses unknown fields while the schemas alone would let typos through.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { parseAllDocuments } from 'yaml';

export const CRDS_DIR = process.env.SLIPWAY_CRDS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'crds');

type Schema = Record<string, any>;
let schemas: Map<string, Schema> | undefined;
const compiled = new Map<string, ValidateFunction>();

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

function load(): Map<string, Schema> {
  if (schemas) return schemas;
  schemas = new Map();
  for (const crd of cachedCrds()) {
    for (const v of crd.spec.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (schema) schemas.set(key(`${crd.spec.group}/${v.name}`, crd.spec.names.kind), strict(withObjectHeader(schema)));
    }
  }
  return schemas;
}

/**
 * The CRDs of CRDS_DIR without their `description` texts (a property named description is kept) (most of the bytes; they never affect validation), parsed
 * once per content of the directory and cached as JSON in the temp directory, so each test worker loads them fast.
 */
function cachedCrds(): any[] {
  const files = fs.readdirSync(CRDS_DIR).filter((f) => f.endsWith('.yaml')).sort();
  const stamp = files.map((f) => {
    const st = fs.statSync(path.join(CRDS_DIR, f));
    return `${f}:${st.size}:${st.mtimeMs}`;
  }).join('|');
  const cache = path.join(os.tmpdir(), `slipway-crds-${createHash('sha256').update(`${CRDS_DIR}|${stamp}`).digest('hex').slice(0, 16)}.json`);
  if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, 'utf8'));
  const strip = (x: any): any => (Array.isArray(x) ? x.map(strip)
    : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k, v]) => !(k === 'description' && typeof v === 'string')).map(([k, v]) => [k, strip(v)])) : x);
  const crds = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(CRDS_DIR, f), 'utf8')).map((d) => d.toJS()))
    .filter((d) => d?.kind === 'CustomResourceDefinition').map(strip);
  const tmp = `${cache}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(crds));
  fs.renameSync(tmp, cache); // atomic: parallel workers write identical content
  return crds;
}

/**
 * Some CRDs (Istio's) list only `spec`/`status` at the top level; every object also has apiVersion, kind and
 * metadata, which the API server handles itself, so add them before the schema is made strict.
 */
function withObjectHeader(schema: Schema): Schema {
  if (!schema.properties) return schema;
  return {
    ...schema,
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties },
  };
}

/** Deep copy of `s` with `additionalProperties: false` wherever the API server would reject unknown fields. */
export function strict(s: Schema): Schema {
  if (Array.isArray(s)) return s.map(strict) as any;
  if (s === null || typeof s !== 'object') return s;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, strict(ps)])) : strict(v);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** True if a schema exists for this apiVersion and kind. */
export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return load().has(key(apiVersion, kind));
}

/**
 * The (strict) schema at `pointer` inside the CRD schema, e.g. `['properties', 'spec']` of a Task to check an
 * inline `taskSpec`.
 */
export function crdSubSchema(apiVersion: string, kind: string, pointer: string[] = []): Schema {
  let s = load().get(key(apiVersion, kind));
  if (!s) throw new Error(`no CRD schema for ${apiVersion} ${kind} in ${CRDS_DIR}`);
  for (const p of pointer) {
    s = s[p];
    if (!s) throw new Error(`no schema at ${pointer.join('/')} of ${apiVersion} ${kind}`);
  }
  return s;
}

/** ajv errors of `value` against the schema at `pointer` of a CRD; empty when valid. */
export function crdErrors(apiVersion: string, kind: string, value: unknown, pointer: string[] = []): string[] {
  const validate = validator(apiVersion, kind, pointer);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) =>
    `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`);
}

/**
 * The compiled validator for a (sub-)schema. Compiling the large Tekton and Argo schemas takes seconds, so the
 * generated code (ajv standalone) is cached in the temp directory, keyed by the schema itself, and reused by every
 * test worker.
 */
function validator(apiVersion: string, kind: string, pointer: string[]): ValidateFunction {
  const k = `${key(apiVersion, kind)}#${pointer.join('/')}`;
  const known = compiled.get(k);
  if (known) return known;
  const schema = crdSubSchema(apiVersion, kind, pointer);
  const hash = createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 24);
  const cached = path.join(os.tmpdir(), 'slipway-crd-validators', `${hash}.js`);
  let code: string;
  if (fs.existsSync(cached)) {
    code = fs.readFileSync(cached, 'utf8');
  } else {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
    code = standaloneCode(ajv, ajv.compile(schema));
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  }
  const mod: { exports: any } = { exports: {} };
  new Function('module', 'exports', 'require', code)(mod, mod.exports, require);
  const fn = (mod.exports.default ?? mod.exports) as ValidateFunction;
  compiled.set(k, fn);
  return fn;
}

/**
 * Asserts every document validates against its CRD schema. A document of a group with CRDs here but no schema
 * for its kind or version fails too, so nothing goes unchecked by accident.
 */
export function expectCrdValid(docs: any[]): void {
  const problems: string[] = [];
  for (const doc of docs) {
    const id = `${doc?.apiVersion} ${doc?.kind} ${doc?.metadata?.name ?? doc?.metadata?.generateName ?? ''}`;
    if (!hasCrdSchema(doc?.apiVersion, doc?.kind)) {
      problems.push(`${id}: no CRD schema in ${CRDS_DIR}`);
      continue;
    }
    for (const e of crdErrors(doc.apiVersion, doc.kind, doc)) problems.push(`${id}: ${e}`);
  }
  if (problems.length > 0) throw new Error(`CRD schema validation failed:\n  ${problems.join('\n  ')}`);
}
