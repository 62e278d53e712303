/** Param and result declarations shared by Task, Pipeline and StepAction: eager checks, rendering, reference checks. */
import { IConstruct } from 'constructs';
import { Violations, fail, show } from '../core';
import { VariableRef, scanRefs } from './expressions';
import { ApiFields, FeatureFlags, ParamType, ParamValue, featureEnabled } from './values';

/** A param declaration. */
export interface ParamProps {
  /**
   * The type.
   * @default ParamType.STRING (or the default's type)
   */
  readonly type?: ParamType;
  /**
   * What the param is for.
   * @default none
   */
  readonly description?: string;
  /**
   * The default; its type must equal `type`. A param with a default is optional.
   * @default none: the param is required
   */
  readonly default?: ParamValue;
  /**
   * Keys of an object param (required for `ParamType.OBJECT`); every key is a string. Properties alone make the
   * param an object, as Tekton infers.
   * @default none
   */
  readonly properties?: string[];
  /**
   * Allowed values (string params only; needs `enable-param-enum`: `featureFlags.enableParamEnum` or `ApiFields.ALPHA`).
   * @default any value
   */
  readonly enum?: string[];
  /**
   * Confirm that a param whose name looks like a secret (password, token, …) is not one.
   * Secrets go through `EnvValue.fromSecretKey` or a secret workspace, never params (they show in the run's YAML).
   * @default false
   */
  readonly notSecret?: boolean;
}

/** A param as seen from outside (interfaces of Tasks and Pipelines): what callers must pass. */
export interface DeclaredParam {
  /** The name. */
  readonly name: string;
  /** The type. */
  readonly type: ParamType;
  /** True when a default exists (the param is optional). */
  readonly hasDefault: boolean;
  /**
   * Object keys.
   * @default none
   */
  readonly keys?: string[];
  /**
   * Allowed values.
   * @default any
   */
  readonly enum?: string[];
  /**
   * The highest `[i]` index the Task or Pipeline reads of this array param.
   * @default not indexed
   */
  readonly maxIndex?: number;
  /**
   * Keys the default of an object param provides (Tekton merges them into a partial value).
   * @default none
   */
  readonly defaultKeys?: string[];
}

/** Highest literal index read per param (`$(params.a[3])`) in `strings`. */
export function maxIndexes(strings: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of strings) {
    for (const r of scanRefs(s)) {
      if (r.prefix === 'params' && typeof r.index === 'number') out.set(r.parts[0], Math.max(out.get(r.parts[0]) ?? -1, r.index));
    }
  }
  return out;
}

/** Renders declarations as the outside view, with the indexes read in `strings`. */
export function declaredParams(decls: ParamDecl[], strings: string[]): DeclaredParam[] {
  if (decls.length === 0) return []; // nothing declared: no string needs scanning for indexes
  const idx = maxIndexes(strings);
  return decls.map((p) => {
    const d = p.props.default?.value;
    const defaultKeys = d && typeof d === 'object' && !Array.isArray(d) ? Object.keys(d) : undefined;
    return { name: p.name, type: p.type, hasDefault: p.hasDefault, keys: p.keys, enum: p.props.enum, maxIndex: idx.get(p.name), defaultKeys };
  });
}

/**
 * Reconciler-time checks of one value passed to a declared param: type, object keys, enum membership and array
 * length against the indexes the callee reads. Values that are whole references are checked only when resolved.
 */
export function checkParamValue(v: Violations, what: string, p: DeclaredParam, value: ParamValue): void {
  if (value.knownType !== undefined && value.type !== p.type) {
    v.add('param-type-mismatch', `${what} passes ${value.type} ${show(value.value)} to ${p.type} param ${show(p.name)}`,
      `pass a ParamValue.${p.type}(...)`);
    return;
  }
  if (p.type === ParamType.OBJECT && value.type === ParamType.OBJECT) {
    // Tekton fills keys the value omits from the param's default.
    const lacking = (p.keys ?? []).filter((k) => !(k in (value.value as object)) && !(p.defaultKeys ?? []).includes(k));
    if (lacking.length > 0) {
      v.add('param-object-keys-missing', `${what} passes object param ${show(p.name)} without keys ${show(lacking)}`,
        "give every declared key a value, or give the param a default that provides it");
    }
  }
  if (p.enum && typeof value.value === 'string' && !value.value.includes('$(') && !p.enum.includes(value.value)) {
    v.add('param-enum-value', `${what} passes ${show(value.value)} to param ${show(p.name)}, which allows only ${show(p.enum)}`,
      'pass one of the allowed values');
  }
  if (p.maxIndex !== undefined && Array.isArray(value.value) && !value.value.some((x) => x.includes('[*]'))
    && value.value.length <= p.maxIndex) {
    v.add('param-array-index', `${what} passes ${value.value.length} element(s) to array param ${show(p.name)}, but index ${p.maxIndex} is read`,
      `pass at least ${p.maxIndex + 1} elements`);
  }
}

/** A declared param, as checks need it. */
export interface ParamDecl {
  /** The name. */
  readonly name: string;
  /** The type. */
  readonly type: ParamType;
  /** Object keys. */
  readonly keys: string[];
  /** True when a default exists. */
  readonly hasDefault: boolean;
  /** The props. */
  readonly props: ParamProps;
}

const STRING_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;
const SECRET_LIKE = /(passw(or)?d|secret|token|api[-_]?key|credential|private[-_]?key)/i;

/** Name lookups over an append-only list of declarations, extended as it grows (O(1) per add and per lookup). */
interface ParamIndex { size: number; readonly exact: Map<string, ParamDecl>; readonly lower: Map<string, ParamDecl> }
const INDEXES = new WeakMap<readonly ParamDecl[], ParamIndex>();

function indexOf(decls: readonly ParamDecl[]): ParamIndex {
  let index = INDEXES.get(decls);
  if (!index) INDEXES.set(decls, index = { size: 0, exact: new Map(), lower: new Map() });
  for (; index.size < decls.length; index.size++) {
    const d = decls[index.size];
    if (!index.exact.has(d.name)) index.exact.set(d.name, d);
    if (!index.lower.has(d.name.toLowerCase())) index.lower.set(d.name.toLowerCase(), d);
  }
  return index;
}

/** The declaration named `name`, if any. */
export function findParam(decls: readonly ParamDecl[], name: string): ParamDecl | undefined {
  return indexOf(decls).exact.get(name);
}

/** Checks a new param declaration against the existing ones and appends it; throws on the first problem. */
export function declareParam(scope: IConstruct, existing: ParamDecl[], name: string, props: ParamProps,
  apiFields: ApiFields, flags?: FeatureFlags): ParamDecl {
  const type = props.type ?? props.default?.type ?? (props.properties ? ParamType.OBJECT : ParamType.STRING);
  if (!Object.values(ParamType).includes(type)) {
    fail(scope, 'param-type', `param ${show(name)} has type ${show(type)}`, 'use ParamType.STRING, ARRAY or OBJECT');
  }
  const re = type === ParamType.OBJECT ? OBJECT_NAME : STRING_NAME;
  if (!re.test(name)) {
    fail(scope, 'param-name-format', `param name ${show(name)} does not match ${re.source}`,
      type === ParamType.OBJECT ? 'start with a letter or _, then letters, digits, _ or - (no dots in object params)'
        : 'start with a letter or _, then letters, digits, _, - or .');
  }
  const clash = indexOf(existing).lower.get(name.toLowerCase());
  if (clash) {
    fail(scope, 'param-name-unique', `param ${show(name)} is declared twice (as ${show(clash.name)}); names are case-insensitive`,
      'give each param its own name');
  }
  if (props.default && props.default.type !== type) {
    fail(scope, 'param-default-type', `param ${show(name)} is ${type} but its default ${show(props.default.value)} is ${props.default.type}`,
      `make the default a ParamValue.${type}(...) or change the type`);
  }
  const keys = props.properties ?? [];
  if (type === ParamType.OBJECT) {
    if (keys.length === 0) {
      fail(scope, 'param-object-properties', `object param ${show(name)} declares no properties`,
        "list its keys: properties: ['url', 'revision']");
    }
    const badKey = keys.find((k) => !OBJECT_NAME.test(k));
    if (badKey !== undefined) {
      fail(scope, 'param-name-format', `object param ${show(name)} has key ${show(badKey)} that does not match ${OBJECT_NAME.source}`,
        'use letters, digits, _ and - only');
    }
    if (props.default) {
      const missing = keys.filter((k) => !(k in (props.default!.value as Record<string, string>)));
      if (missing.length > 0) {
        fail(scope, 'param-default-type', `default of object param ${show(name)} lacks keys ${show(missing)}`,
          'give every declared key a default value');
      }
    }
  } else if (props.properties) {
    fail(scope, 'param-object-properties', `param ${show(name)} is ${type} but declares properties`,
      'only object params take properties');
  }
  if (props.enum) {
    if (!featureEnabled(apiFields, flags, 'enableParamEnum')) {
      fail(scope, 'alpha-feature', `param ${show(name)} uses enum, which needs enable-param-enum, but it is off (apiFields ${show(apiFields)}, featureFlags.enableParamEnum ${show(flags?.enableParamEnum)})`,
        'set featureFlags: { enableParamEnum: true } (and enable-param-enum: "true" on the cluster), or drop enum');
    }
    if (type !== ParamType.STRING) {
      fail(scope, 'param-enum', `param ${show(name)} is ${type}; enum is for string params only`, 'drop enum');
    }
    const dup = props.enum.find((v, i) => props.enum!.indexOf(v) !== i);
    if (dup !== undefined) {
      fail(scope, 'param-enum', `enum of param ${show(name)} lists ${show(dup)} twice`, 'list each value once');
    }
    if (props.default && !props.enum.includes(props.default.value as string)) {
      fail(scope, 'param-enum', `default ${show(props.default.value)} of param ${show(name)} is not in its enum ${show(props.enum)}`,
        'pick a default from the enum');
    }
  }
  if (SECRET_LIKE.test(name) && !props.notSecret) {
    fail(scope, 'secret-param', `param ${show(name)} looks like a secret; param values are stored in plain text in every run`,
      'read it from a Secret: env: { X: EnvValue.fromSecretKey(name, key) } or a secret workspace; if it is not secret, set notSecret: true');
  }
  const decl = { name, type, keys, hasDefault: props.default !== undefined, props };
  existing.push(decl);
  return decl;
}

/** Renders param declarations. */
export function renderParamSpecs(decls: ParamDecl[]): any[] | undefined {
  if (decls.length === 0) return undefined;
  return decls.map((p) => ({
    name: p.name,
    type: p.type,
    description: p.props.description,
    default: p.props.default?.toJson(),
    properties: p.type === ParamType.OBJECT ? Object.fromEntries(p.keys.map((k) => [k, { type: 'string' }])) : undefined,
    enum: p.props.enum,
  }));
}

/** A param an inline spec reads without declaring it: the enclosing Pipeline or run must provide it. */
export interface PropagatedParam {
  /** The param name. */
  readonly name: string;
  /** Where it is read. */
  readonly where: string;
  /** The reference text. */
  readonly text: string;
}

/** Reports each propagated param that `available` does not provide. */
export function checkPropagated(v: Violations, owner: string, list: PropagatedParam[], available: string[]): void {
  for (const p of list) {
    if (!available.includes(p.name)) {
      v.add('param-undeclared', `${p.where} uses ${p.text}, but neither the inline spec nor ${owner} declares param ${show(p.name)}`,
        `declare it with addParam(${show(p.name)}) on the inline spec or on ${owner}`);
    }
  }
}

/** Reports each propagated workspace that `bound` (the run's bindings, if any) does not provide. */
export function checkPropagatedWorkspaces(v: Violations, owner: string, list: PropagatedParam[], bound: string[] | undefined): void {
  for (const w of list) {
    if (!bound?.includes(w.name)) {
      v.add('workspace-ref-undeclared', `${w.where} uses ${w.text}, but the inline spec declares no workspace ${show(w.name)}${bound ? ` and ${owner} binds none` : ''}`,
        bound ? `declare it with addWorkspace(${show(w.name)}) or bind it in ${owner}`
          : `declare it with addWorkspace(${show(w.name)}): only runs with embedded specs propagate workspaces`);
    }
  }
}

/** Where a `$(params…)` reference sits, which decides how whole arrays and objects may be used. */
export enum RefPlacement {
  /** A `command`/`args` element: `[*]` allowed as the whole element. */
  ISOLATED_LIST = 'list',
  /** A param value handed on (pipeline task params, matrix): `[*]` allowed as the whole value. */
  PARAM_VALUE = 'param-value',
  /** Any other string field: only scalars. */
  STRING = 'string',
  /** The `input` of a `when` expression: Tekton requires a string (an element or key, never a whole array or object). */
  WHEN_INPUT = 'when-input',
}

/**
 * Checks one `$(params…)` reference against the declarations: declared, object keys exist, whole arrays/objects
 * only where Tekton allows them.
 */
export function checkParamRef(v: Violations, where: string, ref: VariableRef, wholeText: string, decls: ParamDecl[],
  placement: RefPlacement, propagated?: PropagatedParam[]): void {
  const [name, key] = ref.parts;
  const decl = findParam(decls, name);
  if (!decl && propagated) {
    // Inline specs may read params of the enclosing Pipeline or run without declaring them (propagated params).
    propagated.push({ name, where, text: ref.text });
    return;
  }
  if (!decl) {
    v.add('param-undeclared', `${where} uses ${ref.text}, but no param ${show(name)} is declared`,
      `declare it with addParam(${show(name)}) or fix the name (declared: ${show(decls.map((d) => d.name))})`);
    return;
  }
  if (key !== undefined) {
    if (decl.type !== ParamType.OBJECT || !decl.keys.includes(key)) {
      v.add('param-object-key', `${where} uses ${ref.text}, but param ${show(name)} has no key ${show(key)}`,
        `use a declared key (${show(decl.keys)})`);
    }
    return;
  }
  const whole = ref.index === '*';
  if (placement === RefPlacement.WHEN_INPUT && decl.type !== ParamType.STRING && (ref.index === undefined || whole)) {
    v.add('when-input-string', `${where} uses ${ref.text} as a when input, but param ${show(name)} is ${decl.type}; Tekton requires a string input`,
      decl.type === ParamType.ARRAY ? `use one element, $(params.${name}[0]), as input, and put the whole array in values`
        : `use one key, $(params.${name}.<key>)`);
    return;
  }
  if (ref.index !== undefined && ref.index !== '*' && decl.type !== ParamType.ARRAY) {
    v.add('param-isolation', `${where} indexes ${ref.text}, but param ${show(name)} is ${decl.type}`,
      'index array params only');
    return;
  }
  if (decl.type === ParamType.STRING) {
    if (whole) {
      v.add('param-isolation', `${where} uses ${ref.text}, but param ${show(name)} is a string`, `use $(params.${name})`);
    }
    return;
  }
  if (ref.index !== undefined && ref.index !== '*') return;
  // `$(params.list)` as a whole command/args element or param value is the older spelling of `[*]`; Tekton
  // still expands it (the catalog's kaniko passes EXTRA_ARGS that way).
  if (!whole && decl.type === ParamType.ARRAY && placement !== RefPlacement.STRING && wholeText.trim() === ref.text) return;
  if (!whole) {
    v.add('param-isolation', `${where} uses ${ref.text} as a string, but param ${show(name)} is ${decl.type}`,
      `use $(params.${name}[*]) as a whole command/args element${decl.type === ParamType.OBJECT ? ' or a key' : ', or an index'}`);
    return;
  }
  const isolated = wholeText.trim() === ref.text;
  if (placement === RefPlacement.STRING || (decl.type === ParamType.OBJECT && placement === RefPlacement.ISOLATED_LIST) || !isolated) {
    v.add('param-isolation', `${where} uses ${ref.text}${isolated ? '' : ' inside other text'}; a whole ${decl.type} cannot go there`,
      decl.type === ParamType.ARRAY ? 'use it as a whole element of command or args, or pass it as a param value'
        : 'use single keys, $(params.<name>.<key>)');
  }
}
