/**
 * One entry point for the independent checks (slipway/testing): core documents go to kubernetes-models, everything
 * else to the strict schemas. Tests call `expectDocumentsValid(Testing.synth(chart))`.
 */
import { formatProblems } from '../../lib/testing/problem';
import { validateDocuments } from '../../lib/testing/validate';

export function expectDocumentsValid(docs: any[]): void {
  const problems = validateDocuments(docs);
  if (problems.length > 0) throw new Error(`independent checks failed:\n${formatProblems(problems)}`);
}
