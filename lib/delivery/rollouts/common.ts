import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { FinalDocument, annotationViolations, assertValue, checkedValue, show } from '../../core';
import { NON_NEGATIVE, intViolations } from '../values';

/**
 * Anything with a Kubernetes name: an `ApiObject`, a cdk8s-plus resource, one of our L2s, or `{ name: 'x' }` for
 * an object created elsewhere. Passing the construct lets synth-time reference checks read the real object.
 */
export interface IResourceRef {
  /** The object's `metadata.name`. */
  readonly name: string;
}

/** Plain JSON as it lands in a manifest. */
export type Json = { [key: string]: any };

/** A pod template as plain Kubernetes JSON (`metadata.labels/annotations` + a core/v1 `PodSpec`). */
export interface PodTemplateJson {
  /**
   * Pod labels and annotations (a Rollout template only takes these two).
   * @default - none
   */
  readonly metadata?: PodMetadata;
  /** A core/v1 PodSpec, exactly as in a manifest (camelCase keys). */
  readonly spec: Json;
}

/** Props of {@link PodTemplate.of}. */
export interface PodTemplateProps {
  /** Pod labels (the Rollout's selector defaults to them). */
  readonly labels: Record<string, string>;
  /**
   * Pod annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /** A core/v1 PodSpec, exactly as in a manifest (camelCase keys). */
  readonly spec: Json;
  /**
   * Fill in the Pod Security Standards "restricted" settings and resource requests wherever the spec leaves them
   * out. `false` is the explicit, visible opt-out.
   * @default true
   */
  readonly restricted?: boolean;
}

/** Where a Rollout or an Experiment gets its pod template from. */
export class PodTemplate {
  /** A pod template given as JSON: pod labels plus a core/v1 PodSpec, made restricted by default. */
  public static of(props: PodTemplateProps): PodTemplate {
    // pod labels have Argo's own rule (kubernetes-labels) at synth; annotations are checked here
    return checkedValue(() => assertValue(undefined, annotationViolations(props.annotations)), () => PodTemplate.build(props));
  }

  private static build(props: PodTemplateProps): PodTemplate {
    const spec = props.restricted === false ? props.spec : restrictedPodSpec(props.spec);
    return new PodTemplate(() => ({
      metadata: { labels: { ...props.labels }, ...(props.annotations ? { annotations: { ...props.annotations } } : {}) },
      spec,
    }));
  }

  /**
   * The `spec.template` of another object (e.g. a Deployment's ApiObject), read at synth so changes made to it
   * later still land. Only labels and annotations of its metadata are kept, which is all a Rollout accepts.
   */
  public static fromObject(obj: IConstruct): PodTemplate {
    return new PodTemplate(() => {
      const t = ApiObject.of(obj).toJson().spec?.template ?? {};
      const md = t.metadata ?? {};
      return {
        metadata: { ...(md.labels ? { labels: md.labels } : {}), ...(md.annotations ? { annotations: md.annotations } : {}) },
        spec: t.spec ?? {},
      };
    });
  }

  private constructor(private readonly produce: () => PodTemplateJson) {}

  /** The rendered template (called at synth). */
  public render(): PodTemplateJson {
    return this.produce();
  }
}

/** Extra labels and annotations put on pods of one role (canary, stable, active, preview). */
export interface PodMetadata {
  /**
   * Labels added to the pods.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations added to the pods.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** An absolute number of pods or a percentage of the desired replicas (Kubernetes int-or-string). */
export class IntOrPercent {
  /** An absolute count of pods. */
  public static count(value: number): IntOrPercent {
    return checkedValue(() => assertValue(undefined, intViolations('IntOrPercent.count', value, NON_NEGATIVE)), () => new IntOrPercent(value));
  }

  /** A percentage of the desired replicas, e.g. `percent(25)` renders `"25%"`. */
  public static percent(value: number): IntOrPercent {
    return checkedValue(() => assertValue(undefined, intViolations('IntOrPercent.percent', value, NON_NEGATIVE)), () => new IntOrPercent(`${value}%`));
  }

  private constructor(public readonly value: number | string) {}
}

// RFC 3339 as Kubernetes' metav1.Time reads it: a date, a time of whole seconds, `Z` or an offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A fixed point in time as a Rollout's `restartAt` takes it, written exactly as given: `RestartTime.of(
 * '2026-12-01T22:00:00Z')` (also an offset such as `+01:00`). A `Date` works too; this form keeps a file's text.
 */
export class RestartTime {
  /** An RFC 3339 time of whole seconds (`rollout-restart-at` otherwise: Kubernetes would drop a fraction). */
  public static of(text: string): RestartTime {
    return checkedValue(() => {
      if (typeof text !== 'string' || !RFC3339.test(text) || Number.isNaN(Date.parse(text))) {
        assertValue(undefined, [{ rule: 'rollout-restart-at', message: `restartAt ${show(text)} is not an RFC 3339 time`,
          fix: "pass RestartTime.of('2026-12-01T22:00:00Z') (a date, 'T', a time of whole seconds, then 'Z' or an offset)" }]);
      }
      if (/\.\d+/.test(text)) {
        assertValue(undefined, [{ rule: 'rollout-restart-at', message: `restartAt ${show(text)} has a fraction of a second: Kubernetes times are whole seconds`,
          fix: 'drop the fraction from RestartTime.of()' }]);
      }
    }, () => new RestartTime(text));
  }

  private constructor(
    /** The time as written. */
    public readonly text: string,
  ) {}
}

/** How a string is matched: exactly, by prefix or by regular expression. */
export class StringMatch {
  /** The value must equal `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }

  /** The value must start with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch('prefix', value);
  }

  /** The value must match the RE2 regular expression `value`. */
  public static regex(value: string): StringMatch {
    return new StringMatch('regex', value);
  }

  private constructor(public readonly kind: 'exact' | 'prefix' | 'regex', public readonly value: string) {}

  /** `{ exact: value }` and the like. */
  public toJson(): Json {
    return { [this.kind]: this.value };
  }
}

/** Drops `undefined` values and empty objects/arrays so manifests stay minimal and deterministic. */
export function compact<T extends Json>(obj: T): T {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

/** The rendered JSON of a referenced object when it is a construct in the tree, else undefined. */
export function renderedRef(ref: IResourceRef | undefined): Json | undefined {
  if (!ref || !Construct.isConstruct(ref)) return undefined;
  try {
    return FinalDocument.of(ref);
  } catch {
    return undefined;
  }
}

/**
 * Finds a document of `kind` named `name` among the ApiObjects of the app holding `scope` (used when a
 * reference was given by name only). Returns undefined for objects that live elsewhere.
 */
export function findInChart(scope: IConstruct, kind: string, name: string): Json | undefined {
  // references resolve across the whole app, not just the chart holding `scope`
  let root: IConstruct = scope;
  while (root.node.scope) root = root.node.scope;
  for (const c of root.node.findAll()) {
    if (c instanceof ApiObject && c.name === name && isKind(c.apiVersion, c.kind, kind)) return FinalDocument.of(c);
  }
  return undefined;
}

/** `kind` is a bare kind (`Service`) or group-qualified (`networking.istio.io/VirtualService`) when kinds clash. */
function isKind(apiVersion: string, actual: string, kind: string): boolean {
  const slash = kind.lastIndexOf('/');
  if (slash < 0) return actual === kind;
  return actual === kind.slice(slash + 1) && apiVersion.startsWith(`${kind.slice(0, slash)}/`);
}

/** The rendered object behind a reference: the construct itself, else a same-named object in the chart. */
export function resolveRef(scope: IConstruct, kind: string, ref: { name?: string } | IResourceRef | undefined): Json | undefined {
  if (!ref) return undefined;
  const direct = renderedRef(ref as IResourceRef);
  if (direct && isKind(direct.apiVersion ?? '', direct.kind, kind)) return direct;
  return ref.name ? findInChart(scope, kind, ref.name) : undefined;
}

/** Requests given to containers that set none (the scheduler needs them; utilization autoscaling reads them). */
export const DEFAULT_REQUESTS = { cpu: '100m', memory: '128Mi' };

/**
 * A copy of `spec` with the Pod Security Standards "restricted" settings (non-root, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp) and resource requests filled in wherever the spec leaves them out.
 * Values the spec sets are kept.
 */
export function restrictedPodSpec(spec: Json): Json {
  const container = (c: Json): Json => ({
    ...c,
    resources: { ...c.resources, requests: c.resources?.requests ?? { ...DEFAULT_REQUESTS } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      ...c.securityContext,
    },
  });
  return {
    ...spec,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...spec.securityContext },
    ...(spec.containers ? { containers: spec.containers.map(container) } : {}),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(container) } : {}),
  };
}
