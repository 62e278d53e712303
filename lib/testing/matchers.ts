import { IConstruct } from 'constructs';
import { formatProblems } from './problem';
import { validate } from './validate';

/**
 * Jest matchers: `expect.extend(matchers)`, then `expect(chart).toSynthesizeValid()` passes when slipway's rules
 * and every independent check accept what `chart` (or an app) synthesizes.
 */
export const matchers = {
  toSynthesizeValid(received: IConstruct) {
    let message: string;
    try {
      const report = validate(received);
      if (report.problems.length === 0) {
        const skipped = report.skipped.length ? ` (skipped: ${report.skipped.join('; ')})` : '';
        return { pass: true, message: () => `expected ${received.node.path || 'the app'} not to synthesize valid output${skipped}` };
      }
      message = `${report.problems.length} problem(s):\n${formatProblems(report.problems)}`;
    } catch (e: any) {
      message = e.message;
    }
    return { pass: false, message: () => `expected ${received.node.path || 'the app'} to synthesize valid output, but ${message}` };
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Passes when slipway's rules and the independent checks (schemas, Kubernetes models, Groovy) accept the output. */
      toSynthesizeValid(): R;
    }
  }
}
