import { Construct } from 'constructs';
import { Microservice, ScaleTarget, Service } from '../workloads';
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

/** The pod source and replica count of a Rollout that takes over `workload`; also retargets its HPA. */
export function takeOver(workload: Microservice, source: PodSource): { template?: PodTemplate; workloadRef?: WorkloadRef; replicas?: number } {
  const replicas = workload.hpa ? undefined : workload.deployment.replicas;
  if (source.mode === 'template') {
    const template = PodTemplate.fromObject(workload.deployment);
    workload.node.tryRemoveChild(workload.deployment.node.id);
    return { template, replicas };
  }
  return { workloadRef: WorkloadRef.deployment(workload.deployment, source.scaleDown), replicas };
}

/** Points the workload's HPA (if any) at the Rollout. */
export function retargetHpa(workload: Microservice, rollout: Rollout): void {
  workload.hpa?.retarget(ScaleTarget.of(rollout.apiVersion, rollout.kind, rollout.name));
}
