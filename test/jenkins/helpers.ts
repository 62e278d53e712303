import { App, Testing } from 'cdk8s';
import { synthFiles } from '../../lib';
import { Jenkinsfile, JenkinsfileProps, Agent, Step } from '../../lib/jenkins';
import { expectGroovyParses } from '../support/groovy';

/** Every Jenkinsfile rendered in this test file; parsed by Groovy 2.4 in one JVM at the end (`parseAllRendered`). */
const rendered: Record<string, string> = {};

/** A fresh app with one Jenkinsfile (agent any and one stage unless the props/builder say otherwise). */
export function pipeline(props: JenkinsfileProps = {}, build?: (jf: Jenkinsfile) => void): { app: App; jf: Jenkinsfile } {
  const app = Testing.app();
  const jf = new Jenkinsfile(app, 'ci', { agent: Agent.any(), ...props });
  if (build) build(jf);
  else jf.addStage('Build', { steps: [Step.sh('make')] });
  return { app, jf };
}

/** Synthesizes and returns the Jenkinsfile text, remembering it for the Groovy parse. */
export function render(app: App, name = 'ci'): string {
  const text = synthFiles(app)[`jenkins/${name}.Jenkinsfile`];
  rendered[`${expect.getState().currentTestName ?? 'file'}#${Object.keys(rendered).length}`] = text;
  return text;
}

/** Remembers a Jenkinsfile produced some other way. */
export function remember(name: string, text: string): void {
  rendered[name] = text;
}

/** Parses everything rendered so far with Groovy 2.4 (call from one test at the end of the file). */
export function parseAllRendered(): string[] {
  expectGroovyParses(rendered);
  return Object.keys(rendered);
}

/** Runs `build` (which may throw eagerly) and synth; returns the error message that names `rule`. */
export function ruleError(rule: string, build: () => App): string {
  let message: string;
  try {
    const app = build();
    synthFiles(app);
    throw new Error(`expected rule ${rule} to fail, but synth succeeded`);
  } catch (e) {
    message = (e as Error).message;
  }
  const line = message.split('\n').find((l) => l.includes(`(rule: ${rule})`));
  if (!line) throw new Error(`expected rule ${rule}, got:\n${message}`);
  // Every message names the construct path, the problem and the fix.
  expect(line).toMatch(/\[[^\]]*ci[^\]]*\]/);
  expect(line).toMatch(/ fix: \S/);
  return line;
}
