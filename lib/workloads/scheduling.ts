import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail, show } from '../core';
import { labelViolations, podChanged } from './pod';

/** What the scheduler does when a topology spread cannot be met. */
export enum WhenUnsatisfiable {
  /** Schedule anyway, preferring nodes that reduce the skew (soft). */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
  /** Leave the pod pending (hard). */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
}

/** Options of `addTopologySpread()`. */
export interface TopologySpreadOptions {
  /**
   * The domain to spread over.
   * @default kplus.Topology.ZONE
   */
  readonly topology?: kplus.Topology;
  /**
   * Largest allowed difference in pod count between two domains; at least 1.
   * @default 1
   */
  readonly maxSkew?: number;
  /**
   * Soft or hard.
   * @default WhenUnsatisfiable.SCHEDULE_ANYWAY
   */
  readonly whenUnsatisfiable?: WhenUnsatisfiable;
}

/**
 * nodeSelector and topologySpreadConstraints, which cdk8s-plus-28's `scheduling` facet lacks (it has `assign`
 * for nodeName, `attract` for node affinity, `colocate`/`separate` for pod (anti-)affinity and `tolerate`).
 * Internal to the workload classes.
 */
export class SchedulingExtras {
  private readonly selector: Record<string, string> = {};
  private readonly spreads: Required<TopologySpreadOptions>[] = [];

  constructor(private readonly scope: IConstruct) {}

  /** Adds a `nodeSelector` entry (checked as a label). */
  public addNodeSelector(key: string, value: string): void {
    const bad = labelViolations(key, value)[0];
    if (bad) fail(this.scope, bad.rule, bad.message, bad.fix);
    podChanged(this.scope);
    this.selector[key] = value;
  }

  /** Adds a topology spread constraint over this workload's own pods. */
  public addTopologySpread(options: TopologySpreadOptions): void {
    const maxSkew = options.maxSkew ?? 1;
    if (!(Number.isInteger(maxSkew) && maxSkew >= 1)) {
      fail(this.scope, 'topology-spread-max-skew', `maxSkew ${show(maxSkew)} is below 1`, 'use maxSkew >= 1');
    }
    podChanged(this.scope);
    this.spreads.push({ topology: options.topology ?? kplus.Topology.ZONE, maxSkew,
      whenUnsatisfiable: options.whenUnsatisfiable ?? WhenUnsatisfiable.SCHEDULE_ANYWAY });
  }

  /** The pod template with the extras merged in. */
  public apply(template: kplus.k8s.PodTemplateSpec): kplus.k8s.PodTemplateSpec {
    if (Object.keys(this.selector).length === 0 && this.spreads.length === 0) return template;
    const labels = template.metadata?.labels ?? {};
    const spec = template.spec!;
    return {
      ...template,
      spec: {
        ...spec,
        nodeSelector: Object.keys(this.selector).length > 0 ? { ...spec.nodeSelector, ...this.selector } : spec.nodeSelector,
        topologySpreadConstraints: this.spreads.length === 0 ? spec.topologySpreadConstraints : this.spreads.map((s) => ({
          topologyKey: s.topology.key, maxSkew: s.maxSkew, whenUnsatisfiable: s.whenUnsatisfiable,
          labelSelector: { matchLabels: { ...labels } },
        })),
      },
    };
  }
}
