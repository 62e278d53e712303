import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { parseYamlFile } from '../../lib/cli/yaml-source';
import { FIXTURES } from './fixtures';

/** Every YAML file under test/fixtures/yaml. */
function files(dir = FIXTURES): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

/** What the `yaml` package alone gives: values, document starts and indexes (empty documents skipped). */
function reference(text: string): Array<{ value: unknown; line: number; column: number; index: number }> {
  return parseAllDocuments(text).flatMap((d, index) => {
    const value = d.toJS();
    if (value === null || value === undefined) return [];
    const lines = text.slice(0, d.contents!.range[0]).split('\n');
    return [{ value, line: lines.length, column: lines[lines.length - 1].length + 1, index }];
  });
}

const read = (text: string) => parseYamlFile('f.yaml', text).documents.map((d) => ({ value: d.value, ...d.position([]), index: d.index }));

describe('the fast read gives what the yaml package gives', () => {
  test.each(files().map((f) => [path.relative(FIXTURES, f)]))('%s: values, document lines and indexes', (f) => {
    const text = fs.readFileSync(path.join(FIXTURES, f), 'utf8');
    expect(read(text)).toEqual(reference(text));
  });

  test('the position-keeping parse runs only when a field position is asked for, once per file', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'tekton', 'ci-pipeline.yaml'), 'utf8');
    const lines = reference(text).map((d) => d.line);
    // the module object itself (an `import * as` copy would not see the calls)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const spy = jest.spyOn(require('yaml'), 'parseAllDocuments');
    try {
      const docs = parseYamlFile('ci-pipeline.yaml', text).documents;
      expect(docs.map((d) => d.position([]).line)).toEqual(lines);
      expect(spy).not.toHaveBeenCalled();
      expect(docs[0].position(['spec', 'tasks', 0])).toEqual({ line: text.split('\n').findIndex((l) => l.includes('- name: clone')) + 1, column: 7 });
      docs.forEach((d) => d.position(['metadata', 'name']));
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('YAML 1.2 core scalars: the forms js-yaml alone would read differently stay strings', () => {
    const text = 'a: 0b101\nb: 1_000\nc: 0xFF_FF\nd: 0o17\ne: 012\nf: .inf\ng: -.Inf\nh: .NaN\ni: 1e3\nj: yes\nk: on\nl: ~\nm: Null\nn: TRUE\no: 2001-12-14\np: "0x1F"\n';
    expect(read(text)).toEqual(reference(text));
    expect(read(text)[0].value).toMatchObject({ a: '0b101', b: '1_000', c: '0xFF_FF', d: 15, e: 12, j: 'yes', k: 'on', o: '2001-12-14', p: '0x1F' });
  });

  test('document markers, comments, empty documents and directives', () => {
    const text = '# head\n%YAML 1.2\n---\n# only a comment\n---\n  a: 1\n---\n...\n--- # note\nb: [1, 2]\n---\n';
    expect(read(text)).toEqual(reference(text));
    expect(read(text).map((d) => d.index)).toEqual(reference(text).map((d) => d.index));
  });

  test('anchors, tags and syntax errors take the full parse, with the same result', () => {
    for (const text of ['a: &x {b: 1}\nc: *x\n', 'a: !!binary aGVsbG8=\n', 'a: !custom x\n', '--- {a: 1}\n', 'a: 1\na: 2\n']) {
      const parsed = parseYamlFile('f.yaml', text);
      const docs = parseAllDocuments(text);
      expect(parsed.errors.length > 0).toBe(docs.some((d) => d.errors.length > 0));
      if (parsed.errors.length === 0) expect(read(text)).toEqual(reference(text));
    }
  });

  test('property: any JSON-like document reads the same both ways', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constantFrom('0b1', '1_0', 'null', '~', 'yes', '0o7', '0x1f', '.5', '1e3', '-0', '+1', '2024-01-01'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(fc.property(fc.array(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), value, { minKeys: 1, maxKeys: 4 }), { minLength: 1, maxLength: 3 }), fc.boolean(), (docs, flow) => {
      const text = docs.map((d) => (flow ? JSON.stringify(d) : toBlock(d, ''))).join('\n---\n');
      expect(read(text)).toEqual(reference(text));
    }), { numRuns: 60 });
  });
});

/** Block YAML with every string quoted by JSON (unquoted forms come from the constants through plain scalars). */
function toBlock(v: unknown, indent: string): string {
  if (Array.isArray(v)) return v.length ? v.map((x) => `${indent}- ${typeof x === 'object' && x !== null ? JSON.stringify(x) : plain(x)}`).join('\n') : `${indent}[]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length ? entries.map(([k, x]) => `${indent}${JSON.stringify(k)}: ${typeof x === 'object' && x !== null ? JSON.stringify(x) : plain(x)}`).join('\n') : `${indent}{}`;
  }
  return `${indent}${plain(v)}`;
}

function plain(x: unknown): string {
  return typeof x === 'string' && /^[A-Za-z0-9_.+~-]+$/.test(x) ? x : JSON.stringify(x);
}
