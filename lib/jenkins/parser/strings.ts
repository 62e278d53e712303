/**
 * Decodes Groovy 2.4 string literals: escapes (`\n`, `\'`, `\$`, `\uXXXX`, octal), line continuations in
 * triple-quoted strings, CRLF normalised to LF in multi-line strings, and the `$name.path` / `${…}` parts of
 * GStrings, slashy and dollar-slashy strings.
 */
import { Quote } from './ast';

/** An interpolated piece: `${…}` source (with its offset in the token image) or a `$a.b.c` path. */
export type Interpolation = { readonly src: string; readonly offset: number } | { readonly path: readonly string[]; readonly offset: number };

/** A decoded literal: text pieces and interpolations, or an error with its offset in the token image. */
export interface Decoded {
  readonly parts: Array<string | Interpolation>;
  readonly error?: { readonly message: string; readonly offset: number };
}

const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', $: '$' };
const IDENT_START = /[A-Za-z_\u00c0-\uffff]/;
const IDENT_PART = /[\w\u00c0-\uffff]/;

/** The quote kind of a string token image. */
export function quoteOf(image: string): Quote {
  if (image.startsWith("'''")) return "'''";
  if (image.startsWith('"""')) return '"""';
  if (image.startsWith('$/')) return '$/';
  return image[0] as Quote;
}

/** Decodes a string token's image. */
export function decodeString(image: string): Decoded {
  const quote = quoteOf(image);
  const open = quote.length;
  const close = quote === '$/' ? 2 : quote.length;
  const body = image.slice(open, image.length - close);
  const interpolates = quote === '"' || quote === '"""' || quote === '/' || quote === '$/';
  const multiline = quote !== "'" && quote !== '"';
  const parts: Array<string | Interpolation> = [];
  let buf = '';
  const flush = (): void => {
    if (buf !== '') parts.push(buf);
    buf = '';
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    const at = open + i;
    if (multiline && c === '\r') {
      buf += '\n';
      i += body[i + 1] === '\n' ? 2 : 1;
    } else if (c === '\\' && (quote === '/' || quote === '$/')) {
      if (quote === '/' && body[i + 1] === '/') { buf += '/'; i += 2; }
      else if (body[i + 1] === 'u' && /^u+[0-9a-fA-F]{4}/.test(body.slice(i + 1))) {
        const m = /^u+([0-9a-fA-F]{4})/.exec(body.slice(i + 1))!;
        buf += String.fromCharCode(parseInt(m[1], 16));
        i += 1 + m[0].length;
      } else { buf += c; i++; }
    } else if (c === '\\') {
      const n = body[i + 1];
      if (n !== undefined && n in SIMPLE) { buf += SIMPLE[n]; i += 2; }
      else if (n === 'u') {
        const m = /^u+([0-9a-fA-F]{4})/.exec(body.slice(i + 1));
        if (!m) return { parts, error: { message: 'bad unicode escape', offset: at } };
        buf += String.fromCharCode(parseInt(m[1], 16));
        i += 1 + m[0].length;
      } else if (n !== undefined && /[0-7]/.test(n)) {
        const m = /^(?:[0-3][0-7]{0,2}|[4-7][0-7]?)/.exec(body.slice(i + 1))!;
        buf += String.fromCharCode(parseInt(m[0], 8));
        i += 1 + m[0].length;
      } else if (n === '\n' || n === '\r') {
        // A line continuation: the backslash and the newline vanish.
        i += n === '\r' && body[i + 2] === '\n' ? 3 : 2;
      } else {
        return { parts, error: { message: `unexpected char: '\\${n ?? ''}' (unknown escape)`, offset: at } };
      }
    } else if (quote === '$/' && c === '$' && (body[i + 1] === '$' || body[i + 1] === '/')) {
      buf += body[i + 1];
      i += 2;
    } else if (interpolates && c === '$') {
      const n = body[i + 1];
      if (n === '{') {
        const end = skipBraces(body, i + 1);
        if (end < 0) return { parts, error: { message: 'unclosed ${', offset: at } };
        flush();
        parts.push({ src: body.slice(i + 2, end - 1), offset: open + i + 2 });
        i = end;
      } else if (n !== undefined && IDENT_START.test(n)) {
        flush();
        const path: string[] = [];
        let j = i + 1;
        for (;;) {
          let k = j;
          while (k < body.length && IDENT_PART.test(body[k])) k++;
          path.push(body.slice(j, k));
          j = k;
          if (body[j] === '.' && j + 1 < body.length && IDENT_START.test(body[j + 1])) j++;
          else break;
        }
        parts.push({ path, offset: open + i });
        i = j;
      } else if (quote === '/' || quote === '$/') {
        buf += c;
        i++;
      } else {
        return { parts, error: { message: 'illegal string body character after dollar sign', offset: at } };
      }
    } else {
      buf += c;
      i++;
    }
  }
  flush();
  return { parts };
}

/** Skips a string starting at `i` (any quoting); returns the index after it, or -1 if it is not closed. */
export function skipString(text: string, i: number): number {
  if (text.startsWith("'''", i) || text.startsWith('"""', i)) {
    const q = text.slice(i, i + 3);
    let j = i + 3;
    while (j < text.length) {
      if (text[j] === '\\') j += 2;
      else if (text.startsWith(q, j)) return j + 3;
      else if (q === '"""' && text[j] === '$' && text[j + 1] === '{') { j = skipBraces(text, j + 1); if (j < 0) return -1; }
      else j++;
    }
    return -1;
  }
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === q) return j + 1;
    else if (c === '\n' || c === '\r') return -1;
    else if (q === '"' && c === '$' && text[j + 1] === '{') { j = skipBraces(text, j + 1); if (j < 0) return -1; }
    else j++;
  }
  return -1;
}

/** Skips a `{…}` group starting at the `{` at `i`, minding strings and comments inside; -1 if unbalanced. */
export function skipBraces(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (c === '{') { depth++; j++; }
    else if (c === '}') { depth--; j++; if (depth === 0) return j; }
    else if (c === "'" || c === '"') { j = skipString(text, j); if (j < 0) return -1; }
    else if (text.startsWith('//', j)) { const nl = text.indexOf('\n', j); j = nl < 0 ? text.length : nl; }
    else if (text.startsWith('/*', j)) { const e = text.indexOf('*/', j + 2); if (e < 0) return -1; j = e + 2; }
    else j++;
  }
  return -1;
}
