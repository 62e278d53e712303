import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** A pod's Quality of Service class, as the kubelet computes it from requests and limits. */
export enum QosClass {
  /** Every container has CPU and memory limits, and requests equal to them: evicted last. */
  GUARANTEED = 'Guaranteed',
  /** Some request or limit is set, but not Guaranteed. */
  BURSTABLE = 'Burstable',
  /** No container sets any CPU or memory request or limit: evicted first. */
  BEST_EFFORT = 'BestEffort',
}

/**
 * slipway's default container resources: requests 100m CPU and 128Mi memory, a 256Mi memory limit and no CPU
 * limit (CPU limits throttle latency-sensitive services; memory limits protect the node). QoS: Burstable.
 * cdk8s-plus-28's own default (1000m/1500m CPU, 512Mi/2048Mi) is replaced.
 */
export const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

/** CPU quantity text (`250m`, `1`, `0.5`) in millicores; NaN if unparsable. */
export function cpuMillis(amount: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(amount.trim());
  if (!m) return NaN;
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

function memKib(s: Size | undefined): number | undefined {
  return s === undefined ? undefined : s.toKibibytes();
}

/**
 * The QoS class of a pod with these containers (init containers included), following the kubelet's rules: a request
 * that is not set defaults to its limit.
 */
export function qosClassOf(containers: readonly kplus.Container[]): QosClass {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = c.resources ?? {};
    const cpuLimit = r.cpu?.limit ? cpuMillis(r.cpu.limit.amount) : undefined;
    const cpuRequest = r.cpu?.request ? cpuMillis(r.cpu.request.amount) : cpuLimit;
    const memLimit = memKib(r.memory?.limit);
    const memRequest = memKib(r.memory?.request) ?? memLimit;
    if (cpuLimit !== undefined || cpuRequest !== undefined || memLimit !== undefined || memRequest !== undefined) any = true;
    if (cpuLimit === undefined || memLimit === undefined || cpuRequest !== cpuLimit || memRequest !== memLimit) guaranteed = false;
  }
  if (!any) return QosClass.BEST_EFFORT;
  return guaranteed && containers.length > 0 ? QosClass.GUARANTEED : QosClass.BURSTABLE;
}
