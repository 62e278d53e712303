import { Expr, named, optBool, optStr, str } from './ast';

/** Props of {@link ContainerTemplate.of} (kubernetes plugin `containerTemplate`). */
export interface ContainerTemplateProps {
  /** Container name, used by `container(name)`. */
  readonly name: string;
  /** The image. */
  readonly image: string;
  /**
   * Command to run (one string, as the plugin takes it), e.g. `'sleep'` or `'cat'`.
   * @default - the image's entrypoint
   */
  readonly command?: string;
  /**
   * Arguments of the command (one string), e.g. `'99d'`.
   * @default - the image's arguments
   */
  readonly args?: string;
  /**
   * Allocate a TTY, the usual way to keep `cat` running.
   * @default false
   */
  readonly ttyEnabled?: boolean;
  /**
   * Working directory.
   * @default '/home/jenkins/agent'
   */
  readonly workingDir?: string;
  /**
   * Pull the image every time.
   * @default false
   */
  readonly alwaysPullImage?: boolean;
  /**
   * Run privileged (needs `PodSecurity.privileged`).
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * User id to run as (as text, the plugin's type).
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * Group id to run as.
   * @default - the image's group
   */
  readonly runAsGroup?: number;
  /**
   * CPU request, e.g. `'500m'`.
   * @default - none
   */
  readonly resourceRequestCpu?: string;
  /**
   * Memory request, e.g. `'512Mi'`.
   * @default - none
   */
  readonly resourceRequestMemory?: string;
  /**
   * CPU limit.
   * @default - none
   */
  readonly resourceLimitCpu?: string;
  /**
   * Memory limit.
   * @default - none
   */
  readonly resourceLimitMemory?: string;
  /**
   * Environment variables (`envVars: [envVar(key: …, value: …)]`), literal values.
   * @default - none
   */
  readonly envVars?: Record<string, string>;
}

/**
 * A `containerTemplate(...)` of a Scripted `podTemplate` (the form older Jenkinsfiles use instead of pod YAML). It
 * has no fields for capabilities or seccomp, so a pod made of them is checked against Pod Security "baseline" at
 * most: give `podSecurity: PodSecurity.baseline('why')`, or write the pod as containers or YAML to stay restricted.
 */
export class ContainerTemplate {
  /** A container template from its props. */
  public static of(props: ContainerTemplateProps): ContainerTemplate {
    return new ContainerTemplate(props);
  }

  private constructor(private readonly props: ContainerTemplateProps) {}

  /** The container name. */
  public get name(): string {
    return this.props.name;
  }

  /** @internal */
  public _toExpr(): Expr {
    const p = this.props;
    const env = p.envVars && Object.keys(p.envVars).map((key): Expr => ({ k: 'call', call: { name: 'envVar', args: named([['key', str(key)], ['value', str(p.envVars![key])]]) } }));
    return { k: 'call', call: { name: 'containerTemplate', args: named([['name', str(p.name)], ['image', str(p.image)],
      ['command', optStr(p.command)], ['args', optStr(p.args)], ['ttyEnabled', optBool(p.ttyEnabled)], ['workingDir', optStr(p.workingDir)],
      ['alwaysPullImage', optBool(p.alwaysPullImage)], ['privileged', optBool(p.privileged)],
      ['runAsUser', p.runAsUser === undefined ? undefined : str(String(p.runAsUser))], ['runAsGroup', p.runAsGroup === undefined ? undefined : str(String(p.runAsGroup))],
      ['resourceRequestCpu', optStr(p.resourceRequestCpu)], ['resourceRequestMemory', optStr(p.resourceRequestMemory)],
      ['resourceLimitCpu', optStr(p.resourceLimitCpu)], ['resourceLimitMemory', optStr(p.resourceLimitMemory)],
      ['envVars', env ? { k: 'list', items: env } : undefined]]) } };
  }

  /** The container as the pod rules read it. @internal */
  public _toPodContainer(): Record<string, unknown> {
    const p = this.props;
    const given = (cpu: string | undefined, memory: string | undefined) => ({ ...cpu !== undefined ? { cpu } : {}, ...memory !== undefined ? { memory } : {} });
    return { name: p.name, image: p.image,
      resources: { requests: given(p.resourceRequestCpu, p.resourceRequestMemory), limits: given(p.resourceLimitCpu, p.resourceLimitMemory) },
      ...p.envVars ? { env: Object.keys(p.envVars).map((name) => ({ name, value: p.envVars![name] })) } : {},
      securityContext: { ...p.privileged ? { privileged: true } : {}, ...p.runAsUser !== undefined ? { runAsUser: p.runAsUser } : {},
        ...p.runAsGroup !== undefined ? { runAsGroup: p.runAsGroup } : {} } };
  }
}
