import { Construct } from 'constructs';
import { CommentStyle, GeneratedFile } from '../core';
import { StepKind } from './step';

/** One step as the stage graph shows it; both backends must read back to the same. */
export interface GraphStep {
  /** Step name. */
  readonly name: string;
  /** What it does. */
  readonly kind: StepKind;
  /** Node container it runs in ('' for approvals). */
  readonly container: string;
  /** That container's image ('' for approvals). */
  readonly image: string;
  /** That container's resources (empty for approvals). */
  readonly resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** True if that container runs as root (the `runAsRoot` opt-out). */
  readonly runAsRoot: boolean;
  /** Directory relative to the checkout ('' for its root). */
  readonly dir: string;
  /** The script (run steps), file pattern (publish/archive), message (approval); '' for checkout. */
  readonly text: string;
  /** Literal env vars the step sees (pipeline + stage). */
  readonly environment: Record<string, string>;
  /** Secret env var names the step sees (those it reads or is granted), sorted. */
  readonly secrets: string[];
  /** Params and matrix axes the step receives as env vars (those it reads or is granted), sorted. */
  readonly params: string[];
}

/** One stage of the graph. */
export interface GraphStage {
  /** The name people see. */
  readonly name: string;
  /** Conditions, each as `When.describe()`. */
  readonly when: string[];
  /** Timeout in seconds, if any. */
  readonly timeoutSeconds?: number;
  /** Extra attempts. */
  readonly retries: number;
  /** Matrix axes (name → values), if any. */
  readonly matrix?: Record<string, string[]>;
  /** The matrix cells that run (axis → value), if a matrix. */
  readonly matrixCells?: Array<Record<string, string>>;
  /** Parallel branches (empty unless parallel). */
  readonly branches: GraphStage[];
  /** Steps (empty if parallel). */
  readonly steps: GraphStep[];
}

/** The backend-neutral meaning of a pipeline: what the equivalence check compares. */
export interface PipelineGraph {
  /** Pipeline name. */
  readonly name: string;
  /** Params: name, type and default. */
  readonly params: Array<{ name: string; type: string; default: string }>;
  /** Stages, in order. */
  readonly stages: GraphStage[];
  /** Post steps per condition ('always', 'success', 'failure'); empty lists are left out. */
  readonly post: Record<string, GraphStep[]>;
}

/** Props of {@link PipelineDiagram}. */
export interface PipelineDiagramProps {
  /** Path under the output directory, e.g. `ci-cd.mmd`. */
  readonly path: string;
  /** Produces the graph at synth. */
  readonly graph: () => PipelineGraph;
}

/** The stage graph as a Mermaid flowchart (`dist/<pipeline>.mmd`), rendered at synth. */
export class PipelineDiagram extends GeneratedFile {
  private readonly graph: () => PipelineGraph;

  constructor(scope: Construct, id: string, props: PipelineDiagramProps) {
    super(scope, id, { path: props.path, commentStyle: CommentStyle.PERCENT });
    this.graph = props.graph;
  }

  protected renderBody(): string {
    return toMermaid(this.graph());
  }
}

/** Renders a stage graph as a Mermaid `flowchart LR`. Labels are entity-encoded, so user text stays text. */
export function toMermaid(g: PipelineGraph): string {
  const lines = ['flowchart LR', '  start(("start"))'];
  let prev = ['start'];
  let n = 0;
  const label = (s: GraphStage): string => {
    const parts = [s.name];
    if (s.matrix) parts.push(`matrix: ${Object.entries(s.matrix).map(([k, v]) => `${k} = ${v.join(', ')}`).join('; ')} (${s.matrixCells!.length} cells)`);
    if (s.when.length) parts.push(`when ${s.when.join(' and ')}`);
    return parts.map(text).join('<br/>');
  };
  const node = (s: GraphStage): string => {
    const id = `s${++n}`;
    const approval = s.steps.length === 1 && s.steps[0].kind === StepKind.APPROVAL;
    lines.push(approval ? `  ${id}{{"${label(s)}"}}` : s.matrix ? `  ${id}[["${label(s)}"]]` : `  ${id}["${label(s)}"]`);
    return id;
  };
  for (const stage of g.stages) {
    if (stage.branches.length > 0) {
      const ids = stage.branches.map(node);
      lines.push(`  subgraph g${n} ["${text(stage.name)}${stage.when.length ? `<br/>${text(`when ${stage.when.join(' and ')}`)}` : ''}"]`);
      lines.push(...ids.map((id) => `    ${id}`), '  end');
      for (const p of prev) for (const id of ids) lines.push(`  ${p} --> ${id}`);
      prev = ids;
    } else {
      const id = node(stage);
      for (const p of prev) lines.push(`  ${p} --> ${id}`);
      prev = [id];
    }
  }
  lines.push('  finish(("end"))');
  for (const p of prev) lines.push(`  ${p} --> finish`);
  for (const [cond, steps] of Object.entries(g.post)) {
    lines.push(`  post_${cond}["post ${cond}: ${text(steps.map((s) => s.name).join(', '))}"]`);
    lines.push(`  finish -. ${cond} .-> post_${cond}`);
  }
  return lines.join('\n');
}

const PLAIN_LABEL = /^[A-Za-z0-9 _.,:/()+=*\[\]-]*$/;

/** Mermaid-safe label text: anything beyond plain characters becomes an entity code (`#35;`). */
export function text(s: string): string {
  if (PLAIN_LABEL.test(s)) return s;
  return [...s].map((c) => (/[A-Za-z0-9 _.,:/()+=*\[\]-]/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}
