import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps, templateKind } from './secure-pod';
import { plusConstructorError } from './plus-errors';
import { assertValue } from '../core/values';
import { REPLICAS, assertInteger, countRule, rollingUpdateViolations } from './object-rules';

/** Props of {@link Deployment}: cdk8s-plus-28's, plus rollback history and slipway's secure pod options. */
export interface DeploymentProps extends Omit<kplus.DeploymentProps, 'containers' | 'initContainers'>, SecurePodProps {
  /**
   * Old ReplicaSets kept for `kubectl rollout undo`.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
}

/**
 * A cdk8s-plus-28 `Deployment` whose containers get slipway's defaults for the Pod Security level (default
 * "restricted", explicit requests, writable `/tmp`) and whose final pod template is checked at synth. Strategy:
 * rolling update (default) or `kplus.DeploymentStrategy.recreate()`.
 */
export class Deployment extends SecurePod(kplus.Deployment) {
  /** Old ReplicaSets kept for rollback. */
  public readonly revisionHistoryLimit: number;

  constructor(scope: Construct, id: string, props: DeploymentProps = {}) {
    const { plus, pod } = splitPodProps(props, ['revisionHistoryLimit']);
    try {
      super(scope, id, plus);
    } catch (e) {
      throw plusConstructorError(scope, id, e);
    }
    assertInteger(this, 'replicas', props.replicas, REPLICAS);
    this.revisionHistoryLimit = props.revisionHistoryLimit ?? 10;
    assertInteger(this, 'revisionHistoryLimit', this.revisionHistoryLimit,
      countRule('revision-history-limit', 'keep 0 or more old ReplicaSets (10 is the Kubernetes default)'));
    assertValue(this, rollingUpdateViolations('Deployment', this.strategy._toKube().rollingUpdate as Record<string, unknown> | undefined));
    setupSecurePod(this, pod, templateKind('Deployment', ['Always'], true), props);
  }

  /** @internal */
  public _toKube(): kplus.k8s.DeploymentSpec {
    // Object.assign, not a leading spread with more keys: that form is ~50x slower in Node 20's V8.
    return Object.assign({}, super._toKube(), { revisionHistoryLimit: this.revisionHistoryLimit });
  }
}
