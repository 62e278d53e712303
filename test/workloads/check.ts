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
