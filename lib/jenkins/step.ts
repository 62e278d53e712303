import { Duration, durationMillis, goDuration, jenkinsTime, show } from '../core';
import { Arg, Call, Expr, list, named, num, optBool, optNum, optStr, str, sym, textOrStr } from './ast';
import { Credential } from './credential';
import { Text } from './groovy';
import { Parameter } from './parameter';
import { Problems } from './problems';

/** Options of the shell steps (`sh`, `bat`, `powershell`, `pwsh`). */
export interface ShellOptions {
  /**
   * Label shown for the step in the UI instead of the script.
   * @default - the script
   */
  readonly label?: string;
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
  readonly url: string;
  /**
   * Branch to check out.
   * @default 'master' (the git step's default)
   */
  readonly branch?: string;
  /**
   * Credential for the repository.
   * @default - anonymous
   */
  readonly credentialsId?: string;
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
  readonly name: string;
  /**
   * Ant-style include patterns, comma-separated.
   * @default - everything
   */
  readonly includes?: string;
  /**
   * Ant-style exclude patterns, comma-separated.
   * @default - nothing
   */
  readonly excludes?: string;
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
  readonly artifacts: string;
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
  readonly excludes?: string;
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
}

/** Props of {@link Step.input}. */
export interface InputStepProps {
  /** The question shown to the approver. */
  readonly message: string;
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
  /** Credential: a kubeconfig file, token, certificate or username/password. */
  readonly credentialsId: string;
  /**
   * API server URL.
   * @default - taken from the credential (required unless it is a kubeconfig file)
   */
  readonly serverUrl?: string;
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
  readonly namespace?: string;
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

/** A value for {@link Step.call} arguments. */
export type StepArgValue = string | number | boolean | string[] | Text;

/** Steps Declarative blocks or that only work as the sole step (`validator/BlockedStepsAndMethodCalls`). */
const BLOCKED_STEPS = new Set(['stage', 'properties', 'parallel', 'node', 'pipeline']);
const STEP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One step in a `steps`, `post` or block step. Build them with the static factories, e.g.
 * `Step.sh('make test')`, `Step.withCredentials([...], [...])`. Every string is emitted as a single-quoted
 * literal, so `$VAR` in a script is expanded by the shell, not by Groovy.
 */
export class Step {
  /** `sh`: a POSIX shell script. A leading `#!` stays the first character, so the shebang is honoured. */
  public static sh(script: string, options: ShellOptions = {}): Step {
    return Step.shell('sh', script, options);
  }

  /** `bat`: a Windows batch script. */
  public static bat(script: string, options: ShellOptions = {}): Step {
    return Step.shell('bat', script, options);
  }

  /** `powershell`: a Windows PowerShell script. */
  public static powershell(script: string, options: ShellOptions = {}): Step {
    return Step.shell('powershell', script, options);
  }

  /** `pwsh`: a PowerShell Core script. */
  public static pwsh(script: string, options: ShellOptions = {}): Step {
    return Step.shell('pwsh', script, options);
  }

  /** `checkout scm`: checks out the revision that triggered the build. */
  public static checkout(): Step {
    return new Step({ name: 'checkout', args: [{ value: sym('scm') }] });
  }

  /** `git`: clones a repository. */
  public static git(props: GitStepProps): Step {
    const p = new Problems();
    p.nonEmpty('step-missing-argument', 'git url', props.url, 'give the repository URL');
    return new Step({ name: 'git', problems: p.result, args: named([['url', str(props.url)], ['branch', optStr(props.branch)],
      ['credentialsId', optStr(props.credentialsId)], ['changelog', optBool(props.changelog)], ['poll', optBool(props.poll)]]) });
  }

  /** `stash`: saves files for a later `unstash` on another agent. */
  public static stash(props: StashProps): Step {
    const p = new Problems();
    p.nonEmpty('step-missing-argument', 'stash name', props.name, 'name the stash');
    return new Step({ name: 'stash', problems: p.result, args: named([['name', str(props.name)], ['includes', optStr(props.includes)],
      ['excludes', optStr(props.excludes)], ['allowEmpty', optBool(props.allowEmpty)],
      ['useDefaultExcludes', optBool(props.useDefaultExcludes)]]) });
  }

  /** `unstash`: restores a stash. */
  public static unstash(name: string): Step {
    const p = new Problems();
    p.nonEmpty('step-missing-argument', 'unstash name', name, 'name the stash');
    return new Step({ name: 'unstash', args: [{ value: str(name) }], problems: p.result });
  }

  /** `archiveArtifacts`: keeps files with the build. */
  public static archiveArtifacts(props: ArchiveArtifactsProps): Step {
    const p = new Problems();
    p.nonEmpty('step-missing-argument', 'archiveArtifacts artifacts', props.artifacts, 'give an Ant-style pattern');
    return new Step({ name: 'archiveArtifacts', problems: p.result, args: named([['artifacts', str(props.artifacts)],
      ['excludes', optStr(props.excludes)], ['fingerprint', optBool(props.fingerprint)],
      ['allowEmptyArchive', optBool(props.allowEmptyArchive)], ['onlyIfSuccessful', optBool(props.onlyIfSuccessful)]]) });
  }

  /** `junit`: records JUnit XML test reports. */
  public static junit(testResults: string, options: JunitOptions = {}): Step {
    const p = new Problems();
    p.nonEmpty('step-missing-argument', 'junit testResults', testResults, 'give an Ant-style pattern of XML reports');
    const extra = named([['allowEmptyResults', optBool(options.allowEmptyResults)],
      ['keepLongStdio', optBool(options.keepLongStdio)], ['skipPublishingChecks', optBool(options.skipPublishingChecks)]]);
    const args = extra.length === 0 ? [{ value: str(testResults) }] : [{ key: 'testResults', value: str(testResults) }, ...extra];
    return new Step({ name: 'junit', args, problems: p.result });
  }

  /** `dir`: runs the steps in a sub-directory of the workspace. */
  public static dir(path: string, steps: Step[]): Step {
    const p = new Problems();
    p.nonEmpty('step-missing-argument', 'dir path', path, 'give a directory');
    return new Step({ name: 'dir', args: [{ value: str(path) }], problems: p.result }, steps);
  }

  /** `timeout`: aborts the steps after `time`. */
  public static timeout(time: Duration, steps: Step[], options: TimeoutOptions = {}): Step {
    const p = new Problems();
    const t = jenkinsTime(time);
    if (durationMillis(time) <= 0) p.add('timeout-positive', `timeout ${goDuration(time)} is not positive`, 'use a duration above zero');
    return new Step({ name: 'timeout', problems: p.result,
      args: named([['time', num(t.time)], ['unit', str(t.unit)], ['activity', optBool(options.activity)]]) }, steps);
  }

  /** `retry`: runs the steps up to `count` times until they succeed. */
  public static retry(count: number, steps: Step[]): Step {
    const p = new Problems();
    p.wholeNumber('retry count', count, 1);
    return new Step({ name: 'retry', args: [{ value: num(count) }], problems: p.result }, steps);
  }

  /** `echo`: prints a message. A {@link Text} with references becomes a GString the generator builds. */
  public static echo(message: string | Text): Step {
    return new Step({ name: 'echo', args: [{ value: textOrStr(message) }] });
  }

  /** `error`: fails the build with a message. */
  public static error(message: string | Text): Step {
    return new Step({ name: 'error', args: [{ value: textOrStr(message) }] });
  }

  /** `input` as a step: pauses for approval (prefer the stage `input` directive, which frees the agent). */
  public static input(props: InputStepProps): Step {
    const p = new Problems();
    if (props.message.trim() === '') {
      p.add('input-message-required', 'input message is empty', 'say what the approver is asked, e.g. "Deploy to production?"');
    }
    if (props.submitterParameter !== undefined) p.identifier('input submitterParameter', props.submitterParameter);
    const params = props.parameters?.map((x) => x._toCall());
    return new Step({ name: 'input', problems: p.result, args: named([['message', str(props.message)], ['id', optStr(props.id)],
      ['ok', optStr(props.ok)], ['submitter', optStr(props.submitter)], ['submitterParameter', optStr(props.submitterParameter)],
      ['parameters', params ? list(params.map((call): Expr => ({ k: 'call', call }))) : undefined]]) });
  }

  /** `container`: runs the steps in another container of the kubernetes pod agent. */
  public static container(name: string, steps: Step[], options: ContainerStepOptions = {}): Step {
    const p = new Problems();
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
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
   * `withEnv(['K=V', …])`: sets environment variables for the steps. Names are validated identifiers; values are
   * literal text (never interpolated by Groovy).
   */
  public static withEnv(variables: Record<string, string>, steps: Step[]): Step {
    const p = new Problems();
    const names = Object.keys(variables);
    if (names.length === 0) p.add('step-missing-argument', 'withEnv has no variables', 'set at least one variable');
    for (const n of names) p.identifier('withEnv variable', n);
    return new Step({ name: 'withEnv', args: [{ value: list(names.map((n) => str(`${n}=${variables[n]}`))) }], problems: p.result }, steps);
  }

  /** `withKubeConfig` (kubernetes-cli plugin): sets `KUBECONFIG` for the steps from a credential. */
  public static withKubeConfig(props: KubeConfigProps, steps: Step[]): Step {
    const p = new Problems();
    p.nonEmpty('credentials-id', 'withKubeConfig credentialsId', props.credentialsId, 'give the id of a Jenkins credential');
    const args = named([['credentialsId', str(props.credentialsId)], ['serverUrl', optStr(props.serverUrl)],
      ['caCertificate', optStr(props.caCertificate)], ['clusterName', optStr(props.clusterName)],
      ['contextName', optStr(props.contextName)], ['namespace', optStr(props.namespace)]]);
    return new Step({ name: 'withKubeConfig', args, problems: p.result }, steps);
  }

  /**
   * `script { … }`: the escape hatch for Scripted Groovy (variables, `if`, calls on objects). The code is
   * emitted as written: never build it from untrusted text. Braces and strings must balance (checked).
   */
  public static script(groovy: string): Step {
    return new Step({ name: 'script', args: [], raw: groovy, problems: checkRawGroovy('script', groovy) });
  }

  /** `cleanWs()` (ws-cleanup plugin): deletes the workspace. */
  public static cleanWs(): Step {
    return new Step({ name: 'cleanWs', args: [] });
  }

  /** `deleteDir()`: deletes the current directory. */
  public static deleteDir(): Step {
    return new Step({ name: 'deleteDir', args: [] });
  }

  /** `milestone`: older builds still before this point are aborted when a newer build passes it. */
  public static milestone(ordinal?: number): Step {
    const p = new Problems();
    p.wholeNumber('milestone ordinal', ordinal, 0);
    return new Step({ name: 'milestone', args: named([['ordinal', optNum(ordinal)]]), problems: p.result });
  }

  /**
   * Any other plugin step with named arguments, e.g. `Step.call('slackSend', { channel: '#ci', message: 'done' })`.
   * The name must be an identifier and not a step Declarative blocks (`stage`, `properties`, `parallel`, `node`).
   */
  public static call(name: string, args: Record<string, StepArgValue> = {}, steps?: Step[]): Step {
    const p = new Problems();
    if (!STEP_NAME.test(name)) {
      p.add('step-name', `step name ${show(name)} is not an identifier`, 'use the step\'s symbol, e.g. "slackSend"');
    } else if (BLOCKED_STEPS.has(name)) {
      p.add('step-blocked', `step ${show(name)} is not allowed in Declarative steps`,
        name === 'parallel' ? 'use Stage.addParallel() instead' : name === 'stage' ? 'use Stage.addStage() instead'
          : 'use the matching Declarative section (agent, options, parameters, triggers) instead');
    }
    return new Step({ name, args: namedArgs(`step ${show(name)}`, args, p), problems: p.result }, steps);
  }

  private static shell(name: string, script: string, o: ShellOptions): Step {
    const p = new Problems();
    if (script.trim() === '') p.add('step-missing-argument', `${name} script is empty`, 'give the script to run');
    if (o.returnStdout && o.returnStatus) {
      p.add('shell-return-exclusive', `${name} sets both returnStdout and returnStatus`, 'choose one of them');
    }
    const extra = named([['label', optStr(o.label)], ['returnStdout', optBool(o.returnStdout)],
      ['returnStatus', optBool(o.returnStatus)], ['encoding', optStr(o.encoding)]]);
    const args = extra.length === 0 ? [{ value: str(script) }] : [{ key: 'script', value: str(script) }, ...extra];
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

/**
 * Named arguments of a generic call (`Step.call`, `Option.of`, `Trigger.of`), sorted by name for stable output.
 * @internal
 */
export function namedArgs(what: string, args: Record<string, StepArgValue>, p: Problems): Arg[] {
  const keys = Object.keys(args).sort();
  for (const k of keys) {
    if (!STEP_NAME.test(k)) p.add('identifier', `argument name ${show(k)} of ${what} is not an identifier`, 'use the parameter name');
  }
  const toExpr = (v: StepArgValue): Expr => (typeof v === 'number' ? num(v) : typeof v === 'boolean' ? { k: 'bool', v }
    : Array.isArray(v) ? list(v.map(str)) : textOrStr(v as string | Text));
  return keys.map((k) => ({ key: k, value: toExpr(args[k]) }));
}

/** Checks a generic call name is an identifier (it is emitted as a method name, never escaped). @internal */
export function checkCallName(what: string, name: string, p: Problems): void {
  if (!STEP_NAME.test(name)) p.add('step-name', `${what} name ${show(name)} is not an identifier`, "use the plugin's symbol, e.g. \"slackSend\"");
}

/**
 * Checks an escape-hatch Groovy body: not empty, and its braces, brackets and parentheses balance outside
 * strings and comments, so it cannot close the block it is placed in.
 * @internal
 */
export function checkRawGroovy(what: string, code: string): Problems['list'] | undefined {
  const p = new Problems();
  if (code.trim() === '') p.add('raw-groovy', `${what} body is empty`, `write the Groovy code, or drop the ${what} block`);
  // Groovy turns \uXXXX into characters before lexing, so an escaped brace or quote could close the block.
  if (/(^|[^\\])(\\\\)*\\u/.test(code)) {
    p.add('raw-groovy', `${what} body contains a \\u unicode escape`, 'write the character itself instead of \\uXXXX');
  }
  const { error, bare } = scan(code);
  if (error) p.add('raw-groovy', `${what} body ${error}`, 'balance every {, [ and ( and close every string and comment');
  if (/(^|[^\w.$])pipeline\s*\{/.test(bare)) {
    p.add('pipeline-top-level', `${what} body contains a pipeline block; pipeline must be at the top level, not within another block`,
      'move the stages into this Jenkinsfile instead of nesting a pipeline');
  }
  return p.result;
}

/** Scans Groovy outside strings and comments: the first imbalance, and the code with strings and comments removed. */
function scan(code: string): { error?: string; bare: string } {
  const stack: string[] = [];
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  let bare = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (code.startsWith('//', i)) {
      const nl = code.indexOf('\n', i);
      i = nl < 0 ? code.length : nl;
    } else if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2);
      if (end < 0) return { error: 'has an unclosed /* comment', bare };
      i = end + 2;
    } else if (code.startsWith("'''", i) || code.startsWith('"""', i)) {
      const q = code.slice(i, i + 3);
      let j = i + 3;
      while (j < code.length && !code.startsWith(q, j)) j += code[j] === '\\' ? 2 : 1;
      if (j >= code.length) return { error: `has an unclosed ${q} string`, bare };
      i = j + 3;
      bare += ' "" ';
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      if (j >= code.length || code[j] !== c) return { error: `has an unclosed ${c} string`, bare };
      i = j + 1;
      bare += ' "" ';
    } else {
      if (c === '{' || c === '[' || c === '(') stack.push(c);
      else if (c in pairs && stack.pop() !== pairs[c]) return { error: `has an unmatched ${show(c)}`, bare };
      bare += c;
      i++;
    }
  }
  return { error: stack.length ? `has an unclosed ${show(stack[stack.length - 1])}` : undefined, bare };
}
