import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { Sink, destinationViolations, eventingResource } from './sink';
import { checkProps } from '../values';

/** Props of {@link SinkBinding}. */
export interface SinkBindingProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** The workload whose pods get `K_SINK` (e.g. `{ apiVersion: 'apps/v1', kind: 'Deployment', name }`). */
  readonly subject: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  /** Where the workload sends its events. */
  readonly sink: Sink;
}

function sinkBindingViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  const s: Json = spec.subject ?? {};
  if (!s.apiVersion || !s.kind || (!s.name && !s.selector)) {
    out.push({ rule: 'knative-sink-binding', message: 'spec.subject: missing field(s): apiVersion, kind and name or selector', fix: 'bind a Deployment, Job or other PodSpecable by name' });
  }
  out.push(...destinationViolations('spec.sink', spec.sink, 'knative-sink-binding'));
  return out;
}

/**
 * A Knative `SinkBinding` (sources.knative.dev/v1): injects the sink's address (`K_SINK`) into a workload's pods,
 * so any Deployment or Job can be an event source.
 */
export class SinkBinding extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: SinkBindingProps) {
    super(scope, constructId(scope, id, 'SinkBinding', "new SinkBinding(scope, 'Main', …)"));
    checkProps(this, props);
    this.resource = eventingResource(this, 'sources.knative.dev/v1', 'SinkBinding', props.name, () => compact({
      subject: { ...props.subject }, sink: props.sink.toJson(),
    }), sinkBindingViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
