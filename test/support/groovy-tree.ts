/**
 * Reads Jenkinsfiles back as call trees through Groovy 2.4.21's AST (parse.groovy `--tree`): each method call with
 * its name, literal arguments, named arguments and the calls inside its closure argument. Nothing is executed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkerDir, groovyJars, javaBin } from './groovy-env';
import { GroovyError } from './groovy';

/** A literal argument, a call used as a value, a closure, a GString or other expression (by its text). */
export type GroovyArg = string | number | boolean | null | GroovyArg[] | { [key: string]: GroovyArg } | { call: GroovyCall }
  | { children: GroovyCall[] } | { gstring: string } | { expr: string };

/** One call: `name(args…, named…) { children }`. Assignments are calls named '=' with [target, value]. */
export interface GroovyCall {
  readonly name: string;
  /** The receiver's text for calls on objects (`env.foo()`), absent for plain calls. */
  readonly object?: string;
  readonly args: GroovyArg[];
  readonly named?: Record<string, GroovyArg>;
  readonly children?: GroovyCall[];
  /** `try` statements: each `catch` and the `finally` block. */
  readonly catches?: Array<{ variable: string; children: GroovyCall[] }>;
  readonly finally?: GroovyCall[];
  /** `if` statements: the `else` block. */
  readonly else?: GroovyCall[];
}

/** A helper function defined in the script (`def f(a) { … }`). */
export interface GroovyMethod {
  readonly name: string;
  readonly params: string[];
  readonly children: GroovyCall[];
}

export interface GroovyTreeResult {
  readonly ok: boolean;
  readonly errors: GroovyError[];
  /** The top-level statements as calls (only when ok). */
  readonly tree?: GroovyCall[];
  /** Helper functions of the script. */
  readonly methods?: GroovyMethod[];
  /** Annotations on top-level declarations, e.g. `@Library('x@1') _`. */
  readonly annotations?: Array<{ name: string; value: GroovyArg }>;
}

/** Parses each text (keyed by name) in one JVM and returns its call tree. */
export function parseGroovyTree(texts: Record<string, string>): Record<string, GroovyTreeResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jft-'));
  const byFile = new Map<string, string>();
  Object.entries(texts).forEach(([name, text], i) => {
    const file = path.join(dir, `f${i}.groovy`);
    fs.writeFileSync(file, text);
    byFile.set(file, name);
  });
  const args = ['-XX:TieredStopAtLevel=1', '-Xshare:auto', '-cp', [checkerDir(), ...groovyJars()].join(':'), 'parse', '--tree'];
  const r = spawnSync(javaBin(), [...args, ...byFile.keys()], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.error) throw r.error;
  const out: Record<string, GroovyTreeResult> = {};
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const res = JSON.parse(line) as GroovyTreeResult & { file: string };
    out[byFile.get(res.file)!] = { ok: res.ok, errors: res.errors, tree: res.tree, methods: res.methods, annotations: res.annotations };
  }
  if (Object.keys(out).length !== byFile.size) {
    throw new Error(`groovy checker answered for ${Object.keys(out).length} of ${byFile.size} files: ${r.stderr}`);
  }
  return out;
}

/** The first call named `name` among `calls` (not recursive). */
export function child(calls: readonly GroovyCall[] | undefined, name: string): GroovyCall | undefined {
  return (calls ?? []).find((c) => c.name === name);
}

/** Every call named `name` among `calls` (not recursive). */
export function children(calls: readonly GroovyCall[] | undefined, name: string): GroovyCall[] {
  return (calls ?? []).filter((c) => c.name === name);
}
