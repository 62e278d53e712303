/**
 * Reads Jenkinsfiles back as call trees through Groovy 2.4.21's AST (parse.groovy `--tree`): each method call with
 * its name, literal arguments, named arguments and the calls inside its closure argument. Nothing is executed.
 */
import { GroovyError, parseGroovy } from '../../lib/testing/groovy';

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
  return parseGroovy(texts, 'tree') as Record<string, GroovyTreeResult>;
}

/** The first call named `name` among `calls` (not recursive). */
export function child(calls: readonly GroovyCall[] | undefined, name: string): GroovyCall | undefined {
  return (calls ?? []).find((c) => c.name === name);
}

/** Every call named `name` among `calls` (not recursive). */
export function children(calls: readonly GroovyCall[] | undefined, name: string): GroovyCall[] {
  return (calls ?? []).filter((c) => c.name === name);
}
