import { Duration, show } from '../core';
import { Call, Expr, OptionAst, bool, list, named, num, optBool, optNum, str } from './ast';
import { Credential } from './credential';
import { Problems } from './problems';
import { CallArgs, callArgs, checkCallName, timeoutArgs } from './value';

/** Props of {@link Option.buildDiscarder} (`logRotator`). */
export interface BuildDiscarderProps {
  /**
   * Builds to keep.
   * @default - keep all builds
   */
  readonly numToKeep?: number;
  /**
   * Days to keep builds.
   * @default - keep builds of any age
   */
  readonly daysToKeep?: number;
  /**
   * Builds whose artifacts are kept.
   * @default - keep all artifacts
   */
  readonly artifactNumToKeep?: number;
  /**
   * Days to keep artifacts.
   * @default - keep artifacts of any age
   */
  readonly artifactDaysToKeep?: number;
}

/**
 * An `options` entry. Jenkins accepts job properties (e.g. `buildDiscarder`) only on the pipeline, while
 * wrappers (`timeout`, `retry`, `timestamps`, …) and `skipDefaultCheckout`/`checkoutToSubdirectory` also work on
 * stages; using a pipeline-only option on a stage is reported at synth.
 */
export class Option {
  /** `buildDiscarder(logRotator(...))`: how many builds and artifacts to keep. Pipeline only. */
  public static buildDiscarder(props: BuildDiscarderProps): Option {
    const p = new Problems();
    const keys = ['numToKeep', 'daysToKeep', 'artifactNumToKeep', 'artifactDaysToKeep'] as const;
    for (const k of keys) p.wholeNumber(`buildDiscarder ${k}`, props[k], 1);
    if (keys.every((k) => props[k] === undefined)) {
      p.add('build-discarder-empty', 'buildDiscarder keeps everything', 'set numToKeep, daysToKeep, artifactNumToKeep or artifactDaysToKeep');
    }
    // logRotator takes its counts as strings.
    const rotator: Call = { name: 'logRotator', args: named(keys.map((k): [string, Expr | undefined] =>
      [`${k}Str`, props[k] === undefined ? undefined : str(String(props[k]))])) };
    return new Option({ name: 'buildDiscarder', args: [{ value: { k: 'call', call: rotator } }], problems: p.result }, true, false);
  }

  /** `checkoutToSubdirectory`: check out into a sub-directory of the workspace. */
  public static checkoutToSubdirectory(dir: string): Option {
    const p = new Problems();
    p.nonEmpty('option-argument', 'checkoutToSubdirectory directory', dir, 'give a directory');
    return new Option({ name: 'checkoutToSubdirectory', args: [{ value: str(dir) }], problems: p.result }, true, true);
  }

  /** `disableConcurrentBuilds()`: one build of this branch at a time, optionally aborting the running one. */
  public static disableConcurrentBuilds(abortPrevious?: boolean): Option {
    return new Option({ name: 'disableConcurrentBuilds', args: named([['abortPrevious', optBool(abortPrevious)]]) }, true, false);
  }

  /** `disableResume()`: do not resume the build after a controller restart. */
  public static disableResume(): Option {
    return Option.flag('disableResume', false);
  }

  /** `disableRestartFromStage()`: hide "Restart from Stage". */
  public static disableRestartFromStage(): Option {
    return Option.flag('disableRestartFromStage', false);
  }

  /** `newContainerPerStage()`: with a docker/dockerfile agent, a fresh container for each stage. */
  public static newContainerPerStage(): Option {
    return Option.flag('newContainerPerStage', false);
  }

  /** `overrideIndexTriggers`: whether branch indexing triggers builds. */
  public static overrideIndexTriggers(enabled: boolean): Option {
    return new Option({ name: 'overrideIndexTriggers', args: [{ value: bool(enabled) }] }, true, false);
  }

  /** `preserveStashes()`: keep stashes of the last `buildCount` builds (1 to 50, Jenkins' limit) for restarts. */
  public static preserveStashes(buildCount?: number): Option {
    const p = new Problems();
    // PreserveStashesJobProperty refuses more than MAX_SAVED_STASHES = 50 when the build starts.
    p.wholeNumber('preserveStashes buildCount', buildCount, 1, { max: 50 });
    return new Option({ name: 'preserveStashes', args: named([['buildCount', optNum(buildCount)]]), problems: p.result }, true, false);
  }

  /** `quietPeriod`: seconds to wait before starting. */
  public static quietPeriod(seconds: number): Option {
    const p = new Problems();
    p.wholeNumber('quietPeriod', seconds, 0);
    return new Option({ name: 'quietPeriod', args: [{ value: num(seconds) }], problems: p.result }, true, false);
  }

  /** `retry`: retry the whole pipeline (or stage) up to `count` times on failure. */
  public static retry(count: number): Option {
    const p = new Problems();
    p.wholeNumber('retry count', count, 1);
    return new Option({ name: 'retry', args: [{ value: num(count) }], problems: p.result }, true, true);
  }

  /** `skipDefaultCheckout()`: do not check out the source automatically. */
  public static skipDefaultCheckout(): Option {
    return Option.flag('skipDefaultCheckout', true);
  }

  /** `skipStagesAfterUnstable()`: skip the remaining stages once the build is unstable. */
  public static skipStagesAfterUnstable(): Option {
    return Option.flag('skipStagesAfterUnstable', false);
  }

  /** `parallelsAlwaysFailFast()`: every `parallel` fails fast. */
  public static parallelsAlwaysFailFast(): Option {
    return Option.flag('parallelsAlwaysFailFast', false);
  }

  /** `timeout(time: n, unit: 'UNIT')`: abort after `time`. */
  public static timeout(time: Duration, activity?: boolean): Option {
    const p = new Problems();
    const args = timeoutArgs(time, activity, p);
    return new Option({ name: 'timeout', problems: p.result, args }, true, true);
  }

  /** `timeout(n)`: abort after `minutes` minutes (the numeric form real Jenkinsfiles use). */
  public static timeoutMinutes(minutes: number): Option {
    const p = new Problems();
    p.wholeNumber('timeout minutes', minutes, 1);
    if (minutes === 0) p.add('timeout-positive', 'timeout 0 minutes is not positive', 'use a duration above zero');
    return new Option({ name: 'timeout', args: [{ value: num(minutes) }], problems: p.result }, true, true);
  }

  /** `timestamps()`: prefix log lines with timestamps. */
  public static timestamps(): Option {
    return Option.flag('timestamps', true);
  }

  /** `ansiColor('xterm')`: render ANSI colours in the log (ansicolor plugin). */
  public static ansiColor(colorMap = 'xterm'): Option {
    return new Option({ name: 'ansiColor', args: [{ value: str(colorMap) }] }, true, true);
  }

  /** `lock(...)`: hold a lockable resource for the pipeline or stage (lockable-resources plugin). */
  public static lock(resource: string): Option {
    const p = new Problems();
    p.nonEmpty('option-argument', 'lock resource', resource, 'name the resource');
    return new Option({ name: 'lock', args: [{ value: str(resource) }], problems: p.result }, true, true);
  }

  /** `withCredentials([...])` as a wrapper around the whole pipeline or stage. */
  public static withCredentials(bindings: Credential[]): Option {
    const p = new Problems();
    if (bindings.length === 0) {
      p.add('credentials-bindings-empty', 'withCredentials has no bindings', 'add at least one Credential binding');
    }
    const calls = bindings.map((b) => b._toCall());
    return new Option({ name: 'withCredentials', args: [{ value: list(calls.map((call): Expr => ({ k: 'call', call }))) }],
      problems: p.result, binds: bindings.flatMap((b) => b.variables) }, true, true);
  }

  /**
   * Any other option a plugin provides (a job property or a wrapper step), with named arguments, e.g.
   * `Option.of('githubProjectProperty', { projectUrlStr: 'https://github.com/o/r' })`. Say whether Jenkins accepts
   * it in a stage (wrappers yes, job properties no).
   */
  public static of(name: string, args: CallArgs = {}, inStage = false): Option {
    const p = new Problems();
    checkCallName('option', name, p);
    if (name === 'parameters' || name === 'pipelineTriggers') {
      p.add('option-not-allowed', `the ${show(name)} job property can't be used in options`,
        `use the pipeline's ${name === 'parameters' ? 'parameters' : 'triggers'} instead`);
    }
    return new Option({ name, args: callArgs(`option ${show(name)}`, args, p), problems: p.result }, true, inStage);
  }

  private static flag(name: string, inStage: boolean): Option {
    return new Option({ name, args: [] }, true, inStage);
  }

  private constructor(private readonly call: Call, private readonly inPipeline: boolean, private readonly inStage: boolean) {}

  /** The option's name, e.g. `timeout`. */
  public get name(): string {
    return this.call.name;
  }

  /** @internal */
  public _toAst(): OptionAst {
    return { call: this.call, inPipeline: this.inPipeline, inStage: this.inStage };
  }
}
