import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FinalDocument, INT32_MAX, checkedValue, fail, putSorted, show } from '../core';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps, templateKind } from './secure-pod';
import { plusConstructorError } from './plus-errors';

/** How a DaemonSet replaces its pods (`updateStrategy`); cdk8s-plus-28 has no prop for it. */
export class DaemonSetUpdateStrategy {
  /**
   * Replace pods node by node (the Kubernetes default strategy).
   * @param options `maxUnavailable` and `maxSurge` as a count or a percentage (`'10%'`); Kubernetes defaults 1 and 0
   */
  public static rollingUpdate(options: { readonly maxUnavailable?: number | string; readonly maxSurge?: number | string } = {}): DaemonSetUpdateStrategy {
    const rollingUpdate = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    return checkedValue(() => {
      for (const [k, v] of Object.entries(rollingUpdate)) {
        if (!(typeof v === 'number' ? Number.isInteger(v) && v >= 0 && v <= INT32_MAX : /^\d+%$/.test(v))) {
          fail(undefined, 'daemonset-update-strategy', `${k} ${show(v)} is not a whole number >= 0 or a percentage`, "use a count such as 1 or a percentage such as '10%'");
        }
      }
      if (options.maxUnavailable !== undefined && options.maxSurge !== undefined && String(options.maxUnavailable).replace('%', '') === '0' && String(options.maxSurge).replace('%', '') === '0') {
        fail(undefined, 'daemonset-update-strategy', 'maxUnavailable and maxSurge are both 0', 'allow at least one of them to be above 0');
      }
    }, () => new DaemonSetUpdateStrategy({ type: 'RollingUpdate', ...(Object.keys(rollingUpdate).length > 0 ? { rollingUpdate } : {}) }));
  }

  /** Replace a pod only when it is deleted (`OnDelete`). */
  public static onDelete(): DaemonSetUpdateStrategy {
    return new DaemonSetUpdateStrategy({ type: 'OnDelete' });
  }

  private constructor(
    /** The `updateStrategy` as written. */
    public readonly json: { readonly type: string; readonly rollingUpdate?: Record<string, number | string> },
  ) {}
}

/** Props of {@link DaemonSet}. */
export interface DaemonSetProps extends Omit<kplus.DaemonSetProps, 'containers' | 'initContainers'>, SecurePodProps {
  /**
   * How pods are replaced.
   * @default - not written (RollingUpdate, maxUnavailable 1)
   */
  readonly updateStrategy?: DaemonSetUpdateStrategy;
}

/**
 * A cdk8s-plus-28 `DaemonSet` (one pod per node) with slipway's pod defaults and synth-time pod rules. Node agents
 * that need hostPath, host namespaces or root say so with `podSecurity: PodSecurity.privileged('<reason>')`.
 */
export class DaemonSet extends SecurePod(kplus.DaemonSet) {
  constructor(scope: Construct, id: string, props: DaemonSetProps = {}) {
    const { plus: { updateStrategy, ...plus }, pod } = splitPodProps(props);
    try {
      super(scope, id, plus);
    } catch (e) {
      throw plusConstructorError(scope, id, e);
    }
    setupSecurePod(this, pod, templateKind('DaemonSet', ['Always'], true), props);
    if (updateStrategy) FinalDocument.addTransform(this, (doc) => putSorted(doc.spec, 'updateStrategy', updateStrategy.json));
  }
}
