import * as fs from 'fs';
import * as path from 'path';
import { AUTHORED_SCHEMAS } from './authored-schemas';

/** A JSON Schema object as stored in `schemas/`. */
export type Schema = Record<string, any>;

/**
 * The schemas folder: `SLIPWAY_SCHEMAS_DIR` (a folder of this package's layout, or of upstream CRD YAML files), else
 * the `schemas/` folder shipped with the package.
 */
export function schemasDir(): string {
  const dir = process.env.SLIPWAY_SCHEMAS_DIR ?? process.env.SLIPWAY_CRDS_DIR;
  if (dir) return path.resolve(dir);
  return packageSchemasDir();
}

/** The `schemas/` folder shipped with the package. */
export function packageSchemasDir(): string {
  // From lib/testing (sources) or build/lib/testing (the package), the package root is the first parent with schemas/.
  for (let d = __dirname; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'schemas', 'index.json'))) return path.join(d, 'schemas');
    if (path.dirname(d) === d) throw new Error(`no schemas/index.json above ${__dirname}: reinstall slipway or set SLIPWAY_SCHEMAS_DIR`);
  }
}

let loaded: { dir: string; schemas: Map<string, Schema> } | undefined;

/** Every schema, keyed `apiVersion/kind` (e.g. `tekton.dev/v1/Task`), as upstream wrote it (not yet strict), and slipway's own for kinds upstream leaves without one. */
export function loadSchemas(): Map<string, Schema> {
  const dir = schemasDir();
  if (loaded?.dir === dir) return loaded.schemas;
  const schemas = fs.existsSync(path.join(dir, 'index.json')) ? fromSchemasFolder(dir) : fromCrdFolder(dir);
  // Kinds whose upstream CRDs carry no schema are checked against slipway's own (an upstream one wins).
  for (const [k, schema] of AUTHORED_SCHEMAS) if (!schemas.has(k)) schemas.set(k, schema);
  loaded = { dir, schemas };
  return schemas;
}

function fromSchemasFolder(dir: string): Map<string, Schema> {
  const out = new Map<string, Schema>();
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { kinds: Record<string, { file: string }> };
  for (const { file } of Object.values(index.kinds)) {
    const entry = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { kind: string; versions: Record<string, Schema | string> };
    for (const [apiVersion, schema] of Object.entries(entry.versions)) {
      const resolved = typeof schema === 'string' ? entry.versions[schema] : schema;
      out.set(`${apiVersion}/${entry.kind}`, resolved as Schema);
    }
  }
  return out;
}

function fromCrdFolder(dir: string): Map<string, Schema> {
  if (!fs.existsSync(dir)) throw new Error(`schemas folder ${dir} does not exist (SLIPWAY_SCHEMAS_DIR)`);
  const out = new Map<string, Schema>();
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    // The YAML reader is loaded only for a folder of CRD files: synth's strict check reads no YAML.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseAllDocuments } = require('yaml') as typeof import('yaml');
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions ?? []) {
        const schema = v.served === false ? undefined : v.schema?.openAPIV3Schema;
        if (schema) out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, schema);
      }
    }
  }
  return out;
}
