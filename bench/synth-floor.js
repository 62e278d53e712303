// The physical floor of a synth: node, cdk8s, and writing the same files from plain objects (Yaml.stringify for the
// manifests, the text of the generated files as it is). Usage: node bench/synth-floor.js <input.json> <outdir>, where
// input.json is [{ path, docs } | { path, text }] (bench/run.js makes it from a real synth's output).
const fs = require('fs');
const path = require('path');
const { Yaml } = require('cdk8s');

const [input, outdir] = process.argv.slice(2);
for (const f of JSON.parse(fs.readFileSync(input, 'utf8'))) {
  const file = path.join(outdir, f.path);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, f.docs ? Yaml.stringify(...f.docs) : f.text);
}
