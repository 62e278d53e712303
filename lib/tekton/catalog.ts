/**
 * Typed entries for the Tasks teams use most: git clone, image builds (buildah, kaniko) from the Tekton catalog
 * through the hub resolver, and a kubectl apply Task of our own (params reach the script through env only).
 * Each entry returns `PipelineTaskProps` whose `taskRef` carries the Task's interface, so missing params,
 * unbound workspaces and unknown results are caught at synth.
 */
import { Construct } from 'constructs';
import { assertValue, integerViolations, fail } from '../core';
import { PipelineTaskProps, PipelineWorkspace } from './pipeline-task';
import { Resolver } from './resolver';
import { Task } from './task';
import { TaskInterface, TaskRef } from './task-ref';
import { EnvValue, ParamType, ParamValue } from './values';

/** Props of {@link Catalog.gitClone} (catalog `git-clone`). */
export interface GitCloneProps {
  /** Repository URL. */
  readonly url: string;
  /** Where to clone to (`output`). */
  readonly output: PipelineWorkspace;
  /**
   * Revision (branch, tag, sha).
   * @default the remote's default branch
   */
  readonly revision?: string;
  /**
   * Shallow-clone depth.
   * @default 1
   */
  readonly depth?: number;
  /**
   * Sub-directory of `output` to clone into.
   * @default the workspace root
   */
  readonly subdirectory?: string;
  /**
   * Fetch submodules.
   * @default true
   */
  readonly submodules?: boolean;
  /**
   * `.ssh` directory (bind a Secret to it).
   * @default none (anonymous clone)
   */
  readonly sshDirectory?: PipelineWorkspace;
  /**
   * `.gitconfig` + `.git-credentials` (bind a Secret to it).
   * @default none
   */
  readonly basicAuth?: PipelineWorkspace;
  /**
   * Catalog version.
   * @default '0.9'
   */
  readonly version?: string;
}

/** Props shared by the image builders. */
export interface ImageBuildProps {
  /** Image reference to build and push (e.g. `registry.example.com/team/app:tag`). */
  readonly image: string;
  /** Workspace holding the build context. */
  readonly source: PipelineWorkspace;
  /**
   * Registry credentials: a workspace bound to a Secret with `config.json`.
   * @default none (anonymous push)
   */
  readonly dockerconfig?: PipelineWorkspace;
  /**
   * Dockerfile path.
   * @default './Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * Build context directory.
   * @default the workspace root
   */
  readonly context?: string;
  /**
   * Catalog version.
   * @default '0.9' for buildah, '0.7' for kaniko
   */
  readonly version?: string;
}

/** Props of {@link Catalog.buildah}. */
export interface BuildahProps extends ImageBuildProps {
  /**
   * Dockerfile build arguments (`KEY=value`).
   * @default none
   */
  readonly buildArgs?: string[];
  /**
   * Verify registry TLS.
   * @default true
   */
  readonly tlsVerify?: boolean;
}

/** Props of {@link Catalog.kubectlApply}. */
export interface KubectlApplyProps {
  /** Workspace holding the manifests. */
  readonly source: PipelineWorkspace;
  /** Path of the manifest file or directory inside the workspace. */
  readonly manifests: string;
  /** Namespace to apply to. */
  readonly namespace: string;
  /**
   * After applying, set this image on `deployment`'s `container` (e.g. the build's digest reference).
   * @default no image update
   */
  readonly image?: string;
  /**
   * The deployment to update (with `image`).
   * @default none
   */
  readonly deployment?: string;
  /**
   * The container to update (with `image`).
   * @default none
   */
  readonly container?: string;
  /**
   * The kubectl image (no shell needed); pin it by digest in production.
   * @default 'registry.k8s.io/kubectl:v1.31.0'
   */
  readonly kubectlImage?: string;
}

const S = ParamType.STRING;

function opt(name: string, type: ParamType = S): { name: string; type: ParamType; hasDefault: boolean } {
  return { name, type, hasDefault: true };
}

/** The interface of catalog `git-clone` 0.9. */
export const GIT_CLONE_INTERFACE: TaskInterface = {
  params: [{ name: 'url', type: S, hasDefault: false }, ...['revision', 'refspec', 'submodules', 'depth', 'sslVerify',
    'crtFileName', 'subdirectory', 'sparseCheckoutDirectories', 'deleteExisting', 'httpProxy', 'httpsProxy', 'noProxy',
    'verbose', 'gitInitImage', 'userHome'].map((n) => opt(n))],
  workspaces: [{ name: 'output', optional: false }, { name: 'ssh-directory', optional: true },
    { name: 'basic-auth', optional: true }, { name: 'ssl-ca-directory', optional: true }],
  results: [{ name: 'commit', type: S }, { name: 'url', type: S }, { name: 'committer-date', type: S }],
};

/** The interface of catalog `buildah` 0.9. */
export const BUILDAH_INTERFACE: TaskInterface = {
  params: [{ name: 'IMAGE', type: S, hasDefault: false }, ...['BUILDER_IMAGE', 'STORAGE_DRIVER', 'DOCKERFILE', 'CONTEXT',
    'TLSVERIFY', 'FORMAT', 'BUILD_EXTRA_ARGS', 'PUSH_EXTRA_ARGS', 'SKIP_PUSH'].map((n) => opt(n)), opt('BUILD_ARGS', ParamType.ARRAY)],
  workspaces: [{ name: 'source', optional: false }, { name: 'sslcertdir', optional: true }, { name: 'dockerconfig', optional: true }],
  results: [{ name: 'IMAGE_DIGEST', type: S }, { name: 'IMAGE_URL', type: S }],
};

/** The interface of catalog `kaniko` 0.7. */
export const KANIKO_INTERFACE: TaskInterface = {
  params: [{ name: 'IMAGE', type: S, hasDefault: false }, opt('DOCKERFILE'), opt('CONTEXT'), opt('EXTRA_ARGS', ParamType.ARRAY),
    opt('BUILDER_IMAGE'), opt('WRITER_IMAGE')],
  workspaces: [{ name: 'source', optional: false }, { name: 'dockerconfig', optional: true }],
  results: [{ name: 'IMAGE_DIGEST', type: S }, { name: 'IMAGE_URL', type: S }],
};

function ws(entries: Record<string, PipelineWorkspace | undefined>): Record<string, PipelineWorkspace> {
  return Object.fromEntries(Object.entries(entries).filter(([, w]) => w !== undefined)) as Record<string, PipelineWorkspace>;
}

function params(entries: Record<string, ParamValue | undefined>): Record<string, ParamValue> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Record<string, ParamValue>;
}

const str = (v: string | number | boolean | undefined) => (v === undefined ? undefined : ParamValue.string(String(v)));

/** Typed pipeline-task props for common Tasks. Use as `pipeline.addTask('clone', Catalog.gitClone({...}))`. */
export class Catalog {
  /** Clone a git repository (catalog `git-clone`, via the hub resolver). Results: `commit`, `url`, `committer-date`. */
  public static gitClone(props: GitCloneProps): PipelineTaskProps {
    if (props.depth !== undefined) {
      assertValue(undefined, integerViolations('git clone depth', props.depth, { min: 0, rangeRule: 'catalog-param', fix: 'set depth to 0 (full clone) or more' }));
    }
    return {
      taskRef: TaskRef.resolve(Resolver.hub({ name: 'git-clone', version: props.version ?? '0.9' }), GIT_CLONE_INTERFACE),
      params: params({
        url: str(props.url), revision: str(props.revision), depth: str(props.depth), subdirectory: str(props.subdirectory),
        submodules: str(props.submodules),
      }),
      workspaces: ws({ 'output': props.output, 'ssh-directory': props.sshDirectory, 'basic-auth': props.basicAuth }),
    };
  }

  /** Build and push an image with buildah (catalog `buildah`). Results: `IMAGE_DIGEST`, `IMAGE_URL`. */
  public static buildah(props: BuildahProps): PipelineTaskProps {
    return {
      taskRef: TaskRef.resolve(Resolver.hub({ name: 'buildah', version: props.version ?? '0.9' }), BUILDAH_INTERFACE),
      params: params({
        IMAGE: str(props.image), DOCKERFILE: str(props.dockerfile), CONTEXT: str(props.context),
        TLSVERIFY: str(props.tlsVerify), BUILD_ARGS: props.buildArgs ? ParamValue.array(props.buildArgs) : undefined,
      }),
      workspaces: ws({ source: props.source, dockerconfig: props.dockerconfig }),
    };
  }

  /** Build and push an image with kaniko (catalog `kaniko`, no daemon, no privileged mode). Results: `IMAGE_DIGEST`, `IMAGE_URL`. */
  public static kaniko(props: ImageBuildProps): PipelineTaskProps {
    return {
      taskRef: TaskRef.resolve(Resolver.hub({ name: 'kaniko', version: props.version ?? '0.7' }), KANIKO_INTERFACE),
      params: params({ IMAGE: str(props.image), DOCKERFILE: str(props.dockerfile), CONTEXT: str(props.context) }),
      workspaces: ws({ source: props.source, dockerconfig: props.dockerconfig }),
    };
  }

  /**
   * `kubectl apply` of manifests from a workspace, optionally followed by `kubectl set image`. An inline Task
   * (created under `scope` as `id`) whose script reads every value from env. The run's service account needs
   * RBAC for the applied kinds in `namespace`.
   */
  public static kubectlApply(scope: Construct, id: string, props: KubectlApplyProps): PipelineTaskProps {
    const setImage = [props.image, props.deployment, props.container].filter((x) => x !== undefined).length;
    if (setImage !== 0 && setImage !== 3) {
      fail(scope, 'catalog-param', 'kubectl apply needs image, deployment and container together',
        'set all three to update an image after applying, or none');
    }
    const task = new Task(scope, id, { inline: true, description: 'Apply manifests with kubectl' });
    const manifests = task.addParam('manifests', { description: 'Manifest path inside the source workspace' });
    const namespace = task.addParam('namespace');
    const source = task.addWorkspace('source', { readOnly: true });
    // No shell: values arrive as env and Kubernetes expands $(VAR) in args into single argv elements.
    const env = { MANIFESTS: EnvValue.fromValue(`${source.path}/${manifests}`), NAMESPACE: EnvValue.fromExpression(namespace) };
    const image = props.kubectlImage ?? 'registry.k8s.io/kubectl:v1.31.0';
    task.addStep('apply', { image, env, command: ['kubectl'], args: ['apply', '--namespace', '$(NAMESPACE)', '-f', '$(MANIFESTS)'] });
    if (props.image) {
      const img = task.addParam('image', { description: 'Image to set after applying' });
      const deployment = task.addParam('deployment');
      const container = task.addParam('container');
      const setEnv = Object.assign({}, env, { IMAGE: EnvValue.fromExpression(img), DEPLOYMENT: EnvValue.fromExpression(deployment),
        CONTAINER: EnvValue.fromExpression(container) });
      task.addStep('set-image', { image, env: setEnv, command: ['kubectl'],
        args: ['set', 'image', '--namespace', '$(NAMESPACE)', 'deployment/$(DEPLOYMENT)', '$(CONTAINER)=$(IMAGE)'] });
      task.addStep('rollout-status', { image, env: setEnv, command: ['kubectl'],
        args: ['rollout', 'status', '--namespace', '$(NAMESPACE)', 'deployment/$(DEPLOYMENT)', '--timeout=5m'] });
    }
    return {
      taskSpec: task,
      params: params({
        manifests: str(props.manifests), namespace: str(props.namespace), image: str(props.image),
        deployment: str(props.deployment), container: str(props.container),
      }),
      workspaces: { source: props.source },
    };
  }

  private constructor() {}
}
