/** CEL parsed at synth with `@bufbuild/cel`, as Tekton and Triggers compile it at admission. */
import { IConstruct } from 'constructs';
import { fail, show } from '../core';

/** The CEL parser, loaded on the first expression (with protobuf it costs ~80 ms that an app without CEL never needs). */
let parse: typeof import('@bufbuild/cel').parse | undefined;

/** Throws `cel-syntax` unless `expression` parses as CEL. */
export function checkCel(scope: IConstruct | undefined, what: string, expression: string): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (parse ??= (require('@bufbuild/cel') as typeof import('@bufbuild/cel')).parse)(expression);
  } catch (e) {
    const detail = String((e as Error).message ?? e).split('\n')[0];
    fail(scope, 'cel-syntax', `${what} ${show(expression)} is not valid CEL: ${detail}`,
      'fix the expression (CEL syntax: https://github.com/google/cel-spec/blob/master/doc/langdef.md)');
  }
}
