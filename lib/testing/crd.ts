import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { privateCacheDir } from './cache-dir';
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
 * generated code is keyed by the schema itself and read from the package's precompiled validators (written by
 * `npm run build`, see {@link precompileValidators}), else from this user's private cache folder, shared by their
 * processes, where the first process that needs it compiles it.
 */
function validator(apiVersion: string, kind: string, pointer: string[]): (doc: unknown) => boolean {
  const k = `${apiVersion}/${kind}#${pointer.join('/')}`;
  const known = compiled.get(k);
  if (known) return known;
  const schema = strictSchema(apiVersion, kind, pointer);
  const hash = schemaHash(schema);
  const shipped = SHIPPED.map((dir) => path.join(dir, `${hash}.js`)).find((f) => fs.existsSync(f));
  const cache = cacheDir();
  const cached = cache && path.join(cache, `${hash}.js`);
  let code: string;
  if (shipped) {
    code = fs.readFileSync(shipped, 'utf8');
  } else if (cached && fs.existsSync(cached)) {
    code = fs.readFileSync(cached, 'utf8');
  } else {
    code = standalone(schema);
    if (cached) writeAtomically(cached, code);
  }
  const fn = loadCompiled(code, cached ?? shipped ?? `${hash}.js`, cached && `${cached}.${process.version}.v8`);
  compiled.set(k, fn);
  return fn;
}

/** The package's precompiled validators (build/lib/testing/validators). */
const PRECOMPILED = path.join(__dirname, 'validators');
/** Where precompiled validators may be: the package's, and in a source checkout (lib/testing) those of its last build. */
const SHIPPED = [PRECOMPILED, path.join(__dirname, '..', '..', 'build', 'lib', 'testing', 'validators')];
/** This user's folder of compiled validators (undefined: none can be had safely, so they stay in memory). */
let cacheFolder: string | null | undefined;
const cacheDir = (): string | undefined => (cacheFolder === undefined ? (cacheFolder = privateCacheDir('schema-validators') ?? null) : cacheFolder) ?? undefined;

const schemaHash = (schema: Schema): string => createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 24);

/** ajv's standalone code for a schema. */
function standalone(schema: Schema): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const Ajv = require('ajv').default;
  const standaloneCode = require('ajv/dist/standalone').default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { source: true } });
  return standaloneCode(ajv, ajv.compile(schema));
}

function writeAtomically(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file); // atomic: parallel processes write the same content
}

/**
 * Writes ajv's standalone code of every vendored schema (and of the embedded Tekton specs the checks validate alone)
 * to `dir`, named by the schema's hash, so the first synth after installing the package compiles none. Run by
 * `npm run build` (tools/schemas.js --precompile), never at install time. Returns how many files it wrote.
 */
export function precompileValidators(dir: string = PRECOMPILED): number {
  const wanted: Array<[string, string, string[]]> = [];
  for (const key of loadSchemas().keys()) {
    const i = key.lastIndexOf('/');
    wanted.push([key.slice(0, i), key.slice(i + 1), []]);
  }
  for (const kind of EMBEDDED_SPECS) wanted.push(['tekton.dev/v1', kind, ['properties', 'spec']]);
  const written = new Set<string>();
  for (const [apiVersion, kind, pointer] of wanted) {
    const schema = strictSchema(apiVersion, kind, pointer);
    const file = path.join(dir, `${schemaHash(schema)}.js`);
    if (written.has(file)) continue;
    writeAtomically(file, standalone(schema));
    written.add(file);
  }
  return written.size;
}

/** The Tekton kinds whose spec lib/testing/tekton.ts validates on its own (an inline taskSpec or pipelineSpec). */
const EMBEDDED_SPECS = ['Task', 'Pipeline'];

/**
 * Runs ajv's generated code. V8 compiles a function when it is first called, which for the large validators costs
 * more than parsing them; so after the first validation the compiled code is cached next to the source (V8 checks the
 * cache against its version and the source, and ignores a stale one) and later processes start from it.
 */
function loadCompiled(code: string, file: string, cacheFile: string | undefined): (doc: unknown) => boolean {
  // The cache file is in this user's cache folder: the package's folder may be read-only.
  const cachedData = cacheFile && fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(`(function (module, exports, require) {${code}\n})`, { filename: file, cachedData });
  const mod: { exports: any } = { exports: {} };
  // The generated code requires ajv's runtime helpers; resolve them from this package.
  script.runInThisContext()(mod, mod.exports, require);
  const validate = (mod.exports.default ?? mod.exports) as ((doc: unknown) => boolean) & { errors?: unknown };
  if (!cacheFile || (cachedData && !script.cachedDataRejected)) return validate;
  let first = true;
  const once = (doc: unknown): boolean => {
    const ok = validate(doc);
    (once as any).errors = validate.errors;
    if (first) {
      first = false;
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // a read-only temp directory only costs the compile time
      }
    }
    return ok;
  };
  return once;
}
