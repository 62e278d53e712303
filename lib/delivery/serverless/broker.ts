import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, constructId } from '../../core';
import { compact } from '../rollouts/common';
import { Sink, deliveryViolations, eventingResource, renderDelivery } from './sink';
import { checkProps } from '../values';

/** Redelivery of events a subscriber fails to accept. */
export interface DeliverySpec {
  /**
   * Where events go after the last retry.
   * @default - dropped
   */
  readonly deadLetterSink?: Sink;
  /**
   * Retries after the first attempt.
   * @default - the broker class default
   */
  readonly retry?: number;
  /**
   * Exponential or linear back-off.
   * @default 'exponential'
   */
  readonly backoffPolicy?: 'exponential' | 'linear';
  /**
   * Base back-off delay.
   * @default - the broker class default
   */
  readonly backoffDelay?: Duration;
}

/** Props of {@link Broker}. */
export interface BrokerProps {
  /**
   * The object name (Triggers name it in `spec.broker`).
   * @default 'default'
   */
  readonly name?: string;
  /**
   * The broker class (`eventing.knative.dev/broker.class` annotation).
   * @default - the cluster default (MTChannelBasedBroker)
   */
  readonly brokerClass?: string;
  /**
   * Redelivery for every Trigger of the broker.
   * @default - the class default
   */
  readonly delivery?: DeliverySpec;
}

/** A Knative Eventing `Broker` (eventing.knative.dev/v1): an event mesh that Triggers subscribe to with filters. */
export class Broker extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: BrokerProps = {}) {
    super(scope, constructId(scope, id, 'Broker', "new Broker(scope, 'Main', …)"));
    checkProps(this, props);
    this.resource = eventingResource(this, 'eventing.knative.dev/v1', 'Broker', props.name ?? 'default',
      () => compact({ delivery: renderDelivery(props.delivery) }), (spec) => deliveryViolations('spec.delivery', spec.delivery, 'knative-broker'));
    if (props.brokerClass) this.resource.metadata.addAnnotation('eventing.knative.dev/broker.class', props.brokerClass);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
