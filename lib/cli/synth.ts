/** `slipway synth`: runs the `app` of cdk8s.yaml directly (no cdk8s-cli start-up) and lists what it wrote. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** Options of {@link synth}. */
export interface SynthOptions {
  /** The directory holding cdk8s.yaml (and the app's working directory). */
  readonly cwd: string;
  /**
   * The command that runs the app.
   * @default the `app` of cdk8s.yaml
   */
  readonly app?: string;
  /**
   * The output directory.
   * @default the `output` of cdk8s.yaml, else `dist`
   */
  readonly output?: string;
  /**
   * Fail when a committed copy of a generated file differs (`SLIPWAY_COMMITTED=verify`).
   * @default false
   */
  readonly verify?: boolean;
  /**
   * Overwrite the committed copies (`SLIPWAY_COMMITTED=update`).
   * @default false
   */
  readonly update?: boolean;
}

/** One file the app wrote. */
export interface WrittenFile {
  /** Path relative to `cwd`. */
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/** What {@link synth} did. */
export interface SynthResult {
  /** The app's exit code (0 on success). */
  readonly exitCode: number;
  /** Every file under the output directory after the run, sorted. */
  readonly files: WrittenFile[];
  /** The output directory, relative to `cwd`. */
  readonly output: string;
}

/** The `app` and `output` of `cdk8s.yaml` in `cwd` (empty when there is none). */
export function readCdk8sConfig(cwd: string): { app?: string; output?: string } {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return {};
  const config = parse(fs.readFileSync(file, 'utf8')) ?? {};
  return { app: typeof config.app === 'string' ? config.app : undefined, output: typeof config.output === 'string' ? config.output : undefined };
}

/**
 * Empties the output directory (as `cdk8s synth` does), runs the app with `CDK8S_OUTDIR` set and its output
 * passed through, then lists the files. `verify`/`update` set `SLIPWAY_COMMITTED`, which `PipelineApp` reads.
 */
export function synth(options: SynthOptions): SynthResult {
  if (options.verify && options.update) throw new Error('--verify and --update exclude each other');
  const config = readCdk8sConfig(options.cwd);
  const app = options.app ?? config.app;
  if (!app) throw new Error(`no app: pass --app or set app in ${path.join(options.cwd, 'cdk8s.yaml')}`);
  const output = options.output ?? config.output ?? 'dist';
  const outdir = path.resolve(options.cwd, output);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDK8S_OUTDIR: outdir };
  if (options.verify) env.SLIPWAY_COMMITTED = 'verify';
  if (options.update) env.SLIPWAY_COMMITTED = 'update';
  const run = spawnSync(app, { cwd: options.cwd, env, shell: true, stdio: 'inherit' });
  const exitCode = run.status ?? 1;
  return { exitCode, files: listFiles(outdir, options.cwd), output: path.relative(options.cwd, outdir) || '.' };
}

function listFiles(dir: string, cwd: string): WrittenFile[] {
  const out: WrittenFile[] = [];
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push({ path: path.relative(cwd, full), bytes: fs.statSync(full).size });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Human size: bytes, KiB or MiB with one decimal. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
