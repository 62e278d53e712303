/**
 * tekton.dev/v1beta1 Tasks, Pipelines, PipelineRuns and TaskRuns read as tekton.dev/v1, the version slipway writes:
 * the fields v1 renamed or moved go to their v1 place (a step's, stepTemplate's or sidecar's `resources` become
 * `computeResources`; a PipelineRun's `serviceAccountName` and `podTemplate` go under `taskRunTemplate`, its
 * `timeout` becomes `timeouts.pipeline`; a TaskRun's `stepOverrides`/`sidecarOverrides` become
 * `stepSpecs`/`sidecarSpecs`), the rest is the same. Fields v1 removed (PipelineResources, `taskRef.bundle`) stay as
 * they are, so the reader lists them as gaps. Positions still point into the file as written.
 */
import type { FieldPath, Position } from '../yaml-source';
import { YamlDocument } from '../yaml-source';

/** The v1beta1 kinds read as v1. */
export const V1BETA1_KINDS = new Set(['tekton.dev/v1beta1/Task', 'tekton.dev/v1beta1/Pipeline', 'tekton.dev/v1beta1/PipelineRun', 'tekton.dev/v1beta1/TaskRun']);

/** A field v1 keeps at another place: `to` in the v1 document holds what the file has at `from`. */
interface Move {
  readonly from: FieldPath;
  readonly to: FieldPath;
}

const clone = (v: unknown): any => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Renames a v1beta1 `resources` (compute resources) to v1's `computeResources`. */
function renameResources(c: any, what: string[]): void {
  if (c && typeof c === 'object' && 'resources' in c && !('computeResources' in c)) {
    c.computeResources = c.resources;
    delete c.resources;
    what.push('resources → computeResources');
  }
}

/** Containers (steps, stepTemplate, sidecars) whose v1beta1 `resources` is v1's `computeResources`. */
function containers(spec: any, what: string[]): void {
  const rename = (c: any): void => renameResources(c, what);
  (spec?.steps ?? []).forEach(rename);
  rename(spec?.stepTemplate);
  (spec?.sidecars ?? []).forEach(rename);
}

/** Pipeline tasks' embedded taskSpecs. */
function pipelineContainers(spec: any, what: string[]): void {
  for (const t of [...(spec?.tasks ?? []), ...(spec?.finally ?? [])]) containers(t?.taskSpec, what);
}

/**
 * Moves `spec.<from>` to `spec.<to…>` when v1 has not got the field already; records the change and the move (so
 * positions still find the field as written).
 */
function move(spec: any, from: string, to: string[], what: string[], moves: Move[], base: FieldPath): void {
  if (!spec || typeof spec !== 'object' || !(from in spec)) return;
  let at = spec;
  for (const k of to.slice(0, -1)) {
    if (at[k] !== undefined && (typeof at[k] !== 'object' || Array.isArray(at[k]))) return;
    at = at[k] ?? {};
  }
  if (to[to.length - 1] in at) return;
  let parent = spec;
  for (const k of to.slice(0, -1)) parent = parent[k] = parent[k] ?? {};
  parent[to[to.length - 1]] = spec[from];
  delete spec[from];
  what.push(`${from} → ${to.join('.')}`);
  moves.push({ from: [...base, 'spec', from], to: [...base, 'spec', ...to] });
}

const RUNS = new Set(['tekton.dev/v1beta1/PipelineRun', 'tekton.dev/v1beta1/TaskRun']);

/** True for a TriggerTemplate with a v1beta1 PipelineRun or TaskRun among its resource templates. */
function templatesV1beta1Runs(v: any): boolean {
  return v?.apiVersion === 'triggers.tekton.dev/v1beta1' && v?.kind === 'TriggerTemplate'
    && Array.isArray(v?.spec?.resourcetemplates) && v.spec.resourcetemplates.some((r: any) => RUNS.has(`${r?.apiVersion}/${r?.kind}`));
}

/**
 * The v1 form of a v1beta1 Task, Pipeline, PipelineRun or TaskRun value (or of a TriggerTemplate's v1beta1 run
 * resource templates), what changed, and the fields moved.
 */
export function upgradeValue(value: any): { value: any; changes: string[]; moves: Move[] } {
  const v = clone(value);
  const changes: string[] = [];
  const moves: Move[] = [];
  if (templatesV1beta1Runs(v)) {
    v.spec.resourcetemplates.forEach((r: any, i: number) => {
      if (RUNS.has(`${r?.apiVersion}/${r?.kind}`)) upgradeInPlace(r, changes, moves, ['spec', 'resourcetemplates', i]);
    });
  } else {
    upgradeInPlace(v, changes, moves, []);
  }
  return { value: v, changes: [...new Set(changes)], moves };
}

/** Upgrades one v1beta1 object at `base` of its document in place. */
function upgradeInPlace(v: any, changes: string[], moves: Move[], base: FieldPath): void {
  v.apiVersion = 'tekton.dev/v1';
  if (v.kind === 'Task') containers(v.spec, changes);
  if (v.kind === 'Pipeline') pipelineContainers(v.spec, changes);
  if (v.kind === 'PipelineRun') {
    pipelineContainers(v.spec?.pipelineSpec, changes);
    move(v.spec, 'serviceAccountName', ['taskRunTemplate', 'serviceAccountName'], changes, moves, base);
    move(v.spec, 'podTemplate', ['taskRunTemplate', 'podTemplate'], changes, moves, base);
    move(v.spec, 'timeout', ['timeouts', 'pipeline'], changes, moves, base);
  }
  if (v.kind === 'TaskRun') {
    containers(v.spec?.taskSpec, changes);
    move(v.spec, 'stepOverrides', ['stepSpecs'], changes, moves, base);
    move(v.spec, 'sidecarOverrides', ['sidecarSpecs'], changes, moves, base);
    // an override's v1beta1 `resources` is a spec's `computeResources`, as on the containers
    for (const o of [...(v.spec?.stepSpecs ?? []), ...(v.spec?.sidecarSpecs ?? [])]) renameResources(o, changes);
  }
}

/** True if import and check read this document (apiVersion/kind and value) through {@link upgradeValue}. */
export function needsUpgrade(value: any): boolean {
  return V1BETA1_KINDS.has(`${value?.apiVersion}/${value?.kind}`) || templatesV1beta1Runs(value);
}

/** A v1beta1 document seen as v1; positions, lookups and searches go to the file as written. */
class UpgradedDocument extends YamlDocument {
  constructor(private readonly source: YamlDocument, value: any, private readonly moves: readonly Move[]) {
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

  /**
   * The path in the file as written: a moved field where the file has it (a parent v1 adds, such as
   * `taskRunTemplate`, is the field's parent as written), `computeResources` where the file says `resources`.
   */
  private original(path: FieldPath): FieldPath {
    let written = path;
    for (const m of this.moves) {
      if (m.to.every((k, i) => path[i] === k)) written = [...m.from, ...path.slice(m.to.length)];
      else if (path.length < m.to.length && path.length >= m.from.length && path.every((k, i) => m.to[i] === k)) return m.from.slice(0, -1);
      else continue;
      break;
    }
    let v: any = this.source.value;
    return written.map((k) => {
      const here = v;
      const key = k === 'computeResources' && here && typeof here === 'object' && !('computeResources' in here) && 'resources' in here ? 'resources' : k;
      v = here?.[key as any];
      return key;
    });
  }
}

/** The document as the reader sees it (v1), and the note for the import summary; other documents unchanged. */
export function upgraded(d: YamlDocument): { document: YamlDocument; note?: string } {
  if (!needsUpgrade(d.value)) return { document: d };
  const { value, changes, moves } = upgradeValue(d.value);
  const what = templatesV1beta1Runs(d.value) ? `${d.label} (${d.file}) has tekton.dev/v1beta1 runs in its resourcetemplates: the code builds them`
    : `${d.label} (${d.file}) is tekton.dev/v1beta1: the code builds it`;
  return {
    document: new UpgradedDocument(d, value, moves),
    note: `${what} as tekton.dev/v1, the version slipway writes${changes.length ? ` (${changes.join(', ')})` : ''}`,
  };
}
