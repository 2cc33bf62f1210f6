import { beforeAll, describe, expect, it } from '@jest/globals';
import { commandLine, FakeWorld, find, flag, mutations, requireBuiltCli, type Rule } from './harness.js';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const OWN = 'arn:aws:iam::111122223333:policy/zip lookup';

const RULES: Rule[] = [
  { tool: 'aws', args: ['eks', 'describe-cluster', 'cluster.identity.oidc.issuer'], stdout: `${ISSUER}\n` },
  { tool: 'aws', args: ['iam', 'list-open-id-connect-providers'], stdout: '${state:oidc}\n' },
  { tool: 'eksctl', args: ['utils', 'associate-iam-oidc-provider'], set: { oidc: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE' } },
  { tool: 'aws', args: ['cloudformation', 'describe-stacks'], when: 'stack ${arg:--stack-name}', stdout: 'CREATE_COMPLETE\n' },
  { tool: 'aws', args: ['cloudformation', 'describe-stacks'], exit: 254, stderr: 'Stack does not exist\n' },
  { tool: 'eksctl', args: ['create', 'iamserviceaccount'], set: { 'stack eksctl-${arg:--cluster}-addon-iamserviceaccount-${arg:--namespace}-${arg:--name}': '1' } },
  { tool: 'aws', args: ['eks', 'list-pod-identity-associations'], when: 'pia ${arg:--namespace}/${arg:--service-account}', stdout: 'a-0123456789\n' },
  { tool: 'aws', args: ['eks', 'list-pod-identity-associations'], stdout: '\n' },
  { tool: 'eksctl', args: ['create', 'podidentityassociation'], set: { 'pia ${arg:--namespace}/${arg:--service-account-name}': '1' } },
];

beforeAll(requireBuiltCli);

describe('scripts/iam-service-account.sh', () => {
  it('GIVEN no OIDC provider WHEN run twice (IRSA) THEN the provider and the service account role are created once', () => {
    const world = new FakeWorld(RULES);
    const args = ['--values', world.valuesFile(), '--policy-arn', S3_READ, '--policy-arn', OWN, '--tag', 'owner=Platform Team'];
    const first = world.run('iam-service-account.sh', args);
    expect(first.code).toBe(0);
    expect(mutations(first.calls).map((c) => commandLine(c))).toEqual(['eksctl utils associate-iam-oidc-provider', 'eksctl create iamserviceaccount']);
    const oidc = find(first.calls, 'aws', 'list-open-id-connect-providers');
    expect(flag(oidc, '--query')).toBe("OpenIDConnectProviderList[?ends_with(Arn, '/id/EXAMPLED539D4633E53DE1B71EXAMPLE')].Arn");
    const sa = find(first.calls, 'eksctl', 'iamserviceaccount');
    expect(flag(sa, '--namespace')).toBe('octank-travel-ns');
    expect(flag(sa, '--name')).toBe('zip-lookup-service');
    expect(flag(sa, '--attach-policy-arn')).toBe(`${S3_READ},${OWN}`);
    expect(flag(sa, '--tags')).toBe('zonal.dev/project=octank-travel,zonal.dev/cluster=dto-analysis-k8scluster,owner=Platform Team');
    expect(sa.args).toEqual(expect.arrayContaining(['--approve', '--override-existing-serviceaccounts']));

    const second = world.run('iam-service-account.sh', args);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
    expect(flag(find(second.calls, 'aws', 'describe-stacks'), '--stack-name'))
      .toBe('eksctl-dto-analysis-k8scluster-addon-iamserviceaccount-octank-travel-ns-zip-lookup-service');
  });

  it('GIVEN --pod-identity WHEN run twice THEN one association is created and no OIDC work is done', () => {
    const world = new FakeWorld(RULES);
    const args = ['--values', world.valuesFile(), '--policy-arn', S3_READ, '--pod-identity', '--service', 'zip-lookup-service'];
    const first = world.run('iam-service-account.sh', args);
    expect(first.code).toBe(0);
    expect(first.calls.some((c) => c.args.includes('list-open-id-connect-providers'))).toBe(false);
    const made = mutations(first.calls);
    expect(made.map((c) => commandLine(c))).toEqual(['eksctl create podidentityassociation']);
    expect(flag(made[0]!, '--service-account-name')).toBe('zip-lookup-service');
    expect(flag(made[0]!, '--permission-policy-arns')).toBe(S3_READ);
    expect(mutations(world.run('iam-service-account.sh', args).calls)).toEqual([]);
  });

  it('GIVEN no policy, a bad policy ARN or an unknown service WHEN run THEN it exits 2 and calls nothing', () => {
    for (const args of [[], ['--policy-arn', 'AmazonS3ReadOnlyAccess'], ['--policy-arn', S3_READ, '--service', 'nope']]) {
      const world = new FakeWorld(RULES);
      const r = world.run('iam-service-account.sh', ['--values', world.valuesFile(), ...args]);
      expect(r.code).toBe(2);
      expect(r.calls).toEqual([]);
    }
  });
});
