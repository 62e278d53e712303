import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, show } from '../core';
import { PodDefaults, SecurePodOptions, addPodRules, checkJobFields } from './pod';
import { PodSecurity } from './pod-security';
import { QosClass, qosClassOf } from './resources';

/** Props of {@link CronJob}. */
export interface CronJobProps extends kplus.CronJobProps, SecurePodOptions {}

/**
 * A cdk8s-plus-28 `CronJob` (`schedule: Cron.daily()`, `timeZone`, concurrencyPolicy Forbid by default) with
 * slipway's secure pod defaults and synth-time pod rules.
 */
export class CronJob extends kplus.CronJob {
  private readonly defaults: PodDefaults;

  constructor(scope: Construct, id: string, props: CronJobProps) {
    const { containers, initContainers, podSecurity, writableTmp, ...rest } = props;
    super(scope, id, rest);
    checkJobFields(this, props);
    if (props.timeZone !== undefined && !isTimeZone(props.timeZone)) {
      fail(this, 'cron-time-zone', `timeZone ${show(props.timeZone)} is not an IANA time zone`, "use a tz database name such as 'Etc/UTC' or 'Europe/Berlin'");
    }
    this.defaults = new PodDefaults(this, { podSecurity, writableTmp });
    for (const c of initContainers ?? []) this.addInitContainer(c);
    for (const c of containers ?? []) this.addContainer(c);
    addPodRules(this, {
      kind: 'CronJob', restartPolicies: ['Never', 'OnFailure'], podSecurity: () => this.podSecurity,
      render: () => ({ template: this._toKube().jobTemplate.spec?.template }),
    });
  }

  /** The pods' Pod Security level. */
  public get podSecurity(): PodSecurity {
    return this.defaults.podSecurity;
  }

  /** The pods' QoS class. */
  public get qosClass(): QosClass {
    return qosClassOf([...this.initContainers, ...this.containers]);
  }

  /** Adds a container with slipway's secure defaults filled in. */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    return super.addContainer(this.defaults.container(cont));
  }

  /** Adds an init container (run in order, each to completion, before the main containers). */
  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    return super.addInitContainer(this.defaults.container(cont));
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
