/**
 * Every ```ts block in README.md and docs/*.md is executed, with `slipway` resolving to lib/index.ts,
 * so the examples people copy are known to work.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { transformSync } from '@swc/core';

const root = path.join(__dirname, '..');
const docs = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function blocks(file: string): Array<{ line: number; code: string }> {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const out: Array<{ line: number; code: string }> = [];
  const re = /^```ts\n([\s\S]*?)^```/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push({ line: text.slice(0, m.index).split('\n').length, code: m[1] });
  return out;
}

const cases = docs.flatMap((file) => blocks(file).map((b) => [`${file}:${b.line}`, b.code] as const));

test('the docs have examples', () => {
  expect(cases.length).toBeGreaterThan(0);
});

test("README's install example is the one test/package proves in fresh projects", () => {
  const example = fs.readFileSync(path.join(root, 'test', 'package', 'example', 'main.ts'), 'utf8');
  expect(cases.map(([, code]) => code)).toContain(example);
});

// Examples that call app.synth() write into a temporary folder, never into the repository.
beforeAll(() => {
  process.env.CDK8S_OUTDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-docs-'));
});

test.each(cases)('example %s runs', (_where, code) => {
  const js = transformSync(code, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  }).code;
  const mod = { exports: {} };
  const req = (id: string) => (id === 'slipway' ? require('../lib') : id === 'slipway/testing' ? require('../lib/testing') : require(id));
  new Function('require', 'module', 'exports', js)(req, mod, mod.exports);
});

test("README's stage graph is the one synth writes for pipelines/ci-cd.ts", () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Testing } = require('cdk8s');
  const { synthFiles } = require('../lib');
  const { addPipelines } = require('../pipelines');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = Testing.app();
  addPipelines(app);
  const written = String(synthFiles(app)['ci-cd.mmd']).split('\n').filter((l) => !l.startsWith('%%')).join('\n');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /^```mermaid\n([\s\S]*?)^```/m.exec(readme)?.[1];
  expect(block).toBe(written);
});
