/** What a reader produces for the documents it is given: statements plus what could not be expressed. */
import { Expr, ProgramNote, Statement, construct, data, ref, lit } from '../calls';
import type { FieldPath, YamlDocument } from '../yaml-source';

/** A field the typed API cannot express yet: the document is then built raw (import) or schema-checked only. */
export interface Gap {
  /** Index of the document. */
  readonly doc: number;
  /** The field. */
  readonly path: FieldPath;
  /** What is missing. */
  readonly message: string;
}

/** A rule the reader itself reports, because the typed API cannot even hold the bad value (a dangling name). */
export interface ReaderFinding {
  /** Index of the document. */
  readonly doc: number;
  /** The field. */
  readonly path: FieldPath;
  /** The rule id, as the construct would report it. */
  readonly rule: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A typed handle a later document may use (`task.ref`, the Pipeline construct), by kind and name. */
export interface Handle {
  /** The variable. */
  readonly variable: string;
  /** Whether the document behind it was built through the typed API (not raw). */
  readonly typed: boolean;
}

/** The statements for all documents given together (one app), in build order. */
export class Plan {
  /** Every statement, in order. */
  public readonly statements: Statement[] = [];
  /** Escape hatches and opt-outs, for the summary. */
  public readonly notes: ProgramNote[] = [];
  /** Documents of kinds no reader knows (schema check only). */
  public readonly unknownKinds: number[] = [];
  /** Findings of the readers. */
  public readonly findings: ReaderFinding[] = [];
  /** Gaps of the typed API, per document. */
  public readonly gaps: Gap[] = [];
  /** Documents built raw because of gaps. */
  public readonly raw = new Set<number>();
  private readonly handles = new Map<string, Handle>();
  private readonly used = new Set<string>(['scope']);
  private readonly ids = new Set<string>();

  constructor(
    /** The documents, in the order given. */
    public readonly documents: readonly YamlDocument[],
    /**
     * True when the plan must build exactly the documents (import): a field the typed API would write differently
     * (see {@link DocumentBuilder.inexact}) then makes the document raw. `check` reads the same field typed, since
     * the rules judge the document as given either way.
     */
    public readonly exact = false,
  ) {}

  /** A fresh camelCase variable name built from words. */
  public variable(...words: string[]): string {
    const parts = words.join(' ').split(/[^A-Za-z0-9]+/).filter(Boolean);
    let base = parts.map((p, i) => (i === 0 ? p[0].toLowerCase() + p.slice(1) : p[0].toUpperCase() + p.slice(1))).join('') || 'value';
    if (/^[0-9]/.test(base)) base = `_${base}`;
    let name = base;
    for (let n = 2; this.used.has(name) || RESERVED.has(name); n++) name = `${base}${n}`;
    this.used.add(name);
    return name;
  }

  /** A construct id unique in the chart: the object name, suffixed with its kind on a clash. */
  public constructId(name: string, kind: string): string {
    let id = name;
    if (this.ids.has(id)) id = `${name}-${kind.toLowerCase()}`;
    for (let n = 2; this.ids.has(id); n++) id = `${name}-${kind.toLowerCase()}-${n}`;
    this.ids.add(id);
    return id;
  }

  /** Registers a handle for `kind/name`. */
  public setHandle(kind: string, name: string, handle: Handle): void {
    this.handles.set(`${kind}/${name}`, handle);
  }

  /** The typed handle of `kind/name`, if a document given together built one. */
  public handle(kind: string, name: string): Handle | undefined {
    const h = this.handles.get(`${kind}/${name}`);
    return h?.typed ? h : undefined;
  }

  /** Builds a document as a raw `ApiObject` (an escape hatch), noting why. */
  public addRaw(doc: number, why: string): void {
    const d = this.documents[doc];
    const name = String(d.value?.metadata?.name ?? d.value?.metadata?.generateName ?? d.value?.kind ?? 'object');
    const id = this.constructId(name, String(d.value?.kind ?? 'object'));
    this.raw.add(doc);
    this.statements.push({ expr: construct('cdk8s.ApiObject', ref('scope'), lit(id), data(d.written)), origin: { doc, path: [] } });
    this.notes.push({ kind: 'escape-hatch', text: `${d.label} is written as a raw cdk8s.ApiObject: ${why}` });
  }
}

const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new',
  'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let',
  'static', 'yield', 'await', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'tekton', 'cdk8s',
  'workloads', 'kplus', 'rollouts', 'mesh', 'serverless', 'Duration', 'build', 'app', 'chart', 'Chart', 'App', 'Construct']);

/** Collects the statements of one document; gaps make the whole document raw. */
export class DocumentBuilder {
  private readonly statements: Statement[] = [];
  private readonly gaps: Gap[] = [];
  private readonly notes: ProgramNote[] = [];
  private readonly findings: ReaderFinding[] = [];

  constructor(
    /** The plan it adds to. */
    public readonly plan: Plan,
    /** Index of the document. */
    public readonly doc: number,
  ) {}

  /** The document's value. */
  public get value(): any {
    return this.plan.documents[this.doc].value;
  }

  /** Adds `const bind = expr` (or just `expr`), built from the field at `path`. */
  public add(path: FieldPath, expr: Expr, bind?: string): void {
    this.statements.push({ bind, expr, origin: { doc: this.doc, path } });
  }

  /** True once a field the typed API cannot express was found (the document will be built raw). */
  public get hasGaps(): boolean {
    return this.gaps.length > 0;
  }

  /** Records a field the typed API cannot express. */
  public gap(path: FieldPath, message: string): void {
    this.gaps.push({ doc: this.doc, path, message });
  }

  /**
   * Records a field the typed API builds for the rules but writes differently (it adds secure defaults the file
   * leaves out): a gap when the plan must be exact (import), nothing for check.
   */
  public inexact(path: FieldPath, message: string): void {
    if (this.plan.exact) this.gap(path, message);
  }

  /** Records a rule the reader reports itself. */
  public finding(path: FieldPath, rule: string, message: string, fix: string): void {
    this.findings.push({ doc: this.doc, path, rule, message, fix });
  }

  /** Records an opt-out or escape hatch for the summary. */
  public note(note: ProgramNote): void {
    this.notes.push(note);
  }

  /** Records every key of `value` (at `path`) not in `known` as a gap. */
  public only(value: unknown, path: FieldPath, known: readonly string[]): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const k of Object.keys(value)) {
      if (!known.includes(k)) this.gap([...path, k], `${[...path, k].join('.')} has no typed form in slipway yet`);
    }
  }

  /** Moves what was collected into the plan; with gaps, the document is built raw instead. Returns true if typed. */
  public commit(): boolean {
    const p = this.plan;
    p.findings.push(...this.findings);
    if (this.gaps.length > 0) {
      p.gaps.push(...this.gaps);
      p.addRaw(this.doc, this.gaps.map((g) => g.message).join('; '));
      return false;
    }
    p.statements.push(...this.statements);
    p.notes.push(...this.notes);
    return true;
  }
}

/**
 * Runs a reader on one document. A document of an unexpected shape (a list where a map belongs, …) that makes the
 * reader throw is built raw and recorded as a gap: the schema check reports the shape, and check never crashes.
 */
export function guarded(plan: Plan, doc: number, read: (plan: Plan, doc: number) => void): void {
  const statements = plan.statements.length;
  const notes = plan.notes.length;
  const findings = plan.findings.length;
  try {
    read(plan, doc);
  } catch (e) {
    plan.statements.length = statements;
    plan.notes.length = notes;
    plan.findings.length = findings;
    plan.gaps.push({ doc, path: [], message: `the document's shape is not one slipway can read (${e instanceof Error ? e.message : String(e)})` });
    plan.addRaw(doc, 'its shape is not one slipway can read');
  }
}
