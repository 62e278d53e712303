import { Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { Duration } from '../../lib';
import {
  Agent, BuildResult, Credential, EnvValue, Jenkinsfile, Library, Option, Parameter, PodSecurity, Ref, ScriptedJenkinsfile, Step, Text, Tool,
  Trigger, When,
} from '../../lib/jenkins';
import { parseAllRendered, pipeline, render, ruleError } from './helpers';

const sh = (s = 'make'): Step => Step.sh(s);
const ok = { steps: [sh()] };
/** A restricted pod as YAML text, with extra container lines and extra metadata lines. */
const podYaml = (container: string, metadata = ''): string => [
  'apiVersion: v1', 'kind: Pod', ...metadata ? ['metadata:', metadata] : [], 'spec:', '  securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }',
  '  containers:', '  - name: build', '    image: alpine:3',
  '    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }',
  ...container ? [container] : ['    resources: { requests: { cpu: 500m, memory: 1Gi } }'],
].join('\n');
const podContainer = (extra: Partial<kplus.ContainerProps> = {}): kplus.ContainerProps => ({ name: 'build', image: 'alpine:3', ...extra });

/** [rule id, what fails, build] — each row is its own test named `rule <id>: <what fails>`. */
const cases: Array<[string, string, () => ReturnType<typeof pipeline>['app']]> = [
  ['agent-required', 'a pipeline without agent', () => pipeline({ agent: undefined }).app],
  ['stages-required', 'a pipeline without stages', () => pipeline({}, () => undefined).app],
  ['stages-required', 'a matrix without stages', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['linux'] }] });
  }).app],
  ['duplicate-stage-name', 'two sibling stages named "Build"', () => pipeline({}, (jf) => {
    jf.addStage('Build', ok);
    jf.addStage('Build', ok);
  }).app],
  ['duplicate-stage-name', 'two parallel stages with the same name', () => pipeline({}, (jf) => {
    const t = jf.addStage('Test');
    t.addParallel('unit', ok);
    t.addParallel('unit', ok);
  }).app],
  ['stage-name-required', 'an empty stage name', () => pipeline({}, (jf) => { jf.addStage(' ', ok); }).app],
  ['stage-body-required', 'a stage with nothing to do', () => pipeline({}, (jf) => { jf.addStage('Empty'); }).app],
  ['stage-body-exclusive', 'a stage with both steps and parallel stages', () => pipeline({}, (jf) => {
    jf.addStage('Mixed', ok).addParallel('a', ok);
  }).app],
  ['stage-body-exclusive', 'two matrices on one stage', () => pipeline({}, (jf) => {
    const s = jf.addStage('M');
    s.addMatrix({ axes: [{ name: 'A', values: ['1'] }] }).addStage('x', ok);
    s.addMatrix({ axes: [{ name: 'B', values: ['1'] }] });
  }).app],
  ['parallel-stage-agent', 'an agent on a stage holding parallel stages', () => pipeline({}, (jf) => {
    jf.addStage('Test', { agent: Agent.label('linux') }).addParallel('a', ok);
  }).app],
  ['parallel-stage-tools', 'tools on a stage holding a matrix', () => pipeline({}, (jf) => {
    jf.addStage('Test', { tools: [Tool.maven('M3')] }).addMatrix({ axes: [{ name: 'A', values: ['1'] }] }).addStage('x', ok);
  }).app],
  ['nested-parallel', 'parallel under a parallel stage (through sequential stages)', () => pipeline({}, (jf) => {
    jf.addStage('Outer').addParallel('a').addStage('seq').addParallel('inner', ok);
  }).app],
  ['nested-parallel', 'a matrix inside a parallel stage', () => pipeline({}, (jf) => {
    jf.addStage('Outer').addParallel('a').addMatrix({ axes: [{ name: 'A', values: ['1'] }] }).addStage('x', ok);
  }).app],
  ['no-steps', 'an empty steps list', () => pipeline({}, (jf) => { jf.addStage('Build', { steps: [] }); }).app],
  ['no-steps', 'an empty post condition', () => pipeline({ post: { always: [] } }).app],
  ['step-blocked', 'the "parallel" step inside steps', () => pipeline({}, (jf) => {
    jf.addStage('Build', { steps: [Step.call('parallel', {})] });
  }).app],
  ['step-name', 'a step name that is not an identifier', () => pipeline({}, (jf) => {
    jf.addStage('Build', { steps: [Step.call("x'); evil('", {})] });
  }).app],
  ['raw-groovy', 'a script block that closes its own block', () => pipeline({}, (jf) => {
    jf.addStage('Build', { steps: [Step.script('echo "a" }\nevil()\nscript {')] });
  }).app],
  ['raw-groovy', 'a unicode escape in a script body', () => pipeline({}, (jf) => {
    jf.addStage('Build', { steps: [Step.script("echo '\\u0027 }'")] });
  }).app],
  ['pipeline-top-level', 'a pipeline block nested in a script step', () => pipeline({}, (jf) => {
    jf.addStage('Build', { steps: [Step.script("if (x) {\n  pipeline { agent any }\n}\necho 'pipeline { is fine in a string'")] });
  }).app],
  ['agent-none-needs-node', 'sh under agent none without a stage agent', () => pipeline({ agent: Agent.none() }).app],
  ['agent-none-needs-node', 'junit in the pipeline post under agent none', () => pipeline({ agent: Agent.none(), post: { always: [Step.junit('*.xml')] } }, (jf) => {
    jf.addStage('Build', { agent: Agent.any(), ...ok });
  }).app],
  ['agent-missing-parameter', 'a docker agent without image', () => pipeline({ agent: Agent.docker({ image: '' }) }).app],
  ['agent-missing-parameter', 'a node agent with an empty label', () => pipeline({ agent: Agent.node({ label: ' ' }) }).app],
  ['section-empty', 'empty environment', () => pipeline({ environment: {} }).app],
  ['section-empty', 'empty options', () => pipeline({ options: [] }).app],
  ['section-empty', 'empty parameters', () => pipeline({ parameters: [] }).app],
  ['section-empty', 'empty triggers', () => pipeline({ triggers: [] }).app],
  ['section-empty', 'empty tools', () => pipeline({ tools: [] }).app],
  ['section-empty', 'empty libraries', () => pipeline({ libraries: [] }).app],
  ['section-empty', 'empty post', () => pipeline({ post: {} }).app],
  ['environment-identifier', 'an environment key with a dash', () => pipeline({ environment: { 'MY-VAR': EnvValue.of('x') } }).app],
  ['environment-identifier', 'addEnvironment with a name starting with a digit (eager)', () => pipeline({}, (jf) => {
    jf.addEnvironment('1X', EnvValue.of('x'));
  }).app],
  ['duplicate-option', 'two timeouts', () => pipeline({ options: [Option.timeout(Duration.hours(1)), Option.timeoutMinutes(5)] }).app],
  ['duplicate-trigger', 'two cron triggers', () => pipeline({ triggers: [Trigger.cron('@daily'), Trigger.cron('@hourly')] }).app],
  ['duplicate-parameter', 'two parameters named ENV', () => pipeline({
    parameters: [Parameter.string({ name: 'ENV' }), Parameter.choice({ name: 'ENV', choices: ['a'] })],
  }).app],
  ['duplicate-tool', 'two maven tools', () => pipeline({ tools: [Tool.maven('a'), Tool.maven('b')] }).app],
  ['option-not-allowed', 'the parameters job property in options', () => pipeline({ options: [Option.of('parameters')] }).app],
  ['option-stage-scope', 'a plugin job property on a stage', () => pipeline({}, (jf) => {
    jf.addStage('Build', { ...ok, options: [Option.of('githubProjectProperty', { projectUrlStr: 'https://github.com/o/r' })] });
  }).app],
  ['option-stage-scope', 'buildDiscarder on a stage', () => pipeline({}, (jf) => {
    jf.addStage('Build', { ...ok, options: [Option.buildDiscarder({ numToKeep: 5 })] });
  }).app],
  ['when-children', 'allOf without conditions', () => pipeline({}, (jf) => {
    jf.addStage('Build', { ...ok, when: When.allOf() });
  }).app],
  ['when-changelog-regex', 'an invalid changelog regex', () => pipeline({}, (jf) => {
    jf.addStage('Build', { ...ok, when: When.changelog('([unclosed') });
  }).app],
  ['when-modifier-without-condition', 'beforeAgent without a when condition', () => pipeline({}, (jf) => {
    jf.addStage('Build', { ...ok, beforeAgent: true });
  }).app],
  ['input-message-required', 'an input directive without message', () => pipeline({}, (jf) => {
    jf.addStage('Deploy', { ...ok, input: { message: '' } });
  }).app],
  ['input-message-required', 'an input step without message', () => pipeline({}, (jf) => {
    jf.addStage('Deploy', { steps: [Step.input({ message: ' ' })] });
  }).app],
  ['matrix-axes-required', 'a matrix without axes', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [] }).addStage('x', ok);
  }).app],
  ['matrix-axis-values', 'an axis without values', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: [] }] }).addStage('x', ok);
  }).app],
  ['duplicate-axis', 'two axes named OS', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['a'] }, { name: 'OS', values: ['b'] }] }).addStage('x', ok);
  }).app],
  ['duplicate-axis-value', 'an axis value listed twice', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['a', 'a'] }] }).addStage('x', ok);
  }).app],
  ['matrix-excludes-empty', 'an empty excludes list', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['a'] }], excludes: [] }).addStage('x', ok);
  }).app],
  ['matrix-exclude-values', 'an exclude axis with values and notValues', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['a'] }], excludes: [[{ name: 'OS', values: ['a'], notValues: ['b'] }]] })
      .addStage('x', ok);
  }).app],
  ['matrix-exclude-axis', 'an exclude naming an unknown axis', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['a'] }], excludes: [[{ name: 'ARCH', values: ['x'] }]] })
      .addStage('x', ok);
  }).app],
  ['matrix-axis-unknown', 'a reference to an axis the matrix does not have', () => pipeline({}, (jf) => {
    const m = jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['a'] }] });
    m.addStage('x', { steps: [Step.echo(Text.of(m.axis('ARCH')))] });
  }).app],
  ['identifier', 'an axis name that is not an identifier', () => pipeline({}, (jf) => {
    jf.addStage('M').addMatrix({ axes: [{ name: 'os-name', values: ['a'] }] }).addStage('x', ok);
  }).app],
  ['identifier', 'a credential variable that is not an identifier', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.withCredentials([Credential.string({ credentialsId: 'c', variable: 'TOKEN; evil' })], [sh()])] });
  }).app],
  ['identifier', 'a Text reference that is not an identifier', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.echo(Text.of(Ref.env('A}"; evil(); "')))] });
  }).app],
  ['identifier', 'a parameter name that is not an identifier', () => pipeline({ parameters: [Parameter.string({ name: 'my param' })] }).app],
  ['number-range', 'a retry count of 0', () => pipeline({}, (jf) => { jf.addStage('B', { steps: [Step.retry(0, [sh()])] }); }).app],
  ['number-range', 'a count beyond the long range', () => pipeline({ options: [Option.quietPeriod(2 ** 64)] }).app],
  ['timeout-positive', 'a zero timeout', () => pipeline({ options: [Option.timeout(Duration.seconds(0))] }).app],
  ['shell-return-exclusive', 'sh with returnStdout and returnStatus', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.sh('x', { returnStdout: true, returnStatus: true })] });
  }).app],
  ['step-missing-argument', 'an empty sh script', () => pipeline({}, (jf) => { jf.addStage('B', { steps: [Step.sh('  ')] }); }).app],
  ['credentials-id', 'an empty credentials() id', () => pipeline({ environment: { TOKEN: EnvValue.credentials('') } }).app],
  ['credentials-bindings-empty', 'withCredentials without bindings', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.withCredentials([], [sh()])] });
  }).app],
  ['credentials-variable-duplicate', 'two bindings to one variable', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.withCredentials([Credential.string({ credentialsId: 'a', variable: 'T' }),
      Credential.file({ credentialsId: 'b', variable: 'T' })], [sh()])] });
  }).app],
  ['secret-in-gstring', 'a credentials() variable interpolated by Groovy', () => pipeline({ environment: { REG: EnvValue.credentials('reg') } }, (jf) => {
    jf.addStage('B', { steps: [Step.echo(Text.of('pw ', Ref.env('REG_PSW')))] });
  }).app],
  ['secret-in-gstring', 'a withCredentials variable interpolated by Groovy', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.withCredentials([Credential.string({ credentialsId: 'a', variable: 'TOKEN' })],
      [Step.call('httpRequest', { url: Text.of('https://x/?t=', Ref.variable('TOKEN')) })])] });
  }).app],
  ['secret-in-gstring', 'a password parameter interpolated by Groovy', () => pipeline({ parameters: [Parameter.password({ name: 'PW' })] }, (jf) => {
    jf.addStage('B', { steps: [Step.echo(Text.of(Ref.param('PW')))] });
  }).app],
  ['secret-in-gstring', 'a password input parameter interpolated by Groovy', () => pipeline({}, (jf) => {
    jf.addStage('B', { input: { message: 'pin?', parameters: [Parameter.password({ name: 'PIN' })] }, steps: [Step.echo(Text.of(Ref.variable('PIN')))] });
  }).app],
  ['container-name', 'a container name that is not a DNS label', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.container('Build_Box', [sh()])] });
  }).app],
  ['container-unknown', 'a container step naming a container the pod lacks', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()] }),
  }, (jf) => { jf.addStage('B', { steps: [Step.container('golang', [sh()])] }); }).app],
  ['choice-parameter-empty', 'a choice without choices', () => pipeline({ parameters: [Parameter.choice({ name: 'ENV', choices: [] })] }).app],
  ['choice-parameter-duplicate', 'a choice listed twice', () => pipeline({ parameters: [Parameter.choice({ name: 'ENV', choices: ['a', 'a'] })] }).app],
  ['build-discarder-empty', 'a buildDiscarder that keeps everything', () => pipeline({ options: [Option.buildDiscarder({})] }).app],
  ['option-argument', 'an empty checkoutToSubdirectory', () => pipeline({ options: [Option.checkoutToSubdirectory('')] }).app],
  ['upstream-projects', 'an upstream trigger without projects', () => pipeline({ triggers: [Trigger.upstream({ projects: [] })] }).app],
  ['cron-syntax', 'a cron spec with 6 fields', () => pipeline({ triggers: [Trigger.cron('0 0 * * * *')] }).app],
  ['cron-syntax', 'a cron minute of 60', () => pipeline({ triggers: [Trigger.pollSCM('60 * * * *')] }).app],
  ['tool-name', 'an empty tool installation name', () => pipeline({ tools: [Tool.jdk('')] }).app],
  ['library-name', 'a library name holding the version', () => pipeline({ libraries: [Library.of('lib@1.0')] }).app],
  ['pod-security-restricted', 'a privileged container', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer({ securityContext: { privileged: true } })] }),
  }).app],
  ['pod-security-restricted', 'a container without resource requests', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer({ resources: { cpu: { limit: kplus.Cpu.millis(100) } } })] }),
  }).app],
  ['pod-security-restricted', 'a hostPath volume added in the pod callback', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()], pod: (pod) => {
      pod.addVolume(kplus.Volume.fromHostPath(pod, 'docker', 'docker', { path: '/var/run/docker.sock' }));
    } }),
  }).app],
  ['pod-security-restricted', 'a hostPort on a container', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer({ ports: [{ number: 8080, hostPort: 8080 }] })] }),
  }).app],
  ['pod-security-reason', 'an unrestricted pod without a reason', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()], podSecurity: PodSecurity.unrestricted(' ') }),
  }).app],
  ['kubernetes-pod-source', 'containers and yaml text together', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()], yaml: 'spec: {}' }),
  }).app],
  ['kubernetes-pod-source', 'no pod at all', () => pipeline({ agent: Agent.kubernetes({}) }).app],
  ['kubernetes-default-container', 'a defaultContainer the pod lacks', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()], defaultContainer: 'maven' }),
  }).app],
  ['kubernetes-pod', 'a pod cdk8s-plus rejects (no containers)', () => pipeline({
    agent: Agent.kubernetes({ containers: [] }),
  }).app],
  ['kubernetes-container-name', 'two containers with the same name', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer(), podContainer()] }),
  }).app],
  ['value-finite', 'a quietPeriod of NaN (shown as NaN, not null)', () => pipeline({ options: [Option.quietPeriod(NaN)] }).app],
  ['value-finite', 'a junit healthScaleFactor of Infinity', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.junit('*.xml', { healthScaleFactor: Infinity })] });
  }).app],
  ['value-integer', 'a retry count of 2.5 (never rounded)', () => pipeline({}, (jf) => { jf.addStage('B', { steps: [Step.retry(2.5, [sh()])] }); }).app],
  ['number-range', 'a retry option of 2^31, beyond the int Jenkins binds it to', () => pipeline({ options: [Option.retry(2 ** 31)] }).app],
  ['number-range', 'preserveStashes of 51 builds, above the limit of 50 Jenkins enforces', () => pipeline({ options: [Option.preserveStashes(51)] }).app],
  ['number-range', 'a timeout of 2^31 milliseconds', () => pipeline({ options: [Option.timeout(Duration.millis(2 ** 31))] }).app],
  ['number-range', 'a sleep of 2^31 + 1 milliseconds, beyond the int Jenkins binds it to', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.sleep(Duration.millis(2 ** 31 + 1))] });
  }).app],
  ['duration-range', 'a timeout of NaN seconds, reported at synth with the path', () => pipeline({}, (jf) => {
    jf.addStage('B', { steps: [Step.timeout(Duration.seconds(NaN), [sh()])] });
  }).app],
  ['value-finite', 'NaN in a plugin option argument (it would be written as the Groovy variable NaN)', () => pipeline({
    options: [Option.of('githubProjectProperty', { displayName: 'x', depth: NaN })],
  }).app],
  ['value-finite', 'Infinity in a plugin trigger argument', () => pipeline({ triggers: [Trigger.of('pollInterval', { minutes: Infinity })] }).app],
  ['credentials-id', 'an empty credentialsId in a withCredentials option', () => pipeline({
    options: [Option.withCredentials([Credential.string({ credentialsId: ' ', variable: 'TOKEN' })])],
  }).app],
  ['identifier', 'a withCredentials option binding a variable that is not an identifier', () => pipeline({
    options: [Option.withCredentials([Credential.string({ credentialsId: 'token', variable: 'MY TOKEN' })])],
  }).app],
  ['image-reference', 'an agent container image with a leading space', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer({ image: ' alpine:3' })] }),
  }).app],
  ['image-reference', 'a docker agent image with a trailing newline', () => pipeline({ agent: Agent.docker({ image: 'node:20\n' }) }).app],
  ['env-name', 'an agent container env var named "A=B"', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer({ envVariables: { 'A=B': kplus.EnvValue.fromValue('1') } })] }),
  }).app],
  ['resource-quantity', 'a cpu request "lots" in pod YAML', () => pipeline({
    agent: Agent.kubernetes({ yaml: podYaml('    resources: { requests: { cpu: lots, memory: 1Gi } }') }),
  }).app],
  ['value-range', 'a containerPort of 70000 in pod YAML', () => pipeline({
    agent: Agent.kubernetes({ yaml: podYaml('    ports: [{ containerPort: 70000 }]') }),
  }).app],
  ['label-key', 'a pod label key "-lead" added in the pod callback', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()], pod: (pod) => pod.metadata.addLabel('-lead', 'x') }),
  }).app],
  ['label-value', 'a pod label value with a newline in pod YAML', () => pipeline({
    agent: Agent.kubernetes({ yaml: podYaml('', '  labels: { app: "a\\nb" }') }),
  }).app],
  ['label-value', 'a pod YAML nodeSelector value that is a boolean', () => pipeline({
    agent: Agent.kubernetes({ yaml: `${podYaml('')}\n  nodeSelector: { example.com/spot: true }` }),
  }).app],
  ['annotation-key', 'a pod annotation key with a space', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()], pod: (pod) => pod.metadata.addAnnotation('bad key', 'x') }),
  }).app],
  ['annotation-value', 'a pod annotation value that is a number in pod YAML', () => pipeline({
    agent: Agent.kubernetes({ yaml: podYaml('', '  annotations: { replicas: 3 }') }),
  }).app],
  ['dns-1123-label', 'an agent namespace "CI"', () => pipeline({ agent: Agent.kubernetes({ containers: [podContainer()], namespace: 'CI' }) }).app],
  ['dns-1123-subdomain', 'an agent serviceAccount "Deploy Bot"', () => pipeline({
    agent: Agent.kubernetes({ containers: [podContainer()], serviceAccount: 'Deploy Bot' }),
  }).app],
  ['construct-id-empty', 'a Jenkinsfile with an empty id', () => {
    const app = Testing.app();
    new Jenkinsfile(new Construct(app, 'ci'), '', { agent: Agent.any() });
    return app;
  }],
  ['duplicate-construct-id', 'two Jenkinsfiles with the same id', () => {
    const app = Testing.app();
    const scope = new Construct(app, 'ci');
    new Jenkinsfile(scope, 'web', { agent: Agent.any() });
    new ScriptedJenkinsfile(scope, 'web');
    return app;
  }],
];

describe('Declarative validator rules', () => {
  test.each(cases)('rule %s: %s fails', (rule, _what, build) => {
    ruleError(rule, build);
  });

  test('rule messages name the location, the bad value and the fix', () => {
    const line = ruleError('duplicate-stage-name', () => pipeline({}, (jf) => {
      const t = jf.addStage('Test');
      t.addParallel('unit', ok);
      t.addParallel('unit', ok);
    }).app);
    expect(line).toContain('[ci] pipeline > stage "Test" > parallel: duplicate stage name "unit"');
    const env = ruleError('environment-identifier', () => pipeline({ environment: { 'MY-VAR': EnvValue.of('x') } }).app);
    expect(env).toContain('pipeline > environment: "MY-VAR" is not a valid identifier');
    expect(env).toContain('fix: start with a letter');
  });

  test('refused values are shown as written, and a refused Duration names the Jenkinsfile and the stage', () => {
    expect(ruleError('value-finite', () => pipeline({ options: [Option.quietPeriod(NaN)] }).app))
      .toContain('[ci] pipeline > options: quietPeriod NaN is not a finite number');
    expect(ruleError('value-integer', () => pipeline({ options: [Option.retry(1.5)] }).app)).toContain('retry count 1.5 is not a whole number');
    expect(ruleError('duration-range', () => pipeline({}, (jf) => {
      jf.addStage('Deploy', { steps: [Step.timeout(Duration.minutes(-Infinity), [sh()])] });
    }).app)).toContain('[ci] pipeline > stage "Deploy" > steps > timeout: duration -Infinitym is not a whole, non-negative number');
  });
});

describe('valid real-world forms are accepted', () => {
  const valid: Array<[string, () => ReturnType<typeof pipeline>['app']]> = [
    ['the same stage name in two different groups', () => pipeline({}, (jf) => {
      jf.addStage('Java 17').addStage('Test', ok);
      jf.addStage('Java 21').addStage('Test', ok);
      const p = jf.addStage('Platforms');
      p.addParallel('linux').addStage('Test', ok);
      p.addParallel('windows').addStage('Test', ok);
    }).app],
    ['cleanup and every other post condition', () => pipeline({
      post: { cleanup: [Step.deleteDir()], notBuilt: [sh()], unsuccessful: [sh()], regression: [sh()], changed: [sh()], aborted: [sh()],
        unstable: [sh()], success: [sh()], failure: [sh()], fixed: [sh()], always: [sh()] },
    }).app],
    ['numeric and unit timeouts', () => pipeline({ options: [Option.timeoutMinutes(80)] }, (jf) => {
      jf.addStage('A', { options: [Option.timeout(Duration.millis(1500))], steps: [Step.timeout(Duration.days(1), [sh()], { activity: true })] });
    }).app],
    ['agent none with stages that need no node (echo, input) and a matrix agent', () => pipeline({ agent: Agent.none() }, (jf) => {
      jf.addStage('Approve', { input: { message: 'go?' }, steps: [Step.echo('approved'), Step.milestone()] });
      jf.addStage('M').addMatrix({ axes: [{ name: 'OS', values: ['linux'] }], agent: Agent.label('linux') }).addStage('Build', ok);
    }).app],
    ['agent none with per-stage agents', () => pipeline({ agent: Agent.none() }, (jf) => {
      jf.addStage('A', { agent: Agent.docker({ image: 'node:20', reuseNode: true, args: '-v /tmp:/tmp' }), ...ok });
      jf.addStage('B', { agent: Agent.dockerfile(), ...ok });
      jf.addStage('C', { agent: Agent.dockerfile({ filename: 'Dockerfile.ci', dir: 'build', additionalBuildArgs: '--pull' }), ...ok });
      jf.addStage('D', { agent: Agent.node({ label: 'linux && docker', customWorkspace: '/ws' }), ...ok });
      jf.addStage('E', { agent: Agent.kubernetes({ yamlFile: 'ci/pod.yaml', defaultContainer: 'golang' }), ...ok });
      jf.addStage('F', { agent: Agent.kubernetes({ inheritFrom: 'base', defaultContainer: 'tools' }), steps: [Step.container('tools', [sh()])] });
    }).app],
    ['cron aliases, H hashing, ranges, steps and comment lines', () => pipeline({
      triggers: [Trigger.cron('# nightly\nTZ=Europe/Berlin\nH H(0-5) * * 1-5\n@midnight'), Trigger.pollSCM('H/15 * * * *'),
        Trigger.upstream({ projects: ['lib-a', 'lib-b'], threshold: BuildResult.UNSTABLE })],
    }).app],
    ['Java inline flags in a changelog regex and nested when combinators', () => pipeline({}, (jf) => {
      jf.addStage('A', { ...ok, beforeOptions: true, beforeInput: true, beforeAgent: true, when: When.allOf(
        When.not(When.changelog('(?i).*\\[ci skip\\].*')), When.anyOf(When.branch('release/*'), When.tag('v*', undefined), When.buildingTag()),
        When.environment('DEPLOY', 'true', true), When.equals('prod', Text.of(Ref.param('TARGET'))), When.triggeredBy('TimerTrigger'),
        When.changeset('**/*.java', { caseSensitive: true }), When.changeRequest({ target: 'main', comparator: undefined }),
        When.isRestartedRun(), When.expression('return params.X == "a"'),
      ) });
    }).app],
    ['a secret referenced as $VAR in a single-quoted script', () => pipeline({ environment: { REG: EnvValue.credentials('reg') } }, (jf) => {
      jf.addStage('A', { steps: [Step.sh('echo "$REG_PSW" | docker login -u "$REG_USR" --password-stdin')] });
    }).app],
    ['an unrestricted pod opted out visibly', () => pipeline({
      agent: Agent.kubernetes({ podSecurity: PodSecurity.unrestricted('kaniko needs root'),
        containers: [podContainer({ securityContext: { ensureNonRoot: false, user: 0 }, resources: { memory: { request: Size.gibibytes(1) } } })] }),
    }).app],
    ['plugin options and triggers through the generic factories', () => pipeline({
      options: [Option.of('githubProjectProperty', { projectUrlStr: 'https://github.com/o/r' }), Option.of('copyArtifactPermission', { projectNames: '*' })],
      triggers: [Trigger.of('githubPush'), Trigger.of('issueCommentTrigger', { commentPattern: '.*retest.*' })],
    }, (jf) => { jf.addStage('A', { ...ok, options: [Option.of('catchError', { buildResult: 'SUCCESS' }, true)] }); }).app],
    ['stage options that Jenkins allows in stages', () => pipeline({}, (jf) => {
      jf.addStage('A', { ...ok, options: [Option.skipDefaultCheckout(), Option.retry(2), Option.timestamps(), Option.lock('db'),
        Option.checkoutToSubdirectory('src'), Option.withCredentials([Credential.file({ credentialsId: 'kc', variable: 'KUBECONFIG' })])] });
    }).app],
    ['escape-hatch Groovy with braces and "pipeline {" inside strings and comments', () => pipeline({}, (jf) => {
      jf.addStage('A', { steps: [Step.script("def s = 'pipeline { } }'\n// pipeline {\n/* } */ def m = [a: \"${s}\"]\nif (m) { echo m.a }")] });
    }).app],
    ['the same parameter name in an input and in the pipeline', () => pipeline({ parameters: [Parameter.string({ name: 'ENV' })] }, (jf) => {
      jf.addStage('A', { ...ok, input: { message: 'ok?', parameters: [Parameter.choice({ name: 'ENV', choices: ['a'] })] } });
    }).app],
    ['pod YAML with numeric quantities, extended resources, dotted env names, a nodeSelector, empty label values and annotations', () => pipeline({
      agent: Agent.kubernetes({ yaml: podYaml([
        '    env: [{ name: my.var, value: x }, { name: JAVA_OPTS, value: "-Xmx1g" }]',
        '    ports: [{ containerPort: 8080, hostPort: 0 }]',
        '    resources: { requests: { cpu: 1, memory: 512Mi, ephemeral-storage: 1Gi }, limits: { nvidia.com/gpu: 1, memory: 1.5Gi } }',
        '  nodeSelector: { kubernetes.io/os: linux, node.example.com/pool: "" }',
      ].join('\n'), '  labels: { app.kubernetes.io/name: build, tier: "" }\n  annotations: { example.com/note: "free text, with spaces\\nand lines" }') }),
    }).app],
    ['sleep in the largest exact unit, and sleep 0', () => pipeline({}, (jf) => {
      jf.addStage('A', { steps: [Step.sleep(Duration.seconds(90)), Step.sleep(Duration.millis(0)), Step.sleep(Duration.parse('1h30m'))] });
    }).app],
    ['agent namespace, dotted serviceAccount and ids up to int32', () => pipeline({
      agent: Agent.kubernetes({ containers: [podContainer({ securityContext: { user: 2 ** 31 + 7 } })], namespace: 'ci-agents', serviceAccount: 'jenkins.agent' }),
      options: [Option.retry(2 ** 31 - 1), Option.timeout(Duration.millis(2 ** 31 - 1))],
    }).app],
  ];
  test.each(valid)('accepts %s', (_name, build) => {
    expect(() => render(build())).not.toThrow();
  });

  test('everything rendered in this file parses with Groovy 2.4', () => {
    expect(parseAllRendered()).toHaveLength(valid.length);
  });
});
