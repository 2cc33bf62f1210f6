import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { commandLine, FakeWorld, fileOf, find, flag, mutations, requireBuiltCli, type Rule } from './harness.js';

const ALL_GROUPS = 'ng-us-west-2a\tng-us-west-2b\tng-us-west-2c';
const ALL_ADDONS = 'coredns\teks-pod-identity-agent\tkube-proxy\tvpc-cni';

const RULES: Rule[] = [
  { tool: 'aws', args: ['eks', 'describe-cluster'], when: 'cluster', stdout: '{"cluster":{"status":"ACTIVE"}}\n' },
  { tool: 'aws', args: ['eks', 'describe-cluster'], exit: 254, stderr: 'An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation\n' },
  { tool: 'eksctl', args: ['create', 'cluster'], set: { cluster: 'ACTIVE', nodegroups: ALL_GROUPS, addons: ALL_ADDONS } },
  { tool: 'aws', args: ['eks', 'list-nodegroups'], stdout: '${state:nodegroups}\n' },
  { tool: 'aws', args: ['eks', 'list-addons'], stdout: '${state:addons}\n' },
];

beforeAll(requireBuiltCli);

describe('scripts/create-cluster.sh', () => {
  it('GIVEN no cluster WHEN run twice THEN the first run creates it from the generated config and the second creates nothing', () => {
    const world = new FakeWorld(RULES);
    const values = world.valuesFile();
    const first = world.run('create-cluster.sh', ['--values', values, '--tag', 'owner=Platform Team']);
    expect(first.stderr).toContain('ready');
    expect(first.code).toBe(0);
    expect(first.calls.map((c) => commandLine(c))).toEqual(['aws eks describe-cluster', 'eksctl create cluster', 'aws eks update-kubeconfig']);

    const create = find(first.calls, 'eksctl', 'create', 'cluster');
    expect(flag(create, '--config-file')).toContain('tmp dir'); // a path with a space reached eksctl whole
    const config = load(fileOf(create, '--config-file')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(config).toMatchObject({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'dto-analysis-k8scluster', region: 'us-west-2', version: '1.35', tags: { owner: 'Platform Team' } },
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      iam: { withOIDC: true },
      vpc: { nat: { gateway: 'HighlyAvailable' } },
    });
    expect(config.managedNodeGroups.map((g: { name: string }) => g.name)).toEqual(['ng-us-west-2a', 'ng-us-west-2b', 'ng-us-west-2c']);
    expect(find(first.calls, 'aws', 'update-kubeconfig').args).toEqual(['eks', 'update-kubeconfig', '--name', 'dto-analysis-k8scluster', '--region', 'us-west-2']);

    const second = world.run('create-cluster.sh', ['--values', values]);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
    expect(second.calls.map((c) => commandLine(c))).toEqual(['aws eks describe-cluster', 'aws eks list-nodegroups', 'aws eks list-addons', 'aws eks update-kubeconfig']);
    expect(second.stderr).toContain('node groups: all present');
  });

  it('GIVEN a cluster missing node groups and an addon WHEN run THEN only those are created', () => {
    const world = new FakeWorld(RULES, { cluster: 'ACTIVE', nodegroups: 'ng-us-west-2a', addons: 'coredns\tkube-proxy\tvpc-cni' });
    const r = world.run('create-cluster.sh', ['--values', world.valuesFile()]);
    expect(r.code).toBe(0);
    const made = mutations(r.calls);
    expect(made.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['create nodegroup', 'create addon']);
    expect(flag(made[0]!, '--include')).toBe('ng-us-west-2b,ng-us-west-2c');
    expect(flag(made[1]!, '--name')).toBe('eks-pod-identity-agent');
  });

  it('GIVEN sizing flags and --config-out WHEN run THEN the config carries them and is kept at that path', () => {
    const world = new FakeWorld(RULES);
    const out = join(world.root, 'my values', 'cluster config.yaml');
    const r = world.run('create-cluster.sh', ['--values', world.valuesFile(), '--instance-type', 'm7i.xlarge', '--nodes-per-zone', '2',
      '--max-nodes-per-zone', '5', '--config-out', out]);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const config = load(readFileSync(out, 'utf8')) as { managedNodeGroups: Array<Record<string, unknown>> };
    expect(config.managedNodeGroups[2]).toMatchObject({ instanceType: 'm7i.xlarge', desiredCapacity: 2, maxSize: 5, availabilityZones: ['us-west-2c'] });
  });

  it('GIVEN eksctl fails WHEN run THEN the script stops with its exit status and does not go on', () => {
    const world = new FakeWorld([{ tool: 'eksctl', args: ['create'], exit: 3, stderr: 'boom\n' }, ...RULES]);
    const r = world.run('create-cluster.sh', ['--values', world.valuesFile()]);
    expect(r.code).toBe(3);
    expect(r.calls.map((c) => commandLine(c))).toEqual(['aws eks describe-cluster', 'eksctl create cluster']);
  });
});
