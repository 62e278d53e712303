/**
 * Property test of the portable pipeline's value rules: type-correct props with edge values (fixed seed, bounded)
 * either lower to Tekton documents that pass the strict checks and hold the input values exactly (and a
 * Jenkinsfile), or are refused with a construct path. 0 exceptions.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Node, Param, Pipeline, Resources, Secret, Step, synthFiles } from '../../lib';
import {
  expectTally, SEED, edgeEnvName, edgeImage, edgeInt, edgeName, judge, same, tally, withEdges,
} from '../core/value-properties';

const text = {
  valid: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,12}$/),
  edge: fc.constantFrom('', ' ', 'a\nb', 'ünï cödé', 'Build "it"', "it's", '${x}', 'x'.repeat(70), '\t'),
};
const quantity = (valid: string[]) => ({ valid: fc.constantFrom(...valid), edge: fc.constantFrom('0', '-1', '1.5', 'NaN', 'Infinity', '1e3', '', ' 1Gi', '1 Gi', '500M') });

const input = withEdges({
  containerName: edgeName, image: edgeImage, serviceAccount: edgeName, cpu: quantity(['100m', '1', '500m']), memory: quantity(['128Mi', '1Gi']),
  stageName: text, retries: edgeInt(fc.integer({ min: 0, max: 10 })), envName: edgeEnvName, envValue: text, stepName: edgeName,
  paramName: edgeEnvName, paramDefault: text, secretVariable: edgeEnvName, kubernetesSecret: edgeName,
  secretKey: { valid: fc.constantFrom('token', 'tls.crt', 'API_KEY'), edge: fc.constantFrom('a/b', '', '.', 'a b', 'ü') },
});

test('pipeline: every generated input lowers exactly and passes the strict checks, or is refused with a construct path', () => {
  const t = tally();
  fc.assert(fc.property(input, (v) => {
    judge(t, JSON.stringify(v), () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const node = new Node({ serviceAccount: v.serviceAccount, containers: [{ name: v.containerName, image: v.image, resources: Resources.of({ cpu: v.cpu, memory: v.memory }) }] });
      const p = new Pipeline(chart, 'ci', { node });
      p.addParam(Param.string(v.paramName, { default: v.paramDefault }));
      const secret = Secret.text(v.secretVariable, 'deploy-token', { kubernetesSecret: v.kubernetesSecret, key: v.secretKey });
      p.addStage(v.stageName, {
        retries: v.retries, environment: { [v.envName]: v.envValue },
        steps: [Step.run('make', { name: v.stepName, secrets: [secret] })],
      });
      p.toJenkins();
      p.toTekton();
      const files = synthFiles(app);
      if (!files['jenkins/ci.Jenkinsfile']) throw new Error('no Jenkinsfile written');
      return Testing.synth(chart);
    }, (docs) => {
      const pipeline = docs.find((d) => d.kind === 'Pipeline');
      const task = pipeline.spec.tasks[0];
      same('stage name', task.displayName ?? task.name, v.stageName);
      same('retries', task.retries ?? 0, v.retries);
      same('param', pipeline.spec.params[0], { default: v.paramDefault, name: v.paramName, type: 'string' });
      const step = task.taskSpec.steps[0];
      same('step name', step.name, v.stepName);
      same('image', step.image, v.image);
      same('env', step.env.find((e: any) => e.name === v.envName), { name: v.envName, value: v.envValue });
      same('secret', step.env.find((e: any) => e.name === v.secretVariable)?.valueFrom, { secretKeyRef: { key: v.secretKey, name: v.kubernetesSecret } });
      same('resources', task.taskSpec.stepTemplate.computeResources.requests, { cpu: v.cpu, memory: v.memory });
    });
  }), { seed: SEED, numRuns: 600 });
  expectTally('pipeline', t);
});
