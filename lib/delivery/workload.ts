import { Construct } from 'constructs';
import { fail } from '../core';
import { HorizontalPodAutoscaler, Microservice, MicroserviceAutoscaling, ScaleTarget, ScalingBehavior, Service } from '../workloads';
import { PodTemplate, Rollout, WorkloadRef, WorkloadScaleDown } from './rollouts';

/** Where the Rollout's pods come from. */
export class PodSource {
  /**
   * Keep the workload's Deployment and point the Rollout at it (`workloadRef`); the controller scales the
   * Deployment down as the Rollout takes over. Adopting an existing Deployment needs no pod downtime.
   */
  public static workloadRef(scaleDown: WorkloadScaleDown = WorkloadScaleDown.PROGRESSIVELY): PodSource {
    return new PodSource('ref', scaleDown);
  }

  /** Copy the Deployment's pod template into the Rollout and drop the Deployment from the chart. */
  public static template(): PodSource {
    return new PodSource('template', undefined);
  }

  private constructor(public readonly mode: 'ref' | 'template', public readonly scaleDown: WorkloadScaleDown | undefined) {}
}

/** Adds a Service named `name` that selects the workload's pods on the same port as its own Service. */
export function siblingService(scope: Construct, id: string, workload: Microservice, name: string): Service {
  const svc = new Service(scope, id, {
    metadata: { name, labels: workload.selectorLabels },
    ports: [{ name: workload.portName, port: workload.servicePort, targetPort: workload.port }],
  });
  for (const [k, v] of Object.entries(workload.selectorLabels)) svc.selectLabel(k, v);
  return svc;
}

/** The pod source and replica count of a Rollout that takes over `workload`. */
export function takeOver(workload: Microservice, source: PodSource, autoscaled: boolean): { template?: PodTemplate; workloadRef?: WorkloadRef; replicas?: number } {
  const replicas = workload.hpa || autoscaled ? undefined : workload.deployment.replicas;
  if (source.mode === 'template') {
    const template = PodTemplate.fromObject(workload.deployment);
    workload.node.tryRemoveChild(workload.deployment.node.id);
    return { template, replicas };
  }
  return { workloadRef: WorkloadRef.deployment(workload.deployment, source.scaleDown), replicas };
}

/**
 * Points the workload's HPA at the Rollout, or creates one from `autoscaling` (an HPA must scale the Rollout,
 * never the Deployment it took over).
 */
export function autoscaleRollout(scope: Construct, workload: Microservice, rollout: Rollout, autoscaling?: MicroserviceAutoscaling): HorizontalPodAutoscaler | undefined {
  const target = ScaleTarget.of(rollout.apiVersion, rollout.kind, rollout.name);
  if (workload.hpa) {
    if (autoscaling) {
      fail(scope, 'delivery-autoscaling', `workload ${workload.name} already has an autoscaler and autoscaling is given again`,
        'set autoscaling on the Microservice or on the delivery, not both');
    }
    workload.hpa.retarget(target);
    return workload.hpa;
  }
  if (!autoscaling) return undefined;
  return new HorizontalPodAutoscaler(scope, 'Autoscaler', {
    metadata: { name: workload.name, labels: workload.selectorLabels },
    target,
    minReplicas: autoscaling.minReplicas ?? 2,
    maxReplicas: autoscaling.maxReplicas,
    cpuUtilization: autoscaling.cpuUtilization,
    memoryUtilization: autoscaling.memoryUtilization,
    behavior: autoscaling.behavior ?? ScalingBehavior.scaleUpFastScaleDownSlow(),
  });
}
