import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CommentStyle, GeneratedFile, Names, RuleViolation, addRules, show } from '../core';
import { PodDefaults, SecurePodOptions, podTemplateViolations } from './pod';

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
  readonly containers: kplus.ContainerProps[];
  /**
   * Init containers, run in order before the containers.
   * @default - none
   */
  readonly initContainers?: kplus.ContainerProps[];
  /**
   * Use the node's network namespace (typical for node agents; needs a Pod Security opt-out).
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * Where the file goes under the synth output directory. Copy it into the node's kubelet `staticPodPath`
   * (usually `/etc/kubernetes/manifests`).
   * @default `static-pods/<name>.yml`
   */
  readonly path?: string;
}

/**
 * A static pod manifest for a node's kubelet manifest directory, written as a generated file (not applied to the API
 * server). It uses a `.yml` extension under `static-pods/` so cdk8s validation plugins, which lint every `*.yaml` in
 * the output, do not treat it as a cluster manifest. Static pods cannot use ServiceAccounts, ConfigMaps or Secrets:
 * that is checked at synth.
 */
export class StaticPod extends GeneratedFile {
  /** The pod (in a private tree, so it never lands in a chart's YAML). */
  public readonly pod: kplus.Pod;
  private readonly defaults: PodDefaults;

  constructor(scope: Construct, id: string, props: StaticPodProps) {
    super(scope, id, { path: props.path ?? `static-pods/${props.name}.yml`, commentStyle: CommentStyle.HASH });
    Names.assertDnsSubdomain(this, 'static pod name', props.name);
    // A private app: the pod is rendered into this file only, never into the surrounding chart.
    const chart = new Chart(new App({ outdir: 'unused' }), 'static', { disableResourceNameHashes: true });
    this.pod = new kplus.Pod(chart, props.name, {
      metadata: { name: props.name, namespace: props.namespace ?? 'kube-system' },
      hostNetwork: props.hostNetwork,
    });
    this.defaults = new PodDefaults(this.pod, props);
    for (const c of props.initContainers ?? []) this.pod.addInitContainer(this.defaults.container(c));
    for (const c of props.containers) this.pod.addContainer(this.defaults.container(c));
    addRules(this, () => this.violations());
  }

  /** Adds a container with slipway's secure defaults. */
  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    return this.pod.addContainer(this.defaults.container(cont));
  }

  private violations(): RuleViolation[] {
    if (this.pod.containers.length === 0) {
      return [{ rule: 'containers-required', message: 'static Pod has no containers', fix: 'add a container with addContainer()' }];
    }
    const spec: any = this.pod._toKube();
    const v = podTemplateViolations({ kind: 'static Pod', restartPolicies: ['Always', 'OnFailure', 'Never'], podSecurity: () => this.defaults.podSecurity },
      { metadata: this.pod.podMetadata.toJson(), spec });
    const refs: string[] = [];
    if (spec.serviceAccountName) refs.push(`serviceAccountName ${show(spec.serviceAccountName)}`);
    for (const vol of spec.volumes ?? []) {
      for (const t of ['configMap', 'secret', 'projected']) if (vol[t]) refs.push(`${t} volume ${show(vol.name)}`);
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
