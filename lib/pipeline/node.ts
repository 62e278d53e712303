import { fail, Names, show } from '../core';
import { checkValue, rethrowRefusal } from './refusals';

/** Compute resources of one container: requests are always set (restricted pods need them), limits optional. */
export class Resources {
  /** The default: 100m CPU and 128Mi memory requested, memory limited to 512Mi. */
  public static readonly DEFAULT = new Resources('100m', '128Mi', undefined, '512Mi');

  /**
   * Requests (and optional limits) in Kubernetes quantity syntax, e.g. `Resources.of({ cpu: '500m', memory: '1Gi' })`.
   */
  public static of(props: ResourcesProps): Resources {
    const r = new Resources(props.cpu, props.memory, props.cpuLimit, props.memoryLimit);
    checkValue(r, () => {
      for (const [what, v, re, example] of [['cpu', props.cpu, CPU, "'500m' or '2'"], ['memory', props.memory, MEMORY, "'256Mi' or '1Gi'"],
        ['cpuLimit', props.cpuLimit, CPU, "'500m' or '2'"], ['memoryLimit', props.memoryLimit, MEMORY, "'256Mi' or '1Gi'"]] as const) {
        if (v !== undefined && !re.test(v)) {
          fail(undefined, 'resource-quantity', `${what} ${show(v)} is not a supported quantity`, `write e.g. ${example}`);
        }
      }
    });
    return r;
  }

  private constructor(
    /** Requested CPU. */ public readonly cpu: string,
    /** Requested memory. */ public readonly memory: string,
    /** CPU limit, if any. */ public readonly cpuLimit: string | undefined,
    /** Memory limit, if any. */ public readonly memoryLimit: string | undefined,
  ) {}

  /** The Kubernetes `resources` object. */
  public toKubernetes(): { requests: Record<string, string>; limits?: Record<string, string> } {
    const limits: Record<string, string> = {};
    if (this.cpuLimit) limits.cpu = this.cpuLimit;
    if (this.memoryLimit) limits.memory = this.memoryLimit;
    return { requests: { cpu: this.cpu, memory: this.memory }, ...(Object.keys(limits).length ? { limits } : {}) };
  }
}

// CPU in millicores or cores; memory in binary units (what cdk8s-plus can express, so both backends agree).
const CPU = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
const MEMORY = /^[0-9]+(Ki|Mi|Gi|Ti)$/;

/** Props of {@link Resources.of}. */
export interface ResourcesProps {
  /** Requested CPU, e.g. `500m`. */
  readonly cpu: string;
  /** Requested memory, e.g. `512Mi`. */
  readonly memory: string;
  /**
   * CPU limit.
   * @default - none (CPU is throttled, not killed)
   */
  readonly cpuLimit?: string;
  /**
   * Memory limit.
   * @default - none
   */
  readonly memoryLimit?: string;
}

/** One container of a {@link Node}: where steps run. */
export interface ContainerProps {
  /** Container name (DNS-1123 label); steps select it with `container`. */
  readonly name: string;
  /** Image reference; pin a tag or digest. */
  readonly image: string;
  /**
   * Compute resources.
   * @default Resources.DEFAULT
   */
  readonly resources?: Resources;
  /**
   * Run as root. Off by default (Pod Security "restricted"); some image builders need it. Visible opt-out.
   * @default false
   */
  readonly runAsRoot?: boolean;
  /**
   * The shell that runs scripts, for images without `/bin/sh` (e.g. `/busybox/sh` in kaniko's debug image).
   * Jenkins: `container(name:, shell:)`; Tekton: the script's shebang.
   * @default - /bin/sh
   */
  readonly shell?: string;
}

/** Props of {@link Node}. */
export interface NodeProps {
  /** The containers of the pod; the first is the default container for steps. At least one. */
  readonly containers: ContainerProps[];
  /**
   * Kubernetes service account the pod (Jenkins agent, Tekton TaskRun pods) runs as.
   * @default - the namespace's default service account
   */
  readonly serviceAccount?: string;
}

/**
 * Where work runs: a pod of containers with resources (Jenkins: a kubernetes pod agent; Tekton: the images and
 * resources of each Task's steps). Restricted pod security by default.
 */
export class Node {
  /** The containers, in order; the first is the default. */
  public readonly containers: ContainerProps[];
  /** Service account, if set. */
  public readonly serviceAccount?: string;

  constructor(props: NodeProps) {
    this.containers = [...props.containers];
    this.serviceAccount = props.serviceAccount;
    checkValue(this, () => Node.check(props));
  }

  private static check(props: NodeProps): void {
    if (props.containers.length === 0) {
      fail(undefined, 'node-containers', 'a node needs at least one container', "pass containers: [{ name: 'build', image: 'node:20' }]");
    }
    const seen = new Set<string>();
    for (const c of props.containers) {
      Names.assertDnsLabel(undefined, 'container name', c.name);
      if (c.name === 'jnlp') {
        fail(undefined, 'container-name-reserved', `container name ${show(c.name)} is reserved for the Jenkins agent`, 'choose another name');
      }
      if (seen.has(c.name)) {
        fail(undefined, 'duplicate-container', `container ${show(c.name)} is declared twice`, 'give each container its own name');
      }
      seen.add(c.name);
      if (c.shell !== undefined && !/^\/[A-Za-z0-9_./-]+$/.test(c.shell)) {
        fail(undefined, 'container-shell', `container ${show(c.name)} has shell ${show(c.shell)}, not an absolute path`, "use e.g. '/busybox/sh'");
      }
      // `$(…)` would be a Tekton substitution and a literal on Jenkins; no image reference holds `$` or parentheses.
      if (!c.image || /[\s$()]/.test(c.image)) {
        fail(undefined, 'container-image', `container ${show(c.name)} has an invalid image ${show(c.image)}`, "set an image reference without spaces, '$' or parentheses, e.g. 'node:20-alpine'");
      }
      rethrowRefusal(c.resources);
    }
    if (props.serviceAccount !== undefined) Names.assertDnsSubdomain(undefined, 'service account', props.serviceAccount);
  }

  /** The default container (the first). */
  public get defaultContainer(): ContainerProps {
    return this.containers[0];
  }

  /** The container named `name`, or undefined. */
  public container(name: string): ContainerProps | undefined {
    return this.containers.find((c) => c.name === name);
  }
}
