import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { FinalDocument, PipelineApp, workloads } from '../../lib';

// cdk8s validates the whole app in App.synth() and again in every chart.toJson() it makes; inside one synthesis each
// construct's rules run once and each document slipway's rules render is the one written.

const counted = (scope: Chart): { calls: number } => {
  const counter = { calls: 0 };
  scope.node.addValidation({ validate: () => { counter.calls++; return []; } });
  return counter;
};

test('an app of three charts runs each rule once per synthesis, not once per chart plus one', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-synthesis-'));
  try {
    const app = new PipelineApp({ outdir });
    const counters = ['a', 'b', 'c'].map((id) => {
      const chart = new Chart(app, id);
      new workloads.Microservice(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
      return counted(chart);
    });
    app.synth();
    expect(counters.map((c) => c.calls)).toEqual([1, 1, 1]);
    app.synth(); // a second synthesis validates again
    expect(counters.map((c) => c.calls)).toEqual([2, 2, 2]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('outside a synthesis nothing is kept: validate, change the app, and the next synth sees the change', () => {
  const chart = new Chart(Testing.app(), 'shop');
  const web = new workloads.Microservice(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  const counter = counted(chart);
  chart.node.validate();
  chart.node.validate();
  expect(counter.calls).toBe(2);
  const before = FinalDocument.of(web.deployment);
  web.deployment.metadata.addLabel('tier', 'front');
  expect(FinalDocument.of(web.deployment)).not.toBe(before);
  const written = Testing.synth(chart).find((d) => d.kind === 'Deployment');
  expect(written.metadata.labels.tier).toBe('front');
});

test('a document the rules render is rendered once per synthesis and is the document written', () => {
  const app = new App();
  const chart = new Chart(app, 'shop');
  const web = new workloads.Microservice(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  const other = new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
  const seen: unknown[] = [];
  chart.node.addValidation({ validate: () => { seen.push(FinalDocument.of(web.deployment), FinalDocument.of(other)); return []; } });
  const docs = chart.toJson();
  expect(docs).toContain(seen[0]);
  expect(docs).toContain(seen[1]);
});

test('a pod that passed a validation is checked again after a change made in the same tick', () => {
  const chart = new Chart(Testing.app(), 'shop');
  const web = new workloads.Microservice(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
  expect(chart.node.findAll().flatMap((c) => c.node.validate())).toEqual([]);
  ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
  expect(() => Testing.synth(chart)).toThrow(/hostNetwork/);
});
