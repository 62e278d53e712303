/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Chevrotain from 'chevrotain';
import * as path from 'path';

/**
 * chevrotain's runtime. Its package also ships the same API as one bundled file (lib/chevrotain.js); loading that
 * takes about a third of the time of its ~150 CommonJS modules (lodash among them). Falls back to the package entry
 * where the file is not found (e.g. under a bundler).
 */
export const chevrotain: typeof Chevrotain = load();

function load(): typeof Chevrotain {
  try {
    return require(path.join(path.dirname(require.resolve('chevrotain')), '..', 'chevrotain.js'));
  } catch {
    return require('chevrotain');
  }
}
