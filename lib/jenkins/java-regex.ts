import { show } from '../core';

/**
 * Checks the syntax of a Java regular expression (java.util.regex.Pattern) where JavaScript's engine would
 * disagree: possessive quantifiers (`*+`), atomic groups (`(?>…)`), inline flags anywhere (`a(?i)b`), `\Q…\E`.
 * Only what Java surely rejects is reported: unbalanced groups, an unclosed class, an unknown group construct,
 * a quantifier with nothing to repeat, a trailing backslash.
 */
export function javaRegexError(re: string): string | undefined {
  let depth = 0;
  // Whether the last token can take a quantifier, and whether a quantifier was just read (one `?`/`+` may follow).
  let atom = false;
  let quantified = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      if (i + 1 >= re.length) return 'it ends with a lone backslash';
      if (re[i + 1] === 'Q') {
        const end = re.indexOf('\\E', i + 2);
        i = end < 0 ? re.length : end + 1;
      } else i++;
      atom = true;
      quantified = false;
    } else if (c === '[') {
      const end = classEnd(re, i);
      if (end < 0) return `the character class at ${i} is not closed`;
      i = end;
      atom = true;
      quantified = false;
    } else if (c === '(') {
      let flagsOnly = false;
      if (re[i + 1] === '?') {
        const m = /^\?(?::|=|!|<=|<!|>|<[A-Za-z][A-Za-z0-9]*>|[idmsuxU-]*(:|\)))/.exec(re.slice(i + 1));
        if (!m) return `unknown group construct at ${i}`;
        flagsOnly = m[1] === ')';
        i += m[0].length;
      }
      if (flagsOnly) {
        atom = false;
        continue;
      }
      depth++;
      atom = false;
      quantified = false;
    } else if (c === ')') {
      if (depth === 0) return `unmatched ")" at ${i}`;
      depth--;
      atom = true;
      quantified = false;
    } else if (c === '|') {
      atom = false;
      quantified = false;
    } else if (c === '*' || c === '+' || c === '?') {
      if (quantified && (c === '+' || c === '?')) {
        quantified = false;
        atom = false;
        continue;
      }
      if (!atom) return `dangling meta character ${show(c)} at ${i}`;
      atom = false;
      quantified = true;
    } else {
      atom = c !== '^' && c !== '$';
      quantified = false;
    }
  }
  return depth > 0 ? 'a group is not closed' : undefined;
}

/** The index of the `]` closing the class opened at `start` (Java classes nest), or -1. */
function classEnd(re: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < re.length) {
    const c = re[i];
    if (c === '\\') i += 2;
    else if (c === '[') {
      depth++;
      i++;
      if (re[i] === '^') i++;
      // A `]` first in a class is a literal.
      if (re[i] === ']') i++;
    } else if (c === ']') {
      depth--;
      if (depth === 0) return i;
      i++;
    } else i++;
  }
  return -1;
}
