import { PostAst } from './ast';
import { Step } from './step';

/** Jenkins runs `post` conditions in this order (their `@Extension(ordinal)`), whatever order the file lists them. */
export const POST_ORDER: readonly string[] = [
  'always', 'changed', 'fixed', 'regression', 'aborted', 'success', 'unsuccessful', 'unstable', 'failure', 'notBuilt',
  'cleanup',
];

/** A `post` build condition. */
export class PostCondition {
  /** Runs whatever the result. */
  public static readonly ALWAYS = new PostCondition('always');
  /** Runs if the result differs from the previous build's. */
  public static readonly CHANGED = new PostCondition('changed');
  /** Runs if this build succeeded and the previous one failed or was unstable. */
  public static readonly FIXED = new PostCondition('fixed');
  /** Runs if this build failed, was unstable or aborted and the previous one succeeded. */
  public static readonly REGRESSION = new PostCondition('regression');
  /** Runs if the build was aborted. */
  public static readonly ABORTED = new PostCondition('aborted');
  /** Runs if the build succeeded. */
  public static readonly SUCCESS = new PostCondition('success');
  /** Runs if the build did not succeed. */
  public static readonly UNSUCCESSFUL = new PostCondition('unsuccessful');
  /** Runs if the build is unstable (e.g. test failures). */
  public static readonly UNSTABLE = new PostCondition('unstable');
  /** Runs if the build failed. */
  public static readonly FAILURE = new PostCondition('failure');
  /** Runs if the build was not built (e.g. skipped). */
  public static readonly NOT_BUILT = new PostCondition('notBuilt');
  /** Runs last, after every other condition, whatever the result. */
  public static readonly CLEANUP = new PostCondition('cleanup');

  private constructor(
    /** The Declarative name, e.g. `notBuilt`. */
    public readonly name: string,
  ) {}
}

/**
 * Steps per `post` condition. Whatever order you write them in, they are emitted in Jenkins' execution order:
 * always → changed → fixed → regression → aborted → success → unsuccessful → unstable → failure → notBuilt → cleanup.
 */
export interface PostProps {
  /**
   * Steps that run whatever the result.
   * @default - none
   */
  readonly always?: Step[];
  /**
   * Steps that run if the result differs from the previous build.
   * @default - none
   */
  readonly changed?: Step[];
  /**
   * Steps that run if this build succeeded after a failed or unstable one.
   * @default - none
   */
  readonly fixed?: Step[];
  /**
   * Steps that run if this build failed, was unstable or aborted after a successful one.
   * @default - none
   */
  readonly regression?: Step[];
  /**
   * Steps that run if the build was aborted.
   * @default - none
   */
  readonly aborted?: Step[];
  /**
   * Steps that run if the build succeeded.
   * @default - none
   */
  readonly success?: Step[];
  /**
   * Steps that run if the build did not succeed.
   * @default - none
   */
  readonly unsuccessful?: Step[];
  /**
   * Steps that run if the build is unstable.
   * @default - none
   */
  readonly unstable?: Step[];
  /**
   * Steps that run if the build failed.
   * @default - none
   */
  readonly failure?: Step[];
  /**
   * Steps that run if the build was not built.
   * @default - none
   */
  readonly notBuilt?: Step[];
  /**
   * Steps that run last, after every other condition.
   * @default - none
   */
  readonly cleanup?: Step[];
}

/**
 * The `post` section of a pipeline, stage or matrix: condition → steps. Adding to a condition twice appends.
 * @internal
 */
export class PostBlock {
  /** Steps per condition; made when the block is first given or added to (most stages have no post). */
  private map?: Map<string, Step[]>;

  constructor(props?: PostProps) {
    if (props) {
      const map = (this.map = new Map());
      for (const name of POST_ORDER) {
        const steps = (props as Record<string, Step[] | undefined>)[name];
        if (steps !== undefined) map.set(name, [...steps]);
      }
    }
  }

  add(condition: PostCondition, steps: Step[]): void {
    const map = (this.map ??= new Map());
    const list = map.get(condition.name) ?? [];
    list.push(...steps);
    map.set(condition.name, list);
  }

  toAst(): PostAst[] | undefined {
    const map = this.map;
    if (!map) return undefined;
    return POST_ORDER.filter((n) => map.has(n)).map((n) => ({ condition: n, steps: map.get(n)!.map((s) => s._toCall()) }));
  }
}
