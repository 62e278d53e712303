import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { FinalDocument } from '../core';
import { JobCompletionOptions, applyJobCompletion, checkJobCompletion } from './job-spec';
import { checkJobFields } from './pod-rules';
import { SecurePod, SecurePodProps, setupSecurePod, splitPodProps, templateKind } from './secure-pod';
import { plusConstructorError } from './plus-errors';

/** Props of {@link Job}. */
export interface JobProps extends Omit<kplus.JobProps, 'containers' | 'initContainers'>, SecurePodProps, JobCompletionOptions {}

/**
 * A cdk8s-plus-28 `Job` (run to completion; restartPolicy `Never` by default, or `OnFailure`) with slipway's pod
 * defaults and synth-time pod rules, plus completions, parallelism, Indexed mode, per-index backoff, a pod failure
 * policy and a success policy.
 */
export class Job extends SecurePod(kplus.Job) {
  constructor(scope: Construct, id: string, props: JobProps = {}) {
    const { plus: { completions, parallelism, completionMode, backoffLimitPerIndex, maxFailedIndexes, podFailurePolicy, successPolicy, ...plus }, pod } = splitPodProps(props);
    try {
      super(scope, id, plus);
    } catch (e) {
      throw plusConstructorError(scope, id, e);
    }
    checkJobFields(this, props);
    checkJobCompletion(this, props, props.restartPolicy ?? 'Never');
    FinalDocument.addTransform(this, (doc) => applyJobCompletion(doc.spec, props));
    setupSecurePod(this, pod, templateKind('Job', ['Never', 'OnFailure'], false), props);
  }
}
