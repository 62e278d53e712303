import { Duration, RuleViolation, goDuration } from '../../core';
import { intViolations, numberViolations } from '../values';

/** Which autoscaler scales the revision. */
export class AutoscalingClass {
  /** Knative Pod Autoscaler: request-driven, can scale to zero. */
  public static readonly KPA = new AutoscalingClass('kpa.autoscaling.knative.dev');
  /** Kubernetes HPA: CPU/memory driven, never to zero. */
  public static readonly HPA = new AutoscalingClass('hpa.autoscaling.knative.dev');

  private constructor(public readonly value: string) {}
}

/** The metric the autoscaler targets. */
export class AutoscalingMetric {
  /** In-flight requests per pod (KPA). */
  public static readonly CONCURRENCY = new AutoscalingMetric('concurrency');
  /** Requests per second per pod (KPA). */
  public static readonly RPS = new AutoscalingMetric('rps');
  /** CPU (HPA). */
  public static readonly CPU = new AutoscalingMetric('cpu');
  /** Memory (HPA). */
  public static readonly MEMORY = new AutoscalingMetric('memory');
  /** A custom metric name (HPA). */
  public static custom(name: string): AutoscalingMetric {
    return new AutoscalingMetric(name);
  }

  private constructor(public readonly value: string) {}
}

/** Typed `autoscaling.knative.dev/*` settings of a revision. */
export interface Autoscaling {
  /**
   * The autoscaler.
   * @default AutoscalingClass.KPA (cluster default)
   */
  readonly class?: AutoscalingClass;
  /**
   * The metric.
   * @default AutoscalingMetric.CONCURRENCY (cluster default)
   */
  readonly metric?: AutoscalingMetric;
  /**
   * Target value of the metric per pod (>= 0.01).
   * @default - 100 for concurrency, 200 for rps (cluster default)
   */
  readonly target?: number;
  /**
   * Percent of the target at which to scale (1..100).
   * @default 70 (cluster default)
   */
  readonly targetUtilizationPercentage?: number;
  /**
   * Fewest pods; 0 allows scale to zero.
   * @default 0 (cluster default)
   */
  readonly minScale?: number;
  /**
   * Most pods; 0 means unlimited.
   * @default 0 (cluster default)
   */
  readonly maxScale?: number;
  /**
   * Pods a new revision starts with.
   * @default 1 (cluster default)
   */
  readonly initialScale?: number;
  /**
   * Pods to start when scaling up from zero (>= 2).
   * @default - 1
   */
  readonly activationScale?: number;
  /**
   * Keep the last pod this long after traffic stops, before scaling to zero (0..1h).
   * @default Duration.seconds(0)
   */
  readonly scaleToZeroPodRetention?: Duration;
  /**
   * Wait this long before scaling down (0..1h, whole seconds).
   * @default Duration.seconds(0)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * The stable averaging window (6s..1h, whole seconds).
   * @default Duration.seconds(60)
   */
  readonly window?: Duration;
  /**
   * Panic window as a percent of the stable window (1..100).
   * @default 10
   */
  readonly panicWindowPercentage?: number;
  /**
   * Panic when load exceeds this percent of capacity (110..1000).
   * @default 200
   */
  readonly panicThresholdPercentage?: number;
  /**
   * Spare capacity kept before the activator leaves the path (-1 = always in path).
   * @default 211
   */
  readonly targetBurstCapacity?: number;
}

const PREFIX = 'autoscaling.knative.dev/';

/**
 * @internal Scale bounds are whole numbers and the other settings finite, as Knative parses the annotations (its
 * range rules run at synth over the written annotations).
 */
export function autoscalingValueViolations(a: Autoscaling | undefined): RuleViolation[] {
  if (!a) return [];
  return [
    ...(['minScale', 'maxScale', 'initialScale', 'activationScale'] as const).flatMap((k) => intViolations(`autoscaling.${k}`, a[k])),
    ...(['target', 'targetUtilizationPercentage', 'panicWindowPercentage', 'panicThresholdPercentage', 'targetBurstCapacity'] as const)
      .flatMap((k) => numberViolations(`autoscaling.${k}`, a[k])),
  ];
}

/** @internal Renders the autoscaling settings as revision-template annotations. */
export function autoscalingAnnotations(a: Autoscaling | undefined): Record<string, string> {
  if (!a) return {};
  const out: Record<string, string> = {};
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined) out[PREFIX + k] = String(v);
  };
  put('class', a.class?.value);
  put('metric', a.metric?.value);
  put('target', a.target);
  put('target-utilization-percentage', a.targetUtilizationPercentage);
  put('min-scale', a.minScale);
  put('max-scale', a.maxScale);
  put('initial-scale', a.initialScale);
  put('activation-scale', a.activationScale);
  put('scale-to-zero-pod-retention-period', goDuration(a.scaleToZeroPodRetention));
  put('scale-down-delay', goDuration(a.scaleDownDelay));
  put('window', goDuration(a.window));
  put('panic-window-percentage', a.panicWindowPercentage);
  put('panic-threshold-percentage', a.panicThresholdPercentage);
  put('target-burst-capacity', a.targetBurstCapacity);
  return out;
}
