import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { putSorted } from '../core/final-document';
import { assertValue, labelViolations } from '../core/values';
import { assertInteger } from './object-rules';

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
  /**
   * The pods counted in each domain (`labelSelector.matchLabels`), e.g. another workload's.
   * @default - this workload's own pod labels
   */
  readonly labelSelector?: Record<string, string>;
  /**
   * Pod label keys whose values further narrow the counted pods (`matchLabelKeys`, e.g. `pod-template-hash`).
   * @default - none
   */
  readonly matchLabelKeys?: string[];
  /**
   * Minimum number of eligible domains (`minDomains`; with DO_NOT_SCHEDULE only).
   * @default - not written
   */
  readonly minDomains?: number;
}

/**
 * nodeSelector and topologySpreadConstraints, which cdk8s-plus-28's `scheduling` facet lacks (it has `assign`
 * for nodeName, `attract` for node affinity, `colocate`/`separate` for pod (anti-)affinity and `tolerate`).
 * Internal to the workload classes.
 */
export class SchedulingExtras {
  private readonly selector: Record<string, string> = {};
  private readonly spreads: TopologySpreadOptions[] = [];

  constructor(private readonly scope: IConstruct) {}

  /** Adds a `nodeSelector` entry (checked as a label). */
  public addNodeSelector(key: string, value: string): void {
    assertValue(this.scope, labelViolations({ [key]: value }, 'nodeSelector'));
    this.selector[key] = value;
  }

  /** Adds a topology spread constraint over this workload's own pods. */
  public addTopologySpread(options: TopologySpreadOptions): void {
    const maxSkew = options.maxSkew ?? 1;
    assertInteger(this.scope, 'maxSkew', maxSkew, { min: 1, rangeRule: 'topology-spread-max-skew', fix: 'use maxSkew >= 1' });
    assertInteger(this.scope, 'minDomains', options.minDomains, { min: 1, rangeRule: 'topology-spread-min-domains', fix: 'use minDomains >= 1' });
    if (options.minDomains !== undefined && options.whenUnsatisfiable !== WhenUnsatisfiable.DO_NOT_SCHEDULE) {
      fail(this.scope, 'topology-spread-min-domains', `minDomains ${show(options.minDomains)} needs a whole number >= 1 and WhenUnsatisfiable.DO_NOT_SCHEDULE`,
        'use minDomains >= 1 together with whenUnsatisfiable: WhenUnsatisfiable.DO_NOT_SCHEDULE');
    }
    assertValue(this.scope, labelViolations(options.labelSelector, 'topology spread labelSelector'));
    this.spreads.push({ ...options, topology: options.topology ?? kplus.Topology.ZONE, maxSkew,
      whenUnsatisfiable: options.whenUnsatisfiable ?? WhenUnsatisfiable.SCHEDULE_ANYWAY });
  }

  /** Merges the extras into a rendered (Kubernetes JSON) pod template, in place. */
  public applyJson(template: { metadata?: any; spec?: any }): void {
    if (Object.keys(this.selector).length === 0 && this.spreads.length === 0) return;
    const spec = template.spec;
    if (Object.keys(this.selector).length > 0) putSorted(spec, 'nodeSelector', { ...spec.nodeSelector, ...this.selector });
    if (this.spreads.length > 0) {
      const own = { ...template.metadata?.labels };
      putSorted(spec, 'topologySpreadConstraints', [...(spec.topologySpreadConstraints ?? []), ...this.spreads.map((s) => ({
        topologyKey: s.topology!.key, maxSkew: s.maxSkew, whenUnsatisfiable: s.whenUnsatisfiable,
        labelSelector: { matchLabels: s.labelSelector ?? own }, matchLabelKeys: s.matchLabelKeys, minDomains: s.minDomains,
      }))]);
    }
  }
}
