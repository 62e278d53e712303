/** The independent checkers for delivery documents: core documents through kubernetes-models, the rest through the strict CRD schemas. */
import { crdErrors } from '../support/crds';
import { expectDocumentsValid } from '../support/validate';

export const expectValid = expectDocumentsValid;

/** The strict-schema errors of one CRD document (for tests that prove the checker bites). */
export function schemaErrors(doc: any): string[] {
  return crdErrors(doc.apiVersion, doc.kind, doc);
}
