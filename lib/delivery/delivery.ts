import { Microservice } from '../workloads';
import { BlueGreenDelivery, BlueGreenDeliveryProps } from './blue-green-delivery';
import { CanaryDelivery, CanaryDeliveryProps } from './canary-delivery';

/** One-call progressive delivery for a workload from `slipway/workloads`. */
export class Delivery {
  /**
   * Turns on Istio canary delivery for `workload`; the constructs are created next to it (id `<id>Canary`).
   */
  public static canary(workload: Microservice, options: Omit<CanaryDeliveryProps, 'workload'> = {}): CanaryDelivery {
    return new CanaryDelivery(workload.node.scope!, `${workload.node.id}Canary`, { ...options, workload });
  }

  /** Turns on blue-green delivery for `workload` (id `<id>BlueGreen`, next to it). */
  public static blueGreen(workload: Microservice, options: Omit<BlueGreenDeliveryProps, 'workload'> = {}): BlueGreenDelivery {
    return new BlueGreenDelivery(workload.node.scope!, `${workload.node.id}BlueGreen`, { ...options, workload });
  }

  private constructor() {}
}
