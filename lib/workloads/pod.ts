import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps } from './secure-pod';
import { plusConstructorError } from './plus-errors';

/** Props of {@link Pod}: cdk8s-plus-28's, with containers added through slipway's pod defaults. */
export interface PodProps extends Omit<kplus.PodProps, 'containers' | 'initContainers'>, SecurePodProps {}

/**
 * A bare Pod (debug pods, one-off tools, documentation examples, the base of {@link StaticPod}) with the same
 * defaults and synth-time rules as the other kinds: Pod Security "restricted" unless a level says otherwise,
 * explicit requests, a writable `/tmp`. Restart policy `Always` (default), `OnFailure` or `Never`
 * (`restartPolicy: kplus.RestartPolicy.NEVER`); QoS from the containers' resources; all four probe mechanisms
 * through {@link Probe}.
 */
export class Pod extends SecurePod(kplus.Pod) {
  constructor(scope: Construct, id: string, props: PodProps = {}) {
    const { plus, pod } = splitPodProps(props);
    try {
      super(scope, id, plus);
    } catch (e) {
      throw plusConstructorError(scope, id, e);
    }
    setupSecurePod(this, pod, { kind: 'Pod', restartPolicies: ['Always', 'OnFailure', 'Never'], template: (doc) => doc }, props);
  }
}
