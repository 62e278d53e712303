import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import * as ts from 'typescript';
import { checkJenkinsfile, describeImport, importJenkinsfile, JenkinsfileImportError, readJenkinsfile } from '../../lib/cli/jenkinsfile';
import * as jenkins from '../../lib/jenkins';
import { parseJenkinsfile } from '../../lib/jenkins/parser';
import { expectGroovyParses } from '../support/groovy';
import { script } from '../jenkins-parser/normalise';

const root = path.join(__dirname, '..', '..');
const dir = path.join(root, 'test', 'fixtures', 'jenkinsfiles');
const all = fs.readdirSync(dir).filter((f) => f.endsWith('.Jenkinsfile')).sort();
const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');

/** Not importable, and why (each is a gap in the typed API, or not Declarative at all). */
const NOT_IMPORTABLE: Record<string, string> = {
  '16-scripted-pod-template.Jenkinsfile': 'unsupported-form',
  '17-groovy-forms.Jenkinsfile': 'unsupported-form',
};
/** Warnings check gives on an importable file: what the import had to opt out of, said at its line. */
const WARNINGS: Record<string, string[]> = {
  '19-kubernetes-inline-pod.Jenkinsfile': ['3:pod-security-restricted'],
  '24-scripted-container-templates.Jenkinsfile': ['1:pod-security-restricted'],
};
const importable = all.filter((f) => !(f in NOT_IMPORTABLE));

/** The writer's section order; Jenkins gives the order of sections no meaning. */
const SECTION_ORDER = ['axes', 'excludes', 'agent', 'libraries', 'when', 'input', 'options', 'parameters', 'triggers', 'tools', 'environment',
  'failFast', 'steps', 'stages', 'parallel', 'matrix', 'post'];

/**
 * Named arguments are a map in Groovy, and sections of a pipeline, stage or matrix may come in any order: neither
 * order carries meaning, so both are compared sorted.
 */
function sortNamed(j: unknown): unknown {
  if (Array.isArray(j)) return j.map(sortNamed);
  if (j && typeof j === 'object') {
    const o = Object.fromEntries(Object.entries(j).map(([k, v]) => [k, sortNamed(v)]));
    if (['pipeline', 'stage', 'matrix'].includes(o.m as string) && Array.isArray(o.a)) {
      const cl = o.a[o.a.length - 1] as { cl?: unknown; b?: Array<{ m?: string }> };
      const rank = (x: { m?: string }): number => (SECTION_ORDER.includes(x.m ?? '') ? SECTION_ORDER.indexOf(x.m!) : -1);
      if (cl && 'cl' in cl && Array.isArray(cl.b)) cl.b = [...cl.b].sort((x, y) => rank(x) - rank(y));
    }
    if ('m' in o && Array.isArray(o.a) && (o.a[0] as { map?: unknown[] })?.map) {
      const first = o.a[0] as { map: Array<[unknown, unknown]> };
      o.a = [{ map: [...first.map].sort((x, y) => JSON.stringify(x[0]).localeCompare(JSON.stringify(y[0]))) }, ...o.a.slice(1)];
    }
    return o;
  }
  return j;
}

const tree = (text: string): unknown => {
  const r = parseJenkinsfile(text);
  expect(r.diagnostics).toEqual([]);
  return sortNamed(script(r.ast));
};

/** Type-checks every generated module together under the repository's strict settings, `slipway` mapped to lib/. */
function typeCheck(files: Record<string, string>): string[] {
  const cfg = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
  const options = ts.convertCompilerOptionsFromJson({ ...cfg.compilerOptions, noEmit: true, baseUrl: root,
    paths: { slipway: ['lib/index.ts'] }, types: ['node'] }, root).options;
  const host = ts.createCompilerHost(options);
  const read0 = host.readFile.bind(host);
  const exists0 = host.fileExists.bind(host);
  const virtual = new Map(Object.entries(files).map(([k, v]) => [path.join(root, 'imported', k), v]));
  host.readFile = (f) => virtual.get(f) ?? read0(f);
  host.fileExists = (f) => virtual.has(f) || exists0(f);
  const program = ts.createProgram([...virtual.keys()], options, host);
  // Only the generated files are checked (the library itself is checked by tsc in npm test).
  return [...virtual.keys()].flatMap((f) => {
    const sf = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
      .map((d) => `${path.basename(f)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  });
}

/** Runs a generated module: `slipway` is this repository's lib/, and the Jenkinsfile it builds is rendered. */
function run(code: string): string {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const mod = { exports: {} as Record<string, (scope: Construct) => { render(): string }> };
  const req = (m: string): unknown => (m === 'slipway' ? require('../../lib') : require(m));
  new Function('require', 'module', 'exports', js)(req, mod, mod.exports);
  const fn = Object.values(mod.exports)[0];
  return fn(new Construct(undefined as unknown as Construct, '')).render();
}

describe('Jenkinsfile round trips: import → strict type check → run → the same Jenkinsfile', () => {
  const code = Object.fromEntries(importable.map((f) => [f.replace(/\W/g, '_') + '.ts', importJenkinsfile(read(f), f)]));

  test(`${importable.length} generated programs type-check under strict`, () => {
    expect(typeCheck(code)).toEqual([]);
    // The check is real: a wrong call is reported.
    expect(typeCheck({ 'wrong.ts': "import { jenkins } from 'slipway';\nexport const s = jenkins.Step.sh(1);\n" })).toHaveLength(1);
  });

  const outputs: Record<string, string> = {};

  test('valid forms slipway cannot write yet are warnings for check, at their line', () => {
    expect(checkJenkinsfile(read('16-scripted-pod-template.Jenkinsfile'), 'Jenkinsfile'))
      .toEqual([expect.objectContaining({ line: 3, rule: 'pod-security-restricted', severity: 'warning' }),
        expect.objectContaining({ line: 20, rule: 'unsupported-form', severity: 'warning' })]);
  });

  test.each(importable)('%s: synthesized Jenkinsfile equals the input (normalised trees), and check reports nothing', (f) => {
    const input = read(f);
    expect(checkJenkinsfile(input, f).map((d) => `${d.line}:${d.rule}`)).toEqual(WARNINGS[f] ?? []);
    const out = run(code[f.replace(/\W/g, '_') + '.ts']);
    outputs[f] = out;
    // A file with short forms is compared with its `.expected` typed spelling (the rewrites its header lists).
    const expected = fs.existsSync(path.join(dir, `${f}.expected`)) ? read(`${f}.expected`) : input;
    expect(tree(out)).toEqual(tree(expected));
  });

  test('every synthesized Jenkinsfile parses with Groovy 2.4.21', () => {
    expect(Object.keys(outputs)).toHaveLength(importable.length);
    expectGroovyParses(outputs);
  });

  test.each(Object.entries(NOT_IMPORTABLE))('%s is refused with %s, listing each form at its line', (f, rule) => {
    let err: unknown;
    try { importJenkinsfile(read(f), f); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(JenkinsfileImportError);
    expect((err as JenkinsfileImportError).diagnostics.every((d) => d.rule === rule && d.line > 0)).toBe(true);
  });

  test('readJenkinsfile builds the construct through the public API; a file it cannot write exactly builds nothing', () => {
    const root0 = new Construct(undefined as unknown as Construct, '');
    const r = readJenkinsfile(root0, 'web', read('13-credential-steps.Jenkinsfile'));
    expect(r.diagnostics).toEqual([]);
    expect(tree(r.jenkinsfile!.render())).toEqual(tree(read('13-credential-steps.Jenkinsfile')));
    expect(r.jenkinsfile!.path).toBe('jenkins/web.Jenkinsfile');
    const scripted = readJenkinsfile(root0, 'nightly', read('23-scripted-typed.Jenkinsfile'));
    expect(scripted.jenkinsfile).toBeInstanceOf(jenkins.ScriptedJenkinsfile);
    expect(tree(scripted.jenkinsfile!.render())).toEqual(tree(read('23-scripted-typed.Jenkinsfile')));
    const gap = readJenkinsfile(root0, 'pod', read('16-scripted-pod-template.Jenkinsfile'));
    expect(gap.jenkinsfile).toBeUndefined();
    expect(gap.diagnostics.map((d) => `${d.line}:${d.rule}`)).toEqual(['20:unsupported-form', '3:pod-security-restricted']);
  });

  test('a timeout is written in its largest exact unit, and the import says so', () => {
    const text = read('01-basic.Jenkinsfile').replace('  agent any\n', "  agent any\n  options {\n    timeout(time: 120, unit: 'MINUTES')\n  }\n");
    expect(describeImport(text, 'J').rewrites).toEqual(["line 4: timeout(time: 120, unit: 'MINUTES') is written timeout(time: 2, unit: 'HOURS')"]);
  });

  test('a pod that is not restricted is imported with the Pod Security level it needs, and the import says so', () => {
    const r = describeImport(read('24-scripted-container-templates.Jenkinsfile'), 'Jenkinsfile');
    expect(r.code).toContain("podSecurity: jenkins.PodSecurity.baseline('imported as written");
    expect(r.rewrites).toEqual([expect.stringMatching(/^line 1: the pod does not meet Pod Security "restricted" \(container "golang" allows privilege escalation;.*PodSecurity\.baseline/)]);
    expect(r.warnings.map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['1:pod-security-restricted:warning']);
  });

  test('prelude and Scripted escapes are listed: an expression value in a typed function body and in steps', () => {
    // The helper's body is typed (return of an expression); the script { } body calls the helper and echoes an expression.
    expect(describeImport(read('22-hybrid-typed-prelude.Jenkinsfile'), 'J').escapes).toEqual(['Value.expression at line 15',
      'Step.call("publish") at line 25', 'Value.expression at line 26', 'Step.call("echo") at line 26']);
    expect(describeImport(read('06-libraries.Jenkinsfile'), 'J').escapes).toEqual(['Step.script with Groovy text at line 10']);
    expect(describeImport(read('23-scripted-typed.Jenkinsfile'), 'J').escapes).toEqual(['Value.expression at line 45']);
    expect(describeImport(read('15-scripted-node.Jenkinsfile'), 'J').code).toContain('export function addJJenkinsfile(scope: Construct): jenkins.ScriptedJenkinsfile {');
  });

  test('the raw escapes are listed in the program header and in the summary', () => {
    const r = describeImport(read('09-post-conditions.Jenkinsfile'), '09-post-conditions.Jenkinsfile');
    expect(r.escapes).toEqual(['Step.call("mail") at line 44']);
    expect(r.code).toContain('//   - Step.call("mail") at line 44');
    expect(describeImport(read('01-basic.Jenkinsfile'), 'Jenkinsfile').code).toContain('// Raw escapes: none');
  });

  test('short forms are written in the typed spelling, each listed with its line', () => {
    const r = describeImport(read('18-short-forms.Jenkinsfile'), 'Jenkinsfile');
    expect(r.rewrites).toEqual([
      'line 1: pipeline: sections are written in the order agent, parameters, environment, stages',
      "line 3: docker 'image' is written docker { image '…' }",
      "line 6: PORT = 8080 is written PORT = '8080'",
      "line 9: choices: 'a\\nb' is written as the list ['a', 'b']",
      'line 13: several conditions in when are written inside allOf { }',
      "line 18: git '…' is written git(url: '…')",
      "line 19: stash '…' is written stash(name: '…')",
      "line 20: timeout(15) { } is written timeout(time: 15, unit: 'MINUTES') { }",
      "line 23: archiveArtifacts '…' is written archiveArtifacts(artifacts: '…')",
      'line 24: deleteDir is written deleteDir()',
    ]);
    expect(r.code).toContain('// Written in the typed spelling (same meaning to Jenkins):');
  });
});
