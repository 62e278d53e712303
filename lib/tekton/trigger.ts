/**
 * What a trigger is, shared by `EventListener` triggers and the standalone `Trigger` kind
 * (triggers.tekton.dev/v1beta1): bindings, a template and interceptors, each a construct or a name.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { assertProps, constructId, Names, RuleViolation, Violations, addRules, fail, show } from '../core';
import { Interceptor } from './interceptor';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { checkResourceName } from './task';
import { TriggerBinding } from './trigger-binding';
import { TriggerTemplate } from './trigger-template';
import { clean } from './values';

/** A binding of a trigger: a TriggerBinding or ClusterTriggerBinding by name, or one inline param. */
export class TriggerBindingRef {
  /** A `TriggerBinding` in the listener's namespace, by name. */
  public static named(name: string): TriggerBindingRef {
    return new TriggerBindingRef({ ref: name, kind: 'TriggerBinding' });
  }

  /** A `ClusterTriggerBinding`, by name. */
  public static cluster(name: string): TriggerBindingRef {
    return new TriggerBindingRef({ ref: name, kind: 'ClusterTriggerBinding' });
  }

  /** One param bound inline (`bindings: [{ name, value }]`). */
  public static param(name: string, value: string): TriggerBindingRef {
    return new TriggerBindingRef({ name, value }, [name]);
  }

  private constructor(private readonly json: any, private readonly names?: string[]) {}

  /** The params it provides, when known (inline params), else undefined. */
  public get paramNames(): string[] | undefined {
    return this.names ? [...this.names] : undefined;
  }

  /** The JSON form. */
  public toJson(): any {
    return { ...this.json };
  }
}

/** What a trigger does. */
export interface TriggerSpecProps {
  /** The template that creates the runs: a `TriggerTemplate`, or the name of one. */
  readonly template: TriggerTemplate | string;
  /**
   * Bindings that fill the template params: `TriggerBinding` constructs, `TriggerBindingRef`s, or names of
   * TriggerBindings.
   * @default none
   */
  readonly bindings?: Array<TriggerBinding | TriggerBindingRef | string>;
  /**
   * Interceptors, run in order. One must authenticate the sender (e.g. `Interceptor.github`).
   * @default none
   */
  readonly interceptors?: Interceptor[];
  /**
   * Accept events from anyone (no authenticating interceptor).
   * @default false
   */
  readonly allowUnauthenticated?: boolean;
  /**
   * The service account that creates this trigger's runs (instead of the listener's).
   * @default the listener's
   */
  readonly serviceAccountName?: string;
}

/** Eager checks of a trigger; `what` names it in messages. */
export function checkTriggerSpec(scope: IConstruct, what: string, props: TriggerSpecProps): void {
  const t = props.template as unknown;
  if (!(t instanceof TriggerTemplate) && (typeof t !== 'string' || !Names.isDnsSubdomain(t))) {
    fail(scope, 'trigger-template-ref', `${what} has template ${show(t)}, not a TriggerTemplate or its name`,
      "pass the TriggerTemplate construct, or its metadata.name as a string");
  }
  for (const b of (props.bindings ?? []) as unknown[]) {
    if (!(b instanceof TriggerBinding) && !(b instanceof TriggerBindingRef) && (typeof b !== 'string' || !Names.isDnsSubdomain(b))) {
      fail(scope, 'trigger-binding-ref', `${what} has binding ${show(b)}, not a TriggerBinding, a TriggerBindingRef or a binding name`,
        'pass the TriggerBinding construct, TriggerBindingRef.named()/cluster()/param(), or the binding name');
    }
  }
  for (const i of (props.interceptors ?? []) as unknown[]) {
    if (!(i instanceof Interceptor)) {
      fail(scope, 'interceptor-ref', `${what} has interceptor ${show(i)}, not an Interceptor`,
        'use Interceptor.github(), .cel(), .custom() or .webhook()');
    }
  }
  if (!props.allowUnauthenticated && !(props.interceptors ?? []).some((i) => i.authenticates)) {
    fail(scope, 'trigger-unauthenticated', `${what} accepts events from anyone: no interceptor checks the sender`,
      'add Interceptor.github({ secretName }) (or another authenticating interceptor), or set allowUnauthenticated: true');
  }
}

/** The trigger fields (without `name`). */
export function renderTriggerSpec(props: TriggerSpecProps): any {
  const bindings = (props.bindings ?? []).map((b) => (typeof b === 'string' ? { ref: b, kind: 'TriggerBinding' }
    : b instanceof TriggerBindingRef ? b.toJson() : { ref: b.name, kind: b.kind }));
  return clean({
    serviceAccountName: props.serviceAccountName,
    interceptors: props.interceptors?.length ? props.interceptors.map((i) => i.toJson()) : undefined,
    bindings: bindings.length ? bindings : undefined,
    template: { ref: typeof props.template === 'string' ? props.template : props.template.name },
  });
}

/** Synth-time checks of a trigger: with the template's construct and known bindings, every required param is bound. */
export function validateTriggerSpec(v: Violations, what: string, props: TriggerSpecProps): void {
  if (typeof props.template === 'string') return;
  const provided = new Set<string>();
  for (const b of props.bindings ?? []) {
    const names = typeof b === 'string' ? undefined : b.paramNames;
    if (names === undefined) return; // a binding known only by name may provide anything
    names.forEach((n) => provided.add(n));
  }
  const missing = props.template.declaredParams.filter((p) => !p.hasDefault && !provided.has(p.name)).map((p) => p.name);
  if (missing.length > 0) {
    v.add('trigger-binding-missing-param', `${what}: no binding provides template params ${show(missing)}, which have no default`,
      'add them to a TriggerBinding of this trigger, or give them defaults');
  }
}

/** Props of {@link Trigger}. */
export interface TriggerProps extends TriggerSpecProps, MetadataProps {
  /**
   * `metadata.name`.
   * @default the construct id as a DNS-1123 label
   */
  readonly name?: string;
}

/**
 * A standalone `Trigger`: EventListeners pick it up by name (`addTriggerRef`) or by label or namespace selector.
 */
export class Trigger extends Construct {
  /** The Trigger name. */
  public readonly name: string;
  private readonly props: TriggerProps;

  constructor(scope: Construct, id: string, props: TriggerProps) {
    super(scope, constructId(scope, id, 'trigger', "new Trigger(chart, 'on-push', { … })"));
    assertProps(this, props);
    this.props = props;
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    checkResourceName(this, this.name);
    checkMetadata(this, props);
    checkTriggerSpec(this, `trigger ${show(this.name)}`, props);
    new ApiObject(this, 'Resource', {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'Trigger',
      metadata: { name: this.name, ...renderMetadata(props) },
      spec: Lazy.any({ produce: () => renderTriggerSpec(this.props) }),
    });
    addRules(this, () => this.validate());
  }

  private validate(): RuleViolation[] {
    const v = new Violations();
    validateTriggerSpec(v, `trigger ${show(this.name)}`, this.props);
    return v.all;
  }
}
