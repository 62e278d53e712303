import { Duration, jenkinsTime, show } from '../core';
import { Arg, Call, Expr, list, named, num, optBool, str, textOrStr } from './ast';
import { Ref, Text, isGroovyKeyword } from './groovy';
import { Problems } from './problems';
import { checkRawGroovy } from './raw-groovy';
import type { Step } from './step';

/**
 * An argument value of a plugin step, option or trigger: text, a number, a boolean, a {@link Text} read at run
 * time, a {@link Value} (a nested call, a reference or a Groovy expression), a list (`[…]`) or a map (`[key: …]`,
 * keys in the order given). Lists and maps nest, so any plugin's structured arguments can be written, e.g.
 * `{ patterns: [{ pattern: '.git', type: 'EXCLUDE' }] }` or `{ conditions: [Value.call('agent')] }`.
 */
export type StepArgValue = string | number | boolean | Text | Value | readonly StepArgValue[] | { readonly [key: string]: StepArgValue };

/** Options of {@link Value.stepResult}. */
export interface StepResultOptions {
  /**
   * Chain `.trim()` on the result (the usual way to read a command's output without its line end).
   * @default false
   */
  readonly trim?: boolean;
}

/** Named (`{ key: value }`) or positional (`[value, …]`) arguments of a call. */
export type CallArgs = { readonly [key: string]: StepArgValue } | readonly StepArgValue[];

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Deeper trees are refused: they are almost certainly a cycle. */
const MAX_DEPTH = 32;

/**
 * A value in a step's argument tree that is not plain data: a nested call such as `junitPublisher()` or
 * `sshPublisherDesc(configName: 'x', …)`, a bare reference such as `params.RETRIES`, or a Groovy expression.
 */
export class Value {
  /**
   * `name(args)`: a nested call used as a value, e.g. `Value.call('developers')` → `developers()` or
   * `Value.call('sshTransfer', { sourceFiles: 'dist/**' })`. Positional arguments are given as an array.
   */
  public static call(name: string, args: CallArgs = {}): Value {
    return new Value((p) => ({ k: 'call', call: toCall('value', name, args, p) }));
  }

  /** A bare reference, e.g. `Value.ref(Ref.param('RETRIES'))` → `params.RETRIES` (not inside a string). */
  public static ref(ref: Ref): Value {
    return new Value((p) => {
      if (!NAME.test(ref.name) || isGroovyKeyword(ref.name)) {
        p.add('identifier', `reference ${show(ref.name)} is not a valid identifier`, 'use the name of a variable, parameter or property');
      }
      return { k: 'sym', name: ref.toGroovy() };
    });
  }

  /**
   * A Groovy expression written as is (escape hatch), e.g. `Value.expression("readMavenPom().getArtifactId()")`.
   * Never build it from untrusted text; its brackets and strings must balance (checked).
   */
  public static expression(groovy: string): Value {
    return new Value((p) => {
      for (const v of checkRawGroovy('expression', groovy) ?? []) p.add(v.rule, v.message, v.fix);
      return { k: 'raw', code: groovy };
    });
  }

  /**
   * What a step returns, as a value: `Value.stepResult(Step.sh('git rev-parse HEAD', { returnStdout: true }), { trim: true })`
   * → `sh(script: 'git rev-parse HEAD', returnStdout: true).trim()`, or `Value.stepResult(Step.call('readJSON', { file: 'package.json' }))`.
   * Steps with a block and Scripted structure have no result.
   */
  public static stepResult(step: Step, options: StepResultOptions = {}): Value {
    return new Value((p) => {
      const c = step._toCall();
      if (c.block || c.raw !== undefined || c.scriptedOnly || c.branches) {
        p.add('step-result', `step ${show(c.name)} has a block or is Scripted structure, so it has no result to use as a value`,
          "use a step that returns a value, e.g. Step.sh(script, { returnStdout: true }) or Step.call('readFile', { file: 'VERSION' })");
      }
      const shell = ['sh', 'bat', 'powershell', 'pwsh'].includes(c.name);
      const stdout = c.args.some((a) => a.key === 'returnStdout' && a.value.k === 'bool' && a.value.v);
      if (options.trim && shell && !stdout) {
        p.add('step-result-trim', `${c.name} returns ${c.args.some((a) => a.key === 'returnStatus') ? 'its exit status (a number)' : 'nothing'} without returnStdout, so .trim() fails at run time`,
          `give Step.${c.name}(script, { returnStdout: true }), or leave trim out`);
      }
      return { k: 'call', call: c, trim: options.trim || undefined };
    });
  }

  private constructor(private readonly build: (p: Problems) => Expr) {}

  /** @internal */
  public _toExpr(p: Problems): Expr {
    return this.build(p);
  }
}

/** The expression of one argument value (recursively), recording bad names and cycles in `p`. @internal */
export function valueExpr(v: StepArgValue, p: Problems, depth = 0): Expr {
  if (depth > MAX_DEPTH) {
    p.add('value-depth', `argument tree is deeper than ${MAX_DEPTH} levels (a cycle?)`, 'pass a finite tree of lists and maps');
    return list([]);
  }
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return { k: 'bool', v };
  if (v instanceof Text) return textOrStr(v);
  if (v instanceof Value) return v._toExpr(p);
  if (Array.isArray(v)) return list((v as readonly StepArgValue[]).map((x) => valueExpr(x, p, depth + 1)));
  const entries = Object.keys(v as object).map((k): readonly [string, Expr] => {
    if (!NAME.test(k)) p.add('identifier', `map key ${show(k)} is not an identifier`, 'use the parameter name the plugin expects');
    return [k, valueExpr((v as Record<string, StepArgValue>)[k], p, depth + 1)];
  });
  return { k: 'map', entries };
}

/** Checks a call name: an identifier (emitted as a method name, never escaped) and not a Groovy keyword. @internal */
export function checkCallName(what: string, name: string, p: Problems): void {
  if (!NAME.test(name)) {
    p.add('step-name', `${what} name ${show(name)} is not an identifier`, "use the plugin's symbol, e.g. \"slackSend\"");
  } else if (isGroovyKeyword(name)) {
    p.add('groovy-keyword', `${what} name ${show(name)} is a Groovy keyword or literal, so the call would not parse as written`,
      "use the plugin's symbol (step, option and trigger symbols are never Groovy keywords)");
  }
}

/**
 * Arguments of a generic call: named ones sorted by name for stable output, positional ones in order.
 * @internal
 */
export function callArgs(what: string, args: CallArgs, p: Problems): Arg[] {
  if (Array.isArray(args)) return (args as readonly StepArgValue[]).map((a) => ({ value: valueExpr(a, p) }));
  const named = args as Record<string, StepArgValue>;
  const keys = Object.keys(named).sort();
  for (const k of keys) {
    if (!NAME.test(k)) p.add('identifier', `argument name ${show(k)} of ${what} is not an identifier`, 'use the parameter name');
  }
  return keys.map((k) => ({ key: k, value: valueExpr(named[k], p) }));
}

function toCall(what: string, name: string, args: CallArgs, p: Problems): Call {
  checkCallName(what, name, p);
  return { name, args: callArgs(`${what} ${show(name)}`, args, p) };
}

/**
 * `time: n, unit: 'UNIT'` of the `timeout` and `sleep` steps and the `timeout` option, in the largest unit that holds
 * the duration exactly. A refused duration and a count beyond Java's `int` (`number-range`) are recorded in `p`.
 * @internal
 */
export function timeArgs(what: string, time: Duration, p: Problems): { readonly millis?: number; readonly args: Arg[] } {
  const millis = p.duration(time);
  const t = millis === undefined ? { time: 0, unit: 'SECONDS' } : jenkinsTime(time);
  p.wholeNumber(`${what} time (in ${t.unit})`, t.time, 0);
  return { millis, args: named([['time', num(t.time)], ['unit', str(t.unit)]]) };
}

/** The `timeout` step's and option's arguments; a zero timeout is `timeout-positive`. @internal */
export function timeoutArgs(time: Duration, activity: boolean | undefined, p: Problems): Arg[] {
  const { millis, args } = timeArgs('timeout', time, p);
  if (millis === 0) p.add('timeout-positive', 'timeout 0s is not positive', 'use a duration above zero');
  return [...args, ...named([['activity', optBool(activity)]])];
}
