import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { FinalDocument, addRules, durationMillis, RuleViolation, show } from '../../core';
import { checkReferencesOf } from '../references';
import { IResourceRef, Json, compact } from '../rollouts/common';
import type { DeliverySpec } from './broker';
import { checkProps, metadataViolations } from '../values';

/** Where events are delivered: an addressable object of the app (a Knative Service, a Broker, a Service) or a URI. */
export class Sink {
  /** A Knative Service (`serving.knative.dev/v1`). */
  public static knativeService(service: IResourceRef): Sink {
    return new Sink({ ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: service.name } });
  }

  /** A Broker (`eventing.knative.dev/v1`). */
  public static broker(broker: IResourceRef): Sink {
    return new Sink({ ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: broker.name } });
  }

  /** A Kubernetes Service (`v1`), optionally with a path appended (`uri: /events`). */
  public static service(service: IResourceRef, path?: string): Sink {
    return new Sink(compact({ ref: { apiVersion: 'v1', kind: 'Service', name: service.name }, uri: path }));
  }

  /** An absolute URI outside the cluster's addressables. */
  public static uri(uri: string): Sink {
    return new Sink({ uri });
  }

  private constructor(private readonly json: Json) {}

  /** The `sink` / `subscriber` object (Knative's Destination). */
  public toJson(): Json {
    return { ...this.json, ...(this.json.ref ? { ref: { ...this.json.ref } } : {}) };
  }
}

/** @internal Knative's Destination check: a ref or a URI, and a URI that is absolute unless it extends a ref. */
export function destinationViolations(where: string, d: Json | undefined, rule: string): RuleViolation[] {
  if (!d || (!d.ref && !d.uri)) {
    return [{ rule, message: `${where}: expected at least one, got none: ref, uri`, fix: 'deliver to Sink.knativeService(), Sink.broker(), Sink.service() or Sink.uri()' }];
  }
  if (!d.ref && d.uri && !/^[a-z][a-z0-9+.-]*:\/\//i.test(d.uri)) {
    return [{ rule, message: `${where}.uri ${show(d.uri)}: invalid value: relative URI is not allowed when Ref and CACerts is absent`, fix: 'use an absolute URI (https://…) or a ref' }];
  }
  return [];
}

/**
 * @internal The L1 child every Knative Eventing L2 keeps: `Resource` with a lazily rendered spec, the app-wide
 * reference checks, and the kind's own webhook rules over the final spec.
 */
export function eventingResource(scope: Construct, apiVersion: string, kind: string, name: string | undefined, spec: () => Json,
  rules: (spec: Json) => RuleViolation[]): ApiObject {
  checkProps(scope, undefined, metadataViolations({ name }));
  const resource = new ApiObject(scope, 'Resource', { apiVersion, kind, metadata: compact({ name }), spec: Lazy.any({ produce: spec }) });
  checkReferencesOf(scope);
  addRules(scope, () => rules(FinalDocument.of(resource).spec ?? {}));
  return resource;
}

/** @internal The `delivery` object. */
export function renderDelivery(d: DeliverySpec | undefined): Json | undefined {
  if (!d) return undefined;
  return compact({ deadLetterSink: d.deadLetterSink?.toJson(), retry: d.retry, backoffPolicy: d.backoffPolicy, backoffDelay: d.backoffDelay ? `PT${durationMillis(d.backoffDelay) / 1000}S` : undefined });
}

/** @internal Knative's DeliverySpec checks. */
export function deliveryViolations(where: string, d: Json | undefined, rule: string): RuleViolation[] {
  if (d?.retry !== undefined && !(Number.isInteger(d.retry) && d.retry >= 0)) {
    return [{ rule, message: `${where}.retry ${show(d.retry)}: invalid value: must be >= 0`, fix: 'use 0 or more retries' }];
  }
  return [];
}

