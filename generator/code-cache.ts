/**
 * Where the `zonal` executable (cli.ts) keeps compiled code between runs, and the V8 code cache of
 * the bundled program. Node's module compile cache stores a module's code as compiled before it
 * runs, so every function V8 compiles lazily (most of zonal's) is parsed and compiled again on each
 * run: a third of a small `zonal generate`. A code cache made after a command has run holds those
 * functions too. There is one per command, made by that command's first successful run: one made by
 * `zonal --help` would hold none of `generate`'s functions and would never be replaced.
 *
 * A code cache is code: one planted by somebody else runs as the user. So the default folder is
 * private (made 0700, used only when this user owns it and nobody else may write to it), and a
 * file's name tells the program and the Node it was made for (codeCacheFile); V8 itself refuses a
 * cache of another V8 version or other flags, and zonal then makes a new one.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { makeDirs } from './fs/make-dirs.js';

/**
 * The cache folder: NODE_COMPILE_CACHE when set (the user's choice, taken as is), else
 * `zonal-cache-<uid>` in the OS temp folder, private to this user. Undefined when it cannot be
 * made or is not safe to use; zonal then runs without a cache.
 */
export function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  try {
    if (env.NODE_COMPILE_CACHE) {
      makeDirs(env.NODE_COMPILE_CACHE);
      return env.NODE_COMPILE_CACHE;
    }
    const uid = process.getuid?.();
    if (uid === undefined) return undefined;
    const dir = join(tmpdir(), `zonal-cache-${uid}`);
    // Made here, parents first: Node's own mkdir -p loops forever below /proc (TMPDIR=/proc/x).
    makeDirs(dirname(dir));
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // lstat: a link planted in its place is refused like a folder of somebody else's.
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The bundled program a code cache belongs to. */
export interface ProgramId {
  /** sha256 of the bundle's bytes, taken by the build (scripts/tools/bundle-cli.mjs). */
  readonly buildHash: string;
  /** The bundle file's size and modification time now: a bundle edited after the build is another program. */
  readonly size: number;
  readonly mtimeMs: number;
}

/** 32-bit FNV-1a of a short string, as 8 hex digits (a file name, not a guard: the folder is private). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The code cache file of `command` for this program on this Node. V8 checks a cache only against
 * the source's length, so the name must change with the content: the build's hash tells builds
 * apart (npm gives every installed file the same modification time), the size and modification
 * time tell a bundle edited in place. Hashing the 2 MB bundle on every run instead cost more
 * than loading it (node:crypto alone is some 7 ms of start-up).
 */
export function codeCacheFile(dir: string, program: ProgramId, command: string): string {
  const id = `${program.buildHash.slice(0, 16)}${fnv1a(`${process.version} ${process.arch} ${program.size} ${program.mtimeMs}`)}`;
  return join(dir, `zonal-${id}-${command}.v8`);
}

/** A code cache's file name, as codeCacheFile makes it; group 1 is the command. */
const CACHE_FILE_NAME = /^zonal-[0-9a-f]{24}-([a-z]+)\.v8$/;

/** The cache's bytes, or undefined when there is none (or it cannot be read). */
export function readCodeCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Caches of other builds older than this are removed when a new cache is written. */
const STALE_MS = 24 * 3600 * 1000;

/**
 * Writes the cache as one rename, so that concurrent runs (jest workers, CI jobs) read an old
 * cache or a new one, never half of one, and removes this command's caches of other builds made
 * more than a day ago (each build of zonal would otherwise leave a megabyte per command behind;
 * younger ones may belong to another checkout in use, which would otherwise make them take turns
 * deleting each other's). A cache that cannot be written is no error: the next run compiles again.
 */
export function writeCodeCache(file: string, data: Buffer, now = Date.now()): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
    const command = CACHE_FILE_NAME.exec(basename(file))?.[1];
    for (const f of readdirSync(dirname(file))) {
      if (f === basename(file) || CACHE_FILE_NAME.exec(f)?.[1] !== command) continue;
      const other = join(dirname(file), f);
      if (now - lstatSync(other).mtimeMs > STALE_MS) unlinkSync(other);
    }
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}
