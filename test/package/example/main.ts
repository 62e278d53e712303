import { Chart } from 'cdk8s';
import { Node, Pipeline, PipelineApp, Step, workloads } from 'slipway';

const app = new PipelineApp();
const chart = new Chart(app, 'web', { namespace: 'shop' });

// A Deployment, Service and PodDisruptionBudget, restricted pod security by default.
new workloads.Microservice(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080 });

// Its CI, written once: a Jenkinsfile here (toTekton() would write Tekton objects into the chart).
const ci = new Pipeline(chart, 'ci', {
  node: new Node({ containers: [{ name: 'node', image: 'node:20-bookworm' }] }),
});
ci.addStage('Test', { steps: [Step.checkout(), Step.run('npm ci && npm test')] });
ci.toJenkins({ path: 'jenkins/web.Jenkinsfile' });

app.synth();
