import { App, Chart, Yaml } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import * as kplus from 'cdk8s-plus-28';
import {
  NameForm, Names, RuleViolation, annotationViolations, envNameViolations, imageViolations, integerViolations, labelViolations,
  nameViolations, quantityViolations, show,
} from '../core';
import { AgentAst, Expr, list, num, optBool, optNum, optStr, str } from './ast';
import { ContainerTemplate } from './container-template';
import { Problems } from './problems';

/**
 * Pod Security Standards level the agent pod is built for and checked against. The level changes what is
 * written: restricted adds non-root, drop ALL, seccomp RuntimeDefault and uid 1000; baseline and privileged add
 * nothing, so a container runs as its image says (kaniko as root), and the level and reason are written as pod
 * annotations, visible in the output.
 */
export class PodSecurity {
  /**
   * "restricted" (the default): non-root, no privilege escalation, capabilities dropped to ALL, seccomp
   * RuntimeDefault, no host namespaces or hostPath, and CPU/memory requests on every container.
   */
  public static readonly RESTRICTED = new PodSecurity('restricted', '');

  /**
   * "baseline": root allowed (e.g. an image builder such as kaniko), but no privileged containers, host
   * namespaces, hostPath volumes, host ports or capabilities beyond the baseline set. The reason is required.
   */
  public static baseline(reason: string): PodSecurity {
    return new PodSecurity('baseline', reason);
  }

  /** "privileged": no checks at all (e.g. docker-in-docker). The reason is required. */
  public static privileged(reason: string): PodSecurity {
    return new PodSecurity('privileged', reason);
  }

  /** Same as {@link PodSecurity.privileged}: no checks, nothing added. */
  public static unrestricted(reason: string): PodSecurity {
    return PodSecurity.privileged(reason);
  }

  private constructor(
    /** The Pod Security Standards level: `restricted`, `baseline` or `privileged`. */
    public readonly level: string,
    /** Why the pod cannot run restricted. */
    public readonly reason: string,
  ) {}

  /** True when the restricted defaults and checks apply. */
  public get restricted(): boolean {
    return this.level === 'restricted';
  }
}

/** When the plugin deletes the agent pod (`podRetention`). */
export class PodRetention {
  /** `never()`: delete the pod when the build is done. */
  public static readonly NEVER = new PodRetention('never');
  /** `always()`: keep the pod. */
  public static readonly ALWAYS = new PodRetention('always');
  /** `onFailure()`: keep the pod when the build failed. */
  public static readonly ON_FAILURE = new PodRetention('onFailure');
  /** `default()`: what the cloud is configured to do. */
  public static readonly DEFAULT = new PodRetention('default');

  private constructor(
    /** The retention symbol. */
    public readonly value: string,
  ) {}
}

/**
 * A container of the agent pod: cdk8s-plus container props plus what agent pods use and cdk8s-plus lacks.
 * The `jnlp` container may leave out the image: the plugin fills in its inbound-agent image.
 */
export interface AgentContainerProps extends Omit<kplus.ContainerProps, 'image'> {
  /**
   * The image.
   * @default - required, except for the `jnlp` container
   */
  readonly image?: string;
  /**
   * Allocate a TTY (`tty: true`), the usual way to keep a tool container running with `command: ['cat']`.
   * @default false
   */
  readonly tty?: boolean;
  /**
   * Keep stdin open.
   * @default false
   */
  readonly stdin?: boolean;
}

/** How the pod YAML combines with an inherited template (`yamlMergeStrategy`). */
export class YamlMergeStrategy {
  /** `override()`: this YAML replaces the parent's (the plugin's default). */
  public static readonly OVERRIDE = new YamlMergeStrategy('override');
  /** `merge()`: this YAML is merged into the parent's. */
  public static readonly MERGE = new YamlMergeStrategy('merge');

  private constructor(
    /** The strategy symbol. */
    public readonly value: string,
  ) {}
}

/** Props of `Agent.kubernetes()` (kubernetes plugin's declarative agent). */
export interface KubernetesAgentProps {
  /**
   * The pod's containers, as cdk8s-plus container props (plus `tty`/`stdin`). Only what you set is written, plus,
   * under `PodSecurity.RESTRICTED`, the restricted security fields (non-root, no privilege escalation, drop ALL,
   * seccomp RuntimeDefault) unless the container sets them itself, and requests of cpu 1000m / memory 512Mi when
   * it gives no resources at all. No limits, no `imagePullPolicy` and no API-server defaults are added. The plugin
   * adds its own `jnlp` container unless you list one.
   * @default - none (then give `yaml`, `pod`, `yamlFile` or `inheritFrom`)
   */
  readonly containers?: AgentContainerProps[];
  /**
   * The pod as YAML text, written as is (`yaml \'\'\'…\'\'\'`). It is parsed at synth and checked by the same container
   * name and Pod Security rules as a pod built from `containers`.
   * @default - the YAML built from `containers`/`pod`
   */
  readonly yaml?: string;
  /**
   * Customises the pod (volumes, extra containers, metadata) after the containers are added. The pod lives in a
   * private scope: it is embedded in the Jenkinsfile and never written to your chart's output.
   * @default - no customisation
   */
  readonly pod?: (pod: kplus.Pod) => void;
  /**
   * Read the pod from this file in the repository (`yamlFile`; needs the Jenkinsfile from SCM). With `containers`
   * or `pod`, the pod built in code is written to that file at synth (`jenkins/<yamlFile>` in the output, and
   * the committed copy at `<yamlFile>` is checked like the Jenkinsfile's), and the Jenkinsfile only names it.
   * @default - the YAML is embedded in the Jenkinsfile
   */
  readonly yamlFile?: string;
  /**
   * Label of the pod template (`label`), to share it between stages; most pipelines leave it to the plugin.
   * @default - a unique label generated by the plugin
   */
  readonly label?: string;
  /**
   * When the pod is deleted.
   * @default - the cloud's setting
   */
  readonly podRetention?: PodRetention;
  /**
   * Working directory of the agent containers (`workingDir`).
   * @default '/home/jenkins/agent'
   */
  readonly workingDir?: string;
  /**
   * Container the steps run in unless `container()` says otherwise.
   * @default - the plugin's `jnlp` container
   */
  readonly defaultContainer?: string;
  /**
   * Pod template(s) to inherit from (declarative pod templates inherit nothing otherwise).
   * @default - none
   */
  readonly inheritFrom?: string;
  /**
   * How the YAML combines with `inheritFrom`.
   * @default - the plugin's default (override)
   */
  readonly yamlMergeStrategy?: YamlMergeStrategy;
  /**
   * Kubernetes cloud name configured in Jenkins.
   * @default - the first cloud
   */
  readonly cloud?: string;
  /**
   * Namespace of the agent pod.
   * @default - the cloud's namespace
   */
  readonly namespace?: string;
  /**
   * Service account of the pod. Its token is mounted only when this is set (for in-cluster `kubectl`).
   * @default - the namespace's default, with no token mounted
   */
  readonly serviceAccount?: string;
  /**
   * Node selector, e.g. 'kubernetes.io/os=linux'.
   * @default - none
   */
  readonly nodeSelector?: string;
  /**
   * Workspace directory instead of the default.
   * @default - the default workspace
   */
  readonly customWorkspace?: string;
  /**
   * Keep an idle pod this many minutes for reuse.
   * @default 0
   */
  readonly idleMinutes?: number;
  /**
   * Pod `activeDeadlineSeconds`.
   * @default - none
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Print the pod YAML in the build log.
   * @default true
   */
  readonly showRawYaml?: boolean;
  /**
   * Retry the stage on a new pod when the agent is lost (`retries N`).
   * @default - no retry
   */
  readonly retries?: number;
  /**
   * Pod Security Standards level checked at synth.
   * @default PodSecurity.RESTRICTED
   */
  readonly podSecurity?: PodSecurity;
}

/** What `Agent.kubernetes()` builds. @internal */
export interface RenderedKubernetesAgent {
  readonly ast: AgentAst;
  /** The pod built in code (not for `yaml` text, which is written as given). */
  readonly pod?: Record<string, unknown>;
  /** Where the pod built in code is written instead of being embedded (`yamlFile`). */
  readonly podFile?: string;
  /** The named arguments of the same pod template for Scripted `podTemplate(...)`. */
  readonly templateArgs: ReadonlyArray<{ readonly name: string; readonly value: Expr }>;
}

const AGENT_UID = 1000;
/** Restricted fields added to each container unless it sets them itself (Kubernetes names). */
const RESTRICTED_CONTAINER: Record<string, unknown> = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
/** cdk8s-plus security props → the Kubernetes field each one writes. */
const SECURITY_FIELDS: Record<string, string> = {
  ensureNonRoot: 'runAsNonRoot', user: 'runAsUser', group: 'runAsGroup', privileged: 'privileged',
  allowPrivilegeEscalation: 'allowPrivilegeEscalation', readOnlyRootFilesystem: 'readOnlyRootFilesystem',
  capabilities: 'capabilities', seccompProfile: 'seccompProfile',
};
/** Values the API server (or the kubelet) assumes anyway when a field is absent: they are not written. */
const SERVER_DEFAULTS: Record<string, unknown> = {
  dnsPolicy: 'ClusterFirst', hostNetwork: false, hostPID: false, hostIPC: false, setHostnameAsFQDN: false,
  terminationGracePeriodSeconds: 30, shareProcessNamespace: false, enableServiceLinks: true,
};
const CONTAINER_SECURITY_DEFAULTS: Record<string, unknown> = { privileged: false, readOnlyRootFilesystem: false, runAsNonRoot: false };

/** @internal */
/** `templates`: Scripted `containerTemplate`s, checked with the pod and written as `containers: [...]`. */
export function renderKubernetesAgent(props: KubernetesAgentProps, templates: readonly ContainerTemplate[] = []): RenderedKubernetesAgent {
  const p = new Problems();
  const security = props.podSecurity ?? PodSecurity.RESTRICTED;
  if (!security.restricted && security.reason.trim() === '') {
    p.add('pod-security-reason', `PodSecurity ${security.level} has no reason`, 'say why the pod cannot run restricted');
  }
  const fromCode = props.containers !== undefined || props.pod !== undefined;
  if (fromCode && props.yaml !== undefined) {
    p.add('kubernetes-pod-source', 'kubernetes agent has both containers/pod and yaml', 'build the pod in code or give its YAML text, not both');
  }
  if (props.yaml !== undefined && props.yamlFile !== undefined) {
    p.add('kubernetes-pod-source', 'kubernetes agent has both yaml and yamlFile', 'embed the YAML or read it from yamlFile, not both');
  }
  if (!fromCode && props.yaml === undefined && props.yamlFile === undefined && props.inheritFrom === undefined && templates.length === 0) {
    p.add('kubernetes-pod-source', 'kubernetes agent has no pod: no containers, pod, yaml, yamlFile or inheritFrom',
      'pass containers (cdk8s-plus ContainerProps), yaml text, a yamlFile or inheritFrom');
  }
  p.nonEmpty('kubernetes-pod-source', 'kubernetes yamlFile', props.yamlFile, 'give the path of the pod YAML in the repository');
  if (fromCode && props.yamlFile !== undefined && !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(props.yamlFile)) {
    p.add('kubernetes-pod-source', `kubernetes yamlFile ${show(props.yamlFile)} is not a clean relative path`, "use a path such as 'ci/pod.yaml'");
  }
  p.all(props.namespace === undefined ? [] : nameViolations('kubernetes namespace', props.namespace, NameForm.DNS_LABEL));
  p.all(props.serviceAccount === undefined ? [] : nameViolations('kubernetes serviceAccount', props.serviceAccount, NameForm.DNS_SUBDOMAIN));
  p.wholeNumber('kubernetes idleMinutes', props.idleMinutes, 0);
  p.wholeNumber('kubernetes activeDeadlineSeconds', props.activeDeadlineSeconds, 1);
  p.wholeNumber('kubernetes retries', props.retries, 1);
  p.nonEmpty('kubernetes-label', 'kubernetes label', props.label, 'give a label, or leave it to the plugin');

  let pod: Record<string, any> | undefined;
  if (fromCode) pod = buildPod(props, security, p);
  else if (props.yaml !== undefined) pod = parsePodYaml(props.yaml, p);
  const own = pod;
  if (templates.length) {
    // The rules read template containers as part of the pod the plugin merges them into.
    const base = pod ?? { spec: { containers: [] } };
    pod = { ...base, spec: { ...base.spec, containers: [...base.spec?.containers ?? [], ...templates.map((t) => t._toPodContainer())] } };
  }
  let containers: string[] | undefined;
  if (pod) {
    const spec = pod.spec ?? {};
    containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c: any) => c?.name);
    // The plugin adds its own `jnlp` container unless the pod defines one.
    containers.forEach((name, i) => {
      if (typeof name !== 'string' || !Names.isDnsLabel(name)) {
        p.add('kubernetes-container-name', `container name ${show(name)} is not a DNS-1123 label`, 'use lowercase letters, digits and -');
      } else if (containers!.indexOf(name) !== i) {
        p.add('kubernetes-container-name', `container name ${show(name)} is used twice in the pod`, 'give each container its own name');
      }
    });
    checkPodSecurity(pod, security, p);
    checkPodValues(pod, p);
  }
  // Containers are only fully known when nothing is inherited or read from a file the Jenkinsfile does not write.
  const known = props.inheritFrom === undefined && (props.yamlFile === undefined || fromCode) ? containers : undefined;
  if (props.defaultContainer !== undefined && known !== undefined && ![...known, 'jnlp'].includes(props.defaultContainer)) {
    p.add('kubernetes-default-container', `defaultContainer ${show(props.defaultContainer)} is not a container of the pod ${show(known)}`,
      'name one of the pod\'s containers, or add the container');
  }

  const podFile = fromCode ? props.yamlFile : undefined;
  const yamlText = props.yaml ?? (own && fromCode && podFile === undefined ? Yaml.stringify(own) : undefined);
  const entries: Array<[string, Expr | undefined]> = [
    ['cloud', optStr(props.cloud)], ['namespace', optStr(props.namespace)], ['label', optStr(props.label)],
    ['inheritFrom', optStr(props.inheritFrom)],
    ['yamlMergeStrategy', props.yamlMergeStrategy ? symbolCall(props.yamlMergeStrategy.value) : undefined],
    ['defaultContainer', optStr(props.defaultContainer)], ['serviceAccount', optStr(props.serviceAccount)],
    ['nodeSelector', optStr(props.nodeSelector)], ['workingDir', optStr(props.workingDir)], ['customWorkspace', optStr(props.customWorkspace)],
    ['idleMinutes', optNum(props.idleMinutes)], ['activeDeadlineSeconds', optNum(props.activeDeadlineSeconds)],
    ['podRetention', props.podRetention ? symbolCall(props.podRetention.value) : undefined],
    ['showRawYaml', optBool(props.showRawYaml)], ['retries', props.retries === undefined ? undefined : num(props.retries)],
    ['yamlFile', optStr(props.yamlFile)], ['yaml', yamlText === undefined ? undefined : str(yamlText)],
  ];
  const params = entries.filter((e): e is [string, Expr] => e[1] !== undefined).map(([name, value]) => ({ name, value }));
  // Scripted podTemplate has no defaultContainer, customWorkspace or retries (those are Declarative's).
  const templateArgs = params.filter((x) => !['defaultContainer', 'customWorkspace', 'retries'].includes(x.name));
  if (templates.length) templateArgs.splice(templateArgs.length - (yamlText === undefined ? 0 : 1), 0, { name: 'containers', value: list(templates.map((t) => t._toExpr())) });
  return { ast: { type: 'kubernetes', bare: false, params, required: [], problems: p.result, containers: known }, pod: own, podFile, templateArgs };
}

const symbolCall = (name: string): Expr => ({ k: 'call', call: { name, args: [] } });

function parsePodYaml(text: string, p: Problems): Record<string, any> | undefined {
  try {
    const doc = parseYaml(text);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      p.add('kubernetes-pod-yaml', 'kubernetes yaml is not a mapping', 'give a Pod manifest (kind: Pod, spec.containers)');
      return undefined;
    }
    if (doc.kind !== undefined && doc.kind !== 'Pod') {
      p.add('kubernetes-pod-yaml', `kubernetes yaml has kind ${show(doc.kind)}`, 'give a Pod manifest (kind: Pod)');
    }
    return doc;
  } catch (e) {
    p.add('kubernetes-pod-yaml', `kubernetes yaml does not parse: ${(e as Error).message.split('\n')[0]}`, 'fix the YAML text');
    return undefined;
  }
}

function buildPod(props: KubernetesAgentProps, security: PodSecurity, p: Problems): Record<string, any> {
  // A private app: the pod is rendered here and embedded, so it never lands in the user's chart output.
  const chart = new Chart(new App(), 'agent');
  const list = props.containers ?? [];
  list.forEach((c) => {
    if (c.image === undefined && c.name !== 'jnlp') {
      p.add('kubernetes-container-image', `container ${show(c.name)} has no image`, 'give the image (only the jnlp container may leave it to the plugin)');
    }
  });
  let doc: Record<string, any>;
  try {
    const kpod = new kplus.Pod(chart, 'pod', {
      restartPolicy: kplus.RestartPolicy.NEVER,
      // A named service account is there to be used (e.g. in-cluster kubectl), so mount its token only then.
      automountServiceAccountToken: props.serviceAccount !== undefined,
      securityContext: security.restricted ? { ensureNonRoot: true, user: AGENT_UID, group: AGENT_UID, fsGroup: AGENT_UID } : { ensureNonRoot: false },
      containers: list.map(({ tty: _t, stdin: _s, ...c }) => ({ ...c, image: c.image ?? 'jnlp' })),
    });
    props.pod?.(kpod);
    doc = chart.toJson()[0] as Record<string, any>;
  } catch (e) {
    p.add('kubernetes-pod', `the agent pod is invalid: ${(e as Error).message}`, 'fix the container or pod props');
    return { apiVersion: 'v1', kind: 'Pod', spec: { containers: [] } };
  }
  // The plugin names the pod; drop cdk8s' generated name and address label so the YAML is stable and minimal.
  delete doc.metadata.name;
  if (doc.metadata.labels) {
    delete doc.metadata.labels['cdk8s.io/metadata.addr'];
    if (Object.keys(doc.metadata.labels).length === 0) delete doc.metadata.labels;
  }
  if (!security.restricted) {
    // The opt-out is written where reviewers and the cluster see it.
    doc.metadata.annotations = { ...doc.metadata.annotations, 'slipway.io/pod-security': security.level,
      'slipway.io/pod-security-reason': security.reason };
  }
  if (Object.keys(doc.metadata).length === 0) delete doc.metadata;
  minimisePod(doc, list, security);
  return doc;
}

/**
 * Keeps only what the user said and what the security level requires: cdk8s-plus adds `imagePullPolicy: Always`,
 * 1500m/2048Mi limits, its own security defaults and fields equal to the API server's defaults.
 */
function minimisePod(doc: Record<string, any>, list: readonly AgentContainerProps[], security: PodSecurity): void {
  const spec = doc.spec;
  for (const [k, v] of Object.entries(SERVER_DEFAULTS)) if (spec[k] === v) delete spec[k];
  if (spec.securityContext) {
    if (spec.securityContext.fsGroupChangePolicy === 'Always') delete spec.securityContext.fsGroupChangePolicy;
    if (spec.securityContext.runAsNonRoot === false) delete spec.securityContext.runAsNonRoot;
    if (Object.keys(spec.securityContext).length === 0) delete spec.securityContext;
  }
  const byName = new Map(list.map((c) => [c.name, c]));
  for (const c of [...spec.containers ?? [], ...spec.initContainers ?? []]) {
    const props = byName.get(c.name);
    if (!props) continue;
    if (props.imagePullPolicy === undefined) delete c.imagePullPolicy;
    if (props.image === undefined) delete c.image;
    if (props.resources === undefined) {
      c.resources = security.restricted && c.name !== 'jnlp' ? { requests: { cpu: '1000m', memory: '512Mi' } } : undefined;
      if (c.resources === undefined) delete c.resources;
    }
    if (props.tty !== undefined) c.tty = props.tty;
    if (props.stdin !== undefined) c.stdin = props.stdin;
    const given = Object.keys(props.securityContext ?? {}).map((k) => SECURITY_FIELDS[k]).filter(Boolean);
    const ctx: Record<string, unknown> = {};
    if (security.restricted) Object.assign(ctx, RESTRICTED_CONTAINER);
    for (const f of given) if (c.securityContext?.[f] !== undefined) ctx[f] = c.securityContext[f];
    for (const [k, v] of Object.entries(CONTAINER_SECURITY_DEFAULTS)) if (ctx[k] === v) delete ctx[k];
    if (Object.keys(ctx).length) c.securityContext = sortKeys(ctx);
    else delete c.securityContext;
  }
}

/** Numbers the API server reads as int64 (uids and gids). */
const INT64_ID = { min: 0, max: Number.MAX_SAFE_INTEGER };

/**
 * The shared value rules on the final pod, whether built in code, given as YAML or merged from container templates:
 * metadata labels and annotations, the nodeSelector, and per container the image, env var names, resource quantities, ports and
 * uids, each shown as written.
 */
function checkPodValues(pod: Record<string, any>, p: Problems): void {
  const meta = pod.metadata ?? {};
  p.all(labelViolations(meta.labels, 'agent pod label'));
  p.all(annotationViolations(meta.annotations).map((v) => ({ ...v, message: `agent pod ${v.message}` })));
  const spec = pod.spec ?? {};
  // The API server checks spec.nodeSelector like labels.
  p.all(labelViolations(spec.nodeSelector, 'agent pod nodeSelector'));
  const ids = (where: string, ctx: Record<string, unknown> | undefined): RuleViolation[] => ['runAsUser', 'runAsGroup', 'fsGroup']
    .filter((k) => ctx?.[k] !== undefined).flatMap((k) => integerViolations(`${where} ${k}`, ctx![k], INT64_ID));
  p.all(ids('agent pod securityContext', spec.securityContext));
  for (const c of [...spec.initContainers ?? [], ...spec.containers ?? []]) {
    if (c === null || typeof c !== 'object') continue;
    const where = `agent pod container ${show(c.name)}`;
    const found: RuleViolation[] = [];
    if (c.image !== undefined) found.push(...imageViolations(`${where} image`, c.image));
    for (const e of Array.isArray(c.env) ? c.env : []) found.push(...envNameViolations(e?.name));
    for (const kind of ['requests', 'limits']) {
      for (const [res, q] of Object.entries(c.resources?.[kind] ?? {})) {
        // YAML may give a plain number (`cpu: 1`), which the API server reads as that quantity.
        const text = typeof q === 'number' && Number.isFinite(q) && q >= 0 ? String(q) : q;
        found.push(...quantityViolations(`${where} ${res} ${kind === 'requests' ? 'request' : 'limit'}`, text));
      }
    }
    for (const port of Array.isArray(c.ports) ? c.ports : []) {
      found.push(...integerViolations(`${where} containerPort`, port?.containerPort, { min: 1, max: 65535 }));
      if (port?.hostPort !== undefined) found.push(...integerViolations(`${where} hostPort`, port.hostPort, { min: 0, max: 65535 }));
    }
    found.push(...ids(`${where} securityContext`, c.securityContext));
    p.all(found.map((v) => (v.message.startsWith(where) ? v : { ...v, message: `${where}: ${v.message}` })));
  }
}

const sortKeys = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

/** Volume types Pod Security "restricted" allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** Capabilities Pod Security "baseline" allows to add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/** Pod Security Standards "baseline" and "restricted" (plus resource requests under restricted, guide §6). */
function checkPodSecurity(pod: Record<string, any>, security: PodSecurity, p: Problems): void {
  if (security.level === 'privileged') return;
  const restricted = security.restricted;
  const spec = pod.spec ?? {};
  const podCtx = spec.securityContext ?? {};
  const bad: string[] = [];
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k] === true) bad.push(`${k}: true`);
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v ?? {}).find((k) => k !== 'name');
    if (type === 'hostPath' || (restricted && type !== undefined && !RESTRICTED_VOLUMES.has(type))) bad.push(`${type} volume ${show(v.name)}`);
  }
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const c of all) {
    const ctx = c?.securityContext ?? {};
    const where = `container ${show(c?.name)}`;
    if (ctx.privileged === true) bad.push(`${where} is privileged`);
    const add: string[] = ctx.capabilities?.add ?? [];
    for (const port of c?.ports ?? []) if (port.hostPort !== undefined && port.hostPort !== 0) bad.push(`${where} uses hostPort ${port.hostPort}`);
    const seccomp = ctx.seccompProfile?.type ?? podCtx.seccompProfile?.type;
    if (seccomp === 'Unconfined') bad.push(`${where} has an Unconfined seccomp profile`);
    if (!restricted) {
      if (add.some((a) => !BASELINE_CAPABILITIES.has(a))) bad.push(`${where} adds capabilities ${show(add)}`);
      continue;
    }
    if (ctx.allowPrivilegeEscalation !== false) bad.push(`${where} allows privilege escalation`);
    if ((ctx.runAsNonRoot ?? podCtx.runAsNonRoot) !== true) bad.push(`${where} may run as root`);
    if ((ctx.runAsUser ?? podCtx.runAsUser) === 0) bad.push(`${where} runs as uid 0`);
    const drop: string[] = ctx.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) bad.push(`${where} does not drop ALL capabilities`);
    if (add.some((a) => a !== 'NET_BIND_SERVICE')) bad.push(`${where} adds capabilities ${show(add)}`);
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') bad.push(`${where} has no RuntimeDefault seccomp profile`);
    const req = c?.resources?.requests ?? {};
    // The plugin fills in the jnlp container's requests from the cloud's defaults.
    if (c?.name !== 'jnlp' && (req.cpu === undefined || req.memory === undefined)) bad.push(`${where} has no cpu and memory requests`);
  }
  for (const b of bad) {
    if (restricted) {
      p.add('pod-security-restricted', `agent pod breaks Pod Security "restricted": ${b}`,
        "keep the defaults, or opt out visibly with podSecurity: PodSecurity.baseline('why') (root) or PodSecurity.privileged('why')");
    } else {
      p.add('pod-security-baseline', `agent pod breaks Pod Security "baseline": ${b}`,
        "remove it, or opt out visibly with podSecurity: PodSecurity.privileged('why')");
    }
  }
}
