import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { privateCacheDir } from './cache-dir';

/** One Groovy syntax error, 1-based. */
export interface GroovyError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** What Groovy 2.4 made of one file. */
export interface GroovyResult {
  readonly ok: boolean;
  readonly errors: GroovyError[];
  /** Every string constant of the AST in source order (mode `literals`). */
  readonly literals?: string[];
  /** The script as a call tree (mode `tree`). */
  readonly tree?: unknown[];
}

const INSTALL_HINT = "install Groovy 2.4 (Jenkins' parser) with 'apt-get install -y groovy', or set GROOVY_LIB to its lib folder";

function groovyLib(): string {
  return process.env.GROOVY_LIB ?? '/usr/share/groovy/lib';
}

/** The Java to run Groovy 2.4 with, if any. @internal */
export function javaBin(): string | undefined {
  // Groovy 2.4 runs on Java 17 at the newest, so Debian's 17 comes before a JAVA_HOME that may be newer.
  const homes = [process.env.SLIPWAY_JAVA_HOME, '/usr/lib/jvm/java-17-openjdk-amd64', '/usr/lib/jvm/default-java', process.env.JAVA_HOME];
  for (const h of homes) if (h && fs.existsSync(path.join(h, 'bin', 'java'))) return path.join(h, 'bin', 'java');
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return r.status === 0 ? 'java' : undefined;
}

/** Groovy 2.4's jars (core and JSON), if installed. @internal */
export function groovyJars(): string[] | undefined {
  const lib = groovyLib();
  const main = [path.join(lib, 'groovy-2.4.21.jar'), path.join(lib, 'groovy.jar')].find((j) => fs.existsSync(j));
  const json = path.join(lib, 'groovy-json.jar');
  return main && fs.existsSync(json) ? [main, json] : undefined;
}

/** Why Jenkinsfiles cannot be parsed on this machine, or undefined when Java and Groovy 2.4 are there. */
export function groovyUnavailable(): string | undefined {
  if (!javaBin()) return `no Java found: ${INSTALL_HINT}`;
  if (!groovyJars()) return `no Groovy jars in ${groovyLib()}: ${INSTALL_HINT}`;
  return undefined;
}

/** The checker compiled for this process alone, when no private cache folder can be had. */
let compiledHere: string | undefined;

/**
 * The compiled parse-only checker (parse.groovy, shipped beside this file): compiled once per user into a private
 * cache folder, keyed by its source and the Groovy jars.
 */
export function groovyChecker(): { java: string; classpath: string } {
  const problem = groovyUnavailable();
  if (problem) throw new Error(problem);
  const jars = groovyJars()!;
  const src = path.join(__dirname, 'parse.groovy');
  const hash = createHash('sha256').update(fs.readFileSync(src)).update(jars.join(':')).digest('hex').slice(0, 16);
  const cache = privateCacheDir('groovy-checker');
  let dir: string;
  if (!cache) {
    dir = compiledHere ??= compileChecker(fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-groovy-checker-')), jars, src);
  } else {
    dir = path.join(cache, hash);
    if (!fs.existsSync(path.join(dir, 'parse.class'))) {
      const tmp = `${dir}.${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp, { recursive: true });
      compileChecker(tmp, jars, src);
      try {
        fs.renameSync(tmp, dir);
      } catch {
        fs.rmSync(tmp, { recursive: true, force: true }); // another process compiled it first
      }
    }
  }
  return { java: javaBin()!, classpath: [dir, ...jars].join(':') };
}

function compileChecker(dir: string, jars: readonly string[], src: string): string {
  const r = spawnSync(javaBin()!, ['-cp', jars.join(':'), 'org.codehaus.groovy.tools.FileSystemCompiler', '-d', dir, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling the Groovy checker failed:\n${r.stdout}\n${r.stderr}`);
  return dir;
}

/** Parses each text (keyed by a name) with Groovy 2.4 in one JVM; nothing runs. */
export function parseGroovy(texts: Record<string, string>, mode: 'errors' | 'literals' | 'tree' = 'errors'): Record<string, GroovyResult> {
  const { java, classpath } = groovyChecker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-groovy-'));
  const byFile = new Map<string, string>();
  Object.entries(texts).forEach(([name, text], i) => {
    const file = path.join(dir, `f${i}.groovy`);
    fs.writeFileSync(file, text);
    byFile.set(file, name);
  });
  const args = ['-XX:TieredStopAtLevel=1', '-Xshare:auto', '-cp', classpath, 'parse'];
  if (mode !== 'errors') args.push(`--${mode}`);
  const r = spawnSync(java, [...args, ...byFile.keys()], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.error) throw r.error;
  const out: Record<string, GroovyResult> = {};
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const { file, ...res } = JSON.parse(line) as GroovyResult & { file: string };
    out[byFile.get(file)!] = res;
  }
  if (Object.keys(out).length !== byFile.size) {
    throw new Error(`the Groovy checker answered for ${Object.keys(out).length} of ${byFile.size} files: ${r.stderr}`);
  }
  return out;
}
