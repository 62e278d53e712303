import { synthFiles } from '../../lib';
import {
  Agent, CleanWsPattern, Credential, EnvValue, JunitStdioRetention, Option, Ref, RetryCondition, Step, Text, Tool,
  Trigger, Value, When,
} from '../../lib/jenkins';
import { parseGroovy } from '../support/groovy';
import { parseGroovyTree } from '../support/groovy-tree';
import { parseAllRendered, pipeline, render, ruleError } from './helpers';

const sh = (s = 'make'): Step => Step.sh(s);
const ok = { steps: [sh()] };
const withSteps = (...steps: Step[]) => pipeline({}, (jf) => { jf.addStage('B', { steps }); }).app;

/** The defects found while rebuilding real Jenkinsfiles: one test per rule, named after it. */
describe('names that always parse', () => {
  test.each([
    ['Step.call("def")', () => withSteps(Step.call('def'))],
    ['Step.call("in")', () => withSteps(Step.call('in', { x: 1 }))],
    ['Step.call("null")', () => withSteps(Step.call('null'))],
    ['Step.call("true")', () => withSteps(Step.call('true'))],
    ['Option.of("class")', () => pipeline({ options: [Option.of('class')] }).app],
    ['Trigger.of("import")', () => pipeline({ triggers: [Trigger.of('import')] }).app],
    ['Value.call("new") inside a step argument', () => withSteps(Step.call('emailext', { recipientProviders: [Value.call('new')] }))],
  ])('rule groovy-keyword: %s fails', (_what, build) => {
    expect(ruleError('groovy-keyword', build)).toContain('is a Groovy keyword or literal');
  });

  test('a capitalised tool type is written as a call, which parses (Go("1.22"), not Go \'1.22\')', () => {
    const text = render(pipeline({ tools: [Tool.of('Go', '1.22')] }).app);
    expect(text).toContain("Go('1.22')");
  });
});

describe('lone UTF-16 surrogates are escaped, never replaced by U+FFFD', () => {
  test('in a script, a GString part and a label, Groovy reads back the same code units', () => {
    const lone = ['\ud83d', 'a\ude00b', '\udbff\udbff', '\\\ud800'];
    const { app } = pipeline({}, (jf) => {
      jf.addStage('S', { steps: lone.flatMap((s) => [Step.sh(s, { label: `l${s}` }), Step.echo(Text.of(s, Ref.env('X'))), Step.sh(`${s}\nx`)]) });
    });
    const text = render(app);
    expect(text).not.toContain('\ufffd');
    expect(text).toContain("'\\uD83D'");
    const r = parseGroovy({ t: text }, { literals: true }).t;
    for (const s of lone) {
      expect(r.literals).toContain(s);
      expect(r.literals).toContain(`l${s}`);
      expect(r.literals).toContain(`${s}\nx`);
    }
  });

  test('rule lone-surrogate: a script block with a lone surrogate fails (raw Groovy is not escaped)', () => {
    ruleError('lone-surrogate', () => withSteps(Step.script('echo "\ud83d"')));
  });
});

describe('secret-in-gstring follows scope', () => {
  test('a variable bound only by another stage\'s withCredentials is not a secret here', () => {
    const { app } = pipeline({}, (jf) => {
      jf.addStage('foo', { steps: [Step.withCredentials([Credential.string({ credentialsId: 't', variable: 'TOKEN' })], [sh('use "$TOKEN"')])] });
      jf.addStage('bar', { steps: [Step.echo(Text.of('token name: ', Ref.env('TOKEN')))] });
      jf.addStage('baz', { environment: { KEY: EnvValue.credentials('k') }, steps: [sh()] });
      jf.addStage('qux', { steps: [Step.echo(Text.of(Ref.env('KEY')))] });
    });
    expect(() => render(app)).not.toThrow();
  });

  test('rule secret-in-gstring: still fails inside the binding stage, its withCredentials block and its environment', () => {
    ruleError('secret-in-gstring', () => pipeline({}, (jf) => {
      jf.addStage('foo', { steps: [Step.withCredentials([Credential.string({ credentialsId: 't', variable: 'TOKEN' })], [Step.sh(Text.of('curl -H ', Ref.env('TOKEN')))])] });
    }).app);
    ruleError('secret-in-gstring', () => pipeline({}, (jf) => {
      jf.addStage('baz', { environment: { KEY: EnvValue.credentials('k'), COPY: EnvValue.text(Text.of(Ref.env('KEY_PSW'))) }, steps: [sh()] });
    }).app);
    ruleError('secret-in-gstring', () => pipeline({ environment: { KEY: EnvValue.credentials('k') } }, (jf) => {
      jf.addStage('later', { steps: [Step.call('httpRequest', { customHeaders: [{ name: 'auth', value: Text.of(Ref.env('KEY')) }] })] });
    }).app);
  });
});

test('rule agent-none-needs-node: reported once per step', () => {
  const app = pipeline({ agent: Agent.none() }, (jf) => { jf.addStage('B', ok); }).app;
  let message = '';
  try { synthFiles(app); } catch (e) { message = (e as Error).message; }
  expect(message.split('\n').filter((l) => l.includes('(rule: agent-none-needs-node)'))).toHaveLength(1);
});

describe('When.changelog checks Java regex syntax', () => {
  test.each(['.*+\\[skip\\]', '(?>foo)bar', '^(?s)(?!.*\\[release\\]).*$', 'a(?i)b', '\\Qa(b\\E', '[a-z&&[^e]]+', '(?<v>\\d+)'])('accepts %s', (re) => {
    expect(() => render(pipeline({}, (jf) => { jf.addStage('A', { ...ok, when: When.changelog(re) }); }).app)).not.toThrow();
  });
  test.each(['(a', 'a)', '*a', 'a**', '[a', '(?q)x', 'a\\'])('rule when-changelog-regex: %s fails', (re) => {
    ruleError('when-changelog-regex', () => pipeline({}, (jf) => { jf.addStage('A', { ...ok, when: When.changelog(re) }); }).app);
  });
});

describe('small step options', () => {
  test('cleanWs options, retry conditions, milestone label, junit stdioRetention and script blocks of typed steps', () => {
    const text = render(withSteps(
      Step.cleanWs({ deleteDirs: true, disableDeferredWipeout: true, notFailBuild: true,
        patterns: [CleanWsPattern.include('.gitignore'), CleanWsPattern.exclude('.propsfile')] }),
      Step.retry(3, [sh()], { conditions: [RetryCondition.agent(), RetryCondition.nonresumable(), RetryCondition.kubernetesAgent()] }),
      Step.milestone(2, { label: 'deploy' }),
      Step.junit('**/TEST-*.xml', { stdioRetention: JunitStdioRetention.FAILED, skipMarkingBuildUnstable: true }),
      Step.script([Step.stage('inner', [sh('x')]), Step.parallel({ a: [sh('a')], b: [sh('b')] })]),
    ));
    const tree = parseGroovyTree({ t: text }).t.tree!;
    const steps = tree[0].children!.find((c) => c.name === 'stages')!.children![0].children![0].children!;
    expect(steps.map((s) => s.name)).toEqual(['cleanWs', 'retry', 'milestone', 'junit', 'script']);
    expect(steps[0].named).toEqual({ deleteDirs: true, disableDeferredWipeout: true, notFailBuild: true,
      patterns: [{ pattern: '.gitignore', type: 'INCLUDE' }, { pattern: '.propsfile', type: 'EXCLUDE' }] });
    expect(steps[1].named).toEqual({ count: 3, conditions: [{ call: { name: 'agent', args: [] } }, { call: { name: 'nonresumable', args: [] } },
      { call: { name: 'kubernetesAgent', args: [] } }] });
    expect(steps[2].named).toEqual({ ordinal: 2, label: 'deploy' });
    expect(steps[3].named).toMatchObject({ stdioRetention: 'failed', skipMarkingBuildUnstable: true });
    expect(steps[4].children!.map((c) => c.name)).toEqual(['stage', 'parallel']);
  });

  test('rule retry-conditions-empty: an empty conditions list never retries', () => {
    ruleError('retry-conditions-empty', () => withSteps(Step.retry(2, [sh()], { conditions: [] })));
  });
  test('rule junit-stdio-exclusive: keepLongStdio and stdioRetention together fail', () => {
    ruleError('junit-stdio-exclusive', () => withSteps(Step.junit('x.xml', { keepLongStdio: true, stdioRetention: JunitStdioRetention.ALL })));
  });
  test('rule step-blocked: a Scripted stage directly in Declarative steps fails, inside script { } it is fine', () => {
    ruleError('step-blocked', () => withSteps(Step.stage('x', [sh()])));
    ruleError('step-blocked', () => withSteps(Step.node('linux', [sh()])));
    ruleError('step-blocked', () => withSteps(Step.ifThen(Value.expression('params.X'), [sh()])));
    ruleError('step-blocked', () => withSteps(Step.define('X', 1)));
    ruleError('step-blocked', () => withSteps(Step.forIn('x', ['a'], [sh()])));
    expect(() => render(withSteps(Step.script([Step.node('linux', [sh()]), Step.define('X', Value.expression('params.N')),
      Step.ifThen(Value.ref(Ref.param('DEPLOY')), [sh()])])))).not.toThrow();
  });
  test('rule value-depth: a cyclic argument tree fails instead of overflowing', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    ruleError('value-depth', () => withSteps(Step.call('x', a as never)));
  });
  test('rule identifier: a map key that is not an identifier fails', () => {
    ruleError('identifier', () => withSteps(Step.call('x', { m: { 'a-b': 1 } })));
  });
});

test('every Jenkinsfile rendered in this file parses with Groovy 2.4', () => {
  expect(parseAllRendered().length).toBeGreaterThan(5);
});
