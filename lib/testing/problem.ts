/** One finding of the independent checks. */
export interface Problem {
  /** Which checker found it: the strict upstream schema, Kubernetes' own models, or Groovy's parser. */
  readonly check: 'schema' | 'kubernetes' | 'groovy';
  /** The document (`apiVersion kind name`, with its chart or file) or the generated file's path. */
  readonly document: string;
  /** JSON path inside the document (`/spec/tasks/0/name`), or `line:column` in a Jenkinsfile. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
}

/** One line per problem: `document path: message`. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.document} ${p.path}: ${p.message} (${p.check})`).join('\n');
}
