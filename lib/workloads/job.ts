import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodDefaults, SecurePodOptions, addPodRules, checkJobFields } from './pod';
import { PodSecurity } from './pod-security';
import { QosClass, qosClassOf } from './resources';

/** Props of {@link Job}. */
export interface JobProps extends kplus.JobProps, SecurePodOptions {}

/**
 * A cdk8s-plus-28 `Job` (run to completion; restartPolicy `Never` by default, or `OnFailure`) with slipway's secure
 * pod defaults and synth-time pod rules.
 */
export class Job extends kplus.Job {
  private readonly defaults: PodDefaults;

  constructor(scope: Construct, id: string, props: JobProps = {}) {
    const { containers, initContainers, podSecurity, writableTmp, ...rest } = props;
    super(scope, id, rest);
    checkJobFields(this, props);
    this.defaults = new PodDefaults(this, { podSecurity, writableTmp });
    for (const c of initContainers ?? []) this.addInitContainer(c);
    for (const c of containers ?? []) this.addContainer(c);
    addPodRules(this, {
      kind: 'Job', restartPolicies: ['Never', 'OnFailure'], podSecurity: () => this.podSecurity,
      render: () => ({ template: this._toKube().template }),
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
