import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A folder for compiled code (ajv validators, the Groovy checker) that later processes load and run, under the temp
 * directory but private to this user: a folder another local user made or can write to would let them plant code
 * there, so it is used only if it is a real directory owned by this user that nobody else can write.
 * @returns the folder (created if missing), or undefined when no such folder can be had; callers then keep what they
 * compile in memory
 */
export function privateCacheDir(name: string, tmp: string = os.tmpdir()): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  // Windows' temp directory is already per user.
  const base = path.join(tmp, uid === undefined ? 'slipway' : `slipway-${uid}`);
  try {
    fs.mkdirSync(base, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = fs.lstatSync(base);
    if (!st.isDirectory() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) return undefined;
    const dir = path.join(base, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return undefined;
  }
}
