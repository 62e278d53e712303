#!/usr/bin/env node
// `npm test`: the type check and the test suites at once. tsc is single-threaded, so running it beside jest's two
// workers uses the core it would leave idle; either failing fails the run. tsc's report is printed when it ends.
const { spawn } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
const run = (args, inherit) => new Promise((resolve) => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  let out = '';
  if (!inherit) for (const s of [child.stdout, child.stderr]) s.on('data', (d) => { out += d; });
  child.on('close', (code) => resolve({ code: code ?? 1, out }));
});

(async () => {
  const [tsc, jest] = await Promise.all([
    run([bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], false),
    run([bin('jest', 'bin/jest.js'), '--ci', ...process.argv.slice(2)], true),
  ]);
  process.stdout.write(tsc.code === 0 ? 'type check (tsc --noEmit): ok\n' : `type check (tsc --noEmit) failed:\n${tsc.out}`);
  process.exitCode = tsc.code || jest.code;
})();
