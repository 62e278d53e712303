import { Construct } from 'constructs';
import { addCiCd } from './ci-cd';
import { addJenkinsCi } from './jenkins-ci';
import { addTektonCi } from './tekton-ci';

/** Adds the example repository's CI/CD (Jenkins, Tekton) to `app`. */
export function addPipelines(app: Construct): void {
  addJenkinsCi(app);
  addTektonCi(app);
  addCiCd(app);
}
