import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { RuleViolation, addBoundRules, fail, show, warn, warningsOf } from '../core/errors';
import { FinalDocument, putSorted } from '../core/final-document';
import { perSynthesis } from '../core/synthesis';
import { NameForm, assertProps, assertValue, nameViolations } from '../core/values';
import { podTemplateViolations } from './pod-rules';
import { POD_SECURITY_LEVEL_ANNOTATION, POD_SECURITY_OPT_OUT_ANNOTATION, PodSecurity, PodSecurityLevel } from './pod-security';
import { plusCall, plusViolation } from './plus-errors';
import { ID, PORT, assertInteger, checkObject, metadataViolations } from './object-rules';
import { Namespace } from './namespace';
import { DEFAULT_RESOURCES, QosClass, qosClassOf } from './resources';
import { SchedulingExtras, TopologySpreadOptions } from './scheduling';

/** Options every slipway workload shares on top of cdk8s-plus-28's props. */
export interface SecurePodOptions {
  /**
   * The Pod Security Standard the pods meet; it changes what is written (see {@link PodSecurity}). A relaxed level
   * needs a reason, written to the pod template as an annotation.
   * @default PodSecurity.restricted()
   */
  readonly podSecurity?: PodSecurity;
  /**
   * Mount a writable `emptyDir` (64Mi) at `/tmp` in every container that does not mount `/tmp` itself, so images
   * that write temp files work on a read-only root filesystem.
   * @default true under PodSecurity.restricted(), false under baseline and privileged (the root filesystem is writable)
   */
  readonly writableTmp?: boolean;
  /**
   * Use the node's process namespace (`hostPID`; node exporters, debuggers). Needs `PodSecurity.privileged()`.
   * @default - not written (Kubernetes default false)
   */
  readonly hostPID?: boolean;
  /**
   * Use the node's IPC namespace (`hostIPC`). Needs `PodSecurity.privileged()`.
   * @default - not written (Kubernetes default false)
   */
  readonly hostIPC?: boolean;
  /**
   * The PriorityClass of the pods (`priorityClassName`, e.g. `system-node-critical`).
   * @default - not written (the cluster's default priority)
   */
  readonly priorityClassName?: string;
  /**
   * The RuntimeClass the pods run with (`runtimeClassName`, e.g. `nvidia` or `gvisor`).
   * @default - not written (the node's default runtime)
   */
  readonly runtimeClassName?: string;
  /**
   * One process namespace for all containers of a pod (`shareProcessNamespace`).
   * @default - not written (Kubernetes default false)
   */
  readonly shareProcessNamespace?: boolean;
  /**
   * Inject the `<SERVICE>_SERVICE_HOST`/`_PORT` variables of every Service in the namespace (`enableServiceLinks`).
   * @default - not written (Kubernetes default true)
   */
  readonly enableServiceLinks?: boolean;
  /**
   * Whether the pods may preempt lower-priority pods (`preemptionPolicy`: `PreemptLowerPriority` or `Never`).
   * @default - not written (the PriorityClass's policy)
   */
  readonly preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  /**
   * Extra pod conditions that must be True before the pod is Ready (`readinessGates`), e.g. a load balancer's
   * `target-health.elbv2.k8s.aws/<ingress>`.
   * @default - none
   */
  readonly readinessGates?: string[];
  /**
   * The OS the pods run on (`os.name`), checked by the API server against OS-specific fields.
   * @default - not written
   */
  readonly os?: 'linux' | 'windows';
  /**
   * Gates that keep the pods from being scheduled until a controller removes them (`schedulingGates`).
   * @default - none
   */
  readonly schedulingGates?: string[];
  /**
   * Share the node's user namespace (`hostUsers`); false runs the pods in their own user namespace.
   * @default - not written (true)
   */
  readonly hostUsers?: boolean;
  /**
   * The registry credentials the kubelet pulls images with (`imagePullSecrets`), in order; e.g.
   * `[kplus.Secret.fromSecretName(this, 'ghcr', 'ghcr-pull'), kplus.Secret.fromSecretName(this, 'ecr', 'ecr-pull')]`.
   * For one Secret, cdk8s-plus-28's `dockerRegistryAuth` does the same; the two are not combined.
   * @default - none (the ServiceAccount's, if any)
   */
  readonly imagePullSecrets?: kplus.ISecret[];
}

/** Only the {@link SecurePodOptions} of a larger props object, for patterns that pass them to their workload. */
export function securePodOptionsOf(props: SecurePodOptions): SecurePodOptions {
  const { podSecurity, writableTmp, hostPID, hostIPC, priorityClassName, runtimeClassName, shareProcessNamespace, enableServiceLinks,
    preemptionPolicy, readinessGates, os, schedulingGates, hostUsers, imagePullSecrets } = props;
  return { podSecurity, writableTmp, hostPID, hostIPC, priorityClassName, runtimeClassName, shareProcessNamespace, enableServiceLinks,
    preemptionPolicy, readinessGates, os, schedulingGates, hostUsers, imagePullSecrets };
}

/** A container with the fields cdk8s-plus-28 has no prop for. */
export interface SecureContainerProps extends kplus.ContainerProps {
  /**
   * Allocate a TTY (`tty`).
   * @default - not written (false)
   */
  readonly tty?: boolean;
  /**
   * Keep stdin open (`stdin`).
   * @default - not written (false)
   */
  readonly stdin?: boolean;
  /**
   * Close stdin after the first attach (`stdinOnce`).
   * @default - not written (false)
   */
  readonly stdinOnce?: boolean;
  /**
   * How the termination message is read (`terminationMessagePolicy`): `File`, or `FallbackToLogsOnError` to use the
   * end of the log when the file is empty.
   * @default - not written (File)
   */
  readonly terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  /**
   * Extended resources by name, written as limits (requests default to them): `{ 'nvidia.com/gpu': 1 }`. Whole
   * numbers only, as device plugins require.
   * @default - none
   */
  readonly extendedResources?: Record<string, number>;
}

/** Props of a workload's pods: slipway's options, plus the containers added through slipway's defaults. */
export interface SecurePodProps extends SecurePodOptions {
  /** App containers. */
  readonly containers?: SecureContainerProps[];
  /** Init containers. */
  readonly initContainers?: SecureContainerProps[];
}

/** How one workload kind holds its pod template in the final document. Internal. */
export interface PodKind {
  /** The kind, for messages (`Deployment`). */
  readonly kind: string;
  /** Restart policies the kind accepts. */
  readonly restartPolicies: readonly string[];
  /** The pod template (`{ metadata, spec }`) inside the rendered document. */
  readonly template: (doc: any) => { metadata?: any; spec?: any } | undefined;
  /** The selector inside the rendered document, for kinds that have one. */
  readonly selector?: (doc: any) => any;
}

/** The slipway-only fields of container props (not passed to cdk8s-plus). */
interface ContainerExtras {
  readonly terminationMessagePolicy?: string;
  readonly tty?: boolean;
  readonly stdin?: boolean;
  readonly stdinOnce?: boolean;
  readonly extendedResources?: Record<string, number>;
}

/** What slipway keeps per pod-bearing construct (kept out of the classes so the mixin has no private members). */
class PodState {
  public readonly extras: SchedulingExtras;
  /** Created on first use: most pods have neither (a Map and a Set per pod add up over thousands of workloads). */
  private containers?: Map<string, ContainerExtras>;
  /** Containers whose imagePullPolicy the user chose; cdk8s-plus-28 writes `Always` for all others. */
  private explicitPullPolicy?: Set<string>;
  private tmp?: kplus.Volume;

  constructor(public readonly pod: kplus.AbstractPod, public readonly options: SecurePodOptions, public readonly podSecurity: PodSecurity,
    public readonly kind: PodKind) {
    this.extras = new SchedulingExtras(pod);
  }

  /** Container props with the level's defaults filled in; what the user set wins. */
  public container(c: SecureContainerProps): kplus.ContainerProps {
    assertProps(this.pod, c);
    // cdk8s-plus-28 leaves out a port number it finds falsy (0, NaN), so ports are checked before it sees them.
    assertInteger(this.pod, 'container portNumber', c.portNumber, PORT);
    for (const p of c.ports ?? []) {
      assertInteger(this.pod, 'container port', p.number, PORT);
      assertInteger(this.pod, 'container hostPort', p.hostPort, PORT);
    }
    assertInteger(this.pod, 'container securityContext user', c.securityContext?.user, ID);
    assertInteger(this.pod, 'container securityContext group', c.securityContext?.group, ID);
    const { tty, stdin, stdinOnce, extendedResources, terminationMessagePolicy, ...plus } = c;
    for (const [name, n] of Object.entries(extendedResources ?? {})) {
      if (!(Number.isInteger(n) && n >= 1) || !/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) {
        fail(this.pod, 'extended-resource', `extended resource ${name}: ${show(n)} is not a domain-prefixed name with a whole number >= 1`,
          "name it like 'nvidia.com/gpu' and ask for whole devices, e.g. { 'nvidia.com/gpu': 1 }");
      }
    }
    const level = this.podSecurity;
    const mounts = [...(plus.volumeMounts ?? [])];
    const writableTmp = this.options.writableTmp ?? level.writesRestricted;
    if (writableTmp && !mounts.some((m) => m.path === '/tmp')) {
      this.tmp ??= kplus.Volume.fromEmptyDir(this.pod, 'TmpVolume', 'tmp', { sizeLimit: Size.mebibytes(64) });
      mounts.push({ path: '/tmp', volume: this.tmp });
    }
    // Object.assign, not `{ ...x, more }`: a leading spread with more keys is ~50x slower in Node 20's V8.
    const base = Object.assign({}, plus, { resources: plus.resources ?? DEFAULT_RESOURCES, volumeMounts: mounts });
    if (level.isRestricted) warnRootImage(this.pod, plus);
    if (level.writesRestricted) {
      return Object.assign(base, { securityContext: {
        ensureNonRoot: true, privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        ...plus.securityContext,
        // Adding a capability (e.g. NET_BIND_SERVICE) keeps "drop ALL" unless drop is given too.
        capabilities: { drop: [kplus.Capability.ALL], ...plus.securityContext?.capabilities },
      } });
    }
    // cdk8s-plus-28 writes runAsNonRoot and readOnlyRootFilesystem true unless told otherwise; the false values it
    // then writes are removed from the final document (unset means the same to Kubernetes).
    const relaxed = { ensureNonRoot: false, readOnlyRootFilesystem: false };
    return Object.assign(base, { securityContext: level.level === PodSecurityLevel.BASELINE
      ? { ...relaxed, allowPrivilegeEscalation: false, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT }, ...plus.securityContext }
      : { ...relaxed, ...plus.securityContext } });
  }

  /** Records a container's slipway-only fields under its rendered name. */
  public remember(container: kplus.Container, c: SecureContainerProps): kplus.Container {
    const { tty, stdin, stdinOnce, extendedResources, terminationMessagePolicy } = c;
    if (c.imagePullPolicy !== undefined) (this.explicitPullPolicy ??= new Set()).add(container.name);
    const extras = { tty, stdin, stdinOnce, extendedResources, terminationMessagePolicy };
    if (Object.values(extras).some((v) => v !== undefined)) (this.containers ??= new Map()).set(container.name, extras);
    return container;
  }

  /** Writes what the L1 cannot carry into the rendered pod template. */
  public apply(template: { metadata?: any; spec?: any } | undefined): void {
    const spec = template?.spec;
    if (!spec) return;
    const o = this.options;
    for (const k of ['hostPID', 'hostIPC', 'priorityClassName', 'runtimeClassName', 'shareProcessNamespace', 'enableServiceLinks', 'preemptionPolicy', 'hostUsers'] as const) {
      if (o[k] !== undefined) putSorted(spec, k, o[k]);
    }
    if (o.readinessGates !== undefined) putSorted(spec, 'readinessGates', o.readinessGates.map((conditionType) => ({ conditionType })));
    if (o.os !== undefined) putSorted(spec, 'os', { name: o.os });
    if (o.schedulingGates !== undefined) putSorted(spec, 'schedulingGates', o.schedulingGates.map((name) => ({ name })));
    if (o.imagePullSecrets !== undefined && o.imagePullSecrets.length > 0) putSorted(spec, 'imagePullSecrets', o.imagePullSecrets.map((x) => ({ name: x.name })));
    this.extras.applyJson(template!);
    const all: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    for (const c of all) {
      // Kubernetes' default (Always for :latest or no tag, IfNotPresent otherwise) unless set.
      if (!this.explicitPullPolicy?.has(c.name)) delete c.imagePullPolicy;
      const x = this.containers?.get(c.name);
      if (x) {
        for (const k of ['tty', 'stdin', 'stdinOnce', 'terminationMessagePolicy'] as const) if (x[k] !== undefined) putSorted(c, k, x[k]);
        if (x.extendedResources) {
          if (!c.resources) putSorted(c, 'resources', {});
          const limits = { ...c.resources.limits };
          for (const [n, v] of Object.entries(x.extendedResources)) limits[n] = String(v);
          putSorted(c.resources, 'limits', limits);
        }
      }
    }
    if (!this.podSecurity.writesRestricted) {
      for (const c of all) dropFalse(c, 'securityContext', ['runAsNonRoot', 'readOnlyRootFilesystem']);
      dropFalse(spec, 'securityContext', ['runAsNonRoot']);
    }
  }
}

/** Docker Hub official images that run as root or write outside `/tmp` by default. */
const ROOT_IMAGES = new Set(['nginx', 'httpd', 'busybox', 'perl', 'python', 'node', 'ruby', 'php', 'postgres', 'mysql', 'mariadb',
  'redis', 'mongo', 'rabbitmq', 'ubuntu', 'debian', 'alpine', 'centos', 'wordpress', 'elasticsearch', 'memcached']);


/** A restricted container on an image known to need root or a writable root filesystem: kept, but flagged. */
function warnRootImage(pod: IConstruct, c: kplus.ContainerProps): void {
  const m = /^(?:(?:docker\.io\/)?(?:library\/)?)([a-z0-9._-]+)(?:[:@].*)?$/.exec(c.image);
  if (!m || !ROOT_IMAGES.has(m[1])) return;
  if (c.securityContext?.user !== undefined || c.securityContext?.ensureNonRoot === false) return;
  if ((pod as kplus.AbstractPod).securityContext?.user !== undefined) return;
  const writable = (c.volumeMounts ?? []).some((v) => v.path !== '/tmp' && !v.readOnly);
  if (writable && c.securityContext?.readOnlyRootFilesystem === false) return;
  warn(pod, `image ${show(c.image)} runs as root by default and the kubelet will refuse runAsNonRoot; `
    + "use an unprivileged image, set securityContext.user to the image's non-root user and mount emptyDir volumes where it writes, "
    + "or choose podSecurity: PodSecurity.baseline('<reason>')");
}

/**
 * Warnings slipway found at construction under `scope` (e.g. a restricted pod on an image that runs as root), one
 * line per warning prefixed with the construct path. They do not fail synth: the image may have been rebuilt.
 */
export function workloadWarnings(scope: IConstruct): string[] {
  return warningsOf(scope);
}

function dropFalse(owner: any, key: string, fields: string[]): void {
  const ctx = owner[key];
  if (!ctx) return;
  for (const f of fields) if (ctx[f] === false) delete ctx[f];
  if (Object.keys(ctx).length === 0) delete owner[key];
}

const states = new WeakMap<object, PodState>();

function stateOf(pod: object): PodState {
  const s = states.get(pod);
  if (!s) throw new Error('slipway pod state missing: call setupSecurePod() in the constructor');
  return s;
}

/**
 * Splits workload props into what cdk8s-plus-28 receives (without the `omit` keys, which the kind handles itself) and
 * slipway's own options. The pod-level `runAsNonRoot` follows the Pod Security level.
 */
export function splitPodProps<P extends SecurePodProps & { securityContext?: kplus.PodSecurityContextProps }, K extends keyof P = never>(props: P,
  omit: readonly K[] = []): { plus: Omit<P, keyof SecurePodProps | K>; pod: SecurePodProps } {
  const level = props.podSecurity ?? PodSecurity.restricted();
  // A copy loop, not `const { …, ...rest } = props`: object rest with excluded keys is a slow runtime call in Node 20.
  const plus: any = {};
  for (const k in props) if (Object.prototype.hasOwnProperty.call(props, k) && !POD_KEYS.has(k) && !(omit as readonly string[]).includes(k)) plus[k] = props[k];
  if (!level.writesRestricted) plus.securityContext = Object.assign({ ensureNonRoot: false }, plus.securityContext);
  return { plus, pod: Object.assign(securePodOptionsOf(props), { containers: props.containers, initContainers: props.initContainers, podSecurity: level }) };
}

/** The keys of {@link SecurePodProps} (every one, checked by the type): slipway's, not passed to cdk8s-plus-28. */
const POD_KEYS: ReadonlySet<string> = new Set(Object.keys({
  containers: 1, initContainers: 1, podSecurity: 1, writableTmp: 1, hostPID: 1, hostIPC: 1, priorityClassName: 1, runtimeClassName: 1,
  shareProcessNamespace: 1, enableServiceLinks: 1, preemptionPolicy: 1, readinessGates: 1, os: 1, schedulingGates: 1, hostUsers: 1,
  imagePullSecrets: 1,
} satisfies Record<keyof SecurePodProps, 1>));

/**
 * Gives a cdk8s-plus-28 pod-bearing construct slipway's pods: the Pod Security level's settings and annotations,
 * the containers through the secure defaults, the extra pod fields, the final-document escape hatch, and the pod
 * rules at synth. Call once from the constructor, after `super()`.
 */
export function setupSecurePod(pod: kplus.AbstractPod, props: SecurePodProps, kind: PodKind, allProps: unknown = props): void {
  checkObject(pod, kind.kind, NameForm.DNS_SUBDOMAIN, allProps);
  const podContext = (allProps as { securityContext?: kplus.PodSecurityContextProps } | undefined)?.securityContext;
  for (const k of ['user', 'group', 'fsGroup'] as const) assertInteger(pod, `pod securityContext ${k}`, podContext?.[k], ID);
  const podSecurity = props.podSecurity ?? PodSecurity.restricted();
  const state = new PodState(pod, props, podSecurity, kind);
  states.set(pod, state);
  for (const k of ['priorityClassName', 'runtimeClassName'] as const) {
    if (props[k] !== undefined) assertValue(pod, nameViolations(k, props[k], NameForm.DNS_SUBDOMAIN, 'name an existing PriorityClass or RuntimeClass (lowercase, digits, - and .)'));
  }
  if (props.imagePullSecrets?.length && (allProps as { dockerRegistryAuth?: unknown } | undefined)?.dockerRegistryAuth !== undefined) {
    fail(pod, 'image-pull-secrets', 'both dockerRegistryAuth and imagePullSecrets are set',
      'list every registry Secret in imagePullSecrets and leave dockerRegistryAuth out');
  }
  for (const x of props.imagePullSecrets ?? []) assertValue(pod, nameViolations('imagePullSecrets Secret name', x.name, NameForm.DNS_SUBDOMAIN));
  for (const g of [...(props.readinessGates ?? []), ...(props.schedulingGates ?? [])]) {
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(g)) {
      fail(pod, 'readiness-gate', `readiness gate ${show(g)} is not a qualified condition type`, "use a condition type such as 'example.com/feature-1'");
    }
  }
  if (podSecurity.reason !== undefined) {
    const meta = (pod as any).podMetadata ?? pod.metadata;
    meta.addAnnotation(POD_SECURITY_OPT_OUT_ANNOTATION, podSecurity.reason);
    if (!podSecurity._legacy) meta.addAnnotation(POD_SECURITY_LEVEL_ANNOTATION, podSecurity.level);
  }
  FinalDocument._addTransform(pod, applyPodState, state);
  for (const c of props.initContainers ?? []) pod.addInitContainer(c);
  for (const c of props.containers ?? []) pod.addContainer(c);
  addBoundRules(pod, securePodRules, state);
}

/** The transform of a pod's final document: what the L1 cannot carry (shared, called on the pod's state). */
function applyPodState(this: PodState, doc: any): void {
  this.apply(this.kind.template(doc));
}

/** The pod rules over the final document of a pod (shared, called on the pod's state). */
function securePodRules(this: PodState): RuleViolation[] {
  const { pod, kind, podSecurity } = this;
  // cdk8s-plus-28 throws a path-less error when rendering a pod without containers; report it as a rule instead.
  if (pod.containers.length === 0) {
    return [{ rule: 'containers-required', message: `${kind.kind} pod has no containers`, fix: 'add a container with addContainer()' }];
  }
  let doc: any;
  try {
    doc = FinalDocument.of(pod);
  } catch (e) {
    if ((e as any)?.name === 'SlipwayError') return [];  // reported by the escape hatch's own rule
    return [plusViolation(e)];
  }
  const violations = podTemplateViolations({ kind: kind.kind, restartPolicies: kind.restartPolicies, podSecurity: () => podSecurity },
    kind.template(doc), kind.selector?.(doc));
  // Labels and annotations added after construction (metadata.addLabel, patches) meet the same rules as props.
  violations.push(...metadataViolations(kind.kind, doc?.metadata ?? {}, undefined));
  const nsLevel = namespaceLevel(pod, doc?.metadata?.namespace);
  if (nsLevel !== undefined && !podSecurity._legacy && LEVEL_ORDER.indexOf(podSecurity.level) > LEVEL_ORDER.indexOf(nsLevel)) {
    violations.push({ rule: 'namespace-pod-security-level', message: `${kind.kind} pods at Pod Security "${podSecurity.level}" run in namespace ${show(doc.metadata.namespace)}, which enforces "${nsLevel}"`,
      fix: `the admission controller would refuse them: set podSecurity: PodSecurityLevel.${podSecurity.level.toUpperCase()} on that Namespace, or run the pods at "${nsLevel}"` });
  }
  return violations;
}


const LEVEL_ORDER = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];

/** Enforced levels of the app's slipway Namespaces by name, found once per synthesis. */
const NAMESPACE_LEVELS = Symbol('namespace levels');

function namespaceLevel(pod: IConstruct, namespace: string | undefined): PodSecurityLevel | undefined {
  if (namespace === undefined) return undefined;
  const root = pod.node.root;
  const index = perSynthesis(NAMESPACE_LEVELS, root, () => {
    const levels = new Map<string, PodSecurityLevel>();
    for (const c of root.node.findAll()) if (Namespace.isSlipwayNamespace(c) && c.podSecurityLabels) levels.set(c.name, c.podSecurity);
    return levels;
  });
  return index.get(namespace);
}

type PodClass = abstract new (...args: any[]) => kplus.AbstractPod;

/** What every slipway pod-bearing kind adds to its cdk8s-plus-28 class. */
export interface ISecurePod {
  /** The pods' Pod Security level. */
  readonly podSecurity: PodSecurity;
  /** The pods' QoS class, from every container's requests and limits. */
  readonly qosClass: QosClass;
  /** Adds an app container with slipway's defaults for the Pod Security level filled in (what you set wins). */
  addContainer(cont: SecureContainerProps): kplus.Container;
  /** Adds an init container (they run in order, each to completion, before the app containers start). */
  addInitContainer(cont: SecureContainerProps): kplus.Container;
  /** Runs the pods only on nodes with this label (`nodeSelector`). */
  addNodeSelector(key: string, value: string): void;
  /**
   * Spreads the pods evenly over zones or hosts (`topologySpreadConstraints`); by default over this workload's own
   * pods, or any `labelSelector`.
   */
  addTopologySpread(options?: TopologySpreadOptions): void;
}

/**
 * The shared part of every slipway pod-bearing kind (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob): a
 * cdk8s-plus-28 class gains the Pod Security level, QoS, `addContainer`/`addInitContainer` through the secure
 * defaults, `addNodeSelector` and `addTopologySpread`. The subclass calls {@link setupSecurePod} after `super()`.
 */
export function SecurePod<T extends PodClass>(Base: T): T & (abstract new (...args: any[]) => ISecurePod) {
  abstract class SecurePodBase extends Base implements ISecurePod {
    /** The pods' Pod Security level. */
    public get podSecurity(): PodSecurity {
      return stateOf(this).podSecurity;
    }

    /** The pods' QoS class, from every container's requests and limits. */
    public get qosClass(): QosClass {
      return qosClassOf([...this.initContainers, ...this.containers]);
    }

    /** Adds an app container with slipway's defaults for the Pod Security level filled in (what you set wins). */
    public addContainer(cont: SecureContainerProps): kplus.Container {
      const s = stateOf(this);
      return s.remember(plusCall(this, () => super.addContainer(s.container(cont))), cont);
    }

    /** Adds an init container (they run in order, each to completion, before the app containers start). */
    public addInitContainer(cont: SecureContainerProps): kplus.Container {
      const s = stateOf(this);
      return s.remember(plusCall(this, () => super.addInitContainer(s.container(cont))), cont);
    }

    /** Runs the pods only on nodes with this label (`nodeSelector`). */
    public addNodeSelector(key: string, value: string): void {
      stateOf(this).extras.addNodeSelector(key, value);
    }

    /**
     * Spreads the pods evenly over zones or hosts (`topologySpreadConstraints`); by default over this workload's own
     * pods, or any `labelSelector`.
     */
    public addTopologySpread(options: TopologySpreadOptions = {}): void {
      stateOf(this).extras.addTopologySpread(options);
    }
  }
  return SecurePodBase;
}

/** A construct whose pod template lives at `spec.template` (Deployment, StatefulSet, DaemonSet, Job). */
export function templateKind(kind: string, restartPolicies: readonly string[], withSelector: boolean): PodKind {
  // One object per kind, not per workload: every Deployment shares the same description.
  const known = templateKinds.get(kind);
  if (known && known.restartPolicies.join() === restartPolicies.join() && (known.selector !== undefined) === withSelector) return known;
  const made: PodKind = { kind, restartPolicies, template: specTemplate, selector: withSelector ? specSelector : undefined };
  templateKinds.set(kind, made);
  return made;
}

const templateKinds = new Map<string, PodKind>();
const specTemplate = (doc: any): any => doc?.spec?.template;
const specSelector = (doc: any): any => doc?.spec?.selector;
