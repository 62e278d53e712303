import { Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { CommentStyle, GeneratedFile, fail, show } from '../core';
import { Agent } from './agent';

/** The pod YAML of a kubernetes agent written to its own file (`yamlFile`). @internal */
class PodYamlFile extends GeneratedFile {
  constructor(scope: Construct, id: string, path: string, public readonly yaml: string) {
    super(scope, id, { path: `jenkins/${path}`, commentStyle: CommentStyle.HASH, committedPath: path });
  }

  protected renderBody(): string {
    return this.yaml;
  }
}

/**
 * Adds the generated pod file of `agent` (if it has one) under `owner`: the same path twice must hold the same pod.
 * @internal
 */
export function addPodFile(owner: Construct, agent: Agent | undefined): void {
  if (!agent?.podFile || !agent.podManifest) return;
  const yaml = Yaml.stringify(agent.podManifest);
  const id = `pod:${agent.podFile.split('/').join('>')}`;
  const existing = owner.node.tryFindChild(id) as PodYamlFile | undefined;
  if (existing && existing.yaml !== yaml) {
    fail(owner, 'kubernetes-pod-file-conflict', `two different agent pods are written to yamlFile ${show(agent.podFile)}`,
      'give each pod its own yamlFile, or build the same pod');
  }
  if (!existing) new PodYamlFile(owner, id, agent.podFile, yaml);
}
