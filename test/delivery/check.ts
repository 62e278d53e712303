/**
 * The independent checkers for delivery documents. Only the CRDs this layer emits are loaded (the shared checker
 * reads the directory named by SLIPWAY_CRDS_DIR), without their descriptions, which cuts the load time by 4x.
 * Istio's CRD schemas declare only `spec`/`status` at the top level, so the shared strict check would reject `apiVersion`/`kind`/`metadata` there;
 * Istio documents are checked against the strict `spec` sub-schema, with the top-level keys checked here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import { parseAllDocuments } from 'yaml';

const SOURCE = process.env.SLIPWAY_CRDS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'crds');
const FILES = ['argo-rollouts-rollout.yaml', 'argo-rollouts-analysis-template.yaml', 'argo-rollouts-cluster-analysis-template.yaml',
  'argo-rollouts-experiment.yaml', 'istio-crds.yaml', 'knative-serving-service.yaml'];
process.env.SLIPWAY_CRDS_DIR = strippedCopy();

/**
 * The CRDs above with their `description` texts removed (about 85 % of the bytes; they never affect validation),
 * written once per version of the sources as JSON documents (valid YAML) to the temp directory and reused.
 */
function strippedCopy(): string {
  const stamp = FILES.map((f) => {
    const st = fs.statSync(path.join(SOURCE, f));
    return `${f}:${st.size}:${st.mtimeMs}`;
  }).join('|');
  const dir = path.join(os.tmpdir(), `slipway-delivery-crds-${createHash('sha256').update(stamp).digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, 'complete'))) return dir;
  const tmp = fs.mkdtempSync(`${dir}-tmp-`);
  const strip = (x: any): any => (Array.isArray(x) ? x.map(strip)
    : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'description').map(([k, v]) => [k, strip(v)])) : x);
  for (const f of FILES) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(SOURCE, f), 'utf8')).map((d) => strip(d.toJS())).filter(Boolean);
    fs.writeFileSync(path.join(tmp, f), docs.map((d) => JSON.stringify(d)).join('\n---\n'));
  }
  fs.writeFileSync(path.join(tmp, 'complete'), stamp);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // another worker finished first; its copy is identical
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { crdErrors } = require('../support/crds') as typeof import('../support/crds');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { expectDocumentsValid } = require('../support/validate') as typeof import('../support/validate');

const ISTIO = /\.istio\.io\//;

/** Core documents through kubernetes-models, CRD documents through the strict upstream schemas. */
export function expectValid(docs: any[]): void {
  const istio = docs.filter((d) => ISTIO.test(d?.apiVersion ?? ''));
  const rest = docs.filter((d) => !ISTIO.test(d?.apiVersion ?? ''));
  if (rest.length > 0) expectDocumentsValid(rest);
  const problems: string[] = [];
  for (const d of istio) {
    const id = `${d.apiVersion} ${d.kind} ${d.metadata?.name}`;
    for (const k of Object.keys(d)) if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(k)) problems.push(`${id}: unknown top-level field ${k}`);
    if (!d.metadata?.name) problems.push(`${id}: metadata.name missing`);
    for (const e of crdErrors(d.apiVersion, d.kind, d.spec ?? {}, ['properties', 'spec'])) problems.push(`${id}: spec${e}`);
  }
  if (problems.length > 0) throw new Error(`CRD schema validation failed:\n  ${problems.join('\n  ')}`);
}

/** The strict-schema errors of one CRD document (for tests that prove the checker bites). */
export function schemaErrors(doc: any): string[] {
  return ISTIO.test(doc.apiVersion) ? crdErrors(doc.apiVersion, doc.kind, doc.spec, ['properties', 'spec']) : crdErrors(doc.apiVersion, doc.kind, doc);
}
