/**
 * The proof of equivalence: every example pipeline (the repository's CI/CD, a fixture using every feature, and
 * generated ones) is lowered to both backends; the Jenkinsfile is read back through Groovy 2.4's AST and the Tekton
 * Pipeline from YAML, and both must give the model's stage graph: names, order, parallel branches, matrix cells,
 * images, commands, environment, secrets (and what each refers to), conditions, timeouts, retries, params and post.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Duration, Matrix, Node, Param, Pipeline, PostCondition, Secret, Stage, Step, TektonApprovals, When, synthFiles,
} from '../../lib';
import { addCiCd } from '../../pipelines/ci-cd';
import { GroovyCall, parseGroovyTree } from '../support/groovy-tree';
import { expectK8sValid } from '../support/k8s-models';
import { expectTektonDocsValid } from '../tekton/helpers';
import { Flat, flatFromGraph, flatFromJenkins, flatFromTekton } from './readers';

interface Example {
  readonly name: string;
  readonly pipeline: Pipeline;
  readonly chart: Chart;
  readonly app: App;
}

function kitchenSink(): Example {
  const app = Testing.app();
  const chart = new Chart(app, 'sink');
  const deploy = Param.boolean('DEPLOY', { default: true, description: 'deploy after the build' });
  const target = Param.choice('TARGET', ['staging', 'production']);
  const tag = Param.string('TAG', { default: "v1'${x}\\" });
  const p = new Pipeline(chart, 'sink', {
    node: new Node({ containers: [
      { name: 'build', image: 'node:20' },
      { name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.23.2-debug', runAsRoot: true, shell: '/busybox/sh' },
      { name: 'tools', image: 'ghcr.io/acme/ci-tools:1.4.0' },
    ] }),
    params: [deploy, target, tag],
    environment: { CI: 'true', QUOTED: "it's \"${not}\" a $VAR \\ \u00e9\n2nd line", K8S: 'kept as written: $(CI), $$(CI), $$ and $(date)' },
    secrets: [Secret.text('NPM_TOKEN', 'npm-token', { key: 'token' }), Secret.usernamePassword('GIT', 'git-creds')],
    timeout: Duration.minutes(90),
  });
  p.addStage("Check'out \"${x}\"", { steps: [Step.checkout(), Step.run('git log -1 --format=%H'),
    Step.run('npm ci', { name: 'install', secrets: [Secret.text('NPM_TOKEN', 'npm-token', { key: 'token' })], params: [deploy] }),
    Step.run('git push "https://$GIT_USR:${GIT_PSW}@example.com/x.git" "$TAG"', { name: 'push' })] });
  const t = p.addStage('Test', { environment: { LEVEL: 'group' }, secrets: [Secret.text('SONAR', 'sonar')], when: [When.paramEquals(target, 'staging', 'production')] });
  t.addBranch('Unit', { environment: { LEVEL: 'unit' }, steps: [Step.run("npm test -- --grep 'a\\b'", { dir: 'services/web' }), Step.publishTests('reports/**/*.xml'),
    Step.run('sonar-scanner -Dsonar.token="$SONAR"', { name: 'sonar' })] });
  t.addBranch('Lint', { timeout: Duration.minutes(3), retries: 2, steps: [Step.run('npm run lint', { secrets: [Secret.usernamePassword('REG', 'reg')] })] });
  p.addStage('Compat', {
    matrix: Matrix.of({ axes: { NODE: ['18', '20', '22'], OS: ['linux', 'alpine'] }, excludes: [{ NODE: '18', OS: 'alpine' }] }),
    steps: [Step.run('echo "$NODE on $OS"'), Step.run('make compat', { name: 'make', axes: ['OS'] })],
  });
  p.addStage('Fan', { matrix: Matrix.of({ axes: { N: ['1', '2'] } }), steps: [Step.run('echo $N')] });
  p.addStage('Image', { when: [When.branch('main', 'develop')], steps: [Step.buildImage({ repository: 'ghcr.io/acme/web', tag, container: 'kaniko' })] });
  p.addStage('Not main', { when: [When.not(When.branch('main')), When.not(When.tag()), When.not(When.paramEquals(target, 'production'))], steps: [Step.run('echo preview')] });
  p.addStage('Approve', { when: [When.tag()], steps: [Step.approval({ message: 'Ship "it"?', approvers: ['ops', 'release'] })] });
  p.addStage('Release', {
    when: [When.tag('v1.0.0'), When.paramEquals(deploy, 'true')], timeout: Duration.hours(1), retries: 1,
    steps: [Step.applyManifests({ files: ['dist/shop.k8s.yaml'], namespace: 'shop', container: 'tools' }),
      Step.promoteRollout({ rollout: 'web', namespace: 'shop', container: 'tools' }),
      Step.waitForRollout({ rollout: 'web', namespace: 'shop', container: 'tools' })],
  });
  p.addPost(PostCondition.ALWAYS, Step.archiveArtifacts('dist/**'));
  p.addPost(PostCondition.SUCCESS, Step.run('echo ok'));
  p.addPost(PostCondition.FAILURE, Step.abortRollout({ rollout: 'web', namespace: 'shop', container: 'tools' }));
  p.toJenkins();
  p.toTekton({ approvals: TektonApprovals.approvalTask(), run: { sourceUrl: 'https://example.com/x.git' }, trigger: { webhookSecret: 'hook', webhookSecretKey: 'token' } });
  return { name: 'sink', pipeline: p, chart, app };
}

// Generated pipelines: arbitrary names, scripts and values (quotes, backslashes, `${…}`, `$VAR`, unicode, newlines).
const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', "'", '"', '\\', '$', '{', '}', '(', ')', '\n', '\u00e9', '\u{1F680}', '*', '/', '#', '%', 'u', '-'), minLength: 1, maxLength: 24 });
const oneLine = text.map((s) => s.replace(/\n/g, ' ').replace(/\$\(/g, '$ ('));
const script = text.filter((s) => s.trim().length > 0 && !/\$\((params|tasks|context|workspaces|results|steps|tt|finally)[.[]/.test(s));
const secretArb = fc.tuple(fc.boolean(), fc.constantFrom('A', 'B', 'C')).map(([up, v]) => (up ? Secret.usernamePassword(`UP_${v}`, `up-${v.toLowerCase()}`) : Secret.text(`TX_${v}`, `tx-${v.toLowerCase()}`)));
// Scripts that name some of the secrets, params and axes in scope, in the forms shells and programs read them.
const reads = fc.constantFrom('', ' "$TX_A"', ' ${UP_B_USR}', ' $FLAG', '; printenv TX_C', ' "$AXIS"', ' ${UP_A_PSW:-none}', ' $TX_AB');
const stepArb = fc.oneof(
  fc.record({ s: script, r: reads, secrets: fc.array(secretArb, { maxLength: 1 }) }).map(({ s, r, secrets }) => Step.run(s + r, { secrets })),
  fc.constant(Step.checkout()),
  fc.constantFrom('reports/*.xml', 'out/**').map((x) => Step.publishTests(x)),
  fc.constantFrom('dist/*', 'a b/c').map((x) => Step.archiveArtifacts(x)),
  fc.record({ s: script, dir: fc.constantFrom('a', 'b/c-d') }).map(({ s, dir }) => Step.run(s, { dir, container: 'other' })),
  fc.constantFrom('web', 'api').map((rollout) => Step.waitForRollout({ rollout, namespace: 'shop', timeout: Duration.seconds(90) })),
);
const leafArb = fc.record({
  name: oneLine,
  steps: fc.array(stepArb, { minLength: 1, maxLength: 3 }),
  env: fc.dictionary(fc.constantFrom('E1', 'E2'), text, { maxKeys: 2 }),
  branches: fc.array(fc.constantFrom('main', 'release-1', "we'ird"), { maxLength: 2 }),
  timeout: fc.option(fc.integer({ min: 1, max: 7200 }), { nil: undefined }),
  retries: fc.integer({ min: 0, max: 3 }),
  secrets: fc.array(secretArb, { maxLength: 1 }),
});
const stageArb = fc.oneof(
  leafArb.map((l) => ({ kind: 'leaf' as const, l, branches: [] as typeof l[], axes: undefined as string[] | undefined })),
  fc.tuple(leafArb, fc.array(leafArb, { minLength: 1, maxLength: 3 })).map(([l, branches]) => ({ kind: 'parallel' as const, l, branches, axes: undefined })),
  fc.tuple(leafArb, fc.uniqueArray(oneLine, { minLength: 1, maxLength: 3 })).map(([l, axes]) => ({ kind: 'matrix' as const, l, branches: [], axes })),
);
const pipelineArb = fc.record({
  stages: fc.array(stageArb, { minLength: 1, maxLength: 4 }),
  env: fc.dictionary(fc.constantFrom('G1', 'G2'), text, { maxKeys: 2 }),
  secrets: fc.array(secretArb, { maxLength: 2 }),
  post: fc.array(fc.tuple(fc.constantFrom(PostCondition.ALWAYS, PostCondition.SUCCESS, PostCondition.FAILURE), script), { maxLength: 2 }),
  flag: fc.option(fc.boolean(), { nil: undefined }),
});

function generated(seed: number, i: number, spec: fc.Arbitrary<any> extends fc.Arbitrary<infer T> ? T : never): Example {
  void seed;
  // A pipeline or stage secret no step reads is refused (secret-unread): keep those some step in scope names.
  const scripts = (leaves: any[]) => leaves.flatMap((l) => l.steps.map((st: Step) => st.script ?? ''));
  const named = (secrets: Secret[], texts: string[]) => secrets.filter((x) => x.variables.some((v) => texts.some((t) => new RegExp(`(^|[^A-Za-z0-9_])${v}($|[^A-Za-z0-9_])`).test(t))));
  for (const st of spec.stages) {
    for (const b of st.branches) b.secrets = named(b.secrets, scripts([b]));
    st.l.secrets = named(st.l.secrets, scripts(st.kind === 'parallel' ? st.branches : [st.l]));
  }
  spec.secrets = named(spec.secrets, [...scripts(spec.stages.flatMap((st: any) => (st.kind === 'parallel' ? st.branches : [st.l]))), ...spec.post.map((x: any) => x[1])]);
  const app = Testing.app();
  const chart = new Chart(app, `g${i}`);
  const flag = Param.boolean('FLAG');
  const p = new Pipeline(chart, `gen-${i}`, {
    node: new Node({ containers: [{ name: 'main', image: 'alpine:3.20' }, { name: 'other', image: 'busybox:1.36', shell: '/bin/ash' }] }),
    params: [flag], environment: spec.env, secrets: spec.secrets,
  });
  let n = 0;
  const leafProps = (l: any, withOptions: boolean) => ({
    name: `S${++n} ${l.name}`,
    environment: l.env,
    secrets: l.secrets,
    when: [...(l.branches.length ? [When.branch(...new Set<string>(l.branches))] : []), ...(spec.flag !== undefined && n % 2 ? [When.paramEquals(flag, String(spec.flag))] : [])],
    ...(withOptions && l.timeout ? { timeout: Duration.seconds(l.timeout) } : {}),
    ...(withOptions ? { retries: l.retries } : {}),
  });
  for (const s of spec.stages) {
    if (s.kind === 'parallel') {
      const g = p.addStage(`s${n}`, leafProps(s.l, false));
      for (const b of s.branches) g.addBranch(`b${n}`, { ...leafProps(b, true), steps: b.steps });
    } else if (s.kind === 'matrix') {
      p.addStage(`s${n}`, { ...leafProps(s.l, true), steps: s.l.steps.map((st: Step, j: number) => (j % 2 ? st : st)), matrix: Matrix.of({ axes: { AXIS: s.axes } }) });
    } else {
      p.addStage(`s${n}`, { ...leafProps(s.l, true), steps: s.l.steps });
    }
  }
  for (const [c, sc] of spec.post) p.addPost(c, Step.run(sc, { container: 'other' }));
  p.toJenkins();
  p.toTekton({ run: { sourceUrl: 'https://example.com/g.git' } });
  return { name: `gen-${i}`, pipeline: p, chart, app };
}

function ciCd(): Example {
  const app = Testing.app();
  const { chart, pipeline } = addCiCd(app);
  return { name: 'ci-cd', pipeline, chart, app };
}

const SEED = 20261125;
// Secrets bound to one variable name must agree on their reference: keep one binding per variable.
const specs = fc.sample(pipelineArb.filter((s) => {
  const seen = new Map<string, string>();
  const all: Secret[] = [...s.secrets, ...s.stages.flatMap((st: any) => [st.l, ...st.branches].flatMap((l: any) => [...l.secrets, ...l.steps.flatMap((x: Step) => x.secrets)]))];
  return all.every((x) => (seen.get(x.variable) ?? x.kind) === x.kind && seen.set(x.variable, x.kind));
}), { seed: SEED, numRuns: 12 });
const examples: Example[] = [ciCd(), kitchenSink(), ...specs.map((s, i) => generated(SEED, i, s))];
const jenkinsfiles: Record<string, string> = {};
const tektonDocs: Record<string, any[]> = {};
for (const e of examples) {
  jenkinsfiles[e.name] = synthFiles(e.app)[`jenkins/${e.pipeline.pipelineName}.Jenkinsfile`];
  tektonDocs[e.name] = Testing.synth(e.chart);
}
const trees = parseGroovyTree(jenkinsfiles);

describe.each(examples.map((e) => [e.name, e] as const))('%s', (name, e) => {
  const model = flatFromGraph(e.pipeline.graph());
  let fromJenkins: ReturnType<typeof flatFromJenkins>;
  let fromTekton: ReturnType<typeof flatFromTekton>;

  test('the Jenkinsfile parses with Groovy 2.4 and reads back as the model graph', () => {
    const t = trees[name];
    expect(t.errors).toEqual([]);
    fromJenkins = flatFromJenkins(t.tree!);
    expect(fromJenkins.flat).toEqual(model);
    // The agent pod embedded as YAML is a valid Kubernetes Pod.
    expectK8sValid([fromJenkins.pod]);
  });

  test('the Tekton objects are schema-valid and read back as the model graph', () => {
    expectTektonDocsValid(tektonDocs[name]);
    fromTekton = flatFromTekton(tektonDocs[name], e.pipeline.pipelineName);
    expect(fromTekton.flat).toEqual(model);
  });

  test('both backends give the same stage graph, and each secret refers to the same credential', () => {
    const j: Flat = fromJenkins.flat;
    const t: Flat = fromTekton.flat;
    expect(t).toEqual(j);
    // Jenkins names a credentials id, Tekton a Secret and key: both must be the model's.
    const bySecretVar = new Map<string, Secret>();
    const collect = (secrets: Secret[]) => secrets.forEach((s) => s.variables.forEach((v) => bySecretVar.set(v, s)));
    collect(e.pipeline.secrets);
    const visit = (st: Stage): void => {
      collect(st.secrets);
      st.steps.forEach((x) => collect(x.secrets));
      st.branches.forEach(visit);
    };
    e.pipeline.stages.forEach(visit);
    for (const refs of fromJenkins.refs) for (const [v, id] of Object.entries(refs)) expect(id).toBe(bySecretVar.get(v)!.credentialsId);
    for (const refs of fromTekton.refs) {
      for (const [v, ref] of Object.entries(refs)) expect(ref).toBe(`${bySecretVar.get(v)!.kubernetesSecret}/${bySecretVar.get(v)!.keys[v]}`);
    }
  });
});

/** The model's steps with their scope secrets, in the order the readers list steps (stages, then post). */
function modelSteps(p: Pipeline): Array<{ step: Step; scope: Secret[]; axes: string[] }> {
  const out: Array<{ step: Step; scope: Secret[]; axes: string[] }> = [];
  for (const s of p.stages) {
    const leaves = s.isParallel ? s.branches.map((b) => [s, b]) : [[s]];
    for (const chain of leaves) {
      const leaf = chain[chain.length - 1];
      for (const step of leaf.steps) out.push({ step, scope: [...p.secrets, ...chain.flatMap((x) => x.secrets)], axes: leaf.matrix?.axes.map((a) => a.name) ?? [] });
    }
  }
  for (const c of [PostCondition.ALWAYS, PostCondition.SUCCESS, PostCondition.FAILURE]) for (const step of p.post(c)) out.push({ step, scope: p.secrets, axes: [] });
  return out;
}

/** Whole-word occurrence, written again here: the proof must not borrow the lowering's code. */
const names = (text: string, v: string) => new RegExp(`(^|[^A-Za-z0-9_])${v}($|[^A-Za-z0-9_])`).test(text);

describe.each(examples.map((e) => [e.name, e] as const))('%s: least privilege', (name, e) => {
  test('each step sees exactly the secrets it names or is granted, on both engines; Tekton steps get exactly the params they read', () => {
    const j = flatFromJenkins(trees[name].tree!).flat;
    const t = flatFromTekton(tektonDocs[name], e.pipeline.pipelineName);
    const flatSteps = (f: Flat) => [...f.layers.flat().flatMap((l) => l.steps), ...Object.values(f.post).flat()];
    const model = modelSteps(e.pipeline);
    const fromJenkins = flatSteps(j);
    const fromTekton = flatSteps(t.flat);
    expect(fromJenkins.length).toBe(model.length);
    model.forEach(({ step, scope, axes }, i) => {
      const seen = [...(step.kind === 'run' ? [fromJenkins[i].text] : []), ...Object.values(fromJenkins[i].environment)].join('\n');
      const secrets = new Set(step.secrets.flatMap((x) => x.variables));
      for (const x of scope) if (x.variables.some((v) => names(seen, v))) x.variables.forEach((v) => secrets.add(v));
      expect(fromJenkins[i].secrets).toEqual([...secrets].sort());
      expect(fromTekton[i].secrets).toEqual([...secrets].sort());
      const params = new Set([...step.params.map((x) => x.name), ...step.axes]);
      for (const v of [...e.pipeline.params.map((x) => x.name), ...axes]) if (names(seen, v)) params.add(v);
      expect(t.params[i]).toEqual(step.kind === 'approval' ? [] : [...params].sort());
    });
  });
});

describe.each(examples.map((e) => [e.name, e] as const))('%s: written as by hand', (name, e) => {
  test('Tekton steps carry only what differs from their stepTemplate', () => {
    const spec = tektonDocs[name].find((d: any) => d.kind === 'Pipeline' && d.metadata.name === e.pipeline.pipelineName).spec;
    for (const t of [...spec.tasks, ...(spec.finally ?? [])].filter((x: any) => x.taskSpec)) {
      const tpl = t.taskSpec.stepTemplate ?? {};
      for (const step of t.taskSpec.steps) {
        for (const group of ['requests', 'limits']) {
          for (const [k, v] of Object.entries(step.computeResources?.[group] ?? {})) expect([t.name, step.name, group, k, tpl.computeResources?.[group]?.[k]]).not.toEqual([t.name, step.name, group, k, v]);
        }
        for (const [k, v] of Object.entries(step.securityContext ?? {})) expect([t.name, step.name, k, tpl.securityContext?.[k]]).not.toEqual([t.name, step.name, k, v]);
        for (const env of step.env ?? []) expect((tpl.env ?? []).map((x: any) => x.name)).not.toContain(env.name);
        if (step.workingDir !== undefined) expect(step.workingDir).not.toBe(tpl.workingDir);
      }
      // What every step has is in the template, once.
      if (t.taskSpec.steps.length > 1) expect(t.taskSpec.steps.every((x: any) => x.workingDir !== undefined)).toBe(false);
    }
  });

  test('Jenkins: no block for the default container; adjacent steps of one container or one binding set share one block', () => {
    const pipeline = trees[name].tree!.find((c) => c.name === 'pipeline')!;
    const defaultContainer = JSON.stringify(pipeline.children!.find((c) => c.name === 'agent')!.children![0].children!.find((c) => c.name === 'defaultContainer')!.args[0]);
    const visit = (calls: readonly GroovyCall[]) => {
      calls.forEach((c, i) => {
        if (c.name === 'container') expect(JSON.stringify(c.named?.name ?? c.args[0]) === defaultContainer && !c.named?.shell).toBe(false);
        const next = calls[i + 1];
        if (next && (c.name === 'container' || c.name === 'withCredentials') && next.name === c.name) {
          expect(JSON.stringify([next.args, next.named])).not.toBe(JSON.stringify([c.args, c.named]));
        }
        visit(c.children ?? []);
      });
    };
    visit(pipeline.children!);
  });
});

test('the examples cover every portable feature', () => {
  const all = examples.map((e) => e.pipeline.graph());
  const stages = all.flatMap((g) => g.stages);
  const leaves = stages.flatMap((s) => (s.branches.length ? s.branches : [s]));
  const kinds = new Set(leaves.flatMap((s) => s.steps.map((x) => x.kind)));
  expect([...kinds].sort()).toEqual(['approval', 'archiveArtifacts', 'checkout', 'publishTests', 'run']);
  expect(stages.some((s) => s.branches.length > 1)).toBe(true);
  expect(stages.some((s) => s.matrix)).toBe(true);
  expect(leaves.some((s) => s.when.some((w) => w.startsWith('branch')) && leaves.some((x) => x.when.includes('tag')))).toBe(true);
  expect(leaves.some((s) => s.when.some((w) => w.startsWith('param')))).toBe(true);
  expect(all.some((g) => Object.keys(g.post).length === 3)).toBe(true);
  // Least privilege is exercised: scope secrets withheld from steps that do not name them, and given to steps that do.
  const scoped = examples.flatMap((e) => modelSteps(e.pipeline).map((m, i) => ({ ...m, graph: [...e.pipeline.graph().stages.flatMap((s) => (s.branches.length ? s.branches : [s])).flatMap((s) => s.steps), ...Object.values(e.pipeline.graph().post).flat()][i] })));
  const unnamed = (m: typeof scoped[number]) => m.scope.filter((x) => !m.step.secrets.includes(x));
  expect(scoped.some((m) => unnamed(m).some((x) => x.variables.every((v) => !m.graph.secrets.includes(v))))).toBe(true);
  expect(scoped.some((m) => unnamed(m).some((x) => x.variables.every((v) => m.graph.secrets.includes(v))))).toBe(true);
  expect(scoped.some((m) => m.graph.params.length > 0 && m.step.params.length === 0)).toBe(true);
});
