import { describe, expect, it } from '@jest/globals';
import { writeFileSync, readFileSync } from 'node:fs';
import { tempDir } from '../support/temp.js';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { FLOW_LOG_FIELDS, logFormatString } from '../../generator/flowlogs/fields.js';
import { insightsParseFields } from '../../generator/flowlogs/queries.js';
import { REPO, zonal } from './cli.js';

const ACCOUNT = '111122223333';

function valuesVariant(edit: (t: string) => string): string {
  const dir = tempDir('zonal-infra-');
  const file = join(dir, 'values.yaml');
  writeFileSync(file, edit(readFileSync(join(REPO, 'values', 'octank-travel.yaml'), 'utf8')));
  return file;
}

describe('zonal infra', () => {
  it('GIVEN no or an unknown sub-command WHEN run THEN it exits 2 with usage', async () => {
    for (const args of [['infra'], ['infra', 'nope']]) {
      const r = await zonal(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Usage: zonal infra');
    }
    const help = await zonal('infra', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('get KEY...');
  });

  it('GIVEN the bundled values WHEN eksctl runs THEN it prints a YAML ClusterConfig with per-zone node groups', async () => {
    const r = await zonal('infra', 'eksctl', '--tag', 'owner=Platform Team', '--instance-type', 'm7i.xlarge', '--nodes-per-zone', '4');
    expect(r.code).toBe(0);
    const config = load(r.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(config.apiVersion).toBe('eksctl.io/v1alpha5');
    expect(config.metadata.tags.owner).toBe('Platform Team');
    expect(config.managedNodeGroups.map((g: { availabilityZones: string[] }) => g.availabilityZones)).toEqual([['us-west-2a'], ['us-west-2b'], ['us-west-2c']]);
    expect(config.managedNodeGroups[0]).toMatchObject({ instanceType: 'm7i.xlarge', desiredCapacity: 4, minSize: 1, maxSize: 4 });
    const json = await zonal('infra', 'eksctl', '--json');
    expect(JSON.parse(json.stdout).vpc.nat.gateway).toBe('HighlyAvailable');
    expect((await zonal('infra', 'eksctl', '--nodes-per-zone', '0')).code).toBe(2);
    expect((await zonal('infra', 'eksctl', '--min-nodes-per-zone', '3', '--max-nodes-per-zone', '2')).code).toBe(2);
  });

  it('GIVEN an account id WHEN flowlogs prints everything THEN the documents are JSON with that account and the one format', async () => {
    const r = await zonal('infra', 'flowlogs', '--account-id', ACCOUNT, '--prefix', 'vpc/flows');
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout);
    expect(all.logFormat).toBe(logFormatString(FLOW_LOG_FIELDS));
    expect(all.cloudwatch.logGroupArn).toBe(`arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/zonal/dto-analysis-k8scluster/vpc-flow-logs`);
    expect(all.cloudwatch.trustPolicy.Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT);
    expect(all.s3.bucket).toBe(`zonal-flowlogs-${ACCOUNT}-us-west-2`);
    expect(all.s3.destination).toBe(`arn:aws:s3:::zonal-flowlogs-${ACCOUNT}-us-west-2/vpc/flows`);
    const format = await zonal('infra', 'flowlogs', '--print', 'format');
    expect(format.stdout).toBe(`${logFormatString(FLOW_LOG_FIELDS)}\n`);
  });

  it('GIVEN no account id WHEN a document needs one THEN the placeholder stands in for it', async () => {
    const r = await zonal('infra', 'flowlogs', '--print', 'trust-policy');
    expect(JSON.parse(r.stdout).Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe('${AWS::AccountId}');
  });

  it('GIVEN bad flag values WHEN flowlogs runs THEN it exits 2 naming the flag', async () => {
    for (const [args, msg] of [
      [['--account-id', '12345'], /--account-id/],
      [['--bucket', 'Bad_Bucket'], /--bucket/],
      [['--prefix', '/x/'], /--prefix/],
      [['--log-group', 'a b'], /--log-group/],
      [['--print', 'everything'], /--print/],
      [['--tag', 'aws:x=1'], /tag/],
    ] as Array<[string[], RegExp]>) {
      const r = await zonal('infra', 'flowlogs', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('GIVEN services and NAT ENIs WHEN dashboard runs THEN it prints JSON whose queries parse the format fields', async () => {
    const r = await zonal('infra', 'dashboard', '--service', 'zip-lookup-service=192.168.100.7,192.168.140.9', '--nat-eni', 'eni-0aaa1111bbbb2222c');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    const queries = body.widgets.filter((w: { type: string }) => w.type === 'log').map((w: { properties: { query: string } }) => w.properties.query);
    expect(queries).toHaveLength(7);
    for (const q of queries) expect(insightsParseFields(q)).toEqual(FLOW_LOG_FIELDS.map((f) => f.column));
    expect((await zonal('infra', 'dashboard', '--service', 'svc=not-an-ip')).code).toBe(2);
    expect((await zonal('infra', 'dashboard', '--nat-eni', 'nat-123')).code).toBe(2);
  });

  it('GIVEN zones without CIDRs WHEN dashboard runs THEN it reports the values file problem, exit 2', async () => {
    const file = valuesVariant((t) => t.replace(/, cidrs: \[[^\]]*\]/g, ''));
    const r = await zonal('infra', 'dashboard', '--values', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cluster.zones[].cidrs');
  });

  it('GIVEN athena WHEN the table needs a location THEN an account id is required; with it DDL and query are printed', async () => {
    expect((await zonal('infra', 'athena')).code).toBe(2);
    const query = await zonal('infra', 'athena', '--print', 'query', '--since', '2025-01-01');
    expect(query.code).toBe(0);
    expect(query.stdout).toContain('FROM "zonal_octank_travel"."vpc_flow_logs"');
    const all = await zonal('infra', 'athena', '--account-id', ACCOUNT, '--database', 'flows', '--table', 't');
    expect(all.stdout.split(';\n').filter((s) => s.trim())).toHaveLength(3);
    expect(all.stdout).toContain('CREATE DATABASE IF NOT EXISTS `flows`');
    expect(all.stdout).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS `flows`.`t`');
    expect((await zonal('infra', 'athena', '--print', 'query', '--until', 'yesterday')).code).toBe(2);
  });

  it('GIVEN the bundled values WHEN istio runs THEN operator YAML and canonical Helm values are printed', async () => {
    const op = load((await zonal('infra', 'istio')).stdout) as { spec: { profile: string; tag: string } };
    expect(op.spec).toMatchObject({ profile: 'minimal', tag: '1.31.1' });
    expect((await zonal('infra', 'istio', '--print', 'base-values')).stdout).toBe('{}\n');
    expect(JSON.parse((await zonal('infra', 'istio', '--print', 'istiod-values')).stdout).meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE).toBe('true');
  });

  it('GIVEN keys WHEN get runs THEN it prints one value per line, lists one item per line', async () => {
    expect((await zonal('infra', 'get', 'cluster.name')).stdout).toBe('dto-analysis-k8scluster\n');
    expect((await zonal('infra', 'get', 'cluster.zones')).stdout).toBe('us-west-2a\nus-west-2b\nus-west-2c\n');
    expect((await zonal('infra', 'get', 'mesh.revision')).stdout).toBe('\n');
    expect((await zonal('infra', 'get', 'services')).stdout).toBe('octank-travel-ns zip-lookup-service\n');
    expect((await zonal('infra', 'get', 'flowlogs.bucket', '--account-id', ACCOUNT)).stdout).toBe(`zonal-flowlogs-${ACCOUNT}-us-west-2\n`);
    expect(JSON.parse((await zonal('infra', 'get', 'tags.list', '--tag', 'owner=Platform Team')).stdout)).toContainEqual({ Key: 'owner', Value: 'Platform Team' });
  });

  it('GIVEN several keys and --null WHEN get runs THEN each value ends in NUL and lists keep their newlines', async () => {
    const r = await zonal('infra', 'get', 'cluster.region', 'database.instances', 'tags.kv', '--null', '--tag', 'owner=Platform Team');
    expect(r.stdout.split('\0')).toEqual([
      'us-west-2',
      'octank-travel-db-instance-1 us-west-2a\noctank-travel-db-instance-2 us-west-2b',
      'zonal.dev/project=octank-travel,zonal.dev/cluster=dto-analysis-k8scluster,owner=Platform Team',
      '',
    ]);
  });

  it('GIVEN bad keys or values WHEN get runs THEN it exits 2', async () => {
    expect((await zonal('infra', 'get')).code).toBe(2);
    expect((await zonal('infra', 'get', 'cluster.nope')).code).toBe(2);
    expect((await zonal('infra', 'get', 'tags.yaml')).code).toBe(2);
    const bad = valuesVariant((t) => t.replace('kubernetesVersion: "1.35"', 'kubernetesVersion: 1.35'));
    const r = await zonal('infra', 'get', 'cluster.name', '--values', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/values\.yaml:\d+:\d+: .*kubernetesVersion/);
  });
});
