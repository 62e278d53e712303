// Compiles the Groovy parse checker once (skipped when the compiled copy matches the source).
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { javaBin, groovyJars, checkerDir } = require('./groovy-env');

module.exports = async function globalSetup() {
  const src = path.join(__dirname, 'parse.groovy');
  const out = checkerDir();
  const stamp = path.join(out, '.source-hash');
  const hash = crypto.createHash('sha256').update(fs.readFileSync(src)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const r = spawnSync(javaBin(), ['-cp', groovyJars().join(':'), 'org.codehaus.groovy.tools.FileSystemCompiler',
    '-d', out, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling the Groovy checker failed:\n${r.stdout}\n${r.stderr}`);
  fs.writeFileSync(stamp, hash);
};
