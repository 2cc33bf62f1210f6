import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const CLI = join(REPO, 'dist', 'generator', 'cli.js');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('GIVEN the zonal executable (it turns on Node\'s compile cache)', () => {
  it('WHEN NODE_COMPILE_CACHE names a folder THEN the program\'s compiled code is kept there', () => {
    const dir = join(tempDir(), 'cache');
    const r = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE: dir }, timeout: 60_000 });
    expect([r.status, r.stdout.trim()]).toEqual([0, VERSION]);
    expect(readdirSync(dir).flatMap((v) => readdirSync(join(dir, v))).length).toBeGreaterThan(0);
  });

  it('WHEN the temp folder is below /proc (Node\'s own mkdir -p loops forever there) THEN it runs without a cache instead of hanging', () => {
    if (!existsSync('/proc/self')) return; // Linux only
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: '/proc/zonal-no-cache' };
    delete env.NODE_COMPILE_CACHE;
    const r = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', env, timeout: 60_000 });
    expect([r.status, r.signal, r.stdout.trim()]).toEqual([0, null, VERSION]);
  });
});
