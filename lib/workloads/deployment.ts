import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, show } from '../core';
import { PodDefaults, SecurePodOptions, addPodRules } from './pod';
import { PodSecurity } from './pod-security';
import { QosClass, qosClassOf } from './resources';
import { SchedulingExtras, TopologySpreadOptions } from './scheduling';

/** Props of {@link Deployment}: cdk8s-plus-28's, plus rollback history and slipway's secure pod options. */
export interface DeploymentProps extends kplus.DeploymentProps, SecurePodOptions {
  /**
   * Old ReplicaSets kept for `kubectl rollout undo`.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
}

/**
 * A cdk8s-plus-28 `Deployment` whose containers get slipway's secure defaults (Pod Security "restricted",
 * explicit requests, writable `/tmp`) and whose rendered pod template is checked at synth. Strategy: rolling update
 * (default) or `kplus.DeploymentStrategy.recreate()`.
 */
export class Deployment extends kplus.Deployment {
  /** Old ReplicaSets kept for rollback. */
  public readonly revisionHistoryLimit: number;
  private readonly defaults: PodDefaults;
  private readonly extras: SchedulingExtras;

  constructor(scope: Construct, id: string, props: DeploymentProps = {}) {
    const { containers, initContainers, podSecurity, writableTmp, revisionHistoryLimit, ...rest } = props;
    super(scope, id, rest);
    if (props.replicas !== undefined && !(Number.isInteger(props.replicas) && props.replicas >= 0)) {
      fail(this, 'replicas-range', `replicas ${show(props.replicas)} is not a whole number >= 0`, 'use 0 or more replicas');
    }
    this.revisionHistoryLimit = revisionHistoryLimit ?? 10;
    if (!(Number.isInteger(this.revisionHistoryLimit) && this.revisionHistoryLimit >= 0)) {
      fail(this, 'revision-history-limit', `revisionHistoryLimit ${show(this.revisionHistoryLimit)} is not a whole number >= 0`,
        'keep 0 or more old ReplicaSets (10 is the Kubernetes default)');
    }
    this.defaults = new PodDefaults(this, { podSecurity, writableTmp });
    this.extras = new SchedulingExtras(this);
    for (const c of initContainers ?? []) this.addInitContainer(c);
    for (const c of containers ?? []) this.addContainer(c);
    addPodRules(this, {
      kind: 'Deployment', restartPolicies: ['Always'], podSecurity: () => this.podSecurity,
      render: () => { const s = this._toKube(); return { template: s.template, selector: s.selector }; },
    });
  }

  /** The pods' Pod Security level. */
  public get podSecurity(): PodSecurity {
    return this.defaults.podSecurity;
  }

  /** The pods' QoS class, from every container's requests and limits. */
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

  /** Adds an app container with slipway's secure defaults filled in (what you set wins). */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    return super.addContainer(this.defaults.container(cont));
  }

  /** Adds an init container (they run in order, each to completion, before the app containers start). */
  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    return super.addInitContainer(this.defaults.container(cont));
  }

  /** @internal */
  public _toKube(): kplus.k8s.DeploymentSpec {
    const spec = super._toKube();
    return { ...spec, template: this.extras.apply(spec.template), revisionHistoryLimit: this.revisionHistoryLimit };
  }
}
