import { App, Testing } from 'cdk8s';
import { FunctionParam, GroovyImport, Library, Ref, ScriptedJenkinsfile, Step, Text, Value } from '../../lib/jenkins';
import { parseAllRendered, render, ruleError } from './helpers';

function scripted(build: (jf: ScriptedJenkinsfile) => void, props: ConstructorParameters<typeof ScriptedJenkinsfile>[2] = {}): App {
  const app = Testing.app();
  build(new ScriptedJenkinsfile(app, 'ci', props));
  return app;
}
const inNode = (...steps: Step[]) => (jf: ScriptedJenkinsfile): void => { jf.addSteps(Step.node('linux', steps)); };

describe('Scripted statements: assignment, throw, return, Docker Pipeline, typed helper functions, imports', () => {
  test('each statement is written in the form real Scripted files use', () => {
    const text = render(scripted((jf) => {
      jf.addFunction('parse', { nonCps: true, params: [FunctionParam.of('text', { type: 'String' })],
        body: [Step.returnValue(Value.expression('new groovy.json.JsonSlurperClassic().parseText(text)'))] });
      jf.addFunction('deploy', { params: ['target', FunctionParam.of('opts', { type: 'Map<String, Object>', default: {} }), FunctionParam.of('dry', { default: false })],
        body: [Step.echo(Text.of('deploy ', Ref.variable('target'))), Step.returnValue()] });
      inNode(
        Step.define('commit', Value.stepResult(Step.sh('git rev-parse HEAD', { returnStdout: true }), { trim: true })),
        Step.assign(Ref.env('APP_VERSION'), Text.of('1.0.', Ref.env('BUILD_NUMBER'))),
        Step.assign(Ref.currentBuild('displayName'), Text.of('#', Ref.env('BUILD_NUMBER'))),
        Step.assign(Ref.variable('commit'), Value.expression('commit.take(7)')),
        Step.dockerInside('node:20', [Step.sh('npm ci')], { args: '-u 1000' }),
        Step.dockerWithRegistry('https://registry.example.com', 'registry-creds', [Step.sh('docker push app')]),
        Step.tryCatch({ steps: [Step.sh('make')], catch: { steps: [Step.assign(Ref.currentBuild('result'), 'FAILURE'), Step.throwError(Ref.variable('err'))] } }),
      )(jf);
    }, { libraryAnnotations: [Library.of('utils', '1.2')], imports: [GroovyImport.of('com.example.ci.Semver'), GroovyImport.staticMember('com.example.ci.Strings', 'slug')] }));
    expect(text).toContain("@Library('utils@1.2')\nimport com.example.ci.Semver\nimport static com.example.ci.Strings.slug\n\n@NonCPS\ndef parse(String text) {\n"
      + '  return new groovy.json.JsonSlurperClassic().parseText(text)\n}');
    expect(text).toContain('def deploy(target, Map<String, Object> opts = [:], dry = false) {\n  echo "deploy ${target}"\n  return\n}');
    expect(text).toContain([
      "  def commit = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()",
      '  env.APP_VERSION = "1.0.${env.BUILD_NUMBER}"', '  currentBuild.displayName = "#${env.BUILD_NUMBER}"', '  commit = commit.take(7)',
      "  docker.image('node:20').inside('-u 1000') {", "    sh 'npm ci'", '  }',
      "  docker.withRegistry('https://registry.example.com', 'registry-creds') {",
    ].join('\n'));
    expect(text).toContain("  } catch (err) {\n    currentBuild.result = 'FAILURE'\n    throw err\n  }");
  });

  test('a parallel map built at run time, a variable node label and typed multi-catch are written as real files write them', () => {
    const text = render(scripted((jf) => {
      jf.addVariable('agentLabel', 'ci');
      jf.addSteps(Step.node(Ref.variable('agentLabel'), [
        Step.define('branches', {}),
        Step.forIn('mod', ['core', 'web'], [Step.putBranch(Ref.variable('branches'), Text.of('test ', Ref.variable('mod')), [Step.sh('make test')])]),
        Step.tryCatch({ steps: [Step.parallelOf(Ref.variable('branches'))], catch: [
          { variable: 'e', types: ['org.jenkinsci.plugins.workflow.steps.FlowInterruptedException'], steps: [Step.throwError(Ref.variable('e'))] },
          { types: ['hudson.AbortException', 'IllegalStateException'], steps: [Step.assign(Ref.currentBuild('result'), 'FAILURE')] },
        ] }),
      ]));
    }, { path: 'jenkins/ci.Jenkinsfile' }));
    expect(text).toContain([
      'node(agentLabel) {', '  def branches = [:]', "  for (mod in ['core', 'web']) {", '    branches["test ${mod}"] = {', "      sh 'make test'", '    }', '  }',
      '  try {', '    parallel branches', '  } catch (org.jenkinsci.plugins.workflow.steps.FlowInterruptedException e) {', '    throw e',
      '  } catch (hudson.AbortException | IllegalStateException err) {', "    currentBuild.result = 'FAILURE'", '  }', '}',
    ].join('\n'));
  });
  test('podTemplate with a label variable writes the older form, podTemplate(label: l) { node(l) { } }', () => {
    const text = render(scripted((jf) => {
      jf.addVariable('podLabel', Text.of('ci-', Ref.env('BUILD_NUMBER')));
      jf.addSteps(Step.podTemplate({ labelVariable: Ref.variable('podLabel'), containers: [{ name: 'go', image: 'golang:1.22', command: ['sleep', 'infinity'] }] }, [Step.container('go', [Step.sh('go test ./...')])]));
    }, { path: 'jenkins/ci.Jenkinsfile' }));
    expect(text).toContain("podTemplate(label: podLabel, yaml: '''apiVersion: v1");
    expect(text).toContain("''') {\n  node(podLabel) {\n    container('go') {");
  });
  test('rule pod-template-argument: both label and labelVariable fail', () => {
    ruleError('pod-template-argument', () => scripted((jf) => jf.addSteps(Step.podTemplate({ label: 'x', labelVariable: Ref.variable('l'),
      containers: [{ name: 'go', image: 'golang:1.22' }] }, [Step.echo('x')]))));
  });
  test('a while loop and a typed local variable', () => {
    const text = render(scripted(inNode(Step.define('attempts', 0, { type: 'int' }),
      Step.whileLoop(Value.expression('attempts < 3'), [Step.assign(Ref.variable('attempts'), Value.expression('attempts + 1')), Step.sh('make')]))));
    expect(text).toContain("  int attempts = 0\n  while (attempts < 3) {\n    attempts = attempts + 1\n    sh 'make'\n  }");
  });
  test('rule groovy-type: a local variable type that is not a type name fails', () => {
    ruleError('groovy-type', () => scripted(inNode(Step.define('x', 1, { type: 'int x = 2; int' }))));
  });
  test('rule groovy-type: a catch type that is not a class name fails', () => {
    ruleError('groovy-type', () => scripted(inNode(Step.tryCatch({ steps: [Step.sh('x')], catch: { types: ['Abort Exception'], steps: [Step.echo('x')] } }))));
  });
  test('rule try-needs-catch: an empty list of catch clauses fails', () => {
    ruleError('try-needs-catch', () => scripted(inNode(Step.tryCatch({ steps: [Step.sh('x')], catch: [], finally: [Step.echo('x')] }))));
  });
  test('rule parallel-branches: a branch of a built map with an empty name fails', () => {
    ruleError('parallel-branches', () => scripted(inNode(Step.define('b', {}), Step.putBranch(Ref.variable('b'), '', [Step.sh('x')]), Step.parallelOf(Ref.variable('b')))));
  });

  test('rule step-result-trim: .trim() on a shell step without returnStdout fails', () => {
    ruleError('step-result-trim', () => scripted(inNode(Step.define('v', Value.stepResult(Step.sh('git describe'), { trim: true })))));
    ruleError('step-result-trim', () => scripted(inNode(Step.define('v', Value.stepResult(Step.sh('make', { returnStatus: true }), { trim: true })))));
  });
  test('rule step-result: a step with a block has no result', () => {
    ruleError('step-result', () => scripted(inNode(Step.define('v', Value.stepResult(Step.dir('x', [Step.sh('make')]))))));
  });

  test('rule assign-target: a build parameter or a read-only currentBuild property fails', () => {
    ruleError('assign-target', () => scripted(inNode(Step.assign(Ref.param('TARGET'), 'x'))));
    ruleError('assign-target', () => scripted(inNode(Step.assign(Ref.currentBuild('number'), 1))));
  });
  test('rule build-result: currentBuild.result that is not a build result fails', () => {
    ruleError('build-result', () => scripted(inNode(Step.assign(Ref.currentBuild('result'), 'UNSTABEL'))));
  });
  test('rule groovy-type: a parameter type that is not a type name fails', () => {
    ruleError('groovy-type', () => scripted((jf) => {
      jf.addFunction('f', { params: [FunctionParam.of('a', { type: 'String) { evil() } def x(' })], body: [Step.echo('x')] });
      inNode(Step.call('f', ['a']))(jf);
    }));
  });
  test('rule groovy-import: an import that is not a qualified class name fails', () => {
    ruleError('groovy-import', () => scripted(inNode(Step.echo('x')), { imports: [GroovyImport.of('Semver; evil()')] }));
  });
  test('rule noncps-step: a @NonCPS function that calls a pipeline step fails', () => {
    ruleError('noncps-step', () => scripted((jf) => {
      jf.addFunction('f', { nonCps: true, body: [Step.ifThen(Value.expression('true'), [Step.sh('make')])] });
      inNode(Step.call('f'))(jf);
    }));
    // Calling another helper function of the file is not a pipeline step.
    const app = scripted((jf) => {
      jf.addFunction('f', { nonCps: true, body: [Step.returnValue(Value.call('g'))] });
      jf.addFunction('h', { nonCps: true, body: [Step.call('g')] });
      jf.addFunction('g', { body: [Step.returnValue(1)] });
      inNode(Step.call('f'), Step.call('h'))(jf);
    });
    expect(render(app)).toContain('@NonCPS\ndef h() {\n  g()\n}');
  });
  test('rule scripted-needs-node: docker.image().inside outside node fails', () => {
    ruleError('scripted-needs-node', () => scripted((jf) => jf.addSteps(Step.dockerInside('node:20', [Step.echo('x')]))));
  });
  test('rule step-missing-argument: an empty docker image fails', () => {
    ruleError('step-missing-argument', () => scripted(inNode(Step.dockerInside(' ', [Step.echo('x')]))));
  });
  test('rule identifier: an assignment to a name that is not an identifier fails', () => {
    ruleError('identifier', () => scripted(inNode(Step.assign(Ref.env('A-B'), 'x'))));
  });

  test('everything rendered here parses with Groovy 2.4', () => {
    expect(parseAllRendered()).toHaveLength(5);
  });
});
