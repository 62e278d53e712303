/** slipway/testing, as a user's test suite calls it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { jenkins, tekton, workloads } from '../../lib';
import { expectValid, matchers, synthesize, validate, validateDocuments, validateJenkinsfiles } from '../../lib/testing';

expect.extend(matchers);

function shop(): Chart {
  const chart = new Chart(Testing.app(), 'shop');
  new workloads.Microservice(chart, 'orders', { image: 'ghcr.io/acme/orders:2.0.1', port: 8080 });
  return chart;
}

describe('validate', () => {
  test('a valid chart: no problems, every document counted', () => {
    const report = validate(shop());
    expect(report).toEqual({ problems: [], skipped: [], warnings: [], checked: { documents: 3, files: 0 } });
    expect(shop()).toSynthesizeValid();
  });

  test('an escape-hatch patch that adds an unknown field is found in the final document, with its path', () => {
    const chart = shop();
    const deployment = chart.node.findAll().find((c) => ApiObject.isApiObject(c) && (c as ApiObject).kind === 'Deployment') as ApiObject;
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/hostPIDs', true));
    // synth itself refuses it (rule schema-strict), so validate() and the matcher report that refusal
    expect(() => validate(chart)).toThrow(/\[shop\/orders\/Deployment\] .*\/spec\/template\/spec\/hostPIDs unknown field .*\(rule: schema-strict\)/);
    expect(() => expectValid(chart)).toThrow(/schema-strict/);
    expect(chart).not.toSynthesizeValid();
    // the same document written by hand is found by validateDocuments, with its path
    const doc = Testing.synth(shop()).find((d) => d.kind === 'Deployment');
    doc.spec.template.spec.hostPIDs = true;
    expect(validateDocuments([doc])).toEqual([expect.objectContaining({ check: 'kubernetes', document: expect.stringContaining('apps/v1 Deployment'), path: '/spec/template/spec/hostPIDs' })]);
  });

  test('Tekton: Triggers kinds, inline task specs and embedded resource templates are all read strictly', () => {
    const chart = new Chart(Testing.app(), 'ci');
    const task = new tekton.Task(chart, 'build');
    task.addStep('make', { image: 'alpine:3.20', script: 'make' });
    expect(validate(chart).problems).toEqual([]);
    const bad = [
      { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'TriggerBinding', metadata: { name: 'b' }, spec: { parms: [] } },
      { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec: { tasks: [{ name: 't', taskSpec: { stpes: [] } }] } },
      { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'TriggerTemplate', metadata: { name: 'tt' },
        spec: { resourcetemplates: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'r-' }, spec: { pipelineRef: { name: 'p' }, bogus: 1 } }] } },
      { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'root' }, spec: {
        stepTemplate: { securityContext: { runAsNonRoot: true } }, steps: [{ name: 's', image: 'alpine', securityContext: { runAsUser: 0 } }] } },
    ];
    const found = validateDocuments(bad).map((p) => `${p.document} ${p.path}: ${p.message}`);
    expect(found).toEqual([
      expect.stringMatching(/TriggerBinding b \/spec: must NOT have additional properties: parms/),
      expect.stringMatching(/Pipeline p \/spec\/tasks\/0\/taskSpec: must NOT have additional properties: stpes/),
      expect.stringMatching(/TriggerTemplate tt \/spec\/resourcetemplates\/0: tekton.dev\/v1 PipelineRun r- \/spec: must NOT have additional properties: bogus/),
      expect.stringMatching(/Task root \/spec\/steps\/0\/securityContext: merged with the stepTemplate: runAsUser 0 under runAsNonRoot: true/),
    ]);
  });

  test("slipway's warnings are reported beside the problems (a root image under restricted)", () => {
    const chart = new Chart(Testing.app(), 'web');
    new workloads.Deployment(chart, 'nginx', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    const report = validate(chart);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([expect.stringMatching(/^\[web\/nginx\] image "nginx:1.27" runs as root by default.*PodSecurity\.baseline/)]);
  });

  test('a kind with no schema is a problem, never silently unchecked', () => {
    expect(validateDocuments([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])[0].message)
      .toMatch(/no schema for example.com\/v1 Widget/);
  });
});

describe('Jenkinsfiles', () => {
  test('generated Jenkinsfiles are parsed with Groovy 2.4, and synthesize returns them beside the documents', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ci');
    const jf = new jenkins.Jenkinsfile(chart, 'web', { agent: jenkins.Agent.any() });
    jf.addStage('Build', { steps: [jenkins.Step.sh('make')] });
    const out = synthesize(app);
    expect(Object.keys(out.files)).toEqual(['jenkins/web.Jenkinsfile']);
    expect(out.documents).toEqual({ ci: [] });
    expect(validate(app)).toEqual({ problems: [], skipped: [], warnings: [], checked: { documents: 0, files: 1 } });
  });

  test('a Groovy syntax error is reported with its line and column', () => {
    const { problems } = validateJenkinsfiles({ Jenkinsfile: "pipeline {\n  stages { stage('x') { steps { sh 'a' } }\n" });
    expect(problems).toEqual([expect.objectContaining({ check: 'groovy', document: 'Jenkinsfile', path: expect.stringMatching(/^\d+:\d+$/) })]);
  });

  test('without Groovy on the machine the parse is skipped with the install hint, not failed', () => {
    const saved = process.env.GROOVY_LIB;
    process.env.GROOVY_LIB = path.join(os.tmpdir(), 'no-groovy-here');
    try {
      const r = validateJenkinsfiles({ Jenkinsfile: 'pipeline { }\n' });
      expect(r.problems).toEqual([]);
      expect(r.skipped).toMatch(/Jenkinsfiles not parsed: no Groovy jars .*apt-get install -y groovy/);
    } finally {
      if (saved === undefined) delete process.env.GROOVY_LIB; else process.env.GROOVY_LIB = saved;
    }
  });
});

test('SLIPWAY_SCHEMAS_DIR can point at a folder of CRD YAML files instead of the vendored schemas', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-crds-'));
  fs.writeFileSync(path.join(dir, 'widget.yaml'), `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
`);
  const saved = process.env.SLIPWAY_SCHEMAS_DIR;
  process.env.SLIPWAY_SCHEMAS_DIR = dir;
  try {
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } };
    expect(validateDocuments([widget])).toEqual([]);
    expect(validateDocuments([{ ...widget, spec: { sise: 3 } }])[0]).toMatchObject({ path: '/spec', message: 'must NOT have additional properties: sise' });
  } finally {
    if (saved === undefined) delete process.env.SLIPWAY_SCHEMAS_DIR; else process.env.SLIPWAY_SCHEMAS_DIR = saved;
  }
});
