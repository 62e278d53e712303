/**
 * The calls an import makes, as data: one description both prints the TypeScript (`emit`) and makes the same
 * calls on the public API (`evaluate`), so the generated program and the checked model cannot drift apart.
 */
import { Duration } from '../../core';
import * as jenkins from '../../jenkins';

/** A value in a public-API call. */
export type Js =
  | { readonly k: 'lit'; readonly v: string | number | boolean }
  | { readonly k: 'arr'; readonly items: readonly Js[] }
  | { readonly k: 'obj'; readonly entries: ReadonlyArray<readonly [string, Js]> }
  /** A static call such as `jenkins.Step.sh('make')` (path from the package root). */
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Js[] }
  /** A static member such as `jenkins.PostCondition.ALWAYS`. */
  | { readonly k: 'get'; readonly path: string }
  /** `undefined`, for a leading optional parameter left out (`Step.node(undefined, [...])`). */
  | { readonly k: 'undef' };

export const lit = (v: string | number | boolean): Js => ({ k: 'lit', v });
export const arr = (items: readonly Js[]): Js => ({ k: 'arr', items });
export const call = (fn: string, ...args: Js[]): Js => ({ k: 'call', fn, args });
export const get = (path: string): Js => ({ k: 'get', path });
export const undef = (): Js => ({ k: 'undef' });
/** An object literal, leaving out undefined entries. */
export function obj(entries: ReadonlyArray<readonly [string, Js | undefined]>): Js {
  return { k: 'obj', entries: entries.filter((e): e is readonly [string, Js] => e[1] !== undefined) };
}

const ROOTS: Record<string, unknown> = { jenkins, Duration };

function resolve(path: string): { owner: any; value: any } {
  const parts = path.split('.');
  let owner: any;
  let value: any = ROOTS[parts[0]];
  for (const p of parts.slice(1)) {
    owner = value;
    value = value?.[p];
  }
  if (value === undefined) throw new Error(`no public API ${path}`);
  return { owner, value };
}

/** Makes the described calls on the public API and returns the value. */
export function evaluate(js: Js): any {
  switch (js.k) {
    case 'lit': return js.v;
    case 'undef': return undefined;
    case 'arr': return js.items.map(evaluate);
    case 'obj': return Object.fromEntries(js.entries.map(([k, v]) => [k, evaluate(v)]));
    case 'get': return resolve(js.path).value;
    case 'call': {
      const { owner, value } = resolve(js.fn);
      return (value as (...a: unknown[]) => unknown).apply(owner, js.args.map(evaluate));
    }
  }
}

const KEY = /^[A-Za-z_$][\w$]*$/;

/** TypeScript source for the value; `pad` is the indentation of the line it starts on. */
export function emit(js: Js, pad = ''): string {
  const inner = `${pad}  `;
  switch (js.k) {
    case 'lit': return typeof js.v === 'string' ? (multiline(js.v) ?? tsString(js.v)) : String(js.v);
    case 'undef': return 'undefined';
    case 'get': return js.path;
    case 'arr': {
      const items = js.items.map((x) => emit(x, inner));
      const one = `[${items.join(', ')}]`;
      return one.length <= 100 && !one.includes('\n') ? one : `[\n${items.map((x) => `${inner}${x},`).join('\n')}\n${pad}]`;
    }
    case 'obj': {
      if (js.entries.length === 0) return '{}';
      const items = js.entries.map(([k, v]) => `${KEY.test(k) ? k : tsString(k)}: ${emit(v, inner)}`);
      const one = `{ ${items.join(', ')} }`;
      return one.length <= 100 && !one.includes('\n') ? one : `{\n${items.map((x) => `${inner}${x},`).join('\n')}\n${pad}}`;
    }
    case 'call': {
      const args = js.args.map((x) => emit(x, pad));
      return `${js.fn}(${args.join(', ')})`;
    }
  }
}

/**
 * Multi-line text (a pod's YAML, a function's Groovy body) as a template literal, so it reads as the file did;
 * undefined when the text has characters a template literal would change (`\r` is read as `\n`) or hide.
 */
function multiline(s: string): string | undefined {
  if (!s.includes('\n') || /[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]/.test(s)) return undefined;
  return `\`${s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

/** A TypeScript string literal holding exactly `s` (JSON escapes are valid TypeScript; U+2028/9 escaped too). */
export function tsString(s: string): string {
  return `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'").replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

/** The package-root names a description uses (`jenkins`, `Duration`), for the import line. */
export function roots(js: Js, into: Set<string>): void {
  switch (js.k) {
    case 'call': into.add(js.fn.split('.')[0]); js.args.forEach((a) => roots(a, into)); break;
    case 'get': into.add(js.path.split('.')[0]); break;
    case 'arr': js.items.forEach((a) => roots(a, into)); break;
    case 'obj': js.entries.forEach(([, v]) => roots(v, into)); break;
    default: break;
  }
}
