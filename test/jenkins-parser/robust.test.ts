import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { checkJenkinsfile, describeImport, jenkinsfileGraph, JenkinsfileImportError } from '../../lib/cli/jenkinsfile';
import { parseJenkinsfile } from '../../lib/jenkins/parser';

const dir = path.join(__dirname, '..', 'fixtures', 'jenkinsfiles');
const texts = fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

test('damaged Jenkinsfiles give positioned diagnostics for check, import and graph, never a crash (property, fixed seed)', () => {
  const edit = fc.record({
    file: fc.nat(texts.length - 1),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    cut: fc.nat(6),
    insert: fc.constantFrom('', '{', '}', "'", '"', '(', ')', '[', '$', '\\', '"${', "'''", '\n', ' x ', 'def f() {}', ':', ',', '/'),
  });
  fc.assert(fc.property(edit, ({ file, at, cut, insert }) => {
    const t = texts[file];
    const i = Math.floor(at * t.length);
    const text = t.slice(0, i) + insert + t.slice(i + cut);
    const r = parseJenkinsfile(text);
    const lines = text.split('\n').length;
    for (const d of r.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.line).toBeLessThanOrEqual(lines + 1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.message).not.toBe('');
    }
    for (const d of checkJenkinsfile(text, 'Jenkinsfile')) expect(d.line).toBeGreaterThanOrEqual(1);
    // Import and graph either work or refuse with the positioned diagnostics: never another error.
    for (const f of [() => describeImport(text, 'Jenkinsfile'), () => jenkinsfileGraph(text)]) {
      try { f(); } catch (e) { expect(e).toBeInstanceOf(JenkinsfileImportError); }
    }
  }), { seed: 4242, numRuns: 300 });
});
