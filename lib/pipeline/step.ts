import { Duration, fail, goDuration, Names, show, wholeSeconds } from '../core';
import { Param } from './param';
import { checkValue, rethrowRefusal } from './refusals';
import { Secret, SecretKind } from './secret';

/** What a {@link Step} does. */
export enum StepKind {
  /** Run a shell script in a container. */
  RUN = 'run',
  /** Check out the source the run is for. */
  CHECKOUT = 'checkout',
  /** Publish test reports (JUnit XML). */
  PUBLISH_TESTS = 'publishTests',
  /** Keep build artifacts. */
  ARCHIVE_ARTIFACTS = 'archiveArtifacts',
  /** Wait for a person to approve. */
  APPROVAL = 'approval',
}

/** Options every step takes. */
export interface StepOptions {
  /**
   * Step name: a DNS-1123 label, unique in its stage (Tekton step name, Jenkins `sh` label).
   * @default - derived from the step kind ('run', 'checkout', 'build-image', …), numbered when repeated
   */
  readonly name?: string;
  /**
   * The node container the step runs in.
   * @default - the node's first container
   */
  readonly container?: string;
  /**
   * Secrets bound for this step (Jenkins `withCredentials`, Tekton `secretKeyRef` env), whether or not its script
   * names them: the explicit grant for a program that reads a secret on its own (npm reads `NPM_TOKEN` through
   * `.npmrc`). A pipeline's or stage's secret reaches only the steps whose script names it, and those listed here.
   * @default - the pipeline's and the stage's secrets that the script names
   */
  readonly secrets?: Secret[];
  /**
   * Params this step receives although its script does not name them (a program it runs reads them from the
   * environment). A param reaches a step when its script names it (`$TAG`, `${TAG}`) or when it is listed here.
   * @default - the params the script names
   */
  readonly params?: Param[];
  /**
   * Matrix axes this step receives although its script does not name them (as `params`, for the stage's axes).
   * @default - the axes the script names
   */
  readonly axes?: string[];
  /**
   * Directory to run in, relative to the checkout (Jenkins `dir('…')`, Tekton step `workingDir`).
   * @default - the checkout's root
   */
  readonly dir?: string;
}

/** Props of {@link Step.buildImage}. */
export interface BuildImageProps extends StepOptions {
  /** Image repository to push, without tag, e.g. `registry.example.com/shop/web`. */
  readonly repository: string;
  /** The tag: fixed text, or a param read at run time (through its env var). */
  readonly tag: string | Param;
  /**
   * Build context directory, relative to the source checkout.
   * @default '.'
   */
  readonly context?: string;
  /**
   * Dockerfile path, relative to the context.
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * Registry login (a username/password secret) written to kaniko's docker config before the build.
   * @default - no login (the node provides registry access)
   */
  readonly registryCredentials?: Secret;
}

/** Props of {@link Step.applyManifests}. */
export interface ApplyManifestsProps extends StepOptions {
  /** Manifest files, relative to the checkout, e.g. the `dist/*.k8s.yaml` that `npx cdk8s synth` writes from `apps/`. */
  readonly files: string[];
  /**
   * Namespace to apply into.
   * @default - the namespaces in the manifests
   */
  readonly namespace?: string;
}

/** Props of the Argo Rollouts steps. */
export interface RolloutStepProps extends StepOptions {
  /** The Rollout's name. */
  readonly rollout: string;
  /**
   * The Rollout's namespace.
   * @default - the service account's namespace
   */
  readonly namespace?: string;
}

/** Props of {@link Step.waitForRollout}. */
export interface WaitForRolloutProps extends RolloutStepProps {
  /**
   * How long to wait for the Rollout to become healthy before failing.
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/** Props of {@link Step.approval}. */
export interface ApprovalProps {
  /** The question shown to the approver. */
  readonly message: string;
  /**
   * Who may approve (Jenkins user or group ids; Tekton approvers).
   * @default - anyone who may run the pipeline (Jenkins); required for Tekton's approval task
   */
  readonly approvers?: string[];
  /**
   * Step name.
   * @default 'approval'
   */
  readonly name?: string;
}

/**
 * A unit of work. Created with the static factories; everything except approvals runs in a node container.
 * Generated commands read their inputs from env vars, so no value is ever pasted into code on either backend.
 */
export class Step {
  /** Runs `script` with `sh` in a container (Jenkins `sh`, Tekton step `script`). */
  public static run(script: string, options: StepOptions = {}): Step {
    return new Step(StepKind.RUN, 'run', options, { script }, () => {
      if (script.trim().length === 0) {
        fail(undefined, 'step-script-empty', 'a run step has an empty script', 'pass the commands to run');
      }
    });
  }

  /**
   * Checks out the source the run is for: Jenkins `checkout scm`; Tekton a git fetch of `$SOURCE_URL` at
   * `$SOURCE_REVISION` (pipeline params, bound by the trigger) into the run's source workspace. The container needs git.
   */
  public static checkout(options: StepOptions = {}): Step {
    return new Step(StepKind.CHECKOUT, 'checkout', options, { script: CHECKOUT_SCRIPT });
  }

  /** Builds and pushes an image with kaniko (`/kaniko/executor`); the container must be a kaniko (debug) image. */
  public static buildImage(props: BuildImageProps): Step {
    const tag = typeof props.tag === 'string' ? props.tag : undefined;
    const creds = props.registryCredentials;
    const checks = () => {
      if (!/^[a-z0-9][a-z0-9._\-/:]*$/.test(props.repository) || props.repository.includes('@')) {
        fail(undefined, 'build-image-repository', `image repository ${show(props.repository)} is not a plain repository`,
          "write e.g. 'registry.example.com/shop/web' (no tag, no digest)");
      }
      if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
        fail(undefined, 'build-image-tag', `image tag ${show(tag)} is not a valid tag`, 'use letters, digits, _ . and -, at most 128');
      }
      if (creds && creds.kind !== SecretKind.USERNAME_PASSWORD) {
        fail(undefined, 'build-image-credentials', `registry credentials ${show(creds.credentialsId)} are not a username/password secret`,
          'use Secret.usernamePassword(...)');
      }
    };
    const tagExpr = tag !== undefined ? tag : `\${${(props.tag as Param).name}}`;
    const context = props.context ?? '.';
    const dockerfile = props.dockerfile ?? 'Dockerfile';
    const lines = ['set -eu'];
    if (creds) {
      const registry = props.repository.split('/')[0];
      lines.push(
        'mkdir -p /kaniko/.docker',
        `auth=$(printf '%s:%s' "$${creds.variable}_USR" "$${creds.variable}_PSW" | base64 | tr -d '\\n')`,
        `printf '{"auths":{"%s":{"auth":"%s"}}}' ${shq(registry)} "$auth" > /kaniko/.docker/config.json`,
      );
    }
    // --cleanup: kaniko unpacks images over its own root filesystem; clean it so the next build in this container starts fresh.
    lines.push(`/kaniko/executor --cleanup --context="dir://$PWD/"${shq(context)} --dockerfile=${shq(dockerfile)} \\`,
      `  --destination=${shq(props.repository)}:"${tagExpr}"`);
    const secrets = [...(props.secrets ?? []), ...(creds ? [creds] : [])];
    return new Step(StepKind.RUN, 'build-image', { ...props, secrets },
      { script: lines.join('\n'), params: typeof props.tag === 'string' ? [] : [props.tag] }, checks);
  }

  /** Publishes JUnit XML reports matching `pattern` (Jenkins `junit`; Tekton: checked to exist and kept in the workspace). */
  public static publishTests(pattern: string, options: StepOptions = {}): Step {
    return new Step(StepKind.PUBLISH_TESTS, 'publish-tests', options, { pattern, script: keepScript('STEP_TEST_RESULTS', 'test report') },
      () => assertPattern(pattern));
  }

  /** Keeps files matching `pattern` (Jenkins `archiveArtifacts`; Tekton: checked to exist and kept in the workspace). */
  public static archiveArtifacts(pattern: string, options: StepOptions = {}): Step {
    return new Step(StepKind.ARCHIVE_ARTIFACTS, 'archive', options, { pattern, script: keepScript('STEP_ARTIFACTS', 'artifact') },
      () => assertPattern(pattern));
  }

  /** `kubectl apply` of manifests synthesized by this repository (e.g. `dist/shop.k8s.yaml` from `apps/`). */
  public static applyManifests(props: ApplyManifestsProps): Step {
    const ns = props.namespace !== undefined ? ` --namespace ${shq(props.namespace)}` : '';
    const script = ['set -eu', ...props.files.map((f) => `kubectl apply${ns} --filename ${shq(f)}`)].join('\n');
    return new Step(StepKind.RUN, 'apply', props, { script }, () => {
      if (props.files.length === 0) {
        fail(undefined, 'apply-files', 'applyManifests has no files', "list the synthesized manifests, e.g. ['dist/shop.k8s.yaml']");
      }
      for (const f of props.files) assertPattern(f);
      if (props.namespace !== undefined) Names.assertDnsLabel(undefined, 'namespace', props.namespace);
    });
  }

  /** Promotes an Argo Rollouts canary to its next step (`kubectl argo rollouts promote`). */
  public static promoteRollout(props: RolloutStepProps): Step {
    return new Step(StepKind.RUN, 'promote', props, { script: rolloutScript('promote', props) }, () => assertRollout(props));
  }

  /** Aborts an Argo Rollouts canary, scaling the stable version back up (`kubectl argo rollouts abort`). */
  public static abortRollout(props: RolloutStepProps): Step {
    return new Step(StepKind.RUN, 'abort', props, { script: rolloutScript('abort', props) }, () => assertRollout(props));
  }

  /** Waits until the Rollout is healthy, failing on degraded or timeout (`kubectl argo rollouts status`). */
  public static waitForRollout(props: WaitForRolloutProps): Step {
    const timeout = props.timeout ?? Duration.minutes(10);
    return new Step(StepKind.RUN, 'wait-rollout', props, { script: rolloutScript('status', props, ` --timeout ${wholeSeconds(timeout)}s`) }, () => {
      assertRollout(props);
      if (wholeSeconds(timeout) < 1) {
        fail(undefined, 'timeout-positive', `rollout wait timeout ${goDuration(timeout)} is shorter than a second`, 'use at least Duration.seconds(1)');
      }
    });
  }

  /**
   * Waits for a person to approve (Jenkins `input`). Tekton has no built-in approval: lowering fails unless the
   * Tekton options name a mapping (the manual-approval-gate `ApprovalTask` custom task). Must be its stage's only step.
   */
  public static approval(props: ApprovalProps): Step {
    return new Step(StepKind.APPROVAL, 'approval', { name: props.name }, { message: props.message, approvers: props.approvers ?? [] }, () => {
      if (props.message.trim().length === 0) {
        fail(undefined, 'approval-message', 'an approval has an empty message', 'say what is being approved');
      }
      for (const a of props.approvers ?? []) {
        if (!/^[A-Za-z0-9_.@-]+$/.test(a)) {
          fail(undefined, 'approval-approver', `approver ${show(a)} is not a plain user or group id`, "use ids such as 'release-managers'");
        }
      }
    });
  }

  /** What the step does. */
  public readonly kind: StepKind;
  /** The explicit name, if given. */
  public readonly name?: string;
  /** The default name for its kind. */
  public readonly defaultName: string;
  /** The container, if given. */
  public readonly container?: string;
  /** Step-level secrets. */
  public readonly secrets: Secret[];
  /** Directory relative to the checkout, if set. */
  public readonly dir?: string;
  /** The shell script (run steps; for checkout/publish/archive the Tekton-side script). */
  public readonly script?: string;
  /** File pattern (publish/archive). */
  public readonly pattern?: string;
  /** Approval message. */
  public readonly message?: string;
  /** Approvers. */
  public readonly approvers: string[];
  /** Params granted explicitly, and those the step's generated command reads (through their env vars). */
  public readonly params: Param[];
  /** Matrix axes granted explicitly. */
  public readonly axes: string[];
  /** True for image builds, which change their container's filesystem (kaniko). */
  public readonly buildsImage: boolean;

  private constructor(kind: StepKind, defaultName: string, options: StepOptions,
    body: { script?: string; pattern?: string; message?: string; approvers?: string[]; params?: Param[] }, checks: () => void = () => undefined) {
    this.kind = kind;
    this.name = options.name;
    this.defaultName = defaultName;
    this.container = options.container;
    this.secrets = [...(options.secrets ?? [])];
    this.dir = options.dir;
    this.script = body.script;
    this.pattern = body.pattern;
    this.message = body.message;
    this.approvers = body.approvers ?? [];
    this.params = [...(options.params ?? []), ...(body.params ?? [])].filter((x, i, all) => all.indexOf(x) === i);
    this.axes = [...(options.axes ?? [])];
    this.buildsImage = defaultName === 'build-image';
    checkValue(this, () => {
      checks();
      if (options.name !== undefined) Names.assertDnsLabel(undefined, 'step name', options.name);
      if (options.container !== undefined) Names.assertDnsLabel(undefined, 'step container', options.container);
      if (options.dir !== undefined) {
        if (kind === StepKind.APPROVAL) fail(undefined, 'step-dir', 'an approval has no directory', 'drop dir');
        if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(options.dir) || options.dir.split('/').some((x) => x === '..' || x === '.')) {
          fail(undefined, 'step-dir', `step directory ${show(options.dir)} is not a plain relative path`, "use e.g. 'services/orders' (letters, digits, _ . - and /, no '..')");
        }
      }
      for (const a of this.axes) Names.assertIdentifier(undefined, 'matrix axis name', a);
      [...this.secrets, ...this.params].forEach(rethrowRefusal);
    });
  }

  /** Env vars a Tekton step needs to carry this step's own inputs (the pattern of publish/archive). */
  public get inputs(): Record<string, string> {
    if (this.kind === StepKind.PUBLISH_TESTS) return { STEP_TEST_RESULTS: this.pattern! };
    if (this.kind === StepKind.ARCHIVE_ARTIFACTS) return { STEP_ARTIFACTS: this.pattern! };
    return {};
  }
}

/** POSIX single-quoting: the shell sees exactly `s`. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The Tekton-side checkout: every input comes from env (SOURCE_URL, SOURCE_REVISION). */
export const CHECKOUT_SCRIPT = [
  'set -eu',
  'git init -q .',
  'git remote add origin "$SOURCE_URL"',
  'git fetch -q --depth 1 origin "$SOURCE_REVISION"',
  'git checkout -q FETCH_HEAD',
].join('\n');

function keepScript(variable: string, what: string): string {
  return [
    'set -eu',
    `found=$(find . -type f -path "./$${variable}" | wc -l)`,
    `if [ "$found" -eq 0 ]; then echo "no ${what} file matches $${variable}" >&2; exit 1; fi`,
    `echo "$found ${what} file(s) kept in the source workspace"`,
  ].join('\n');
}

function assertRollout(props: RolloutStepProps): void {
  Names.assertDnsSubdomain(undefined, 'rollout name', props.rollout);
  if (props.namespace !== undefined) Names.assertDnsLabel(undefined, 'rollout namespace', props.namespace);
}

/** The rollout command; names are checked by {@link assertRollout} (DNS names need no quoting). */
function rolloutScript(verb: string, props: RolloutStepProps, extra = ''): string {
  const ns = props.namespace !== undefined ? ` --namespace ${props.namespace}` : '';
  return `kubectl argo rollouts ${verb} ${props.rollout}${ns}${extra}`;
}

function assertPattern(p: string): void {
  if (p.length === 0 || /[\r\n"`$\\]/.test(p) || p.startsWith('/') || p.split('/').includes('..')) {
    fail(undefined, 'file-pattern', `file pattern ${show(p)} is not a plain relative path or glob`,
      "use a path relative to the checkout without quotes, '$', '\\' or '..', e.g. 'reports/**/*.xml'");
  }
}
