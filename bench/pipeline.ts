/**
 * One measurement of the portable model at scale: a pipeline of N sequential stages (one run step each) lowered to a
 * Jenkinsfile and to Tekton, rendered to YAML and Groovy the way `PipelineApp.synth()` does (the app's rules run once,
 * then every generated file is rendered; only the disk writes are left out); or the floor: the same bytes from the plain documents and
 * lines (read from FLOOR_INPUT, a file the slipway run wrote with DUMP=path), through `Yaml.stringify` and a join.
 * Usage: MODE=slipway|floor N=2000 node -r ./tools/register.js bench/pipeline.ts  → one JSON line.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { App, Chart, Yaml } from 'cdk8s';
import { GeneratedFile, Node, Pipeline, Step } from '../lib';

const mode = process.env.MODE ?? 'slipway';
const n = Number(process.env.N ?? 2000);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let input: { docs: unknown[]; lines: string[] } | undefined;
if (mode === 'floor') input = JSON.parse(fs.readFileSync(process.env.FLOOR_INPUT!, 'utf8'));
const t0 = cpu();
let yaml: string;
let groovy: string;
if (mode === 'floor') {
  yaml = Yaml.stringify(...input!.docs);
  groovy = input!.lines.join('\n');
} else {
  const app = new App();
  const chart = new Chart(app, 'ci');
  const p = new Pipeline(chart, 'big', { node: new Node({ containers: [{ name: 'build', image: 'registry.example.com/build:1.0' }] }) });
  for (let i = 0; i < n; i++) p.addStage(`Stage ${i}`, { steps: [Step.run(`make stage-${i}`)] });
  p.toJenkins();
  p.toTekton();
  // What PipelineApp.synth() does in memory: cdk8s validates the app and renders the documents, then the generated
  // files (Jenkinsfile and stage graph) render without a second validation pass (synthFiles() would run one).
  const docs = chart.toJson();
  const files = new Map(app.node.findAll().filter(GeneratedFile.isGeneratedFile).map((f) => [f.path, f.render()]));
  groovy = files.get('jenkins/big.Jenkinsfile')!;
  yaml = Yaml.stringify(...docs);
  if (process.env.DUMP) fs.writeFileSync(process.env.DUMP, JSON.stringify({ docs, lines: groovy.split('\n') }));
}
const cpuMs = cpu() - t0;
console.log(JSON.stringify({
  mode, n, cpuMs, bytes: Buffer.byteLength(yaml) + Buffer.byteLength(groovy),
  sha256: createHash('sha256').update(yaml).update(groovy).digest('hex'),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
