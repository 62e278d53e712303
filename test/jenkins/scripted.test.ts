import { App, Testing } from 'cdk8s';
import {
  Agent, ContainerTemplate, Credential, Jenkinsfile, Library, Parameter, PodSecurity, Ref, ScriptedJenkinsfile, Step, Text, Value,
} from '../../lib/jenkins';
import { parseAllRendered, render, ruleError } from './helpers';

function scripted(build: (jf: ScriptedJenkinsfile) => void): App {
  const app = Testing.app();
  build(new ScriptedJenkinsfile(app, 'ci'));
  return app;
}

describe('Scripted Jenkinsfile rules', () => {
  test('rule scripted-needs-node: a workspace step outside node or podTemplate fails', () => {
    ruleError('scripted-needs-node', () => scripted((jf) => jf.addSteps(Step.stage('Build', [Step.sh('make')]))));
  });
  test('rule no-steps: an empty Scripted file fails', () => {
    ruleError('no-steps', () => scripted(() => undefined));
  });
  test('rule pod-template-argument: Declarative-only agent settings in podTemplate fail', () => {
    ruleError('pod-template-argument', () => scripted((jf) => jf.addSteps(Step.podTemplate({ yaml: 'spec:\n  containers: []\n', defaultContainer: 'x' }, [Step.echo('x')]))));
  });
  test('rule container-unknown: container() names a container the podTemplate does not have', () => {
    ruleError('container-unknown', () => scripted((jf) => jf.addSteps(Step.podTemplate({ containers: [{ name: 'go', image: 'golang:1.22' }] },
      [Step.container('maven', [Step.sh('mvn')])]))));
  });
  test('rule try-needs-catch: try without catch or finally fails', () => {
    ruleError('try-needs-catch', () => scripted((jf) => jf.addSteps(Step.node(undefined, [Step.tryCatch({ steps: [Step.sh('x')] })]))));
  });
  test('rule parallel-branches: no branches, or a branch named failFast, fails', () => {
    ruleError('parallel-branches', () => scripted((jf) => jf.addSteps(Step.parallel({}))));
    ruleError('parallel-branches', () => scripted((jf) => jf.addSteps(Step.parallel({ failFast: [Step.echo('x')] }))));
  });
  test('rule secret-in-gstring: a password parameter of properties() read in a GString fails', () => {
    ruleError('secret-in-gstring', () => scripted((jf) => jf.addSteps(Step.properties({ parameters: [Parameter.password({ name: 'PIN' })] }),
      Step.echo(Text.of(Ref.param('PIN'))))));
  });
  test('rule secret-in-gstring: a withCredentials variable in a GString fails, in Scripted as in Declarative', () => {
    ruleError('secret-in-gstring', () => scripted((jf) => jf.addSteps(Step.node('x', [Step.withCredentials(
      [Credential.string({ credentialsId: 't', variable: 'T' })], [Step.sh(Text.of('curl ', Ref.env('T')))])]))));
  });
  test('rule duplicate-definition: a variable and a function with one name fail', () => {
    ruleError('duplicate-definition', () => scripted((jf) => jf.addVariable('X', 1).addFunction('X', { body: [Step.echo('x')] })));
  });
  test('rule identifier: a function parameter that is a keyword fails', () => {
    ruleError('identifier', () => scripted((jf) => jf.addFunction('f', { params: ['in'], body: 'echo "x"' })));
  });
  test('rule raw-groovy: a helper function body that closes its own block fails', () => {
    ruleError('raw-groovy', () => scripted((jf) => jf.addFunction('f', { body: 'echo "x" }\nevil()\n{' })));
  });
  test('rule library-name: an @Library annotation with an empty name fails', () => {
    ruleError('library-name', () => {
      const app = Testing.app();
      new ScriptedJenkinsfile(app, 'ci', { libraryAnnotations: [Library.of('')], steps: [Step.echo('x')] });
      return app;
    });
  });
});

describe('Scripted forms that are valid', () => {
  test('Declarative structure steps, a helper function with typed steps, raw Groovy and variables', () => {
    const text = render(scripted((jf) => {
      jf.addVariable('VERSION', Value.expression("env.TAG_NAME ?: 'dev'")).addVariable('OPTS', { retries: 2, tags: ['a', 'b'] });
      jf.addFunction('build', { params: ['target'], body: [Step.sh(Text.of('make ', Ref.variable('target')))] });
      jf.addFunction('raw', { body: "if (env.X) {\n  echo 'x'\n}" });
      jf.addSteps(Step.node('linux', [Step.stage('Build', [Step.call('build', ['all']), Step.call('raw')])]));
    }));
    expect(text).toContain("def VERSION = env.TAG_NAME ?: 'dev'\ndef OPTS = [retries: 2, tags: ['a', 'b']]");
    expect(text).toContain('def build(target) {\n  sh "make ${target}"\n}');
  });

  test('podTemplate with containerTemplates (the older Scripted form), checked as baseline', () => {
    const maven = ContainerTemplate.of({ name: 'maven', image: 'maven:3.9', command: 'sleep', args: '99d', ttyEnabled: true,
      resourceRequestCpu: '500m', resourceRequestMemory: '1Gi', envVars: { MAVEN_OPTS: '-Xmx1g' } });
    const text = render(scripted((jf) => jf.addSteps(Step.podTemplate({ containerTemplates: [maven], podSecurity: PodSecurity.baseline('containerTemplate has no seccomp field') },
      [Step.container('maven', [Step.sh('mvn -B verify')])]))));
    expect(text).toContain("podTemplate(containers: [containerTemplate(name: 'maven', image: 'maven:3.9', command: 'sleep', args: '99d', ttyEnabled: true, "
      + "resourceRequestCpu: '500m', resourceRequestMemory: '1Gi', envVars: [envVar(key: 'MAVEN_OPTS', value: '-Xmx1g')])]) {");
    ruleError('container-unknown', () => scripted((jf) => jf.addSteps(Step.podTemplate({ containerTemplates: [maven], podSecurity: PodSecurity.baseline('x') },
      [Step.container('gradle', [Step.sh('x')])]))));
    ruleError('pod-security-restricted', () => scripted((jf) => jf.addSteps(Step.podTemplate({ containerTemplates: [maven] }, [Step.echo('x')]))));
    ruleError('pod-security-baseline', () => scripted((jf) => jf.addSteps(Step.podTemplate({ podSecurity: PodSecurity.baseline('x'),
      containerTemplates: [ContainerTemplate.of({ name: 'dind', image: 'docker:dind', privileged: true })] }, [Step.echo('x')]))));
  });

  test('a Declarative file with a prelude still checks its pipeline', () => {
    const app = Testing.app();
    const jf = new Jenkinsfile(app, 'ci', { agent: Agent.any(), libraryAnnotations: [Library.of('a', '1'), Library.of('b')] });
    jf.addVariable('X', 'x');
    jf.addStage('A', { steps: [Step.echo(Text.of(Ref.variable('X')))] });
    const text = render(app);
    expect(text.split('\n').slice(1, 5)).toEqual(["@Library(['a@1', 'b']) _", '', "def X = 'x'", '']);
  });

  test('everything rendered here parses with Groovy 2.4', () => {
    expect(parseAllRendered()).toHaveLength(3);
  });
});
