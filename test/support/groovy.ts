/**
 * Parses Jenkinsfiles with Groovy 2.4.21, the parser Jenkins core runs (Debian `groovy`), through the
 * precompiled checker in parse.groovy (compiled once per test run by global-setup.js).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkerDir, groovyJars, javaBin } from './groovy-env';

export interface GroovyError { readonly line: number; readonly column: number; readonly message: string }
export interface GroovyResult {
  readonly file: string;
  readonly ok: boolean;
  readonly errors: GroovyError[];
  /** Every string constant in the AST, in source order (with `literals: true`). */
  readonly literals?: string[];
}

/**
 * Parses each text (keyed by a name) in one JVM. Returns one result per name.
 */
export function parseGroovy(texts: Record<string, string>, opts: { literals?: boolean } = {}): Record<string, GroovyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jf-'));
  const byFile = new Map<string, string>();
  Object.entries(texts).forEach(([name, text], i) => {
    const file = path.join(dir, `f${i}.groovy`);
    fs.writeFileSync(file, text);
    byFile.set(file, name);
  });
  const args = ['-XX:TieredStopAtLevel=1', '-Xshare:auto', '-cp', [checkerDir(), ...groovyJars()].join(':'), 'parse'];
  if (opts.literals) args.push('--literals');
  const r = spawnSync(javaBin(), [...args, ...byFile.keys()], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.error) throw r.error;
  const out: Record<string, GroovyResult> = {};
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const res = JSON.parse(line) as GroovyResult;
    out[byFile.get(res.file)!] = res;
  }
  if (Object.keys(out).length !== byFile.size) {
    throw new Error(`groovy checker answered for ${Object.keys(out).length} of ${byFile.size} files: ${r.stderr}`);
  }
  return out;
}

/** Asserts that every text parses; the error lists each file's Groovy errors with the offending line. */
export function expectGroovyParses(texts: Record<string, string>): void {
  const results = parseGroovy(texts);
  const bad = Object.entries(results).filter(([, r]) => !r.ok);
  if (bad.length > 0) {
    const detail = bad.map(([name, r]) => `${name}:\n${r.errors.map((e) =>
      `  ${e.line}:${e.column} ${e.message}\n    | ${texts[name].split('\n')[e.line - 1] ?? ''}`).join('\n')}`).join('\n');
    throw new Error(`Groovy 2.4 rejected ${bad.length} file(s):\n${detail}`);
  }
}
