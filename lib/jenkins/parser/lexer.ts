/**
 * The Groovy 2.4 token set (the subset Jenkinsfiles use), as a chevrotain lexer. Strings are matched by small
 * scanners (GStrings nest `${…}` with braces and strings inside); slashy strings are told from division by the
 * previous token, as Groovy's lexer does. Newlines are tokens: Groovy ends statements at them, and
 * `significantTokens` drops the ones Groovy ignores (inside parentheses and brackets, after an operator or comma).
 */
import type { IToken, TokenType } from 'chevrotain';
import { chevrotain } from './chevrotain';
import { skipBraces, skipString } from './strings';

const { Lexer, createToken } = chevrotain;

/** Any word usable as a property, method or named-argument name (identifiers and keywords). */
export const AnyName = createToken({ name: 'AnyName', pattern: Lexer.NA });
export const Ident = createToken({ name: 'Ident', pattern: /[A-Za-z_$\u00c0-\uffff][\w$\u00c0-\uffff]*/, categories: [AnyName] });

const KEYWORDS = ['def', 'if', 'else', 'for', 'while', 'try', 'catch', 'finally', 'return', 'throw', 'break', 'continue',
  'new', 'true', 'false', 'null', 'import', 'as', 'in', 'instanceof', 'class', 'interface', 'enum', 'trait', 'switch',
  'case', 'default', 'do', 'assert', 'package', 'static', 'final', 'private', 'public', 'protected', 'abstract',
  'synchronized', 'void', 'threadsafe', 'transient', 'volatile', 'native', 'strictfp', 'throws', 'extends', 'implements',
  'goto', 'const'] as const;
export type Keyword = typeof KEYWORDS[number];

/** Keyword tokens by keyword. */
export const KW = {} as Record<Keyword, TokenType>;
for (const k of KEYWORDS) {
  KW[k] = createToken({ name: `KW_${k}`, pattern: new RegExp(`${k.replace('$', '\\$')}(?![\\w$\\u00c0-\\uffff])`), longer_alt: Ident, categories: [AnyName] });
}

/** Modifiers allowed before declarations and method definitions. */
export const MODIFIERS: readonly Keyword[] = ['static', 'final', 'private', 'public', 'protected', 'abstract', 'synchronized'];

export const NL = createToken({ name: 'NL', pattern: /\r\n|\r|\n/, line_breaks: true });
const WS = createToken({ name: 'WS', pattern: /[ \t\f]+|\\(?:\r\n|\r|\n)/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\r\n]*|\/\*[\s\S]*?\*\//, line_breaks: true });
const Shebang = createToken({ name: 'Shebang', pattern: { exec: (t: string, o: number) => (o === 0 ? /^#![^\r\n]*/.exec(t) : null) },
  line_breaks: false, group: Lexer.SKIPPED, start_chars_hint: ['#'] });

function match(text: string, start: number, end: number): RegExpExecArray {
  const m = [text.slice(start, end)] as unknown as RegExpExecArray;
  m.index = start;
  return m;
}

function stringToken(name: string, starts: string, triple: boolean): TokenType {
  return createToken({
    name,
    line_breaks: triple || starts === '"',
    start_chars_hint: [starts[0]],
    pattern: {
      exec: (text: string, offset: number) => {
        if (!text.startsWith(starts, offset)) return null;
        if (!triple && text.startsWith(starts.repeat(3), offset)) return null;
        const end = skipString(text, offset);
        return end < 0 ? null : match(text, offset, end);
      },
    },
  });
}

export const TripleSingle = stringToken('TripleSingle', "'''", true);
export const TripleDouble = stringToken('TripleDouble', '"""', true);
export const SingleQuoted = stringToken('SingleQuoted', "'", false);
export const DoubleQuoted = stringToken('DoubleQuoted', '"', false);

export const DollarSlashy = createToken({
  name: 'DollarSlashy', line_breaks: true, start_chars_hint: ['$'],
  pattern: {
    exec: (text: string, offset: number) => {
      if (!text.startsWith('$/', offset)) return null;
      let j = offset + 2;
      while (j < text.length) {
        if (text[j] === '$' && (text[j + 1] === '$' || text[j + 1] === '/')) j += 2;
        else if (text.startsWith('/$', j)) return match(text, offset, j + 2);
        else if (text[j] === '$' && text[j + 1] === '{') { j = skipBraces(text, j + 1); if (j < 0) return null; }
        else j++;
      }
      return null;
    },
  },
});

/** Tokens after which `/` is division; anywhere else it starts a slashy string. */
const OPERAND_END = new Set(['Ident', 'NumberLit', 'RParen', 'RBracket', 'RBrace', 'SingleQuoted', 'DoubleQuoted', 'TripleSingle',
  'TripleDouble', 'Slashy', 'DollarSlashy', 'KW_true', 'KW_false', 'KW_null', 'PlusPlus', 'MinusMinus']);

export const Slashy = createToken({
  name: 'Slashy', line_breaks: true, start_chars_hint: ['/'],
  pattern: {
    exec: (text: string, offset: number, tokens: IToken[]) => {
      if (text[offset] !== '/' || text[offset + 1] === '/' || text[offset + 1] === '*') return null;
      let k = tokens.length - 1;
      while (k >= 0 && tokens[k].tokenType === Comment) k--;
      const prev = k >= 0 ? tokens[k] : undefined;
      if (prev && OPERAND_END.has(prev.tokenType.name)) return null;
      let j = offset + 1;
      while (j < text.length) {
        if (text[j] === '\\' && text[j + 1] === '/') j += 2;
        else if (text[j] === '/') return j === offset + 1 ? null : match(text, offset, j + 1);
        else if (text[j] === '$' && text[j + 1] === '{') { j = skipBraces(text, j + 1); if (j < 0) return null; }
        else j++;
      }
      return null;
    },
  },
});

export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[lLiIgGdDfF]?(?![\w$])/,
});

const p = (name: string, pattern: RegExp): TokenType => createToken({ name, pattern });
export const LParen = p('LParen', /\(/);
export const RParen = p('RParen', /\)/);
export const LBracket = p('LBracket', /\[/);
export const RBracket = p('RBracket', /\]/);
export const LBrace = p('LBrace', /\{/);
export const RBrace = p('RBrace', /\}/);
export const Comma = p('Comma', /,/);
export const Semi = p('Semi', /;/);
export const At = p('At', /@/);
export const Arrow = p('Arrow', /->/);

/** Assignment operators (right-associative, lowest precedence). */
export const AssignOp = createToken({ name: 'AssignOp', pattern: Lexer.NA });
const a = (name: string, pattern: RegExp): TokenType => createToken({ name, pattern, categories: [AssignOp] });
export const Assign = a('Assign', /=(?![=~])/);
const ASSIGNS = [a('PowAssign', /\*\*=/), a('UShrAssign', />>>=/), a('ShrAssign', />>=/), a('ShlAssign', /<<=/),
  a('PlusAssign', /\+=/), a('MinusAssign', /-=/), a('StarAssign', /\*=/), a('DivAssign', /\/=/), a('ModAssign', /%=/),
  a('AndAssign', /&=/), a('OrAssign', /\|=/), a('XorAssign', /\^=/)];

/** Binary operator categories, one per precedence level. */
export const OrOp = createToken({ name: 'OrOp', pattern: /\|\|/ });
export const AndOp = createToken({ name: 'AndOp', pattern: /&&/ });
export const BitOr = createToken({ name: 'BitOr', pattern: /\|/ });
export const BitXor = createToken({ name: 'BitXor', pattern: /\^/ });
export const BitAnd = createToken({ name: 'BitAnd', pattern: /&/ });
export const EqualityOp = createToken({ name: 'EqualityOp', pattern: /===|!==|==~|==|!=|<=>|=~/ });
export const RelOp = createToken({ name: 'RelOp', pattern: /<=|>=|<|>/ });
export const ShiftOp = createToken({ name: 'ShiftOp', pattern: /<<|>>>|>>/ });
export const RangeOp = createToken({ name: 'RangeOp', pattern: /\.\.<|\.\./ });
export const PlusPlus = p('PlusPlus', /\+\+/);
export const MinusMinus = p('MinusMinus', /--/);
export const Plus = p('Plus', /\+/);
export const Minus = p('Minus', /-/);
export const Power = p('Power', /\*\*/);
export const Star = p('Star', /\*(?!\.)/);
export const Div = p('Div', /\//);
export const Mod = p('Mod', /%/);
export const Not = p('Not', /!/);
export const Tilde = p('Tilde', /~/);
export const Elvis = p('Elvis', /\?:/);
export const SafeDot = p('SafeDot', /\?\./);
export const Question = p('Question', /\?/);
export const Colon = p('Colon', /:/);
export const SpreadDot = p('SpreadDot', /\*\./);
export const MethodRef = p('MethodRef', /\.&/);
export const AttrDot = p('AttrDot', /\.@/);
export const Dot = p('Dot', /\./);

/** Every token, longest and most specific first. */
export const ALL_TOKENS: TokenType[] = [
  WS, NL, Shebang, Comment, TripleSingle, TripleDouble, SingleQuoted, DoubleQuoted, DollarSlashy, Slashy, NumberLit,
  ...ASSIGNS, EqualityOp, Assign, OrOp, AndOp, ShiftOp, RelOp, RangeOp, SpreadDot, MethodRef, AttrDot, Dot, PlusPlus,
  MinusMinus, Arrow, Plus, Minus, Power, Star, Div, Mod, BitOr, BitXor, BitAnd, Not, Tilde, Elvis, SafeDot, Question,
  Colon, LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Semi, At,
  ...KEYWORDS.map((k) => KW[k]), Ident, AnyName, AssignOp,
];

export const GroovyLexer = new Lexer(ALL_TOKENS, { ensureOptimizations: false, positionTracking: 'full', skipValidations: true });

/** After these a newline does not end the statement (the expression continues on the next line). */
const CONTINUES = new Set(['Comma', 'Dot', 'SafeDot', 'SpreadDot', 'MethodRef', 'AttrDot', 'Arrow', 'Question', 'Elvis',
  'OrOp', 'AndOp', 'BitOr', 'BitXor', 'BitAnd', 'EqualityOp', 'RelOp', 'ShiftOp', 'RangeOp', 'Plus', 'Minus', 'Power', 'Star',
  'Div', 'Mod', 'Not', 'Tilde', 'KW_in', 'KW_instanceof', 'KW_as', 'LParen', 'LBracket', 'At']);
/** Before these a newline is ignored (`.method()` chains, `else`, `catch`, `finally`). */
const JOINS_PREVIOUS = new Set(['Dot', 'SafeDot', 'SpreadDot', 'MethodRef', 'AttrDot', 'KW_else', 'KW_catch', 'KW_finally']);

/**
 * The tokens the parser reads: comments removed (a block comment spanning lines counts as a newline) and the
 * newlines Groovy ignores dropped.
 */
export function significantTokens(tokens: readonly IToken[]): IToken[] {
  const out: IToken[] = [];
  const stack: string[] = [];
  let pendingNl: IToken | undefined;
  for (const t0 of tokens) {
    let t = t0;
    if (t.tokenType === Comment) {
      if (!/[\r\n]/.test(t.image)) continue;
      t = { ...t, tokenType: NL, image: '\n' };
    }
    const name = t.tokenType.name;
    if (name === 'NL') {
      const top = stack[stack.length - 1];
      const prev = out[out.length - 1];
      if (top === '(' || top === '[') continue;
      if (prev === undefined || prev.tokenType.name === 'NL' || CONTINUES.has(prev.tokenType.name) || prev.tokenType.categoryMatchesMap?.[AssignOp.tokenTypeIdx!]) continue;
      pendingNl = pendingNl ?? t;
      continue;
    }
    if (pendingNl) {
      if (!JOINS_PREVIOUS.has(name)) out.push(pendingNl);
      pendingNl = undefined;
    }
    if (name === 'LParen') stack.push('(');
    else if (name === 'LBracket') stack.push('[');
    else if (name === 'LBrace') stack.push('{');
    else if (name === 'RParen' || name === 'RBracket' || name === 'RBrace') stack.pop();
    out.push(t);
  }
  return out;
}
