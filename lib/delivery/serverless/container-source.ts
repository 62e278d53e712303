import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, constructId } from '../../core';
import { Json, compact, restrictedPodSpec } from '../rollouts/common';
import { Sink, destinationViolations, eventingResource } from './sink';
import { checkProps } from '../values';

/** Props of {@link ContainerSource}. */
export interface ContainerSourceProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** A core/v1 PodSpec of the event producer (it posts CloudEvents to `K_SINK`); made restricted by default. */
  readonly spec: Json;
  /** Where the events go. */
  readonly sink: Sink;
  /**
   * Fill in the Pod Security Standards "restricted" settings and requests wherever the spec leaves them out.
   * `false` is the explicit, visible opt-out.
   * @default true
   */
  readonly restricted?: boolean;
}

function containerSourceViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  const containers: Json[] = spec.template?.spec?.containers ?? [];
  if (containers.length === 0) out.push({ rule: 'knative-container-source', message: 'missing field(s): spec.template.spec.containers', fix: 'give the source at least one container' });
  containers.forEach((c, i) => {
    if (!c.image) out.push({ rule: 'knative-container-source', message: `spec.template.spec.containers[${i}]: missing field(s): image`, fix: 'give every container an image' });
  });
  out.push(...destinationViolations('spec.sink', spec.sink, 'knative-container-source'));
  return out;
}

/** A Knative `ContainerSource` (sources.knative.dev/v1): a container that produces events, with its sink bound in. */
export class ContainerSource extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ContainerSourceProps) {
    super(scope, constructId(scope, id, 'ContainerSource', "new ContainerSource(scope, 'Main', …)"));
    checkProps(this, props);
    const podSpec = props.restricted === false ? props.spec : restrictedPodSpec(props.spec);
    this.resource = eventingResource(this, 'sources.knative.dev/v1', 'ContainerSource', props.name, () => compact({
      template: { spec: podSpec }, sink: props.sink.toJson(),
    }), containerSourceViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
