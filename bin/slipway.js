#!/usr/bin/env node
// The `slipway` command. In a clone it runs the TypeScript sources through the repository's swc loader; in the
// installed package it runs the compiled build. It loads the command's entry point only (each command loads what it uses).
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', 'lib', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require(path.join(__dirname, '..', 'tools', 'register.js'));
  cli = require(source);
} else {
  cli = require(path.join(__dirname, '..', 'build', 'lib', 'cli', 'main.js'));
}
process.exitCode = cli.run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});
