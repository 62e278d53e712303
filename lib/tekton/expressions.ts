/**
 * Tekton `$(…)` expressions: a scanner that finds every variable reference in a string (Tekton's substitution
 * syntax), and the typed handles (`Param`, `TaskResult`, `Workspace`, `ResultRef`) that render to them.
 */
import { fail, show } from '../core';
import { ParamType } from './values';

/** One `$(…)` reference found in a string. */
export interface VariableRef {
  /** The whole text, e.g. `$(params.url)`. */
  readonly text: string;
  /** The inside, e.g. `params.url`. */
  readonly inner: string;
  /** The first path part (`params`, `tasks`, `results`, `context`, `tt`, …). */
  readonly prefix: string;
  /** The dotted/bracketed path parts after the prefix, e.g. `['url']` or `['build', 'results', 'digest']`. */
  readonly parts: string[];
  /**
   * `'*'` for `[*]`, a number for `[i]`.
   * @default undefined: no index
   */
  readonly index?: '*' | number;
}

/** Finds every `$(…)` in `text`, with balanced parentheses; `$$(` is Kubernetes' escape and is skipped. */
export function scanRefs(text: string): VariableRef[] {
  const out: VariableRef[] = [];
  // Jump from one `$(` to the next: most strings (scripts, images) hold none.
  for (let i = text.indexOf('$('); i >= 0; i = text.indexOf('$(', i + 1)) {
    if (i > 0 && text[i - 1] === '$') continue;
    let depth = 0;
    let end = -1;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '(') depth++;
      else if (text[j] === ')' && --depth === 0) { end = j; break; }
    }
    if (end < 0) break;
    const inner = text.slice(i + 2, end);
    out.push(parseRef(text.slice(i, end + 1), inner));
    i = end;
  }
  return out;
}

function parseRef(text: string, inner: string): VariableRef {
  if (!inner.includes('[') && !inner.includes(']')) {
    // Dots only (the common form): the same parts as the bracket-aware loop below, without a regex per part.
    const [prefix, ...rest] = inner.split('.').filter((p) => p !== '');
    return { text, inner, prefix: prefix ?? '', parts: rest, index: undefined };
  }
  const parts: string[] = [];
  let index: '*' | number | undefined;
  const re = /([^.[\]]+)|\[\s*(['"])(.*?)\2\s*\]|\[(\*|\d+)\]|\./gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(inner)) !== null && m[0] !== '') {
    consumed = re.lastIndex;
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[3] !== undefined) parts.push(m[3]);
    else if (m[4] !== undefined) index = m[4] === '*' ? '*' : Number(m[4]);
    if (consumed >= inner.length) break;
  }
  if (consumed < inner.length) return { text, inner, prefix: inner, parts: [] };
  const [prefix, ...rest] = parts;
  return { text, inner, prefix: prefix ?? '', parts: rest, index };
}

/** True if `text` is exactly one `$(…)` reference and nothing else. */
export function isWholeRef(text: string): boolean {
  const refs = scanRefs(text);
  return refs.length === 1 && refs[0].text === text.trim();
}

/** Renders a name after a prefix, using bracket syntax when it contains a dot (`$(params['a.b'])`). */
function named(prefix: string, name: string): string {
  return name.includes('.') ? `${prefix}['${name}']` : `${prefix}.${name}`;
}

/** Base of every typed handle: something that renders to a Tekton `$(…)` expression. */
export abstract class Expression {
  /** The `$(…)` text. */
  public abstract readonly expression: string;

  /** The `$(…)` text, so handles work inside template literals. */
  public toString(): string {
    return this.expression;
  }
}

/** A declared param of a Task, Pipeline or StepAction; renders to `$(params.<name>)`. */
export class Param extends Expression {
  /** The `$(…)` text. */
  public readonly expression: string;

  /** @internal */
  constructor(
    /** The param name. */
    public readonly name: string,
    /** The declared type. */
    public readonly type: ParamType,
    /** Object keys, for object params. */
    public readonly keys: string[] = [],
  ) {
    super();
    this.expression = `$(${named('params', name)})`;
  }

  /** The whole array or object, `$(params.<name>[*])`; must be a whole `command`/`args` element or a param value. */
  public get all(): string {
    if (this.type === ParamType.STRING) {
      fail(undefined, 'param-isolation', `param ${show(this.name)} is a string; [*] needs an array or object param`,
        'use the param itself, or declare it with type ParamType.ARRAY');
    }
    return `$(${named('params', this.name)}[*])`;
  }

  /** One element of an array param, `$(params.<name>[i])`. */
  public index(i: number): string {
    if (this.type !== ParamType.ARRAY) {
      fail(undefined, 'param-isolation', `param ${show(this.name)} is not an array; it cannot be indexed`,
        'declare it with type ParamType.ARRAY');
    }
    return `$(${named('params', this.name)}[${i}])`;
  }

  /** One key of an object param, `$(params.<name>.<key>)`; the key must be declared. */
  public key(key: string): string {
    if (this.type !== ParamType.OBJECT || !this.keys.includes(key)) {
      fail(undefined, 'param-object-key', `param ${show(this.name)} has no object key ${show(key)}`,
        `declare the key in the param's properties (declared: ${show(this.keys)})`);
    }
    return `$(params.${this.name}.${key})`;
  }
}

/** A declared Task result; `path` is the file a step writes it to. */
export class TaskResult extends Expression {
  /** The `$(…)` text. */
  public readonly expression: string;

  /** @internal */
  constructor(
    /** The result name. */
    public readonly name: string,
    /** The declared type. */
    public readonly type: ParamType,
  ) {
    super();
    this.expression = `$(results.${name}.path)`;
  }

  /** `$(results.<name>.path)`: the file to write the value to. */
  public get path(): string {
    return this.expression;
  }
}

/** A declared Task workspace; renders to `$(workspaces.<name>.path)`. */
export class Workspace extends Expression {
  /** The `$(…)` text. */
  public readonly expression: string;

  /** @internal */
  constructor(
    /** The workspace name. */
    public readonly name: string,
    /** Whether a run may leave it unbound. */
    public readonly optional: boolean,
  ) {
    super();
    this.expression = `$(workspaces.${name}.path)`;
  }

  /** `$(workspaces.<name>.path)`. */
  public get path(): string {
    return this.expression;
  }

  /** `$(workspaces.<name>.bound)`: "true" when an optional workspace is bound. */
  public get bound(): string {
    return `$(workspaces.${this.name}.bound)`;
  }
}

/**
 * A result of a pipeline task, `$(tasks.<task>.results.<name>)`. Using it in another task's params, `when` or
 * matrix makes that task run after this one (Tekton derives the edge from the reference).
 */
export class ResultRef extends Expression {
  /** The `$(…)` text. */
  public readonly expression: string;

  /** @internal */
  constructor(
    /** The pipeline task name. */
    public readonly task: string,
    /** The result name. */
    public readonly name: string,
    private readonly prefix: 'tasks' | 'finally' = 'tasks',
  ) {
    super();
    this.expression = `$(${prefix}.${task}.results.${name})`;
  }

  /** The whole array or object result, `…[*]`. */
  public get all(): string {
    return `$(${this.prefix}.${this.task}.results.${this.name}[*])`;
  }

  /** One element of an array result. */
  public index(i: number): string {
    return `$(${this.prefix}.${this.task}.results.${this.name}[${i}])`;
  }

  /** One key of an object result. */
  public key(key: string): string {
    return `$(${this.prefix}.${this.task}.results.${this.name}.${key})`;
  }
}

/** Tekton's built-in context variables. */
export class Context {
  /** `$(context.pipelineRun.name)` (pipelines). */
  public static readonly PIPELINE_RUN_NAME = '$(context.pipelineRun.name)';
  /** `$(context.pipelineRun.namespace)` (pipelines). */
  public static readonly PIPELINE_RUN_NAMESPACE = '$(context.pipelineRun.namespace)';
  /** `$(context.pipelineRun.uid)` (pipelines). */
  public static readonly PIPELINE_RUN_UID = '$(context.pipelineRun.uid)';
  /** `$(context.pipeline.name)` (pipelines). */
  public static readonly PIPELINE_NAME = '$(context.pipeline.name)';
  /** `$(context.pipelineTask.retries)` (pipelines). */
  public static readonly PIPELINE_TASK_RETRIES = '$(context.pipelineTask.retries)';
  /** `$(context.taskRun.name)` (tasks). */
  public static readonly TASK_RUN_NAME = '$(context.taskRun.name)';
  /** `$(context.taskRun.namespace)` (tasks). */
  public static readonly TASK_RUN_NAMESPACE = '$(context.taskRun.namespace)';
  /** `$(context.taskRun.uid)` (tasks). */
  public static readonly TASK_RUN_UID = '$(context.taskRun.uid)';
  /** `$(context.task.name)` (tasks). */
  public static readonly TASK_NAME = '$(context.task.name)';
  /** `$(context.task.retry-count)` (tasks). */
  public static readonly TASK_RETRY_COUNT = '$(context.task.retry-count)';
  /** `$(tasks.status)`: the aggregate status of the DAG tasks (finally tasks only). */
  public static readonly TASKS_STATUS = '$(tasks.status)';

  private constructor() {}
}

/** Context variables a Task may use (`context.taskRun.*`, `context.task.*`). */
export const TASK_CONTEXT = new Set(['taskRun.name', 'taskRun.namespace', 'taskRun.uid', 'task.name', 'task.retry-count']);
/** Context variables a Pipeline may use. */
export const PIPELINE_CONTEXT = new Set(['pipelineRun.name', 'pipelineRun.namespace', 'pipelineRun.uid', 'pipeline.name',
  'pipelineTask.retries']);
