import { Chart, Testing } from 'cdk8s';

/** Synthesizes `chart` and returns the validation error text ('' when it synthesizes). */
export function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
    return '';
  } catch (e: any) {
    return e.message;
  }
}

/** Asserts synth fails with `rule`, naming the construct `path`, and each fragment (upstream text, bad value, fix). */
export function expectRule(chart: Chart, rule: string, path: string, ...fragments: string[]): void {
  const msg = synthError(chart);
  const lines = msg.split('\n').filter((l) => l.includes(`(rule: ${rule})`));
  if (lines.length === 0) throw new Error(`expected rule ${rule}, got:\n${msg || '(no error)'}`);
  const line = lines.find((l) => fragments.every((f) => l.includes(f))) ?? lines[0];
  expect(line).toContain(`[${path}]`);
  expect(line).toMatch(/\. fix: \S/);
  for (const f of fragments) expect(line).toContain(f);
}

/** Asserts `fn` throws eagerly with `rule` at `path`. */
export function expectEager(fn: () => unknown, rule: string, path: string, ...fragments: string[]): void {
  let err: any;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (!err) throw new Error(`expected rule ${rule} to throw`);
  expect(err.rule).toBe(rule);
  expect(err.message).toContain(`[${path}]`);
  for (const f of fragments) expect(err.message).toContain(f);
}
