/** One finding of `slipway check`, at a position in a file. */
export interface Diagnostic {
  /** The file, as given on the command line (or found below a given folder). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The rule id, as in slipway's error messages (`param-undeclared`, `schema`, …). */
  readonly rule: string;
  /** What is wrong, naming the bad value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Errors fail the check (exit 1); warnings say what was not checked. */
  readonly severity: 'error' | 'warning';
}

/** `file:line:col: rule: message. fix: …` (the text output of `slipway check`). */
export function formatDiagnostic(d: Diagnostic): string {
  const tag = d.severity === 'warning' ? `${d.rule} (warning)` : d.rule;
  return `${d.file}:${d.line}:${d.column}: ${tag}: ${d.message}. fix: ${d.fix}`;
}

/** Sorts by file, line, column and rule, so output is stable whatever order the checks ran in. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
