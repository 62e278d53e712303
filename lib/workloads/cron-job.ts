import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FinalDocument, fail, show } from '../core';
import { cronScheduleViolation } from './cron-schedule';
import { JobCompletionOptions, applyJobCompletion, checkJobCompletion } from './job-spec';
import { checkJobFields } from './pod-rules';
import { assertInteger, countRule } from './object-rules';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps } from './secure-pod';
import { plusConstructorError } from './plus-errors';

/** Props of {@link CronJob}. */
export interface CronJobProps extends Omit<kplus.CronJobProps, 'containers' | 'initContainers'>, SecurePodProps, JobCompletionOptions {}

/**
 * A cdk8s-plus-28 `CronJob` (`schedule: Cron.daily()` or any five-field string through `Cron.schedule()`, macros
 * such as `@hourly` via `{ expressionString }`, `timeZone`) with slipway's pod defaults and synth-time pod rules. The
 * schedule is checked (rule `cron-schedule`); concurrencyPolicy and startingDeadlineSeconds are left to Kubernetes'
 * defaults unless set.
 */
export class CronJob extends SecurePod(kplus.CronJob) {
  constructor(scope: Construct, id: string, props: CronJobProps) {
    const { plus: { completions, parallelism, completionMode, backoffLimitPerIndex, maxFailedIndexes, podFailurePolicy, successPolicy, ...plus }, pod } = splitPodProps(props);
    try {
      super(scope, id, plus);
    } catch (e) {
      throw plusConstructorError(scope, id, e);
    }
    checkJobFields(this, props);
    for (const k of ['successfulJobsRetained', 'failedJobsRetained'] as const) {
      assertInteger(this, k, props[k], countRule('job-field-range', `use a whole number of Jobs to keep from 0 to 2147483647 for ${k}`));
    }
    checkJobCompletion(this, props, props.restartPolicy ?? 'Never');
    FinalDocument.addTransform(this, (doc) => {
      // cdk8s-plus-28 writes its own concurrencyPolicy (Forbid) and startingDeadlineSeconds (10); left to
      // Kubernetes' defaults (Allow, no deadline) unless set.
      if (props.concurrencyPolicy === undefined) delete doc.spec.concurrencyPolicy;
      if (props.startingDeadline === undefined) delete doc.spec.startingDeadlineSeconds;
      applyJobCompletion(doc.spec.jobTemplate?.spec, props);
    });
    const badSchedule = cronScheduleViolation(props.schedule.expressionString);
    if (badSchedule) fail(this, badSchedule.rule, badSchedule.message, badSchedule.fix);
    if (props.timeZone !== undefined && !isTimeZone(props.timeZone)) {
      fail(this, 'cron-time-zone', `timeZone ${show(props.timeZone)} is not an IANA time zone`, "use a tz database name such as 'Etc/UTC' or 'Europe/Berlin'");
    }
    setupSecurePod(this, pod, { kind: 'CronJob', restartPolicies: ['Never', 'OnFailure'], template: (doc) => doc?.spec?.jobTemplate?.spec?.template }, props);
  }
}

/** True for a time zone name the runtime's tz database knows (the controller uses Go's, which has the same names). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return /^[A-Za-z]/.test(tz) && !tz.startsWith('UTC+') && !tz.includes(':');
  } catch {
    return false;
  }
}
