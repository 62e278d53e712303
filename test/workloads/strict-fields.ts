/** The strict unknown-field check for core documents, as the workload tests call it (implemented in slipway/testing). */
import { unknownFields } from '../../lib/testing/core';

export { unknownFields };

/** Asserts no document has fields outside its schema. */
export function expectNoUnknownFields(docs: any[]): void {
  const problems = docs.flatMap((d) => unknownFields(d).map((p) => `${d.kind} ${d.metadata?.name}: ${p}`));
  if (problems.length > 0) throw new Error(`unknown fields:\n  ${problems.join('\n  ')}`);
}
