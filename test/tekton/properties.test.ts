/** Property tests: the DAG check, the reference scanner and the env pattern hold for generated inputs. */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { EnvValue, ParamValue, Pipeline, PipelineTask, Task, TaskRef } from '../../lib/tekton';
import { scanRefs } from '../../lib/tekton/expressions';
import { newChart, synth } from './helpers';

const IMG = 'docker.io/library/alpine:3.20';
const ref = TaskRef.named('t');

/** Edges i → j with j < i only: always acyclic. */
const dag = fc.integer({ min: 2, max: 12 }).chain((n) => fc.tuple(
  fc.constant(n),
  fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 }),
  fc.boolean(),
));

test('acyclic graphs never report dag-cycle; one back edge always does', () => {
  fc.assert(fc.property(dag, ([n, pairs, viaResult]) => {
    const chart = newChart();
    const p = new Pipeline(chart, 'p');
    const edges = pairs.filter(([a, b]) => a !== b).map(([a, b]) => (a > b ? [a, b] : [b, a]));
    const tasks: PipelineTask[] = [];
    for (let i = 0; i < n; i++) {
      const deps = edges.filter(([a]) => a === i).map(([, b]) => tasks[b]);
      const params = viaResult && deps.length ? { x: ParamValue.string(deps.map((d) => `${d.result('r')}`).join('-')) } : undefined;
      tasks.push(p.addTask(`t${i}`, { taskRef: ref, runAfter: viaResult ? [] : deps, params }));
    }
    expect(() => synth(chart)).not.toThrow();
    // Close a cycle: the first task now waits for the last one, which (transitively or directly) waits for it.
    tasks[n - 1].runAfter(tasks[0]);
    tasks[0].runAfter(tasks[n - 1]);
    expect(() => Testing.synth(chart)).toThrow(/rule: dag-cycle/);
  }), { numRuns: 40 });
});

test('the scanner finds every generated reference, in order, and never throws on any text', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
  fc.assert(fc.property(fc.array(fc.tuple(fc.string({ maxLength: 8 }).map((s) => s.replace(/\$/g, '')), name)), (parts) => {
    const text = parts.map(([pre, n]) => `${pre}$(params.${n})`).join('');
    expect(scanRefs(text).map((r) => r.parts[0])).toEqual(parts.map(([, n]) => n));
  }));
  fc.assert(fc.property(fc.string(), (s) => { scanRefs(s); }));
});

test('a dotted reference splits into the same parts as the bracket-aware parse of the same path with an index', () => {
  // `$(a.b)` takes the dots-only path of the parser, `$(a.b[0])` the general one: only the index may differ.
  fc.assert(fc.property(fc.stringMatching(/^[a-z.()-]{0,12}$/), (path) => {
    const [dotted] = scanRefs(`$(${path})`);
    const [indexed] = scanRefs(`$(${path}[0])`);
    if (dotted === undefined || indexed === undefined) return;
    expect({ prefix: dotted.prefix, parts: dotted.parts, index: dotted.index }).toEqual({ prefix: indexed.prefix, parts: indexed.parts, index: undefined });
  }), { numRuns: 300, seed: 14 });
});

test('params passed through env never appear in a rendered script, whatever their names and values', () => {
  const paramName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,12}$/).filter((n) => !/(passw|secret|token|key|credential)/i.test(n));
  fc.assert(fc.property(fc.uniqueArray(paramName, { minLength: 1, maxLength: 5, selector: (n) => n.toLowerCase() }), (names) => {
    const chart = newChart();
    const t = new Task(chart, 't');
    const env: Record<string, EnvValue> = {};
    names.forEach((n, i) => { env[`P${i}`] = EnvValue.fromExpression(t.addParam(n)); });
    t.addStep('s', { image: IMG, script: names.map((_, i) => `echo "$P${i}"`).join('\n'), env });
    const step = synth(chart)[0].spec.steps[0];
    expect(step.script).not.toContain('$(');
    expect(step.env.map((e: any) => e.value)).toEqual(names.map((n) => `$(params.${n})`));
  }), { numRuns: 30 });
});

/** Shell option prefixes that keep `-c` meaning "the next operand is code". */
const shellOpts = fc.array(fc.constantFrom(['-e'], ['-x'], ['-o', 'pipefail'], ['-eu'], ['+x'], ['--norc']), { maxLength: 3 })
  .map((xs) => xs.flat());
const shells = fc.constantFrom('sh', '/bin/sh', 'bash', '/usr/bin/bash', 'dash', 'zsh');

test('a param in the code of sh -c is always refused; the same param as a positional argument never is', () => {
  fc.assert(fc.property(shells, shellOpts, shellOpts, fc.boolean(), fc.string({ maxLength: 8 }).filter((s) => !s.includes('$')),
    (shell, before, after, splitArgs, text) => {
      const task = new Task(newChart(), 't');
      const who = task.addParam('who');
      const code = `echo ${text}${who}`;
      const argv = [shell, ...before, '-c', ...after, code];
      const cut = splitArgs ? 1 : argv.length;
      expect(() => task.addStep('bad', { image: IMG, command: argv.slice(0, cut), args: argv.slice(cut) })).toThrow(/rule: script-injection/);
      const safe = [shell, ...before, '-c', ...after, 'echo "$1"', 'sh', `${who}`];
      expect(() => task.addStep('good', { image: IMG, command: safe })).not.toThrow();
    }), { numRuns: 100 });
});
