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

  test('Scripted stages are drawn in order; a stage holding a parallel step fans out into its branches', () => {
    expect(jenkinsfileGraph(read('15-scripted-node.Jenkinsfile'))).toBe([
      'flowchart LR',
      '  start(("start"))',
      '  s1["Checkout"]',
      '  start --> s1',
      '  s2["Build"]',
      '  s1 --> s2',
      '  subgraph g3 ["Test"]',
      '    s4["unit"]',
      '    s2 --> s4',
      '    s5["lint"]',
      '    s2 --> s5',
      '  end',
      '  finish(("end"))',
      '  s4 --> finish',
      '  s5 --> finish',
      '',
    ].join('\n'));
  });

  test('Scripted parallel branches on their own nodes join before the next stage', () => {
    const g = jenkinsfileGraph(read('26-scripted-parallel-nodes.Jenkinsfile'));
    expect(g).toContain('subgraph g2 ["linux"]\n      s3["Linux"]\n      start --> s3');
    expect(g).toContain('subgraph g4 ["windows"]\n      s5["Windows"]\n      start --> s5');
    expect(g).toContain('s3 --> s6\n  s5 --> s6');
  });

  test('a file that does not parse has no graph', () => {
    expect(() => jenkinsfileGraph("node {\n  stage('x') {\n")).toThrow(JenkinsfileImportError);
  });
});
