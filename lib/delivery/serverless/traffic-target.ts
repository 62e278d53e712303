import { NameForm, assertValue, checkedValue, nameViolations } from '../../core';
import { Json, compact } from '../rollouts/common';
import { intViolations } from '../values';

/** Options of a traffic target. */
export interface TrafficTargetOptions {
  /**
   * Percent of traffic (all targets sum to 100).
   * @default 0
   */
  readonly percent?: number;
  /**
   * A tag: the target also gets its own URL `<tag>-<service>.<domain>`.
   * @default - no tag
   */
  readonly tag?: string;
}

/** Where a share of a Knative Service's traffic goes. */
export class TrafficTarget {
  /** The latest ready revision (moves with every new revision). */
  public static latestRevision(options: TrafficTargetOptions = {}): TrafficTarget {
    return checkedValue(() => assertValue(undefined, intViolations('traffic percent', options.percent)),
      () => new TrafficTarget({ latestRevision: true, percent: options.percent, tag: options.tag }));
  }

  /** A fixed revision by name (e.g. the previous release during a gradual rollout). */
  public static revision(revisionName: string, options: TrafficTargetOptions = {}): TrafficTarget {
    return checkedValue(() => assertValue(undefined, [...nameViolations('traffic revisionName', revisionName, NameForm.DNS_SUBDOMAIN),
      ...intViolations('traffic percent', options.percent)]),
    () => new TrafficTarget({ revisionName, latestRevision: false, percent: options.percent, tag: options.tag }));
  }

  private constructor(private readonly json: Json) {}

  /** The `traffic[]` entry. */
  public toJson(): Json {
    return compact(this.json);
  }
}
