import { beforeAll, describe, expect, it } from '@jest/globals';
import { commandLine, FakeWorld, find, flag, mutations, requireBuiltCli, type Rule } from './harness.js';

const VPC = 'vpc-0abc1234def567890';
const CLUSTER_SG = 'sg-0c1a2b3c4d5e6f708';
const DB_SG = 'sg-0db0000000000000a';

const RULES: Rule[] = [
  { tool: 'aws', args: ['eks', 'describe-cluster'], stdout: `${VPC}\t${CLUSTER_SG}\n` },
  { tool: 'aws', args: ['rds', 'describe-db-subnet-groups'], when: 'subnetGroup', stdout: '{}\n' },
  { tool: 'aws', args: ['rds', 'describe-db-subnet-groups'], exit: 254, stderr: 'DBSubnetGroupNotFoundFault\n' },
  { tool: 'aws', args: ['ec2', 'describe-subnets'], stdout: 'subnet-0aaa\tsubnet-0bbb\tsubnet-0ccc\n' },
  { tool: 'aws', args: ['rds', 'create-db-subnet-group'], set: { subnetGroup: '${arg:--db-subnet-group-name}' } },
  { tool: 'aws', args: ['ec2', 'describe-security-groups'], when: 'sg', stdout: '${state:sg}\n' },
  { tool: 'aws', args: ['ec2', 'describe-security-groups'], stdout: 'None\n' },
  { tool: 'aws', args: ['ec2', 'create-security-group'], set: { sg: DB_SG }, stdout: `${DB_SG}\n` },
  { tool: 'aws', args: ['rds', 'describe-db-clusters', '--query'], stdout: 'db.cluster-x.us-west-2.rds.amazonaws.com\tdb.cluster-ro-x.us-west-2.rds.amazonaws.com\tarn:aws:secretsmanager:us-west-2:111122223333:secret:rds!cluster-1\n' },
  { tool: 'aws', args: ['rds', 'describe-db-clusters'], when: 'cluster', stdout: '{}\n' },
  { tool: 'aws', args: ['rds', 'describe-db-clusters'], exit: 254, stderr: 'DBClusterNotFoundFault\n' },
  { tool: 'aws', args: ['rds', 'create-db-cluster'], set: { cluster: '${arg:--db-cluster-identifier}' } },
  { tool: 'aws', args: ['rds', 'describe-db-instances'], when: 'instance ${arg:--db-instance-identifier}', stdout: '{}\n' },
  { tool: 'aws', args: ['rds', 'describe-db-instances'], exit: 254, stderr: 'DBInstanceNotFound\n' },
  { tool: 'aws', args: ['rds', 'create-db-instance'], set: { 'instance ${arg:--db-instance-identifier}': '${arg:--availability-zone}' } },
];

beforeAll(requireBuiltCli);

describe('scripts/create-test-database.sh', () => {
  it('GIVEN a fresh VPC WHEN run twice THEN writer and reader are created once in two zones with a managed password', () => {
    const world = new FakeWorld(RULES);
    const values = world.valuesFile();
    const first = world.run('create-test-database.sh', ['--values', values, '--tag', 'owner=Platform Team']);
    expect(first.code).toBe(0);
    expect(mutations(first.calls).map((c) => commandLine(c))).toEqual([
      'aws rds create-db-subnet-group', 'aws ec2 create-security-group', 'aws ec2 authorize-security-group-ingress',
      'aws rds create-db-cluster', 'aws rds create-db-instance', 'aws rds create-db-instance',
    ]);

    const subnets = find(first.calls, 'aws', 'create-db-subnet-group');
    expect(flag(subnets, '--db-subnet-group-description')).toBe('zonal test database octank-travel-db: private subnets of dto-analysis-k8scluster');
    const i = subnets.args.indexOf('--subnet-ids');
    expect(subnets.args.slice(i + 1, i + 4)).toEqual(['subnet-0aaa', 'subnet-0bbb', 'subnet-0ccc']);
    expect(JSON.parse(flag(subnets, '--tags'))).toContainEqual({ Key: 'owner', Value: 'Platform Team' });

    const sg = find(first.calls, 'aws', 'create-security-group');
    expect(flag(sg, '--description')).toBe('zonal test database octank-travel-db: clients in dto-analysis-k8scluster');
    expect(flag(sg, '--vpc-id')).toBe(VPC);
    const ingress = JSON.parse(flag(find(first.calls, 'aws', 'authorize-security-group-ingress'), '--ip-permissions'));
    expect(ingress).toEqual([{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: CLUSTER_SG, Description: 'EKS cluster dto-analysis-k8scluster' }] }]);

    const cluster = find(first.calls, 'aws', 'create-db-cluster');
    expect(flag(cluster, '--db-cluster-identifier')).toBe('octank-travel-db');
    expect(flag(cluster, '--engine')).toBe('aurora-mysql');
    expect(flag(cluster, '--vpc-security-group-ids')).toBe(DB_SG);
    expect(cluster.args).toContain('--manage-master-user-password');
    expect(cluster.args).toContain('--storage-encrypted');
    for (const c of first.calls) {
      expect(c.args).not.toContain('--master-user-password');
      expect(c.args.join(' ')).not.toMatch(/password=/i);
    }

    const instances = first.calls.filter((c) => c.args[1] === 'create-db-instance');
    expect(instances.map((c) => [flag(c, '--db-instance-identifier'), flag(c, '--availability-zone')])).toEqual([
      ['octank-travel-db-instance-1', 'us-west-2a'], ['octank-travel-db-instance-2', 'us-west-2b'],
    ]);
    expect(first.calls.filter((c) => c.args[1] === 'wait')).toHaveLength(2);
    expect(first.stderr).toContain('arn:aws:secretsmanager:us-west-2:111122223333:secret:rds!cluster-1');

    const second = world.run('create-test-database.sh', ['--values', values, '--no-wait']);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
    expect(second.calls.filter((c) => c.args[1] === 'wait')).toEqual([]);
  });

  it('GIVEN one reader lost WHEN run THEN only that instance is created again', () => {
    const world = new FakeWorld(RULES, {
      subnetGroup: 'octank-travel-db-subnets', sg: DB_SG, cluster: 'octank-travel-db', 'instance octank-travel-db-instance-1': 'us-west-2a',
    });
    const r = world.run('create-test-database.sh', ['--values', world.valuesFile(), '--no-wait', '--instance-class', 'db.r6g.large']);
    expect(r.code).toBe(0);
    const made = mutations(r.calls);
    expect(made.map((c) => flag(c, '--db-instance-identifier'))).toEqual(['octank-travel-db-instance-2']);
    expect(flag(made[0]!, '--db-instance-class')).toBe('db.r6g.large');
  });

  it('GIVEN only one private subnet WHEN run THEN it stops before creating the subnet group', () => {
    const world = new FakeWorld([{ tool: 'aws', args: ['ec2', 'describe-subnets'], stdout: 'subnet-0aaa\n' }, ...RULES]);
    const r = world.run('create-test-database.sh', ['--values', world.valuesFile()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs subnets in at least two zones');
    expect(mutations(r.calls)).toEqual([]);
  });
});
