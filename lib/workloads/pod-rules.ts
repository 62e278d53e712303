import { Construct } from 'constructs';
import { Duration, wholeSeconds } from '../core/duration';
import { RuleViolation, show } from '../core/errors';
import { Names } from '../core/names';
import { envNameViolations, imageViolations, labelViolations, quantityViolations } from '../core/values';
import { PodSecurity, PodSecurityLevel, baselineFindings, restrictedFindings } from './pod-security';
import { assertInteger, countRule } from './object-rules';
import { cpuMillis } from './resources';

/** API ranges of Job fields that cdk8s-plus-28 passes through unchecked. */
export function checkJobFields(scope: Construct, props: { readonly backoffLimit?: number; readonly activeDeadline?: Duration; readonly ttlAfterFinished?: Duration }): void {
  assertInteger(scope, 'backoffLimit', props.backoffLimit, countRule('job-field-range', 'use 0 or more retries (Kubernetes default 6)'));
  assertInteger(scope, 'ttlAfterFinished seconds', wholeSeconds(props.ttlAfterFinished, scope), countRule('job-field-range', 'use a duration from 0 to 2147483647 seconds'));
  assertInteger(scope, 'activeDeadline seconds', wholeSeconds(props.activeDeadline, scope), { min: 1, rangeRule: 'job-field-range', fix: 'use a deadline of at least Duration.seconds(1)' });
}

/** What a workload kind allows and what its rendered pod template looks like. */
export interface PodRuleContext {
  /** The kind, for messages (`Deployment`). */
  readonly kind: string;
  /** Restart policies the kind accepts. */
  readonly restartPolicies: readonly string[];
  /**
   * The rendered `{metadata, spec}` of the pod template and the selector, if any.
   * @deprecated slipway's kinds read the final document; podTemplateViolations() takes the template directly
   */
  readonly render: () => { template: any; selector?: any };
  /** The pod security level. */
  readonly podSecurity: () => PodSecurity;
}

const q = (v: any): string | undefined => (v === undefined ? undefined : String(v?.value ?? v));

const MEMORY_UNITS: Record<string, number> = { '': 1, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12 };

function memBytes(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * MEMORY_UNITS[m[2] ?? ''];
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

/** The rules over a rendered pod template (exported for tests and other layers). */
export function podTemplateViolations(ctx: Pick<PodRuleContext, 'kind' | 'restartPolicies' | 'podSecurity'>, template: any, selector?: any): RuleViolation[] {
  const v: RuleViolation[] = [];
  const spec = template?.spec ?? {};
  const labels: Record<string, string> = template?.metadata?.labels ?? {};

  const restart = spec.restartPolicy ?? 'Always';
  if (!ctx.restartPolicies.includes(restart)) {
    v.push({ rule: 'restart-policy', message: `${ctx.kind} pods have restartPolicy ${show(restart)}`,
      fix: `use ${ctx.restartPolicies.map((p) => show(p)).join(' or ')} for a ${ctx.kind}` });
  }

  v.push(...labelViolations(labels, 'pod template label'));
  if (selector) {
    const match: Record<string, string> = selector.matchLabels ?? {};
    if (Object.keys(match).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      v.push({ rule: 'selector-matches-template', message: `${ctx.kind} selector is empty`, fix: 'select the pods by at least one label' });
    }
    for (const [k, val] of Object.entries(match)) {
      if (labels[k] !== val) {
        v.push({ rule: 'selector-matches-template',
          message: `selector ${k}=${show(val)} does not match the pod template label ${k}=${show(labels[k])}`,
          fix: `add the label ${k}: ${show(val)} to the pod template (podMetadata.addLabel) or change the selector` });
      }
    }
  }

  for (const vol of spec.volumes ?? []) {
    if (vol.emptyDir?.sizeLimit !== undefined) v.push(...quantityViolations(() => `volume ${show(vol.name)} emptyDir sizeLimit`, q(vol.emptyDir.sizeLimit), 'use Size.mebibytes(64) or another whole size'));
  }
  const seen = new Set<string>();
  const all: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if ((spec.containers ?? []).length === 0) {
    v.push({ rule: 'containers-required', message: `${ctx.kind} pod has no containers`, fix: 'add a container with addContainer()' });
  }
  for (const c of all) {
    // Built only for a message: most pods break no rule.
    const who = (): string => `container ${show(c.name)}`;
    if (!Names.isDnsLabel(c.name ?? '')) {
      v.push({ rule: 'container-name', message: `${who()} is not a DNS-1123 label`, fix: 'name containers with lowercase letters, digits and -' });
    }
    if (seen.has(c.name)) v.push({ rule: 'container-name-unique', message: `${who()} is declared twice`, fix: 'give every container and init container its own name' });
    seen.add(c.name);
    v.push(...imageViolations(() => `${who()} image`, c.image, "set image to a reference without spaces, e.g. 'ghcr.io/acme/app:1.2.3'"));
    for (const e of c.env ?? []) v.push(...envNameViolations(e.name, "name it with letters, digits, '_', '-' and '.', not starting with a digit (envVariables: { GIT_URL: … })"));
    for (const [where, list] of [['requests', c.resources?.requests], ['limits', c.resources?.limits]] as const) {
      for (const [r, amount] of Object.entries(list ?? {})) v.push(...quantityViolations(() => `${who()} ${r} ${where}`, q(amount)));
    }

    const ports = new Set<string>();
    for (const p of c.ports ?? []) {
      for (const [f, n] of [['containerPort', p.containerPort], ['hostPort', p.hostPort]] as const) {
        if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 65535)) {
          v.push({ rule: 'port-range', message: `${who()} ${f} ${show(n)} is outside 1-65535`, fix: 'use a port number from 1 to 65535' });
        }
      }
      const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
      if (ports.has(key)) v.push({ rule: 'container-port-unique', message: `${who()} declares port ${key} twice`, fix: 'declare each port and protocol once' });
      ports.add(key);
      if (p.name !== undefined && !isServiceName(p.name)) {
        v.push({ rule: 'port-name', message: `${who()} port name ${show(p.name)} is not an IANA service name`,
          fix: "use at most 15 lowercase letters, digits and '-', with at least one letter and no leading, trailing or double '-'" });
      }
    }

    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    // Any request or limit is a choice Kubernetes accepts (a limit alone sets the request, cpu-limit-only and
    // memory-request-only are common); only a container with none at all is refused.
    if (['cpu', 'memory'].every((r) => q(req[r]) === undefined && q(lim[r]) === undefined)) {
      v.push({ rule: 'resource-requests', message: `${who()} has no cpu or memory request or limit`,
        fix: "set resources (e.g. { cpu: { request: Cpu.millis(100) } }), or leave resources out for slipway's default" });
    }
    const cpuR = q(req.cpu), cpuL = q(lim.cpu), memR = q(req.memory), memL = q(lim.memory);
    if (cpuR !== undefined && cpuL !== undefined && cpuMillis(cpuR) > cpuMillis(cpuL)) {
      v.push({ rule: 'requests-within-limits', message: `${who()} cpu request ${show(cpuR)} exceeds its limit ${show(cpuL)}`, fix: 'lower the request or raise the limit' });
    }
    if (memR !== undefined && memL !== undefined && memBytes(memR) > memBytes(memL)) {
      v.push({ rule: 'requests-within-limits', message: `${who()} memory request ${show(memR)} exceeds its limit ${show(memL)}`, fix: 'lower the request or raise the limit' });
    }

    for (const [kind, probe] of [['startup', c.startupProbe], ['liveness', c.livenessProbe], ['readiness', c.readinessProbe]] as const) {
      if (!probe) continue;
      if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
        v.push({ rule: 'probe-success-threshold', message: `${who()} ${kind} probe has successThreshold ${show(probe.successThreshold)}`,
          fix: `${kind} probes must use successThreshold 1; only readiness may require more` });
      }
      let handlers = 0;
      for (const h of PROBE_HANDLERS) if (probe[h] !== undefined) handlers++;
      if (handlers !== 1) {
        v.push({ rule: 'probe-handler', message: `${who()} ${kind} probe has ${handlers} handlers`, fix: 'give exactly one of exec, httpGet, tcpSocket or grpc' });
      }
      const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
      if ((probe.httpGet || probe.tcpSocket) && port === undefined) {
        v.push({ rule: 'probe-port', message: `${who()} ${kind} probe has no port and the container has no portNumber`,
          fix: 'pass port in the probe options or set portNumber on the container' });
      }
    }
  }

  const podSecurity = ctx.podSecurity();
  if (podSecurity.isRestricted) {
    const findings = restrictedFindings(spec);
    if (findings.length > 0) {
      v.push({ rule: 'pod-security-restricted', message: `${ctx.kind} pods break Pod Security "restricted": ${findings.join('; ')}`,
        fix: "remove those settings, or choose a level visibly: podSecurity: PodSecurity.baseline('<reason>') or PodSecurity.privileged('<reason>')" });
    }
  } else if (podSecurity.level === PodSecurityLevel.BASELINE && !podSecurity._legacy) {
    const findings = baselineFindings(spec);
    if (findings.length > 0) {
      v.push({ rule: 'pod-security-baseline', message: `${ctx.kind} pods break Pod Security "baseline": ${findings.join('; ')}`,
        fix: "remove those settings, or use podSecurity: PodSecurity.privileged('<reason>')" });
    }
  }
  return v;
}

/** IANA_SVC_NAME, as port names must be (container ports and a Service's named targetPort). */
export function isServiceName(name: string): boolean {
  return name.length <= 15 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) && /[a-z]/.test(name);
}
