// Copies the non-TypeScript files the compiled library reads at run time next to their JavaScript.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
for (const file of ['lib/testing/parse.groovy']) {
  const to = path.join(root, 'build', file);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(path.join(root, file), to);
}
