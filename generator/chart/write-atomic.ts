import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { FileTree } from './chart-files.js';

/** Reads every file below `dir` into a tree (relative paths, '/' separated); undefined if absent. */
export function readTree(dir: string): Record<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * Replaces several directories at once: each new tree is written completely into a temporary
 * sibling first, and only when all are written are they renamed into place. A failure while
 * writing leaves every previous directory untouched.
 */
export function replaceDirectories(targets: ReadonlyArray<{ dir: string; files: FileTree }>): void {
  const staged: Array<{ dir: string; tmp: string }> = [];
  const tag = `${process.pid}-${Date.now()}`;
  try {
    for (const { dir, files } of targets) {
      mkdirSync(dirname(dir), { recursive: true });
      const tmp = join(dirname(dir), `.${basename(dir)}.zonal-tmp-${tag}`);
      staged.push({ dir, tmp });
      for (const [path, content] of Object.entries(files)) {
        const file = join(tmp, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      if (Object.keys(files).length === 0) mkdirSync(tmp, { recursive: true });
    }
  } catch (err) {
    for (const { tmp } of staged) rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  for (const { dir, tmp } of staged) {
    const old = join(dirname(dir), `.${basename(dir)}.zonal-old-${tag}`);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  }
}
