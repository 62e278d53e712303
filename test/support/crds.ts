/** The strict CRD schema checks, as the tests have always called them; the implementation is slipway/testing. */
import { hasSchema, schemaProblems, strict, strictSchema } from '../../lib/testing/crd';
import { validateDocuments } from '../../lib/testing/validate';

export { strict };
export const hasCrdSchema = hasSchema;
export const crdSubSchema = strictSchema;

/** Schema errors of `value` (at `pointer` of the kind's schema) as `path message` lines; empty when valid. */
export function crdErrors(apiVersion: string, kind: string, value: unknown, pointer: string[] = []): string[] {
  return schemaProblems(apiVersion, kind, value, '', pointer).map((p) => `${p.path} ${p.message}`);
}

/** Asserts every document validates against its strict schema; a kind without a schema fails too. */
export function expectCrdValid(docs: any[]): void {
  const problems = docs.flatMap((d) => (hasSchema(d?.apiVersion, d?.kind) ? validateDocuments([d])
    : [{ document: `${d?.apiVersion} ${d?.kind} ${d?.metadata?.name ?? ''}`, path: '/', message: 'no CRD schema' }]));
  if (problems.length > 0) throw new Error(`CRD schema validation failed:\n  ${problems.map((p) => `${p.document}: ${p.path} ${p.message}`).join('\n  ')}`);
}
