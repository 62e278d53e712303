import { fail } from '../core';
import { Microservice } from '../workloads';
import { BlueGreenDelivery, BlueGreenDeliveryProps } from './blue-green-delivery';
import { CanaryDelivery, CanaryDeliveryProps } from './canary-delivery';

/** One-call progressive delivery for a workload from `slipway/workloads`. */
export class Delivery {
  /**
   * Turns on Istio canary delivery for `workload`; the constructs are created next to it (id `<id>Canary`).
   */
  public static canary(workload: Microservice, options: Omit<CanaryDeliveryProps, 'workload'> = {}): CanaryDelivery {
    return new CanaryDelivery(workload.node.scope!, deliveryId(workload, 'Canary'), { ...options, workload });
  }

  /** Turns on blue-green delivery for `workload` (id `<id>BlueGreen`, next to it). */
  public static blueGreen(workload: Microservice, options: Omit<BlueGreenDeliveryProps, 'workload'> = {}): BlueGreenDelivery {
    return new BlueGreenDelivery(workload.node.scope!, deliveryId(workload, 'BlueGreen'), { ...options, workload });
  }

  private constructor() {}
}

/** The id of a workload's delivery, next to it; a workload is delivered once (its Rollout takes over its pods). */
function deliveryId(workload: Microservice, suffix: string): string {
  const id = `${workload.node.id}${suffix}`;
  const other = workload.node.scope!.node.tryFindChild(id) ?? workload.node.scope!.node.tryFindChild(`${workload.node.id}${suffix === 'Canary' ? 'BlueGreen' : 'Canary'}`);
  if (other) {
    fail(workload, 'delivery-once', `workload ${JSON.stringify(workload.name)} already has a delivery (${other.node.path}): one Rollout takes over a workload's pods`,
      'call Delivery.canary() or Delivery.blueGreen() once per workload');
  }
  return id;
}
