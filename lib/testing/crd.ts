import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { loadSchemas, Schema } from './schemas';
import { Problem } from './problem';

const strictSchemas = new Map<string, Schema>();
const compiled = new Map<string, (doc: unknown) => boolean>();

/** True if a vendored schema exists for this apiVersion and kind. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return loadSchemas().has(`${apiVersion}/${kind}`);
}

/**
 * The strict schema of a kind, or the part of it at `pointer` (e.g. `['properties', 'spec']` of a Task, to check an
 * inline `taskSpec`).
 */
export function strictSchema(apiVersion: string, kind: string, pointer: string[] = []): Schema {
  const k = `${apiVersion}/${kind}`;
  let s = strictSchemas.get(k);
  if (!s) {
    const raw = loadSchemas().get(k);
    if (!raw) throw new Error(`no schema for ${apiVersion} ${kind}`);
    s = strict(withObjectHeader(raw));
    strictSchemas.set(k, s);
  }
  for (const p of pointer) {
    s = s[p];
    if (!s) throw new Error(`no schema at ${pointer.join('/')} of ${apiVersion} ${kind}`);
  }
  return s;
}

/**
 * Some CRDs (Istio's) list only `spec`/`status` at the top level; every object also has apiVersion, kind and
 * metadata, which the API server handles itself, so they are added before the schema is made strict.
 */
function withObjectHeader(schema: Schema): Schema {
  if (!schema.properties) return schema;
  return { ...schema, properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties } };
}

/** Deep copy of `s` with `additionalProperties: false` wherever the API server would prune or reject unknown fields. */
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

/** Schema problems of `value` against the strict schema (at `pointer`) of a kind; empty when valid. */
export function schemaProblems(apiVersion: string, kind: string, value: unknown, document: string, pointer: string[] = []): Problem[] {
  const validate = validator(apiVersion, kind, pointer) as ((d: unknown) => boolean) & { errors?: any[] };
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => ({
    check: 'schema' as const,
    document,
    path: e.instancePath || '/',
    message: `${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`,
  }));
}

/**
 * The compiled validator of a (sub-)schema. Compiling the large Tekton and Argo schemas takes seconds, so ajv's
 * generated code is cached in the temp directory, keyed by the schema itself, and shared by every process.
 */
function validator(apiVersion: string, kind: string, pointer: string[]): (doc: unknown) => boolean {
  const k = `${apiVersion}/${kind}#${pointer.join('/')}`;
  const known = compiled.get(k);
  if (known) return known;
  const schema = strictSchema(apiVersion, kind, pointer);
  const hash = createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 24);
  const cached = path.join(os.tmpdir(), 'slipway-schema-validators', `${hash}.js`);
  let code: string;
  if (fs.existsSync(cached)) {
    code = fs.readFileSync(cached, 'utf8');
  } else {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const Ajv = require('ajv').default;
    const standaloneCode = require('ajv/dist/standalone').default;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
    code = standaloneCode(ajv, ajv.compile(schema));
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached); // atomic: parallel processes write the same content
  }
  const fn = loadCompiled(code, cached);
  compiled.set(k, fn);
  return fn;
}

/**
 * Runs ajv's generated code. V8 compiles a function when it is first called, which for the large validators costs
 * more than parsing them; so after the first validation the compiled code is cached next to the source (V8 checks the
 * cache against its version and the source, and ignores a stale one) and later processes start from it.
 */
function loadCompiled(code: string, file: string): (doc: unknown) => boolean {
  const cacheFile = `${file}.${process.version}.v8`;
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(`(function (module, exports, require) {${code}\n})`, { filename: file, cachedData });
  const mod: { exports: any } = { exports: {} };
  // The generated code requires ajv's runtime helpers; resolve them from this package.
  script.runInThisContext()(mod, mod.exports, require);
  const validate = (mod.exports.default ?? mod.exports) as ((doc: unknown) => boolean) & { errors?: unknown };
  if (cachedData && !script.cachedDataRejected) return validate;
  let first = true;
  const once = (doc: unknown): boolean => {
    const ok = validate(doc);
    (once as any).errors = validate.errors;
    if (first) {
      first = false;
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // a read-only temp directory only costs the compile time
      }
    }
    return ok;
  };
  return once;
}
