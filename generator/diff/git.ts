import { execFile, spawn } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { makeDirs } from '../fs/make-dirs.js';
import { dirname, join } from 'node:path';

/**
 * Read-only git plumbing for `zonal diff`: nothing here writes to the repository, its index or
 * its working tree (no checkout, no worktree), so it is safe on a dirty checkout.
 */
export class GitError extends Error {
  override readonly name = 'GitError';
}

function git(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, {
      cwd, env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' }, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new GitError('git is not installed or not on PATH'));
      reject(new GitError(`git ${args.join(' ')}: ${stderr.toString().trim() || err.message}`));
    });
  });
}

/** Top-level directory of the repository containing `cwd`. */
export async function repoRoot(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'], env)).toString().trim();
  } catch (err) {
    if (err instanceof GitError && /not a git repository/i.test(err.message)) {
      throw new GitError(`${cwd} is not inside a git repository (zonal diff compares against a git revision)`);
    }
    throw err;
  }
}

/** The commit a ref names, or undefined when it names none. */
export async function resolveCommit(root: string, ref: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    return (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], env)).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

interface TreeEntry { mode: string; type: string; sha: string; path: string }

/** `git ls-tree` of `paths` at `commit` (the whole tree when paths is empty or names the root). */
async function lsTree(root: string, commit: string, paths: readonly string[], env: NodeJS.ProcessEnv, recursive: boolean): Promise<TreeEntry[]> {
  const named = paths.some((p) => !p || p === '/') ? [] : paths;
  const args = ['ls-tree', '-z', '--full-tree', ...(recursive ? ['-r'] : []), commit, ...(named.length > 0 ? ['--', ...named] : [])];
  const out = (await git(root, args, env)).toString('utf8');
  return out.split('\0').filter(Boolean).map((rec) => {
    const tab = rec.indexOf('\t');
    const [mode, type, sha] = rec.slice(0, tab).split(' ') as [string, string, string];
    return { mode, type, sha, path: rec.slice(tab + 1) };
  });
}

/** Names of the directories directly below `dir` (repo-relative, '/'-separated) at `commit`. */
export async function subdirectories(root: string, commit: string, dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const entries = await lsTree(root, commit, [`${dir.replace(/\/$/, '')}/`], env, false);
  return entries.filter((e) => e.type === 'tree').map((e) => e.path.slice(e.path.lastIndexOf('/') + 1));
}

/**
 * The contents of many blobs from one `git cat-file --batch` process (one process per file made
 * zonal diff slower than reviewing by hand on charts with thousands of templates).
 */
export function readBlobs(root: string, shas: readonly string[], env: NodeJS.ProcessEnv): Promise<Buffer[]> {
  if (shas.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' } });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', (err: NodeJS.ErrnoException) => reject(new GitError(err.code === 'ENOENT' ? 'git is not installed or not on PATH' : `git cat-file: ${err.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError(`git cat-file --batch: ${stderr.trim() || `exit ${code}`}`));
      const all = Buffer.concat(chunks);
      const out: Buffer[] = [];
      let at = 0;
      for (const sha of shas) {
        const nl = all.indexOf(0x0a, at);
        const header = all.subarray(at, nl).toString('utf8').split(' ');
        if (header[0] !== sha || header[1] !== 'blob') return reject(new GitError(`git cat-file --batch: unexpected answer for ${sha}: ${header.join(' ')}`));
        const size = Number(header[2]);
        out.push(all.subarray(nl + 1, nl + 1 + size));
        at = nl + 1 + size + 1; // content, then a newline
      }
      resolve(out);
    });
    child.stdin.end(`${shas.join('\n')}\n`);
  });
}

/**
 * Writes the files below each repo-relative directory of `paths` at `commit` into `dest` (keeping
 * their repo-relative paths: `dest/<path>/...`), with one `git ls-tree` and one `git cat-file
 * --batch` for all of them, however many charts and files. A directory the commit lacks is skipped.
 */
export async function exportDirectories(root: string, commit: string, paths: readonly string[], dest: string, env: NodeJS.ProcessEnv): Promise<void> {
  const prefixes = paths.map((p) => p.replace(/\/$/, '')).map((p) => (p ? `${p}/` : ''));
  if (prefixes.length === 0) return;
  const entries = (await lsTree(root, commit, prefixes, env, true)).filter((e) => e.type === 'blob' && prefixes.some((p) => e.path.startsWith(p)));
  if (entries.length === 0) return;
  const contents = await readBlobs(root, entries.map((e) => e.sha), env);
  entries.forEach((e, i) => {
    const target = join(dest, e.path);
    makeDirs(dirname(target));
    const content = contents[i]!;
    if (e.mode === '120000') symlinkSync(content.toString('utf8'), target);
    else writeFileSync(target, content, { mode: e.mode === '100755' ? 0o755 : 0o644 });
  });
}
