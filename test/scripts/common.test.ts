import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeWorld, requireBuiltCli } from './harness.js';
import { BUILT_CLI } from '../support/generate.js';

const POLICY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

/** Each script with arguments that make a dry run list its creating commands. */
const SCRIPTS: Array<[string, string[], RegExp]> = [
  ['create-cluster.sh', [], /^\+ eksctl create cluster --config-file /m],
  ['enable-flow-logs.sh', [], /^\+ aws ec2 create-flow-logs .*--log-destination-type cloud-watch-logs/m],
  ['create-dashboard.sh', ['--discover-pods'], /^\+ aws cloudwatch put-dashboard /m],
  ['install-istio.sh', ['--force'], /^\+ helm upgrade --install istiod istiod /m],
  ['create-test-database.sh', [], /^\+ aws rds create-db-cluster /m],
  ['iam-service-account.sh', ['--policy-arn', POLICY], /^\+ eksctl create iamserviceaccount /m],
];

beforeAll(requireBuiltCli);

describe.each(SCRIPTS)('scripts/%s', (script, args, creates) => {
  it('GIVEN --help WHEN run THEN it prints usage with its flags and calls nothing', () => {
    const world = new FakeWorld([]);
    const r = world.run(script, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: scripts/${script}`);
    expect(r.stdout).toContain('--dry-run');
    expect(r.stdout).toContain('--values FILE');
    expect(r.calls).toEqual([]);
  });

  it('GIVEN --dry-run WHEN run THEN it prints every command, the creating ones included, and executes none', () => {
    const world = new FakeWorld([]);
    const r = world.run(script, [...args, '--dry-run', '--values', world.valuesFile(), '--tag', 'owner=Platform Team']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.stdout).toMatch(creates);
    // Each listed line reads back in a shell as the exact arguments (quoting survives).
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('+ '))) {
      const back = spawnSync('bash', ['-c', `set -- ${line.slice(2)}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
      expect(back.status).toBe(0);
      const words = back.stdout.split('\0').slice(0, -1);
      expect(['aws', 'eksctl', 'kubectl', 'istioctl', 'helm']).toContain(words[0]);
    }
  });

  it('GIVEN an unknown option WHEN run THEN it exits 2 and calls nothing', () => {
    const world = new FakeWorld([]);
    const r = world.run(script, [...args, '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
    expect(r.calls).toEqual([]);
  });

  it('GIVEN a values file with an error WHEN run THEN it exits 2 with file:line:col and calls nothing', () => {
    const world = new FakeWorld([]);
    const values = world.valuesFile((t) => t.replace('region: us-west-2', 'region: Oregon'));
    const r = world.run(script, [...args, '--values', values]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/octank travel\.yaml:\d+:\d+: .*region/);
    expect(r.calls).toEqual([]);
  });

  it('GIVEN a missing values file WHEN run THEN it exits 2 and calls nothing', () => {
    const world = new FakeWorld([]);
    const r = world.run(script, [...args, '--values', join(world.root, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not found');
    expect(r.calls).toEqual([]);
  });
});

describe('the zonal CLI a script runs', () => {
  it('GIVEN ZONAL names another executable WHEN a script runs THEN that executable answers for zonal', () => {
    const world = new FakeWorld([]);
    const wrapper = join(world.root, 'my zonal');
    const log = join(world.root, 'zonal calls');
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${process.execPath}' '${BUILT_CLI}' "$@"\n`, { mode: 0o755 });
    const r = world.run('create-cluster.sh', ['--dry-run'], { ZONAL: wrapper });
    expect(r.code).toBe(0);
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(/^infra get cluster.name cluster.region/m);
    expect(calls).toMatch(/^infra eksctl --values /m);
  });
});
