import { fail, Names, show } from '../core';
import { checkValue } from './refusals';

/** The type of a {@link Param}. */
export enum ParamType {
  /** Free text. */
  STRING = 'string',
  /** `true` / `false`. */
  BOOLEAN = 'boolean',
  /** One of a fixed list; the first is the default. */
  CHOICE = 'choice',
}

/** Options of every param factory. */
export interface ParamOptions {
  /**
   * Shown to people starting a run.
   * @default - none
   */
  readonly description?: string;
}

/** Options of {@link Param.string}. */
export interface StringParamOptions extends ParamOptions {
  /**
   * Default value.
   * @default ''
   */
  readonly default?: string;
}

/** Options of {@link Param.boolean}. */
export interface BooleanParamOptions extends ParamOptions {
  /**
   * Default value.
   * @default false
   */
  readonly default?: boolean;
}

/**
 * A typed run parameter. Steps read it as an environment variable of the same name on every backend
 * (Jenkins exposes build parameters as env vars; Tekton gets `env: [{name, value: $(params.NAME)}]`, never
 * `$(params…)` in a script). Conditions use it through `When.paramEquals()`.
 */
export class Param {
  /** A free-text parameter. */
  public static string(name: string, options: StringParamOptions = {}): Param {
    return new Param(name, ParamType.STRING, options.default ?? '', [], options.description);
  }

  /** A boolean parameter (`'true'`/`'false'` in env and conditions). */
  public static boolean(name: string, options: BooleanParamOptions = {}): Param {
    return new Param(name, ParamType.BOOLEAN, String(options.default ?? false), ['true', 'false'], options.description);
  }

  /** A choice among `choices`; the first is the default (as in Jenkins). */
  public static choice(name: string, choices: string[], options: ParamOptions = {}): Param {
    return new Param(name, ParamType.CHOICE, choices[0] ?? '', [...choices], options.description, () => {
      if (choices.length === 0) {
        fail(undefined, 'param-choices', `choice param ${show(name)} has no choices`, 'list at least one choice; the first is the default');
      }
      if (new Set(choices).size !== choices.length) {
        fail(undefined, 'param-choices', `choice param ${show(name)} repeats a choice in ${show(choices)}`, 'list each choice once');
      }
    });
  }

  private constructor(
    /** Name: an identifier (also the env var name). */ public readonly name: string,
    /** Type. */ public readonly type: ParamType,
    /** Default value, as text. */ public readonly defaultValue: string,
    /** Allowed values (choice and boolean); empty for free text. */ public readonly choices: string[],
    /** Description, if any. */ public readonly description: string | undefined,
    checks: () => void = () => undefined,
  ) {
    checkValue(this, () => {
      Names.assertIdentifier(undefined, 'param name', name);
      if (RESERVED_ENV.has(name)) {
        fail(undefined, 'param-name-reserved', `param name ${show(name)} is set by the CI engine`, 'choose another name');
      }
      checks();
    });
  }

  /** True if `value` is a value this param can take. */
  public accepts(value: string): boolean {
    return this.choices.length === 0 || this.choices.includes(value);
  }
}

/** Env var names Jenkins or this model set themselves; user params, env and secrets must not shadow them. */
export const RESERVED_ENV = new Set([
  'PATH', 'HOME', 'WORKSPACE', 'BUILD_NUMBER', 'BUILD_ID', 'BUILD_URL', 'JOB_NAME', 'BRANCH_NAME', 'TAG_NAME',
  'NODE_NAME', 'JENKINS_URL', 'GIT_COMMIT', 'GIT_BRANCH', 'GIT_URL', 'SOURCE_URL', 'SOURCE_REVISION',
  'SOURCE_BRANCH', 'SOURCE_TAG', 'STEP_TEST_RESULTS', 'STEP_ARTIFACTS',
]);
