import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkJobFields } from './pod-rules';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps, templateKind } from './secure-pod';

/** Props of {@link Job}. */
export interface JobProps extends Omit<kplus.JobProps, 'containers' | 'initContainers'>, SecurePodProps {}

/**
 * A cdk8s-plus-28 `Job` (run to completion; restartPolicy `Never` by default, or `OnFailure`) with slipway's pod
 * defaults and synth-time pod rules.
 */
export class Job extends SecurePod(kplus.Job) {
  constructor(scope: Construct, id: string, props: JobProps = {}) {
    const { plus, pod } = splitPodProps(props);
    super(scope, id, plus);
    checkJobFields(this, props);
    setupSecurePod(this, pod, templateKind('Job', ['Never', 'OnFailure'], false));
  }
}
