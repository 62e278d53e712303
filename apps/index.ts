import { Construct } from 'constructs';
import { addSystemApps } from './system';
import { addDeliveryApps } from './delivery';

/** Adds the example system's charts (workloads, delivery) to `app`. */
export function addApps(app: Construct): void {
  addSystemApps(app);
  addDeliveryApps(app);
}
