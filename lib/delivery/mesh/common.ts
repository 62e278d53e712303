import { Duration, durationMillis } from '../../core';
import { Json, compact } from '../rollouts/common';

export { StringMatch } from '../rollouts/common';

/** Where an Istio route sends traffic: a service host, optionally one subset and port. */
export interface Destination {
  /** Service host: a short name (`reviews`), an FQDN or a ServiceEntry host. */
  readonly host: string;
  /**
   * A DestinationRule subset of the host.
   * @default - all endpoints of the host
   */
  readonly subset?: string;
  /**
   * Port on the host.
   * @default - the host's only port
   */
  readonly port?: number;
}

/** Header changes on a request or response. */
export interface HeaderOperations {
  /**
   * Headers to overwrite.
   * @default - none
   */
  readonly set?: Record<string, string>;
  /**
   * Headers to append.
   * @default - none
   */
  readonly add?: Record<string, string>;
  /**
   * Headers to drop.
   * @default - none
   */
  readonly remove?: string[];
}

/** Request and response header manipulation. */
export interface Headers {
  /**
   * Changes to the request.
   * @default - none
   */
  readonly request?: HeaderOperations;
  /**
   * Changes to the response.
   * @default - none
   */
  readonly response?: HeaderOperations;
}

/** @internal Renders a destination. */
export function renderDestination(d: Destination): Json {
  return compact({ host: d.host, subset: d.subset, port: d.port !== undefined ? { number: d.port } : undefined });
}

/** @internal Renders header operations. */
export function renderHeaders(h: Headers | undefined): Json | undefined {
  if (!h) return undefined;
  const ops = (o?: HeaderOperations) => (o ? compact({ set: o.set, add: o.add, remove: o.remove }) : undefined);
  return compact({ request: ops(h.request), response: ops(h.response) });
}

/**
 * @internal Istio durations as decimal seconds (`0.25s`, `10s`, `3600s`): the one form both the protobuf JSON
 * mapping and Go's `time.ParseDuration` accept.
 */
export function istioDuration(d: Duration | undefined): string | undefined {
  return d === undefined ? undefined : `${durationMillis(d) / 1000}s`;
}
