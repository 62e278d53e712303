/**
 * Property test of the Jenkins layer's value rules: type-correct props with edge values (fixed seed, bounded) either
 * synthesize to a Jenkinsfile that Groovy 2.4 parses and that holds the input values exactly (string literals read
 * back by Groovy, the agent pod read back from its YAML literal and checked strictly), or are refused with a
 * construct path. 0 exceptions. All accepted files are parsed in one Groovy run.
 */
import { Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as kplus from 'cdk8s-plus-28';
import { parse as parseYaml } from 'yaml';
import { Duration, synthFiles } from '../../lib';
import {
  Agent, ContainerTemplate, EnvValue, Option, Parameter, PodSecurity, ScriptedJenkinsfile, Step, Tool, Trigger,
} from '../../lib/jenkins';
import { Jenkinsfile } from '../../lib/jenkins/jenkinsfile';
import { formatProblems } from '../../lib/testing/problem';
import { validateDocuments } from '../../lib/testing/validate';
import { parseGroovy } from '../../lib/testing/groovy';
import {
  expectTally, FieldGen, SEED, Tally, edgeEnvName, edgeImage, edgeInt, edgeKey, edgeLabelValue, edgeName, judge, same, tally, withEdges,
} from '../core/value-properties';

/** Free text (stage names, scripts, values): quotes, `$`, backslashes, newlines, CR, unicode, Groovy look-alikes. */
const edgeText: FieldGen<string> = {
  valid: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _.-]{0,10}$/),
  edge: fc.constantFrom('', ' ', 'a b', "it's", 'say "hi"', '$HOME', '${env.X}', '"${x}"', 'back\\slash', '\\u0027', 'end\\',
    'line1\nline2', 'cr\rlf', "'''", '"""', 'ünïcødé', '🚀 ship', 'tab\there', 'a'.repeat(64), 'Upper_Case', '*/', '#!/bin/sh\necho $X'),
};
/** Groovy identifiers (Jenkins environment and parameter names) and the forms Declarative refuses. */
const edgeIdentifier: FieldGen<string> = {
  valid: edgeEnvName.valid,
  edge: fc.oneof(edgeEnvName.edge, fc.constantFrom('def', 'in', 'null', '_x', 'a'.repeat(64), 'Upper_Case')),
};
/** Durations in seconds: fractions, NaN and Infinity reach `Duration.seconds`. */
const edgeSeconds = edgeInt(fc.integer({ min: 1, max: 7200 }));
const edgeCount = edgeInt(fc.integer({ min: 1, max: 50 }));

const declarative = withEdges({
  stage: edgeText, nested: edgeText, envName: edgeIdentifier, envValue: edgeText, script: edgeText, tool: edgeText,
  paramName: edgeIdentifier, paramDefault: edgeText, quietPeriod: edgeInt(), numToKeep: edgeCount, timeout: edgeSeconds,
  timeoutMinutes: edgeCount, retry: edgeCount, stepRetry: edgeCount, milestone: edgeInt(), health: edgeInt(),
  container: edgeName, image: edgeImage, containerEnv: edgeEnvName, labelKey: edgeKey, labelValue: edgeLabelValue,
  namespace: edgeName, serviceAccount: edgeName, idleMinutes: edgeInt(), agentRetries: edgeCount, deadline: edgeSeconds,
  stashes: edgeCount, sleepMillis: edgeInt(fc.integer({ min: 0, max: 90_000 })),
  cron: { valid: fc.constantFrom('H */4 * * 1-5', '@daily', 'H H(0-7) * * *'), edge: fc.constantFrom('', '* * *', '60 * * * *', 'H/0 * * * *') },
});
type DeclarativeInput = typeof declarative extends fc.Arbitrary<infer T> ? T : never;

const scripted = withEdges({
  stage: edgeText, name: edgeName, image: edgeImage, envName: edgeEnvName, envValue: edgeText, runAsUser: edgeInt(fc.integer({ min: 1000, max: 2 ** 31 + 5 })),
  cpu: { valid: fc.constantFrom('100m', '1', '1.5', '2'), edge: fc.constantFrom('NaN', '-1', '1 Gi', '', '1e3', 'Infinity', '0') },
  memory: { valid: fc.constantFrom('256Mi', '1Gi', '512M'), edge: fc.constantFrom('lots', '-1Gi', ' 1Gi', '1GiB') },
  timeout: edgeSeconds, retry: edgeCount,
});
type ScriptedInput = typeof scripted extends fc.Arbitrary<infer T> ? T : never;

/** What an accepted input must hold, checked after the one Groovy run. */
interface Accepted {
  readonly label: string;
  readonly text: string;
  /** Strings that must each be a string literal of the file, exactly. */
  readonly literals: readonly string[];
  /** Checks the agent pod read back from the file's YAML literal. */
  readonly pod?: (pod: any) => void;
}

/** A number as the writer must print it (the first match of `pattern`). */
function number(text: string, what: string, pattern: RegExp, expected: number): void {
  const m = pattern.exec(text);
  same(what, m ? Number(m[1]) : undefined, expected);
}

const UNIT_MILLIS: Record<string, number> = { DAYS: 86_400_000, HOURS: 3_600_000, MINUTES: 60_000, SECONDS: 1000, MILLISECONDS: 1 };

/** `step(time: n, unit: 'UNIT')` read back as milliseconds. */
function timeMillis(text: string, step: string, what: string, expected: number): void {
  const m = new RegExp(`${step}\\(time: (\\d+), unit: '([A-Z]+)'\\)`).exec(text);
  same(what, m ? Number(m[1]) * UNIT_MILLIS[m[2]] : undefined, expected);
}

function buildDeclarative(v: DeclarativeInput): App {
  const app = Testing.app();
  const jf = new Jenkinsfile(app, 'ci', {
    agent: Agent.kubernetes({
      containers: [{ name: v.container, image: v.image, command: ['cat'], tty: true, envVariables: { [v.containerEnv]: kplus.EnvValue.fromValue('1') },
        resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(256) } } }],
      pod: (pod) => pod.metadata.addLabel(v.labelKey, v.labelValue),
      namespace: v.namespace, serviceAccount: v.serviceAccount, idleMinutes: v.idleMinutes, retries: v.agentRetries, activeDeadlineSeconds: v.deadline,
    }),
    environment: { [v.envName]: EnvValue.of(v.envValue) },
    options: [Option.quietPeriod(v.quietPeriod), Option.buildDiscarder({ numToKeep: v.numToKeep }), Option.timeout(Duration.seconds(v.timeout)),
      Option.preserveStashes(v.stashes)],
    parameters: [Parameter.string({ name: v.paramName, defaultValue: v.paramDefault })],
    triggers: [Trigger.cron(v.cron)],
    tools: [Tool.maven(v.tool)],
  });
  jf.addStage(v.stage, { options: [Option.timeoutMinutes(v.timeoutMinutes), Option.retry(v.retry)] }).addStage(v.nested, {
    steps: [Step.container(v.container, [Step.retry(v.stepRetry, [Step.sh(v.script)])]), Step.milestone(v.milestone), Step.sleep(Duration.millis(v.sleepMillis)),
      Step.junit('reports/*.xml', { healthScaleFactor: v.health })],
  });
  return app;
}

function checkDeclarative(v: DeclarativeInput, text: string): Accepted['pod'] {
  number(text, 'quietPeriod', /quietPeriod (\d+)\n/, v.quietPeriod);
  timeMillis(text, 'timeout', 'option timeout', v.timeout * 1000);
  timeMillis(text, 'sleep', 'sleep', v.sleepMillis);
  number(text, 'preserveStashes', /preserveStashes\(buildCount: (\d+)\)/, v.stashes);
  number(text, 'activeDeadlineSeconds', /activeDeadlineSeconds (\d+)/, v.deadline);
  number(text, 'stage timeout minutes', /timeout (\d+)\n/, v.timeoutMinutes);
  number(text, 'option retry', /retry (\d+)\n/, v.retry);
  number(text, 'step retry', /retry\((\d+)\) \{/, v.stepRetry);
  number(text, 'milestone', /milestone\(ordinal: (\d+)\)/, v.milestone);
  number(text, 'healthScaleFactor', /healthScaleFactor: (-?[\d.e+]+)/, v.health);
  number(text, 'idleMinutes', /idleMinutes (\d+)/, v.idleMinutes);
  number(text, 'agent retries', /retries (\d+)/, v.agentRetries);
  return (pod) => {
    const c = pod.spec.containers[0];
    same('container name', c.name, v.container);
    same('image', c.image, v.image);
    same('container env', c.env, [{ name: v.containerEnv, value: '1' }]);
    same('pod labels', pod.metadata?.labels, { [v.labelKey]: v.labelValue });
  };
}

function buildScripted(v: ScriptedInput): App {
  const app = Testing.app();
  const template = ContainerTemplate.of({ name: v.name, image: v.image, command: 'cat', ttyEnabled: true, runAsUser: v.runAsUser,
    resourceRequestCpu: v.cpu, resourceRequestMemory: v.memory, envVars: { [v.envName]: v.envValue } });
  new ScriptedJenkinsfile(app, 'ci', { steps: [Step.podTemplate({ containerTemplates: [template], podSecurity: PodSecurity.baseline('templates have no seccomp field') }, [
    Step.stage(v.stage, [Step.container(v.name, [Step.timeout(Duration.seconds(v.timeout), [Step.retry(v.retry, [Step.sh('make')])])])]),
  ])] });
  return app;
}

type App = ReturnType<typeof Testing.app>;

/** The inputs of one property: its tally and the accepted files still to be read back by Groovy. */
interface Property {
  readonly t: Tally;
  readonly accepted: Accepted[];
}

/** Runs `numRuns` inputs through `build`, recording the refusals and the accepted files. */
function generate<T>(arb: fc.Arbitrary<T>, numRuns: number, build: (v: T) => App, check: (v: T, text: string) => Omit<Accepted, 'label' | 'text'>): Property {
  const t = tally();
  const accepted: Accepted[] = [];
  fc.assert(fc.property(arb, (v) => {
    const label = `input ${t.inputs}: ${JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x))}`;
    let text = '';
    judge(t, label, () => {
      text = synthFiles(build(v))['jenkins/ci.Jenkinsfile'];
      return [];
    }, () => accepted.push({ label, text, ...check(v, text) }));
  }), { seed: SEED, numRuns });
  return { t, accepted };
}

/** Reads every accepted file of every property back with Groovy 2.4 in one run; a file that does not hold its input is an exception. */
function readBack(properties: readonly Property[]): void {
  const all = properties.flatMap((x) => x.accepted.map((a) => ({ a, t: x.t })));
  const parsed = parseGroovy(Object.fromEntries(all.map(({ a }, i) => [String(i), a.text])), 'literals');
  all.forEach(({ a, t }, i) => {
    const r = parsed[String(i)];
    const fail = (why: string): void => {
      t.accepted--;
      t.exceptions.push(`${a.label}: accepted, but ${why}`);
    };
    if (!r.ok) return fail(`Groovy 2.4 rejects it: ${JSON.stringify(r.errors)}\n${a.text}`);
    const missing = a.literals.filter((x) => !r.literals!.includes(x));
    if (missing.length) return fail(`the literals ${JSON.stringify(missing)} are not in the file as written`);
    if (!a.pod) return undefined;
    const yaml = r.literals!.find((x) => x.startsWith('apiVersion: v1\nkind: Pod'));
    if (yaml === undefined) return fail('the pod YAML literal is missing');
    const pod = parseYaml(yaml);
    // The plugin names the pod; the strict core check wants a name.
    const problems = validateDocuments([{ ...pod, metadata: { name: 'agent', ...pod.metadata } }]);
    if (problems.length) return fail(`the agent pod fails the strict checks:\n${formatProblems(problems)}`);
    try {
      a.pod(pod);
    } catch (e) {
      fail(`altered: ${(e as Error).message}`);
    }
    return undefined;
  });
}


let declarativeRun: Property;
let scriptedRun: Property;

beforeAll(() => {
  declarativeRun = generate(declarative, 200, buildDeclarative, (v, text) => ({
    literals: [v.stage, v.nested, v.envValue, v.script, v.tool, v.paramName, v.paramDefault, v.cron, String(v.numToKeep), v.namespace, v.serviceAccount],
    pod: checkDeclarative(v, text),
  }));
  scriptedRun = generate(scripted, 150, buildScripted, (v, text) => {
    timeMillis(text, 'timeout', 'step timeout', v.timeout * 1000);
    number(text, 'step retry', /retry\((\d+)\)/, v.retry);
    return { literals: [v.stage, v.name, v.image, v.envName, v.envValue, String(v.runAsUser), v.cpu, v.memory] };
  });
  readBack([declarativeRun, scriptedRun]);
});

test('Jenkins Declarative: every generated input parses with Groovy 2.4 and is written exactly, or is refused with a construct path', () => {
  expectTally('jenkins declarative', declarativeRun.t);
});

test('Jenkins Scripted podTemplate: every generated input parses with Groovy 2.4 and is written exactly, or is refused with a construct path', () => {
  expectTally('jenkins scripted', scriptedRun.t);
});
