#!/usr/bin/env node
// Packs slipway, installs the tarball into fresh cdk8s projects pinned at the peer-dependency floors and at the
// newest versions, type-checks and runs the README's install example there, and checks that a cdk8s outside the
// supported range is refused by npm's peer check instead of installing a second copy.
// Usage: npm run test:package [-- --only floor|latest|mismatch]   (needs the npm registry; about a minute a project)
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const pkg = require(path.join(root, 'package.json'));
const semverCompare = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
// The lowest published version in a peer range (the registry does not have every patch release).
const floor = (name) => {
  const found = JSON.parse(execFileSync('npm', ['view', `${name}@${pkg.peerDependencies[name]}`, 'version', '--json'], { encoding: 'utf8' }));
  return Array.isArray(found) ? found.sort(semverCompare)[0] : found;
};
const peers = () => Object.fromEntries(Object.keys(pkg.peerDependencies).map((n) => [n, floor(n)]));

// `--try cdk8s@2.69.0,constructs@10.3.0` adds a project pinned at those versions (to look for the floors).
function projectsToRun() {
  const floors = peers();
  const out = {
    floor: floors,
    latest: { cdk8s: 'latest', constructs: 'latest', 'cdk8s-plus-28': 'latest' },
    mismatch: { ...floors, cdk8s: '2.60.0', expectRefusal: true },
  };
  const i = process.argv.indexOf('--try');
  if (i > 0) out.try = { ...floors, ...Object.fromEntries(process.argv[i + 1].split(',').map((p) => [p.slice(0, p.lastIndexOf('@')), p.slice(p.lastIndexOf('@') + 1)])) };
  return out;
}

// The README's install example (kept in step with README.md by test/docs.test.ts reading the same file).
const example = fs.readFileSync(path.join(__dirname, 'example', 'main.ts'), 'utf8');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  return { ok: r.status === 0, out: `${r.stdout}\n${r.stderr}` };
}

function main() {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-package-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }))[0];
  const tarball = path.join(work, packed.filename);
  console.log(`packed ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.entryCount} files`);
  let failed = 0;
  for (const [name, versions] of Object.entries(projectsToRun())) {
    if (only && only !== name) continue;
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    const { expectRefusal, ...deps } = versions;
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
      name: `try-${name}`, private: true,
      dependencies: { slipway: `file:${tarball}`, ...deps },
      devDependencies: { typescript: pkg.devDependencies.typescript, '@types/node': pkg.devDependencies['@types/node'] },
    }, null, 2));
    const install = run('npm', ['install', '--no-audit', '--no-fund'], dir);
    if (expectRefusal) {
      const refused = !install.ok && /ERESOLVE|peer/i.test(install.out);
      console.log(`${name} (cdk8s ${deps.cdk8s}): ${refused ? 'refused by npm\'s peer check, as it should be' : 'NOT refused'}`);
      if (!refused) failed++;
      continue;
    }
    if (!install.ok) {
      console.log(`${name} (${JSON.stringify(deps)}): npm install failed\n${install.out.slice(-3000)}`);
      failed++;
      continue;
    }
    const got = Object.fromEntries(Object.keys(deps).map((d) => [d, require(path.join(dir, 'node_modules', d, 'package.json')).version]));
    const copies = run('npm', ['ls', 'cdk8s', 'constructs', '--all', '--parseable'], dir).out.split('\n').filter((l) => l.startsWith('/') && /node_modules\/(cdk8s|constructs)$/.test(l.trim()));
    const copiesOf = new Set(copies).size;
    fs.writeFileSync(path.join(dir, 'main.ts'), example);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\noutput: dist\n');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: ['node'] }, files: ['main.ts'] }));
    const tsc = run(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', '.'], dir);
    const synth = tsc.ok ? run('node', ['main.js'], dir) : { ok: false, out: tsc.out };
    const written = synth.ok ? fs.readdirSync(path.join(dir, 'dist'), { recursive: true }).map(String).filter((f) => f.includes('.')).sort() : [];
    const ok = synth.ok && written.includes('jenkins/web.Jenkinsfile') && written.some((f) => f.endsWith('.k8s.yaml')) && copiesOf === 2;
    console.log(`${name} (${Object.entries(got).map(([k, v]) => `${k} ${v}`).join(', ')}): ${ok ? 'ok' : 'FAILED'}; ${copiesOf === 2 ? 'one copy each of cdk8s and constructs' : `${copiesOf} copies of cdk8s/constructs`}; wrote ${written.join(', ')}`);
    if (!ok) {
      console.log(synth.out, copies.join('\n'));
      failed++;
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

main();
