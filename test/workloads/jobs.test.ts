import { Chart, Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CompletionMode, CronJob, CronSchedule, Job } from '../../lib/workloads';
import { cronScheduleViolation } from '../../lib/workloads/cron-schedule';
import { attach, synthChecked } from './check';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'ns' });
const image = 'ghcr.io/acme/batch:2.0.0';

describe('CronJob schedules', () => {
  test.each(['*/15 * * * *', '0 9-17 * * MON-FRI', '30 2 1,15 * *', '0 0 * JAN,JUL SUN', '5 4 * * 0', '0 */2 ? * *',
    '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@every 1h30m'])('accepts %s', (s) => {
    expect(cronScheduleViolation(s)).toBeUndefined();
  });
  test('rule cron-schedule: 99 in the minute field is refused with the field named', () => {
    expect(cronScheduleViolation('99 * * * *')?.message).toBe('schedule "99 * * * *" has an invalid minute field "99": Constraint error, got value 99 expected range 0-59');
    const c = chart();
    expect(() => new CronJob(c, 'bad', { schedule: Cron.schedule({ minute: '99' }), containers: [{ image }] }))
      .toThrow(/\[test\/bad\] schedule "99 \* \* \* \*" has an invalid minute field .*\(rule: cron-schedule\)/);
  });
  test('rule cron-schedule: six fields, unknown macros, L/W/#, weekday 7 and TZ= are refused', () => {
    expect(cronScheduleViolation('0 0 0 * * *')?.message).toBe('schedule "0 0 0 * * *" has 6 fields');
    expect(cronScheduleViolation('@reboot')?.message).toContain('is not a known macro');
    expect(cronScheduleViolation('0 0 L * *')?.message).toContain('invalid day-of-month field "L"');
    expect(cronScheduleViolation('0 0 * * 1#2')?.message).toContain('invalid day-of-week field');
    expect(cronScheduleViolation('0 0 * * 7')?.message).toContain('weekday above 6');
    expect(cronScheduleViolation('0 0 * 13 *')?.message).toContain('invalid month field "13"');
    expect(cronScheduleViolation('CRON_TZ=UTC 0 0 * * *')?.fix).toContain('timeZone');
    expect(() => attach(() => CronSchedule.expression('61 * * * *'))).toThrow(/\(rule: cron-schedule\)/);
  });
  test('a macro schedule and Kubernetes defaults for concurrencyPolicy and startingDeadlineSeconds', () => {
    const c = chart();
    new CronJob(c, 'report', { schedule: CronSchedule.expression('@hourly'), timeZone: 'Etc/UTC', containers: [{ image }] });
    new CronJob(c, 'strict', { schedule: Cron.daily(), concurrencyPolicy: kplus.ConcurrencyPolicy.REPLACE,
      startingDeadline: Duration.seconds(120), containers: [{ image }] });
    const [report, strict] = synthChecked(c);
    expect(report.spec.schedule).toBe('@hourly');
    expect(report.spec.timeZone).toBe('Etc/UTC');
    expect(report.spec.concurrencyPolicy).toBeUndefined();
    expect(report.spec.startingDeadlineSeconds).toBeUndefined();
    expect(strict.spec.concurrencyPolicy).toBe('Replace');
    expect(strict.spec.startingDeadlineSeconds).toBe(120);
  });
});

describe('Job completion modes', () => {
  test('a work queue (parallelism only), a fixed count, and an Indexed Job with per-index backoff and policies', () => {
    const c = chart();
    new Job(c, 'queue', { parallelism: 4, containers: [{ image }] });
    new Job(c, 'fixed', { completions: 8, parallelism: 2, ttlAfterFinished: Duration.minutes(10), containers: [{ image }] });
    new Job(c, 'indexed', {
      completions: 5, parallelism: 5, completionMode: CompletionMode.INDEXED, backoffLimitPerIndex: 1, maxFailedIndexes: 2,
      podFailurePolicy: { rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
      successPolicy: [{ succeededIndexes: '0-2', succeededCount: 2 }],
      containers: [{ image }],
    });
    const [queue, fixed, indexed] = synthChecked(c);
    expect(queue.spec.parallelism).toBe(4);
    expect(queue.spec.completions).toBeUndefined();
    expect([fixed.spec.completions, fixed.spec.parallelism, fixed.spec.ttlSecondsAfterFinished]).toEqual([8, 2, 600]);
    expect(indexed.spec).toMatchObject({ completions: 5, completionMode: 'Indexed', backoffLimitPerIndex: 1, maxFailedIndexes: 2,
      successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] } });
    expect(indexed.spec.podFailurePolicy.rules[0].onExitCodes.values).toEqual([42]);
    expect(indexed.spec.template.spec.restartPolicy).toBe('Never');
  });
  test('a CronJob carries the completion fields into its jobTemplate', () => {
    const c = chart();
    new CronJob(c, 'nightly', { schedule: Cron.daily(), completions: 3, completionMode: CompletionMode.INDEXED, containers: [{ image }] });
    expect(synthChecked(c)[0].spec.jobTemplate.spec).toMatchObject({ completions: 3, completionMode: 'Indexed' });
  });
  test('rule job-indexed-completions: an Indexed Job needs completions', () => {
    expect(() => new Job(chart(), 'j', { completionMode: CompletionMode.INDEXED, containers: [{ image }] })).toThrow(/\(rule: job-indexed-completions\)/);
  });
  test('rule job-indexed-only: backoffLimitPerIndex on a NonIndexed Job is refused', () => {
    expect(() => new Job(chart(), 'j', { backoffLimitPerIndex: 1, containers: [{ image }] })).toThrow(/\(rule: job-indexed-only\)/);
  });
  test('rule job-pod-failure-policy: podFailurePolicy with restartPolicy OnFailure is refused', () => {
    expect(() => new Job(chart(), 'j', { restartPolicy: kplus.RestartPolicy.ON_FAILURE, podFailurePolicy: { rules: [] }, containers: [{ image }] }))
      .toThrow(/\(rule: job-pod-failure-policy\)/);
  });
  test('rule job-pod-failure-policy: a rule with both matchers or exit code 0 is refused', () => {
    expect(() => new Job(chart(), 'j', { podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] },
      onPodConditions: [{ type: 'DisruptionTarget' }] }] }, containers: [{ image }] })).toThrow(/exactly one of onExitCodes or onPodConditions \(rule: job-pod-failure-policy\)/);
    expect(() => new Job(chart(), 'j', { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 1] } }] }, containers: [{ image }] }))
      .toThrow(/\(rule: job-pod-failure-policy\)/);
  });
  test('rule job-success-policy: a malformed index list is refused', () => {
    expect(() => new Job(chart(), 'j', { completions: 3, completionMode: CompletionMode.INDEXED, successPolicy: [{ succeededIndexes: '0..2' }], containers: [{ image }] }))
      .toThrow(/\(rule: job-success-policy\)/);
  });
});
