import { parseAllDocuments } from 'yaml';
import { checkTexts } from '../../lib/cli/check';
import { importTexts } from '../../lib/cli/import';
import { Input, fixtureSet } from './fixtures';
import { normalise, runGenerated, typeErrors } from './harness';

const inputs = fixtureSet('workloads');
const imported = importTexts(inputs, 'workloads');
const documents = (list: Input[]) => list.flatMap((i) => parseAllDocuments(i.text).map((d) => d.toJS()));
/** Secrets never come back: their data stays out of code. */
const withoutSecrets = (docs: any[]) => docs.filter((d) => d.kind !== 'Secret');

describe('core workloads: import → strict type check → synth equals the input', () => {
  test('the generated module type-checks under strict', () => {
    expect(typeErrors({ 'workloads.ts': imported.code })).toEqual([]);
  });

  test('synth of the generated code equals the input (order and server defaults normalised)', () => {
    expect(normalise(runGenerated(imported.code))).toEqual(normalise(withoutSecrets(documents(inputs))));
  });

  test('every object through the typed API; check reports nothing', () => {
    expect({ raw: imported.raw, gaps: imported.gaps, externals: imported.externals }).toEqual({ raw: 0, gaps: [], externals: [] });
    expect(checkTexts(inputs).diagnostics).toEqual([]);
  });
});
