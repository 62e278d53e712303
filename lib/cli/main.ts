/** The `slipway` command: argument parsing and output for `check`, `import`, `synth` and `graph`. */
import * as fs from 'fs';
import * as path from 'path';
import type * as CheckModule from './check';
import { Diagnostic, formatDiagnostic } from './diagnostic';
import type * as GraphModule from './graph';
import type * as ImportModule from './import';
import type * as JenkinsfileModule from './jenkinsfile';
import type * as ValidateModule from '../testing/validate';
import { formatBytes, synth } from './synth';
import type * as YamlSourceModule from './yaml-source';

/* eslint-disable @typescript-eslint/no-require-imports */
// The readers and checkers load every layer of slipway; `synth` needs none of them, so each command loads what it uses.
const checkModule = (): typeof CheckModule => require('./check');
const graphModule = (): typeof GraphModule => require('./graph');
const importModule = (): typeof ImportModule => require('./import');
const jenkinsfileModule = (): typeof JenkinsfileModule => require('./jenkinsfile');
const isJenkinsfile = (file: string): boolean => (require('../testing/validate') as typeof ValidateModule).isJenkinsfile(file);
const parseYamlFile: typeof YamlSourceModule.parseYamlFile = (file, text) => (require('./yaml-source') as typeof YamlSourceModule).parseYamlFile(file, text);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Where the command writes and which directory it runs in. */
export interface CommandIo {
  /** Standard output. */
  readonly out: (text: string) => void;
  /** Standard error. */
  readonly err: (text: string) => void;
  /** The working directory. */
  readonly cwd: string;
}

const USAGE = `usage: slipway <command> [options]

commands:
  synth [--app CMD] [--output DIR] [--verify | --update]
      run the app of cdk8s.yaml and list every file it writes; --verify fails when committed copies of
      generated files drift, --update rewrites them
  check PATH... [--format text|json]
      check YAML files and Jenkinsfiles (folders are read recursively) against the strict schemas and every
      slipway rule; exit 1 on errors
  import FILE... [--out DIR] [--name NAME]
      write TypeScript that builds the files' objects through slipway's typed API (stdout without --out)
  graph FILE
      print the Mermaid stage graph of a Tekton Pipeline or a Jenkinsfile
`;

/** Thrown for bad arguments (exit 2). */
class UsageError extends Error {}

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

function parseArgs(args: readonly string[], valued: readonly string[], booleans: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { positional.push(...args.slice(i + 1)); break; }
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (valued.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    } else if (booleans.includes(name) && inline === undefined) flags.set(name, true);
    else throw new UsageError(`unknown option --${name}`);
  }
  return { positional, flags };
}

/** Runs the command; returns the exit code (0 ok, 1 findings or failure, 2 usage). */
export function run(argv: readonly string[], io: CommandIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': return runCheck(rest, io);
      case 'import': return runImport(rest, io);
      case 'synth': return runSynth(rest, io);
      case 'graph': return runGraph(rest, io);
      case undefined: case 'help': case '--help': case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default: throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`slipway: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`slipway ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function resolveAll(io: CommandIo, paths: string[]): string[] {
  return paths.map((p) => {
    const full = path.resolve(io.cwd, p);
    if (!fs.existsSync(full)) throw new UsageError(`no such file or folder: ${p}`);
    return path.relative(io.cwd, full) || '.';
  });
}

function runCheck(args: readonly string[], io: CommandIo): number {
  const { positional, flags } = parseArgs(args, ['format'], []);
  const format = flags.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format is text or json, not ${JSON.stringify(format)}`);
  if (positional.length === 0) throw new UsageError('check needs at least one file or folder');
  const paths = resolveAll(io, positional);
  const report = inDir(io.cwd, () => checkModule().checkPaths(paths));
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  if (format === 'json') {
    io.out(`${JSON.stringify({ errors, warnings: report.diagnostics.length - errors, diagnostics: report.diagnostics, documents: report.documents }, null, 2)}\n`);
  } else {
    for (const d of report.diagnostics) io.out(`${formatDiagnostic(d)}\n`);
    const byCoverage = (c: string) => report.documents.filter((d) => d.coverage === c).length;
    io.out(`${report.files.length} file(s), ${report.documents.length} document(s): ${byCoverage('rules')} checked with every rule, `
      + `${byCoverage('schema-only')} with the schema only, ${byCoverage('none')} not checked; ${errors} error(s)\n`);
  }
  return errors > 0 ? 1 : 0;
}

/** Imports one Jenkinsfile; what it refuses is reported at `file:line:col` of the file given, not of the module. */
function importJenkinsfileAt(file: string, text: string, name: string): string {
  try {
    return jenkinsfileModule().importJenkinsfile(text, name);
  } catch (e) {
    const found: readonly Diagnostic[] | undefined = (e as { diagnostics?: Diagnostic[] }).diagnostics;
    if (!found) throw e;
    throw new Error(`cannot import:\n${found.map((d) => formatDiagnostic({ ...d, file })).join('\n')}`);
  }
}

function runImport(args: readonly string[], io: CommandIo): number {
  const { positional, flags } = parseArgs(args, ['out', 'name'], []);
  if (positional.length === 0) throw new UsageError('import needs at least one file');
  const files = resolveAll(io, positional);
  const outDir = flags.get('out') as string | undefined;
  const yamlFiles = files.filter((f) => !isJenkinsfile(f));
  const modules: Array<{ name: string; code: string; summary: string[] }> = [];
  for (const f of files.filter(isJenkinsfile)) {
    const name = moduleName(f);
    modules.push({ name, code: importJenkinsfileAt(f, fs.readFileSync(path.resolve(io.cwd, f), 'utf8'), name), summary: [`${f}: Jenkinsfile`] });
  }
  if (yamlFiles.length > 0) {
    const name = (flags.get('name') as string | undefined) ?? (yamlFiles.length === 1 ? moduleName(yamlFiles[0]) : 'imported');
    const result = importModule().importTexts(yamlFiles.map((f) => ({ file: f, text: fs.readFileSync(path.resolve(io.cwd, f), 'utf8') })), name);
    modules.push({
      name, code: result.code,
      summary: [
        `${result.typed} object(s) through the typed API, ${result.raw} raw (escape hatch)`,
        ...result.notes.map((n) => `${n.kind}: ${n.text}`),
        ...result.gaps.map((g) => `gap: ${g}`),
        ...result.externals.map((x) => `external: ${x}`),
      ],
    });
  }
  for (const m of modules) {
    if (outDir) {
      const target = path.resolve(io.cwd, outDir, `${m.name}.ts`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, m.code);
      io.out(`wrote ${path.relative(io.cwd, target)}\n${m.summary.map((s) => `  ${s}\n`).join('')}`);
    } else {
      io.out(m.code);
      io.err(m.summary.map((s) => `${s}\n`).join(''));
    }
  }
  return 0;
}

/** A TypeScript module name from a file name: `ci-pipeline.yaml` → `ci-pipeline`. */
function moduleName(file: string): string {
  const base = path.basename(file).replace(/\.(ya?ml|groovy|Jenkinsfile)$/, '');
  return (base === 'Jenkinsfile' ? 'jenkinsfile' : base).replace(/[^A-Za-z0-9_-]+/g, '-') || 'imported';
}

function runSynth(args: readonly string[], io: CommandIo): number {
  const { positional, flags } = parseArgs(args, ['app', 'output'], ['verify', 'update']);
  if (positional.length > 0) throw new UsageError(`synth takes no files (got ${positional.join(' ')})`);
  if (flags.has('verify') && flags.has('update')) throw new UsageError('--verify and --update exclude each other');
  const result = synth({
    cwd: io.cwd, app: flags.get('app') as string | undefined, output: flags.get('output') as string | undefined,
    verify: flags.has('verify'), update: flags.has('update'),
  });
  const width = Math.max(0, ...result.files.map((f) => f.path.length));
  for (const f of result.files) io.out(`${f.path.padEnd(width)}  ${formatBytes(f.bytes).padStart(10)}\n`);
  const total = result.files.reduce((n, f) => n + f.bytes, 0);
  io.out(`${result.files.length} file(s), ${formatBytes(total)} in ${result.output}${result.exitCode ? ` (the app failed with exit code ${result.exitCode})` : ''}\n`);
  return result.exitCode === 0 ? 0 : 1;
}

function runGraph(args: readonly string[], io: CommandIo): number {
  const { positional } = parseArgs(args, [], []);
  if (positional.length !== 1) throw new UsageError('graph needs exactly one file');
  const [file] = resolveAll(io, positional);
  const text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
  if (isJenkinsfile(file)) {
    io.out(jenkinsfileModule().jenkinsfileGraph(text));
    return 0;
  }
  const parsed = parseYamlFile(file, text);
  if (parsed.errors.length > 0) throw new Error(`${file}:${parsed.errors[0].line}:${parsed.errors[0].column}: ${parsed.errors[0].message}`);
  const pipelines = parsed.documents.filter((d) => d.value?.kind === 'Pipeline' && String(d.value?.apiVersion).startsWith('tekton.dev/'));
  if (pipelines.length === 0) throw new Error(`${file} holds no Tekton Pipeline`);
  io.out(pipelines.map((d) => (pipelines.length > 1 ? `%% Pipeline ${d.value?.metadata?.name}\n` : '') + graphModule().tektonPipelineGraph(d.value)).join('\n'));
  return 0;
}

/** Runs `fn` with the process in `dir`, so relative file names in findings stay as the user typed them. */
function inDir<T>(dir: string, fn: () => T): T {
  const before = process.cwd();
  if (before === dir) return fn();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(before);
  }
}
