import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { main } from '../../generator/main.js';
import type { CommandIO } from '../../generator/commands/command.js';
import { runCli, tempDir } from '../support/generate.js';
import { helmBinaries, REPO } from '../support/helm.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function zonal(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { cwd, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => '', env: { ...process.env, ...env } };
  const code = await main(['diff', ...args], io);
  return { code, stdout, stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=zonal-test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let repo: string;
let bin: string;
const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const helm4 = helmBinaries().find((b) => b.major === 4)!;

beforeAll(async () => {
  repo = tempDir();
  bin = tempDir();
  git(repo, 'init', '-q', '-b', 'main');
  const values = load(readFileSync(join(REPO, 'test', 'fixtures', 'values', 'adoption.yaml'), 'utf8')) as Any;
  writeFileSync(join(repo, 'values.yaml'), dump(values));
  // As users run it: from the repository root (the chart records the values file's path).
  const r = await runCli(['generate', '--values', 'values.yaml'], repo);
  if (r.code !== 0) throw new Error(r.stderr);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'first');
  // A git that logs its sub-commands, to count processes.
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$1" >> "${join(bin, 'log')}"\nexec ${realGit} "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
});
afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(bin, { recursive: true, force: true });
});

describe('GIVEN a committed chart with several template files', () => {
  it('WHEN zonal diff reads the base revision THEN it starts one git cat-file process, not one per file', async () => {
    rmSync(join(bin, 'log'), { force: true });
    const r = await zonal(['--base', 'HEAD'], repo, { ZONAL_HELM: helm4.path, PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(0);
    const calls = readFileSync(join(bin, 'log'), 'utf8').trim().split('\n');
    expect(calls.filter((c) => c === 'cat-file')).toHaveLength(1);
    expect(Number(git(repo, 'ls-tree', '-r', '--name-only', 'HEAD', 'charts/shop').split('\n').filter(Boolean).length)).toBeGreaterThan(4);
  });

  it('WHEN two charts are compared THEN the base revision of both is still read by one git cat-file process', async () => {
    execFileSync('cp', ['-r', join(repo, 'charts', 'shop'), join(repo, 'charts', 'shop-copy')]);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'second chart');
    try {
      rmSync(join(bin, 'log'), { force: true });
      const r = await zonal(['--base', 'HEAD', '--chart', 'charts/shop', '--chart', 'charts/shop-copy'], repo, { ZONAL_HELM: helm4.path, PATH: `${bin}:${process.env.PATH}` });
      expect(r.code).toBe(0);
      const calls = readFileSync(join(bin, 'log'), 'utf8').trim().split('\n');
      expect(calls.filter((c) => c === 'cat-file')).toHaveLength(1);
      expect(calls.filter((c) => c === 'ls-tree')).toHaveLength(1);
    } finally {
      git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('WHEN both sides are rendered THEN the two helm template runs overlap instead of queueing', async () => {
    // A Helm that logs when each run starts and ends and takes at least a second.
    const slow = join(bin, 'slow-helm');
    writeFileSync(slow, `#!/bin/sh\necho "start $(date +%s%N)" >> "${join(bin, 'helm.log')}"\nsleep 1\n"${helm4.path}" "$@"\nrc=$?\necho "end $(date +%s%N)" >> "${join(bin, 'helm.log')}"\nexit $rc\n`);
    chmodSync(slow, 0o755);
    rmSync(join(bin, 'helm.log'), { force: true });
    const r = await zonal(['--base', 'HEAD'], repo, { ZONAL_HELM: slow });
    expect(r.code).toBe(0);
    const events = readFileSync(join(bin, 'helm.log'), 'utf8').trim().split('\n').map((l) => l.split(' ')[0]);
    // Serial runs log start,end,start,end; parallel ones start twice before the first end.
    expect(events).toEqual(['start', 'start', 'end', 'end']);
  });

  it('WHEN the single-namespace chart is rendered THEN it is in the namespace zonal generate recorded, not "default"', async () => {
    const chart = readFileSync(join(repo, 'charts', 'shop', 'Chart.yaml'), 'utf8');
    expect(chart).toMatch(/zonal\.dev\/namespace: "shop"/);
    const v = load(readFileSync(join(repo, 'values.yaml'), 'utf8')) as Any;
    v.services[0].replicas = 6;
    writeFileSync(join(repo, 'values.yaml'), dump(v));
    await runCli(['generate', '--values', 'values.yaml'], repo);
    const r = await zonal(['--base', 'HEAD'], repo, { ZONAL_HELM: helm4.path });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/=== Deployment shop\/cart \(changed\)/);
    expect(r.stdout).not.toMatch(/default\//);
    git(repo, 'checkout', '-q', '--', '.');
  });

  it('WHEN the values file changed but the chart was not regenerated THEN zonal diff warns that the chart is stale', async () => {
    const v = load(readFileSync(join(repo, 'values.yaml'), 'utf8')) as Any;
    v.services[0].replicas = 9;
    writeFileSync(join(repo, 'values.yaml'), dump(v));
    const r = await zonal(['--base', 'HEAD', '--values', 'values.yaml'], repo, { ZONAL_HELM: helm4.path });
    expect(r.stdout).toMatch(/no differences|^---/m);
    expect(r.stderr).toMatch(/zonal diff: warning: charts\/shop is stale for values\.yaml: zonal generate would change .*\(run zonal generate first/);
    git(repo, 'checkout', '-q', '--', '.');
    const fresh = await zonal(['--base', 'HEAD', '--values', 'values.yaml'], repo, { ZONAL_HELM: helm4.path });
    expect(fresh.stderr).toBe('');
  });
});
