/** YAML files as documents that remember where each field sits, so a finding can name its line. */
import { Document, LineCounter, Node, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';

/** A path into a document: map keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** A 1-based line and column. */
export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** One YAML document of a file, as plain data plus the positions of its nodes. */
export class YamlDocument {
  constructor(
    /** The file it came from. */
    public readonly file: string,
    /** 0-based index of the document in its file. */
    public readonly index: number,
    /** The plain value (`toJS()`). */
    public readonly value: any,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** `apiVersion kind name`, for messages. */
  public get label(): string {
    return `${this.value?.kind ?? '?'} ${JSON.stringify(this.value?.metadata?.name ?? this.value?.metadata?.generateName ?? '')}`;
  }

  /** Where the value at `path` starts (or its key, with `key: true`); falls back to the nearest existing parent. */
  public position(path: FieldPath, key = false): Position {
    for (let n = path.length; n >= 0; n--) {
      const at = this.offset(path.slice(0, n), key && n === path.length);
      if (at !== undefined) return this.toPosition(at);
    }
    return { line: 1, column: 1 };
  }

  /** True if the document has a field at `path`. */
  public has(path: FieldPath): boolean {
    return this.offset(path, false) !== undefined;
  }

  /**
   * Every field below `base` that holds `needle`: scalars equal to it (`exact`) or containing it, in document order.
   */
  public findAll(base: FieldPath, needle: string): Array<{ path: FieldPath; exact: boolean }> {
    const root = base.length === 0 ? this.doc.contents : this.doc.getIn(base as any[], true);
    const found: Array<{ path: FieldPath; exact: boolean }> = [];
    const visit = (node: unknown, path: FieldPath): void => {
      if (isScalar(node)) {
        const text = String(node.value);
        if (text.includes(needle)) found.push({ path, exact: text === needle });
      } else if (isMap(node)) {
        for (const pair of node.items) visit(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : String(pair.key)]);
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => visit(item, [...path, i]));
      }
    };
    visit(root, base);
    return found;
  }

  private offset(path: FieldPath, key: boolean): number | undefined {
    if (path.length === 0) return (this.doc.contents as Node | null)?.range?.[0];
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1) as any[], true);
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
      if (!pair) return undefined;
      const node = (key ? pair.key : pair.value ?? pair.key) as Node | null;
      return node?.range?.[0];
    }
    if (isSeq(parent) && typeof last === 'number') return (parent.items[last] as Node | undefined)?.range?.[0];
    return undefined;
  }

  private toPosition(offset: number): Position {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }
}

/** A YAML syntax error at a position. */
export interface YamlSyntaxError extends Position {
  /** The parser's message (first line). */
  readonly message: string;
}

/** Parses every document of a file; empty documents are skipped. */
export function parseYamlFile(file: string, text: string): { documents: YamlDocument[]; errors: YamlSyntaxError[] } {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const errors: YamlSyntaxError[] = [];
  const documents: YamlDocument[] = [];
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) errors.push({ line: 1, column: 1, message: 'not a YAML stream' });
  list.forEach((doc, index) => {
    for (const e of doc.errors) {
      const p = lines.linePos(e.pos[0]);
      errors.push({ line: p.line, column: p.col, message: e.message.split('\n')[0] });
    }
    if (doc.errors.length > 0) return;
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    documents.push(new YamlDocument(file, index, value, doc, lines));
  });
  return { documents, errors };
}
