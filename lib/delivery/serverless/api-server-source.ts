import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, show, constructId } from '../../core';
import { Json, compact } from '../rollouts/common';
import { Sink, destinationViolations, eventingResource } from './sink';
import { checkProps } from '../values';

/** What an ApiServerSource sends for each change. */
export enum ApiServerSourceMode {
  /** A reference to the changed object. */
  REFERENCE = 'Reference',
  /** The whole object. */
  RESOURCE = 'Resource',
}

/** A kind to watch. */
export interface WatchedResource {
  /** e.g. `v1`, `apps/v1`. */
  readonly apiVersion: string;
  /** e.g. `Event`, `Deployment`. */
  readonly kind: string;
  /**
   * Only objects with these labels.
   * @default - all objects of the kind
   */
  readonly labels?: Record<string, string>;
}

/** Props of {@link ApiServerSource}. */
export interface ApiServerSourceProps {
  /**
   * The object name.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** Kinds to watch. */
  readonly resources: WatchedResource[];
  /**
   * Reference or full object.
   * @default ApiServerSourceMode.REFERENCE
   */
  readonly mode?: ApiServerSourceMode;
  /** ServiceAccount allowed to get, list and watch the kinds (RBAC is yours to grant). */
  readonly serviceAccountName: string;
  /** Where the events go. */
  readonly sink: Sink;
}

function apiServerSourceViolations(spec: Json): RuleViolation[] {
  const out: RuleViolation[] = [];
  if ((spec.resources ?? []).length === 0) out.push({ rule: 'knative-api-server-source', message: 'missing field(s): spec.resources', fix: 'watch at least one kind' });
  (spec.resources ?? []).forEach((r: Json, i: number) => {
    if (!r.apiVersion || !r.kind) out.push({ rule: 'knative-api-server-source', message: `spec.resources[${i}] ${show(r)}: missing field(s): apiVersion, kind`, fix: 'name the apiVersion and kind to watch' });
  });
  if (spec.mode !== undefined && !['Reference', 'Resource'].includes(spec.mode)) {
    out.push({ rule: 'knative-api-server-source', message: `spec.mode ${show(spec.mode)}: invalid value: ${spec.mode}`, fix: 'use Reference or Resource' });
  }
  out.push(...destinationViolations('spec.sink', spec.sink, 'knative-api-server-source'));
  return out;
}

/** A Knative `ApiServerSource` (sources.knative.dev/v1): Kubernetes API changes as CloudEvents. */
export class ApiServerSource extends Construct {
  /** The L1 object (`Resource`). */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ApiServerSourceProps) {
    super(scope, constructId(scope, id, 'ApiServerSource', "new ApiServerSource(scope, 'Main', …)"));
    checkProps(this, props);
    this.resource = eventingResource(this, 'sources.knative.dev/v1', 'ApiServerSource', props.name, () => compact({
      mode: props.mode ?? ApiServerSourceMode.REFERENCE,
      serviceAccountName: props.serviceAccountName,
      resources: props.resources.map((r) => compact({ apiVersion: r.apiVersion, kind: r.kind, selector: r.labels ? { matchLabels: { ...r.labels } } : undefined })),
      sink: props.sink.toJson(),
    }), apiServerSourceViolations);
  }

  /** The object name. */
  public get name(): string {
    return this.resource.name;
  }
}
