/**
 * tekton.dev/v1beta1 Tasks and Pipelines read as tekton.dev/v1, the version slipway writes: the fields v1 renamed
 * move to their v1 name (a step's, stepTemplate's or sidecar's `resources` become `computeResources`), the rest is
 * the same. Fields v1 removed (PipelineResources, `taskRef.bundle`) stay as they are, so the reader lists them as
 * gaps. Positions still point into the file as written.
 */
import type { FieldPath, Position } from '../yaml-source';
import { YamlDocument } from '../yaml-source';

/** The v1beta1 kinds read as v1. */
export const V1BETA1_KINDS = new Set(['tekton.dev/v1beta1/Task', 'tekton.dev/v1beta1/Pipeline']);

const clone = (v: unknown): any => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Containers (steps, stepTemplate, sidecars) whose v1beta1 `resources` is v1's `computeResources`. */
function containers(spec: any, what: string[]): void {
  const rename = (c: any): void => {
    if (c && typeof c === 'object' && 'resources' in c && !('computeResources' in c)) {
      c.computeResources = c.resources;
      delete c.resources;
      what.push('resources → computeResources');
    }
  };
  (spec?.steps ?? []).forEach(rename);
  rename(spec?.stepTemplate);
  (spec?.sidecars ?? []).forEach(rename);
}

/** The v1 form of a v1beta1 Task or Pipeline value, and what changed. */
export function upgradeValue(value: any): { value: any; changes: string[] } {
  const v = clone(value);
  const changes: string[] = [];
  v.apiVersion = 'tekton.dev/v1';
  if (v.kind === 'Task') containers(v.spec, changes);
  if (v.kind === 'Pipeline') {
    for (const t of [...(v.spec?.tasks ?? []), ...(v.spec?.finally ?? [])]) containers(t?.taskSpec, changes);
  }
  return { value: v, changes: [...new Set(changes)] };
}

/** A v1beta1 document seen as v1; positions, lookups and searches go to the file as written. */
class UpgradedDocument extends YamlDocument {
  constructor(private readonly source: YamlDocument, value: any) {
    super(source.file, value, () => { throw new Error('an upgraded document has no syntax of its own'); });
  }

  public get index(): number {
    return this.source.index;
  }

  public get written(): any {
    return this.source.value;
  }

  public position(path: FieldPath, key = false): Position {
    return this.source.position(this.original(path), key);
  }

  public has(path: FieldPath): boolean {
    return this.source.has(this.original(path));
  }

  public findAll(base: FieldPath, needle: string): Array<{ path: FieldPath; exact: boolean }> {
    return this.source.findAll(this.original(base), needle);
  }

  /** The path in the file as written: `computeResources` where the file says `resources`. */
  private original(path: FieldPath): FieldPath {
    let v: any = this.source.value;
    return path.map((k) => {
      const here = v;
      const key = k === 'computeResources' && here && typeof here === 'object' && !('computeResources' in here) && 'resources' in here ? 'resources' : k;
      v = here?.[key as any];
      return key;
    });
  }
}

/** The document as the reader sees it (v1), and the note for the import summary; other documents unchanged. */
export function upgraded(d: YamlDocument): { document: YamlDocument; note?: string } {
  if (!V1BETA1_KINDS.has(`${d.value?.apiVersion}/${d.value?.kind}`)) return { document: d };
  const { value, changes } = upgradeValue(d.value);
  return {
    document: new UpgradedDocument(d, value),
    note: `${d.label} (${d.file}) is tekton.dev/v1beta1: the code builds it as tekton.dev/v1, the version slipway writes${changes.length ? ` (${changes.join(', ')})` : ''}`,
  };
}
