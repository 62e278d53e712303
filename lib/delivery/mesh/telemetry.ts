import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Duration, RuleViolation, show, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { istioDuration } from './common';
import { istioResource, matchLabels, IstioObjectProps } from './istio-object';
import { checkProps } from '../values';

/** Which side of a connection a telemetry setting applies to. */
export enum TelemetryMode {
  /** Both. */
  CLIENT_AND_SERVER = 'CLIENT_AND_SERVER',
  /** Outbound only. */
  CLIENT = 'CLIENT',
  /** Inbound only. */
  SERVER = 'SERVER',
}

/** Istio's standard metrics. */
export enum IstioMetric {
  /** Every metric. */
  ALL_METRICS = 'ALL_METRICS',
  /** `istio_requests_total`. */
  REQUEST_COUNT = 'REQUEST_COUNT',
  /** `istio_request_duration_milliseconds`. */
  REQUEST_DURATION = 'REQUEST_DURATION',
  /** `istio_request_bytes`. */
  REQUEST_SIZE = 'REQUEST_SIZE',
  /** `istio_response_bytes`. */
  RESPONSE_SIZE = 'RESPONSE_SIZE',
  /** `istio_tcp_connections_opened_total`. */
  TCP_OPENED_CONNECTIONS = 'TCP_OPENED_CONNECTIONS',
  /** `istio_tcp_connections_closed_total`. */
  TCP_CLOSED_CONNECTIONS = 'TCP_CLOSED_CONNECTIONS',
  /** `istio_tcp_sent_bytes_total`. */
  TCP_SENT_BYTES = 'TCP_SENT_BYTES',
  /** `istio_tcp_received_bytes_total`. */
  TCP_RECEIVED_BYTES = 'TCP_RECEIVED_BYTES',
  /** gRPC request messages. */
  GRPC_REQUEST_MESSAGES = 'GRPC_REQUEST_MESSAGES',
  /** gRPC response messages. */
  GRPC_RESPONSE_MESSAGES = 'GRPC_RESPONSE_MESSAGES',
}

/** A change to one metric. */
export interface MetricOverride {
  /** The metric. */
  readonly metric: IstioMetric;
  /**
   * Inbound, outbound or both.
   * @default TelemetryMode.CLIENT_AND_SERVER
   */
  readonly mode?: TelemetryMode;
  /**
   * Stop reporting it.
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Tags to add or overwrite (tag → CEL value expression).
   * @default - none
   */
  readonly addTags?: Record<string, string>;
  /**
   * Tags to drop (e.g. high-cardinality `request_protocol`).
   * @default - none
   */
  readonly removeTags?: string[];
}

/** Props of {@link Telemetry}. */
export interface TelemetryProps extends IstioObjectProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Labels of the workloads it applies to.
   * @default - the whole namespace (the mesh, in the root namespace)
   */
  readonly selector?: Record<string, string>;
  /**
   * Metric providers and overrides (e.g. `prometheus`).
   * @default - the mesh's metrics
   */
  readonly metrics?: { readonly providers?: string[]; readonly overrides?: MetricOverride[]; readonly reportingInterval?: Duration };
  /**
   * Trace sampling in percent (0..100) for the given providers.
   * @default - the mesh's tracing
   */
  readonly tracing?: { readonly providers?: string[]; readonly randomSamplingPercentage?: number; readonly customTags?: Record<string, string> };
  /**
   * Access logs for the given providers (e.g. `envoy`), optionally filtered by a CEL expression.
   * @default - the mesh's access logging
   */
  readonly accessLogging?: { readonly providers?: string[]; readonly filter?: string; readonly disabled?: boolean; readonly mode?: TelemetryMode };
}

/** istiod's Telemetry checks. */
function telemetryViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  const v = (message: string, fix: string) => out.push({ rule: 'istio-telemetry', message, fix });
  (spec.tracing ?? []).forEach((t: Json, i: number) => {
    const p = t.randomSamplingPercentage;
    if (p !== undefined && !(p >= 0 && p <= 100)) v(`tracing[${i}].randomSamplingPercentage ${show(p)}: randomSamplingPercentage must be in range [0.0, 100.0]`, 'use a percentage between 0 and 100');
  });
  for (const kind of ['metrics', 'tracing', 'accessLogging']) {
    (spec[kind] ?? []).forEach((x: Json, i: number) => (x.providers ?? []).forEach((p: Json, j: number) => {
      if (!p.name) v(`${kind}[${i}].providers[${j}]: provider name must be set`, 'name a provider of the mesh config (prometheus, envoy, otel, …)');
    }));
  }
  return out;
}

/**
 * An Istio `Telemetry` (telemetry.istio.io/v1): metrics (providers, dropped tags, disabled metrics), trace sampling
 * and access logs for a workload, a namespace or the mesh.
 */
export class Telemetry extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: TelemetryProps = {}) {
    super(scope, constructId(scope, id, 'Telemetry', "new Telemetry(scope, 'Main', …)"));
    checkProps(this, props);
    const providers = (names?: string[]) => names?.map((name) => ({ name }));
    this.resource = istioResource(this, 'telemetry.istio.io', 'Telemetry', props, () => compact({
      selector: matchLabels(props.selector),
      metrics: props.metrics ? [compact({
        providers: providers(props.metrics.providers),
        reportingInterval: istioDuration(props.metrics.reportingInterval),
        overrides: props.metrics.overrides?.map((o) => compact({
          match: compact({ metric: o.metric, mode: o.mode }),
          disabled: o.disabled,
          tagOverrides: o.addTags || o.removeTags ? {
            ...Object.fromEntries(Object.entries(o.addTags ?? {}).map(([tag, value]) => [tag, { operation: 'UPSERT', value }])),
            ...Object.fromEntries((o.removeTags ?? []).map((tag) => [tag, { operation: 'REMOVE' }])),
          } : undefined,
        })),
      })] : undefined,
      tracing: props.tracing ? [compact({
        providers: providers(props.tracing.providers),
        randomSamplingPercentage: props.tracing.randomSamplingPercentage,
        customTags: props.tracing.customTags ? Object.fromEntries(Object.entries(props.tracing.customTags).map(([k, value]) => [k, { literal: { value } }])) : undefined,
      })] : undefined,
      accessLogging: props.accessLogging ? [compact({
        providers: providers(props.accessLogging.providers),
        filter: props.accessLogging.filter ? { expression: props.accessLogging.filter } : undefined,
        disabled: props.accessLogging.disabled,
        match: props.accessLogging.mode ? { mode: props.accessLogging.mode } : undefined,
      })] : undefined,
    }), telemetryViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
