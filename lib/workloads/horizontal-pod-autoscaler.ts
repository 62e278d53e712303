import { ApiObjectMetadata, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Duration, FinalDocument, Violations, addRules, fail, show } from '../core';

/** One scaling policy: how much may change within a period. */
export class ScalingPolicy {
  /** At most `value` pods per `period` (1 s to 30 min). */
  public static pods(value: number, period: Duration): ScalingPolicy {
    return new ScalingPolicy('Pods', value, period);
  }

  /** At most `value` percent of the current replicas per `period` (1 s to 30 min). */
  public static percent(value: number, period: Duration): ScalingPolicy {
    return new ScalingPolicy('Percent', value, period);
  }

  private constructor(public readonly type: 'Pods' | 'Percent', public readonly value: number, public readonly period: Duration) {
    if (!(Number.isInteger(value) && value > 0)) {
      fail(undefined, 'hpa-policy-value', `scaling policy value ${show(value)} is not a whole number > 0`, 'use a positive whole number');
    }
    const s = period.toSeconds();
    if (s < 1 || s > 1800) {
      fail(undefined, 'hpa-policy-period', `scaling policy period ${period.toGoString()} is outside 1s-30m`, 'use a period from 1 second to 30 minutes');
    }
  }
}

/** Which policy wins when several allow different changes. */
export enum SelectPolicy {
  /** The policy allowing the largest change (Kubernetes default). */
  MAX = 'Max',
  /** The policy allowing the smallest change. */
  MIN = 'Min',
  /** Never scale in this direction. */
  DISABLED = 'Disabled',
}

/** Rules for one direction (`scaleUp` or `scaleDown`). Omitted fields get Kubernetes' defaults from the API server. */
export interface ScalingRules {
  /**
   * Look-back window over which the recommendation is smoothed (0 to 1 hour).
   * @default - Kubernetes: 0 for scale up, 300 s for scale down
   */
  readonly stabilizationWindow?: Duration;
  /**
   * Policy selection.
   * @default - Kubernetes: SelectPolicy.MAX
   */
  readonly selectPolicy?: SelectPolicy;
  /**
   * Policies; at least one when given.
   * @default - Kubernetes: up 100 % or 4 pods per 15 s, down 100 % per 15 s
   */
  readonly policies?: ScalingPolicy[];
}

/** Options of {@link ScalingBehavior.scaleUpFastScaleDownSlow}. */
export interface ScaleUpFastScaleDownSlowOptions {
  /**
   * How long the lower recommendation must hold before scaling down.
   * @default Duration.minutes(10)
   */
  readonly scaleDownWindow?: Duration;
  /**
   * Percent of replicas that may go per minute when scaling down.
   * @default 10
   */
  readonly scaleDownPercentPerMinute?: number;
}

/** HPA `behavior` presets. */
export class ScalingBehavior {
  /** No `behavior` field: the API server applies Kubernetes' defaults (not cdk8s-plus-28's). */
  public static kubernetesDefaults(): ScalingBehavior {
    return new ScalingBehavior(undefined, undefined);
  }

  /**
   * React to load at once (no window; double or +4 pods every 15 s, whichever is more) and shed capacity slowly
   * (a 10-minute window, then 10 % per minute) so a short dip does not cause flapping.
   */
  public static scaleUpFastScaleDownSlow(options: ScaleUpFastScaleDownSlowOptions = {}): ScalingBehavior {
    return new ScalingBehavior(
      { stabilizationWindow: Duration.seconds(0), selectPolicy: SelectPolicy.MAX,
        policies: [ScalingPolicy.percent(100, Duration.seconds(15)), ScalingPolicy.pods(4, Duration.seconds(15))] },
      { stabilizationWindow: options.scaleDownWindow ?? Duration.minutes(10),
        policies: [ScalingPolicy.percent(options.scaleDownPercentPerMinute ?? 10, Duration.minutes(1))] });
  }

  /** Explicit rules; a direction left out keeps Kubernetes' defaults. */
  public static of(rules: { readonly scaleUp?: ScalingRules; readonly scaleDown?: ScalingRules }): ScalingBehavior {
    return new ScalingBehavior(rules.scaleUp, rules.scaleDown);
  }

  private constructor(public readonly scaleUp: ScalingRules | undefined, public readonly scaleDown: ScalingRules | undefined) {
    for (const [dir, r] of [['scaleUp', scaleUp], ['scaleDown', scaleDown]] as const) {
      if (!r) continue;
      const w = r.stabilizationWindow?.toSeconds();
      if (w !== undefined && w > 3600) {
        fail(undefined, 'hpa-stabilization-window', `${dir} stabilizationWindow ${show(w)}s is outside 0-3600s`, 'use a window of at most 1 hour');
      }
      if (r.policies !== undefined && r.policies.length === 0) {
        fail(undefined, 'hpa-policies-required', `${dir} has an empty policies list`, 'give at least one ScalingPolicy, or leave policies out for the defaults');
      }
    }
  }

  /** @internal */
  public _toKube(): kplus.k8s.HorizontalPodAutoscalerBehaviorV2 | undefined {
    if (!this.scaleUp && !this.scaleDown) return undefined;
    const rules = (r?: ScalingRules): kplus.k8s.HpaScalingRulesV2 | undefined => r && ({
      stabilizationWindowSeconds: r.stabilizationWindow?.toSeconds(),
      selectPolicy: r.selectPolicy,
      policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.period.toSeconds() })),
    });
    return { scaleUp: rules(this.scaleUp), scaleDown: rules(this.scaleDown) };
  }
}

/** What an HPA scales: any object with the `scale` subresource. */
export class ScaleTarget {
  /**
   * A cdk8s-plus-28 workload (a slipway or kplus Deployment/StatefulSet). Its `replicas` is dropped from the output
   * because the HPA owns it, and utilization metrics are checked against its containers' requests.
   */
  public static fromWorkload(workload: kplus.IScalable): ScaleTarget {
    workload.markHasAutoscaler();
    const t = workload.toScalingTarget();
    // Read the containers at synth so ones added after the HPA are checked too.
    return new ScaleTarget(t.apiVersion, t.kind, t.name, () => workload.toScalingTarget().containers);
  }

  /** Any scalable object by reference, e.g. `ScaleTarget.of('argoproj.io/v1alpha1', 'Rollout', 'web')`. */
  public static of(apiVersion: string, kind: string, name: string): ScaleTarget {
    return new ScaleTarget(apiVersion, kind, name, undefined);
  }

  private constructor(public readonly apiVersion: string, public readonly kind: string, public readonly name: string,
    /** @internal */ public readonly _containers: (() => kplus.Container[]) | undefined) {}
}

/** Props of {@link HorizontalPodAutoscaler}. */
export interface HorizontalPodAutoscalerProps {
  /** The object to scale. */
  readonly target: ScaleTarget;
  /** Upper bound; at least 1 and at least `minReplicas`. */
  readonly maxReplicas: number;
  /**
   * Lower bound; at least 1.
   * @default 1
   */
  readonly minReplicas?: number;
  /**
   * Target average CPU utilization, in percent of the pods' CPU request.
   * @default 80 when no memory target is given (Kubernetes' default), otherwise none
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilization, in percent of the pods' memory request.
   * @default - none
   */
  readonly memoryUtilization?: number;
  /**
   * Scaling speed.
   * @default ScalingBehavior.kubernetesDefaults()
   */
  readonly behavior?: ScalingBehavior;
  /**
   * Object metadata.
   * @default - a generated name
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * An `autoscaling/v2` HorizontalPodAutoscaler. Unlike cdk8s-plus-28's, it leaves out what you do not set so the
 * API server applies Kubernetes' own defaults. `retarget()` points it at another object (e.g. an Argo Rollout).
 */
export class HorizontalPodAutoscaler extends Construct {
  /** The L1 object (`Resource`). */
  public readonly apiObject: kplus.k8s.KubeHorizontalPodAutoscalerV2;
  /** Lower bound. */
  public readonly minReplicas: number;
  /** Upper bound. */
  public readonly maxReplicas: number;
  /** Scaling speed. */
  public readonly behavior: ScalingBehavior;
  private _target: ScaleTarget;
  private readonly cpu?: number;
  private readonly memory?: number;

  constructor(scope: Construct, id: string, props: HorizontalPodAutoscalerProps) {
    super(scope, id);
    this.minReplicas = props.minReplicas ?? 1;
    this.maxReplicas = props.maxReplicas;
    this.behavior = props.behavior ?? ScalingBehavior.kubernetesDefaults();
    this._target = props.target;
    this.cpu = props.cpuUtilization ?? (props.memoryUtilization === undefined ? 80 : undefined);
    this.memory = props.memoryUtilization;
    if (!(Number.isInteger(this.minReplicas) && this.minReplicas >= 1)) {
      fail(this, 'hpa-min-replicas', `minReplicas ${show(this.minReplicas)} is below 1`,
        'use minReplicas >= 1 (scale to zero needs the HPAScaleToZero feature gate and object/external metrics)');
    }
    if (!(Number.isInteger(this.maxReplicas) && this.maxReplicas >= 1 && this.maxReplicas >= this.minReplicas)) {
      fail(this, 'hpa-max-replicas', `maxReplicas ${show(this.maxReplicas)} is below 1 or below minReplicas ${show(this.minReplicas)}`,
        'set maxReplicas to at least minReplicas');
    }
    for (const [what, v] of [['cpuUtilization', this.cpu], ['memoryUtilization', this.memory]] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
        fail(this, 'hpa-utilization', `${what} ${show(v)} is not a whole percentage > 0`, 'use a whole percentage such as 70');
      }
    }
    this.apiObject = new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    FinalDocument.enable(this);
    addRules(this, () => this.check());
  }

  /** The object's name. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** The current scale target. */
  public get target(): ScaleTarget {
    return this._target;
  }

  /** Points the HPA at another object, e.g. the Rollout that now owns the Deployment's pods. */
  public retarget(target: ScaleTarget): void {
    this._target = target;
  }

  private check() {
    const v = new Violations();
    const containers = this._target._containers?.() ?? [];
    for (const [res, util] of [['cpu', this.cpu], ['memory', this.memory]] as const) {
      if (util === undefined) continue;
      for (const c of containers) {
        const r = c.resources?.[res];
        if (!r?.request && !r?.limit) {
          v.add('hpa-resource-request', `${res} utilization target but container ${show(c.name)} of ${this._target.kind} ${show(this._target.name)} has no ${res} request`,
            `set resources.${res}.request on every container, or drop the ${res} utilization target`);
        }
      }
    }
    return v.all;
  }

  /** @internal */
  public _toKube(): kplus.k8s.HorizontalPodAutoscalerSpecV2 {
    const metric = (name: string, averageUtilization: number): kplus.k8s.MetricSpecV2 =>
      ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
    const metrics: kplus.k8s.MetricSpecV2[] = [];
    if (this.cpu !== undefined) metrics.push(metric('cpu', this.cpu));
    if (this.memory !== undefined) metrics.push(metric('memory', this.memory));
    return {
      scaleTargetRef: { apiVersion: this._target.apiVersion, kind: this._target.kind, name: this._target.name },
      minReplicas: this.minReplicas,
      maxReplicas: this.maxReplicas,
      metrics,
      behavior: this.behavior._toKube(),
    };
  }
}
