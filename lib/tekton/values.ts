/** Value classes and small shared types of the Tekton layer. */
import { IConstruct } from 'constructs';
import {
  NameForm, RuleViolation, assertValue, checkedValue, dataKeyViolations, fail, nameViolations, show,
} from '../core';

/** The type of a param or result. */
export enum ParamType {
  /** A single string (the default). */
  STRING = 'string',
  /** A list of strings. */
  ARRAY = 'array',
  /** A map of string keys to string values, with declared keys. */
  OBJECT = 'object',
}

/**
 * Which Tekton API fields the target cluster enables (`enable-api-fields` in `feature-flags`).
 * Tekton's default is `beta`; alpha features (CEL `when`, param `enum`, concise resolver syntax) need `ALPHA`.
 */
export enum ApiFields {
  /** Only stable fields. */
  STABLE = 'stable',
  /** Stable and beta fields (Tekton's default). */
  BETA = 'beta',
  /** Everything, including alpha fields. */
  ALPHA = 'alpha',
}

/** True if `fields` enables features of `level`. */
export function apiFieldsAllow(fields: ApiFields, level: ApiFields): boolean {
  const order = [ApiFields.STABLE, ApiFields.BETA, ApiFields.ALPHA];
  return order.indexOf(fields) >= order.indexOf(level);
}

/** A param value (or default): a string, an array of strings or an object of strings. */
export class ParamValue {
  /** A string value; may contain `$(…)` references. */
  public static string(value: string): ParamValue {
    return new ParamValue(ParamType.STRING, value);
  }

  /** A string value made of one expression handle (`Param`, `ResultRef`, …) or any text. */
  public static of(value: { toString(): string }): ParamValue {
    return new ParamValue(ParamType.STRING, `${value}`);
  }

  /** An array value; elements may be `$(…[*])` references that expand in place. */
  public static array(values: string[]): ParamValue {
    return new ParamValue(ParamType.ARRAY, [...values]);
  }

  /** An object value of string keys and values. */
  public static object(values: Record<string, string>): ParamValue {
    return new ParamValue(ParamType.OBJECT, { ...values });
  }

  private constructor(
    /** The value's type. */
    public readonly type: ParamType,
    /** The JSON value. */
    public readonly value: string | string[] | Record<string, string>,
  ) {}

  /** Every string inside the value (for reference scanning). */
  public get strings(): string[] {
    if (typeof this.value === 'string') return [this.value];
    if (Array.isArray(this.value)) return [...this.value];
    return Object.values(this.value);
  }

  /**
   * The type the value has once resolved: a string that is exactly `$(x[*])` stands for a whole array or object,
   * so its type is unknown here (undefined).
   */
  public get knownType(): ParamType | undefined {
    if (this.type === ParamType.STRING && /^\$\([^()]*\[\*\]\)$/.test(this.value as string)) return undefined;
    return this.type;
  }

  /** The JSON form. */
  public toJson(): any {
    return Array.isArray(this.value) ? [...this.value] : typeof this.value === 'object' ? { ...this.value } : this.value;
  }
}

/** What a step does when it fails. */
export enum OnError {
  /** Keep going; the step's exit code is recorded. */
  CONTINUE = 'continue',
  /** Stop the TaskRun (the default). */
  STOP_AND_FAIL = 'stopAndFail',
}

/** Container image pull policy. */
export enum ImagePullPolicy {
  /** Always pull. */
  ALWAYS = 'Always',
  /** Pull when not present. */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Never pull. */
  NEVER = 'Never',
}

/** The object name and key of a `secretKeyRef` or `configMapKeyRef`; a `$(…)` reference is resolved by Tekton. */
function keyRefViolations(factory: string, name: string, key: string): RuleViolation[] {
  const ref = (x: unknown) => typeof x === 'string' && x.includes('$(');
  return [
    ...(ref(name) ? [] : nameViolations(`${factory} name`, name, NameForm.DNS_SUBDOMAIN)),
    ...(ref(key) ? [] : dataKeyViolations(`${factory} key`, key)),
  ];
}

/** An environment variable value: text, an expression, a secret or config map key, or a pod field. */
export class EnvValue {
  /** Plain text; may hold `$(…)` references, which Tekton substitutes before the step runs. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** A typed handle (`Param`, `ResultRef`, `Workspace`, …): the safe way to give a script a param or result. */
  public static fromExpression(expression: { toString(): string }): EnvValue {
    return new EnvValue({ value: `${expression}` });
  }

  /** A key of a Secret: the only way slipway lets a secret reach a step's environment. */
  public static fromSecretKey(secretName: string, key: string, optional?: boolean): EnvValue {
    return checkedValue(() => assertValue(undefined, keyRefViolations('EnvValue.fromSecretKey', secretName, key)),
      () => new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key, optional } } }));
  }

  /** A key of a ConfigMap. */
  public static fromConfigMapKey(configMapName: string, key: string, optional?: boolean): EnvValue {
    return checkedValue(() => assertValue(undefined, keyRefViolations('EnvValue.fromConfigMapKey', configMapName, key)),
      () => new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key, optional } } }));
  }

  /** A pod field such as `metadata.namespace`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly json: { value?: string; valueFrom?: any }) {}

  /** The plain value, if any (for reference scanning). */
  public get value(): string | undefined {
    return this.json.value;
  }

  /** The env entry for `name`. */
  public toJson(name: string): any {
    return { name, ...this.json };
  }
}

/** A whole Secret or ConfigMap loaded into the environment (`envFrom`); every key becomes a variable. */
export class EnvFrom {
  /** All keys of a ConfigMap. */
  public static configMap(name: string, prefix?: string): EnvFrom {
    return new EnvFrom({ configMapRef: { name }, prefix });
  }

  /** All keys of a Secret. */
  public static secret(name: string, prefix?: string): EnvFrom {
    return new EnvFrom({ secretRef: { name }, prefix });
  }

  private constructor(private readonly json: any) {}

  /** The JSON form. */
  public toJson(): any {
    return { ...this.json };
  }
}

/** A volume of a Task (`spec.volumes`). */
export class Volume {
  /** A scratch directory that lives as long as the pod. */
  public static emptyDir(name: string, options: { medium?: string; sizeLimit?: string } = {}): Volume {
    return Volume.checked(name, { emptyDir: { ...options } });
  }

  /** A ConfigMap's keys as files. */
  public static configMap(name: string, configMapName: string): Volume {
    return Volume.checked(name, { configMap: { name: configMapName } }, ['configMap name', configMapName]);
  }

  /** A Secret's keys as files. */
  public static secret(name: string, secretName: string): Volume {
    return Volume.checked(name, { secret: { secretName } }, ['secretName', secretName]);
  }

  /** An existing PersistentVolumeClaim. */
  public static persistentVolumeClaim(name: string, claimName: string, readOnly?: boolean): Volume {
    return Volume.checked(name, { persistentVolumeClaim: { claimName, readOnly } }, ['claimName', claimName]);
  }

  /** A volume whose name (a DNS label, as `volumeMounts` refer to it) and object name are checked; see checkedValue. */
  private static checked(name: string, source: any, object?: [string, string]): Volume {
    return checkedValue(() => assertValue(undefined, [
      ...nameViolations('volume name', name, NameForm.DNS_LABEL),
      ...(object && !String(object[1]).includes('$(') ? nameViolations(`volume ${show(name)} ${object[0]}`, object[1], NameForm.DNS_SUBDOMAIN) : []),
    ]), () => new Volume(name, source));
  }

  private constructor(
    /** The volume name, referenced by `volumeMounts`. */
    public readonly name: string,
    private readonly source: any,
  ) {}

  /** The JSON form. */
  public toJson(): any {
    return { name: this.name, ...this.source };
  }
}

/** A volume mounted into a step or sidecar. */
export interface VolumeMount {
  /** The volume name. */
  readonly name: string;
  /** Where to mount it. */
  readonly mountPath: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Sub-path inside the volume.
   * @default the volume root
   */
  readonly subPath?: string;
}

/** CPU and memory for a container. */
export interface ComputeResources {
  /**
   * Requests, e.g. `{ cpu: '100m', memory: '128Mi' }`.
   * @default none
   */
  readonly requests?: Record<string, string>;
  /**
   * Limits, e.g. `{ memory: '512Mi' }`.
   * @default none
   */
  readonly limits?: Record<string, string>;
}

/** The container security context fields slipway emits. */
export interface SecurityContext {
  /**
   * Refuse to start a container whose user is root.
   * @default true in slipway's step template
   */
  readonly runAsNonRoot?: boolean;
  /**
   * The numeric user id.
   * @default the image's user
   */
  readonly runAsUser?: number;
  /**
   * The numeric group id.
   * @default the image's group
   */
  readonly runAsGroup?: number;
  /**
   * Allow setuid binaries to gain privileges.
   * @default false in slipway's step template
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Run privileged. Slipway rejects it unless the step sets `allowPrivileged: true`.
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Read-only root file system.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Capabilities to drop.
   * @default ['ALL'] in slipway's step template
   */
  readonly dropCapabilities?: string[];
  /**
   * Capabilities to add.
   * @default none
   */
  readonly addCapabilities?: string[];
  /**
   * The seccomp profile type.
   * @default 'RuntimeDefault' in slipway's step template
   */
  readonly seccompProfile?: string;
}

/** The secure default for every Task's `stepTemplate.securityContext` (Pod Security Standards "restricted"). */
export const SECURE_SECURITY_CONTEXT: SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  dropCapabilities: ['ALL'],
  seccompProfile: 'RuntimeDefault',
};

/** Renders a {@link SecurityContext} to the Kubernetes shape. */
export function renderSecurityContext(sc: SecurityContext | undefined): any {
  if (!sc) return undefined;
  const caps = sc.dropCapabilities || sc.addCapabilities
    ? { drop: sc.dropCapabilities, add: sc.addCapabilities } : undefined;
  return {
    runAsNonRoot: sc.runAsNonRoot,
    runAsUser: sc.runAsUser,
    runAsGroup: sc.runAsGroup,
    allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
    privileged: sc.privileged,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
    capabilities: caps,
    seccompProfile: sc.seccompProfile ? { type: sc.seccompProfile } : undefined,
  };
}

/** Throws unless every value of `params` is a {@link ParamValue} (plain JavaScript callers can pass anything). */
export function checkParamValues(scope: IConstruct, params: Record<string, ParamValue> | undefined): void {
  for (const [name, v] of Object.entries(params ?? {})) {
    if (!(v instanceof ParamValue)) {
      fail(scope, 'param-value', `value of param ${show(name)} is ${show(v)}, not a ParamValue`,
        "wrap it: ParamValue.string('x'), ParamValue.array([...]) or ParamValue.object({...})");
    }
  }
}

/** Renders a name → value map as a Tekton `params` list (`[{name, value}]`), in insertion order. */
export function renderParams(params: Record<string, ParamValue> | undefined): any[] | undefined {
  if (!params) return undefined;
  const entries = Object.entries(params);
  if (entries.length === 0) return undefined;
  return entries.map(([name, v]) => {
    if (!(v instanceof ParamValue)) {
      fail(undefined, 'param-value', `value of param ${show(name)} is ${show(v)}, not a ParamValue`,
        "wrap it: ParamValue.string('x'), ParamValue.array([...]) or ParamValue.object({...})");
    }
    return { name, value: v.toJson() };
  });
}

/** What clean() returned: nested renders (a task inside a pipeline task inside a pipeline) are not walked again. */
const CLEANED = new WeakSet<object>();

/** Above zero while a render's caller drops undefined members itself (see {@link renderUncleaned}). */
let uncleaned = 0;

/**
 * Runs `render` with {@link clean} leaving objects as built: for a caller that copies the result anyway and drops
 * undefined members as it goes (a document slipway renders whole), so the tree is not copied twice.
 * @internal
 */
export function renderUncleaned<T>(render: () => T): T {
  uncleaned++;
  try {
    return render();
  } finally {
    uncleaned--;
  }
}

/** Removes `undefined` members recursively, so rendered objects hold only set fields. */
export function clean<T>(value: T): T {
  if (uncleaned > 0 || value === null || typeof value !== 'object' || CLEANED.has(value)) return value;
  let out: any;
  if (Array.isArray(value)) {
    out = value.map(clean);
  } else {
    out = {};
    for (const k of Object.keys(value)) {
      const v = (value as any)[k];
      if (v !== undefined) out[k] = clean(v);
    }
  }
  CLEANED.add(out);
  return out;
}

/** An empty list as undefined, so the key is left out. */
export function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

/**
 * Tekton's per-feature flags (`feature-flags` ConfigMap) that gate single features independently of
 * `enable-api-fields`. A flag left unset follows `apiFields`: on with `ApiFields.ALPHA`, off otherwise.
 */
export interface FeatureFlags {
  /**
   * `enable-cel-in-whenexpression`: CEL `when` expressions.
   * @default on with ApiFields.ALPHA, else off (Tekton's default)
   */
  readonly enableCelInWhenExpression?: boolean;
  /**
   * `enable-param-enum`: `enum` on params.
   * @default on with ApiFields.ALPHA, else off (Tekton's default)
   */
  readonly enableParamEnum?: boolean;
}

/** True if `flag` is on for a cluster with `apiFields` and `flags`. */
export function featureEnabled(apiFields: ApiFields, flags: FeatureFlags | undefined, flag: keyof FeatureFlags): boolean {
  return flags?.[flag] ?? apiFieldsAllow(apiFields, ApiFields.ALPHA);
}
