/** The Triggers `TriggerBinding` (triggers.tekton.dev/v1beta1): maps event fields to template params. */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { assertProps, constructId, Names, fail, show } from '../core';
import { MetadataProps, checkMetadata, renderMetadata } from './metadata';
import { checkResourceName } from './task';

/** Props of {@link TriggerBinding}. */
export interface TriggerBindingProps extends MetadataProps {
  /**
   * `metadata.name`.
   * @default the construct id as a DNS-1123 label
   */
  readonly name?: string;
  /**
   * Param name → value, usually `$(body.…)`, `$(header.…)` or `$(extensions.…)`.
   * @default none
   */
  readonly params?: Record<string, string>;
  /**
   * Emit a `ClusterTriggerBinding`, shared by EventListeners in every namespace.
   * @default false
   */
  readonly clusterScoped?: boolean;
}

/** True if every `$(` in `text` is closed. */
function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '(') { depth++; i++; continue; }
    if (text[i] === '(' && depth > 0) depth++;
    else if (text[i] === ')' && depth > 0) depth--;
  }
  return depth === 0;
}

/** A TriggerBinding. Event values are untrusted: they reach runs as params, and from there steps read them via env. */
export class TriggerBinding extends Construct {
  /** GitHub push: `revision` (the pushed commit) and `repo-url` (the clone URL). */
  public static githubPush(scope: Construct, id: string): TriggerBinding {
    return new TriggerBinding(scope, id, {
      params: { 'revision': '$(body.after)', 'repo-url': '$(body.repository.clone_url)' },
    });
  }

  /** The TriggerBinding name. */
  public readonly name: string;
  /** `TriggerBinding` or `ClusterTriggerBinding`. */
  public readonly kind: string;
  private readonly params = new Map<string, string>();

  constructor(scope: Construct, id: string, props: TriggerBindingProps = {}) {
    super(scope, constructId(scope, id, 'trigger binding', "new TriggerBinding(chart, 'push', { … })"));
    assertProps(this, props);
    this.name = props.name ?? Names.toDnsLabel(id, 63, this);
    checkResourceName(this, this.name);
    checkMetadata(this, props);
    this.kind = props.clusterScoped ? 'ClusterTriggerBinding' : 'TriggerBinding';
    for (const [k, val] of Object.entries(props.params ?? {})) this.addParam(k, val);
    new ApiObject(this, 'Resource', {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: this.kind,
      metadata: { name: this.name, ...renderMetadata(props) },
      spec: Lazy.any({ produce: () => ({ params: [...this.params.entries()].map(([name, value]) => ({ name, value })) }) }),
    });
  }

  /** Adds a param. */
  public addParam(name: string, value: string): void {
    if (this.params.has(name)) {
      fail(this, 'trigger-binding-param-unique', `binding param ${show(name)} is set twice`, 'set each param once');
    }
    if (!balanced(value)) {
      fail(this, 'trigger-binding-balanced', `binding param ${show(name)} has unbalanced $( in ${show(value)}`,
        'close every $( with )');
    }
    this.params.set(name, value);
  }

  /** The param names this binding provides. */
  public get paramNames(): string[] {
    return [...this.params.keys()];
  }
}
