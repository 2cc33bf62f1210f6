import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`: creates `dir` and its missing parents. Not `mkdirSync(dir, { recursive: true })`:
 * Node's recursive mkdir loops forever where a parent exists but refuses new entries with ENOENT
 * (`--out /proc/x` hung zonal generate); here each missing folder is made once, from the top, and
 * the first refusal is thrown as the file-system error it is.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    const found = statSync(d, { throwIfNoEntry: false });
    if (found) {
      // As `mkdir -p` (and Node's recursive mkdir) reports it: a file where a folder is needed.
      if (!found.isDirectory()) throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${d}'`), { code: 'EEXIST', syscall: 'mkdir', path: d });
      break;
    }
    missing.push(d);
    if (dirname(d) === d) break;
    d = dirname(d);
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
