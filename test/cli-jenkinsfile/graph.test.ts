import * as fs from 'fs';
import * as path from 'path';
import { jenkinsfileGraph, JenkinsfileImportError } from '../../lib/cli/jenkinsfile';

const read = (f: string): string => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'jenkinsfiles', f), 'utf8');

describe('jenkinsfileGraph', () => {
  test('parallel branches and a sequential group inside one branch', () => {
    expect(jenkinsfileGraph(read('04-parallel-sequential.Jenkinsfile'))).toBe([
      'flowchart LR',
      '  start(("start"))',
      '  subgraph g1 ["Checks"]',
      '    s2["Lint"]',
      '    start --> s2',
      '    subgraph g3 ["Integration"]',
      '      s4["Start"]',
      '      start --> s4',
      '      s5["Run"]',
      '      s4 --> s5',
      '    end',
      '  end',
      '  finish(("end"))',
      '  s2 --> finish',
      '  s5 --> finish',
      '',
    ].join('\n'));
  });

  test('a matrix shows its axes; stages run one after another', () => {
    const g = jenkinsfileGraph(read('03-matrix.Jenkinsfile'));
    expect(g).toContain('s1[["Cross<br/>matrix: PLATFORM = linux, windows, mac#59; BROWSER = firefox, chrome"]]');
    const seq = jenkinsfileGraph(read('01-basic.Jenkinsfile'));
    expect(seq).toContain('start --> s1');
    expect(seq).toContain('s1 --> s2');
    expect(seq).toContain('s2 --> finish');
  });

  test('labels are entity-encoded, so stage names stay text', () => {
    const g = jenkinsfileGraph("pipeline {\n  agent any\n  stages {\n    stage('a\"] --> x[\"b') {\n      steps {\n        sh 'x'\n      }\n    }\n  }\n}\n");
    expect(g).toContain('s1["a#34;] --#62; x[#34;b"]');
  });

  test('a Scripted file has no Declarative stage graph', () => {
    expect(() => jenkinsfileGraph(read('15-scripted-node.Jenkinsfile'))).toThrow(JenkinsfileImportError);
  });
});
