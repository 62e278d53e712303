import { ApiObjectMetadata, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Duration, goDuration, wholeSeconds } from '../core/duration';
import { addBoundRules, fail, RuleViolation, show, Violations } from '../core/errors';
import { FinalDocument, putSorted } from '../core/final-document';
import { assertProps, assertValue, checkedValue, checkValue, constructId, finiteViolations, integerViolations, NameForm, nameViolations, labelViolations, rethrowRefusal, settledValue } from '../core/values';
import { assertInteger, checkObject, laterMetadataViolations } from './object-rules';

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
    checkValue(this, () => {
      assertValue(undefined, integerViolations('scaling policy value', value, { min: 0, exclusiveMin: true, rangeRule: 'hpa-policy-value', fix: 'use a positive whole number' }));
      const s = wholeSeconds(period);
      if (s < 1 || s > 1800) {
        fail(undefined, 'hpa-policy-period', `scaling policy period ${goDuration(period)} is outside 1s-30m`, 'use a period from 1 second to 30 minutes');
      }
    });
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
  /**
   * Relative change in the metric ignored before scaling (`tolerance`, e.g. 0.05 for 5 %; Kubernetes 1.33+ with the
   * HPAConfigurableTolerance feature gate).
   * @default - not written (the controller's 10 %)
   */
  readonly tolerance?: number;
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
   * (a 10-minute window, then 10 % per minute) so a short dip does not cause flapping. Without options it returns one
   * shared, frozen value; pass options or use {@link ScalingBehavior.of} for rules of your own.
   */
  public static scaleUpFastScaleDownSlow(options: ScaleUpFastScaleDownSlowOptions = {}): ScalingBehavior {
    // Without options the preset is one frozen value shared by every HPA (five Durations and three policies each
    // otherwise); freezing makes a change to it an error instead of a change to every autoscaler.
    if (options.scaleDownWindow === undefined && options.scaleDownPercentPerMinute === undefined) {
      return defaultBehavior ??= settledValue(ScalingBehavior.fastSlow(options));
    }
    return ScalingBehavior.fastSlow(options);
  }

  private static fastSlow(options: ScaleUpFastScaleDownSlowOptions): ScalingBehavior {
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
    checkValue(this, () => {
      for (const [dir, r] of [['scaleUp', scaleUp], ['scaleDown', scaleDown]] as const) {
        if (!r) continue;
        for (const p of r.policies ?? []) rethrowRefusal(p);
        const w = wholeSeconds(r.stabilizationWindow);
        if (w !== undefined && w > 3600) {
          fail(undefined, 'hpa-stabilization-window', `${dir} stabilizationWindow ${show(w)}s is outside 0-3600s`, 'use a window of at most 1 hour');
        }
        if (r.tolerance !== undefined) {
          assertValue(undefined, finiteViolations(`${dir} tolerance`, r.tolerance, { min: 0, rangeRule: 'hpa-tolerance', fix: 'use a fraction such as 0.05' }));
        }
        if (r.policies !== undefined && r.policies.length === 0) {
          fail(undefined, 'hpa-policies-required', `${dir} has an empty policies list`, 'give at least one ScalingPolicy, or leave policies out for the defaults');
        }
      }
    });
  }

  /** @internal */
  public _toKube(): kplus.k8s.HorizontalPodAutoscalerBehaviorV2 | undefined {
    if (!this.scaleUp && !this.scaleDown) return undefined;
    const rules = (r?: ScalingRules): kplus.k8s.HpaScalingRulesV2 | undefined => r && ({
      stabilizationWindowSeconds: wholeSeconds(r.stabilizationWindow),
      selectPolicy: r.selectPolicy,
      policies: r.policies?.map((p) => ({ type: p.type, value: p.value, periodSeconds: wholeSeconds(p.period) })),
    });
    return { scaleUp: rules(this.scaleUp), scaleDown: rules(this.scaleDown) };
  }
}

let defaultBehavior: ScalingBehavior | undefined;

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;

/** The target of one HPA metric: a utilization percentage, an average value per pod, or a total value. */
export class MetricTarget {
  /** Average utilization in percent of the pods' requests (`Utilization`; resource metrics only). */
  public static utilization(percent: number): MetricTarget {
    const t = new MetricTarget({ type: 'Utilization', averageUtilization: percent });
    checkValue(t, () => assertValue(undefined, integerViolations('utilization', percent, UTILIZATION)));
    return t;
  }

  /** The metric averaged over the pods (`AverageValue`), a quantity such as `'500m'` or `'100'`. */
  public static averageValue(quantity: string): MetricTarget {
    const t = new MetricTarget({ type: 'AverageValue', averageValue: quantity });
    checkValue(t, () => checkQuantity(quantity));
    return t;
  }

  /** The metric's total value (`Value`; object and external metrics). */
  public static value(quantity: string): MetricTarget {
    const t = new MetricTarget({ type: 'Value', value: quantity });
    checkValue(t, () => checkQuantity(quantity));
    return t;
  }

  private constructor(/** The `target` as written. */ public readonly json: { readonly type: string } & Record<string, string | number>) {}
}

function checkQuantity(q: string): void {
  if (typeof q !== 'string' || !QUANTITY.test(q)) fail(undefined, 'hpa-metric-quantity', `metric target ${show(q)} is not a Kubernetes quantity`, "write a quantity such as '500m', '10' or '1Gi'");
}

/** A utilization target: a whole percentage > 0 (int32). */
const UTILIZATION = { min: 0, exclusiveMin: true, rangeRule: 'hpa-utilization', fix: 'use a whole percentage such as 70' };

/** The object an Object metric describes. */
export interface DescribedObject {
  /** API version, e.g. `networking.k8s.io/v1`. */
  readonly apiVersion: string;
  /** Kind, e.g. `Ingress`. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
}

/** One `autoscaling/v2` metric beyond the CPU and memory utilization props. */
export class HpaMetric {
  /** A resource of the pods (`Resource`): cpu or memory, by utilization or average value. */
  public static resource(name: string, target: MetricTarget): HpaMetric {
    return metric(target, () => refuseTarget('Resource', name, target, ['Value'], 'use MetricTarget.utilization() or MetricTarget.averageValue()'),
      () => ({ type: 'Resource', resource: { name, target: target.json } }));
  }

  /** A resource of one container of the pods (`ContainerResource`). */
  public static containerResource(name: string, container: string, target: MetricTarget): HpaMetric {
    return metric(target, () => refuseTarget('ContainerResource', name, target, ['Value'], 'use MetricTarget.utilization() or MetricTarget.averageValue()'),
      () => ({ type: 'ContainerResource', containerResource: { name, container, target: target.json } }));
  }

  /** A custom metric of each pod (`Pods`, e.g. requests per second from a metrics adapter), averaged. */
  public static pods(metricName: string, target: MetricTarget, selector?: Record<string, string>): HpaMetric {
    return metric(target, () => {
      refuseTarget('Pods', metricName, target, ['Value', 'Utilization'], 'use MetricTarget.averageValue()');
      checkMetricName(metricName, selector);
    }, () => ({ type: 'Pods', pods: { metric: metricOf(metricName, selector), target: target.json } }));
  }

  /** A metric of another object in the namespace (`Object`, e.g. an Ingress's requests per second). */
  public static object(metricName: string, describedObject: DescribedObject, target: MetricTarget, selector?: Record<string, string>): HpaMetric {
    return metric(target, () => {
      refuseTarget('Object', metricName, target, ['Utilization'], 'use MetricTarget.value() or MetricTarget.averageValue()');
      checkMetricName(metricName, selector);
    }, () => ({ type: 'Object', object: { metric: metricOf(metricName, selector),
      describedObject: { apiVersion: describedObject.apiVersion, kind: describedObject.kind, name: describedObject.name }, target: target.json } }));
  }

  /** A metric from outside the cluster (`External`, e.g. a queue length). */
  public static external(metricName: string, target: MetricTarget, selector?: Record<string, string>): HpaMetric {
    return metric(target, () => {
      refuseTarget('External', metricName, target, ['Utilization'], 'use MetricTarget.value() or MetricTarget.averageValue()');
      checkMetricName(metricName, selector);
    }, () => ({ type: 'External', external: { metric: metricOf(metricName, selector), target: target.json } }));
  }

  private constructor(/** The metric as written. */ public readonly json: Record<string, unknown>) {}
}

/** A metric whose refusal (or its target's) is kept until the HPA it is given to throws it with its path. */
function metric(target: MetricTarget, checks: () => void, json: () => Record<string, unknown>): HpaMetric {
  return checkedValue(() => {
    rethrowRefusal(target);
    checks();
  }, () => new (HpaMetric as any)(json()));
}

/** Refuses a target type the metric type cannot have (`hpa-metric-target`). */
function refuseTarget(type: string, name: string, target: MetricTarget, refused: string[], fix: string): void {
  if (refused.includes(target.json.type)) fail(undefined, 'hpa-metric-target', `${type} metric ${show(name)} has a ${target.json.type} target`, fix);
}

function checkMetricName(name: string, selector: Record<string, string> | undefined): void {
  if (typeof name !== 'string' || name.length === 0) fail(undefined, 'hpa-metric-name', `metric name ${show(name)} is empty`, 'name the metric, e.g. http_requests_per_second');
  assertValue(undefined, labelViolations(selector, `metric ${show(name)} selector`));
}

function metricOf(name: string, selector?: Record<string, string>): Record<string, unknown> {
  return selector ? { name, selector: { matchLabels: { ...selector } } } : { name };
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
    // The containers are read at synth so ones added after the HPA are checked too.
    return new ScaleTarget(t.apiVersion, t.kind, t.name, workload);
  }

  /** Any scalable object by reference, e.g. `ScaleTarget.of('argoproj.io/v1alpha1', 'Rollout', 'web')`. */
  public static of(apiVersion: string, kind: string, name: string): ScaleTarget {
    const t = new ScaleTarget(apiVersion, kind, name, undefined);
    checkValue(t, () => {
      assertValue(undefined, nameViolations(`scale target ${kind} name`, name, NameForm.DNS_SUBDOMAIN));
      if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
        fail(undefined, 'hpa-scale-target', `scale target ${show(apiVersion)} ${show(kind)} is not an apiVersion and kind`,
          "name the kind as the API does, e.g. ScaleTarget.of('argoproj.io/v1alpha1', 'Rollout', 'web')");
      }
    });
    return t;
  }

  private constructor(public readonly apiVersion: string, public readonly kind: string, public readonly name: string,
    /** @internal */ public readonly _workload: kplus.IScalable | undefined) {}

  /** @internal The workload's containers now (none for a target given by reference). */
  public _containers(): kplus.Container[] {
    return this._workload?.toScalingTarget().containers ?? [];
  }
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
   * @default 80 when no memory target and no metrics are given (Kubernetes' default), otherwise none
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilization, in percent of the pods' memory request.
   * @default - none
   */
  readonly memoryUtilization?: number;
  /**
   * More metrics: Pods, Object, External, ContainerResource, or resources by average value.
   * @default - none
   */
  readonly metrics?: HpaMetric[];
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
  private readonly extraMetrics: Record<string, unknown>[];

  constructor(scope: Construct, id: string, props: HorizontalPodAutoscalerProps) {
    super(scope, constructId(scope, id, 'HorizontalPodAutoscaler', "'web-autoscaler'"));
    this.minReplicas = props.minReplicas ?? 1;
    this.maxReplicas = props.maxReplicas;
    this.behavior = props.behavior ?? ScalingBehavior.kubernetesDefaults();
    this._target = props.target;
    this.cpu = props.cpuUtilization ?? (props.memoryUtilization === undefined && !props.metrics?.length ? 80 : undefined);
    this.memory = props.memoryUtilization;
    assertInteger(this, 'minReplicas', this.minReplicas, { min: 1, rangeRule: 'hpa-min-replicas',
      fix: 'use minReplicas >= 1 (scale to zero needs the HPAScaleToZero feature gate and object/external metrics)' });
    assertInteger(this, 'maxReplicas', this.maxReplicas, { min: Math.max(1, this.minReplicas), rangeRule: 'hpa-max-replicas',
      fix: 'set maxReplicas to at least minReplicas and at most 2147483647' });
    assertInteger(this, 'cpuUtilization', this.cpu, UTILIZATION);
    assertInteger(this, 'memoryUtilization', this.memory, UTILIZATION);
    this.apiObject = new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    checkObject(this, 'HorizontalPodAutoscaler', NameForm.DNS_SUBDOMAIN, props);
    this.extraMetrics = (props.metrics ?? []).map((m) => m.json);
    // Methods called on this object, not closures: one shared function for every HPA.
    FinalDocument._addTransform(this, this.transform, this);
    addBoundRules(this, this.rules, this);
  }

  private transform(doc: any): void {
    if (this.extraMetrics.length > 0) putSorted(doc.spec, 'metrics', [...(doc.spec.metrics ?? []), ...this.extraMetrics]);
    // The L1 has no tolerance field (Kubernetes 1.33).
    for (const dir of ['scaleUp', 'scaleDown'] as const) {
      const t = this.behavior[dir]?.tolerance;
      if (t !== undefined) putSorted(doc.spec.behavior[dir], 'tolerance', String(t));
    }
  }

  private rules(): RuleViolation[] {
    return [...laterMetadataViolations(this, 'HorizontalPodAutoscaler'), ...this.check()];
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
    assertProps(this, target);
    this._target = target;
  }

  private check() {
    const v = new Violations();
    const containers = this._target._containers();
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
