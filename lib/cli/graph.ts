/** `slipway graph`: the Mermaid DAG of a Tekton Pipeline (tasks, their edges, `finally`), from its YAML. */
import { text } from '../pipeline/graph';
import { scanRefs } from '../tekton/expressions';

/** Mermaid `flowchart LR` of one Pipeline document: edges from `runAfter` and from result references. */
export function tektonPipelineGraph(doc: any): string {
  const spec = doc?.spec ?? {};
  const tasks: any[] = spec.tasks ?? [];
  const finallyTasks: any[] = spec.finally ?? [];
  const ids = new Map<string, string>();
  [...tasks, ...finallyTasks].forEach((t, i) => ids.set(String(t?.name), `t${i + 1}`));
  const lines = ['flowchart LR', '  start(("start"))'];
  const label = (t: any): string => {
    const parts = [String(t.name)];
    const ref = t.taskRef?.name ?? (t.taskRef?.resolver ? `${t.taskRef.resolver} resolver` : t.taskSpec ? 'inline task' : undefined);
    if (ref && ref !== t.name) parts.push(`(${ref})`);
    const matrix = (t.matrix?.params ?? []).map((p: any) => p?.name).filter(Boolean);
    if (matrix.length) parts.push(`matrix: ${matrix.join(', ')}`);
    for (const w of t.when ?? []) parts.push(w.cel !== undefined ? `when ${w.cel}` : `when ${w.input} ${w.operator} ${(w.values ?? []).join(', ')}`);
    return parts.map((p) => text(p)).join('<br/>');
  };
  for (const t of tasks) lines.push(`  ${ids.get(String(t.name))}["${label(t)}"]`);
  const hasIncoming = new Set<string>();
  const hasOutgoing = new Set<string>();
  for (const t of tasks) {
    const to = ids.get(String(t.name))!;
    const deps = new Set<string>((t.runAfter ?? []).map(String));
    for (const r of scanRefs(JSON.stringify([t.params, t.when, t.matrix, t.taskSpec]))) {
      if (r.prefix === 'tasks' && r.parts[1] === 'results') deps.add(r.parts[0]);
    }
    for (const d of [...deps].sort()) {
      const from = ids.get(d);
      if (!from || from === to) continue;
      lines.push(`  ${from} --> ${to}`);
      hasIncoming.add(to);
      hasOutgoing.add(from);
    }
  }
  for (const t of tasks) {
    const id = ids.get(String(t.name))!;
    if (!hasIncoming.has(id)) lines.push(`  start --> ${id}`);
  }
  lines.push('  finish(("end"))');
  for (const t of tasks) {
    const id = ids.get(String(t.name))!;
    if (!hasOutgoing.has(id)) lines.push(`  ${id} --> finish`);
  }
  if (tasks.length === 0) lines.push('  start --> finish');
  if (finallyTasks.length > 0) {
    lines.push('  subgraph finally ["finally"]');
    for (const t of finallyTasks) lines.push(`    ${ids.get(String(t.name))}["${label(t)}"]`);
    lines.push('  end');
    lines.push('  finish -.-> finally');
  }
  return `${lines.join('\n')}\n`;
}
