/**
 * The cost of the strict final-document check at synth: N microservices (Deployment + Service + autoscaling/v2 HPA +
 * PDB, as bench/scale.ts builds them) synthesized the way `cdk8s synth` does (validation, render, YAML), with the check
 * on and off (`SLIPWAY_STRICT_CHECK=0`), in separate processes, interleaved; the outputs must be byte-identical.
 *   node -r ./tools/register.js bench/strict.ts [--n 1000] [--reps 5]   → a table and one JSON line
 *   MODE=on|off N=1000 node -r ./tools/register.js bench/strict.ts      → one measurement (JSON)
 * CPU time is process CPU (`process.cpuUsage`) from the first construct to the last YAML byte; validators are loaded
 * in that time too (from the on-disk cache of compiled code, as in any synth after the first). "the check inside synth"
 * is the CPU spent in the check's calls during that synth (first calls and loading included); "the check alone" runs
 * it again on the same documents, warm.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as os from 'os';
import { App, Chart, Yaml } from 'cdk8s';
import { workloads } from '../lib';
import { strictDocumentProblems } from '../lib/testing/validate';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function measure(n: number): Record<string, unknown> {
  // The CPU the check takes inside synth, first calls and loading its data included: lib/core/strict-check.ts requires
  // the checker at the first check, so a timed wrapper in the module's cached exports is the one synth calls.
  let inSynthMs = 0;
  const cached = require.cache[require.resolve('../lib/testing/validate')]!;
  cached.exports = { ...cached.exports, strictDocumentProblems: (doc: any, size?: { chars: number }) => {
    const t = cpu();
    try {
      return strictDocumentProblems(doc, size);
    } finally {
      inSynthMs += cpu() - t;
    }
  } };
  const t0 = cpu();
  const app = new App();
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) {
    new workloads.Microservice(chart, `svc-${i}`, { image: `registry.example.com/svc-${i}:1.0.0`, autoscaling: { minReplicas: 2, maxReplicas: 10 } });
  }
  const docs = chart.toJson(); // runs the app's validations, then renders (and checks) every object
  const yaml = Yaml.stringify(...docs);
  const cpuMs = cpu() - t0;
  // The check alone, again on the same documents (validators warm): what the difference of the two modes estimates.
  const t1 = cpu();
  for (const d of docs) {
    const size = { chars: 0 };
    strictDocumentProblems(d, size);
    if (size.chars === 0 || size.chars * 12 >= 0.9 * 1.5 * 1024 * 1024) Buffer.byteLength(JSON.stringify(d));
  }
  const checkAgainMs = cpu() - t1;
  return {
    checkAgainMs: Math.round(checkAgainMs), checkInSynthMs: Math.round(inSynthMs),
    mode: process.env.SLIPWAY_STRICT_CHECK === '0' ? 'off' : 'on', n, docs: docs.length, cpuMs: Math.round(cpuMs),
    sha256: createHash('sha256').update(yaml).digest('hex'), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function once(mode: string, n: number): any {
  const r = spawnSync(process.execPath, ['-r', './tools/register.js', 'bench/strict.ts'], {
    cwd: `${__dirname}/..`, encoding: 'utf8',
    env: { ...process.env, MODE: mode, N: String(n), SLIPWAY_STRICT_CHECK: mode === 'off' ? '0' : '1' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.env.MODE) {
  console.log(JSON.stringify(measure(Number(process.env.N ?? 1000))));
} else {
  const n = Number(arg('--n', '1000'));
  const reps = Number(arg('--reps', '5'));
  once('on', 1); // warms the compiled-validator cache, as any earlier synth on the machine would
  const runs: Record<string, any[]> = { on: [], off: [] };
  for (let i = 0; i < reps; i++) for (const mode of i % 2 ? ['off', 'on'] : ['on', 'off']) runs[mode].push(once(mode, n));
  const hashes = new Set([...runs.on, ...runs.off].map((r) => r.sha256));
  if (hashes.size !== 1) throw new Error(`outputs differ with and without the check: ${[...hashes].join(', ')}`);
  const on = median(runs.on.map((r) => r.cpuMs));
  const off = median(runs.off.map((r) => r.cpuMs));
  const docs = runs.on[0].docs;
  const again = median(runs.on.map((r) => r.checkAgainMs));
  const inSynth = median(runs.on.map((r) => r.checkInSynthMs));
  const row = { n, docs, onMs: on, offMs: off, checkMs: on - off, share: (on - off) / on, checkInSynthMs: inSynth, checkInSynthShare: inSynth / on,
    checkAgainMs: again, checkAgainShare: again / on,
    perDocumentUs: Math.round((again / docs) * 1000), budget: 0.1 };
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  console.log('N | documents | synth CPU with check | without | difference | the check inside synth | the check alone (warm) | per document | budget');
  console.log(`${n} | ${docs} | ${on} ms | ${off} ms | ${on - off} ms (${pct(row.share)}) | ${inSynth} ms (${pct(row.checkInSynthShare)}) | ${again} ms (${pct(row.checkAgainShare)}) | ${row.perDocumentUs} µs | ≤ 10 %`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs: the difference of two processes is noise at this load when it is near the check's own time`);
  console.log(JSON.stringify(row));
}
