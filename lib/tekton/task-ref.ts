/** Which Task a pipeline task or TaskRun runs: by name, or through a resolver. */
import { checkedValue, fail, rethrowRefusal, show } from '../core';
import { DeclaredParam } from './params';
import { Resolver } from './resolver';
import { ApiFields, ParamType } from './values';

/** What a Task expects and offers; lets slipway check params, workspaces and results of a referenced Task offline. */
export interface TaskInterface {
  /** Declared params. */
  readonly params: ReadonlyArray<DeclaredParam>;
  /** Declared workspaces. */
  readonly workspaces: ReadonlyArray<{ readonly name: string; readonly optional: boolean }>;
  /** Declared results. */
  readonly results: ReadonlyArray<{ readonly name: string; readonly type: ParamType }>;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A reference to a Task (`taskRef`). */
export class TaskRef {
  /**
   * A Task in the run's namespace, by name. Give its interface (a `Task` construct's `interface`) so slipway can
   * check the pipeline task's params and workspaces.
   */
  public static named(name: string, taskInterface?: TaskInterface): TaskRef {
    if (typeof name === 'string' && name.includes('://')) return new TaskRef({ name }, taskInterface, ApiFields.ALPHA);
    return checkedValue(() => {
      if (typeof name !== 'string' || name.length > 63 || !QUALIFIED_NAME.test(name)) {
        fail(undefined, 'task-ref-name', `task reference ${show(name)} is not a valid Kubernetes name`,
          'pass the Task\'s metadata.name to TaskRef.named() (lowercase letters, digits, -)');
      }
    }, () => new TaskRef({ name, kind: 'Task' }, taskInterface, ApiFields.STABLE));
  }

  /** A Task fetched by a resolver (git, bundles, hub, cluster, http); resolvers are beta, on by default. */
  public static resolve(resolver: Resolver, taskInterface?: TaskInterface): TaskRef {
    return checkedValue(() => rethrowRefusal(resolver), () => new TaskRef(resolver.toJson('task'), taskInterface, ApiFields.BETA));
  }

  /** A custom task (a CRD run by its own controller), e.g. `{ apiVersion: 'example.dev/v1', kind: 'Wait' }`. */
  public static custom(apiVersion: string, kind: string, name?: string): TaskRef {
    return checkedValue(() => {
      if (!/^[a-z0-9.-]+\/[a-z0-9]+$/.test(apiVersion) || !kind) {
        fail(undefined, 'custom-task-ref', `custom task apiVersion ${show(apiVersion)} / kind ${show(kind)} is incomplete`,
          "use apiVersion in group/version form (e.g. 'example.dev/v1') and a kind");
      }
    }, () => new TaskRef({ apiVersion, kind, name }, undefined, ApiFields.STABLE));
  }

  /** @internal A reference whose interface is read when checked, so params added later still count. */
  public static lazy(name: string, taskInterface: () => TaskInterface): TaskRef {
    return new TaskRef({ name, kind: 'Task' }, taskInterface, ApiFields.STABLE);
  }

  private readonly interfaceOf?: () => TaskInterface;

  private constructor(
    private readonly json: any,
    taskInterface: TaskInterface | (() => TaskInterface) | undefined,
    /** The API level this form of reference needs. */
    public readonly requires: ApiFields,
  ) {
    this.interfaceOf = typeof taskInterface === 'function' ? taskInterface : taskInterface ? () => taskInterface : undefined;
  }

  /** The referenced Task's interface, when known. */
  public get taskInterface(): TaskInterface | undefined {
    return this.interfaceOf?.();
  }

  /** A short description for messages. */
  public get description(): string {
    return this.json.resolver ? `${this.json.resolver} resolver` : show(this.json.name);
  }

  /** The JSON form. */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.json));
  }
}
