import { imageViolations } from '../core';
import { AgentAst, Expr, bool, optBool, optStr, textOrStr } from './ast';
import { Text } from './groovy';
import { KubernetesAgentProps, renderKubernetesAgent } from './kubernetes-agent';

/** Props of {@link Agent.node}. */
export interface NodeAgentProps {
  /** Label expression selecting the node, e.g. 'linux && docker'. */
  readonly label: string | Text;
  /**
   * Workspace directory instead of the default.
   * @default - the node's default workspace
   */
  readonly customWorkspace?: string;
}

/** Options shared by the docker and dockerfile agents. */
export interface DockerCommonProps {
  /**
   * Node label to run the container on.
   * @default - any node with docker
   */
  readonly label?: string;
  /**
   * Extra `docker run` arguments.
   * @default - none
   */
  readonly args?: string;
  /**
   * Workspace directory instead of the default.
   * @default - the default workspace
   */
  readonly customWorkspace?: string;
  /**
   * On a stage: reuse the pipeline's node and workspace.
   * @default false
   */
  readonly reuseNode?: boolean;
  /**
   * Registry to pull from.
   * @default - Docker Hub
   */
  readonly registryUrl?: string;
  /**
   * Credential for the registry.
   * @default - anonymous
   */
  readonly registryCredentialsId?: string;
}

/** Props of {@link Agent.docker}. */
export interface DockerAgentProps extends DockerCommonProps {
  /** The image to run the steps in; a {@link Text} can read a matrix axis, e.g. `Text.of('node:', m.axis('NODE'))`. */
  readonly image: string | Text;
  /**
   * Pull the image even if present.
   * @default false
   */
  readonly alwaysPull?: boolean;
}

/** Props of {@link Agent.dockerfile}. */
export interface DockerfileAgentProps extends DockerCommonProps {
  /**
   * Dockerfile name.
   * @default 'Dockerfile'
   */
  readonly filename?: string;
  /**
   * Directory with the Dockerfile (the build context).
   * @default - the workspace root
   */
  readonly dir?: string;
  /**
   * Extra `docker build` arguments.
   * @default - none
   */
  readonly additionalBuildArgs?: string;
}

/**
 * Where a pipeline or stage runs: the `agent` section (Jenkins' Node). `Agent.kubernetes()` runs the steps in
 * a pod built from cdk8s-plus containers.
 */
export class Agent {
  /** `agent any`: any available executor. */
  public static any(): Agent {
    return new Agent({ type: 'any', bare: true, params: [], required: [] });
  }

  /** `agent none`: no global agent; each stage declares its own. */
  public static none(): Agent {
    return new Agent({ type: 'none', bare: true, params: [], required: [] });
  }

  /** `agent { label '…' }`: a node matching the label expression. */
  public static label(expression: string | Text): Agent {
    return new Agent({ type: 'label', bare: false, value: textOrStr(expression), params: [],
      required: typeof expression === 'string' && expression.trim() === '' ? ['label'] : [] });
  }

  /** `agent { node { label …; customWorkspace … } }`. */
  public static node(props: NodeAgentProps): Agent {
    return new Agent({ type: 'node', bare: false, required: ['label'], params: params([['label', textOrStr(props.label)],
      ['customWorkspace', optStr(props.customWorkspace)]]) });
  }

  /** `agent { docker { image … } }`: run the steps in a container on a docker node. */
  public static docker(props: DockerAgentProps): Agent {
    // A blank image is `agent-missing-parameter`; a space or newline inside one would name another image.
    const image = typeof props.image === 'string' && props.image.trim() !== '' ? imageViolations('docker agent image', props.image) : [];
    return new Agent({ type: 'docker', bare: false, required: ['image'], problems: image.length ? image : undefined, params: params([['image', textOrStr(props.image)],
      ['label', optStr(props.label)], ['args', optStr(props.args)], ['alwaysPull', optBool(props.alwaysPull)],
      ...common(props)]) });
  }

  /** `agent { dockerfile … }`: build an image from a Dockerfile and run the steps in it. */
  public static dockerfile(props: DockerfileAgentProps = {}): Agent {
    const ps = params([['filename', optStr(props.filename)], ['dir', optStr(props.dir)], ['label', optStr(props.label)],
      ['additionalBuildArgs', optStr(props.additionalBuildArgs)], ['args', optStr(props.args)], ...common(props)]);
    return new Agent({ type: 'dockerfile', bare: false, value: ps.length === 0 ? bool(true) : undefined, params: ps, required: [] });
  }

  /**
   * `agent { kubernetes { yaml '''…''' } }`: a pod built from cdk8s-plus containers (restricted security
   * defaults and resource requests), embedded as YAML. The pod never appears in your chart's output.
   */
  public static kubernetes(props: KubernetesAgentProps): Agent {
    const r = renderKubernetesAgent(props);
    return new Agent(r.ast, r.pod, r.podFile);
  }

  private constructor(
    private readonly ast: AgentAst,
    /** For kubernetes agents built from containers: the pod manifest that is embedded as YAML (or written to `podFile`). */
    public readonly podManifest?: Record<string, unknown>,
    /** For kubernetes agents built in code with a `yamlFile`: the repository path the pod is written to. */
    public readonly podFile?: string,
  ) {}

  /** The agent type (`any`, `none`, `label`, `node`, `docker`, `dockerfile`, `kubernetes`). */
  public get type(): string {
    return this.ast.type;
  }

  /** @internal */
  public _toAst(): AgentAst {
    return this.ast;
  }
}

function params(entries: Array<[string, Expr | undefined]>): Array<{ name: string; value: Expr }> {
  return entries.filter((e): e is [string, Expr] => e[1] !== undefined).map(([name, value]) => ({ name, value }));
}

function common(p: DockerCommonProps): Array<[string, Expr | undefined]> {
  return [['customWorkspace', optStr(p.customWorkspace)], ['reuseNode', optBool(p.reuseNode)],
    ['registryUrl', optStr(p.registryUrl)], ['registryCredentialsId', optStr(p.registryCredentialsId)]];
}
