import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
  const io: CommandIO = {
    cwd, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => '', env: { ...process.env, ...env },
  };
  const code = await main(['diff', ...args], io);
  return { code, stdout, stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=zonal-test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const example = () => load(readFileSync(join(REPO, 'values', 'octank-travel.yaml'), 'utf8')) as Any;

async function generate(repo: string, values: Any): Promise<void> {
  writeFileSync(join(repo, 'values.yaml'), dump(values));
  const r = await runCli(['generate', '--values', join(repo, 'values.yaml'), '--out', repo]);
  if (r.code !== 0) throw new Error(`generate failed: ${r.stderr}`);
}

/** What must stay untouched by `zonal diff`: status, index and every tracked file. */
function snapshot(repo: string): string {
  return git(repo, 'status', '--porcelain', '--untracked-files=all') + git(repo, 'ls-files', '-s') + git(repo, 'diff');
}

let repo: string;

/**
 * A repository with two commits: 1) the bundled example (chart 0.1.0), 2) a stricter outlier
 * threshold for zip-lookup-service and a new external host `redis` (chart 0.1.1).
 */
beforeAll(async () => {
  repo = tempDir();
  git(repo, 'init', '-q', '-b', 'main');
  const v1 = example();
  await generate(repo, v1);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'first');
  const v2 = example();
  v2.services[0].outlierDetection.consecutive5xxErrors = 9;
  v2.externalHosts.push({
    name: 'redis', namespace: 'octank-travel-ns', host: 'cache.octank.usw2.cache.amazonaws.com', protocol: 'TCP', port: 6379,
    endpoints: [{ address: 'cache-001.octank.usw2.cache.amazonaws.com', zone: 'us-west-2a' }, { address: 'cache-002.octank.usw2.cache.amazonaws.com', zone: 'us-west-2b' }],
  });
  await generate(repo, v2);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'second');
});

describe.each(helmBinaries())('GIVEN a git repo with two commits of a generated chart WHEN zonal diff runs with Helm $major', (bin) => {
  const env = { ZONAL_HELM: bin.path };

  it('THEN --base HEAD~1 shows the version bump, the changed DestinationRule and the added objects, exit 1', async () => {
    const r = await zonal(['--base', 'HEAD~1'], repo, env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('chart octank-travel: 0.1.0 -> 0.1.1\n');
    expect(r.stdout).toContain('=== DestinationRule octank-travel-ns/zip-lookup-service (changed)\n');
    expect(r.stdout).toMatch(/\n-\s+consecutive5xxErrors: 7\n\+\s+consecutive5xxErrors: 9\n/);
    expect(r.stdout).toContain('=== ServiceEntry octank-travel-ns/redis (added)\n');
    expect(r.stdout).toContain('=== DestinationRule octank-travel-ns/redis (added)\n');
    expect(r.stdout).toContain('charts/octank-travel: 1 changed, 2 added, 0 removed\n');
    // Objects whose only change is the helm.sh/chart label are not listed.
    expect(r.stdout).not.toContain('=== Namespace');
    expect(r.stdout).not.toContain('=== Service octank-travel-ns/zip-lookup-service-local');
  });

  it('THEN against HEAD on a clean checkout it reports no differences, exit 0', async () => {
    const r = await zonal([], repo, env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('chart octank-travel: 0.1.1 (unchanged)\n');
    expect(r.stdout).toContain('charts/octank-travel: no differences\n');
  });

  it('THEN --env prod compares the renderings with values-prod.yaml', async () => {
    const r = await zonal(['--base', 'HEAD~1', '--env', 'prod'], repo, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- charts/octank-travel + values-prod.yaml @ HEAD~1\n');
    expect(r.stdout).toContain('=== DestinationRule octank-travel-ns/zip-lookup-service (changed)\n');
  });
});

describe('GIVEN uncommitted changes in the working tree', () => {
  const env = { ZONAL_HELM: helmBinaries()[1]!.path };

  it('THEN zonal diff shows them (removed objects too) and leaves the working tree, index and HEAD untouched', async () => {
    const work = tempDir();
    git(work, 'clone', '-q', repo, '.');
    await generate(work, example()); // back to the first topology: redis goes away
    const before = snapshot(work);
    const head = git(work, 'rev-parse', 'HEAD');
    const r = await zonal(['--values', 'values.yaml'], work, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('chart octank-travel: 0.1.1 -> 0.1.2\n');
    expect(r.stdout).toContain('=== ServiceEntry octank-travel-ns/redis (removed)\n');
    expect(r.stdout).toMatch(/\n-\s+consecutive5xxErrors: 9\n\+\s+consecutive5xxErrors: 7\n/);
    expect(snapshot(work)).toBe(before);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(work, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('THEN a chart that exists only in the working tree shows every object as added', async () => {
    const work = tempDir();
    git(work, 'init', '-q');
    writeFileSync(join(work, 'README'), 'x\n');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'empty');
    await generate(work, example());
    const r = await zonal([], work, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('chart octank-travel: (absent) -> 0.1.0\n');
    expect(r.stdout).toContain('=== Namespace octank-travel-ns (added)\n');
  });
});

describe('GIVEN bad input WHEN zonal diff runs', () => {
  const env = { ZONAL_HELM: helmBinaries()[0]!.path };

  it('THEN an unknown base revision is exit 2 with a message naming it', async () => {
    const r = await zonal(['--base', 'no-such-branch'], repo, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"no-such-branch" names no commit');
  });

  it('THEN a directory outside git is exit 2', async () => {
    const r = await zonal([], tempDir(), env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not inside a git repository/);
  });

  it('THEN a chart Helm cannot render is exit 2 with Helm\'s error, naming the side', async () => {
    const work = tempDir();
    git(work, 'clone', '-q', repo, '.');
    writeFileSync(join(work, 'charts', 'octank-travel', 'templates', 'broken.yaml'), '{{ .Values.nope.deeper }}\n');
    const r = await zonal([], work, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(the chart at the working tree)');
    expect(r.stderr).toMatch(/nil pointer|nope/);
  });

  it('THEN a missing Helm binary is exit 2', async () => {
    const r = await zonal([], repo, { ZONAL_HELM: join(tempDir(), 'helm') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot run Helm at .*\/helm \(no such file; set ZONAL_HELM to a Helm 3 or 4 binary\)/);
    expect(r.stderr).not.toMatch(/ENOENT/);
  });

  it('THEN an unknown flag is a usage error, exit 2', async () => {
    const r = await zonal(['--bse', 'HEAD'], repo, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: zonal diff');
  });
});

describe('GIVEN an output root where a zonal generate was interrupted (its journal is there)', () => {
  it('WHEN zonal diff runs THEN it refuses to diff the half-swapped charts and says how to finish: exit 2', async () => {
    const out = tempDir();
    writeFileSync(join(out, '.zonal-journal.json'), '{"zonal":"generation","tag":"1-1","state":"applying","steps":[]}\n');
    const r = await runCli(['diff', '--out', out, '--values', join(REPO, 'values', 'octank-travel.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`zonal diff: ${join(out, '.zonal-journal.json')} shows an interrupted zonal generate; the charts on disk may mix two generations ` +
      '(run zonal generate to finish or roll it back, then diff again)\n');
  });
});
