import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps } from '../../lib/core';
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

/**
 * Runs a value factory and gives its value to a construct (`test/user`), as a user would: a factory keeps its
 * refusal until the value reaches a construct, which throws it with its own path.
 */
export function attach(make: () => unknown): void {
  const value = make();
  assertProps(new Construct(chart(), 'user'), { value });
}
