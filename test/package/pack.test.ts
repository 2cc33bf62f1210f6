import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let packDir: string;
let installDir: string;
let tarball: string;

beforeAll(() => {
  packDir = tempDir('zonal-pack-');
  installDir = tempDir('zonal-install-');
  // dist/ is built by pretest; --ignore-scripts keeps pack from rebuilding it concurrently.
  const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: REPO, encoding: 'utf8' });
  const info = JSON.parse(out) as Array<{ filename: string }>;
  tarball = join(packDir, info[0]!.filename);
}, 120_000);
afterAll(() => {
  rmSync(packDir, { recursive: true, force: true });
  rmSync(installDir, { recursive: true, force: true });
});

describe('GIVEN npm pack of zonal', () => {
  it('THEN the package is publishable: not private, a files list, a bin, and no tests or sources in the tarball', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.private).toBeUndefined();
    expect(Array.isArray(pkg.files)).toBe(true);
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toContain('package/dist/generator/cli.cjs');
    expect(files).toContain('package/schemas/zonal-values.schema.json');
    expect(files.filter((f) => /(^package\/test\/|\.test\.|\/fixtures\/|\.ts$)/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('package/dist/bench/') || f.startsWith('package/charts/'))).toEqual([]);
  });

  it('WHEN the tarball is installed into an empty folder THEN zonal generate runs from there', () => {
    writeFileSync(join(installDir, 'package.json'), JSON.stringify({ name: 'adopter', version: '1.0.0', private: true }));
    execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: installDir, encoding: 'utf8', stdio: 'pipe' });
    const zonal = join(installDir, 'node_modules', '.bin', 'zonal');
    copyFileSync(join(REPO, 'test', 'fixtures', 'values', 'adoption.yaml'), join(installDir, 'values.yaml'));
    const out = execFileSync(zonal, ['generate', '--values', 'values.yaml', '--out', 'gitops'], { cwd: installDir, encoding: 'utf8' });
    expect(out).toMatch(/wrote gitops\/charts\/shop 0\.1\.0/);
    expect(readdirSync(join(installDir, 'gitops', 'charts', 'shop', 'templates', 'services')).sort()).toEqual(['cart.yaml', 'checkout.yaml']);
    expect(execFileSync(zonal, ['--version'], { cwd: installDir, encoding: 'utf8' }).trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
    expect(execFileSync(zonal, ['schema'], { cwd: installDir, encoding: 'utf8' })).toBe(readFileSync(join(REPO, 'schemas', 'zonal-values.schema.json'), 'utf8'));
  }, 300_000);
});
