import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { checkGroovyBlock, parseGroovy, parseJenkinsfile } from '../../lib/jenkins/parser';
import { parseGroovy as groovyParse } from '../support/groovy';
import { groovyDump } from './groovy-dump';
import { script } from './normalise';

const dir = path.join(__dirname, '..', 'fixtures', 'jenkinsfiles');
const fixtures: Record<string, string> = Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

describe('the parser agrees with Groovy 2.4.21', () => {
  const dumps = groovyDump(fixtures);
  test.each(Object.keys(fixtures))('%s: same structure and literal values as Groovy 2.4', (name) => {
    expect(dumps[name].errors).toEqual([]);
    const r = parseJenkinsfile(fixtures[name]);
    expect(r.diagnostics).toEqual([]);
    expect(script(r.ast)).toEqual(dumps[name].ast);
  });

  test('every node keeps its line and column', () => {
    const r = parseJenkinsfile(fixtures['01-basic.Jenkinsfile']);
    const pipeline = r.pipeline!;
    expect(pipeline.pos).toEqual({ line: 1, column: 1 });
    const stages = pipeline.closures[0].body[1];
    expect(stages.k === 'expr' && stages.e.k === 'call' && stages.e.name).toBe('stages');
    expect(stages.pos).toEqual({ line: 3, column: 3 });
  });

  test('statements record where they end, so readers can keep the text of an expression or a body', () => {
    const text = "def a = [1,\n  2] // note\nnode('x') {\n  sh 'y'\n}\ndef f(p) {\n  return p\n}\n";
    const body = parseGroovy(text).ast.body;
    expect(body.map((st) => st.end)).toEqual([{ line: 2, column: 5 }, { line: 5, column: 2 }, { line: 8, column: 2 }]);
    const node = body[1];
    const inner = node.k === 'expr' && node.e.k === 'call' ? node.e.closures[0].body[0] : undefined;
    expect(inner?.end).toEqual({ line: 4, column: 9 });
    const ifs = parseGroovy("if (x)\n  echo 'a'\nelse {\n  echo 'b'\n}\n").ast.body[0];
    expect(ifs.k === 'if' && [ifs.then.end, ifs.else?.end]).toEqual([{ line: 2, column: 11 }, { line: 5, column: 2 }]);
  });

  test('generated string literals and GStrings decode to the values Groovy 2.4 gives (property)', () => {
    const piece = (interp: boolean, quote: string): fc.Arbitrary<string> => fc.oneof(
      fc.constantFrom('a', ' ', 'Z', '\u00e9', '\u{1F600}', '#', '{', '}', '/', '-'),
      fc.constantFrom('\\n', '\\t', '\\r', '\\b', '\\f', '\\\\', "\\'", '\\"', '\\$', '\\u00e9', '\\101', '\\7'),
      fc.constant(quote === "'" ? '"' : "'"),
      ...(interp ? [fc.constantFrom('${x}', '${a.b}', '$y', '$env.HOME', '${1 + 2}', "${m['k']}")] : [fc.constant('$')]),
    );
    const literal = fc.constantFrom("'", '"', "'''", '"""').chain((q) =>
      fc.array(piece(q.startsWith('"'), q[0]), { maxLength: 12 }).map((ps) => `${q}${ps.join('')}${q.length === 3 && ps.length ? 'x' : ''}${q}`));
    const samples = fc.sample(fc.array(literal, { minLength: 1, maxLength: 20 }), { seed: 1505, numRuns: 25 });
    const texts: Record<string, string> = {};
    samples.forEach((lits, i) => { texts[`s${i}`] = lits.map((l, j) => `def v${j} = ${l}`).join('\n'); });
    const dumps = groovyDump(texts);
    for (const [name, text] of Object.entries(texts)) {
      expect({ name, errors: dumps[name].errors }).toEqual({ name, errors: [] });
      const mine = parseGroovy(text);
      expect(mine.diagnostics).toEqual([]);
      expect(script(mine.ast)).toEqual(dumps[name].ast);
    }
  });
});

describe('diagnostics', () => {
  test.each([
    ['class Foo {}\n', 1, 1, 'unsupported Groovy: class definitions'],
    ["pipeline {\n  agent any\n  stages {\n    stage('a') {\n      steps { sh 'x' \n", 5, 21, 'unsupported Groovy: unexpected end of file'],
    ["echo 'unclosed\n", 1, 6, 'the string is not closed'],
    ["echo 'bad \\q escape'\n", 1, 11, 'unknown escape'],
    ['do { x() } while (y)\n', 1, 1, 'not Groovy 2.4: do/while'],
    ['echo "$5"\n', 1, 7, 'illegal string body character after dollar sign'],
  ])('%j is diagnosed at %i:%i, never a crash', (text, line, column, message) => {
    const r = parseJenkinsfile(text);
    expect(r.kind).toBe('unknown');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ line, column });
    expect(r.diagnostics[0].message).toContain(message);
  });

  test('what Groovy 2.4 rejects we reject too', () => {
    const bad = { a: "echo 'bad \\q escape'\n", b: 'do { x() } while (y)\n', c: 'echo "$5"\n', d: "echo 'unclosed\n" };
    const g = groovyParse(bad);
    for (const [k, text] of Object.entries(bad)) {
      expect(g[k].ok).toBe(false);
      expect(parseGroovy(text).diagnostics).toHaveLength(1);
    }
  });

  test('\\u escapes are translated before lexing, as Groovy does: a comment can hide a statement', () => {
    const texts = {
      comment: "echo 'a' // note \\u000a evil()\nstage('x') { echo 'b' }\n",
      string: "def s = 'caf\\u00e9 \\\\u0041 \\uu0041'\n",
    };
    const dumps = groovyDump(texts);
    for (const [k, text] of Object.entries(texts)) {
      const mine = parseGroovy(text);
      expect(mine.diagnostics).toEqual([]);
      expect(script(mine.ast)).toEqual(dumps[k].ast);
    }
    const evil = parseGroovy(texts.comment).ast.body[1];
    expect(evil.k === 'expr' && evil.e.k === 'call' && evil.e.name).toBe('evil');
    // Positions stay those of the source as written.
    expect(parseGroovy(texts.comment).ast.body[2].pos).toEqual({ line: 2, column: 1 });
    const closed = parseGroovy("echo 'a\\u0027b'\n");
    expect(closed.diagnostics).toHaveLength(1);
    expect(groovyParse({ x: "echo 'a\\u0027b'\n" }).x.ok).toBe(false);
  });

  test('a method definition inside a closure is rejected, as Groovy 2.4 does', () => {
    const text = "node {\n  def helper() {\n    return 1\n  }\n}\n";
    expect(groovyParse({ x: text }).x.ok).toBe(false);
    expect(parseGroovy(text).diagnostics).toEqual([{ line: 2, column: 3, rule: 'groovy-syntax', message: 'Method definition not expected here' }]);
  });

  test('a nested pipeline is not Declarative', () => {
    const r = parseJenkinsfile("node {\n  pipeline {\n    agent any\n  }\n}\n");
    expect(r.diagnostics).toEqual([{ line: 2, column: 3, rule: 'pipeline-top-level', message: expect.stringContaining('not Declarative: pipeline block must be at the top-level') }]);
  });

  test('checkGroovyBlock refuses a method definition in a script body, as Groovy does inside a closure', () => {
    const body = "echo 'a'\ndef helper() {\n  return 1\n}\n";
    expect(checkGroovyBlock(body)).toEqual([{ line: 2, column: 1, rule: 'groovy-syntax', message: 'Method definition not expected here' }]);
    expect(groovyParse({ x: `node {\n${body}}\n` }).x.ok).toBe(false);
    expect(checkGroovyBlock("if (env.X) {\n  echo 'y'\n}\n")).toEqual([]);
    expect(checkGroovyBlock('echo "${', { line: 10, column: 5 })[0]).toMatchObject({ line: 10 });
  });
});
