import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps, templateKind } from './secure-pod';

/** Props of {@link DaemonSet}. */
export interface DaemonSetProps extends Omit<kplus.DaemonSetProps, 'containers' | 'initContainers'>, SecurePodProps {}

/**
 * A cdk8s-plus-28 `DaemonSet` (one pod per node) with slipway's pod defaults and synth-time pod rules. Node agents
 * that need hostPath, host namespaces or root say so with `podSecurity: PodSecurity.privileged('<reason>')`.
 */
export class DaemonSet extends SecurePod(kplus.DaemonSet) {
  constructor(scope: Construct, id: string, props: DaemonSetProps = {}) {
    const { plus, pod } = splitPodProps(props);
    super(scope, id, plus);
    setupSecurePod(this, pod, templateKind('DaemonSet', ['Always'], true));
  }
}
