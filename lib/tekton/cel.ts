/** CEL parsed at synth with `@bufbuild/cel`, as Tekton and Triggers compile it at admission. */
import { parse } from '@bufbuild/cel';
import { IConstruct } from 'constructs';
import { fail, show } from '../core';

/** Throws `cel-syntax` unless `expression` parses as CEL. */
export function checkCel(scope: IConstruct | undefined, what: string, expression: string): void {
  try {
    parse(expression);
  } catch (e) {
    const detail = String((e as Error).message ?? e).split('\n')[0];
    fail(scope, 'cel-syntax', `${what} ${show(expression)} is not valid CEL: ${detail}`,
      'fix the expression (CEL syntax: https://github.com/google/cel-spec/blob/master/doc/langdef.md)');
  }
}
