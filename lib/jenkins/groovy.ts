/**
 * The one place where text becomes Groovy source. Every user value goes through `quote()` (single-quoted
 * literals, research/jenkins.md §3.3); identifiers are validated, never escaped; GStrings are only built
 * from `Text` (literal parts escaped, references from an allow-listed grammar).
 */
import { Names } from '../core';

/**
 * A single-quoted Groovy literal holding exactly `s`. Backslashes are doubled first, so no run of backslashes
 * can start a unicode escape (`\u0027`) or a line continuation; every `'` is escaped, so nothing can close the
 * literal; CR and LF become escapes, so the lexer cannot normalise them.
 */
export function singleQuoted(s: string): string {
  if (!SINGLE_QUOTE_SPECIAL.test(s)) return `'${s}'`;
  return `'${surrogates(s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r'))}'`;
}

/** A UTF-16 code unit that is half of a pair with no other half: UTF-8 (the file's encoding) cannot hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same pattern without the global flag (no `lastIndex` state), compiled once. */
const LONE_SURROGATE_ONCE = new RegExp(LONE_SURROGATE.source);
/** Any surrogate code unit: text without one (nearly all) needs no further look. */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
/** Characters the single-quote escaper changes; text without them is written as it is. */
const SINGLE_QUOTE_SPECIAL = /[\\'\n\r\uD800-\uDFFF]/;

/**
 * Writes lone surrogates as `\uD83D` escapes, which Groovy turns back into the same code unit. Runs after the
 * backslashes are doubled, so the escape's own backslash is never part of a user's backslash run.
 */
function surrogates(s: string): string {
  return s.replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** True if `s` holds a lone UTF-16 surrogate (text that cannot be written as UTF-8). */
export function hasLoneSurrogate(s: string): boolean {
  return ANY_SURROGATE.test(s) && LONE_SURROGATE_ONCE.test(s);
}


/**
 * A triple-single-quoted literal holding exactly `s`, for multi-line text (scripts, pod YAML). LF stays a real
 * newline so scripts read naturally; CR is escaped because Groovy would normalise CRLF to LF. Because the text
 * starts right after the opening quotes, a shebang stays the first character of the script.
 */
export function tripleSingleQuoted(s: string): string {
  return `'''${surrogates(s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r'))}'''`;
}

/** The literal form for `s`: `'…'` for one line, `'''…'''` when it contains a newline. */
export function quote(s: string): string {
  return s.includes('\n') ? tripleSingleQuoted(s) : singleQuoted(s);
}

/** Escapes a literal piece of a GString the generator builds (`"…${ref}…"`): `\`, `"`, `$`, CR and LF. */
export function gstringLiteralPart(s: string): string {
  return surrogates(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, () => '\\$')
    .replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
}

/** True if `s` can be emitted as a bare Groovy identifier (env keys, axis names, variables). */
export function isIdentifier(s: string): boolean {
  return Names.isIdentifier(s) && !RESERVED.has(s);
}

/** True if `s` is a Groovy keyword or literal (`def`, `in`, `class`, `null`, `true`, …), which cannot name a call. */
export function isGroovyKeyword(s: string): boolean {
  return RESERVED.has(s);
}

/** Groovy keywords and literals that are not usable as bare names (Groovy 2.4 lexer). */
const RESERVED = new Set([
  'as', 'assert', 'break', 'case', 'catch', 'class', 'const', 'continue', 'def', 'default', 'do', 'else', 'enum',
  'extends', 'false', 'finally', 'for', 'goto', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'new',
  'null', 'package', 'return', 'super', 'switch', 'this', 'throw', 'throws', 'trait', 'true', 'try', 'while',
]);

/**
 * A reference the generator may put inside a GString: `env.NAME`, `params.NAME`, a bare variable such as a
 * matrix axis (`NAME`), or a `currentBuild` property. Names are validated identifiers, never user text.
 */
export class Ref {
  /** `${env.NAME}`: an environment variable of the build. */
  public static env(name: string): Ref {
    return new Ref('env', name);
  }

  /** `${params.NAME}`: a build parameter. */
  public static param(name: string): Ref {
    return new Ref('params', name);
  }

  /** `${NAME}`: a bare variable in scope, such as a matrix axis or an `input` parameter. */
  public static variable(name: string): Ref {
    return new Ref('', name);
  }

  /** `${currentBuild.PROPERTY}`, e.g. `number`, `displayName`, `currentResult`, `durationString`. */
  public static currentBuild(property: string): Ref {
    return new Ref('currentBuild', property);
  }

  private constructor(
    /** The object the name is read from (`env`, `params`, `currentBuild`) or '' for a bare variable. */
    public readonly owner: string,
    /** The variable or property name (validated at synth). */
    public readonly name: string,
  ) {}

  /** The Groovy expression, e.g. `env.BUILD_URL`. */
  public toGroovy(): string {
    return this.owner ? `${this.owner}.${this.name}` : this.name;
  }
}

/**
 * Text made of literal pieces and {@link Ref}s, rendered as a GString (`"v${env.BUILD_NUMBER}"`) only when it
 * holds a reference; otherwise as a single-quoted literal. Use it where Jenkins reads a value at run time
 * (labels, messages, environment values); never for scripts (use `$VAR` in a single-quoted `sh` instead).
 */
export class Text {
  /** Concatenates literal strings and references, in order. */
  public static of(...parts: Array<string | Ref>): Text {
    return new Text(parts);
  }

  /** The literal and reference pieces, in order. */
  public readonly parts: ReadonlyArray<string | Ref>;

  private constructor(parts: Array<string | Ref>) {
    this.parts = [...parts];
  }

  /** The references this text reads. */
  public get refs(): Ref[] {
    return this.parts.filter((p): p is Ref => p instanceof Ref);
  }
}
