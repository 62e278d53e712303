import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { privateCacheDir } from '../../lib/testing/cache-dir';

// Compiled validators and the Groovy checker are loaded from this folder and run: it must be this user's alone.
const posix = typeof process.getuid === 'function';
const tmp = os.tmpdir();
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(tmp, 'slipway-cache-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
const base = () => path.join(root, posix ? `slipway-${process.getuid!()}` : 'slipway');

test('a private folder per user is made, readable and writable by that user only', () => {
  const dir = privateCacheDir('schema-validators', root);
  expect(dir).toBe(path.join(base(), 'schema-validators'));
  expect(fs.statSync(dir!).isDirectory()).toBe(true);
  if (posix) expect(fs.statSync(base()).mode & 0o777).toBe(0o700);
  expect(privateCacheDir('schema-validators', root)).toBe(dir); // and used again
});

(posix ? test : test.skip)('a folder others can write to is never used (they could plant code in it)', () => {
  fs.mkdirSync(base());
  fs.chmodSync(base(), 0o777);
  expect(privateCacheDir('schema-validators', root)).toBeUndefined();
  fs.chmodSync(base(), 0o770);
  expect(privateCacheDir('schema-validators', root)).toBeUndefined();
});

(posix ? test : test.skip)('a symbolic link in place of the folder is never followed', () => {
  const elsewhere = fs.mkdtempSync(path.join(root, 'elsewhere-'));
  fs.chmodSync(elsewhere, 0o700);
  fs.symlinkSync(elsewhere, base());
  expect(privateCacheDir('groovy-checker', root)).toBeUndefined();
});
