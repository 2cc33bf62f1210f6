import { describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { codeCacheFile, writeCodeCache } from '../../generator/code-cache.js';
import { syntheticValues } from '../../bench/synthetic-values.js';
import { runCli, tempDir, BUILT_CLI as CLI } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const VALUES = join(REPO, 'values', 'octank-travel.yaml');

function zonal(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 60_000 });
}

/** The environment of a run whose cache folder is `dir` (NODE_COMPILE_CACHE). */
function withCache(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_COMPILE_CACHE: dir };
}

/** The environment of a run with the default cache folder, in the temp folder `tmp`. */
function withTmp(tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.NODE_COMPILE_CACHE;
  return env;
}

const codeCaches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8')).sort();
const filesBelow = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name), 'utf8')]));

describe('GIVEN the zonal executable (it keeps compiled code between runs)', () => {
  it('WHEN NODE_COMPILE_CACHE names a folder THEN Node\'s compile cache and one V8 code cache per command are kept there', () => {
    const dir = join(tempDir(), 'cache');
    const r = zonal(['--version'], withCache(dir));
    expect([r.status, r.stdout.trim()]).toEqual([0, VERSION]);
    expect(readdirSync(dir).filter((f) => !f.endsWith('.v8')).flatMap((v) => readdirSync(join(dir, v))).length).toBeGreaterThan(0);
    const out = tempDir();
    expect(zonal(['generate', '--values', VALUES, '--out', out], withCache(dir)).status).toBe(0);
    expect(codeCaches(dir).map((f) => f.replace(/^zonal-[0-9a-f]{24}-/, ''))).toEqual(['generate.v8', 'main.v8']);
  });

  it('WHEN a later run uses the cache THEN it writes the very files the first run wrote, and leaves the cache as it was', () => {
    const dir = join(tempDir(), 'cache');
    const [first, second] = [tempDir(), tempDir()];
    expect(zonal(['generate', '--values', VALUES, '--out', first], withCache(dir)).status).toBe(0);
    const [file] = codeCaches(dir);
    const made = statSync(join(dir, file!)).mtimeMs;
    const r = zonal(['generate', '--values', VALUES, '--out', second], withCache(dir));
    expect(r.status).toBe(0);
    expect(filesBelow(second)).toEqual(filesBelow(first));
    expect([codeCaches(dir), statSync(join(dir, file!)).mtimeMs]).toEqual([[file], made]);
  });

  it('WHEN the cache file is damaged THEN V8 refuses it, the run succeeds and a new cache replaces it', () => {
    const dir = join(tempDir(), 'cache');
    const first = zonal(['lint', '--values', VALUES], withCache(dir));
    expect(first.status).toBe(0);
    const [file] = codeCaches(dir);
    writeFileSync(join(dir, file!), Buffer.from('not a V8 code cache'.repeat(100)));
    const r = zonal(['lint', '--values', VALUES], withCache(dir));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, first.stdout, first.stderr]);
    expect(readFileSync(join(dir, file!)).toString('latin1')).not.toContain('not a V8 code cache');
  });

  it('WHEN a run fails, or its first argument is no command THEN no cache is written for it', () => {
    const dir = join(tempDir(), 'cache');
    expect(zonal(['generate', '--values', join(tempDir(), 'missing.yaml')], withCache(dir)).status).toBe(2);
    expect(zonal(['../../escape'], withCache(dir)).status).toBe(2);
    expect(zonal(['nosuchcommand'], withCache(dir)).status).toBe(2);
    expect(codeCaches(dir)).toEqual([]);
  });

  it('WHEN the default cache folder is somebody else\'s (others may write to it, or it is a link) THEN zonal neither reads nor writes it', () => {
    if (process.getuid === undefined) return;
    for (const plant of ['open folder', 'link'] as const) {
      const tmp = tempDir();
      const cache = join(tmp, `zonal-cache-${process.getuid()}`);
      const target = join(tmp, 'elsewhere');
      mkdirSync(target);
      if (plant === 'link') symlinkSync(target, cache);
      else {
        mkdirSync(cache);
        chmodSync(cache, 0o777);
      }
      const r = zonal(['--version'], withTmp(tmp));
      expect([plant, r.status, r.stdout.trim()]).toEqual([plant, 0, VERSION]);
      expect([plant, readdirSync(target), plant === 'link' ? [] : readdirSync(cache)]).toEqual([plant, [], []]);
    }
  });

  it('WHEN the temp folder is the default THEN the cache folder is made private to the user', () => {
    if (process.getuid === undefined) return;
    const tmp = tempDir();
    expect(zonal(['--version'], withTmp(tmp)).status).toBe(0);
    const dir = join(tmp, `zonal-cache-${process.getuid()}`);
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect(codeCaches(dir)).toHaveLength(1);
  });

  it('WHEN the temp folder is below /proc (Node\'s own mkdir -p loops forever there) THEN it runs without a cache instead of hanging', () => {
    if (!existsSync('/proc/self')) return; // Linux only
    const r = zonal(['--version'], withTmp('/proc/zonal-no-cache'));
    expect([r.status, r.signal, r.stdout.trim()]).toEqual([0, null, VERSION]);
  });
});

describe('GIVEN the executable run by its path, as npx and npm\'s bin links run it', () => {
  it('WHEN it starts THEN its #! line runs the Node on PATH with V8\'s thread pool sized to the machine (--v8-pool-size=0), and the command runs', () => {
    expect(readFileSync(CLI, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env -S node --v8-pool-size=0');
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const r = spawnSync(CLI, ['--version'], { encoding: 'utf8', env, timeout: 60_000 });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${VERSION}\n`, '']);
  });
});

describe('GIVEN a cache folder with code caches of other builds (writeCodeCache)', () => {
  it('WHEN a new cache is written THEN only that command\'s caches of other builds made over a day ago go; younger ones and files zonal did not write stay', () => {
    const dir = tempDir();
    const old = join(dir, `zonal-${'a'.repeat(24)}-generate.v8`);
    const young = join(dir, `zonal-${'b'.repeat(24)}-generate.v8`);
    const otherCommand = join(dir, `zonal-${'c'.repeat(24)}-lint.v8`);
    const foreign = join(dir, 'zonal-notes.v8');
    for (const f of [old, young, otherCommand, foreign]) writeFileSync(f, 'x');
    const twoDaysAgo = (Date.now() - 48 * 3600 * 1000) / 1000;
    for (const f of [old, otherCommand, foreign]) utimesSync(f, twoDaysAgo, twoDaysAgo);
    const file = codeCacheFile(dir, { buildHash: 'ab'.repeat(32), size: 7, mtimeMs: 1 }, 'generate');
    writeCodeCache(file, Buffer.from('cache'));
    expect(readdirSync(dir).sort()).toEqual([file, young, otherCommand, foreign].map((f) => f.slice(dir.length + 1)).sort());
    expect(readFileSync(file, 'utf8')).toBe('cache');
  });
});

describe('GIVEN the name of a code cache (codeCacheFile)', () => {
  const program = { buildHash: '0123456789abcdef'.repeat(4), size: 2_100_000, mtimeMs: 1_796_000_000_000.5 };

  it('WHEN the program is the same THEN the name is too, with a 24-digit id and the command', () => {
    expect(codeCacheFile('/c', program, 'generate')).toBe(codeCacheFile('/c', { ...program }, 'generate'));
    expect(codeCacheFile('/c', program, 'lint')).toMatch(/^\/c\/zonal-0123456789abcdef[0-9a-f]{8}-lint\.v8$/);
  });

  it('WHEN another build, or the same bundle edited in place (V8 checks only the length), is run THEN the name differs', () => {
    const name = codeCacheFile('/c', program, 'generate');
    for (const other of [{ buildHash: `f${program.buildHash.slice(1)}` }, { size: program.size + 1 }, { mtimeMs: program.mtimeMs + 0.001 }]) {
      expect([other, codeCacheFile('/c', { ...program, ...other }, 'generate')]).not.toEqual([other, name]);
    }
  });
});

describe('GIVEN the executable ends its process as soon as the command is done (whenWritten)', () => {
  it('WHEN a command prints far more than a pipe holds THEN all of it arrives, as the command wrote it, with its exit code', async () => {
    const values = join(tempDir(), 'values.yaml');
    writeFileSync(values, syntheticValues(300, 60));
    const r = spawnSync(process.execPath, [CLI, 'simulate', '--values', values, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 60_000 });
    const inProcess = await runCli(['simulate', '--values', values, '--json']);
    expect(r.stdout.length).toBeGreaterThan(512 * 1024);
    expect([r.status, r.stdout, r.stderr]).toEqual([inProcess.code, inProcess.stdout, inProcess.stderr]);
    const missing = join(tempDir(), 'missing.yaml');
    const bad = spawnSync(process.execPath, [CLI, 'lint', '--values', missing], { encoding: 'utf8' });
    expect([bad.status, bad.stderr]).toEqual([2, (await runCli(['lint', '--values', missing])).stderr]);
  }, 120_000);
});

describe('GIVEN where stdout goes (std-output.ts writes to pipes and files itself, and through Node\'s stream otherwise)', () => {
  const values = () => {
    const file = join(tempDir(), 'values.yaml');
    writeFileSync(file, syntheticValues(300, 60));
    return file;
  };

  it('WHEN stdout is a file, or /dev/null (a character device: Node\'s stream) THEN the file holds exactly what the command printed', async () => {
    const file = values();
    const inProcess = await runCli(['simulate', '--values', file, '--json']);
    const out = join(tempDir(), 'out.json');
    const fd = openSync(out, 'w');
    const toFile = spawnSync(process.execPath, [CLI, 'simulate', '--values', file, '--json'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 60_000 });
    closeSync(fd);
    expect([toFile.status, readFileSync(out, 'utf8'), toFile.stderr]).toEqual([0, inProcess.stdout, '']);
    const toNull = spawnSync(process.execPath, [CLI, 'simulate', '--values', file, '--json'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 60_000 });
    expect([toNull.status, toNull.stderr]).toEqual([0, '']);
  }, 120_000);

  it('WHEN stdout is a non-blocking pipe that fills up (write(2) says EAGAIN) THEN the rest goes through Node\'s stream and all of it arrives, in order', async () => {
    const file = values();
    const inProcess = await runCli(['simulate', '--values', file, '--json']);
    // Opening fd 1 as a libuv pipe makes it non-blocking, as a parent sharing the pipe may have done.
    // argv is [node, '-', 'simulate', ...], as the launcher expects: the command is argv[2].
    const wrapper = `new (require('node:net').Socket)({ fd: 1, readable: false, writable: true }).unref(); require(${JSON.stringify(CLI)});`;
    const child = spawn(process.execPath, ['-e', wrapper, '-', 'simulate', '--values', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the pipe (64 KiB) is full by now
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.length).toBeGreaterThan(512 * 1024);
    expect(stdout).toEqual(inProcess.stdout);
  }, 120_000);
});

describe('GIVEN a reader that stops reading early (zonal simulate --json | head)', () => {
  it('WHEN it closes the pipe THEN zonal ends quietly with exit code 0: no unhandled-error trace', async () => {
    const values = join(tempDir(), 'values.yaml');
    writeFileSync(values, syntheticValues(300, 60));
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, [CLI, 'simulate', '--values', values, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect([code, stderr]).toEqual([0, '']);
    }
  }, 120_000);
});
