// The `slipway` command's public API: run it, or call its parts from your own tools.
import type * as CheckModule from './check';
import type { CheckReport } from './check';
import type * as ImportModule from './import';
import type { ImportResult } from './import';
export { run } from './main';
export type { CommandIo } from './main';
export type { Diagnostic } from './diagnostic';
export { formatDiagnostic } from './diagnostic';
export { Coverage } from './coverage';
export type { CheckReport, CheckedDocument } from './check';
export type { ImportResult } from './import';
export type { ProgramNote } from './calls';
export { synth, readCdk8sConfig } from './synth';
export type { SynthOptions, SynthResult, WrittenFile } from './synth';
export { tektonPipelineGraph } from './graph';

/* eslint-disable @typescript-eslint/no-require-imports */
// `check` and `import` load every reader (~90 ms), so they are loaded when called, not with slipway.
const check = (): typeof CheckModule => require('./check');

/** Checks files and folders (recursively) as one app: strict schemas and every slipway rule, at the line of each field. */
export function checkPaths(paths: readonly string[]): CheckReport {
  return check().checkPaths(paths);
}

/** Checks file contents given in memory, as one app. */
export function checkTexts(inputs: ReadonlyArray<{ file: string; text: string }>): CheckReport {
  return check().checkTexts(inputs);
}

/** Imports file contents given together (references between them become typed handles). */
export function importTexts(inputs: ReadonlyArray<{ file: string; text: string }>, moduleName?: string): ImportResult {
  return (require('./import') as typeof ImportModule).importTexts(inputs, moduleName);
}
/* eslint-enable @typescript-eslint/no-require-imports */
