import { App, Chart, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { show } from '../core';
import { AgentAst, Expr, num, optBool, optNum, optStr, str } from './ast';
import { Problems } from './problems';

/** Pod Security Standards level the agent pod is checked against. */
export class PodSecurity {
  /**
   * "restricted" (the default): non-root, no privilege escalation, capabilities dropped to ALL, seccomp
   * RuntimeDefault, no host namespaces or hostPath, and CPU/memory requests on every container.
   */
  public static readonly RESTRICTED = new PodSecurity(true, '');

  /**
   * Skips the restricted checks, e.g. for an image builder that needs root. The reason is required so the
   * exception is visible in code review; it is not emitted.
   */
  public static unrestricted(reason: string): PodSecurity {
    return new PodSecurity(false, reason);
  }

  private constructor(
    /** True when the restricted checks apply. */
    public readonly restricted: boolean,
    /** Why the checks are skipped. */
    public readonly reason: string,
  ) {}
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
   * The pod's containers, as cdk8s-plus container props. Each gets restricted security defaults
   * (non-root, no privilege escalation, drop ALL, seccomp RuntimeDefault; root filesystem left writable
   * because builds write to it) unless it sets its own `securityContext` fields; cdk8s-plus adds resource
   * requests. The plugin adds its own `jnlp` container.
   * @default - none (then give `pod`, `yamlFile` or `inheritFrom`)
   */
  readonly containers?: kplus.ContainerProps[];
  /**
   * Customises the pod (volumes, extra containers, metadata) after the containers are added. The pod lives in a
   * private scope: it is embedded in the Jenkinsfile and never written to your chart's output.
   * @default - no customisation
   */
  readonly pod?: (pod: kplus.Pod) => void;
  /**
   * Read the pod from this file in the repository instead (`yamlFile`; needs the Jenkinsfile from SCM).
   * @default - the YAML built from `containers`/`pod`
   */
  readonly yamlFile?: string;
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
  readonly pod?: Record<string, unknown>;
}

const AGENT_UID = 1000;
const RESTRICTED_CONTAINER: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  privileged: false,
  allowPrivilegeEscalation: false,
  // Builds write caches and temp files outside the workspace; PSS "restricted" does not require a read-only root.
  readOnlyRootFilesystem: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** @internal */
export function renderKubernetesAgent(props: KubernetesAgentProps): RenderedKubernetesAgent {
  const p = new Problems();
  const security = props.podSecurity ?? PodSecurity.RESTRICTED;
  if (!security.restricted && security.reason.trim() === '') {
    p.add('pod-security-reason', 'PodSecurity.unrestricted() has no reason', 'say why the pod cannot run restricted');
  }
  const fromCode = props.containers !== undefined || props.pod !== undefined;
  if (fromCode && props.yamlFile !== undefined) {
    p.add('kubernetes-pod-source', 'kubernetes agent has both containers/pod and yamlFile',
      'build the pod in code or read it from yamlFile, not both');
  }
  if (!fromCode && props.yamlFile === undefined && props.inheritFrom === undefined) {
    p.add('kubernetes-pod-source', 'kubernetes agent has no pod: no containers, pod, yamlFile or inheritFrom',
      'pass containers (cdk8s-plus ContainerProps), a yamlFile or inheritFrom');
  }
  p.nonEmpty('kubernetes-pod-source', 'kubernetes yamlFile', props.yamlFile, 'give the path of the pod YAML in the repository');
  p.wholeNumber('kubernetes idleMinutes', props.idleMinutes, 0);
  p.wholeNumber('kubernetes activeDeadlineSeconds', props.activeDeadlineSeconds, 1);
  p.wholeNumber('kubernetes retries', props.retries, 1);

  let pod: Record<string, any> | undefined;
  let containers: string[] | undefined;
  if (fromCode) {
    pod = buildPod(props, p);
    const spec = pod.spec ?? {};
    containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c: any) => c.name);
    // The plugin adds its own `jnlp` container unless the pod defines one.
    containers.forEach((name, i) => {
      if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
        p.add('kubernetes-container-name', `container name ${show(name)} is not a DNS-1123 label`, 'use lowercase letters, digits and -');
      } else if (containers!.indexOf(name) !== i) {
        p.add('kubernetes-container-name', `container name ${show(name)} is used twice in the pod`, 'give each container its own name');
      }
    });
    if (security.restricted) checkRestricted(pod, p);
  }
  // Containers are only fully known when nothing is inherited or read from a file.
  const known = props.inheritFrom === undefined && props.yamlFile === undefined ? containers : undefined;
  if (props.defaultContainer !== undefined && known !== undefined && ![...known, 'jnlp'].includes(props.defaultContainer)) {
    p.add('kubernetes-default-container', `defaultContainer ${show(props.defaultContainer)} is not a container of the pod ${show(known)}`,
      'name one of the pod\'s containers, or add the container');
  }

  const entries: Array<[string, Expr | undefined]> = [
    ['cloud', optStr(props.cloud)], ['namespace', optStr(props.namespace)], ['inheritFrom', optStr(props.inheritFrom)],
    ['yamlMergeStrategy', props.yamlMergeStrategy ? { k: 'call', call: { name: props.yamlMergeStrategy.value, args: [] } } : undefined],
    ['defaultContainer', optStr(props.defaultContainer)], ['serviceAccount', optStr(props.serviceAccount)],
    ['nodeSelector', optStr(props.nodeSelector)], ['customWorkspace', optStr(props.customWorkspace)],
    ['idleMinutes', optNum(props.idleMinutes)], ['activeDeadlineSeconds', optNum(props.activeDeadlineSeconds)],
    ['showRawYaml', optBool(props.showRawYaml)], ['retries', props.retries === undefined ? undefined : num(props.retries)],
    ['yamlFile', optStr(props.yamlFile)], ['yaml', pod ? str(Yaml.stringify(pod)) : undefined],
  ];
  const params = entries.filter((e): e is [string, Expr] => e[1] !== undefined).map(([name, value]) => ({ name, value }));
  return { ast: { type: 'kubernetes', bare: false, params, required: [], problems: p.result, containers: known }, pod };
}

function buildPod(props: KubernetesAgentProps, p: Problems): Record<string, any> {
  // A private app: the pod is rendered here and embedded, so it never lands in the user's chart output.
  const chart = new Chart(new App(), 'agent');
  let kpod: kplus.Pod;
  let doc: Record<string, any>;
  try {
    kpod = new kplus.Pod(chart, 'pod', {
      restartPolicy: kplus.RestartPolicy.NEVER,
      // A named service account is there to be used (e.g. in-cluster kubectl), so mount its token only then.
      automountServiceAccountToken: props.serviceAccount !== undefined,
      securityContext: { ensureNonRoot: true, user: AGENT_UID, group: AGENT_UID, fsGroup: AGENT_UID },
      containers: (props.containers ?? []).map((c) => ({ ...c, securityContext: { ...RESTRICTED_CONTAINER, ...c.securityContext } })),
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
  if (Object.keys(doc.metadata).length === 0) delete doc.metadata;
  return doc;
}

/** Volume types Pod Security "restricted" allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Pod Security Standards "restricted", plus resource requests (guide §6). */
function checkRestricted(pod: Record<string, any>, p: Problems): void {
  const spec = pod.spec ?? {};
  const podCtx = spec.securityContext ?? {};
  const bad: string[] = [];
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[k] === true) bad.push(`${k}: true`);
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type !== undefined && !RESTRICTED_VOLUMES.has(type)) bad.push(`${type} volume ${show(v.name)}`);
  }
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const c of all) {
    const ctx = c.securityContext ?? {};
    const where = `container ${show(c.name)}`;
    if (ctx.privileged === true) bad.push(`${where} is privileged`);
    if (ctx.allowPrivilegeEscalation !== false) bad.push(`${where} allows privilege escalation`);
    if ((ctx.runAsNonRoot ?? podCtx.runAsNonRoot) !== true) bad.push(`${where} may run as root`);
    if ((ctx.runAsUser ?? podCtx.runAsUser) === 0) bad.push(`${where} runs as uid 0`);
    const drop: string[] = ctx.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) bad.push(`${where} does not drop ALL capabilities`);
    const add: string[] = ctx.capabilities?.add ?? [];
    if (add.some((a) => a !== 'NET_BIND_SERVICE')) bad.push(`${where} adds capabilities ${show(add)}`);
    const seccomp = ctx.seccompProfile?.type ?? podCtx.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') bad.push(`${where} has no RuntimeDefault seccomp profile`);
    for (const port of c.ports ?? []) if (port.hostPort !== undefined) bad.push(`${where} uses hostPort ${port.hostPort}`);
    const req = c.resources?.requests ?? {};
    if (req.cpu === undefined || req.memory === undefined) bad.push(`${where} has no cpu and memory requests`);
  }
  for (const b of bad) {
    p.add('pod-security-restricted', `agent pod breaks Pod Security "restricted": ${b}`,
      "keep the defaults, or opt out visibly with podSecurity: PodSecurity.unrestricted('why')");
  }
}
