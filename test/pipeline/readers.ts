/**
 * Independent readers for the equivalence proof: a Jenkinsfile read back through Groovy 2.4's AST (call tree) and
 * Tekton objects read back from YAML, each reduced to the same backend-neutral form. They share no code with the
 * lowering; they only know the backends' public syntax.
 */
import { parse as parseYaml } from 'yaml';
import type { PipelineGraph } from '../../lib';
import { GroovyArg, GroovyCall, child, children } from '../support/groovy-tree';

/** One step, as both backends must run it. Names are compared for shell steps only (Jenkins labels `sh`). */
export interface FlatStep {
  readonly name: string;
  readonly kind: string;
  readonly image: string;
  readonly text: string;
  readonly environment: Record<string, string>;
  readonly secrets: string[];
  /** Requests and limits, normalised (`cpu=<millicores>`, `memory=<bytes>`), e.g. `req cpu=100 memory=134217728`. */
  readonly resources: string;
  readonly runAsRoot: boolean;
  /** Directory relative to the checkout. */
  readonly dir: string;
}

/** Kubernetes quantities in one unit (millicores, bytes), so `1` and `1000m`, `1Gi` and `1024Mi` compare equal. */
export function normalizeResources(r: { requests?: Record<string, string>; limits?: Record<string, string> } | undefined): string {
  const q = (k: string, v: string) => {
    if (k === 'cpu') return v.endsWith('m') ? Number(v.slice(0, -1)) : Math.round(Number(v) * 1000);
    const m = /^([0-9.]+)(Ki|Mi|Gi|Ti)?$/.exec(v);
    if (!m) throw new Error(`unexpected quantity ${v}`);
    return Number(m[1]) * ({ Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 } as Record<string, number>)[m[2] ?? ''] || Number(m[1]);
  };
  const part = (name: string, o?: Record<string, string>) => (o ? `${name} ${Object.keys(o).sort().map((k) => `${k}=${q(k, o[k])}`).join(' ')}` : '');
  return [part('req', r?.requests), part('lim', r?.limits)].filter(Boolean).join('; ');
}

/** A stage that runs steps (a plain stage, a parallel branch or a matrix). */
export interface Leaf {
  readonly name: string;
  /** The parallel stage it belongs to, if any. */
  readonly group?: string;
  /** Effective conditions (the parallel stage's, then its own), as `When.describe()` reads. */
  readonly when: string[];
  readonly timeoutSeconds?: number;
  readonly retries: number;
  /** Matrix cells, each as sorted `k=v` pairs joined by ',', sorted. */
  readonly cells?: string[];
  readonly steps: FlatStep[];
}

/** The neutral form: params, then layers of leaves (a layer runs after the whole previous layer), then post. */
export interface Flat {
  readonly params: Array<{ name: string; default: string }>;
  readonly layers: Leaf[][];
  readonly post: Record<string, FlatStep[]>;
}

/** Secret env var → reference (`credentialsId` for Jenkins, `secret/key` for Tekton), per step. */
export type SecretRefs = Record<string, string>;

const cell = (c: Record<string, string>) => Object.keys(c).sort().map((k) => `${k}=${c[k]}`).join(',');
const sortKeys = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const neutralName = (kind: string, name: string) => (kind === 'run' ? name : '');

/** The model's own graph in the neutral form. */
export function flatFromGraph(g: PipelineGraph): Flat {
  const step = (s: PipelineGraph['stages'][number]['steps'][number]): FlatStep => ({
    name: neutralName(s.kind, s.name), kind: s.kind, image: s.image, text: s.text, environment: s.environment, secrets: s.secrets,
    resources: normalizeResources(s.resources), runAsRoot: s.runAsRoot, dir: s.dir,
  });
  const leaf = (s: PipelineGraph['stages'][number], group?: PipelineGraph['stages'][number]): Leaf => ({
    name: s.name,
    ...(group ? { group: group.name } : {}),
    when: [...(group?.when ?? []), ...s.when],
    ...(s.timeoutSeconds !== undefined ? { timeoutSeconds: s.timeoutSeconds } : {}),
    retries: s.retries,
    ...(s.matrixCells ? { cells: s.matrixCells.map(cell).sort() } : {}),
    steps: s.steps.map(step),
  });
  return {
    params: g.params.map((p) => ({ name: p.name, default: p.default })),
    layers: g.stages.map((s) => (s.branches.length ? s.branches.map((b) => leaf(b, s)) : [leaf(s)])),
    post: Object.fromEntries(Object.entries(g.post).map(([k, v]) => [k, v.map(step)])),
  };
}

// ---------------------------------------------------------------------------------------------------- Jenkins

const str = (a: GroovyArg | undefined): string => {
  if (typeof a === 'string') return a;
  throw new Error(`expected a string literal, got ${JSON.stringify(a)}`);
};

function describeJenkinsWhen(calls: readonly GroovyCall[]): string[] {
  const out: string[] = [];
  const values = (cs: readonly GroovyCall[], name: string) => cs.map((c) => {
    if (c.name !== name) throw new Error(`mixed anyOf: ${c.name}`);
    return JSON.stringify(str(c.named?.pattern ?? c.args[0]));
  });
  for (const c of calls) {
    if (c.name === 'not') out.push(...describeJenkinsWhen(c.children ?? []).map((d) => `not ${d}`));
    else if (c.name === 'allOf') out.push(...describeJenkinsWhen(c.children ?? []));
    else if (c.name === 'buildingTag') out.push('tag');
    else if (c.name === 'branch' || c.name === 'tag') out.push(`${c.name} in [${values([c], c.name).join(', ')}]`);
    else if (c.name === 'equals') out.push(paramEquals([c]));
    else if (c.name === 'anyOf') {
      const kids = c.children ?? [];
      out.push(kids[0].name === 'equals' ? paramEquals(kids) : `${kids[0].name} in [${values(kids, kids[0].name).join(', ')}]`);
    } else throw new Error(`unexpected when condition ${c.name}`);
  }
  return out;
}

function paramEquals(calls: readonly GroovyCall[]): string {
  const actual = calls.map((c) => (c.named?.actual as { gstring: string }).gstring);
  const m = /^\$\{?params\.([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(actual[0]);
  if (!m || actual.some((a) => a !== actual[0])) throw new Error(`unexpected equals actual ${JSON.stringify(actual)}`);
  return `param ${m[1]} in [${calls.map((c) => JSON.stringify(str(c.named!.expected))).join(', ')}]`;
}

interface JenkinsScope { readonly environment: Record<string, string>; readonly secrets: string[]; readonly refs: SecretRefs }

function jenkinsEnv(block: GroovyCall | undefined, outer: JenkinsScope): JenkinsScope {
  const environment = { ...outer.environment };
  const secrets = [...outer.secrets];
  const refs = { ...outer.refs };
  for (const a of block?.children ?? []) {
    if (a.name !== '=') throw new Error(`unexpected environment entry ${a.name}`);
    const [k, v] = a.args as [string, GroovyArg];
    if (typeof v === 'string') environment[k] = v;
    else if (v && typeof v === 'object' && 'call' in v && (v.call as GroovyCall).name === 'credentials') {
      secrets.push(k);
      refs[k] = str((v.call as GroovyCall).args[0]);
    } else throw new Error(`unexpected environment value for ${k}: ${JSON.stringify(v)}`);
  }
  return { environment, secrets, refs };
}

/** What the reader knows of each pod container. */
interface PodContainer { readonly image: string; readonly resources: string; readonly runAsRoot: boolean }

function jenkinsSteps(calls: readonly GroovyCall[], pod: Record<string, PodContainer>, scope: JenkinsScope, container: string,
  refsOut: SecretRefs[], dir = ''): FlatStep[] {
  const out: FlatStep[] = [];
  for (const c of calls) {
    // A variable bound at two levels (stage credentials() and step withCredentials) is one secret.
    const base = { environment: sortKeys(scope.environment), secrets: [...new Set(scope.secrets)].sort(), ...pod[container], dir };
    switch (c.name) {
      case 'withCredentials': {
        const vars: string[] = [];
        const refs = { ...scope.refs };
        for (const b of c.args[0] as Array<{ call: GroovyCall }>) {
          const n = b.call.named!;
          const bound = b.call.name === 'usernamePassword' ? [str(n.usernameVariable), str(n.passwordVariable)] : [str(n.variable)];
          for (const v of bound) {
            vars.push(v);
            refs[v] = str(n.credentialsId);
          }
        }
        out.push(...jenkinsSteps(c.children ?? [], pod, { ...scope, secrets: [...scope.secrets, ...vars], refs }, container, refsOut, dir));
        break;
      }
      case 'container':
        out.push(...jenkinsSteps(c.children ?? [], pod, scope, str(c.named?.name ?? c.args[0]), refsOut, dir));
        break;
      case 'dir':
        out.push(...jenkinsSteps(c.children ?? [], pod, scope, container, refsOut, str(c.args[0])));
        break;
      case 'sh':
        out.push({ ...base, name: str(c.named?.label), kind: 'run', text: str(c.named?.script ?? c.args[0]) });
        refsOut.push(scope.refs);
        break;
      case 'checkout':
        out.push({ ...base, name: '', kind: 'checkout', text: '' });
        refsOut.push(scope.refs);
        break;
      case 'junit':
        out.push({ ...base, name: '', kind: 'publishTests', text: str(c.named?.testResults ?? c.args[0]) });
        refsOut.push(scope.refs);
        break;
      case 'archiveArtifacts':
        out.push({ ...base, name: '', kind: 'archiveArtifacts', text: str(c.named?.artifacts ?? c.args[0]) });
        refsOut.push(scope.refs);
        break;
      case 'input':
        out.push({ name: '', kind: 'approval', image: '', text: str(c.named!.message), environment: {}, secrets: [], resources: '', runAsRoot: false, dir: '' });
        break;
      default:
        throw new Error(`unexpected Jenkins step ${c.name}`);
    }
  }
  return out;
}

function jenkinsSeconds(options: GroovyCall | undefined): { timeoutSeconds?: number; retries: number } {
  const t = child(options?.children, 'timeout');
  const r = child(options?.children, 'retry');
  const unit: Record<string, number> = { SECONDS: 1, MINUTES: 60, HOURS: 3600, DAYS: 86400 };
  return {
    ...(t ? { timeoutSeconds: (t.named!.time as number) * unit[str(t.named!.unit)] } : {}),
    retries: r ? (r.args[0] as number) - 1 : 0,
  };
}

/** Reads a Jenkinsfile's call tree (from parseGroovyTree) into the neutral form, plus the secret refs of every step. */
export function flatFromJenkins(tree: GroovyCall[]): { flat: Flat; refs: SecretRefs[]; pod: any } {
  const pipeline = child(tree, 'pipeline');
  if (!pipeline) throw new Error('no pipeline block');
  const k8s = child(child(pipeline.children, 'agent')?.children, 'kubernetes');
  const pod = parseYaml(str(child(k8s?.children, 'yaml')?.args[0]));
  const images: Record<string, PodContainer> = Object.fromEntries(pod.spec.containers.map((c: any) => [c.name, {
    image: c.image, resources: normalizeResources(c.resources),
    runAsRoot: (c.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser) === 0,
  }]));
  const defaultContainer = str(child(k8s?.children, 'defaultContainer')?.args[0]);
  const top = jenkinsEnv(child(pipeline.children, 'environment'), { environment: {}, secrets: [], refs: {} });
  const params = (child(pipeline.children, 'parameters')?.children ?? []).map((c) => {
    const n = c.named!;
    const def = c.name === 'choice' ? (n.choices as string[])[0] : c.name === 'booleanParam' ? String(n.defaultValue ?? false) : (n.defaultValue as string | undefined) ?? '';
    return { name: str(n.name), default: def };
  });
  const refs: SecretRefs[] = [];
  const leaf = (stage: GroovyCall, outer: JenkinsScope, group?: { name: string; when: string[] }): Leaf => {
    const scope = jenkinsEnv(child(stage.children, 'environment'), outer);
    const matrix = child(stage.children, 'matrix');
    const when = [...(group?.when ?? []), ...describeJenkinsWhen(child((matrix ?? stage).children, 'when')?.children ?? [])];
    const base = { name: str(stage.args[0]), ...(group ? { group: group.name } : {}), when, ...jenkinsSeconds(child((matrix ?? stage).children, 'options')) };
    if (matrix) {
      const axes = children(child(matrix.children, 'axes')?.children, 'axis').map((a) => ({
        name: str(child(a.children, 'name')!.args[0]), values: child(a.children, 'values')!.args.map(str),
      }));
      const excludes = children(child(matrix.children, 'excludes')?.children, 'exclude').map((e) => children(e.children, 'axis').map((a) => ({
        name: str(child(a.children, 'name')!.args[0]), values: child(a.children, 'values')!.args.map(str),
      })));
      let cells: Array<Record<string, string>> = [{}];
      for (const a of axes) cells = cells.flatMap((c) => a.values.map((v) => ({ ...c, [a.name]: v })));
      cells = cells.filter((c) => !excludes.some((ex) => ex.every((a) => a.values.includes(c[a.name]))));
      const inner = child(child(matrix.children, 'stages')?.children, 'stage')!;
      const mscope = jenkinsEnv(child(matrix.children, 'environment'), scope);
      return { ...base, cells: cells.map(cell).sort(), steps: jenkinsSteps(child(inner.children, 'steps')!.children ?? [], images, mscope, defaultContainer, refs) };
    }
    return { ...base, steps: jenkinsSteps(child(stage.children, 'steps')!.children ?? [], images, scope, defaultContainer, refs) };
  };
  const layers = children(child(pipeline.children, 'stages')?.children, 'stage').map((stage) => {
    const parallel = child(stage.children, 'parallel');
    if (!parallel) return [leaf(stage, top)];
    const scope = jenkinsEnv(child(stage.children, 'environment'), top);
    const group = { name: str(stage.args[0]), when: describeJenkinsWhen(child(stage.children, 'when')?.children ?? []) };
    return children(parallel.children, 'stage').map((b) => leaf(b, scope, group));
  });
  const post: Record<string, FlatStep[]> = {};
  for (const c of child(pipeline.children, 'post')?.children ?? []) post[c.name] = jenkinsSteps(c.children ?? [], images, top, defaultContainer, refs);
  return { flat: { params, layers, post }, refs, pod };
}

// ---------------------------------------------------------------------------------------------------- Tekton

function goSeconds(s: string): number {
  let total = 0;
  for (const [, n, u] of s.matchAll(/([0-9.]+)(h|m|s)/g)) total += Number(n) * { h: 3600, m: 60, s: 1 }[u as 'h' | 'm' | 's'];
  return total;
}

function tektonWhen(list: any[] | undefined, params: Set<string>): string[] {
  return (list ?? []).map((w) => {
    const m = /^\$\(params\.([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(w.input);
    if (!m) throw new Error(`unexpected when input ${w.input}`);
    const vals = (w.values as string[]).map((v) => JSON.stringify(v)).join(', ');
    const anyTag = m[1] === 'SOURCE_TAG' && w.values.length === 1 && w.values[0] === '';
    const not = (w.operator === 'notin') !== anyTag ? 'not ' : '';
    if (!['in', 'notin'].includes(w.operator)) throw new Error(`unexpected operator ${w.operator}`);
    if (m[1] === 'SOURCE_BRANCH') return `${not}branch in [${vals}]`;
    if (m[1] === 'SOURCE_TAG') return anyTag ? `${not}tag` : `${not}tag in [${vals}]`;
    if (params.has(m[1])) return `${not}param ${m[1]} in [${vals}]`;
    throw new Error(`unexpected when ${JSON.stringify(w)}`);
  });
}

/** Tekton merges the stepTemplate under each step: objects key by key, `env` by name, other lists replaced. */
export function mergeStepTemplate(template: any, step: any): any {
  const merge = (a: any, b: any): any => {
    const plain = (x: any) => x !== null && typeof x === 'object' && !Array.isArray(x);
    if (!plain(a) || !plain(b)) return b === undefined ? a : b;
    return Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, merge(a[k], b[k])]));
  };
  const merged = merge(template ?? {}, step);
  const env = new Map<string, any>();
  for (const e of [...(template?.env ?? []), ...(step.env ?? [])]) env.set(e.name, e);
  if (env.size) merged.env = [...env.values()];
  return merged;
}

/** An env value as the container sees it: Kubernetes reads `$$` as `$` and expands `$(VAR)` of the pod's env vars. */
function kubernetesEnvValue(v: string, defined: Set<string>): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '$' && v[i + 1] === '$') {
      out += '$';
      i++;
    } else if (v[i] === '$' && v[i + 1] === '(' && defined.has(v.slice(i + 2, v.indexOf(')', i)))) {
      throw new Error(`Kubernetes would expand ${v.slice(i)} in env value ${JSON.stringify(v)}`);
    } else {
      out += v[i];
    }
  }
  return out;
}

/** Params (and matrix axes) each Tekton step receives, in step order; filled by {@link flatFromTekton}. */
export type StepParams = string[];

function tektonSteps(task: any, refsOut: SecretRefs[], paramsOut: StepParams[], declared: Set<string>): FlatStep[] {
  if (task.taskRef) {
    const p = Object.fromEntries((task.params ?? []).map((x: any) => [x.name, x.value]));
    if (task.taskRef.kind !== 'ApprovalTask') throw new Error(`unexpected taskRef ${JSON.stringify(task.taskRef)}`);
    paramsOut.push([]);
    return [{ name: '', kind: 'approval', image: '', text: p.description, environment: {}, secrets: [], resources: '', runAsRoot: false, dir: '' }];
  }
  const taskParams = new Set<string>((task.taskSpec.params ?? []).map((x: any) => x.name));
  return task.taskSpec.steps.map((raw: any) => {
    const s = mergeStepTemplate(task.taskSpec.stepTemplate, raw);
    const environment: Record<string, string> = {};
    const secrets: string[] = [];
    const refs: SecretRefs = {};
    const params: string[] = [];
    const env = new Map<string, any>((s.env ?? []).map((e: any) => [e.name, e]));
    for (const e of s.env ?? []) {
      if (e.valueFrom?.secretKeyRef) {
        secrets.push(e.name);
        refs[e.name] = `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`;
      } else if (typeof e.value === 'string' && e.value.startsWith('$(params.')) {
        // The portable promise: a param or axis reaches the step as an env var of its own name, declared by the task.
        if (e.value !== `$(params.${e.name})` || !taskParams.has(e.name)) throw new Error(`step ${s.name}: env ${e.name} is ${e.value}`);
        if (declared.has(e.name)) params.push(e.name);
      } else if (typeof e.value === 'string' && !e.name.startsWith('STEP_')) {
        environment[e.name] = kubernetesEnvValue(e.value, new Set(env.keys()));
      }
    }
    refsOut.push(refs);
    paramsOut.push(params.sort());
    const script: string = s.script.startsWith('#!') ? s.script.slice(s.script.indexOf('\n') + 1) : s.script;
    const kind = env.has('STEP_TEST_RESULTS') ? 'publishTests' : env.has('STEP_ARTIFACTS') ? 'archiveArtifacts'
      : env.get('SOURCE_URL')?.value === '$(params.SOURCE_URL)' ? 'checkout' : 'run';
    const text = kind === 'publishTests' ? env.get('STEP_TEST_RESULTS').value : kind === 'archiveArtifacts' ? env.get('STEP_ARTIFACTS').value
      : kind === 'checkout' ? '' : script;
    return {
      name: neutralName(kind, s.name), kind, image: s.image, text, environment: sortKeys(environment), secrets: secrets.sort(),
      resources: normalizeResources(s.computeResources), runAsRoot: s.securityContext?.runAsUser === 0,
      dir: s.workingDir === '$(workspaces.source.path)' ? '' : s.workingDir.replace(/^\$\(workspaces\.source\.path\)\//, ''),
    };
  });
}

/** Reads the Tekton Pipeline (by name) out of synthesized documents into the neutral form, plus every step's secret refs. */
export function flatFromTekton(docs: any[], name: string): { flat: Flat; refs: SecretRefs[]; params: StepParams[]; spec: any } {
  const doc = docs.find((d) => d.kind === 'Pipeline' && d.metadata?.name === name);
  if (!doc) throw new Error(`no Tekton Pipeline ${name}`);
  const spec = doc.spec;
  const source = new Set(['SOURCE_URL', 'SOURCE_REVISION', 'SOURCE_BRANCH', 'SOURCE_TAG']);
  const userParams = (spec.params ?? []).filter((p: any) => !source.has(p.name));
  const userNames = new Set<string>(userParams.map((p: any) => p.name));
  const refs: SecretRefs[] = [];
  const stepParams: StepParams[] = [];
  const tasks: any[] = spec.tasks;
  const layerOf = new Map<string, number>();
  for (const t of tasks) {
    const deps: string[] = t.runAfter ?? [];
    layerOf.set(t.name, deps.length ? Math.max(...deps.map((d) => layerOf.get(d)!)) + 1 : 0);
  }
  const layers: Leaf[][] = [];
  for (const t of tasks) {
    const l = layerOf.get(t.name)!;
    // A sequence: each task waits for the whole previous layer, and nothing else.
    const previous = tasks.filter((x) => layerOf.get(x.name) === l - 1).map((x) => x.name).sort();
    expectSame([...(t.runAfter ?? [])].sort(), previous, `runAfter of ${t.name}`);
    const group = /^parallel branch of (".*")$/.exec(t.description ?? '');
    let cells: string[] | undefined;
    let axes: string[] = [];
    if (t.matrix) {
      let list: Array<Record<string, string>> = [{}];
      for (const p of t.matrix.params ?? []) list = list.flatMap((c) => (p.value as string[]).map((v) => ({ ...c, [p.name]: v })));
      if (t.matrix.include) list = t.matrix.include.map((i: any) => Object.fromEntries(i.params.map((p: any) => [p.name, p.value])));
      cells = list.map(cell).sort();
      axes = Object.keys(list[0]);
    }
    (layers[l] ??= []).push({
      name: t.displayName,
      ...(group ? { group: JSON.parse(group[1]) } : {}),
      when: tektonWhen(t.when, userNames),
      ...(t.timeout ? { timeoutSeconds: goSeconds(t.timeout) } : {}),
      retries: t.retries ?? 0,
      ...(cells ? { cells } : {}),
      steps: tektonSteps(t, refs, stepParams, new Set([...userNames, ...axes])),
    });
  }
  const post: Record<string, FlatStep[]> = {};
  for (const f of spec.finally ?? []) {
    const values = f.when?.find((w: any) => w.input === '$(tasks.status)')?.values?.join(',');
    const condition = values === undefined ? 'always' : values === 'Succeeded,Completed' ? 'success' : values === 'Failed' ? 'failure' : `?${values}`;
    post[condition] = tektonSteps(f, refs, stepParams, userNames);
  }
  const order = ['always', 'success', 'failure'];
  const sortedPost = Object.fromEntries(Object.entries(post).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
  return { flat: { params: userParams.map((p: any) => ({ name: p.name, default: p.default ?? '' })), layers, post: sortedPost }, refs, params: stepParams, spec };
}

function expectSame(a: string[], b: string[], what: string): void {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
}
