import { show } from '../core';
import { hasLoneSurrogate } from './groovy';
import { checkGroovyBlock } from './parser';
import { Problems } from './problems';

/**
 * Checks an escape-hatch Groovy body: not empty, and its braces, brackets and parentheses balance outside
 * strings and comments, so it cannot close the block it is placed in.
 * @internal
 */
export function checkRawGroovy(what: string, code: string): Problems['list'] | undefined {
  const p = new Problems();
  if (code.trim() === '') p.add('raw-groovy', `${what} body is empty`, `write the Groovy code, or drop the ${what} block`);
  // Groovy turns \uXXXX into characters before lexing, so an escaped brace or quote could close the block.
  if (/(^|[^\\])(\\\\)*\\u/.test(code)) {
    p.add('raw-groovy', `${what} body contains a \\u unicode escape`, 'write the character itself instead of \\uXXXX');
  }
  if (hasLoneSurrogate(code)) {
    p.add('lone-surrogate', `${what} body contains a lone UTF-16 surrogate, which a UTF-8 Jenkinsfile cannot hold`,
      'write the whole character (both halves of the surrogate pair) or leave it out');
  }
  const { error, bare } = scan(code);
  if (error) p.add('raw-groovy', `${what} body ${error}`, 'balance every {, [ and ( and close every string and comment');
  // What Groovy 2.4 itself rejects in a block body (a method or import definition, a syntax error the parser can
  // prove); forms the parser does not read are left to Groovy, never refused.
  for (const d of error ? [] : checkGroovyBlock(code)) {
    if (d.rule === 'groovy-syntax') {
      p.add('raw-groovy', `${what} body line ${d.line}:${d.column}: ${d.message}`,
        'declare helper functions with Jenkinsfile.addFunction() (or in a shared library) and keep the script body to statements');
    }
  }
  if (/(^|[^\w.$])pipeline\s*\{/.test(bare)) {
    p.add('pipeline-top-level', `${what} body contains a pipeline block; pipeline must be at the top level, not within another block`,
      'move the stages into this Jenkinsfile instead of nesting a pipeline');
  }
  return p.result;
}

/** Scans Groovy outside strings and comments: the first imbalance, and the code with strings and comments removed. */
function scan(code: string): { error?: string; bare: string } {
  const stack: string[] = [];
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  let bare = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (code.startsWith('//', i)) {
      const nl = code.indexOf('\n', i);
      i = nl < 0 ? code.length : nl;
    } else if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2);
      if (end < 0) return { error: 'has an unclosed /* comment', bare };
      i = end + 2;
    } else if (code.startsWith("'''", i) || code.startsWith('"""', i)) {
      const q = code.slice(i, i + 3);
      let j = i + 3;
      while (j < code.length && !code.startsWith(q, j)) j += code[j] === '\\' ? 2 : 1;
      if (j >= code.length) return { error: `has an unclosed ${q} string`, bare };
      i = j + 3;
      bare += ' "" ';
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      if (j >= code.length || code[j] !== c) return { error: `has an unclosed ${c} string`, bare };
      i = j + 1;
      bare += ' "" ';
    } else {
      if (c === '{' || c === '[' || c === '(') stack.push(c);
      else if (c in pairs && stack.pop() !== pairs[c]) return { error: `has an unmatched ${show(c)}`, bare };
      bare += c;
      i++;
    }
  }
  return { error: stack.length ? `has an unclosed ${show(stack[stack.length - 1])}` : undefined, bare };
}
