import { CronExpressionParser } from 'cron-parser';
import { Cron } from 'cdk8s';
import { RuleViolation, checkedValue, fail, show } from '../core';

const FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
/** The macros Kubernetes' cron parser (robfig/cron ParseStandard) accepts. */
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
/** `@every <Go duration>`, which the same parser also accepts. */
const EVERY = /^@every ((\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

/**
 * Why a CronJob `schedule` is not one Kubernetes accepts, naming the field; undefined when it is valid. Five fields
 * (ranges, lists, steps, month and weekday names), or a macro. Each field is parsed by `cron-parser`; the forms that
 * library allows beyond Kubernetes' parser (`L`, `W`, `#`, weekday 7, a seconds field) are refused here.
 */
export function cronScheduleViolation(schedule: string): RuleViolation | undefined {
  const text = schedule.trim();
  const bad = (message: string, fix: string): RuleViolation => ({ rule: 'cron-schedule', message: `schedule ${show(schedule)} ${message}`, fix });
  if (/^(CRON_)?TZ=/.test(text)) return bad('sets a time zone in the schedule', 'use the timeZone prop instead (Kubernetes refuses TZ= and CRON_TZ= in schedule)');
  if (text.startsWith('@')) {
    return MACROS.includes(text) || EVERY.test(text) ? undefined
      : bad('is not a known macro', `use one of ${MACROS.join(', ')} or '@every 1h30m', or five fields`);
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) {
    return bad(`has ${fields.length} fields`, 'use five fields: minute hour day-of-month month day-of-week (Kubernetes has no seconds or year field)');
  }
  for (let i = 0; i < 5; i++) {
    const f = fields[i];
    const name = FIELDS[i];
    const probe = FIELDS.map((_, j) => (j === i ? f : '*')).join(' ');
    let error: string | undefined;
    if (/[LW#]/i.test(f.replace(/[A-Z]{3}/gi, (m) => (/^(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT)$/i.test(m) ? '' : m)))) {
      error = "uses L, W or #, which Kubernetes' cron parser does not support";
    } else if (name === 'day-of-week' && f.split(/[,/-]/).some((x, k, all) => /^\d+$/.test(x) && Number(x) > 6 && !(f.includes('/') && k === all.length - 1))) {
      error = 'uses a weekday above 6 (Kubernetes counts 0-6 from Sunday)';
    } else {
      try {
        CronExpressionParser.parse(probe);
      } catch (e: any) {
        error = String(e?.message ?? e);
      }
    }
    if (error) {
      return bad(`has an invalid ${name} field ${show(f)}: ${error}`,
        `write the ${name} field as a value, range (1-5), list (1,15), step (*/15) or name (JAN, MON)`);
    }
  }
  return undefined;
}

/** CronJob schedules cdk8s' `Cron` cannot write: any five-field string or a macro, checked at once. */
export class CronSchedule {
  /**
   * A schedule from its text: five fields (`'30 9-17 * * MON-FRI'`) or a macro (`'@hourly'`). Refused at once
   * when Kubernetes would refuse it (rule `cron-schedule`).
   */
  public static expression(text: string): Cron {
    return checkedValue(() => {
      const bad = cronScheduleViolation(text);
      if (bad) fail(undefined, bad.rule, bad.message, bad.fix);
    }, () => Object.assign(new Cron(), { expressionString: String(text).trim() }));
  }

  private constructor() {}
}
