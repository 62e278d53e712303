/**
 * Lowering decisions per backend: what each portable feature becomes, what errors out (and why), security, and
 * snapshots of the example. Schema, Groovy and read-back checks of the same outputs are in equivalence.test.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Duration, Matrix, Node, Param, Pipeline, PostCondition, Secret, SlipwayError, Step, TektonApprovals, When, synthFiles,
} from '../../lib';
import { addCiCd } from '../../pipelines/ci-cd';
import { expectGroovyParses } from '../support/groovy';
import { expectTektonDocsValid } from '../tekton/helpers';
import { mergeStepTemplate } from './readers';

const node = () => new Node({ containers: [{ name: 'build', image: 'node:20' }, { name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.23.2-debug', runAsRoot: true, shell: '/busybox/sh' }] });

function make(build: (p: Pipeline) => void, id = 'p'): { app: App; chart: Chart; p: Pipeline } {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const p = new Pipeline(chart, id, { node: node() });
  build(p);
  return { app, chart, p };
}

function ruleOf(fn: () => unknown): { rule: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof SlipwayError) return { rule: e.rule, message: e.message };
    throw e;
  }
  throw new Error('did not throw');
}

// Every output of these tests also goes through the independent checkers (last test of this file).
const producedJenkinsfiles: Record<string, string> = {};
const producedDocs: any[] = [];
const jenkinsfile = (app: App, name = 'p') => {
  const text = synthFiles(app)[`jenkins/${name}.Jenkinsfile`];
  producedJenkinsfiles[`${expect.getState().currentTestName}`] = text;
  return text;
};
const tektonPipeline = (chart: Chart) => {
  const docs = Testing.synth(chart);
  producedDocs.push(...docs);
  return docs.find((d: any) => d.kind === 'Pipeline');
};

describe('the example CI/CD', () => {
  const app = Testing.app();
  const { chart } = addCiCd(app);
  const files = synthFiles(app);
  const docs = Testing.synth(chart);
  producedJenkinsfiles.example = files['jenkins/ci-cd.Jenkinsfile'];
  producedDocs.push(...docs);

  test('writes a Jenkinsfile, Tekton objects and a Mermaid graph (snapshots)', () => {
    expect(Object.keys(files).sort()).toEqual(['ci-cd.mmd', 'jenkins/ci-cd.Jenkinsfile']);
    expect(files['jenkins/ci-cd.Jenkinsfile']).toMatchSnapshot();
    expect(Yaml.stringify(...docs)).toMatchSnapshot();
    expect(files['ci-cd.mmd']).toMatchSnapshot();
  });

  test('synth is deterministic', () => {
    const again = Testing.app();
    const second = addCiCd(again);
    expect(synthFiles(again)).toEqual(files);
    expect(Testing.synth(second.chart)).toEqual(docs);
  });

  test('Tekton: params reach scripts only through env; secrets only through secretKeyRef; one fresh volume per run', () => {
    const p = docs.find((d: any) => d.kind === 'Pipeline');
    const steps = [...p.spec.tasks, ...p.spec.finally].flatMap((t: any) => t.taskSpec?.steps ?? []);
    expect(steps.length).toBeGreaterThan(8);
    for (const s of steps) {
      expect(s.script).not.toMatch(/\$\((params|tasks|context|workspaces|results|steps|tt)[.[]/);
      for (const e of s.env ?? []) {
        if (/TOKEN|REGISTRY_/.test(e.name)) expect(e.valueFrom.secretKeyRef).toBeDefined();
      }
    }
    const run = docs.find((d: any) => d.kind === 'PipelineRun');
    expect(run.metadata.generateName).toBe('ci-cd-run-');
    expect(run.spec.workspaces).toEqual([{ name: 'source', volumeClaimTemplate: expect.any(Object) }]);
    expect(run.spec.taskRunTemplate.serviceAccountName).toBe('ci-deployer');
  });

  test('a GitHub push starts a run: signature checked, refs split by CEL, values reach the run as params', () => {
    const kinds = docs.map((d: any) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['EventListener', 'TriggerBinding', 'TriggerTemplate', 'ServiceAccount', 'RoleBinding']));
    expect(docs.filter((d: any) => d.roleRef?.name === 'cluster-admin')).toEqual([]);
    const el = docs.find((d: any) => d.kind === 'EventListener');
    expect(el.spec.triggers[0].interceptors.map((i: any) => i.ref.name)).toEqual(['github', 'cel']);
    const binding = docs.find((d: any) => d.kind === 'TriggerBinding');
    expect(binding.spec.params).toEqual([
      { name: 'SOURCE_URL', value: '$(body.repository.clone_url)' }, { name: 'SOURCE_REVISION', value: '$(body.after)' },
      { name: 'SOURCE_BRANCH', value: '$(extensions.branch)' }]);
    const run = docs.find((d: any) => d.kind === 'TriggerTemplate').spec.resourcetemplates[0];
    expect(run.spec.params).toEqual([
      { name: 'SOURCE_URL', value: '$(tt.params.SOURCE_URL)' }, { name: 'SOURCE_REVISION', value: '$(tt.params.SOURCE_REVISION)' },
      { name: 'SOURCE_BRANCH', value: '$(tt.params.SOURCE_BRANCH)' }]);
    expect(run.spec.workspaces[0].volumeClaimTemplate).toBeDefined();
  });

  test('restricted pod security on both backends; the image builder is the one visible opt-out', () => {
    const p = docs.find((d: any) => d.kind === 'Pipeline');
    // What each container runs with: the step merged over its task's stepTemplate, as Tekton does.
    const steps = [...p.spec.tasks, ...p.spec.finally].flatMap((t: any) => (t.taskSpec?.steps ?? []).map((x: any) => mergeStepTemplate(t.taskSpec.stepTemplate, x)));
    for (const s of steps) {
      expect(s.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
      expect(s.securityContext.runAsNonRoot).toBe(!s.image.includes('kaniko'));
      expect(s.computeResources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
    expect(files['jenkins/ci-cd.Jenkinsfile']).toContain('runAsNonRoot: true');
    expect(files['jenkins/ci-cd.Jenkinsfile'].match(/runAsUser: 0/g)).toHaveLength(1);
  });

  test('tekton-lint (second opinion) finds no errors beyond its known matrix false positive', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-'));
    const file = path.join(dir, 'pipeline.yaml');
    fs.writeFileSync(file, Yaml.stringify(docs.find((d: any) => d.kind === 'Pipeline')));
    const bin = require.resolve('@ibm/tekton-lint/package.json').replace(/package\.json$/, 'dist/lint.js');
    const r = spawnSync(process.execPath, [bin, '--format', 'json', '--config', path.join(__dirname, '..', 'tekton'), file],
      { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    const found: Array<{ rule: string; level: string; message: string }> = JSON.parse(r.stdout);
    // It does not know that `matrix` supplies the axis param (SERVICE) of the unit-test task.
    const errors = found.filter((f) => f.level === 'error' && !(f.rule === 'no-missing-param' && /parameter 'SERVICE' is not supplied/.test(f.message)));
    expect(errors).toEqual([]);
    expect(found.filter((f) => f.level === 'error')).toHaveLength(1);
  });
});

describe('lowering to Jenkins', () => {
  test('stages, parallel, matrix, conditions, options, credentials and input map to Declarative sections', () => {
    const { app } = make((p) => {
      const deploy = p.addParam(Param.boolean('DEPLOY'));
      p.addSecret(Secret.text('TOKEN', 'api-token'));
      const g = p.addStage('Test');
      g.addBranch('A', { steps: [Step.run('curl -H "Authorization: Bearer $TOKEN" https://api.example.com')] });
      g.addBranch('B', { steps: [Step.run('make b', { container: 'kaniko' })] });
      p.addStage('M', { matrix: Matrix.of({ axes: { X: ['1', '2'] } }), steps: [Step.run('echo $X')] });
      p.addStage('Go', { when: [When.branch('main', 'release/*'), When.paramEquals(deploy, 'true')], retries: 2, timeout: Duration.minutes(3),
        steps: [Step.approval({ message: 'Go?', approvers: ['ops', 'leads'] })] });
      p.toJenkins();
    });
    const jf = jenkinsfile(app);
    // Secrets are bound around the steps that name them only.
    expect(jf).toMatch(/withCredentials\(\[string\(credentialsId: 'api-token', variable: 'TOKEN'\)\]\) \{\s+sh\(script: 'curl/);
    expect(jf.match(/withCredentials/g)).toHaveLength(1);
    expect(jf).not.toContain('credentials(');
    expect(jf).toContain("container(name: 'kaniko', shell: '/busybox/sh')");
    expect(jf).toContain('parallel {');
    expect(jf).toMatch(/matrix \{\s+axes \{\s+axis \{\s+name 'X'\s+values '1', '2'/);
    expect(jf).toContain("branch(pattern: 'release/*', comparator: 'GLOB')");
    expect(jf).toContain("equals(expected: 'true', actual: \"${params.DEPLOY}\")");
    expect(jf).toContain('retry 3'); // Jenkins counts attempts: 2 retries = 3 attempts
    expect(jf).toContain("timeout(time: 3, unit: 'MINUTES')");
    expect(jf).toContain("input(message: 'Go?', submitter: 'ops,leads')");
  });

  test('user text only ever appears inside single-quoted Groovy literals', () => {
    const evil = "'; System.exit(1); '${x}\\u0027";
    const { app } = make((p) => {
      p.addStage(`S ${evil}`, { environment: { E: evil }, steps: [Step.run(`echo ${evil}`)] });
      p.toJenkins();
    });
    const jf = jenkinsfile(app);
    expect(jf).not.toContain('System.exit(1); \'');
    expect(jf).toContain("'\\'; System.exit(1); \\'${x}\\\\u0027'");
  });

  test('rule duplicate-lowering: calling toJenkins() or toTekton() twice fails', () => {
    const { p } = make((x) => { x.addStage('A', { steps: [Step.run('a')] }); x.toJenkins(); x.toTekton(); });
    expect(ruleOf(() => p.toJenkins()).rule).toBe('duplicate-lowering');
    expect(ruleOf(() => p.toTekton()).rule).toBe('duplicate-lowering');
  });

  test('rule pipeline-lowered: adding a stage after toJenkins() fails', () => {
    const { p } = make((x) => { x.addStage('A', { steps: [Step.run('a')] }); x.toJenkins(); });
    expect(ruleOf(() => p.addStage('B')).rule).toBe('pipeline-lowered');
  });
});

describe('lowering to Tekton', () => {
  test('parallel branches share runAfter, the next stage waits for all; post becomes finally guarded on tasks.status', () => {
    const { chart } = make((p) => {
      p.addStage('First', { steps: [Step.run('a')] });
      const g = p.addStage('Group');
      g.addBranch('A', { steps: [Step.run('a')] });
      g.addBranch('B', { steps: [Step.run('b')] });
      p.addStage('Last', { steps: [Step.run('z')] });
      p.addPost(PostCondition.ALWAYS, Step.run('always'));
      p.addPost(PostCondition.SUCCESS, Step.run('ok'));
      p.addPost(PostCondition.FAILURE, Step.run('ko'));
      p.toTekton();
    });
    const spec = tektonPipeline(chart).spec;
    expect(spec.tasks.map((t: any) => [t.name, t.runAfter ?? []])).toEqual([['first', []], ['a', ['first']], ['b', ['first']], ['last', ['a', 'b']]]);
    expect(spec.tasks[1].description).toBe('parallel branch of "Group"');
    expect(spec.finally.map((t: any) => [t.name, t.when?.[0]?.values])).toEqual([
      ['post-always', undefined], ['post-success', ['Succeeded', 'Completed']], ['post-failure', ['Failed']]]);
  });

  test('a matrix with excludes lists the remaining cells explicitly (Tekton has no exclude)', () => {
    const { chart } = make((p) => {
      p.addStage('M', { matrix: Matrix.of({ axes: { A: ['1', '2'], B: ['x', 'y'] }, excludes: [{ A: '1', B: 'y' }] }), steps: [Step.run('echo $A$B')] });
      p.toTekton();
    });
    const t = tektonPipeline(chart).spec.tasks[0];
    expect(t.matrix.include.map((i: any) => i.params.map((x: any) => x.value).join(''))).toEqual(['1x', '2x', '2y']);
  });

  test('conditions: branch and tag read SOURCE_BRANCH/SOURCE_TAG params (defaulting to empty), params read their own', () => {
    const { chart } = make((p) => {
      const env = p.addParam(Param.choice('ENV', ['dev', 'prod']));
      p.addStage('A', { when: [When.branch('main'), When.tag(), When.paramEquals(env, 'prod')], steps: [Step.run('a')] });
      p.toTekton();
    });
    const spec = tektonPipeline(chart).spec;
    expect(spec.tasks[0].when).toEqual([
      { input: '$(params.SOURCE_BRANCH)', operator: 'in', values: ['main'] },
      { input: '$(params.SOURCE_TAG)', operator: 'notin', values: [''] },
      { input: '$(params.ENV)', operator: 'in', values: ['prod'] }]);
    expect(spec.params).toEqual([
      { name: 'ENV', type: 'string', default: 'dev' },
      { name: 'SOURCE_BRANCH', type: 'string', default: '' },
      { name: 'SOURCE_TAG', type: 'string', default: '' }]);
  });

  test('negated conditions: Jenkins not { … }, Tekton notin (and "no tag" is SOURCE_TAG in [\'\'])', () => {
    const { app, chart } = make((p) => {
      p.addStage('A', { when: [When.not(When.branch('main')), When.not(When.tag())], steps: [Step.run('a')] });
      p.toJenkins();
      p.toTekton();
    });
    expect(jenkinsfile(app)).toMatch(/not \{\s+branch\(pattern: 'main', comparator: 'EQUALS'\)\s+\}/);
    expect(tektonPipeline(chart).spec.tasks[0].when).toEqual([
      { input: '$(params.SOURCE_BRANCH)', operator: 'notin', values: ['main'] },
      { input: '$(params.SOURCE_TAG)', operator: 'in', values: [''] }]);
  });

  test('approvals map to the manual-approval-gate ApprovalTask when asked', () => {
    const { chart } = make((p) => {
      p.addStage('Approve', { steps: [Step.approval({ message: 'Ship?', approvers: ['ops'] })] });
      p.toTekton({ approvals: TektonApprovals.approvalTask() });
    });
    const t = tektonPipeline(chart).spec.tasks[0];
    expect(t.taskRef).toEqual({ apiVersion: 'openshift-pipelines.org/v1alpha1', kind: 'ApprovalTask' });
    expect(t.params).toEqual([{ name: 'approvers', value: ['ops'] }, { name: 'numberOfApprovalsRequired', value: '1' }, { name: 'description', value: 'Ship?' }]);
  });

  const cases: Array<[string, string, (p: Pipeline) => void, RegExp]> = [
    ['tekton-when-glob', 'a branch glob', (p) => p.addStage('Deploy', { when: [When.branch('release/*')], steps: [Step.run('x')] }), /stage "Deploy": condition branch in \["release\/\*"\] uses a glob, which Tekton cannot express/],
    ['tekton-approval-unsupported', 'an approval without a Tekton mapping', (p) => p.addStage('Approve', { steps: [Step.approval({ message: 'ok?', approvers: ['a'] })] }), /Tekton has no built-in manual approval/],
    ['tekton-variable-syntax', 'a param default holding "$("', (p) => { p.addParam(Param.string('X', { default: '$(whoami)' })); p.addStage('A', { steps: [Step.run('x')] }); }, /Tekton would read as a variable reference/],
  ];
  test.each(cases)('rule %s: %s fails when lowering to Tekton, naming the construct, the feature and the backend', (rule, _what, build, message) => {
    const { p } = make(build);
    const err = ruleOf(() => p.toTekton());
    expect(err.rule).toBe(rule);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/^\[c\/p/);
    // The same model lowers to Jenkins.
    const again = make(build, 'q');
    expect(() => again.p.toJenkins()).not.toThrow();
  });

  test('rule tekton-approval-approvers: the ApprovalTask mapping without approvers fails', () => {
    const { p } = make((x) => x.addStage('Approve', { steps: [Step.approval({ message: 'ok?' })] }));
    expect(ruleOf(() => p.toTekton({ approvals: TektonApprovals.approvalTask() })).rule).toBe('tekton-approval-approvers');
  });

  test('rule pipeline-chart: a pipeline outside any Chart cannot lower to Tekton', () => {
    const p = new Pipeline(new Construct(Testing.app(), 'loose'), 'p', { node: node() });
    p.addStage('A', { steps: [Step.run('a')] });
    expect(ruleOf(() => p.toTekton()).rule).toBe('pipeline-chart');
  });

  test('rule tekton-variable-syntax: an env value naming a Tekton variable cannot stay literal on Tekton', () => {
    for (const value of ['literal $(params.TAG)', "literal $(params['TAG'])", 'in $(context.taskRun.name)']) {
      const { p } = make((x) => x.addStage('A', { environment: { NOTE: value }, steps: [Step.run('echo "$NOTE"')] }));
      const e = ruleOf(() => p.toTekton());
      expect(e.rule).toBe('tekton-variable-syntax');
      expect(e.message).toMatch(/^\[c\/p\/A\] env var NOTE value .* which Tekton would substitute/);
    }
    // Jenkins keeps it literal: lowering to Jenkins alone is fine.
    const { app, p } = make((x) => x.addStage('A', { environment: { NOTE: 'literal $(params.TAG)' }, steps: [Step.run('echo "$NOTE"')] }));
    p.toJenkins();
    expect(jenkinsfile(app)).toContain("NOTE = 'literal $(params.TAG)'");
  });

  test('rule tekton-variable-syntax: a stage name or approval message naming a Tekton variable', () => {
    const named = make((x) => x.addStage('Deploy $(params.TARGET)', { steps: [Step.run('make')] }));
    expect(ruleOf(() => named.p.toTekton()).message).toMatch(/stage name .* which Tekton would substitute in the task's displayName/);
    const approval = make((x) => x.addStage('Go', { steps: [Step.approval({ message: 'ship $(params.X)?', approvers: ['ops'] })] }));
    expect(ruleOf(() => approval.p.toTekton({ approvals: TektonApprovals.approvalTask() })).message).toMatch(/approval message .*contains "\$\("/);
    expect(() => make((x) => x.addStage('Deploy $(params.TARGET)', { steps: [Step.run('make')] })).p.toJenkins()).not.toThrow();
  });

  test("env values stay literal on Tekton: Kubernetes' own $(VAR) and $$ are escaped", () => {
    const { chart, p } = make((x) => x.addStage('A', { environment: { A: 'x', NOTE: '$(A) $$(A) $$ $5 $(date)' }, steps: [Step.run('echo "$NOTE"')] }));
    p.toTekton();
    const step = tektonPipeline(chart).spec.tasks[0].taskSpec.steps[0];
    // Kubernetes reads `$$` as `$` and leaves a `$` before anything else: the container sees the text as written.
    expect(step.env).toContainEqual({ name: 'NOTE', value: '$$(A) $$$$(A) $$$ $5 $$(date)' });
  });
});

describe('output as written by hand', () => {
  test('Jenkins: no container block for the default container; adjacent steps share one container and one withCredentials block', () => {
    const token = Secret.text('TOKEN', 'api-token');
    const { app } = make((p) => {
      p.addSecret(token);
      p.addStage('A', { steps: [Step.run('make'), Step.run('make test'), Step.run('publish "$TOKEN"'), Step.run('notify "$TOKEN"'),
        Step.run('a', { container: 'kaniko' }), Step.run('b', { container: 'kaniko', dir: 'sub' }), Step.run('c')] });
      p.toJenkins();
    });
    const jf = jenkinsfile(app);
    const steps = jf.slice(jf.indexOf("stage('A')"));
    expect(steps).toMatch(/steps \{\s+sh\(script: 'make', label: 'run'\)\s+sh\(script: 'make test', label: 'run-2'\)\s+withCredentials\(\[string\(credentialsId: 'api-token', variable: 'TOKEN'\)\]\) \{\s+sh\(script: 'publish "\$TOKEN"', label: 'run-3'\)\s+sh\(script: 'notify "\$TOKEN"', label: 'run-4'\)\s+\}\s+container\(name: 'kaniko', shell: '\/busybox\/sh'\) \{\s+sh\(script: 'a', label: 'run-5'\)\s+dir\('sub'\) \{\s+sh\(script: 'b', label: 'run-6'\)\s+\}\s+\}\s+sh\(script: 'c', label: 'run-7'\)\s+\}/);
    expect(jf).not.toContain("container('build')");
  });

  test('Tekton: steps carry only what differs from their stepTemplate; what every step shares is written once', () => {
    const { chart, p } = make((x) => {
      x.addStage('A', { environment: { LEVEL: '1' }, steps: [Step.run('make'), Step.run('make test'), Step.run('a', { container: 'kaniko', dir: 'sub' })] });
      x.addStage('B', { steps: [Step.run('only')] });
    });
    p.toTekton();
    const [a, b] = tektonPipeline(chart).spec.tasks.map((t: any) => t.taskSpec);
    // Two of three steps run in "build": its settings are the template; the kaniko step overrides what differs only.
    expect(a.stepTemplate).toEqual({
      computeResources: { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      env: [{ name: 'LEVEL', value: '1' }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      workingDir: '$(workspaces.source.path)',
    });
    expect(a.steps.map((s: any) => Object.keys(s).sort())).toEqual([
      ['image', 'name', 'script'], ['image', 'name', 'script'], ['image', 'name', 'script', 'securityContext', 'workingDir']]);
    expect(a.steps[2].securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0 });
    expect(a.steps[2].workingDir).toBe('$(workspaces.source.path)/sub');
    // A one-step task keeps its env and working directory in the step, as one would write it.
    expect(Object.keys(b.stepTemplate).sort()).toEqual(['computeResources', 'securityContext']);
    expect(b.steps[0].workingDir).toBe('$(workspaces.source.path)');
  });

  test('Tekton: params reach only the tasks and steps that read them (or are granted them); secrets likewise', () => {
    const tag = Param.string('TAG');
    const other = Param.string('OTHER');
    const token = Secret.text('TOKEN', 'api-token');
    const { chart, p } = make((x) => {
      x.addParam(tag);
      x.addParam(other);
      x.addSecret(token);
      x.addStage('A', { steps: [Step.run('echo "${TAG}"'), Step.run('make')] });
      x.addStage('B', { steps: [Step.run('npm publish', { params: [other], secrets: [token] })] });
      x.addStage('C', { matrix: Matrix.of({ axes: { OS: ['linux', 'mac'] } }), steps: [Step.run('echo $OS'), Step.run('make'), Step.run('run', { axes: ['OS'] })] });
    });
    p.toTekton();
    const [a, b, c] = tektonPipeline(chart).spec.tasks;
    expect(a.params).toEqual([{ name: 'TAG', value: '$(params.TAG)' }]);
    expect(a.taskSpec.steps[0].env).toEqual([{ name: 'TAG', value: '$(params.TAG)' }]);
    expect(a.taskSpec.steps[1].env).toBeUndefined();
    expect(b.params).toEqual([{ name: 'OTHER', value: '$(params.OTHER)' }]);
    expect(b.taskSpec.steps[0].env).toEqual([{ name: 'OTHER', value: '$(params.OTHER)' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'value' } } }]);
    expect(c.params).toBeUndefined();
    expect(c.taskSpec.params).toEqual([{ name: 'OS', type: 'string' }]);
    expect(c.taskSpec.steps.map((s: any) => s.env)).toEqual([[{ name: 'OS', value: '$(params.OS)' }], undefined, [{ name: 'OS', value: '$(params.OS)' }]]);
  });
});

describe('portable scripts', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['echo "$(params.X)"', 'read the param from its env var: "$X"', /names "\$\(params\.X\)" in its script/],
    ["echo $(params['X'])", 'read the param from its env var: "$X"', /names "\$\(params\['X'\]\)"/],
    ['ls $(workspaces.source.path)', 'steps start in the checkout: use "$PWD"', /workspaces/],
    ['echo $(context.taskRun.name)', 'for a command substitution, write "$( …)"', /context/],
  ];
  test.each(cases)('rule step-tekton-variable: %s is refused on both engines, with a fix for this place', (script, fix, message) => {
    const { p } = make((x) => { x.addParam(Param.string('X')); x.addStage('A', { steps: [Step.run(script)] }); });
    const e = ruleOf(() => p.toJenkins());
    expect(e.rule).toBe('step-tekton-variable');
    expect(e.message).toMatch(message);
    expect(e.message).toContain(fix);
    expect(e.message).toMatch(/^\[c\/p\/A\] /);
    expect(e.message).not.toContain('EnvValue');
  });

  test('valid shell forms pass: $(cmd), ${VAR}, $((1+2)), $(pwd)/params.json', () => {
    const { p } = make((x) => x.addStage('A', { steps: [Step.run('v=$(git describe); echo ${v} $((1+2)) $(pwd)/params.json "$(cat results.txt)"')] }));
    expect(() => { p.toJenkins(); p.toTekton(); }).not.toThrow();
  });

  test('rule secret-unread: a pipeline or stage secret that no step reads is refused, not dropped', () => {
    const { p } = make((x) => {
      x.addSecret(Secret.usernamePassword('REG', 'registry'));
      x.addStage('A', { secrets: [Secret.text('NPM_TOKEN', 'npm')], steps: [Step.run('npm ci')] });
    });
    const e = ruleOf(() => p.toTekton());
    expect(e.rule).toBe('secret-unread');
    expect(e.message).toMatch(/^\[c\/p\] pipeline secret "REG" reaches no step: no step's script names "REG_USR" or "REG_PSW"/);
    expect(e.message).toMatch(/\n\[c\/p\/A\] stage secret "NPM_TOKEN" reaches no step.*fix: grant it to the steps that use it without naming it: Step.run\(script, \{ secrets: \[secret\] \}\)/);
    // Granted explicitly (another object with the same references counts), or named: fine.
    const { p: ok } = make((x) => {
      x.addSecret(Secret.usernamePassword('REG', 'registry'));
      x.addStage('A', { secrets: [Secret.text('NPM_TOKEN', 'npm')], steps: [Step.run('npm ci', { secrets: [Secret.text('NPM_TOKEN', 'npm')] }), Step.run('login "$REG_USR"')] });
    });
    expect(() => ok.toTekton()).not.toThrow();
  });

  test('rule step-axis-unknown: a step granted an axis its stage does not have', () => {
    const { p } = make((x) => x.addStage('A', { steps: [Step.run('make', { axes: ['OS'] })] }));
    expect(ruleOf(() => p.toJenkins()).rule).toBe('step-axis-unknown');
  });

  test('rule pipeline-not-lowered: a pipeline that is never lowered fails synth instead of writing nothing', () => {
    const { app } = make((x) => x.addStage('A', { steps: [Step.run('make')] }));
    expect(() => synthFiles(app)).toThrow(/\[c\/p\] pipeline "p" is never lowered.*\(rule: pipeline-not-lowered\)\. fix: call toJenkins\(\) and\/or toTekton\(\)/);
  });
});

test('every Jenkinsfile above parses with Groovy 2.4 and every Tekton document passes the strict schemas', () => {
  expect(Object.keys(producedJenkinsfiles).length).toBeGreaterThanOrEqual(3);
  expectGroovyParses(producedJenkinsfiles);
  expectTektonDocsValid(producedDocs);
});
