/**
 * Every rule id the delivery layer can report has its own test named `rule <id>: …` and is listed in
 * docs/delivery.md.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

const source = files(path.join(root, 'lib', 'delivery')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
const ids = new Set<string>();
for (const re of [/\bv\('([a-z0-9-]+)'/g, /\bfail\([^,]+, '([a-z0-9-]+)'/g, /rule: '([a-z0-9-]+)'/g, /\bassertInt\([^,]+, '([a-z0-9-]+)'/g, /\bdurationIn\(ann, [^,]+, '([a-z0-9-]+)'/g]) {
  for (const m of source.matchAll(re)) ids.add(m[1]);
}
const tests = files(__dirname).filter((f) => f.endsWith('.test.ts')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
const docs = fs.readFileSync(path.join(root, 'docs', 'delivery.md'), 'utf8');

test('the delivery layer reports at least 70 distinct rules', () => {
  expect(ids.size).toBeGreaterThanOrEqual(70);
});

test.each([...ids].sort())('rule %s has its own test and is documented', (id) => {
  expect(tests).toContain(`'rule ${id}:`);
  expect(docs).toContain(`\`${id}\``);
});
