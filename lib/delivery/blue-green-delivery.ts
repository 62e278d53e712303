import { Construct } from 'constructs';
import { Duration, constructId } from '../core';
import { IAnalysisTemplate, Rollout, RolloutStrategy } from './rollouts';
import { HorizontalPodAutoscaler, Microservice, MicroserviceAutoscaling, Service } from '../workloads';
import { DeliveryAnalysis } from './analysis';
import { PodSource, autoscaleRollout, siblingService, takeOver } from './workload';
import { checkProps } from './values';

/** Props of {@link BlueGreenDelivery}. */
export interface BlueGreenDeliveryProps {
  /** The workload to deliver (from `slipway/workloads`). */
  readonly workload: Microservice;
  /**
   * Switch the active Service automatically once the new version is ready (and its pre-promotion analysis passed).
   * @default false - promote with `kubectl argo rollouts promote`
   */
  readonly autoPromotion?: boolean;
  /**
   * With auto-promotion, wait this long after the new version is ready (whole seconds).
   * @default - immediately
   */
  readonly autoPromotionDelay?: Duration;
  /**
   * Analysis run against the preview Service before the switch.
   * @default DeliveryAnalysis.none()
   */
  readonly prePromotionAnalysis?: DeliveryAnalysis;
  /**
   * Analysis run against the active Service after the switch; failure switches back.
   * @default DeliveryAnalysis.successRate()
   */
  readonly postPromotionAnalysis?: DeliveryAnalysis;
  /**
   * Keep the old version this long after the switch, for a fast rollback (whole seconds).
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * Where the Rollout's pods come from.
   * @default PodSource.workloadRef()
   */
  readonly podSource?: PodSource;
  /**
   * Autoscaling of the Rollout, when the workload has none of its own (its own HPA is retargeted to the Rollout).
   * @default - the workload's autoscaler, or fixed replicas
   */
  readonly autoscaling?: MicroserviceAutoscaling;
}

/**
 * Blue-green delivery of a workload: the workload's own Service becomes the active Service (clients keep their
 * address), a `<name>-preview` Service reaches the new version before promotion, analyses gate the switch, and
 * the workload's HPA is retargeted to the Rollout.
 */
export class BlueGreenDelivery extends Construct {
  /** The Rollout. */
  public readonly rollout: Rollout;
  /** The active Service (the workload's own Service). */
  public readonly activeService: Service;
  /** The preview Service (`<name>-preview`). */
  public readonly previewService: Service;
  /** The pre-promotion template, if any. */
  public readonly prePromotionTemplate?: IAnalysisTemplate;
  /** The post-promotion template, if any. */
  public readonly postPromotionTemplate?: IAnalysisTemplate;
  /** The autoscaler that scales the Rollout, if any. */
  public readonly hpa?: HorizontalPodAutoscaler;

  constructor(scope: Construct, id: string, props: BlueGreenDeliveryProps) {
    super(scope, constructId(scope, id, 'BlueGreenDelivery', "new BlueGreenDelivery(scope, 'Main', …)"));
    checkProps(this, props);
    const w = props.workload;
    this.activeService = w.service;
    this.previewService = siblingService(this, 'PreviewService', w, `${w.name}-preview`);
    const pre = props.prePromotionAnalysis?._bind(this, 'PrePromotionAnalysis', this.previewService.name, this.previewService.name);
    const post = (props.postPromotionAnalysis ?? DeliveryAnalysis.successRate())._bind(this, 'PostPromotionAnalysis', w.name, this.activeService.name);
    this.prePromotionTemplate = pre?.template;
    this.postPromotionTemplate = post?.template;
    const pods = takeOver(w, props.podSource ?? PodSource.workloadRef(), props.autoscaling !== undefined);
    this.rollout = new Rollout(this, 'Rollout', {
      name: w.name,
      ...pods,
      selector: w.selectorLabels,
      revisionHistoryLimit: w.deployment.revisionHistoryLimit,
      strategy: RolloutStrategy.blueGreen({
        activeService: this.activeService,
        previewService: this.previewService,
        autoPromotionEnabled: props.autoPromotion ?? false,
        autoPromotionDelay: props.autoPromotionDelay,
        scaleDownDelay: props.scaleDownDelay,
        prePromotionAnalysis: pre ? { templates: [pre.template], args: pre.args } : undefined,
        postPromotionAnalysis: post ? { templates: [post.template], args: post.args } : undefined,
      }),
    });
    this.hpa = autoscaleRollout(this, w, this.rollout, props.autoscaling);
  }
}
