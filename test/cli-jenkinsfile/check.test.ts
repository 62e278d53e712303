import * as fs from 'fs';
import * as path from 'path';
import { checkJenkinsfile } from '../../lib/cli/jenkinsfile';

const dir = path.join(__dirname, '..', 'fixtures', 'jenkinsfiles');
const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');

interface Mutation {
  /** The fixture mutated. */
  readonly fixture: string;
  /** Text replaced (first occurrence) … */
  readonly from: string;
  /** … by this. */
  readonly to: string;
  /** The rule check must report … */
  readonly rule: string;
  /** … on the line holding this text in the mutated file. */
  readonly at: string;
}

const MUTATIONS: Record<string, Mutation> = {
  'a stage without an agent under agent none': { fixture: '01-basic.Jenkinsfile', from: 'agent any', to: 'agent none', rule: 'agent-none-needs-node', at: "sh 'make build'" },
  'duplicate sibling stage names': { fixture: '01-basic.Jenkinsfile', from: "stage('Test')", to: "stage('Build')", rule: 'duplicate-stage-name', at: "stage('Build') {\n      steps {\n        sh(script" },
  'a secret in a GString': { fixture: '10-environment-credentials.Jenkinsfile', from: "sh 'echo \"$REGISTRY_PSW\"", to: "sh \"echo ${API_TOKEN}\"\n        sh 'echo \"$REGISTRY_PSW\"", rule: 'secret-in-gstring', at: 'sh "echo ${API_TOKEN}"' },
  'a secret in a GString inside script { }': { fixture: '10-environment-credentials.Jenkinsfile', from: "        sh '''\n", to: "        script {\n          def out = sh(script: \"curl -H 'X-Token: ${env.API_TOKEN}' $TARGET\", returnStdout: true)\n        }\n        sh '''\n", rule: 'secret-in-gstring', at: 'def out = sh' },
  'a withCredentials secret in a GString inside script { }': { fixture: '13-credential-steps.Jenkinsfile', from: "          sh 'curl -u", to: "          script {\n            echo \"token ${SLACK_TOKEN}\"\n          }\n          sh 'curl -u", rule: 'secret-in-gstring', at: 'echo "token' },
  'a bad container name in the second of two container steps': { fixture: '02-kubernetes-agent.Jenkinsfile', from: "container(name: 'kaniko'", to: "container(name: 'Kaniko_Builder'", rule: 'container-name', at: "container(name: 'Kaniko_Builder'" },
  'an unknown stage directive': { fixture: '01-basic.Jenkinsfile', from: "stage('Build') {\n", to: "stage('Build') {\n      retries 3\n", rule: 'unknown-stage-section', at: 'retries 3' },
  'an unknown pipeline section': { fixture: '01-basic.Jenkinsfile', from: '  agent any\n', to: "  agent any\n  properties {\n    foo()\n  }\n", rule: 'unknown-section', at: 'properties {' },
  'not with two conditions': { fixture: '12-when-conditions.Jenkinsfile', from: "changelog '.*\\\\[skip ci\\\\].*'", to: "changelog 'x'\n            tag 'v*'", rule: 'when-children', at: 'not {' },
  'an unknown when condition': { fixture: '12-when-conditions.Jenkinsfile', from: 'buildingTag()', to: "onBranch 'main'", rule: 'when-unknown-condition', at: "onBranch 'main'" },
  'an invalid changelog regex': { fixture: '12-when-conditions.Jenkinsfile', from: "changelog '.*\\\\[skip ci\\\\].*'", to: "changelog '(unclosed'", rule: 'when-changelog-regex', at: 'when {' },
  'steps and stages in one stage': { fixture: '04-parallel-sequential.Jenkinsfile', from: "stage('Start') {\n", to: "stage('Start') {\n              stages {\n                stage('Inner') {\n                  steps {\n                    echo 'x'\n                  }\n                }\n              }\n", rule: 'stage-body-exclusive', at: "stage('Start')" },
  'an agent on a stage with parallel stages': { fixture: '04-parallel-sequential.Jenkinsfile', from: 'failFast true', to: "failFast true\n      agent { label 'x' }", rule: 'parallel-stage-agent', at: "stage('Checks')" },
  'parallel nested in parallel': { fixture: '04-parallel-sequential.Jenkinsfile', from: "stage('Run') {\n              steps {\n                sh 'npm run it'\n              }\n            }", to: "stage('Run') {\n              parallel {\n                stage('Deep') {\n                  steps {\n                    sh 'x'\n                  }\n                }\n              }\n            }", rule: 'nested-parallel', at: "stage('Run')" },
  'empty steps': { fixture: '01-basic.Jenkinsfile', from: "        checkout scm\n        sh 'make build'\n", to: '', rule: 'no-steps', at: 'steps {' },
  'a duplicate environment variable': { fixture: '10-environment-credentials.Jenkinsfile', from: "    APP = 'web'\n", to: "    APP = 'web'\n    APP = 'api'\n", rule: 'duplicate-environment', at: "APP = 'api'" },
  'an invalid cron spec': { fixture: '08-job-config.Jenkinsfile', from: "cron('H 2 * * 1-5')", to: "cron('H 2 * *')", rule: 'cron-syntax', at: "cron('H 2 * *')" },
  'an input without a message': { fixture: '05-input-approval.Jenkinsfile', from: "        message 'Deploy to production?'\n", to: '', rule: 'input-message-required', at: 'input {' },
  'no agent': { fixture: '01-basic.Jenkinsfile', from: '  agent any\n', to: '', rule: 'agent-required', at: 'pipeline {' },
  'a method definition in a script block': { fixture: '06-libraries.Jenkinsfile', from: "buildApp(name: 'web')", to: "def helper() {\n            return 1\n          }", rule: 'groovy-syntax', at: 'def helper()' },
  'a job property in stage options': { fixture: '14-stage-options.Jenkinsfile', from: '        retry(2)\n', to: "        buildDiscarder(logRotator(numToKeepStr: '3'))\n", rule: 'option-stage-scope', at: "buildDiscarder(logRotator(numToKeepStr: '3'))" },
  'two environment sections': { fixture: '10-environment-credentials.Jenkinsfile', from: '  stages {', to: "  environment {\n    B = 'x'\n  }\n  stages {", rule: 'duplicate-section', at: "  environment {\n    B = 'x'" },
  'an unclosed string': { fixture: '01-basic.Jenkinsfile', from: "sh 'make build'", to: "sh 'make build", rule: 'groovy-syntax', at: "sh 'make build" },
  'an exclude with values and notValues': { fixture: '03-matrix.Jenkinsfile', from: "notValues 'chrome'", to: "notValues 'chrome'\n              values 'firefox'", rule: 'matrix-exclude-values', at: 'matrix {' },
  'an unknown post condition': { fixture: '09-post-conditions.Jenkinsfile', from: '    fixed {', to: '    sometimes {', rule: 'post-condition', at: 'sometimes {' },
  'an empty when allOf': { fixture: '12-when-conditions.Jenkinsfile', from: "          environment name: 'DEPLOY', value: 'true'\n", to: '          allOf {\n          }\n', rule: 'when-children', at: '          allOf {\n          }' },
  'a GString stage name': { fixture: '01-basic.Jenkinsfile', from: "stage('Test')", to: 'stage("Test ${env.X}")', rule: 'stage-name-literal', at: 'stage("Test' },
  'a bad environment value': { fixture: '10-environment-credentials.Jenkinsfile', from: "TARGET = 'staging'", to: 'TARGET = env.BRANCH', rule: 'environment-value', at: 'TARGET = env.BRANCH' },
  'a duplicate parameter': { fixture: '08-job-config.Jenkinsfile', from: "name: 'DRY_RUN'", to: "name: 'VERSION'", rule: 'duplicate-parameter', at: "booleanParam(name: 'VERSION'" },
  'a choice parameter with a duplicate choice': { fixture: '08-job-config.Jenkinsfile', from: "choices: ['dev', 'staging', 'prod']", to: "choices: ['dev', 'dev']", rule: 'choice-parameter-duplicate', at: "choice(name: 'ENV'" },
  'an unknown agent option': { fixture: '11-docker-agents.Jenkinsfile', from: "alwaysPull true", to: 'pullAlways true', rule: 'agent-option', at: 'pullAlways true' },
  'a matrix axis value twice': { fixture: '03-matrix.Jenkinsfile', from: "values 'firefox', 'chrome'", to: "values 'firefox', 'firefox'", rule: 'duplicate-axis-value', at: 'matrix {' },
  'a duplicate option': { fixture: '08-job-config.Jenkinsfile', from: '    quietPeriod(5)\n', to: '    quietPeriod(5)\n    timestamps()\n', rule: 'duplicate-option', at: '    timestamps()\n  }' },
  'a Scripted step outside node': { fixture: '23-scripted-typed.Jenkinsfile', from: "node('linux && docker') {", to: "sh 'make prepare'\nnode('linux && docker') {", rule: 'scripted-needs-node', at: "sh 'make prepare'" },
  'a secret in a GString of a Scripted step': { fixture: '23-scripted-typed.Jenkinsfile', from: `sh 'echo "$REG_PASS" | docker login -u "$REG_USER" --password-stdin registry.example.com'`, to: 'sh "docker login -p ${REG_PASS} registry.example.com"', rule: 'secret-in-gstring', at: 'sh "docker login' },
  'a secret in a GString of a helper function kept as Groovy text': { fixture: '22-hybrid-typed-prelude.Jenkinsfile', from: "  return readFile('VERSION').trim()\n", to: "  withCredentials([string(credentialsId: 'api', variable: 'API_KEY')]) {\n    return sh(returnStdout: true, script: \"curl -H ${API_KEY} https://example.com/v\")\n  }\n", rule: 'secret-in-gstring', at: 'return sh(' },
  'a container the podTemplate does not have': { fixture: '24-scripted-container-templates.Jenkinsfile', from: "container('golang')", to: "container('rust')", rule: 'container-unknown', at: "container('rust')" },
  'a container template name that is not a DNS label': { fixture: '24-scripted-container-templates.Jenkinsfile', from: "name: 'kaniko'", to: "name: 'Kaniko'", rule: 'kubernetes-container-name', at: 'podTemplate(' },
  'a pod that breaks Pod Security restricted': { fixture: '25-scripted-pod-yaml.Jenkinsfile', from: 'allowPrivilegeEscalation: false', to: 'allowPrivilegeEscalation: true', rule: 'pod-security-restricted', at: 'podTemplate(' },
  'an empty Scripted stage name': { fixture: '23-scripted-typed.Jenkinsfile', from: "stage('Checkout')", to: "stage('')", rule: 'stage-name-required', at: "stage('')" },
  'an empty Scripted stage': { fixture: '23-scripted-typed.Jenkinsfile', from: "stage('Checkout') {\n    checkout scm\n  }", to: "stage('Checkout') {\n  }", rule: 'no-steps', at: "stage('Checkout')" },
  'a parallel branch named failFast': { fixture: '23-scripted-typed.Jenkinsfile', from: "unit: { sh 'make test' }", to: "failFast: { sh 'make test' }", rule: 'parallel-branches', at: 'parallel(' },
  'a zero timeout in a Scripted file': { fixture: '23-scripted-typed.Jenkinsfile', from: 'timeout(time: 20', to: 'timeout(time: 0', rule: 'timeout-positive', at: 'timeout(time: 0' },
  'a variable defined twice in the prelude': { fixture: '22-hybrid-typed-prelude.Jenkinsfile', from: 'def replicas = 3', to: 'def appName = 3', rule: 'duplicate-definition', at: 'def appName = 3' },
  'an empty library name in @Library': { fixture: '22-hybrid-typed-prelude.Jenkinsfile', from: "'notify'", to: "''", rule: 'library-name', at: '@Library' },
  'an invalid cron spec in Scripted properties': { fixture: '23-scripted-typed.Jenkinsfile', from: "cron('H 3 * * 1-5')", to: "cron('H 3 * *')", rule: 'cron-syntax', at: "pipelineTriggers([cron('H 3 * *')])" },
  'an empty credentials id in a Scripted withCredentials': { fixture: '23-scripted-typed.Jenkinsfile', from: "credentialsId: 'registry'", to: "credentialsId: ''", rule: 'credentials-id', at: "usernamePassword(credentialsId: ''" },
  'a credentials variable that is not an identifier': { fixture: '23-scripted-typed.Jenkinsfile', from: "usernameVariable: 'REG_USER'", to: "usernameVariable: 'REG-USER'", rule: 'identifier', at: "usernameVariable: 'REG-USER'" },
  'a retry count of zero': { fixture: '23-scripted-typed.Jenkinsfile', from: 'retry(2)', to: 'retry(0)', rule: 'number-range', at: 'retry(0)' },
  'a podTemplate yaml that is not a Pod': { fixture: '25-scripted-pod-yaml.Jenkinsfile', from: 'kind: Pod', to: 'kind: Deployment', rule: 'kubernetes-pod-yaml', at: 'podTemplate(' },
  'a helper function named like a variable': { fixture: '22-hybrid-typed-prelude.Jenkinsfile', from: 'def publish(image, tag)', to: 'def appName(image, tag)', rule: 'duplicate-definition', at: 'def appName(image, tag)' },
  'a read-only currentBuild property assigned': { fixture: '29-scripted-statements.Jenkinsfile', from: 'currentBuild.description =', to: 'currentBuild.number =', rule: 'assign-target', at: 'currentBuild.number =' },
  'a build parameter assigned': { fixture: '21-scripted-real-forms.Jenkinsfile', from: 'env.APP_VERSION =', to: 'params.APP_VERSION =', rule: 'assign-target', at: 'params.APP_VERSION =' },
  'a misspelt build result': { fixture: '29-scripted-statements.Jenkinsfile', from: "currentBuild.result = 'UNSTABLE'", to: "currentBuild.result = 'UNSTABEL'", rule: 'build-result', at: "currentBuild.result = 'UNSTABEL'" },
  'a @Field without its import': { fixture: '29-scripted-statements.Jenkinsfile', from: 'import groovy.transform.Field\n', to: '', rule: 'field-import', at: '@Field String registry' },
  'a pipeline step in a @NonCPS function': { fixture: '29-scripted-statements.Jenkinsfile', from: '  return report.collect', to: "  echo 'summarizing'\n  return report.collect", rule: 'noncps-step', at: '@NonCPS' },
  'docker.image().inside outside node': { fixture: '29-scripted-statements.Jenkinsfile', from: "node('linux && docker') {", to: "docker.image('alpine:3.20').inside {\n  echo 'x'\n}\nnode('linux && docker') {", rule: 'scripted-needs-node', at: "docker.image('alpine:3.20')" },
  'a built parallel branch with an empty name': { fixture: '30-scripted-built-parallel.Jenkinsfile', from: "branches['lint']", to: "branches['']", rule: 'parallel-branches', at: "branches[''] =" },
  'a misspelt build result in a typed catch clause': { fixture: '30-scripted-built-parallel.Jenkinsfile', from: "currentBuild.result = 'ABORTED'", to: "currentBuild.result = 'CANCELLED'", rule: 'build-result', at: "currentBuild.result = 'CANCELLED'" },
  'trim on a shell step without returnStdout': { fixture: '29-scripted-statements.Jenkinsfile', from: "sh(script: 'git describe --tags', returnStdout: true).trim()", to: "sh(script: 'git describe --tags').trim()", rule: 'step-result-trim', at: "def version = sh(script: 'git describe --tags').trim()" },
  'a duplicate axis': { fixture: '03-matrix.Jenkinsfile', from: "name 'BROWSER'", to: "name 'PLATFORM'", rule: 'duplicate-axis', at: "name 'PLATFORM'\n            values 'firefox'" },
};

const lineOf = (text: string, needle: string): number => {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`marker ${JSON.stringify(needle)} not found`);
  return text.slice(0, i).split('\n').length + (needle.startsWith('\n') ? 1 : 0);
};

describe('slipway check finds each mutation at its line', () => {
  test.each(Object.entries(MUTATIONS))('rule %s', (_name, m) => {
    const original = read(m.fixture);
    expect(original.includes(m.from)).toBe(true);
    const text = original.replace(m.from, () => m.to);
    const found = checkJenkinsfile(text, m.fixture);
    const hit = found.filter((d) => d.rule === m.rule);
    expect({ rules: found.map((d) => `${d.line}:${d.rule}`), hit: hit.length > 0 }).toEqual(expect.objectContaining({ hit: true }));
    expect(hit.map((d) => d.line)).toContain(lineOf(text, m.at));
    for (const d of found) {
      expect(d).toMatchObject({ file: m.fixture, severity: expect.any(String) });
      expect(d.message.length).toBeGreaterThan(0);
      expect(d.fix.length).toBeGreaterThan(0);
    }
  });

  test('a Scripted file is checked with the same rules, and a clean one gives nothing', () => {
    expect(checkJenkinsfile(read('15-scripted-node.Jenkinsfile'), 'Jenkinsfile')).toEqual([]);
  });

  test('a secret interpolated into a step of a Scripted file is found', () => {
    const text = "node {\n  withCredentials([string(credentialsId: 'tok', variable: 'TOKEN')]) {\n    sh \"curl -H 'Authorization: $TOKEN' https://x\"\n  }\n}\n";
    expect(checkJenkinsfile(text, 'J').map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['3:secret-in-gstring:error']);
  });

  test('Scripted assignments, docker.image().inside, @NonCPS and typed parameters check clean, and the rest is still checked', () => {
    expect(checkJenkinsfile(read('21-scripted-real-forms.Jenkinsfile'), 'Jenkinsfile')).toEqual([]);
    const broken = read('21-scripted-real-forms.Jenkinsfile').replace("sh 'npm run flaky'", 'sh "npm run flaky ${env.GIT_TOKEN}"')
      .replace('timestamps {', "withCredentials([string(credentialsId: 'git', variable: 'GIT_TOKEN')]) {");
    expect(checkJenkinsfile(broken, 'J').filter((x) => x.severity === 'error').map((x) => `${x.line}:${x.rule}`)).toEqual(['23:secret-in-gstring']);
  });

  test('Scripted forms without a typed form are warnings at their line', () => {
    const d = checkJenkinsfile(read('17-groovy-forms.Jenkinsfile'), 'Jenkinsfile');
    expect(d.map((x) => `${x.line}:${x.rule}:${x.severity}`)).toEqual(['31:unsupported-form:warning', '35:unsupported-form:warning',
      '37:unsupported-form:warning', '45:unsupported-form:warning', '46:unsupported-form:warning',
      '47:unsupported-form:warning', '48:unsupported-form:warning']);
    expect(d[5].message).toContain('the assignment += to this target');
    expect(d[1].message).toContain('a break statement');
  });

  test('the same finding in two places of a Scripted file is reported at each', () => {
    const text = read('24-scripted-container-templates.Jenkinsfile').replace("container('golang')", "container('rust')").replace("container('kaniko')", "container('rust')");
    expect(checkJenkinsfile(text, 'J').filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.rule}`)).toEqual(['13:container-unknown', '18:container-unknown']);
  });

  test('prelude imports, @Field and typed helper parameters check clean; a form without a typed form is a warning at its line', () => {
    expect(checkJenkinsfile(read('07-hybrid-prelude.Jenkinsfile'), 'Jenkinsfile')).toEqual([]);
    const aliased = read('07-hybrid-prelude.Jenkinsfile').replace('import groovy.transform.Field', 'import groovy.transform.Field\nimport java.util.regex.Matcher as M');
    expect(checkJenkinsfile(aliased, 'J').map((x) => `${x.line}:${x.rule}:${x.severity}`)).toEqual(['3:unsupported-form:warning']);
  });

  test('the legacy parallel step alone is valid (a warning), mixed with other steps it is an error', () => {
    const legacy = (extra: string): string => `pipeline {\n  agent any\n  stages {\n    stage('t') {\n      steps {\n${extra}        parallel a: { sh 'a' }, b: { sh 'b' }\n      }\n    }\n  }\n}\n`;
    expect(checkJenkinsfile(legacy(''), 'J').map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['6:unsupported-form:warning']);
    expect(checkJenkinsfile(legacy("        echo 'x'\n"), 'J').map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['7:step-blocked:error']);
  });

  test('a valid kubernetes agent option the typed props lack is a warning, an invalid one an error', () => {
    const k = (opt: string): string => `pipeline {\n  agent {\n    kubernetes {\n      yamlFile 'pod.yaml'\n      ${opt}\n    }\n  }\n  stages {\n    stage('t') {\n      steps {\n        sh 'x'\n      }\n    }\n  }\n}\n`;
    expect(checkJenkinsfile(k('workspaceVolume emptyDirWorkspaceVolume()'), 'J').map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['5:unsupported-form:warning']);
    expect(checkJenkinsfile(k('podRetention onFailure()'), 'J')).toEqual([]);
    expect(checkJenkinsfile(k("colour 'blue'"), 'J').map((d) => `${d.line}:${d.rule}:${d.severity}`)).toEqual(['5:agent-option:error']);
  });
});
