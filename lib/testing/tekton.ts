import { schemaProblems } from './crd';
import { Problem } from './problem';

/*
 * Tekton's CRD schemas leave embedded specs (a pipeline task's taskSpec, a run's pipelineSpec) and a
 * TriggerTemplate's resource templates open; the real checks happen in Tekton's webhook. These read them against the
 * strict schemas of the kinds they embed, and compute each step's security context the way Tekton merges it.
 */

/** Problems inside a Tekton document that its own schema leaves unchecked; `check` validates embedded documents. */
export function tektonProblems(doc: any, document: string, check: (docs: any[], where: string) => Problem[]): Problem[] {
  if (doc?.apiVersion?.startsWith('triggers.tekton.dev/') && doc.kind === 'TriggerTemplate') {
    return (doc.spec?.resourcetemplates ?? []).flatMap((t: any, i: number) =>
      check([t], `${document} /spec/resourcetemplates/${i}`));
  }
  if (!String(doc?.apiVersion).startsWith('tekton.dev/')) return [];
  return [...inlineSpecProblems(doc, document), ...mergedSecurityProblems(doc, document)];
}

const problem = (document: string, path: string, message: string): Problem => ({ check: 'schema', document, path, message });

function inlineSpecProblems(d: any, document: string): Problem[] {
  const out: Problem[] = [];
  const task = (spec: any, at: string, inPipeline: boolean) => {
    // A pipeline task's embedded task is a TaskSpec plus `metadata` with labels and annotations only.
    const { metadata, ...taskSpec } = spec;
    if (metadata !== undefined && (!inPipeline || Object.keys(metadata).some((k) => k !== 'labels' && k !== 'annotations'))) {
      out.push(problem(document, `${at}/metadata`, inPipeline ? 'only labels and annotations are allowed here' : 'metadata is not allowed here'));
    }
    out.push(...schemaProblems('tekton.dev/v1', 'Task', taskSpec, document, ['properties', 'spec']).map((p) => ({ ...p, path: `${at}${p.path === '/' ? '' : p.path}` })));
  };
  const pipeline = (spec: any, at: string): void => {
    out.push(...schemaProblems('tekton.dev/v1', 'Pipeline', spec, document, ['properties', 'spec']).map((p) => ({ ...p, path: `${at}${p.path === '/' ? '' : p.path}` })));
    for (const [list, tasks] of [['tasks', spec?.tasks], ['finally', spec?.finally]] as const) {
      (tasks ?? []).forEach((t: any, i: number) => {
        if (t.taskSpec) task(t.taskSpec, `${at}/${list}/${i}/taskSpec`, true);
        if (t.pipelineSpec) pipeline(t.pipelineSpec, `${at}/${list}/${i}/pipelineSpec`);
      });
    }
  };
  if (d.apiVersion !== 'tekton.dev/v1') return out; // the embedded schemas used are v1's
  if (d.kind === 'Pipeline') {
    (['tasks', 'finally'] as const).forEach((list) => (d.spec?.[list] ?? []).forEach((t: any, i: number) => {
      if (t.taskSpec) task(t.taskSpec, `/spec/${list}/${i}/taskSpec`, true);
      if (t.pipelineSpec) pipeline(t.pipelineSpec, `/spec/${list}/${i}/pipelineSpec`);
    }));
  }
  if (d.kind === 'PipelineRun' && d.spec?.pipelineSpec) pipeline(d.spec.pipelineSpec, '/spec/pipelineSpec');
  if (d.kind === 'TaskRun' && d.spec?.taskSpec) task(d.spec.taskSpec, '/spec/taskSpec', false);
  return out;
}

/** Tekton's merge of `stepTemplate` into a step: maps merge key by key, a step's lists and scalars replace. */
export function strategicMerge(template: any, step: any): any {
  if (step === undefined) return template;
  if (template === undefined || typeof template !== 'object' || Array.isArray(template) || typeof step !== 'object' || Array.isArray(step)) return step;
  const out: any = { ...template };
  for (const [k, v] of Object.entries(step)) out[k] = strategicMerge(template[k], v);
  return out;
}

/** What Kubernetes API validation or the kubelet refuses in one container's effective security context. */
export function securityContextProblems(sc: any, podSc: any = {}): string[] {
  const out: string[] = [];
  if (!sc) return out;
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) out.push('privileged with allowPrivilegeEscalation: false (API validation refuses it)');
  const add: string[] = sc.capabilities?.add ?? [];
  if (sc.allowPrivilegeEscalation === false && add.some((c) => /^(CAP_)?SYS_ADMIN$/.test(c))) out.push('CAP_SYS_ADMIN with allowPrivilegeEscalation: false (API validation refuses it)');
  const nonRoot = sc.runAsNonRoot ?? podSc?.runAsNonRoot;
  const user = sc.runAsUser ?? podSc?.runAsUser;
  if (nonRoot === true && user === 0) out.push('runAsUser 0 under runAsNonRoot: true (the kubelet refuses to start it)');
  return out;
}

/** Every task spec in a Tekton document, with its JSON path and the pod security context of the run that carries it. */
function taskSpecsOf(d: any): Array<{ at: string; spec: any; pod: any }> {
  const out: Array<{ at: string; spec: any; pod: any }> = [];
  const pipeline = (spec: any, at: string, pod: any): void => {
    for (const list of ['tasks', 'finally']) {
      (spec?.[list] ?? []).forEach((t: any, i: number) => {
        if (t.taskSpec) out.push({ at: `${at}/${list}/${i}/taskSpec`, spec: t.taskSpec, pod });
        if (t.pipelineSpec) pipeline(t.pipelineSpec, `${at}/${list}/${i}/pipelineSpec`, pod);
      });
    }
  };
  if (d.kind === 'Task') out.push({ at: '/spec', spec: d.spec, pod: {} });
  if (d.kind === 'TaskRun' && d.spec?.taskSpec) out.push({ at: '/spec/taskSpec', spec: d.spec.taskSpec, pod: d.spec.podTemplate?.securityContext });
  if (d.kind === 'Pipeline') pipeline(d.spec, '/spec', {});
  if (d.kind === 'PipelineRun') pipeline(d.spec?.pipelineSpec, '/spec/pipelineSpec', d.spec?.taskRunTemplate?.podTemplate?.securityContext);
  return out;
}

/** Each step's merged security context (template, then step, over the run's pod context) and each sidecar's. */
export function mergedSecurityProblems(d: any, document: string): Problem[] {
  return taskSpecsOf(d).flatMap(({ at, spec, pod }) => [
    ...(spec?.steps ?? []).flatMap((s: any, i: number) => securityContextProblems(strategicMerge(spec.stepTemplate?.securityContext, s.securityContext), pod ?? {})
      .map((m) => ({ check: 'kubernetes' as const, document, path: `${at}/steps/${i}/securityContext`, message: `merged with the stepTemplate: ${m}` }))),
    ...(spec?.sidecars ?? []).flatMap((s: any, i: number) => securityContextProblems(s.securityContext, pod ?? {})
      .map((m) => ({ check: 'kubernetes' as const, document, path: `${at}/sidecars/${i}/securityContext`, message: m }))),
  ]);
}
