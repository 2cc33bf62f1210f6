import { beforeAll, describe, expect, it } from '@jest/globals';
import { FLOW_LOG_FIELDS, logFormatString } from '../../generator/flowlogs/fields.js';
import { commandLine, FakeWorld, fileOf, find, flag, mutations, requireBuiltCli, type Rule } from './harness.js';

const ACCOUNT = '111122223333';
const VPC = 'vpc-0abc1234def567890';
const LOG_GROUP = '/zonal/dto-analysis-k8scluster/vpc-flow-logs';
const ROLE = 'zonal-flowlogs-dto-analysis-k8scluster';
const FORMAT = logFormatString(FLOW_LOG_FIELDS);

const RULES: Rule[] = [
  { tool: 'aws', args: ['sts', 'get-caller-identity'], stdout: `${ACCOUNT}\n` },
  { tool: 'aws', args: ['eks', 'describe-cluster', 'cluster.resourcesVpcConfig.vpcId'], stdout: `${VPC}\n` },
  { tool: 'aws', args: ['logs', 'describe-log-groups'], stdout: '${state:logGroup}\n' },
  { tool: 'aws', args: ['logs', 'create-log-group'], set: { logGroup: '${arg:--log-group-name}' } },
  { tool: 'aws', args: ['iam', 'get-role'], when: 'role', stdout: '${state:role}\n' },
  { tool: 'aws', args: ['iam', 'get-role'], exit: 254, stderr: 'An error occurred (NoSuchEntity)\n' },
  { tool: 'aws', args: ['iam', 'create-role'], set: { role: `arn:aws:iam::${ACCOUNT}:role/\${arg:--role-name}` } },
  { tool: 'aws', args: ['iam', 'get-role-policy'], when: 'rolePolicy', stdout: '{}\n' },
  { tool: 'aws', args: ['iam', 'get-role-policy'], exit: 254, stderr: 'An error occurred (NoSuchEntity)\n' },
  { tool: 'aws', args: ['iam', 'put-role-policy'], set: { rolePolicy: '${file:--policy-document}' } },
  { tool: 'aws', args: ['ec2', 'describe-flow-logs'], when: 'flowLog', stdout: '${state:flowLog}\n' },
  { tool: 'aws', args: ['ec2', 'describe-flow-logs'], stdout: 'None\n' },
  { tool: 'aws', args: ['ec2', 'create-flow-logs'], set: { flowLog: 'fl-0123456789abcdef0\t${arg:--log-format}' } },
  { tool: 'aws', args: ['s3api', 'head-bucket'], when: 'bucket' },
  { tool: 'aws', args: ['s3api', 'head-bucket'], exit: 254, stderr: 'An error occurred (404) when calling the HeadBucket operation: Not Found\n' },
  { tool: 'aws', args: ['s3api', 'create-bucket'], set: { bucket: '${arg:--bucket}' } },
  { tool: 'aws', args: ['s3api', 'get-bucket-policy'], when: 'bucketPolicy', stdout: '{}\n' },
  { tool: 'aws', args: ['s3api', 'get-bucket-policy'], exit: 254, stderr: 'NoSuchBucketPolicy\n' },
  { tool: 'aws', args: ['s3api', 'put-bucket-policy'], set: { bucketPolicy: '${file:--policy}' } },
];

interface Statement { Action: string | string[]; Resource?: string | string[]; Condition?: Record<string, Record<string, string>> }

beforeAll(requireBuiltCli);

describe('scripts/enable-flow-logs.sh (CloudWatch Logs)', () => {
  it('GIVEN a fresh account WHEN run twice THEN the first run creates group, role, policy and flow log in zonal\'s format; the second nothing', () => {
    const world = new FakeWorld(RULES);
    const values = world.valuesFile();
    const first = world.run('enable-flow-logs.sh', ['--values', values, '--tag', 'owner=Platform Team']);
    expect(first.stderr).toContain(`flow logs of ${VPC} go to ${LOG_GROUP}`);
    expect(first.code).toBe(0);
    expect(mutations(first.calls).map((c) => commandLine(c))).toEqual([
      'aws logs create-log-group', 'aws logs put-retention-policy', 'aws iam create-role', 'aws iam put-role-policy', 'aws ec2 create-flow-logs',
    ]);
    expect(first.calls[0]!.args).toEqual(['sts', 'get-caller-identity', '--query', 'Account', '--output', 'text']);

    const group = find(first.calls, 'aws', 'create-log-group');
    expect(flag(group, '--log-group-name')).toBe(LOG_GROUP);
    expect(JSON.parse(flag(group, '--tags'))).toEqual({ 'zonal.dev/project': 'octank-travel', 'zonal.dev/cluster': 'dto-analysis-k8scluster', owner: 'Platform Team' });
    expect(flag(find(first.calls, 'aws', 'put-retention-policy'), '--retention-in-days')).toBe('14');

    const role = find(first.calls, 'aws', 'create-role');
    expect(flag(role, '--role-name')).toBe(ROLE);
    expect(flag(role, '--description')).toBe(`VPC Flow Logs delivery into ${LOG_GROUP} (zonal)`);
    const trust = JSON.parse(fileOf(role, '--assume-role-policy-document'));
    expect(trust.Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    expect(trust.Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT);
    expect(JSON.parse(flag(role, '--tags'))).toContainEqual({ Key: 'owner', Value: 'Platform Team' });

    const permissions = JSON.parse(fileOf(find(first.calls, 'aws', 'put-role-policy'), '--policy-document')) as { Statement: Statement[] };
    for (const s of permissions.Statement) {
      for (const r of [s.Resource ?? []].flat()) {
        expect(r).not.toBe('*');
        expect(r).toContain(`arn:aws:logs:us-west-2:${ACCOUNT}:log-group:`);
      }
    }

    const flowLog = find(first.calls, 'aws', 'create-flow-logs');
    expect(flag(flowLog, '--log-format')).toBe(FORMAT);
    expect(flag(flowLog, '--resource-ids')).toBe(VPC);
    expect(flag(flowLog, '--log-destination-type')).toBe('cloud-watch-logs');
    expect(flag(flowLog, '--log-group-name')).toBe(LOG_GROUP);
    expect(flag(flowLog, '--deliver-logs-permission-arn')).toBe(`arn:aws:iam::${ACCOUNT}:role/${ROLE}`);
    expect(flag(flowLog, '--max-aggregation-interval')).toBe('60');
    expect(JSON.parse(flag(flowLog, '--tag-specifications'))).toEqual([{
      ResourceType: 'vpc-flow-log',
      Tags: [
        { Key: 'zonal.dev/project', Value: 'octank-travel' },
        { Key: 'zonal.dev/cluster', Value: 'dto-analysis-k8scluster' },
        { Key: 'owner', Value: 'Platform Team' },
      ],
    }]);

    const second = world.run('enable-flow-logs.sh', ['--values', values, '--tag', 'owner=Platform Team']);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
    expect(second.stderr).toContain("flow log fl-0123456789abcdef0 already delivers zonal's format");
  });

  it('GIVEN a flow log in another format WHEN run THEN it warns with the expected format and creates no second one', () => {
    const world = new FakeWorld(RULES, {
      logGroup: LOG_GROUP, role: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, rolePolicy: '{}', flowLog: 'fl-0old\t${version} ${srcaddr} ${dstaddr}',
    });
    const r = world.run('enable-flow-logs.sh', ['--values', world.valuesFile()]);
    expect(r.code).toBe(0);
    expect(mutations(r.calls)).toEqual([]);
    expect(r.stderr).toContain('WARNING: flow log fl-0old uses another format');
    expect(r.stderr).toContain(FORMAT);
  });

  it('GIVEN a role AWS has not propagated yet WHEN the flow log is refused THEN it is retried until accepted, and given up on after 6', () => {
    const refused: Rule = { tool: 'aws', args: ['ec2', 'create-flow-logs'], stdout: 'Unable to assume given IAM role\n' };
    const world = new FakeWorld([{ ...refused, unless: 'tried', set: { tried: '1' } }, ...RULES]);
    const r = world.run('enable-flow-logs.sh', ['--values', world.valuesFile()], { ZONAL_RETRY_DELAY: '0' });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.args[1] === 'create-flow-logs')).toHaveLength(2);
    expect(r.stderr).toContain('create-flow-logs, attempt 1: Unable to assume given IAM role');
    expect(flag(find(r.calls, 'aws', 'create-flow-logs'), '--query')).toBe('Unsuccessful[0].Error.Message');

    const never = new FakeWorld([refused, ...RULES]);
    const failed = never.run('enable-flow-logs.sh', ['--values', never.valuesFile()], { ZONAL_RETRY_DELAY: '0' });
    expect(failed.code).toBe(1);
    expect(failed.calls.filter((c) => c.args[1] === 'create-flow-logs')).toHaveLength(6);
    expect(failed.stderr).toContain('no flow log created: Unable to assume given IAM role');
  });

  it('GIVEN bad flag values WHEN run THEN it exits 2 before calling anything', () => {
    for (const args of [['--destination', 'kinesis'], ['--retention-days', '10'], ['--aggregation-interval', '30'], ['--traffic-type', 'SOME']]) {
      const world = new FakeWorld(RULES);
      const r = world.run('enable-flow-logs.sh', args);
      expect(r.code).toBe(2);
      expect(r.calls).toEqual([]);
    }
  });
});

describe('scripts/enable-flow-logs.sh (S3, Parquet)', () => {
  it('GIVEN a fresh account WHEN run twice THEN bucket, policy and a Parquet flow log are created once', () => {
    const world = new FakeWorld(RULES);
    const values = world.valuesFile();
    const args = ['--values', values, '--destination', 's3', '--prefix', 'vpc/flows', '--tag', 'owner=Platform Team'];
    const first = world.run('enable-flow-logs.sh', args);
    expect(first.code).toBe(0);
    const bucket = `zonal-flowlogs-${ACCOUNT}-us-west-2`;
    expect(mutations(first.calls).map((c) => commandLine(c))).toEqual([
      'aws s3api create-bucket', 'aws s3api put-public-access-block', 'aws s3api put-bucket-tagging', 'aws s3api put-bucket-policy', 'aws ec2 create-flow-logs',
    ]);
    const create = find(first.calls, 'aws', 'create-bucket');
    expect(flag(create, '--bucket')).toBe(bucket);
    expect(flag(create, '--create-bucket-configuration')).toBe('LocationConstraint=us-west-2');
    expect(JSON.parse(flag(find(first.calls, 'aws', 'put-bucket-tagging'), '--tagging')).TagSet).toContainEqual({ Key: 'owner', Value: 'Platform Team' });
    const policy = JSON.parse(fileOf(find(first.calls, 'aws', 'put-bucket-policy'), '--policy')) as { Statement: Statement[] };
    expect([policy.Statement[0]!.Resource].flat()).toContain(`arn:aws:s3:::${bucket}/vpc/flows/AWSLogs/aws-account-id=${ACCOUNT}/*`);

    const flowLog = find(first.calls, 'aws', 'create-flow-logs');
    expect(flag(flowLog, '--log-destination-type')).toBe('s3');
    expect(flag(flowLog, '--log-destination')).toBe(`arn:aws:s3:::${bucket}/vpc/flows`);
    expect(flag(flowLog, '--log-format')).toBe(FORMAT);
    expect(JSON.parse(fileOf(flowLog, '--destination-options'))).toEqual({ FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true });
    expect(first.stderr).toContain(`zonal infra athena --values '${values}' --account-id ${ACCOUNT} --bucket ${bucket} --prefix vpc/flows`);

    const second = world.run('enable-flow-logs.sh', args);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
  });

  it('GIVEN us-east-1 and daily partitions WHEN the bucket is created THEN there is no location constraint and no hourly partition', () => {
    const world = new FakeWorld(RULES);
    const values = world.valuesFile((t) => t.replace(/us-west-2/g, 'us-east-1').replace(/usw2-az/g, 'use1-az'));
    const r = world.run('enable-flow-logs.sh', ['--values', values, '--destination', 's3', '--daily-partitions', '--bucket', 'my-flow-logs']);
    expect(r.code).toBe(0);
    const create = find(r.calls, 'aws', 'create-bucket');
    expect(create.args).toEqual(['s3api', 'create-bucket', '--region', 'us-east-1', '--bucket', 'my-flow-logs']);
    expect(JSON.parse(fileOf(find(r.calls, 'aws', 'create-flow-logs'), '--destination-options')).PerHourPartition).toBe(false);
  });
});
