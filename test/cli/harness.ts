/**
 * Round-trip helpers: type-check generated code under strict with the TypeScript compiler API, run it, and compare
 * its synth output with the input documents after normalising order and server defaults.
 */
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { Duration } from '../../lib';
import { serverDefaults } from './workloads-support';

const ROOT = path.resolve(__dirname, '..', '..');

/** Type errors of generated modules (file name → code) under `strict`, with `slipway` mapped to lib/index.ts. */
export function typeErrors(modules: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true,
    moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, types: ['node'], baseUrl: ROOT,
    paths: { slipway: ['lib/index.ts'] }, typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  };
  const host = ts.createCompilerHost(options);
  const virtual = new Map(Object.entries(modules).map(([f, c]) => [path.join(ROOT, 'generated', f), c]));
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const getSource = host.getSourceFile.bind(host);
  host.readFile = (f) => virtual.get(f) ?? read(f);
  host.fileExists = (f) => virtual.has(f) || exists(f);
  host.getSourceFile = (f, lang, ...rest) => (virtual.has(f) ? ts.createSourceFile(f, virtual.get(f)!, lang) : getSource(f, lang, ...rest));
  const program = ts.createProgram([...virtual.keys()], options, host);
  // Only the generated files are checked; the library is read for its types (its own check is `tsc` in npm test).
  const diagnostics = [...program.getOptionsDiagnostics(), ...[...virtual.keys()].flatMap((f) => {
    const sf = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  })];
  return diagnostics.map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Runs a generated module's `build(scope)` on a fresh chart and returns the synthesized documents. */
export function runGenerated(code: string): any[] {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const mod: { exports: any } = { exports: {} };
  const req = (id: string): unknown => (id === 'slipway' ? require('../../lib') : require(id));
  new Function('module', 'exports', 'require', js)(mod, mod.exports, req);
  const chart = new Chart(Testing.app(), 'imported');
  mod.exports.build(chart);
  return Testing.synth(chart);
}

/**
 * Normal form for comparing documents: keys sorted, empty objects and lists dropped, durations as milliseconds
 * (the API servers store them in their own canonical form),
 * resolver params sorted, and the defaults the Tekton API server fills in (param, result and object property
 * type `string`, taskRef kind `Task`, Triggers binding kind `TriggerBinding` and interceptor kind `ClusterInterceptor`)
 * made explicit, and the core workload kinds' server defaults (see workloads-support.ts). Documents sorted by kind
 * and name.
 */
export function normalise(docs: any[]): any[] {
  return docs.map((d) => clean(defaults(serverDefaults(d))))
    .sort((a, b) => key(a).localeCompare(key(b)));
}

function key(d: any): string {
  return `${d.apiVersion}/${d.kind}/${d.metadata?.name ?? d.metadata?.generateName}`;
}

function defaults(x: any, parent = ''): any {
  if (Array.isArray(x)) {
    const items = x.map((v) => defaults(v, parent));
    if (parent === 'params' && items.every((p) => p && typeof p === 'object' && 'name' in p && !('type' in p) && !('default' in p) && 'value' in p)) {
      return items;
    }
    // Triggers' defaults: a binding by ref is a TriggerBinding, an interceptor ref a ClusterInterceptor.
    if (parent === 'bindings') return items.map((b) => (b && typeof b === 'object' && 'ref' in b && !('kind' in b) ? { ...b, kind: 'TriggerBinding' } : b));
    if (parent === 'interceptors') return items.map((i) => (i?.ref && typeof i.ref === 'object' && !i.ref.kind ? { ...i, ref: { ...i.ref, kind: 'ClusterInterceptor' } } : i));
    if ((parent === 'params' || parent === 'results') && items.every((p) => p && typeof p === 'object' && 'name' in p && !('value' in p && parent === 'params'))) {
      return items.map((p) => ({ type: 'string', ...p }));
    }
    return items;
  }
  if (x === null || typeof x !== 'object') return x;
  const out: any = {};
  for (const [k, v] of Object.entries(x)) {
    if ((DURATIONS.has(k) || parent === 'timeouts') && typeof v === 'string') out[k] = millis(v);
    else if (parent === 'properties' && v && typeof v === 'object') out[k] = { type: 'string', ...v };
    else out[k] = defaults(v, k);
  }
  if ((parent === 'taskRef') && out.name && !out.resolver && !out.apiVersion && !out.kind) out.kind = 'Task';
  if ((parent === 'taskRef' || parent === 'pipelineRef' || parent === 'ref') && Array.isArray(out.params)) {
    out.params = [...out.params].sort((a: any, b: any) => String(a.name).localeCompare(String(b.name)));
  }
  return out;
}

/** Duration fields of Tekton and Istio documents. */
const DURATIONS = new Set(['timeout', 'perTryTimeout', 'fixedDelay', 'maxAge', 'interval']);

/** A Go or protobuf duration (`1h30m`, `2.5s`) in milliseconds. */
function millis(v: string): number {
  const m = /^(\d+)\.(\d+)s$/.exec(v);
  return m ? Number(m[1]) * 1000 + Number(m[2].padEnd(3, '0').slice(0, 3)) : Duration.parse(v).toMilliseconds();
}

function clean(x: any): any {
  if (Array.isArray(x)) {
    const items = x.map(clean).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (x === null || typeof x !== 'object') return x;
  const out: any = {};
  for (const k of Object.keys(x).sort()) {
    const v = clean(x[k]);
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}
