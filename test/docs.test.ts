/**
 * Every ```ts block in README.md and docs/*.md is executed, with `slipway` resolving to lib/index.ts,
 * so the examples people copy are known to work.
 */
import * as fs from 'fs';
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

test.each(cases)('example %s runs', (_where, code) => {
  const js = transformSync(code, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  }).code;
  const mod = { exports: {} };
  const req = (id: string) => (id === 'slipway' ? require('../lib') : require(id));
  new Function('require', 'module', 'exports', js)(req, mod, mod.exports);
});
