/** When post steps run, after all stages (Jenkins `post`, Tekton `finally` with a `when` on `$(tasks.status)`). */
export enum PostCondition {
  /** Whatever the outcome. */
  ALWAYS = 'always',
  /** Only if every stage succeeded (skipped stages count as success). */
  SUCCESS = 'success',
  /** Only if a stage failed. */
  FAILURE = 'failure',
}
