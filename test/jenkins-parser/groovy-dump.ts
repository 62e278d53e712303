/**
 * Runs ast-dump.groovy (Groovy 2.4.21's own parser, to CONVERSION) over texts in one JVM. The dumper is compiled
 * once per source change into build/jfparser-dump.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { groovyJars as jars, groovyUnavailable, javaBin as java } from '../../lib/testing/groovy';

function javaBin(): string {
  const problem = groovyUnavailable();
  if (problem) throw new Error(problem);
  return java()!;
}

function groovyJars(): string[] {
  return jars()!;
}

export interface GroovyDump {
  readonly ok: boolean;
  readonly errors: Array<{ line: number; column: number; message: string }>;
  readonly ast?: unknown;
}

function compiled(): string {
  const src = path.join(__dirname, 'ast-dump.groovy');
  const out = path.join(__dirname, '..', '..', 'build', 'jfparser-dump');
  const stamp = path.join(out, '.source-hash');
  const hash = crypto.createHash('sha256').update(fs.readFileSync(src)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return out;
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const r = spawnSync(javaBin(), ['-cp', groovyJars().join(':'), 'org.codehaus.groovy.tools.FileSystemCompiler', '-d', out, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling ast-dump.groovy failed:\n${r.stdout}\n${r.stderr}`);
  fs.writeFileSync(stamp, hash);
  return out;
}

/** Groovy 2.4's normalised AST of each text (keyed by name). */
export function groovyDump(texts: Record<string, string>): Record<string, GroovyDump> {
  const cls = compiled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jfd-'));
  const byFile = new Map<string, string>();
  Object.entries(texts).forEach(([name, text], i) => {
    const file = path.join(dir, `f${i}.groovy`);
    fs.writeFileSync(file, text);
    byFile.set(file, name);
  });
  const r = spawnSync(javaBin(), ['-XX:TieredStopAtLevel=1', '-Xshare:auto', '-cp', [cls, ...groovyJars()].join(':'), 'ast-dump', ...byFile.keys()],
    { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.error) throw r.error;
  const out: Record<string, GroovyDump> = {};
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const res = JSON.parse(line) as GroovyDump & { file: string };
    out[byFile.get(res.file)!] = { ok: res.ok, errors: res.errors, ast: res.ast };
  }
  if (Object.keys(out).length !== byFile.size) throw new Error(`ast-dump answered for ${Object.keys(out).length} of ${byFile.size}: ${r.stderr}`);
  return out;
}
