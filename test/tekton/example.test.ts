/**
 * The example Tekton CI (pipelines/tekton-ci.ts): every document through the independent checkers, tekton-lint
 * on the synthesized Tasks and Pipelines (as a child process: the package is ESM), and RBAC that never grants
 * cluster-admin.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { addTektonCi } from '../../pipelines/tekton-ci';
import { expectTektonDocsValid } from './helpers';

const app = Testing.app();
const ci = addTektonCi(app);
const docs: any[] = Testing.synth(ci.chart);
const LINT_BIN = path.join(__dirname, '..', '..', 'node_modules', '@ibm', 'tekton-lint', 'dist', 'lint.js');

function toYaml(list: any[]): string {
  return list.map((d) => stringify(d)).join('---\n');
}

test('the example has the CI shape: clone → parallel tests → build → deploy, finally, GitHub trigger', () => {
  const pipeline = docs.find((d) => d.kind === 'Pipeline').spec;
  const after = (name: string) => pipeline.tasks.find((t: any) => t.name === name).runAfter;
  expect(pipeline.tasks.map((t: any) => t.name)).toEqual(['clone', 'unit-tests', 'static-checks', 'build-image', 'deploy-staging']);
  expect(after('unit-tests')).toEqual(['clone']);
  expect(after('static-checks')).toEqual(['clone']);
  expect(after('build-image')).toEqual(['unit-tests', 'static-checks']);
  expect(ci.pipeline.allTasks.find((t) => t.name === 'deploy-staging')!.dependencies.sort()).toEqual(['build-image', 'clone']);
  expect(pipeline.finally.map((t: any) => t.name)).toEqual(['report']);
  const run = docs.find((d) => d.kind === 'TriggerTemplate').spec.resourcetemplates[0];
  expect(run.spec.workspaces[0].volumeClaimTemplate).toBeDefined();
  expect(docs.map((d) => d.kind)).toEqual(expect.arrayContaining(['EventListener', 'TriggerBinding', 'TriggerTemplate']));
  expect(toYaml(docs)).toMatchSnapshot();
});

test('every document passes the independent checkers (CRD schemas, inline specs, k8s models, trigger structure)', () => {
  const counts = expectTektonDocsValid(docs);
  expect(counts).toEqual({ core: 8, crd: 3, triggers: 3, inline: 1 });
});

test('tekton-lint reports no errors on the example Tasks and Pipelines, and does lint them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-tekton-lint-'));
  try {
    const linted = docs.filter((d) => d.kind === 'Task' || d.kind === 'Pipeline');
    fs.writeFileSync(path.join(dir, 'tekton-ci.yaml'), toYaml(linted));
    // A canary copy with a known bug proves the linter parsed our documents: renamed (no duplicates) and with the
    // Task's `image` param removed, which the Task still uses.
    const canary = JSON.parse(JSON.stringify(linted)).map((d: any) => ({ ...d, metadata: { name: `canary-${d.metadata.name}` } }));
    const task = canary.find((d: any) => d.kind === 'Task');
    task.spec.params = task.spec.params.filter((p: any) => p.name !== 'image');
    fs.writeFileSync(path.join(dir, 'canary.yaml'), toYaml(canary));
    const r = spawnSync(process.execPath, [LINT_BIN, '--format', 'json', '--config', __dirname, `${dir}/*.yaml`],
      { encoding: 'utf8', env: { ...process.env, TL_CACHE_DIR: path.join(dir, 'cache') } });
    const problems: Array<{ rule: string; level: string; path: string; message: string }> = JSON.parse(r.stdout.trim().split('\n')[0]);
    const ours = problems.filter((p) => p.path.endsWith('tekton-ci.yaml') && p.level === 'error');
    expect(ours).toEqual([]);
    const caught = problems.filter((p) => p.path.endsWith('canary.yaml') && p.level === 'error');
    expect(caught.map((p) => p.rule)).toContain('no-undefined-param');
    expect(linted.map((d) => d.kind).sort()).toEqual(['Pipeline', 'Task']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no binding anywhere grants cluster-admin, and RBAC has no wildcards', () => {
  const rbac = docs.filter((d) => d.apiVersion === 'rbac.authorization.k8s.io/v1');
  expect(rbac.map((d) => d.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Role', 'Role', 'RoleBinding', 'RoleBinding']);
  expect(rbac.filter((d) => d.metadata.name === 'orders-ci-deploy').map((d) => d.metadata.namespace)).toEqual(['orders-staging', 'orders-staging']);
  for (const d of rbac) {
    expect(d.roleRef?.name).not.toBe('cluster-admin');
    for (const rule of d.rules ?? []) {
      for (const list of [rule.verbs, rule.resources, rule.apiGroups]) expect(list).not.toContain('*');
    }
  }
  const crb = rbac.find((d) => d.kind === 'ClusterRoleBinding');
  const cr = rbac.find((d) => d.kind === 'ClusterRole');
  expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: cr.metadata.name });
  expect(cr.rules.flatMap((r: any) => r.verbs)).toEqual(['get', 'list', 'watch']);
  expect(JSON.stringify(docs)).not.toContain('cluster-admin');
});

test('synthesis is deterministic', () => {
  const again = Testing.synth(addTektonCi(Testing.app()).chart);
  expect(JSON.stringify(again)).toBe(JSON.stringify(docs));
});
