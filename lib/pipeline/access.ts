/**
 * What each step reads: the params, matrix axes and secrets that reach it (least privilege, the same on both
 * engines). Internal: the lowerings and the graph share it, the package root does not export it.
 */
import { Param } from './param';
import type { Pipeline } from './pipeline';
import { Secret } from './secret';
import type { Stage } from './stage';
import { Step, StepKind } from './step';

/** What is in scope for a step: everything it may be given. */
export interface StepScope {
  /** The literal env vars it sees (pipeline, parallel group, stage). */
  readonly environment: Record<string, string>;
  /** The pipeline's, the parallel group's and the stage's secrets. */
  readonly secrets: Secret[];
  /** The pipeline's params. */
  readonly params: Param[];
  /** The stage's matrix axes. */
  readonly axes: string[];
}

/**
 * Scopes of a sealed (lowered) pipeline, by their innermost stage (the pipeline for post steps): the model cannot
 * change any more, so the rules, the graph and both lowerings share one scope per stage, and one access per step.
 */
const sealedScopes = new WeakMap<object, { readonly depth: number; readonly scope: StepScope }>();
/** Sealed scopes, and each step's access in the sealed scope it was last read in. */
const isSealedScope = new WeakSet<StepScope>();
const sealedAccess = new WeakMap<Step, { readonly scope: StepScope; readonly access: StepAccess }>();
/** What reaches a step that reads nothing (most steps): one shared, frozen value. */
const NO_ACCESS: StepAccess = Object.freeze({ secrets: Object.freeze([]) as unknown as Secret[], params: Object.freeze([]) as unknown as Param[], axes: Object.freeze([]) as unknown as string[] });

/** The scope of the steps of `stages` (a parallel group, then its branch; or one stage; none for post steps). */
export function scopeOf(p: Pipeline, ...stages: Stage[]): StepScope {
  const key = stages.length > 0 ? stages[stages.length - 1] : p;
  const known = p._sealed ? sealedScopes.get(key) : undefined;
  if (known && known.depth === stages.length) return known.scope;
  const scope: StepScope = {
    environment: Object.assign({}, p.environment, ...stages.map((s) => s.environment)),
    secrets: [...p.secrets, ...stages.flatMap((s) => s.secrets)],
    params: p.params,
    axes: stages[stages.length - 1]?.matrix?.axes.map((a) => a.name) ?? [],
  };
  if (p._sealed && !known) {
    sealedScopes.set(key, { depth: stages.length, scope });
    isSealedScope.add(scope);
  }
  return scope;
}

/** What reaches one step. */
export interface StepAccess {
  /** Secrets bound for the step, each once. */
  readonly secrets: Secret[];
  /** Params the step receives as env vars. */
  readonly params: Param[];
  /** Matrix axes the step receives as env vars. */
  readonly axes: string[];
}

/**
 * True if `text` names env var `name` as a whole word: `$NAME`, `${NAME}`, `${NAME:-x}`, `printenv NAME`,
 * `process.env.NAME`… A whole-word match over-approximates shell expansion, so no visible read is missed.
 */
export function namesVariable(text: string, name: string): boolean {
  let i = text.indexOf(name);
  while (i >= 0) {
    const before = i === 0 ? '' : text[i - 1];
    const after = text[i + name.length] ?? '';
    if (!/[A-Za-z0-9_]/.test(before) && !/[A-Za-z0-9_]/.test(after)) return true;
    i = text.indexOf(name, i + 1);
  }
  return false;
}

/**
 * The rule both lowerings apply: a step reads a param, axis or secret variable when its script, or the value of a
 * literal env var it sees, names it ({@link namesVariable}), or when the step grants it explicitly (`params`,
 * `axes`, `secrets` in its options). Generated steps (checkout, test reports, artifacts) name none of them.
 */
export function stepAccess(st: Step, scope: StepScope): StepAccess {
  const known = sealedAccess.get(st);
  if (known?.scope === scope) return known.access;
  let access = readAccess(st, scope);
  if (access.secrets.length === 0 && access.params.length === 0 && access.axes.length === 0) access = NO_ACCESS;
  if (isSealedScope.has(scope)) sealedAccess.set(st, { scope, access });
  return access;
}

function readAccess(st: Step, scope: StepScope): StepAccess {
  if (st.kind === StepKind.APPROVAL) return { secrets: [], params: [], axes: [] };
  const texts = [...(st.kind === StepKind.RUN ? [st.script!] : []), ...Object.values(scope.environment)];
  const reads = (name: string) => texts.some((t) => namesVariable(t, name));
  const secrets: Secret[] = [];
  const seen = new Set<string>();
  for (const s of [...scope.secrets.filter((x) => x.variables.some(reads)), ...st.secrets]) {
    // One binding per variable (the model's rules make equal variables refer to the same credential).
    if (seen.has(s.variable)) continue;
    seen.add(s.variable);
    secrets.push(s);
  }
  return {
    secrets,
    params: scope.params.filter((p) => reads(p.name) || st.params.includes(p)),
    axes: scope.axes.filter((a) => reads(a) || st.axes.includes(a)),
  };
}

/** Prefixes Tekton substitutes in step scripts and env values before anything runs; it has no escape for them. */
const TEKTON_PREFIXES = ['params', 'context', 'workspaces', 'results', 'steps', 'step', 'tasks', 'finally', 'tt', 'inputs', 'outputs', 'resources'];
// A variable has no spaces: `$(tasks.py --list)` is a command substitution Tekton leaves alone.
const TEKTON_VARIABLE = new RegExp(`\\$\\((?:${TEKTON_PREFIXES.join('|')})[.[][^()\\s]*\\)`, 'g');

/** The Tekton variable references (`$(params.X)`, `$(params['X'])`, `$(context.…)`…) in `text`. */
export function tektonVariables(text: string): string[] {
  return text.match(TEKTON_VARIABLE) ?? [];
}

/** The param a reference like `$(params.X)` or `$(params['X'])` names, if it is one. */
export function paramOfReference(ref: string): string | undefined {
  const m = /^\$\(params(?:\.([A-Za-z_][A-Za-z0-9_.-]*)|\[\s*['"]([^'"]+)['"]\s*\])/.exec(ref);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Kubernetes expands `$(VAR)` in env values and reads `$$` as `$`: doubling each `$` before `$` or `(` keeps the
 * value literal, as Jenkins' single-quoted `environment` value is.
 */
export function kubernetesLiteral(value: string): string {
  return value.replace(/\$(?=[$(])/g, '$$$$');
}
