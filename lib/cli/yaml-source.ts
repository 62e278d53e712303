/**
 * YAML files as documents that remember where each field sits, so a finding can name its line. Values come from
 * js-yaml with YAML 1.2 core scalars (the same values `yaml` gives, about ten times faster); the position-keeping
 * `yaml` parse of a file runs only when one of its documents is asked where a field is, i.e. for findings.
 */
import * as jsYaml from 'js-yaml';
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
    /** The plain value (`toJS()`). */
    public readonly value: any,
    private readonly syntax: () => DocumentSyntax,
    private readonly start?: Position,
  ) {}

  /** The value as the file has it (the same as `value`, unless a reader sees the document in a newer version). */
  public get written(): any {
    return this.value;
  }

  /** 0-based index of the document in its file (empty documents count). */
  public get index(): number {
    return this.syntax().index;
  }

  private get doc(): Document {
    return this.syntax().doc;
  }

  private get lines(): LineCounter {
    return this.syntax().lines;
  }

  /** `apiVersion kind name`, for messages. */
  public get label(): string {
    return `${this.value?.kind ?? '?'} ${JSON.stringify(this.value?.metadata?.name ?? this.value?.metadata?.generateName ?? '')}`;
  }

  /** Where the value at `path` starts (or its key, with `key: true`); falls back to the nearest existing parent. */
  public position(path: FieldPath, key = false): Position {
    if (path.length === 0 && this.start) return this.start;
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

/** The position-keeping parse of one document. */
interface DocumentSyntax {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly index: number;
}

/** Parses every document of a file; empty documents are skipped. */
export function parseYamlFile(file: string, text: string): { documents: YamlDocument[]; errors: YamlSyntaxError[] } {
  return fastParse(file, text) ?? fullParse(file, text);
}

/** The `yaml` parse with positions: every document, its syntax errors, lazily nothing. */
function fullParse(file: string, text: string): { documents: YamlDocument[]; errors: YamlSyntaxError[] } {
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
    const syntax: DocumentSyntax = { doc, lines, index };
    documents.push(new YamlDocument(file, value, () => syntax));
  });
  return { documents, errors };
}

/** YAML 1.2 core schema scalars exactly as `yaml` resolves them (js-yaml's own also take `0b…` and `1_000`). */
const CORE = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string) => /^(?:~|null|Null|NULL)?$/.test(s), construct: () => null, represent: () => 'null' }),
    new jsYaml.Type('tag:yaml.org,2002:bool', { kind: 'scalar', resolve: (s: string) => /^(?:true|True|TRUE|false|False|FALSE)$/.test(s), construct: (s: string) => s[0] === 't' || s[0] === 'T' }),
    new jsYaml.Type('tag:yaml.org,2002:int', { kind: 'scalar', resolve: (s: string) => /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(s),
      construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : Number(s)) }),
    new jsYaml.Type('tag:yaml.org,2002:float', { kind: 'scalar',
      resolve: (s: string) => /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s),
      construct: (s: string) => (/nan$/i.test(s) ? NaN : /inf$/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : Number(s)) }),
  ],
});

/**
 * The fast read: values from js-yaml, document lines from a scan of the document markers, and the `yaml` parse
 * deferred until a position inside a document is needed. Anything the two could read differently (anchors and
 * aliases, tags, a syntax error, documents the scan does not find one-to-one) takes the full parse instead.
 */
function fastParse(file: string, text: string): { documents: YamlDocument[]; errors: YamlSyntaxError[] } | undefined {
  if (/(?:^|[\s,[{])[&*!][^\s,[\]{}]/m.test(text) || text.includes('\t') || text.startsWith('\uFEFF')) return undefined;
  let values: unknown[];
  try {
    values = jsYaml.loadAll(text, undefined, { schema: CORE, filename: file });
  } catch {
    return undefined;
  }
  const present = values.filter((v) => v !== null && v !== undefined);
  const starts = documentStarts(text);
  if (starts === undefined || starts.length !== present.length) return undefined;
  let full: { documents: YamlDocument[] } | undefined;
  const syntaxOf = (n: number) => (): DocumentSyntax => {
    full ??= fullParse(file, text);
    return (full.documents[n] as any).syntax();
  };
  return { documents: present.map((v, n) => new YamlDocument(file, v, syntaxOf(n), starts[n])), errors: [] };
}

/**
 * Where each non-empty document's content starts (as `yaml` reports it: its first node), from the `---` and
 * `...` markers at column 1; undefined where the scan cannot tell (content on a marker line other than a comment).
 */
function documentStarts(text: string): Position[] | undefined {
  const starts: Position[] = [];
  let inDoc = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line)) {
      if (/^\.\.\./.test(line) || !/^---\s*(?:#.*)?$/.test(line)) {
        if (/^---\s+\S/.test(line) && !/^---\s+#/.test(line)) return undefined;
      }
      inDoc = false;
      continue;
    }
    if (inDoc) continue;
    const m = /^(\s*)(\S)/.exec(line);
    if (!m || m[2] === '#' || (m[2] === '%' && m[1] === '')) continue;
    starts.push({ line: i + 1, column: m[1].length + 1 });
    inDoc = true;
  }
  return starts;
}
