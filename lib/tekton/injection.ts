/**
 * Where Tekton substitution becomes code: `$(…)` values pasted into a `script`, or into the code argument of a
 * shell or interpreter started through `command`/`args` (`sh -c '…'`, `python3 -c '…'`, `node -e '…'`).
 */
import { scanRefs } from './expressions';

/** Prefixes whose values an attacker may control: never pasted into code. */
const INJECTABLE = new Set(['params', 'tasks', 'tt', 'inputs', 'body', 'header', 'extensions']);

/** The injectable `$(…)` references in `text`: params, task results, trigger fields and step result values. */
export function injectableRefs(text: string | undefined): string[] {
  if (!text) return [];
  return scanRefs(text)
    // `$(steps.<step>.results.<name>)` is a value; `$(steps.step-x.exitCode.path)` is a file path Tekton owns.
    .filter((r) => INJECTABLE.has(r.prefix) || (r.prefix === 'steps' && r.parts[1] === 'results'))
    .map((r) => r.text);
}

/** How one interpreter takes inline code on its command line. */
interface InterpreterForm {
  /** Single-letter flags that mark inline code (may sit in a cluster such as `-ec`). */
  readonly letters: string;
  /** Long flags that take the code as their value (`--eval code` or `--eval=code`). */
  readonly long: readonly string[];
  /** Single-letter flags that take a value: the rest of the cluster, or the next argument (`-o pipefail`). */
  readonly valued: string;
  /**
   * True for POSIX shells: `-c` only switches mode; the code is the first operand after all options,
   * and later operands are `$0`, `$1`… (the safe way to pass values).
   */
  readonly operandIsCode: boolean;
}

const SHELL: InterpreterForm = { letters: 'c', long: [], valued: 'oO', operandIsCode: true };
const PYTHON: InterpreterForm = { letters: 'c', long: [], valued: 'WXm', operandIsCode: false };
const NODE: InterpreterForm = { letters: 'ep', long: ['--eval', '--print'], valued: 'r', operandIsCode: false };
const PERL: InterpreterForm = { letters: 'eE', long: [], valued: 'IMmx', operandIsCode: false };
const RUBY: InterpreterForm = { letters: 'e', long: [], valued: 'IrCx', operandIsCode: false };
const PHP: InterpreterForm = { letters: 'r', long: [], valued: 'dcz', operandIsCode: false };
// PowerShell options are whole words (`-NoProfile`), not letter clusters.
const PWSH: InterpreterForm = { letters: '', long: ['-c', '-command', '-encodedcommand', '-ec'], valued: '', operandIsCode: false };

/** The interpreter an executable name stands for (`/bin/bash`, `python3.12`, `pwsh.exe`). */
function interpreterOf(executable: string): InterpreterForm | undefined {
  const base = executable.split('/').pop()!.toLowerCase().replace(/\.exe$/, '');
  if (/^(sh|bash|dash|ash|zsh|ksh|mksh|yash)$/.test(base)) return SHELL;
  if (/^(python|pypy)(\d+(\.\d+)?)?$/.test(base)) return PYTHON;
  if (/^(node|nodejs|bun|deno)$/.test(base)) return NODE;
  if (/^perl(\d+(\.\d+)*)?$/.test(base)) return PERL;
  if (/^ruby(\d+(\.\d+)*)?$/.test(base)) return RUBY;
  if (/^php(\d+(\.\d+)*)?$/.test(base)) return PHP;
  if (/^(pwsh|powershell)$/.test(base)) return PWSH;
  return undefined;
}

/** Launchers that run the next word as the program (`/usr/bin/env bash -c …`, `busybox sh -c …`). */
const LAUNCHERS = /^(env|busybox|exec|nice|nohup|tini|dumb-init)$/;

/** The indexes in `argv` that an interpreter runs as code. */
export function codeArgumentIndexes(argv: readonly string[]): number[] {
  let i = 0;
  // Skip launchers and their own options/assignments (`env -i FOO=1 sh -c …`, `tini -- sh -c …`).
  while (i < argv.length && LAUNCHERS.test(argv[i].split('/').pop()!)) {
    i++;
    while (i < argv.length && (argv[i].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]))) i++;
  }
  const form = i < argv.length ? interpreterOf(argv[i]) : undefined;
  if (!form) return [];
  const out: number[] = [];
  let codeMode = false;
  for (i++; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    const lower = a.toLowerCase();
    const long = form.long.find((l) => lower === l || lower.startsWith(`${l}=`));
    if (long) {
      if (lower === long) { if (i + 1 < argv.length) out.push(i + 1); i++; } else out.push(i);
      continue;
    }
    if (/^[-+][A-Za-z]/.test(a) && !a.startsWith('--') && form.letters !== '') {
      const letters = a.slice(1);
      for (let k = 0; k < letters.length; k++) {
        const last = k === letters.length - 1;
        if (form.letters.includes(letters[k])) {
          if (form.operandIsCode) { codeMode = true; continue; }
          // `-e code`, or clusters such as perl's `-lne code`; text after the flag letter is the code itself.
          const rest = letters.slice(k + 1);
          if ([...rest].every((ch) => form.letters.includes(ch))) { if (i + 1 < argv.length) out.push(i + 1); i++; } else out.push(i);
          break;
        }
        if (form.valued.includes(letters[k])) { if (last) i++; break; }
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) continue;
    // The first operand: code for `sh -c`, a script file otherwise (its arguments are data, not code).
    if (codeMode) out.push(i);
    return out;
  }
  if (codeMode && i < argv.length) out.push(i);
  return out;
}

/** The code arguments of `command` + `args` and the injectable references each holds. */
export function shellCodeInjections(command: readonly string[] | undefined, args: readonly string[] | undefined): string[] {
  if (!command?.length) return []; // the image's entrypoint is unknown here
  const argv = [...command, ...(args ?? [])];
  return codeArgumentIndexes(argv).flatMap((i) => injectableRefs(argv[i]));
}
