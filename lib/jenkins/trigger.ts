import { show } from '../core';
import { Call, named, str, sym } from './ast';
import { Problems } from './problems';
import { CallArgs, callArgs, checkCallName } from './value';

/** A build result, for `upstream` thresholds. */
export class BuildResult {
  /** Only successful upstream builds. */
  public static readonly SUCCESS = new BuildResult('SUCCESS');
  /** Successful or unstable upstream builds. */
  public static readonly UNSTABLE = new BuildResult('UNSTABLE');
  /** Any completed upstream build, even failed. */
  public static readonly FAILURE = new BuildResult('FAILURE');

  private constructor(
    /** The `hudson.model.Result` constant. */
    public readonly value: string,
  ) {}
}

/** Props of {@link Trigger.upstream}. */
export interface UpstreamTriggerProps {
  /** Jobs whose completion triggers this one. */
  readonly projects: string[];
  /**
   * The worst upstream result that still triggers.
   * @default BuildResult.SUCCESS
   */
  readonly threshold?: BuildResult;
}

/** A `triggers` entry. */
export class Trigger {
  /** `cron`: build on a schedule (Jenkins cron: 5 fields, `H` hashing, `@daily` aliases, `#` comments). */
  public static cron(spec: string): Trigger {
    return new Trigger('cron', spec);
  }

  /** `pollSCM`: poll the repository on a schedule (same syntax as cron). */
  public static pollSCM(spec: string): Trigger {
    return new Trigger('pollSCM', spec);
  }

  /** `upstream`: build when other jobs complete. */
  public static upstream(props: UpstreamTriggerProps): Trigger {
    const t = new Trigger('upstream');
    if (props.projects.length === 0 || props.projects.some((x) => x.trim() === '' || x.includes(','))) {
      t.problems.add('upstream-projects', `upstream projects ${show(props.projects)} are empty or contain a comma`,
        'list one or more job names, each without commas');
    }
    t.args = named([['upstreamProjects', str(props.projects.join(','))],
      ['threshold', sym(`hudson.model.Result.${(props.threshold ?? BuildResult.SUCCESS).value}`)]]);
    return t;
  }

  /** Any other trigger a plugin provides, with named arguments, e.g. `Trigger.of('githubPush')`. */
  public static of(name: string, args: CallArgs = {}): Trigger {
    const t = new Trigger(name);
    checkCallName('trigger', name, t.problems);
    t.args = callArgs(`trigger ${show(name)}`, args, t.problems);
    return t;
  }

  private readonly problems = new Problems();
  private args: Call['args'] = [];

  private constructor(
    /** The trigger name (`cron`, `pollSCM`, `upstream`). */
    public readonly name: string,
    spec?: string,
  ) {
    if (spec !== undefined) {
      const err = cronError(spec);
      if (err) this.problems.add('cron-syntax', `${name} spec ${show(spec)} ${err}`, "write 5 fields like 'H */4 * * 1-5' or an alias like '@daily'");
      this.args = [{ value: str(spec) }];
    }
  }

  /** @internal */
  public _toCall(): Call {
    return { name: this.name, args: this.args, problems: this.problems.result };
  }
}

const ALIASES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

/** Checks Jenkins cron text (hudson.scheduler.CronTab): one spec per line; blank, `#` and `TZ=` lines allowed. */
export function cronError(spec: string): string | undefined {
  const lines = spec.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('TZ='));
  if (lines.length === 0) return 'has no schedule line';
  for (const line of lines) {
    if (ALIASES.has(line)) continue;
    const fields = line.split(/\s+/);
    if (fields.length !== 5) return `has ${fields.length} fields in ${show(line)} instead of 5`;
    for (let i = 0; i < 5; i++) {
      const [lo, hi] = RANGES[i];
      for (const part of fields[i].split(',')) {
        const m = /^(\*|H(?:\((\d+)-(\d+)\))?|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
        if (!m) return `has an invalid field ${show(fields[i])}`;
        const nums = [m[2], m[3], m[4], m[5]].filter((x) => x !== undefined).map(Number);
        if (nums.some((n) => n < lo || n > hi)) return `has ${show(fields[i])} outside ${lo}-${hi}`;
        if (m[6] !== undefined && Number(m[6]) < 1) return `has a zero step in ${show(fields[i])}`;
      }
    }
  }
  return undefined;
}
