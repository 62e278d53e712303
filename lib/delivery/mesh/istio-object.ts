import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { FinalDocument, RuleViolation, addRules } from '../../core';
import { checkReferencesOf } from '../references';
import { checkProps, metadataViolations } from '../values';
import { Json, compact } from '../rollouts/common';

/** The Istio API versions slipway writes. */
export class IstioApiVersion {
  /** `v1` (Istio 1.22 and later; the default). */
  public static readonly V1 = new IstioApiVersion('v1', 'v1');

  /** `v1beta1` for clusters older than Istio 1.22 (Telemetry is `v1alpha1` there). */
  public static readonly V1BETA1 = new IstioApiVersion('v1beta1', 'v1alpha1');

  /**
   * Writes every Istio object under `scope` (a chart or the app) with `version`. Call it before adding the
   * objects: the version is read when each object is created.
   */
  public static use(scope: Construct, version: IstioApiVersion): void {
    scope.node.setContext(CONTEXT_KEY, version.networking);
  }

  private constructor(
    /** The version of networking.istio.io and security.istio.io kinds. */
    public readonly networking: string,
    /** The version of telemetry.istio.io kinds. */
    public readonly telemetry: string,
  ) {}
}

const CONTEXT_KEY = 'slipway:istio-api-version';

/** @internal `group/version` for an Istio kind created under `scope`, honouring {@link IstioApiVersion.use}. */
export function istioApiVersion(scope: IConstruct, group: string): string {
  const chosen = scope.node.tryGetContext(CONTEXT_KEY) === 'v1beta1' ? IstioApiVersion.V1BETA1 : IstioApiVersion.V1;
  return `${group}/${group === 'telemetry.istio.io' ? chosen.telemetry : chosen.networking}`;
}

/** What every Istio object takes besides its spec: where it lives. */
export interface IstioObjectProps {
  /**
   * `metadata.namespace`. Istio scopes most kinds by it (a Sidecar, PeerAuthentication or AuthorizationPolicy in
   * the root namespace, usually `istio-system`, applies mesh-wide; `exportTo: ['.']` means this namespace).
   * @default - none: the namespace `kubectl apply` targets
   */
  readonly namespace?: string;
}

/**
 * @internal The L1 child every Istio L2 keeps: `Resource` with a lazily rendered spec (so later `addX()` calls and
 * escape-hatch patches land), the app-wide reference checks, and the kind's own webhook rules over the final spec.
 */
export function istioResource(scope: Construct, group: string, kind: string, meta: { readonly name?: string; readonly namespace?: string },
  spec: () => Json, rules: (spec: Json) => RuleViolation[]): ApiObject {
  checkProps(scope, undefined, metadataViolations({ name: meta.name, namespace: meta.namespace }));
  const apiVersion = group.includes('/') ? group : istioApiVersion(scope, group);
  const resource = new ApiObject(scope, 'Resource', {
    apiVersion, kind, metadata: compact({ name: meta.name, namespace: meta.namespace }), spec: Lazy.any({ produce: spec }),
  });
  checkReferencesOf(scope);
  addRules(scope, () => rules(FinalDocument.of(resource).spec ?? {}));
  return resource;
}

/** @internal `{ matchLabels }` for a selector, or undefined. */
export function matchLabels(labels: Record<string, string> | undefined): Json | undefined {
  return labels ? { matchLabels: { ...labels } } : undefined;
}
