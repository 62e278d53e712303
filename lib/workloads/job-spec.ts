import { IConstruct } from 'constructs';
import { fail, putSorted, show } from '../core';
import { assertInteger, countRule } from './object-rules';

/** How a Job counts completions (`completionMode`). */
export enum CompletionMode {
  /** Any `completions` pods succeeding completes the Job (the Kubernetes default). */
  NON_INDEXED = 'NonIndexed',
  /** Each pod gets an index 0…completions-1 (`JOB_COMPLETION_INDEX`); every index must succeed once. */
  INDEXED = 'Indexed',
}

/** One rule of a Job's `successPolicy` (Indexed Jobs): the Job succeeds early when it matches. */
export interface JobSuccessRule {
  /**
   * Indexes that must succeed, as an interval list such as `'0,2-4'`.
   * @default - any indexes
   */
  readonly succeededIndexes?: string;
  /**
   * How many of those indexes must succeed.
   * @default - all of succeededIndexes
   */
  readonly succeededCount?: number;
}

/** One rule of a Job's `podFailurePolicy`: what a matching pod failure does. */
export interface PodFailurePolicyRule {
  /** `FailJob`, `FailIndex`, `Ignore` or `Count`. */
  readonly action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
  /**
   * Match on container exit codes.
   * @default - no exit-code match
   */
  readonly onExitCodes?: { readonly containerName?: string; readonly operator: 'In' | 'NotIn'; readonly values: number[] };
  /**
   * Match on pod conditions, e.g. `[{ type: 'DisruptionTarget', status: 'True' }]`.
   * @default - no condition match
   */
  readonly onPodConditions?: { readonly type: string; readonly status?: string }[];
}

/** The Job spec fields cdk8s-plus-28 has no prop for; written into the final document of a Job or CronJob. */
export interface JobCompletionOptions {
  /**
   * Successful pods needed (`completions`).
   * @default - not written (1, or parallelism for a work queue)
   */
  readonly completions?: number;
  /**
   * Pods running at once (`parallelism`).
   * @default - not written (1)
   */
  readonly parallelism?: number;
  /**
   * `NonIndexed` or `Indexed`.
   * @default - not written (NonIndexed)
   */
  readonly completionMode?: CompletionMode;
  /**
   * Retries per index (`backoffLimitPerIndex`; Indexed Jobs).
   * @default - not written (backoffLimit counts for the whole Job)
   */
  readonly backoffLimitPerIndex?: number;
  /**
   * Failed indexes after which the whole Job fails (`maxFailedIndexes`; needs backoffLimitPerIndex).
   * @default - not written (no limit)
   */
  readonly maxFailedIndexes?: number;
  /**
   * Which pod failures count against the backoff limit (`podFailurePolicy`; needs restartPolicy Never).
   * @default - not written (every failure counts)
   */
  readonly podFailurePolicy?: { readonly rules: PodFailurePolicyRule[] };
  /**
   * When an Indexed Job succeeds early (`successPolicy.rules`).
   * @default - not written (every index must succeed)
   */
  readonly successPolicy?: JobSuccessRule[];
}

/** Checks the completion options at once (the API server's rules). */
export function checkJobCompletion(scope: IConstruct, o: JobCompletionOptions, restartPolicy: string | undefined): void {
  for (const k of ['completions', 'parallelism', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    assertInteger(scope, k, o[k], countRule('job-field-range', `use a whole number from 0 to 2147483647 for ${k}`));
  }
  const indexed = o.completionMode === CompletionMode.INDEXED;
  if (indexed && o.completions === undefined) {
    fail(scope, 'job-indexed-completions', 'an Indexed Job has no completions', 'set completions: the number of indexes');
  }
  for (const k of ['backoffLimitPerIndex', 'successPolicy'] as const) {
    if (o[k] !== undefined && !indexed) {
      fail(scope, 'job-indexed-only', `${k} is set on a ${o.completionMode ?? 'NonIndexed'} Job`, 'use completionMode: CompletionMode.INDEXED');
    }
  }
  if (o.maxFailedIndexes !== undefined && o.backoffLimitPerIndex === undefined) {
    fail(scope, 'job-indexed-only', 'maxFailedIndexes is set without backoffLimitPerIndex', 'set backoffLimitPerIndex too');
  }
  if (o.podFailurePolicy !== undefined && restartPolicy !== undefined && restartPolicy !== 'Never') {
    fail(scope, 'job-pod-failure-policy', `podFailurePolicy needs restartPolicy Never, not ${show(restartPolicy)}`, 'use restartPolicy: kplus.RestartPolicy.NEVER');
  }
  for (const r of o.podFailurePolicy?.rules ?? []) {
    if ((r.onExitCodes === undefined) === (r.onPodConditions === undefined || r.onPodConditions.length === 0)) {
      fail(scope, 'job-pod-failure-policy', `a podFailurePolicy ${r.action} rule needs exactly one of onExitCodes or onPodConditions`, 'match on exit codes or on pod conditions, not both or neither');
    }
    if (r.action === 'FailIndex' && !indexed) {
      fail(scope, 'job-indexed-only', 'podFailurePolicy action FailIndex is set on a NonIndexed Job', 'use completionMode: CompletionMode.INDEXED');
    }
    if (r.onExitCodes && (r.onExitCodes.values.length === 0 || (r.onExitCodes.operator === 'In' && r.onExitCodes.values.includes(0)))) {
      fail(scope, 'job-pod-failure-policy', `podFailurePolicy onExitCodes ${show(r.onExitCodes.values)} is empty or matches exit code 0 with In`, 'list the failing exit codes (not 0)');
    }
    for (const code of r.onExitCodes?.values ?? []) assertInteger(scope, 'podFailurePolicy exit code', code, { rangeRule: 'job-pod-failure-policy', fix: 'list whole exit codes, e.g. [1, 42]' });
  }
  for (const r of o.successPolicy ?? []) {
    if (r.succeededIndexes === undefined && r.succeededCount === undefined) {
      fail(scope, 'job-success-policy', 'a successPolicy rule sets neither succeededIndexes nor succeededCount', 'set at least one of them');
    }
    if (r.succeededIndexes !== undefined && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(r.succeededIndexes)) {
      fail(scope, 'job-success-policy', `succeededIndexes ${show(r.succeededIndexes)} is not an interval list`, "write indexes like '0,2-4'");
    }
  }
}

/** Writes the completion options into a rendered Job spec, in place. */
export function applyJobCompletion(spec: any, o: JobCompletionOptions): void {
  if (!spec) return;
  for (const k of ['completions', 'parallelism', 'completionMode', 'backoffLimitPerIndex', 'maxFailedIndexes', 'podFailurePolicy'] as const) {
    if (o[k] !== undefined) putSorted(spec, k, o[k]);
  }
  if (o.successPolicy !== undefined) putSorted(spec, 'successPolicy', { rules: o.successPolicy });
}
