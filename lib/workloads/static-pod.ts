import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addRules, CommentStyle, constructId, FinalDocument, GeneratedFile, Names, RuleViolation, show } from '../core';
import { Pod } from './pod';
import { podTemplateViolations } from './pod-rules';
import { SecureContainerProps, SecurePodOptions } from './secure-pod';

/** Props of {@link StaticPod}. */
export interface StaticPodProps extends SecurePodOptions {
  /** Pod name; the kubelet appends `-<nodeName>` to the mirror pod. */
  readonly name: string;
  /**
   * Namespace of the mirror pod.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /** Containers. */
  readonly containers: SecureContainerProps[];
  /**
   * Init containers, run in order before the containers.
   * @default - none
   */
  readonly initContainers?: SecureContainerProps[];
  /**
   * Use the node's network namespace (typical for node agents; needs `PodSecurity.privileged()`).
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Volumes (hostPath or emptyDir: static pods cannot use API objects).
   * @default - none
   */
  readonly volumes?: kplus.Volume[];
  /**
   * Restart policy.
   * @default kplus.RestartPolicy.ALWAYS
   */
  readonly restartPolicy?: kplus.RestartPolicy;
  /**
   * Where the file goes under the synth output directory. Copy it into the node's kubelet `staticPodPath`
   * (usually `/etc/kubernetes/manifests`).
   * @default `static-pods/<name>.yml`
   */
  readonly path?: string;
}

/**
 * A static pod manifest for a node's kubelet manifest directory, written as a generated file (not applied to the API
 * server): a slipway {@link Pod} (same defaults, levels and rules) rendered outside the chart. It uses a `.yml`
 * extension under `static-pods/` so cdk8s validation plugins, which lint every `*.yaml` in the output, do not treat
 * it as a cluster manifest. Static pods cannot use ServiceAccounts, ConfigMaps or Secrets: that is checked at synth.
 * `ApiObject.of(staticPod.pod).addJsonPatch()` works on the written document.
 */
export class StaticPod extends GeneratedFile {
  /** The pod (in a private tree, so it never lands in a chart's YAML). */
  public readonly pod: Pod;

  constructor(scope: Construct, id: string, props: StaticPodProps) {
    super(scope, constructId(scope, id, 'StaticPod', "'etcd'"), { path: props.path ?? `static-pods/${props.name}.yml`, commentStyle: CommentStyle.HASH });
    Names.assertDnsSubdomain(this, 'static pod name', props.name);
    // A private app: the pod is rendered into this file only, never into the surrounding chart.
    const chart = new Chart(new App({ outdir: 'unused' }), 'static', { disableResourceNameHashes: true });
    const { name, namespace, path, ...podProps } = props;
    this.pod = new Pod(chart, name, { ...podProps, metadata: { name, namespace: namespace ?? 'kube-system' } });
    addRules(this, () => this.violations());
  }

  /** Adds a container with slipway's defaults. */
  public addContainer(cont: SecureContainerProps): kplus.Container {
    return this.pod.addContainer(cont);
  }

  private violations(): RuleViolation[] {
    if (this.pod.containers.length === 0) {
      return [{ rule: 'containers-required', message: 'static Pod has no containers', fix: 'add a container with addContainer()' }];
    }
    const doc = FinalDocument.of(this.pod);
    const spec = doc.spec ?? {};
    const v = podTemplateViolations({ kind: 'static Pod', restartPolicies: ['Always', 'OnFailure', 'Never'], podSecurity: () => this.pod.podSecurity }, doc);
    const refs: string[] = [];
    if (spec.serviceAccountName) refs.push(`serviceAccountName ${show(spec.serviceAccountName)}`);
    for (const vol of spec.volumes ?? []) {
      for (const t of ['configMap', 'secret', 'projected', 'persistentVolumeClaim']) if (vol[t]) refs.push(`${t} volume ${show(vol.name)}`);
    }
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const e of c.env ?? []) {
        if (e.valueFrom?.configMapKeyRef || e.valueFrom?.secretKeyRef) refs.push(`env ${show(e.name)} of container ${show(c.name)}`);
      }
      for (const e of c.envFrom ?? []) if (e.configMapRef || e.secretRef) refs.push(`envFrom of container ${show(c.name)}`);
    }
    if (refs.length > 0) {
      v.push({ rule: 'static-pod-api-reference', message: `static pod refers to API objects: ${refs.join(', ')}`,
        fix: 'static pods run without the API server: use literal env values and hostPath or emptyDir volumes' });
    }
    return v;
  }

  protected renderBody(): string {
    return Yaml.stringify(ApiObject.of(this.pod).toJson());
  }
}
