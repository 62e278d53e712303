/** CEL parsed at synth with `@bufbuild/cel`, as Tekton and Triggers compile it at admission. */
import * as path from 'path';
import { IConstruct } from 'constructs';
import { fail, show } from '../core';

/* eslint-disable @typescript-eslint/no-require-imports */
type Parse = typeof import('@bufbuild/cel').parse;
let parse: Parse | undefined;

/**
 * The CEL parser, loaded on the first expression. Only its parser module is loaded (~8 ms): the package entry also
 * loads the evaluator and protobuf (~130 ms) that a syntax check never uses. Falls back to the entry where the module
 * is not found (e.g. under a bundler).
 */
function celParse(): Parse {
  try {
    const own = require(path.join(path.dirname(require.resolve('@bufbuild/cel')), 'parse.js')).parse;
    if (typeof own === 'function') return own;
  } catch {
    // not laid out as in 0.6: the entry has it
  }
  return (require('@bufbuild/cel') as typeof import('@bufbuild/cel')).parse;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Throws `cel-syntax` unless `expression` parses as CEL. */
export function checkCel(scope: IConstruct | undefined, what: string, expression: string): void {
  try {
    (parse ??= celParse())(expression);
  } catch (e) {
    const detail = String((e as Error).message ?? e).split('\n')[0];
    fail(scope, 'cel-syntax', `${what} ${show(expression)} is not valid CEL: ${detail}`,
      'fix the expression (CEL syntax: https://github.com/google/cel-spec/blob/master/doc/langdef.md)');
  }
}
