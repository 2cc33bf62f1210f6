import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { makeDirs } from './make-dirs.js';

/**
 * Writes one file so that a reader sees the old content or the new, never half of it: the text goes
 * to a new temporary sibling (same directory, so the rename stays on one file system), is flushed,
 * and is renamed over the target. On failure the temporary file is removed and the target is left
 * as it was. Errors are the file system's (the CLI turns them into input errors naming the flag).
 */
export function writeFileAtomic(path: string, text: string): void {
  makeDirs(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.zonal-tmp-${process.pid}-${Date.now()}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx'); // exclusive: never follows or reuses an existing file
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}
