import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, show } from '../core';
import { checkJobFields } from './pod-rules';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps } from './secure-pod';

/** Props of {@link CronJob}. */
export interface CronJobProps extends Omit<kplus.CronJobProps, 'containers' | 'initContainers'>, SecurePodProps {}

/**
 * A cdk8s-plus-28 `CronJob` (`schedule: Cron.daily()`, `timeZone`, concurrencyPolicy Forbid by default) with
 * slipway's pod defaults and synth-time pod rules.
 */
export class CronJob extends SecurePod(kplus.CronJob) {
  constructor(scope: Construct, id: string, props: CronJobProps) {
    const { plus, pod } = splitPodProps(props);
    super(scope, id, plus);
    checkJobFields(this, props);
    if (props.timeZone !== undefined && !isTimeZone(props.timeZone)) {
      fail(this, 'cron-time-zone', `timeZone ${show(props.timeZone)} is not an IANA time zone`, "use a tz database name such as 'Etc/UTC' or 'Europe/Berlin'");
    }
    setupSecurePod(this, pod, { kind: 'CronJob', restartPolicies: ['Never', 'OnFailure'], template: (doc) => doc?.spec?.jobTemplate?.spec?.template });
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
