import { beforeAll, describe, expect, it } from '@jest/globals';
import { FLOW_LOG_FIELDS } from '../../generator/flowlogs/fields.js';
import { insightsParseFields } from '../../generator/flowlogs/queries.js';
import { commandLine, FakeWorld, fileOf, find, flag, mutations, requireBuiltCli, type Rule } from './harness.js';

const VPC = 'vpc-0abc1234def567890';
const NAT = ['eni-0aaa1111bbbb2222c', 'eni-0ddd3333eeee4444f'];

const RULES: Rule[] = [
  { tool: 'aws', args: ['eks', 'describe-cluster'], stdout: `${VPC}\n` },
  { tool: 'aws', args: ['ec2', 'describe-nat-gateways'], stdout: `${NAT.join('\t')}\n` },
  { tool: 'kubectl', args: ['get', 'pods'], stdout: '192.168.100.7 192.168.140.9' },
  { tool: 'aws', args: ['cloudwatch', 'get-dashboard'], when: 'dashboard', stdout: '${state:dashboard}' },
  { tool: 'aws', args: ['cloudwatch', 'get-dashboard'], exit: 255, stderr: 'An error occurred (ResourceNotFound)\n' },
  { tool: 'aws', args: ['cloudwatch', 'put-dashboard'], set: { dashboard: '${file:--dashboard-body}' } },
];

interface Body { widgets: Array<{ type: string; properties: { title?: string; query?: string; region?: string } }> }

beforeAll(requireBuiltCli);

describe('scripts/create-dashboard.sh', () => {
  it('GIVEN discovered pods and NAT gateways WHEN run twice THEN the dashboard is put once, with NAT and per-service widgets', () => {
    const world = new FakeWorld(RULES);
    const values = world.valuesFile();
    const first = world.run('create-dashboard.sh', ['--values', values, '--discover-pods']);
    expect(first.code).toBe(0);
    expect(first.calls.map((c) => commandLine(c))).toEqual([
      'aws eks describe-cluster', 'aws ec2 describe-nat-gateways', 'kubectl get pods', 'aws cloudwatch get-dashboard', 'aws cloudwatch put-dashboard',
    ]);
    const pods = find(first.calls, 'kubectl', 'pods');
    expect(flag(pods, '--namespace')).toBe('octank-travel-ns');
    expect(flag(pods, '--selector')).toBe('app.kubernetes.io/name=zip-lookup-service,app.kubernetes.io/instance=octank-travel');
    expect(flag(find(first.calls, 'aws', 'describe-nat-gateways'), '--filter')).toBe(`Name=vpc-id,Values=${VPC}`);

    const put = find(first.calls, 'aws', 'put-dashboard');
    expect(flag(put, '--dashboard-name')).toBe('zonal-octank-travel');
    const body = JSON.parse(fileOf(put, '--dashboard-body')) as Body;
    const logs = body.widgets.filter((w) => w.type === 'log');
    for (const w of logs) {
      expect(insightsParseFields(w.properties.query!)).toEqual(FLOW_LOG_FIELDS.map((f) => f.column));
      expect(w.properties.region).toBe('us-west-2');
    }
    const nat = logs.find((w) => w.properties.title!.startsWith('NAT gateway ENI'))!;
    expect(nat.properties.query).toContain(`interface_id in ["${NAT[0]}", "${NAT[1]}"]`);
    const svc = logs.find((w) => w.properties.title === 'zip-lookup-service: inter-AZ bytes and flows')!;
    expect(svc.properties.query).toContain('isIpv4InSubnet(pkt_srcaddr, "192.168.100.7/32")');
    expect(svc.properties.query).toContain('isIpv4InSubnet(pkt_dstaddr, "192.168.140.9/32")');

    const second = world.run('create-dashboard.sh', ['--values', values, '--discover-pods']);
    expect(second.code).toBe(0);
    expect(mutations(second.calls)).toEqual([]);
    expect(second.stderr).toContain('dashboard zonal-octank-travel is up to date');

    const changed = world.run('create-dashboard.sh', ['--values', values, '--discover-pods', '--bin', '15m']);
    expect(mutations(changed.calls).map((c) => commandLine(c))).toEqual(['aws cloudwatch put-dashboard']);
  });

  it('GIVEN services by flag and a custom name WHEN run THEN they reach the dashboard and no pods are looked up', () => {
    const world = new FakeWorld(RULES);
    const r = world.run('create-dashboard.sh', ['--values', world.valuesFile(), '--name', 'my_dash-1', '--service', 'zip-lookup-service=10.0.0.0/28',
      '--log-group', '/custom/flows']);
    expect(r.code).toBe(0);
    expect(r.calls.some((c) => c.tool === 'kubectl')).toBe(false);
    const put = find(r.calls, 'aws', 'put-dashboard');
    expect(flag(put, '--dashboard-name')).toBe('my_dash-1');
    const body = JSON.parse(fileOf(put, '--dashboard-body')) as Body;
    const queries = body.widgets.filter((w) => w.type === 'log').map((w) => w.properties.query!);
    expect(queries.every((q) => q.startsWith("SOURCE '/custom/flows' | "))).toBe(true);
    expect(queries.some((q) => q.includes('"10.0.0.0/28"'))).toBe(true);
    expect(world.run('create-dashboard.sh', ['--name', 'bad name']).code).toBe(2);
  });
});
