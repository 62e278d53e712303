import { Call, textOrStr } from './ast';
import { Text } from './groovy';
import { Problems } from './problems';

/** A `tools` entry: a tool installation configured on the controller, put on the PATH. */
export class Tool {
  /** `maven 'name'`. */
  public static maven(name: string | Text): Tool {
    return new Tool('maven', name);
  }

  /** `jdk 'name'`. */
  public static jdk(name: string | Text): Tool {
    return new Tool('jdk', name);
  }

  /** `gradle 'name'`. */
  public static gradle(name: string | Text): Tool {
    return new Tool('gradle', name);
  }

  /** `nodejs 'name'` (NodeJS plugin). */
  public static nodejs(name: string | Text): Tool {
    return new Tool('nodejs', name);
  }

  /** Any other tool type provided by a plugin, e.g. `Tool.of('go', '1.22')`. */
  public static of(type: string, name: string | Text): Tool {
    return new Tool(type, name);
  }

  private readonly problems = new Problems();

  private constructor(
    /** The tool type, e.g. `maven`. */
    public readonly type: string,
    private readonly installation: string | Text,
  ) {
    this.problems.identifier('tool type', type);
    if (typeof installation === 'string') {
      this.problems.nonEmpty('tool-name', `${type} installation`, installation, 'name an installation configured on the controller');
    }
  }

  /** @internal */
  public _toCall(): Call {
    return { name: this.type, args: [{ value: textOrStr(this.installation) }], problems: this.problems.result };
  }
}
