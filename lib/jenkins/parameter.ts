import { show } from '../core';
import { Call, list, named, optBool, optStr, str } from './ast';
import { Problems } from './problems';

/** Common props of build parameters. */
export interface ParameterBaseProps {
  /** The parameter name; read as `params.NAME`. Must be an identifier. */
  readonly name: string;
  /**
   * Shown next to the field in "Build with Parameters".
   * @default - none
   */
  readonly description?: string;
}

/** Props of {@link Parameter.string} and {@link Parameter.text}. */
export interface StringParameterProps extends ParameterBaseProps {
  /**
   * The default value.
   * @default - empty
   */
  readonly defaultValue?: string;
  /**
   * Trim whitespace from the value (string parameters only).
   * @default false
   */
  readonly trim?: boolean;
}

/** Props of {@link Parameter.booleanParam}. */
export interface BooleanParameterProps extends ParameterBaseProps {
  /**
   * The default value.
   * @default false
   */
  readonly defaultValue?: boolean;
}

/** Props of {@link Parameter.choice}. */
export interface ChoiceParameterProps extends ParameterBaseProps {
  /** The choices; the first one is the default. */
  readonly choices: string[];
}

/** Props of {@link Parameter.password}. */
export interface PasswordParameterProps extends ParameterBaseProps {
  /**
   * The default value (stored as a secret).
   * @default - empty
   */
  readonly defaultValue?: string;
}

/** A build parameter, for the pipeline's `parameters` or an `input`'s `parameters`. */
export class Parameter {
  /** `string(...)`: a one-line text field. */
  public static string(props: StringParameterProps): Parameter {
    return new Parameter('string', props.name, [['defaultValue', optStr(props.defaultValue)],
      ['description', optStr(props.description)], ['trim', optBool(props.trim)]]);
  }

  /** `text(...)`: a multi-line text field. */
  public static text(props: StringParameterProps): Parameter {
    return new Parameter('text', props.name, [['defaultValue', optStr(props.defaultValue)],
      ['description', optStr(props.description)]]);
  }

  /** `booleanParam(...)`: a checkbox. */
  public static booleanParam(props: BooleanParameterProps): Parameter {
    return new Parameter('booleanParam', props.name, [['defaultValue', optBool(props.defaultValue)],
      ['description', optStr(props.description)]]);
  }

  /** `choice(...)`: a drop-down; the first choice is the default. */
  public static choice(props: ChoiceParameterProps): Parameter {
    const p = new Parameter('choice', props.name, [['choices', list(props.choices.map(str))],
      ['description', optStr(props.description)]]);
    if (props.choices.length === 0) {
      p.problems.add('choice-parameter-empty', `choice parameter ${show(props.name)} has no choices`,
        'give at least one choice (the first is the default)');
    }
    const dup = props.choices.find((c, i) => props.choices.indexOf(c) !== i);
    if (dup !== undefined) {
      p.problems.add('choice-parameter-duplicate', `choice parameter ${show(props.name)} lists ${show(dup)} twice`,
        'list each choice once');
    }
    return p;
  }

  /** `password(...)`: a masked field whose value is a secret. */
  public static password(props: PasswordParameterProps): Parameter {
    return new Parameter('password', props.name, [['defaultValue', optStr(props.defaultValue)],
      ['description', optStr(props.description)]]);
  }

  /** The parameter name. */
  public readonly name: string;
  /** The parameter type (`string`, `choice`, …). */
  public readonly type: string;
  private readonly problems = new Problems();
  private readonly entries: Array<[string, ReturnType<typeof optStr>]>;

  private constructor(type: string, name: string, entries: Array<[string, ReturnType<typeof optStr>]>) {
    this.type = type;
    this.name = name;
    this.entries = entries;
    this.problems.identifier(`${type} parameter name`, name);
  }

  /** @internal */
  public _toCall(): Call {
    return { name: this.type, args: named([['name', str(this.name)], ...this.entries]), problems: this.problems.result };
  }
}
