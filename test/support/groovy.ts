/** Groovy 2.4 parsing, as the tests have always called it; the implementation is slipway/testing. */
import { GroovyError, GroovyResult as Result, parseGroovy as parse } from '../../lib/testing/groovy';

export { GroovyError };
export interface GroovyResult extends Result {
  readonly file: string;
}

/** Parses each text (keyed by a name) in one JVM. Returns one result per name. */
export function parseGroovy(texts: Record<string, string>, opts: { literals?: boolean } = {}): Record<string, GroovyResult> {
  const out = parse(texts, opts.literals ? 'literals' : 'errors');
  return Object.fromEntries(Object.entries(out).map(([name, r]) => [name, { ...r, file: name }]));
}

/** Asserts that every text parses; the error lists each file's Groovy errors with the offending line. */
export function expectGroovyParses(texts: Record<string, string>): void {
  const bad = Object.entries(parse(texts)).filter(([, r]) => !r.ok);
  if (bad.length > 0) {
    const detail = bad.map(([name, r]) => `${name}:\n${r.errors.map((e) =>
      `  ${e.line}:${e.column} ${e.message}\n    | ${texts[name].split('\n')[e.line - 1] ?? ''}`).join('\n')}`).join('\n');
    throw new Error(`Groovy 2.4 rejected ${bad.length} file(s):\n${detail}`);
  }
}
