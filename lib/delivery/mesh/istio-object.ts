import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { RuleViolation, addRules } from '../../core';
import { checkReferencesOf } from '../references';
import { Json, compact } from '../rollouts/common';

/**
 * @internal The L1 child every Istio L2 keeps: `Resource` with a lazily rendered spec (so later `addX()` calls and
 * escape-hatch patches land), the app-wide reference checks, and the kind's own webhook rules over the final spec.
 */
export function istioResource(scope: Construct, apiVersion: string, kind: string, name: string | undefined, spec: () => Json,
  rules: (spec: Json) => RuleViolation[]): ApiObject {
  const resource = new ApiObject(scope, 'Resource', { apiVersion, kind, metadata: compact({ name }), spec: Lazy.any({ produce: spec }) });
  checkReferencesOf(scope);
  addRules(scope, () => rules(resource.toJson().spec ?? {}));
  return resource;
}

/** @internal `{ matchLabels }` for a selector, or undefined. */
export function matchLabels(labels: Record<string, string> | undefined): Json | undefined {
  return labels ? { matchLabels: { ...labels } } : undefined;
}
