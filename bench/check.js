/**
 * `slipway check` throughput: writes a folder of about 1,000 YAML documents (copies of the repository's own YAML
 * fixtures, each copy with its object names suffixed so the copies do not clash in one app) to a temp dir, checks
 * it as one app, and prints documents per CPU-second (process user + system time of the check alone, after the
 * module load). Usage: `node bench/check.js [documents]` → one JSON line. kubeconform's published figure (50,000
 * documents in 6.7 s on 4 cores) is about 1,900 documents per core-second.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
require('../tools/register.js');

const target = Number(process.argv[2] ?? 1000);
const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'yaml');
const SETS = ['tekton', 'forms', 'mesh', 'serverless', 'rollouts', 'other'];
const { parseAllDocuments } = require('yaml');

/** Each set's files and the object names they define. */
const sets = SETS.map((set) => {
  const files = fs.readdirSync(path.join(FIXTURES, set)).sort().map((f) => ({ name: f, text: fs.readFileSync(path.join(FIXTURES, set, f), 'utf8') }));
  const names = new Set();
  let documents = 0;
  for (const f of files) {
    for (const d of parseAllDocuments(f.text)) {
      const v = d.toJS();
      documents++;
      if (v?.metadata?.name) names.add(String(v.metadata.name));
    }
  }
  // longest first, so `api-canary` is renamed before `api`
  const pattern = new RegExp(`(?<![A-Za-z0-9.-])(${[...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![A-Za-z0-9])`, 'g');
  return { set, files, documents, pattern };
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-check-bench-'));
let written = 0;
for (let copy = 0; written < target; copy++) {
  for (const s of sets) {
    if (written >= target) break;
    const out = path.join(dir, `${s.set}-${copy}`);
    fs.mkdirSync(out);
    for (const f of s.files) fs.writeFileSync(path.join(out, f.name), f.text.replace(s.pattern, (n) => `${n}-c${copy}`));
    written += s.documents;
  }
}

const { checkPaths } = require('../lib/cli/check');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const t0 = cpu();
const report = checkPaths([dir]);
const seconds = cpu() - t0;
fs.rmSync(dir, { recursive: true, force: true });
if (process.env.SHOW) for (const d of report.diagnostics.slice(0, Number(process.env.SHOW))) console.error(`${d.file}:${d.line}: ${d.rule}: ${d.message}`);
const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
console.log(JSON.stringify({
  documents: report.documents.length, files: report.files.length, errors, warnings: report.diagnostics.length - errors,
  cpuSeconds: Number(seconds.toFixed(3)), documentsPerCpuSecond: Math.round(report.documents.length / seconds),
}));
