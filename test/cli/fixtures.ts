/** The YAML fixtures of test/fixtures/yaml, by set, and helpers to mutate them. */
import * as fs from 'fs';
import * as path from 'path';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'yaml');

/** Input files of one set: file name (relative to the repository) → text. */
export interface Input {
  readonly file: string;
  readonly text: string;
}

/** Every file of a fixture set, sorted. */
export function fixtureSet(name: string): Input[] {
  const dir = path.join(FIXTURES, name);
  return fs.readdirSync(dir).sort().map((f) => ({
    file: path.relative(path.resolve(__dirname, '..', '..'), path.join(dir, f)),
    text: fs.readFileSync(path.join(dir, f), 'utf8'),
  }));
}

/** The set with one replacement in one file; throws if the text to replace is not there (a stale mutation). */
export function mutate(inputs: Input[], file: string, from: string, to: string): Input[] {
  let done = false;
  const out = inputs.map((i) => {
    if (!i.file.endsWith(file)) return i;
    if (!i.text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
    done = true;
    return { ...i, text: i.text.replace(from, to) };
  });
  if (!done) throw new Error(`no fixture ${file}`);
  return out;
}

/** 1-based line of the first occurrence of `marker` in the file's (mutated) text. */
export function lineOf(inputs: Input[], file: string, marker: string): number {
  const text = inputs.find((i) => i.file.endsWith(file))!.text;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${file} does not contain ${JSON.stringify(marker)}`);
  return text.slice(0, at).split('\n').length;
}
