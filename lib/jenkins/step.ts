import { Duration, Names, show } from '../core';
import { Arg, Call, Expr, bool, list, named, num, optBool, optNum, optStr, str, sym, textOrStr } from './ast';
import { Credential } from './credential';
import { Ref, Text } from './groovy';
import { Parameter } from './parameter';
import { Problems } from './problems';
import { ContainerTemplate } from './container-template';
import { KubernetesAgentProps, renderKubernetesAgent } from './kubernetes-agent';
import { checkRawGroovy } from './raw-groovy';
import { CallArgs, StepArgValue, Value, callArgs, checkCallName, timeArgs, timeoutArgs, valueExpr } from './value';

/** Text the step reads at run time: a literal, or a {@link Text} with references (a GString the generator builds). */
export type RunTimeText = string | Text;

/** `Expr` for optional run-time text. */
const optText = (v: RunTimeText | undefined): Expr | undefined => (v === undefined ? undefined : textOrStr(v));
/** Literal text that must not be empty (Text is read at run time, so it is not checked). */
function nonEmpty(p: Problems, rule: string, what: string, v: RunTimeText, fix: string): void {
  if (typeof v === 'string') p.nonEmpty(rule, what, v, fix);
}

/** Options of the shell steps (`sh`, `bat`, `powershell`, `pwsh`). */
export interface ShellOptions {
  /**
   * Label shown for the step in the UI instead of the script.
   * @default - the script
   */
  readonly label?: RunTimeText;
  /**
   * Return the standard output (only useful inside `script {}`).
   * @default false
   */
  readonly returnStdout?: boolean;
  /**
   * Return the exit status instead of failing on non-zero (only useful inside `script {}`).
   * @default false
   */
  readonly returnStatus?: boolean;
  /**
   * Encoding of the output.
   * @default - the agent's default
   */
  readonly encoding?: string;
}

/** Props of {@link Step.git}. */
export interface GitStepProps {
  /** Repository URL. */
  readonly url: RunTimeText;
  /**
   * Branch to check out.
   * @default 'master' (the git step's default)
   */
  readonly branch?: RunTimeText;
  /**
   * Credential for the repository (an id, never the secret).
   * @default - anonymous
   */
  readonly credentialsId?: RunTimeText;
  /**
   * Include the checkout in the changelog.
   * @default true
   */
  readonly changelog?: boolean;
  /**
   * Include the repository in SCM polling.
   * @default true
   */
  readonly poll?: boolean;
}

/** Props of {@link Step.stash}. */
export interface StashProps {
  /** Stash name. */
  readonly name: RunTimeText;
  /**
   * Ant-style include patterns, comma-separated.
   * @default - everything
   */
  readonly includes?: RunTimeText;
  /**
   * Ant-style exclude patterns, comma-separated.
   * @default - nothing
   */
  readonly excludes?: RunTimeText;
  /**
   * Allow an empty stash.
   * @default false
   */
  readonly allowEmpty?: boolean;
  /**
   * Apply Ant's default excludes.
   * @default true
   */
  readonly useDefaultExcludes?: boolean;
}

/** Props of {@link Step.archiveArtifacts}. */
export interface ArchiveArtifactsProps {
  /** Ant-style pattern of files to archive. */
  readonly artifacts: RunTimeText;
  /**
   * Record fingerprints.
   * @default false
   */
  readonly fingerprint?: boolean;
  /**
   * Do not fail when nothing matches.
   * @default false
   */
  readonly allowEmptyArchive?: boolean;
  /**
   * Ant-style pattern of files to leave out.
   * @default - nothing
   */
  readonly excludes?: RunTimeText;
  /**
   * Archive only if the build succeeded.
   * @default false
   */
  readonly onlyIfSuccessful?: boolean;
}

/** Options of {@link Step.junit}. */
export interface JunitOptions {
  /**
   * Do not fail when no report matches.
   * @default false
   */
  readonly allowEmptyResults?: boolean;
  /**
   * Keep full stdout/stderr of passing tests.
   * @default false
   */
  readonly keepLongStdio?: boolean;
  /**
   * Do not publish GitHub checks.
   * @default false
   */
  readonly skipPublishingChecks?: boolean;
  /**
   * How much test stdout/stderr to keep (junit 1265+: `'all'`, `'failed'`, `'none'`), replacing `keepLongStdio`.
   * @default - the plugin's default
   */
  readonly stdioRetention?: JunitStdioRetention;
  /**
   * Do not mark the build unstable when tests fail.
   * @default false
   */
  readonly skipMarkingBuildUnstable?: boolean;
  /**
   * Amplification factor of failures on the health report.
   * @default 1.0
   */
  readonly healthScaleFactor?: number;
}

/** What `junit` keeps of test output (`stdioRetention`). */
export class JunitStdioRetention {
  /** `'all'`: keep the output of every test. */
  public static readonly ALL = new JunitStdioRetention('all');
  /** `'failed'`: keep the output of failed tests only. */
  public static readonly FAILED = new JunitStdioRetention('failed');
  /** `'none'`: keep no test output. */
  public static readonly NONE = new JunitStdioRetention('none');

  private constructor(
    /** The value the junit step takes. */
    public readonly value: string,
  ) {}
}

/** One `cleanWs` pattern: files to delete (`INCLUDE`) or to keep (`EXCLUDE`). */
export class CleanWsPattern {
  /** `[pattern: 'x', type: 'INCLUDE']`: delete the files matching the Ant pattern. */
  public static include(pattern: string): CleanWsPattern {
    return new CleanWsPattern(pattern, 'INCLUDE');
  }

  /** `[pattern: 'x', type: 'EXCLUDE']`: keep the files matching the Ant pattern. */
  public static exclude(pattern: string): CleanWsPattern {
    return new CleanWsPattern(pattern, 'EXCLUDE');
  }

  private constructor(
    /** The Ant-style pattern. */
    public readonly pattern: string,
    /** `INCLUDE` or `EXCLUDE`. */
    public readonly type: string,
  ) {}
}

/** Props of {@link Step.cleanWs} (ws-cleanup plugin). */
export interface CleanWsProps {
  /**
   * Which files to delete or keep; without patterns the whole workspace is deleted.
   * @default - everything
   */
  readonly patterns?: CleanWsPattern[];
  /**
   * Apply the patterns to directories too.
   * @default false
   */
  readonly deleteDirs?: boolean;
  /**
   * Delete in place instead of renaming first and deleting in the background.
   * @default false
   */
  readonly disableDeferredWipeout?: boolean;
  /**
   * Do not fail the build when the cleanup fails.
   * @default false
   */
  readonly notFailBuild?: boolean;
  /**
   * Clean when the build succeeded.
   * @default true
   */
  readonly cleanWhenSuccess?: boolean;
  /**
   * Clean when the build is unstable.
   * @default true
   */
  readonly cleanWhenUnstable?: boolean;
  /**
   * Clean when the build failed.
   * @default true
   */
  readonly cleanWhenFailure?: boolean;
  /**
   * Clean when the build was not built.
   * @default true
   */
  readonly cleanWhenNotBuilt?: boolean;
  /**
   * Clean when the build was aborted.
   * @default true
   */
  readonly cleanWhenAborted?: boolean;
  /**
   * Clean only when the build has no errors.
   * @default false
   */
  readonly skipWhenFailed?: boolean;
  /**
   * An external command that deletes (`%s` is the path).
   * @default - the plugin deletes the files itself
   */
  readonly externalDelete?: string;
}

/** When `retry` tries again (workflow-basic-steps 2.24+ `conditions`). */
export class RetryCondition {
  /** `agent()`: retry when the agent was lost (disconnected or removed). */
  public static agent(): RetryCondition {
    return new RetryCondition({ name: 'agent', args: [] });
  }

  /** `nonresumable()`: retry when the controller restarted during a step that cannot resume. */
  public static nonresumable(): RetryCondition {
    return new RetryCondition({ name: 'nonresumable', args: [] });
  }

  /** `kubernetesAgent()`: retry when the kubernetes agent pod was deleted or evicted (kubernetes plugin). */
  public static kubernetesAgent(handleNonKubernetes?: boolean): RetryCondition {
    return new RetryCondition({ name: 'kubernetesAgent', args: named([['handleNonKubernetes', optBool(handleNonKubernetes)]]) });
  }

  private constructor(private readonly call: Call) {}

  /** @internal */
  public _toExpr(): Expr {
    return { k: 'call', call: this.call };
  }
}

/** Options of {@link Step.retry}. */
export interface RetryOptions {
  /**
   * Retry only on these conditions (e.g. a lost agent), not on every failure.
   * @default - retry on any failure
   */
  readonly conditions?: RetryCondition[];
}

/** Options of {@link Step.milestone}. */
export interface MilestoneOptions {
  /**
   * Label shown for the milestone.
   * @default - none
   */
  readonly label?: string;
  /**
   * Allow a newer build to be aborted by an older one that passed this milestone first (`unsafe`).
   * @default false
   */
  readonly unsafe?: boolean;
}

/** Options of {@link Step.library}. */
export interface LibraryStepOptions {
  /**
   * Include the library's changes in the build's changelog.
   * @default true
   */
  readonly changelog?: boolean;
}

/** Props of {@link Step.input}. */
export interface InputStepProps {
  /** The question shown to the approver. */
  readonly message: RunTimeText;
  /**
   * Id of the input (for the REST API).
   * @default - derived from the message
   */
  readonly id?: string;
  /**
   * Text of the "proceed" button.
   * @default 'Proceed'
   */
  readonly ok?: string;
  /**
   * Comma-separated users or groups allowed to answer.
   * @default - anyone with Job/Build permission
   */
  readonly submitter?: string;
  /**
   * Variable that receives the approver's user id.
   * @default - not recorded
   */
  readonly submitterParameter?: string;
  /**
   * Parameters the approver fills in.
   * @default - none
   */
  readonly parameters?: Parameter[];
}

/** Props of {@link Step.withKubeConfig} (kubernetes-cli plugin). */
export interface KubeConfigProps {
  /** Credential: a kubeconfig file, token, certificate or username/password (an id, never the secret). */
  readonly credentialsId: RunTimeText;
  /**
   * API server URL.
   * @default - taken from the credential (required unless it is a kubeconfig file)
   */
  readonly serverUrl?: RunTimeText;
  /**
   * CA certificate of the API server (PEM).
   * @default - from the kubeconfig / not verified
   */
  readonly caCertificate?: string;
  /**
   * Cluster name in the generated kubeconfig.
   * @default 'k8s'
   */
  readonly clusterName?: string;
  /**
   * Context name in the generated kubeconfig.
   * @default 'k8s'
   */
  readonly contextName?: string;
  /**
   * Default namespace.
   * @default - the credential's
   */
  readonly namespace?: RunTimeText;
}

/** Options of {@link Step.timeout}. */
export interface TimeoutOptions {
  /**
   * Count the time since the last log activity instead of the total time.
   * @default false
   */
  readonly activity?: boolean;
}

/** Options of {@link Step.container}. */
export interface ContainerStepOptions {
  /**
   * Shell to run `sh` with in that container.
   * @default - /bin/sh
   */
  readonly shell?: string;
}


/** Props of {@link Step.properties} (Scripted job properties). */
export interface JobPropertiesProps {
  /**
   * Job properties as value trees, e.g. `Value.call('buildDiscarder', [Value.call('logRotator', { numToKeepStr: '10' })])`.
   * @default - none
   */
  readonly properties?: StepArgValue[];
  /**
   * Build parameters (`parameters([...])`).
   * @default - none
   */
  readonly parameters?: Parameter[];
  /**
   * Build triggers (`pipelineTriggers([...])`), e.g. `Trigger.cron('H 4 * * *')`.
   * @default - none
   */
  readonly triggers?: Array<{ _toCall(): Call }>;
}

/** Props of {@link Step.podTemplate}: the kubernetes agent's, plus Scripted `containerTemplate`s. */
export interface PodTemplateProps extends KubernetesAgentProps {
  /**
   * Containers in the plugin's `containerTemplate(...)` form (`containers: [...]`), merged into the pod.
   * @default - none
   */
  readonly containerTemplates?: ContainerTemplate[];
  /**
   * The older form: the pod's label is a variable computed earlier, and the body runs in `node(label)`
   * (`podTemplate(label: label, …) { node(label) { … } }`), e.g. `Ref.variable('label')`.
   * @default - `node(POD_LABEL)`, the label the plugin generates
   */
  readonly labelVariable?: Ref;
}

/** The `catch` part of {@link Step.tryCatch}. */
export interface CatchProps {
  /**
   * The variable holding the exception.
   * @default 'err'
   */
  readonly variable?: string;
  /**
   * The exception classes this clause catches, e.g. `['hudson.AbortException']` or
   * `['InterruptedException', 'org.jenkinsci.plugins.workflow.steps.FlowInterruptedException']` (a multi-catch).
   * @default - any exception (`catch (err)`)
   */
  readonly types?: string[];
  /** Steps that run when a step of the `try` body throws. */
  readonly steps: Step[];
}

/** Props of {@link Step.tryCatch}: `try { } catch (e) { } finally { }`. */
export interface TryCatchProps {
  /** The steps that may fail. */
  readonly steps: Step[];
  /**
   * What to do when they fail: one clause, or several tried in order (`catch (AbortException e) { } catch (err) { }`).
   * @default - no catch (then give `finally`)
   */
  readonly catch?: CatchProps | CatchProps[];
  /**
   * Steps that run whatever happened.
   * @default - no finally (then give `catch`)
   */
  readonly finally?: Step[];
}

/** Options of {@link Step.define}. */
export interface DefineOptions {
  /**
   * The declared type instead of `def`, e.g. `String`, `int`, `List<String>`.
   * @default - `def`
   */
  readonly type?: string;
}

/** Options of {@link Step.dockerInside}. */
export interface DockerInsideOptions {
  /**
   * Extra `docker run` arguments, e.g. `'-u 1000 -v /cache:/cache'`.
   * @default - none
   */
  readonly args?: RunTimeText;
}

/** Options of {@link Step.parallel}. */
export interface ParallelStepOptions {
  /**
   * Abort the other branches when one fails.
   * @default false
   */
  readonly failFast?: boolean;
}

/**
 * One step in a `steps`, `post` or block step, or a statement of a Scripted pipeline. Build them with the static
 * factories, e.g. `Step.sh('make test')`, `Step.withCredentials([...], [...])`. Every string is emitted as a
 * single-quoted literal, so `$VAR` in a script is expanded by the shell, not by Groovy; a {@link Text} with
 * references becomes a GString the generator builds (secrets are refused there).
 */
export class Step {
  /**
   * `sh`: a POSIX shell script. A leading `#!` stays the first character, so the shebang is honoured. A
   * {@link Text} is interpolated by Groovy before the shell runs (`sh "make ${env.TARGET}"`); prefer `$VAR`.
   */
  public static sh(script: RunTimeText, options: ShellOptions = {}): Step {
    return Step.shell('sh', script, options);
  }

  /** `bat`: a Windows batch script. */
  public static bat(script: RunTimeText, options: ShellOptions = {}): Step {
    return Step.shell('bat', script, options);
  }

  /** `powershell`: a Windows PowerShell script. */
  public static powershell(script: RunTimeText, options: ShellOptions = {}): Step {
    return Step.shell('powershell', script, options);
  }

  /** `pwsh`: a PowerShell Core script. */
  public static pwsh(script: RunTimeText, options: ShellOptions = {}): Step {
    return Step.shell('pwsh', script, options);
  }

  /** `checkout scm`: checks out the revision that triggered the build. */
  public static checkout(): Step {
    return new Step({ name: 'checkout', args: [{ value: sym('scm') }] });
  }

  /** `git`: clones a repository. */
  public static git(props: GitStepProps): Step {
    const p = new Problems();
    nonEmpty(p, 'step-missing-argument', 'git url', props.url, 'give the repository URL');
    return new Step({ name: 'git', problems: p.result, args: named([['url', textOrStr(props.url)], ['branch', optText(props.branch)],
      ['credentialsId', optText(props.credentialsId)], ['changelog', optBool(props.changelog)], ['poll', optBool(props.poll)]]) });
  }

  /** `stash`: saves files for a later `unstash` on another agent. */
  public static stash(props: StashProps): Step {
    const p = new Problems();
    nonEmpty(p, 'step-missing-argument', 'stash name', props.name, 'name the stash');
    return new Step({ name: 'stash', problems: p.result, args: named([['name', textOrStr(props.name)], ['includes', optText(props.includes)],
      ['excludes', optText(props.excludes)], ['allowEmpty', optBool(props.allowEmpty)],
      ['useDefaultExcludes', optBool(props.useDefaultExcludes)]]) });
  }

  /** `unstash`: restores a stash. */
  public static unstash(name: RunTimeText): Step {
    const p = new Problems();
    nonEmpty(p, 'step-missing-argument', 'unstash name', name, 'name the stash');
    return new Step({ name: 'unstash', args: [{ value: textOrStr(name) }], problems: p.result });
  }

  /** `archiveArtifacts`: keeps files with the build. */
  public static archiveArtifacts(props: ArchiveArtifactsProps): Step {
    const p = new Problems();
    nonEmpty(p, 'step-missing-argument', 'archiveArtifacts artifacts', props.artifacts, 'give an Ant-style pattern');
    return new Step({ name: 'archiveArtifacts', problems: p.result, args: named([['artifacts', textOrStr(props.artifacts)],
      ['excludes', optText(props.excludes)], ['fingerprint', optBool(props.fingerprint)],
      ['allowEmptyArchive', optBool(props.allowEmptyArchive)], ['onlyIfSuccessful', optBool(props.onlyIfSuccessful)]]) });
  }

  /** `junit`: records JUnit XML test reports. */
  public static junit(testResults: RunTimeText, options: JunitOptions = {}): Step {
    const p = new Problems();
    nonEmpty(p, 'step-missing-argument', 'junit testResults', testResults, 'give an Ant-style pattern of XML reports');
    if (options.keepLongStdio !== undefined && options.stdioRetention !== undefined) {
      p.add('junit-stdio-exclusive', 'junit sets both keepLongStdio and stdioRetention', 'use stdioRetention (it replaces keepLongStdio)');
    }
    p.finite('junit healthScaleFactor', options.healthScaleFactor, { min: 0 });
    const extra = named([['allowEmptyResults', optBool(options.allowEmptyResults)],
      ['keepLongStdio', optBool(options.keepLongStdio)], ['stdioRetention', optStr(options.stdioRetention?.value)],
      ['skipPublishingChecks', optBool(options.skipPublishingChecks)],
      ['skipMarkingBuildUnstable', optBool(options.skipMarkingBuildUnstable)], ['healthScaleFactor', optNum(options.healthScaleFactor)]]);
    const args = extra.length === 0 ? [{ value: textOrStr(testResults) }] : [{ key: 'testResults', value: textOrStr(testResults) }, ...extra];
    return new Step({ name: 'junit', args, problems: p.result });
  }

  /** `dir`: runs the steps in a sub-directory of the workspace. */
  public static dir(path: RunTimeText, steps: Step[]): Step {
    const p = new Problems();
    nonEmpty(p, 'step-missing-argument', 'dir path', path, 'give a directory');
    return new Step({ name: 'dir', args: [{ value: textOrStr(path) }], problems: p.result }, steps);
  }

  /** `timeout`: aborts the steps after `time`. */
  public static timeout(time: Duration, steps: Step[], options: TimeoutOptions = {}): Step {
    const p = new Problems();
    const args = timeoutArgs(time, options.activity, p);
    return new Step({ name: 'timeout', problems: p.result, args }, steps);
  }

  /** `sleep(time: n, unit: 'UNIT')`: pauses the build, e.g. `Step.sleep(Duration.seconds(30))`. */
  public static sleep(time: Duration): Step {
    const p = new Problems();
    return new Step({ name: 'sleep', args: timeArgs('sleep', time, p).args, problems: p.result });
  }

  /**
   * `retry`: runs the steps up to `count` times until they succeed; with `conditions`, only retries on those
   * (`retry(count: 3, conditions: [agent(), nonresumable()])`).
   */
  public static retry(count: number, steps: Step[], options: RetryOptions = {}): Step {
    const p = new Problems();
    p.wholeNumber('retry count', count, 1);
    if (options.conditions !== undefined && options.conditions.length === 0) {
      p.add('retry-conditions-empty', 'retry has an empty conditions list, so it would never retry', 'list at least one RetryCondition, or leave conditions out');
    }
    const args: Arg[] = options.conditions === undefined ? [{ value: num(count) }]
      : [{ key: 'count', value: num(count) }, { key: 'conditions', value: list(options.conditions.map((c) => c._toExpr())) }];
    return new Step({ name: 'retry', args, problems: p.result }, steps);
  }

  /** `echo`: prints a message. A {@link Text} with references becomes a GString the generator builds. */
  public static echo(message: RunTimeText): Step {
    return new Step({ name: 'echo', args: [{ value: textOrStr(message) }] });
  }

  /** `error`: fails the build with a message. */
  public static error(message: RunTimeText): Step {
    return new Step({ name: 'error', args: [{ value: textOrStr(message) }] });
  }

  /** `input` as a step: pauses for approval (prefer the stage `input` directive, which frees the agent). */
  public static input(props: InputStepProps): Step {
    const p = new Problems();
    if (typeof props.message === 'string' && props.message.trim() === '') {
      p.add('input-message-required', 'input message is empty', 'say what the approver is asked, e.g. "Deploy to production?"');
    }
    if (props.submitterParameter !== undefined) p.identifier('input submitterParameter', props.submitterParameter);
    const params = props.parameters?.map((x) => x._toCall());
    return new Step({ name: 'input', problems: p.result, args: named([['message', textOrStr(props.message)], ['id', optStr(props.id)],
      ['ok', optStr(props.ok)], ['submitter', optStr(props.submitter)], ['submitterParameter', optStr(props.submitterParameter)],
      ['parameters', params ? list(params.map((call): Expr => ({ k: 'call', call }))) : undefined]]) });
  }

  /** `container`: runs the steps in another container of the kubernetes pod agent. */
  public static container(name: string, steps: Step[], options: ContainerStepOptions = {}): Step {
    const p = new Problems();
    if (!Names.isDnsLabel(name)) {
      p.add('container-name', `container name ${show(name)} is not a DNS-1123 label`,
        'use the name of a container in the pod: lowercase letters, digits and -');
    }
    const args: Arg[] = options.shell === undefined ? [{ value: str(name) }]
      : named([['name', str(name)], ['shell', str(options.shell)]]);
    return new Step({ name: 'container', args, problems: p.result }, steps);
  }

  /** `withCredentials`: binds credentials to variables for the steps. Reference them as `$VAR` in scripts. */
  public static withCredentials(bindings: Credential[], steps: Step[]): Step {
    const p = new Problems();
    if (bindings.length === 0) {
      p.add('credentials-bindings-empty', 'withCredentials has no bindings', 'add at least one Credential binding');
    }
    const vars = bindings.flatMap((b) => b.variables);
    const dup = vars.find((v, i) => vars.indexOf(v) !== i);
    if (dup !== undefined) {
      p.add('credentials-variable-duplicate', `withCredentials binds variable ${show(dup)} twice`, 'give each binding its own variable');
    }
    const calls = bindings.map((b) => b._toCall());
    return new Step({ name: 'withCredentials', args: [{ value: list(calls.map((call): Expr => ({ k: 'call', call }))) }],
      problems: p.result, binds: vars }, steps);
  }

  /**
   * `withEnv(['K=V', …])`: sets environment variables for the steps. Names are validated identifiers; a literal
   * value is never interpolated by Groovy, a {@link Text} value is (`"K=${env.X}"`).
   */
  public static withEnv(variables: Record<string, RunTimeText>, steps: Step[]): Step {
    const p = new Problems();
    const names = Object.keys(variables);
    if (names.length === 0) p.add('step-missing-argument', 'withEnv has no variables', 'set at least one variable');
    for (const n of names) p.identifier('withEnv variable', n);
    const entry = (n: string): Expr => {
      const v = variables[n];
      return typeof v === 'string' ? str(`${n}=${v}`) : textOrStr(Text.of(`${n}=`, ...v.parts));
    };
    return new Step({ name: 'withEnv', args: [{ value: list(names.map(entry)) }], problems: p.result }, steps);
  }

  /** `withKubeConfig` (kubernetes-cli plugin): sets `KUBECONFIG` for the steps from a credential. */
  public static withKubeConfig(props: KubeConfigProps, steps: Step[]): Step {
    const p = new Problems();
    nonEmpty(p, 'credentials-id', 'withKubeConfig credentialsId', props.credentialsId, 'give the id of a Jenkins credential');
    const args = named([['credentialsId', textOrStr(props.credentialsId)], ['serverUrl', optText(props.serverUrl)],
      ['caCertificate', optStr(props.caCertificate)], ['clusterName', optStr(props.clusterName)],
      ['contextName', optStr(props.contextName)], ['namespace', optText(props.namespace)]]);
    return new Step({ name: 'withKubeConfig', args, problems: p.result }, steps);
  }

  /**
   * `script { … }`. Given Groovy text, the escape hatch for Scripted Groovy (variables, `if`, calls on objects),
   * emitted as written: never build it from untrusted text; braces and strings must balance (checked). Given
   * steps, a block of typed steps where Declarative's step restrictions stop (e.g. `Step.stage` or `Step.parallel`
   * inside a Declarative stage), still escaped and checked like every other step.
   */
  public static script(body: string | Step[]): Step {
    if (typeof body !== 'string') return new Step({ name: 'script', args: [], scripted: true }, body);
    return new Step({ name: 'script', args: [], raw: body, problems: checkRawGroovy('script', body) });
  }

  /** `cleanWs(...)` (ws-cleanup plugin): deletes the workspace, or the files the patterns select. */
  public static cleanWs(props: CleanWsProps = {}): Step {
    const p = new Problems();
    if (props.patterns !== undefined && props.patterns.length === 0) {
      p.add('step-missing-argument', 'cleanWs has an empty patterns list', 'give at least one CleanWsPattern, or leave patterns out');
    }
    const patterns = props.patterns?.map((x): Expr => ({ k: 'map', entries: [['pattern', str(x.pattern)], ['type', str(x.type)]] }));
    const flags = ['cleanWhenAborted', 'cleanWhenFailure', 'cleanWhenNotBuilt', 'cleanWhenSuccess', 'cleanWhenUnstable', 'deleteDirs',
      'disableDeferredWipeout', 'notFailBuild', 'skipWhenFailed'] as const;
    return new Step({ name: 'cleanWs', problems: p.result, args: named([
      ...flags.map((k): [string, Expr | undefined] => [k, optBool(props[k])]), ['externalDelete', optStr(props.externalDelete)],
      ['patterns', patterns ? list(patterns) : undefined]]) });
  }

  /** `deleteDir()`: deletes the current directory. */
  public static deleteDir(): Step {
    return new Step({ name: 'deleteDir', args: [] });
  }

  /** `milestone`: older builds still before this point are aborted when a newer build passes it. */
  public static milestone(ordinal?: number, options: MilestoneOptions = {}): Step {
    const p = new Problems();
    p.wholeNumber('milestone ordinal', ordinal, 0);
    const args = named([['ordinal', optNum(ordinal)], ['label', optStr(options.label)], ['unsafe', optBool(options.unsafe)]]);
    return new Step({ name: 'milestone', args, problems: p.result });
  }

  /**
   * `library 'name@version'`: loads a shared library at run time (its global variables are then callable by
   * `Step.call`). Not the `libraries` directive: this one can take a version read at run time.
   */
  public static library(name: string, version?: RunTimeText, options: LibraryStepOptions = {}): Step {
    const p = new Problems();
    if (name.trim() === '' || name.includes('@')) {
      p.add('library-name', `library name ${show(name)} is empty or contains '@'`, 'give the library name and pass the version separately: Step.library(name, version)');
    }
    const id = version === undefined ? str(name) : textOrStr(typeof version === 'string' ? `${name}@${version}` : Text.of(`${name}@`, ...version.parts));
    const args: Arg[] = options.changelog === undefined ? [{ value: id }] : [{ key: 'identifier', value: id }, { key: 'changelog', value: bool(options.changelog) }];
    return new Step({ name: 'library', args, problems: p.result });
  }

  /**
   * Any other plugin step, e.g. `Step.call('slackSend', { channel: '#ci', message: 'done' })`. Arguments are value
   * trees (lists, maps, nested calls with `Value.call`, run-time {@link Text}); an array gives positional arguments
   * (`Step.call('sshagent', [['deploy-key']], [...])`). The name must be an identifier and not a Groovy keyword;
   * steps that are Scripted structure (`stage`, `parallel`, `node`, `properties`) are refused in Declarative steps.
   */
  public static call(name: string, args: CallArgs = {}, steps?: Step[]): Step {
    const p = new Problems();
    checkCallName('step', name, p);
    return new Step({ name, args: callArgs(`step ${show(name)}`, args, p), problems: p.result }, steps);
  }

  /**
   * Scripted `node('label') { … }`: allocates an executor and workspace (in Declarative, use an agent). The label may
   * be a variable computed earlier: `Step.node(Ref.variable('label'), [...])` → `node(label) { … }`.
   */
  public static node(label: RunTimeText | Ref | undefined, steps: Step[]): Step {
    const p = new Problems();
    const value = label instanceof Ref ? valueExpr(Value.ref(label), p) : label === undefined ? undefined : textOrStr(label);
    return new Step({ name: 'node', args: value === undefined ? [] : [{ value }], scriptedOnly: true, problems: p.result }, steps);
  }

  /**
   * Scripted `parallel branches`: runs the branches of a map built at run time, e.g.
   * `Step.define('branches', {})`, then `Step.forIn('svc', services, [Step.putBranch(Ref.variable('branches'), Text.of(Ref.variable('svc')), [...])])`,
   * then `Step.parallelOf(Ref.variable('branches'))`. For branches known in code, use {@link Step.parallel}.
   */
  public static parallelOf(branches: Ref): Step {
    const p = new Problems();
    return new Step({ name: 'parallel', args: [{ value: valueExpr(Value.ref(branches), p) }], scriptedOnly: true, problems: p.result });
  }

  /**
   * Scripted `branches[name] = { … }`: adds a branch to a map for {@link Step.parallelOf}. The steps run later, in
   * whatever `node` the branch or the `parallel` call provides.
   */
  public static putBranch(branches: Ref, name: RunTimeText, steps: Step[]): Step {
    const p = new Problems();
    nonEmpty(p, 'parallel-branches', 'parallel branch name', name, 'give the branch a name');
    return new Step({ name: 'branch', args: [{ value: valueExpr(Value.ref(branches), p) }, { value: textOrStr(name) }], scriptedOnly: true, problems: p.result }, steps);
  }

  /** Scripted `stage('name') { … }` (in Declarative, use `addStage`). */
  public static stage(name: RunTimeText, steps: Step[]): Step {
    const p = new Problems();
    nonEmpty(p, 'stage-name-required', 'stage name', name, 'give the stage a name');
    return new Step({ name: 'stage', args: [{ value: textOrStr(name) }], scriptedOnly: true, problems: p.result }, steps);
  }

  /** Scripted `parallel('a': { … }, 'b': { … })`: branches that run at the same time (in Declarative, use `addParallel`). */
  public static parallel(branches: Record<string, Step[]>, options: ParallelStepOptions = {}): Step {
    const p = new Problems();
    const names = Object.keys(branches);
    if (names.length === 0) p.add('parallel-branches', 'parallel has no branches', 'give at least one branch');
    if (names.includes('failFast')) {
      p.add('parallel-branches', 'a parallel branch is named "failFast", which the step reads as its option', 'rename the branch');
    }
    return new Step({ name: 'parallel', args: named([['failFast', optBool(options.failFast)]]), scriptedOnly: true, problems: p.result,
      branches: names.map((n) => [n, branches[n].map((s) => s._toCall())]) });
  }

  /** Scripted `properties([...])`: job properties, parameters and triggers set when the build runs. */
  public static properties(props: JobPropertiesProps): Step {
    const p = new Problems();
    const items: Expr[] = (props.properties ?? []).map((v) => valueExpr(v, p));
    if (props.parameters) items.push({ k: 'call', call: { name: 'parameters', args: [{ value: list(props.parameters.map((x): Expr => ({ k: 'call', call: x._toCall() }))) }] } });
    if (props.triggers) items.push({ k: 'call', call: { name: 'pipelineTriggers', args: [{ value: list(props.triggers.map((x): Expr => ({ k: 'call', call: x._toCall() }))) }] } });
    if (items.length === 0) p.add('section-empty', 'properties is empty', 'give properties, parameters or triggers');
    return new Step({ name: 'properties', args: [{ value: list(items) }], scriptedOnly: true, problems: p.result });
  }

  /**
   * Scripted `if (condition) { … } else { … }`, e.g.
   * `Step.ifThen(Value.expression("env.BRANCH_NAME == 'main'"), [Step.sh('./deploy.sh')])`. The condition is a
   * {@link Value} (a reference or a Groovy expression); the blocks are typed steps. Allowed in Scripted files and
   * inside `Step.script([...])`.
   */
  public static ifThen(condition: Value, steps: Step[], otherwise?: Step[]): Step {
    const p = new Problems();
    const cond = valueExpr(condition, p);
    return new Step({ name: 'if', args: [{ value: cond }], scriptedOnly: true, problems: p.result,
      elseBlock: otherwise?.map((s) => s._toCall()) }, steps);
  }

  /**
   * Scripted `for (variable in items) { … }`: the steps run once per item, reading it with `Ref.variable(variable)`,
   * e.g. `Step.forIn('svc', ['api', 'web'], [Step.sh(Text.of('make -C ', Ref.variable('svc')))])`. Allowed in Scripted
   * files and inside `Step.script([...])`.
   */
  public static forIn(variable: string, items: StepArgValue, steps: Step[]): Step {
    const p = new Problems();
    p.identifier('loop variable', variable);
    return new Step({ name: 'for', args: [{ key: variable, value: valueExpr(items, p) }], scriptedOnly: true, problems: p.result }, steps);
  }

  /**
   * Scripted `def name = value`: a local variable for the following steps (read it with `Ref.variable(name)`), e.g.
   * `Step.define('VERSION', Value.expression("readFile('VERSION').trim()"))`.
   */
  public static define(name: string, value: StepArgValue, options: DefineOptions = {}): Step {
    const p = new Problems();
    p.identifier('variable', name);
    if (options.type !== undefined && !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(<[\w$.,<>? ]+>)?(\[\])*$/.test(options.type)) {
      p.add('groovy-type', `variable ${show(name)} has the type ${show(options.type)}, which is not a Groovy type name`, "give a class name such as 'String' or 'List<String>', or leave type out");
    }
    return new Step({ name: 'def', args: [{ key: name, value: valueExpr(value, p) }], scriptedOnly: true, problems: p.result, declaredType: options.type });
  }

  /**
   * Scripted `while (condition) { … }`: the steps run while the condition holds, e.g.
   * `Step.whileLoop(Value.expression('attempts < 3'), [...])`.
   */
  public static whileLoop(condition: Value, steps: Step[]): Step {
    const p = new Problems();
    return new Step({ name: 'while', args: [{ value: valueExpr(condition, p) }], scriptedOnly: true, problems: p.result }, steps);
  }

  /** Scripted `try { … } catch (err) { … } finally { … }`, e.g. to notify on failure and clean up whatever happened. */
  public static tryCatch(props: TryCatchProps): Step {
    const p = new Problems();
    if (props.catch === undefined && props.finally === undefined) {
      p.add('try-needs-catch', 'try has neither catch nor finally', 'give catch steps, finally steps or both');
    }
    const clauses = props.catch === undefined ? [] : Array.isArray(props.catch) ? props.catch as readonly CatchProps[] : [props.catch as CatchProps];
    if (Array.isArray(props.catch) && clauses.length === 0) p.add('try-needs-catch', 'try has an empty list of catch clauses', 'give at least one catch clause, or leave catch out and give finally');
    const catches = clauses.map((k) => {
      const variable = k.variable ?? 'err';
      p.identifier('catch variable', variable);
      for (const t of k.types ?? []) {
        if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(t)) {
          p.add('groovy-type', `catch type ${show(t)} is not an exception class name`, "give a class name such as 'hudson.AbortException' or 'InterruptedException'");
        }
      }
      return { variable, types: [...k.types ?? []], block: k.steps.map((s) => s._toCall()) };
    });
    return new Step({ name: 'try', args: [], scriptedOnly: true, problems: p.result, catches,
      finallyBlock: props.finally?.map((s) => s._toCall()) }, props.steps);
  }

  /**
   * Scripted assignment `target = value`: `Step.assign(Ref.env('APP_VERSION'), Text.of('1.0.', Ref.env('BUILD_NUMBER')))`
   * → `env.APP_VERSION = "1.0.${env.BUILD_NUMBER}"`, `Step.assign(Ref.currentBuild('result'), 'UNSTABLE')`, or a local
   * variable defined earlier with `Step.define` (`Ref.variable(name)`). Build parameters are read-only, and only the
   * writable `currentBuild` properties (result, displayName, description, keepLog) are accepted.
   */
  public static assign(target: Ref, value: StepArgValue): Step {
    const p = new Problems();
    p.identifier('assignment target', target.name);
    if (target.owner === 'params') {
      p.add('assign-target', `${show(target.toGroovy())} is a build parameter, which is read-only`, 'assign Ref.env(name) or a local variable (Step.define) instead');
    } else if (target.owner === 'currentBuild' && !WRITABLE_BUILD.includes(target.name)) {
      p.add('assign-target', `${show(target.toGroovy())} cannot be set (writable: ${WRITABLE_BUILD.join(', ')})`,
        `assign one of Ref.currentBuild(${WRITABLE_BUILD.map((x) => `'${x}'`).join(' | ')})`);
    }
    if (target.owner === 'currentBuild' && target.name === 'result' && typeof value === 'string' && !BUILD_RESULTS.includes(value)) {
      p.add('build-result', `currentBuild.result ${show(value)} is not a build result`, `assign one of ${BUILD_RESULTS.map((x) => `'${x}'`).join(', ')}`);
    }
    return new Step({ name: 'assign', args: [{ key: target.toGroovy(), value: valueExpr(value, p) }], scriptedOnly: true, problems: p.result });
  }

  /**
   * Scripted `throw error`: rethrows a caught exception (`Step.throwError(Ref.variable('err'))`) or throws a new
   * one (`Step.throwError(Value.expression("new IllegalStateException('no tag')"))`). To fail a build with a
   * message, `Step.error(message)` is the usual step.
   */
  public static throwError(error: Ref | Value): Step {
    const p = new Problems();
    return new Step({ name: 'throw', args: [{ value: valueExpr(error instanceof Ref ? Value.ref(error) : error, p) }], scriptedOnly: true, problems: p.result });
  }

  /**
   * Scripted `return value` (or a bare `return`): ends a helper function with its result, or ends a Scripted
   * file's remaining steps early.
   */
  public static returnValue(value?: StepArgValue): Step {
    const p = new Problems();
    return new Step({ name: 'return', args: value === undefined ? [] : [{ value: valueExpr(value, p) }], scriptedOnly: true, problems: p.result });
  }

  /**
   * Docker Pipeline's `docker.image('image').inside('args') { … }`: the steps run in a container of the image, the
   * workspace mounted. Needs a node (`Step.node`).
   */
  public static dockerInside(image: RunTimeText, steps: Step[], options: DockerInsideOptions = {}): Step {
    const p = new Problems();
    nonEmpty(p, 'step-missing-argument', 'docker image', image, 'give the image, e.g. \'node:20\'');
    return new Step({ name: 'docker.image.inside', args: [{ value: textOrStr(image) }, ...options.args === undefined ? [] : [{ value: textOrStr(options.args) }]],
      scriptedOnly: true, problems: p.result }, steps);
  }

  /**
   * Docker Pipeline's `docker.withRegistry('https://registry', 'credentials-id') { … }`: logs in to the registry
   * for the steps, with the credentials by id (never their value).
   */
  public static dockerWithRegistry(url: RunTimeText, credentialsId: string | undefined, steps: Step[]): Step {
    const p = new Problems();
    if (credentialsId !== undefined) p.nonEmpty('step-missing-argument', 'docker registry credentials id', credentialsId, 'give the credentials id, or leave it out for an anonymous registry');
    return new Step({ name: 'docker.withRegistry', args: [{ value: textOrStr(url) }, ...credentialsId === undefined ? [] : [{ value: str(credentialsId) }]],
      scriptedOnly: true, problems: p.result }, steps);
  }

  /**
   * Scripted `podTemplate(...) { node(POD_LABEL) { … } }` (kubernetes plugin): the same pod, YAML and Pod
   * Security checks as `Agent.kubernetes()`; run steps in its containers with `Step.container`. Declarative-only
   * settings (`defaultContainer`, `customWorkspace`, `retries`) and a `yamlFile` for a pod built in code are refused.
   */
  public static podTemplate(props: PodTemplateProps, steps: Step[]): Step {
    const r = renderKubernetesAgent(props, props.containerTemplates);
    const p = new Problems();
    for (const k of ['defaultContainer', 'customWorkspace', 'retries'] as const) {
      if (props[k] !== undefined) {
        p.add('pod-template-argument', `podTemplate does not take ${k} (it is a Declarative agent setting)`,
          k === 'defaultContainer' ? 'wrap the steps in Step.container(name, [...])' : `leave ${k} out of Step.podTemplate`);
      }
    }
    if (r.podFile !== undefined) {
      p.add('pod-template-argument', 'podTemplate cannot write a pod built in code to yamlFile', 'embed the pod (leave yamlFile out) or use Agent.kubernetes()');
    }
    if (props.labelVariable && props.label !== undefined) {
      p.add('pod-template-argument', 'podTemplate has both label and labelVariable', 'give one of them');
    }
    const label = props.labelVariable ? valueExpr(Value.ref(props.labelVariable), p) : undefined;
    const node = new Step({ name: 'node', args: [{ value: label ?? sym('POD_LABEL') }], scriptedOnly: true }, steps);
    const labelArg = label ? [{ key: 'label', value: label }] : [];
    return new Step({ name: 'podTemplate', args: [...labelArg, ...r.templateArgs.map((a) => ({ key: a.name, value: a.value }))], scriptedOnly: true,
      problems: [...r.ast.problems ?? [], ...p.list], podContainers: r.ast.containers }, [node]);
  }

  private static shell(name: string, script: RunTimeText, o: ShellOptions): Step {
    const p = new Problems();
    if (typeof script === 'string' && script.trim() === '') p.add('step-missing-argument', `${name} script is empty`, 'give the script to run');
    if (o.returnStdout && o.returnStatus) {
      p.add('shell-return-exclusive', `${name} sets both returnStdout and returnStatus`, 'choose one of them');
    }
    const extra = named([['label', optText(o.label)], ['returnStdout', optBool(o.returnStdout)],
      ['returnStatus', optBool(o.returnStatus)], ['encoding', optStr(o.encoding)]]);
    const args = extra.length === 0 ? [{ value: textOrStr(script) }] : [{ key: 'script', value: textOrStr(script) }, ...extra];
    return new Step({ name, args, problems: p.result });
  }

  private readonly head: Call;
  private readonly children?: Step[];

  private constructor(head: Call, children?: Step[]) {
    this.head = head;
    this.children = children ? [...children] : undefined;
  }

  /** The step's name, e.g. `sh`. */
  public get name(): string {
    return this.head.name;
  }

  /** @internal */
  public _toCall(): Call {
    return this.children ? { ...this.head, block: this.children.map((s) => s._toCall()) } : this.head;
  }
}

/** The `currentBuild` properties a Scripted pipeline may set (RunWrapper's setters). */
const WRITABLE_BUILD = ['result', 'displayName', 'description', 'keepLog'];
/** The `hudson.model.Result` names `currentBuild.result` accepts. */
const BUILD_RESULTS = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED'];
