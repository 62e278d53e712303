#!/usr/bin/env node
// Runs bench/scale.ts for slipway and raw cdk8s-plus-28 alternately (same run, same machine) and reports
// medians and ratios; then times a cold `npx cdk8s synth` of the example repository.
// Usage: node bench/run.js [--sizes 100,1000,3000] [--reps 3] [--skip-synth]
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('--sizes', '100,1000,3000').split(',').map(Number);
const reps = Number(arg('--reps', '3'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function once(mode, n) {
  const r = spawnSync(process.execPath, ['-r', './tools/register.js', 'bench/scale.ts'],
    { cwd: root, env: { ...process.env, MODE: mode, N: String(n) }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const rows = [];
for (const n of sizes) {
  const runs = { raw: [], slipway: [] };
  for (let i = 0; i < reps; i++) for (const mode of ['raw', 'slipway']) runs[mode].push(once(mode, n));
  const m = (mode, key) => median(runs[mode].map((x) => x[key]));
  rows.push({
    n, docsRaw: runs.raw[0].docs, docsSlipway: runs.slipway[0].docs,
    rawMs: Math.round(m('raw', 'totalMs')), slipwayMs: Math.round(m('slipway', 'totalMs')),
    ratio: +(m('slipway', 'totalMs') / m('raw', 'totalMs')).toFixed(2),
    slipwayRssMB: Math.max(...runs.slipway.map((x) => x.rssMB)),
  });
}
console.table(rows);
for (let i = 1; i < rows.length; i++) {
  const growth = rows[i].slipwayMs / rows[i - 1].slipwayMs;
  const scale = rows[i].n / rows[i - 1].n;
  console.log(`growth ${rows[i - 1].n} -> ${rows[i].n} (x${scale}): time x${growth.toFixed(2)} (per-object x${(growth / scale).toFixed(2)})`);
}

if (!process.argv.includes('--skip-synth')) {
  const walls = [];
  for (let i = 0; i < reps; i++) {
    fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    const t = process.hrtime.bigint();
    const r = spawnSync('npx', ['cdk8s', 'synth'], { cwd: root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr || r.stdout);
    walls.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  console.log(`npx cdk8s synth (example repo, cold process): median ${median(walls).toFixed(2)} s of ${walls.map((w) => w.toFixed(2)).join(', ')}`);
}
