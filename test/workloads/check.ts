import { Chart, Testing } from 'cdk8s';
import { expectDocumentsValid } from '../support/validate';
import { expectNoUnknownFields } from './strict-fields';

/** Synthesizes `chart` and runs the independent checks on every document: kubernetes-models and unknown fields. */
export function synthChecked(chart: Chart): any[] {
  const docs = Testing.synth(chart);
  expectDocumentsValid(docs);
  expectNoUnknownFields(docs);
  return docs;
}

/** A fresh chart in namespace `ns`. */
export const chart = (): Chart => new Chart(Testing.app(), 'test', { namespace: 'ns' });

/** The message synthesizing `c` fails with, or '' when it synthesizes. */
export function synthError(c: Chart): string {
  try {
    Testing.synth(c);
  } catch (e: any) {
    return e.message;
  }
  return '';
}
