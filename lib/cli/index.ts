// The `slipway` command's public API: run it, or call its parts from your own tools.
export { run } from './main';
export type { CommandIo } from './main';
export type { Diagnostic } from './diagnostic';
export { formatDiagnostic } from './diagnostic';
export { Coverage, checkPaths, checkTexts } from './check';
export type { CheckReport, CheckedDocument } from './check';
export { importTexts } from './import';
export type { ImportResult } from './import';
export type { ProgramNote } from './calls';
export { synth, readCdk8sConfig } from './synth';
export type { SynthOptions, SynthResult, WrittenFile } from './synth';
export { tektonPipelineGraph } from './graph';
