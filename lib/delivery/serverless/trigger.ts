import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, show, constructId } from '../../core';
import { IResourceRef, Json, compact } from '../rollouts/common';
import { DeliverySpec } from './broker';
import { Sink, deliveryViolations, destinationViolations, eventingResource, renderDelivery } from './sink';
import { checkProps } from '../values';

/** Props of {@link Trigger}. */
export interface TriggerProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** The Broker it subscribes to. */
  readonly broker: IResourceRef;
  /** Where matching events go (often `Sink.knativeService(fn)`). */
  readonly subscriber: Sink;
  /**
   * Exact-match filter on CloudEvents attributes, e.g. `{ type: 'dev.knative.sources.ping' }`.
   * @default - every event of the broker
   */
  readonly filter?: Record<string, string>;
  /**
   * Redelivery for this Trigger.
   * @default - the broker's
   */
  readonly delivery?: DeliverySpec;
}

const ATTRIBUTE = /^[a-z0-9]+$/;

function triggerViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!spec.broker) out.push({ rule: 'knative-trigger', message: 'missing field(s): spec.broker', fix: 'name the Broker' });
  for (const k of Object.keys(spec.filter?.attributes ?? {})) {
    if (!ATTRIBUTE.test(k)) {
      out.push({ rule: 'knative-trigger', message: `spec.filter.attributes ${show(k)}: Invalid attribute name: ${show(k)}`, fix: 'CloudEvents attribute names are lowercase letters and digits (type, source, subject, or an extension such as myext)' });
    }
  }
  out.push(...destinationViolations('spec.subscriber', spec.subscriber, 'knative-trigger'));
  out.push(...deliveryViolations('spec.delivery', spec.delivery, 'knative-trigger'));
  return out;
}

/** A Knative Eventing `Trigger` (eventing.knative.dev/v1): the events of a Broker that match a filter, sent to a subscriber. */
export class Trigger extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: TriggerProps) {
    super(scope, constructId(scope, id, 'Trigger', "new Trigger(scope, 'Main', …)"));
    checkProps(this, props);
    this.resource = eventingResource(this, 'eventing.knative.dev/v1', 'Trigger', props.name, () => compact({
      broker: props.broker.name,
      filter: props.filter ? { attributes: { ...props.filter } } : undefined,
      subscriber: props.subscriber.toJson(),
      delivery: renderDelivery(props.delivery),
    }), triggerViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
