import { IConstruct } from 'constructs';
import { RuleViolation, SlipwayError } from '../core/errors';

/** cdk8s-plus-28's own errors, matched by message, with the rule id and fix slipway reports them under. */
const PLUS_ERRORS: { readonly match: RegExp; readonly rule: string; readonly fix: string }[] = [
  { match: /^Port with name (.*) already exists/, rule: 'container-port-unique', fix: 'give each container port its own name (ports: [{ number, name }])' },
  { match: /^Port with number (.*) already exists/, rule: 'container-port-unique', fix: 'declare each port number and protocol once per container' },
  { match: /^Invalid mount configuration/, rule: 'volume-name-unique', fix: 'give every volume its own name (Volume.fromEmptyDir(scope, id, name)); the writable /tmp uses the name "tmp"' },
  { match: /^Volume with name (.*) already exists/, rule: 'volume-name-unique', fix: 'give every volume its own name' },
  { match: /^Init containers must not have a (\w+) probe/, rule: 'init-container-probe', fix: 'remove readiness, liveness and startup from init containers (or make it a sidecar with restartPolicy Always)' },
  { match: /^Either 'port' or 'portNumber' is allowed/, rule: 'container-port', fix: "use portNumber (cdk8s-plus' port is deprecated)" },
  { match: /^localhostProfile must only be set/, rule: 'seccomp-profile', fix: 'set localhostProfile only with SeccompProfileType.LOCALHOST' },
  { match: /^When dns policy is set to NONE/, rule: 'pod-dns', fix: 'give dns.nameservers when dns.policy is DnsPolicy.NONE' },
  { match: /^There can be at most/, rule: 'pod-dns', fix: 'use at most 3 nameservers and 6 search domains' },
  { match: /^Invalid affinity weight/, rule: 'affinity-weight', fix: 'use a weight from 1 to 100' },
  { match: /^Only 'NO_EXECUTE' effects can specify 'evictAfter'/, rule: 'toleration-evict-after', fix: 'use TaintEffect.NO_EXECUTE with evictAfter, or drop evictAfter' },
  { match: /^Invalid container spec: .* restartPolicy/, rule: 'container-restart-policy', fix: 'set restartPolicy only on init containers (sidecars)' },
  { match: /^ingress paths must begin with a "\/"/, rule: 'ingress-path', fix: "start the path with '/', e.g. '/api'" },
  { match: /^The 'startingDeadline' property cannot be less than 10 seconds/, rule: 'cron-starting-deadline', fix: 'use startingDeadline of at least Duration.seconds(10), or leave it out' },
  { match: /^The 'ttlAfterFinished' property cannot be set if/, rule: 'cron-job-retention', fix: 'use either ttlAfterFinished or successfulJobsRetained/failedJobsRetained' },
  { match: /^'progressDeadline' .* must be greater than 'minReady'/, rule: 'deployment-progress-deadline', fix: 'make progressDeadline longer than minReady' },
  // cdk8s' Duration.toSeconds() on a duration such as Duration.millis(1500) in a `…Seconds` field.
  { match: /(must be|cannot be converted into) a whole number of seconds/, rule: 'duration-whole-seconds', fix: 'round the duration to whole seconds, e.g. Duration.seconds(2)' },
  // constructs' own checks of a construct id.
  { match: /^There is already a Construct with name '([^']*)'/, rule: 'duplicate-construct-id', fix: 'give each construct its own id under the same scope (ids name the construct path)' },
  { match: /^Only root constructs may have an empty ID/, rule: 'construct-id-empty', fix: "pass a non-empty id as the constructor's second argument, e.g. 'web'" },
];

/** A cdk8s-plus-28 error as a slipway violation (rule `cdk8s-plus` when the message is not one slipway knows). */
export function plusViolation(e: unknown): RuleViolation {
  // cdk8s wraps render errors as "Failed serializing construct at path '…' with name '…': Error: <message>".
  const message = String((e as Error)?.message ?? e).replace(/^Failed serializing construct at path '[^']*' with name '[^']*': (Error: )?/, '');
  for (const p of PLUS_ERRORS) {
    if (p.match.test(message)) return { rule: p.rule, message: lowerFirst(message), fix: p.fix };
  }
  return { rule: 'cdk8s-plus', message: lowerFirst(message), fix: 'see the cdk8s-plus-28 API reference for the construct named in the path' };
}

/** Runs `fn`; a cdk8s-plus-28 error is re-raised as a slipway error with `scope`'s path, the rule and the fix. */
export function plusCall<T>(scope: IConstruct, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SlipwayError) throw e;
    throw new SlipwayError(scope.node.path, plusViolation(e));
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * A cdk8s-plus-28 constructor error as a slipway error for the construct being made (`scope/id`); used as
 * `try { super(...) } catch (e) { throw plusConstructorError(scope, id, e); }`.
 */
export function plusConstructorError(scope: IConstruct, id: string, e: unknown): Error {
  if (e instanceof SlipwayError) return e;
  return new SlipwayError(scope.node.path ? `${scope.node.path}/${id}` : id, plusViolation(e));
}
