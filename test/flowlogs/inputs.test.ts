import { describe, expect, it } from '@jest/globals';
import { parseCidr, parseIPv4, parseIPv6, PrefixTable } from '../../generator/flowlogs/addresses.js';
import { parseServicesFile } from '../../generator/flowlogs/services-file.js';
import { parseSubnetsFile } from '../../generator/flowlogs/subnets.js';
import { InputError } from '../../generator/commands/command.js';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('GIVEN addresses and CIDRs', () => {
  it('WHEN parsed THEN IPv4/IPv6 text becomes numbers and bad text is refused', () => {
    expect(parseIPv4('192.168.96.1')).toBe(0xc0a86001);
    expect(parseIPv4('192.168.300.1')).toBeUndefined();
    expect(parseIPv4('1.2.3')).toBeUndefined();
    expect(parseIPv6('2600:1f14::1')).toBe((0x26001f14n << 96n) | 1n);
    expect(parseIPv6('::ffff:10.0.0.1')).toBe(0xffff0a000001n);
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(parseCidr('192.168.96.0/19')).toEqual({ family: 4, first: 0xc0a86000, last: 0xc0a87fff, prefix: 19 });
    expect(parseCidr('192.168.96.1/19')).toBeUndefined(); // host bits set
    expect(parseCidr('10.0.0.7')).toMatchObject({ prefix: 32 });
  });

  it('WHEN prefixes nest THEN the most specific one wins, on both sides of the inner block', () => {
    const t = new PrefixTable([
      { cidr: parseCidr('10.0.0.0/8')!, value: 1 },
      { cidr: parseCidr('10.1.0.0/16')!, value: 2 },
      { cidr: parseCidr('10.1.2.3')!, value: 3 },
      { cidr: parseCidr('10.2.0.0/16')!, value: 4 },
      { cidr: parseCidr('2600:1f14::/32')!, value: 5 },
    ]);
    expect(['9.255.255.255', '10.0.0.0', '10.1.0.0', '10.1.2.2', '10.1.2.3', '10.1.2.4', '10.1.255.255', '10.2.9.9', '10.255.255.255', '11.0.0.0']
      .map((a) => t.lookupText(a))).toEqual([-1, 1, 2, 2, 3, 2, 2, 4, 1, -1]);
    expect(t.lookupText('2600:1f14:0:1::9')).toBe(5);
    expect(t.lookupText('2600:1f15::1')).toBe(-1);
  });
});

describe('GIVEN a subnets file', () => {
  it('WHEN it is zonal\'s shape (subnets + azIds) THEN zones list their CIDRs and az-ids in first-seen order', () => {
    const zones = parseSubnetsFile([
      'subnets:',
      '  192.168.96.0/19: us-west-2a',
      '  192.168.128.0/19: us-west-2b',
      '  10.10.0.0/24: us-west-2a',
      'azIds:',
      '  usw2-az1: us-west-2a',
    ].join('\n'), 'subnets.yaml');
    expect(zones).toEqual([
      { name: 'us-west-2a', id: 'usw2-az1', cidrs: ['192.168.96.0/19', '10.10.0.0/24'] },
      { name: 'us-west-2b', cidrs: ['192.168.128.0/19'] },
    ]);
  });

  it('WHEN it is aws ec2 describe-subnets output THEN zones, az-ids and IPv4+IPv6 CIDRs come from it', () => {
    const zones = parseSubnetsFile(JSON.stringify({
      Subnets: [
        { CidrBlock: '192.168.96.0/19', AvailabilityZone: 'us-west-2a', AvailabilityZoneId: 'usw2-az1', Ipv6CidrBlockAssociationSet: [{ Ipv6CidrBlock: '2600:1f14:abc:a100::/64' }] },
        { CidrBlock: '192.168.128.0/19', AvailabilityZone: 'us-west-2b', AvailabilityZoneId: 'usw2-az2' },
      ],
    }, null, 2), 'subnets.json');
    expect(zones).toEqual([
      { name: 'us-west-2a', id: 'usw2-az1', cidrs: ['192.168.96.0/19', '2600:1f14:abc:a100::/64'] },
      { name: 'us-west-2b', id: 'usw2-az2', cidrs: ['192.168.128.0/19'] },
    ]);
  });

  it('WHEN entries are wrong THEN each problem is reported as file:line:col with a fix', () => {
    const problems = problemsOf(() => parseSubnetsFile([
      'subnets:',
      '  192.168.96.0/33: us-west-2a',
      '  192.168.128.0/19: 7',
      'extra: 1',
    ].join('\n'), 'bad.yaml'));
    expect(problems).toEqual([
      expect.stringMatching(/^bad\.yaml:2:3: "192\.168\.96\.0\/33" is not a CIDR \(/),
      expect.stringMatching(/^bad\.yaml:3:\d+: zone of 192\.168\.128\.0\/19 must be a zone name/),
      expect.stringMatching(/^bad\.yaml:4:1: unknown key "extra"/),
    ]);
    expect(problemsOf(() => parseSubnetsFile('just text', 'x.yaml'))[0]).toMatch(/^x\.yaml:1:1: /);
    expect(problemsOf(() => parseSubnetsFile('subnets: [', 'y.yaml'))[0]).toMatch(/^y\.yaml:\d+:\d+: /);
  });
});

describe('GIVEN a services file', () => {
  it('WHEN it maps addresses and CIDRs to names THEN lookups find the service', () => {
    const m = parseServicesFile('services:\n  192.168.100.11: checkout\n  192.168.128.0/19: catalog\n', 's.yaml');
    expect(m.names).toEqual(['checkout', 'catalog']);
    expect(m.table.lookupText('192.168.100.11')).toBe(0);
    expect(m.table.lookupText('192.168.130.1')).toBe(1);
    expect(m.table.lookupText('192.168.100.12')).toBe(-1);
  });

  it('WHEN it is kubectl get pods -o json THEN pod IPs map to the app label (host-network pods left out)', () => {
    const pods = {
      kind: 'List',
      items: [
        { metadata: { name: 'checkout-7d9f-abc', labels: { 'app.kubernetes.io/name': 'checkout' } }, status: { podIP: '192.168.100.11', podIPs: [{ ip: '192.168.100.11' }] } },
        { metadata: { name: 'legacy-1', labels: { app: 'legacy' } }, status: { podIP: '192.168.100.12' } },
        { metadata: { name: 'kube-proxy-x', labels: { 'k8s-app': 'kube-proxy' } }, spec: { hostNetwork: true }, status: { podIP: '192.168.96.5' } },
        { metadata: { name: 'pending' }, status: {} },
      ],
    };
    const m = parseServicesFile(JSON.stringify(pods), 'pods.json');
    expect(m.names).toEqual(['checkout', 'legacy']);
    expect(m.table.lookupText('192.168.96.5')).toBe(-1);
  });
});
