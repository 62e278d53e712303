/** The seam to the Jenkinsfile reader (lib/cli/jenkinsfile): parser, typed model, rules and graph. */
import type { Diagnostic } from './diagnostic';
import * as reader from './jenkinsfile';

/** What the command needs from a Jenkinsfile reader. */
export interface JenkinsfileReader {
  /** Every finding in a Jenkinsfile. */
  checkJenkinsfile(text: string, file: string): Diagnostic[];
  /** TypeScript that builds the Jenkinsfile through `jenkins.Jenkinsfile`. */
  importJenkinsfile(text: string, name: string): string;
  /** The Mermaid stage graph. */
  jenkinsfileGraph(text: string): string;
}

/** The reader of this build; `undefined` means Jenkinsfiles are reported as not supported. */
export const JENKINSFILE_READER: JenkinsfileReader | undefined = reader;

/** True for the file names the Jenkinsfile reader takes: `Jenkinsfile`, `*.Jenkinsfile`, `*.groovy`. */
export function isJenkinsfile(file: string): boolean {
  const base = file.split(/[\\/]/).pop() ?? '';
  return base === 'Jenkinsfile' || base.endsWith('.Jenkinsfile') || base.endsWith('.groovy');
}

/** The finding for a Jenkinsfile when this build has no reader. */
export function jenkinsfileUnsupported(file: string): Diagnostic {
  return {
    file, line: 1, column: 1, rule: 'jenkinsfile-unsupported', severity: 'error',
    message: 'Jenkinsfiles are not supported in this build',
    fix: 'use a slipway build that includes the Jenkinsfile reader, or pass only YAML files',
  };
}
