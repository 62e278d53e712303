import { Step } from '../../lib/jenkins';
import { parseGroovy } from '../support/groovy';
import { pipeline, render, ruleError } from './helpers';

const withScript = (body: string) => pipeline({}, (jf) => { jf.addStage('B', { steps: [Step.script(body)] }); }).app;

describe('raw Groovy is checked by a real parse at synth', () => {
  test('rule raw-groovy: a method definition in a script block is refused with its line, as Groovy 2.4 refuses it', () => {
    const body = 'echo "start"\ndef f() { echo "x" }\nf()';
    expect(ruleError('raw-groovy', () => withScript(body))).toMatch(/script body line 2:1: Method definition not expected here.*Jenkinsfile\.addFunction\(\)/);
    // The independent parser agrees: the same body inside script {} does not compile.
    const text = `pipeline { agent any; stages { stage('B') { steps { script {\n${body}\n} } } } }\n`;
    expect(parseGroovy({ jf: text }).jf.ok).toBe(false);
  });

  test('rule raw-groovy: valid statement forms the parser may not read are never refused', () => {
    const bodies = [
      'def xs = [1, 2, 3]\nfor (x in xs) { echo "${x}" }',
      'try { sh "make" } catch (err) { echo "failed: ${err}" } finally { echo "done" }',
      'if (env.BRANCH_NAME == "main") { currentBuild.description = "release" } else { echo "skip" }',
      'def m = [a: 1]\nm.each { k, v -> echo "${k}=${v}" }',
    ];
    const parsed = parseGroovy(Object.fromEntries(bodies.map((body, i) => [`b${i}`, render(withScript(body))]))); // one JVM
    expect(Object.values(parsed).map((r) => r.ok)).toEqual(bodies.map(() => true));
  });
});
