import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PodDefaults, SecurePodOptions, addPodRules } from './pod';
import { PodSecurity } from './pod-security';
import { QosClass, qosClassOf } from './resources';
import { SchedulingExtras, TopologySpreadOptions } from './scheduling';

/** Props of {@link DaemonSet}. */
export interface DaemonSetProps extends kplus.DaemonSetProps, SecurePodOptions {}

/**
 * A cdk8s-plus-28 `DaemonSet` (one pod per node) with slipway's secure pod defaults and synth-time pod rules.
 * Node agents that need hostPath or root must say so with `podSecurity: PodSecurity.optOut('<reason>')`.
 */
export class DaemonSet extends kplus.DaemonSet {
  private readonly defaults: PodDefaults;
  private readonly extras: SchedulingExtras;

  constructor(scope: Construct, id: string, props: DaemonSetProps = {}) {
    const { containers, initContainers, podSecurity, writableTmp, ...rest } = props;
    super(scope, id, rest);
    this.defaults = new PodDefaults(this, { podSecurity, writableTmp });
    this.extras = new SchedulingExtras(this);
    for (const c of initContainers ?? []) this.addInitContainer(c);
    for (const c of containers ?? []) this.addContainer(c);
    addPodRules(this, {
      kind: 'DaemonSet', restartPolicies: ['Always'], podSecurity: () => this.podSecurity,
      render: () => { const s = this._toKube(); return { template: s.template, selector: s.selector }; },
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

  /** Runs the pods only on nodes with this label (`nodeSelector`). */
  public addNodeSelector(key: string, value: string): void {
    this.extras.addNodeSelector(key, value);
  }

  /** Spreads the pods evenly over zones or hosts (`topologySpreadConstraints`, matching this workload's pods). */
  public addTopologySpread(options: TopologySpreadOptions = {}): void {
    this.extras.addTopologySpread(options);
  }

  /** Adds an app container with slipway's secure defaults filled in. */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    return super.addContainer(this.defaults.container(cont));
  }

  /** Adds an init container (run in order, each to completion, before the app containers). */
  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    return super.addInitContainer(this.defaults.container(cont));
  }

  /** @internal */
  public _toKube(): kplus.k8s.DaemonSetSpec {
    const spec = super._toKube();
    return { ...spec, template: this.extras.apply(spec.template) };
  }
}
