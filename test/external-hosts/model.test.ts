import { describe, expect, it } from '@jest/globals';
import { parseValues } from '../../generator/model/load-values.js';
import { auroraEndpointKind, brokerEntryName, inferRdsRole } from '../../generator/model/external-hosts.js';
import { EXAMPLE, exampleWith, problemsOf } from './helpers.js';

const WRITER = 'octank-travel-db.cluster-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com';
const INSTANCE_2 = 'octank-travel-db-instance-2.c1a2b3c4d5e6.us-west-2.rds.amazonaws.com';

describe('GIVEN Aurora endpoint names', () => {
  it.each([
    [WRITER, 'cluster', 'writer'],
    ['octank-travel-db.cluster-ro-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com', 'reader', 'reader'],
    ['analytics.cluster-custom-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com', 'custom', 'reader'],
    [INSTANCE_2, 'instance', 'instance'],
  ])('WHEN %s is classified THEN it is a %s endpoint and its default role is %s', (host, kind, role) => {
    expect(auroraEndpointKind(host)).toBe(kind);
    expect(inferRdsRole(host)).toBe(role);
  });

  it('WHEN a name is not an RDS name THEN it has no endpoint kind and the role defaults to instance', () => {
    expect(auroraEndpointKind('db.example.internal')).toBeUndefined();
    expect(inferRdsRole('db.example.internal')).toBe('instance');
  });
});

describe('GIVEN the bundled example', () => {
  const model = parseValues(EXAMPLE, 'values/octank-travel.yaml');
  const host = (name: string) => model.externalHosts.find((h) => h.name === name)!;

  it('THEN it declares the Aurora writer (one endpoint, the cluster endpoint itself) and the reader (both instances)', () => {
    expect(host('aurora-writer')).toMatchObject({ type: 'rds', role: 'writer', endpoints: [{ address: WRITER, zone: 'us-west-2a' }] });
    expect(host('aurora-reader').role).toBe('reader');
    expect(host('aurora-reader').endpoints.map((e) => e.zone)).toEqual(['us-west-2a', 'us-west-2b']);
  });

  it('THEN the MSK host declares the rack-aware selector and the consumer asks for client.rack', () => {
    expect(host('msk-brokers').kafka).toEqual({ rackAwareSelector: true });
    expect(model.services[0]!.kafka).toEqual({ clientRack: true });
  });

  it('THEN role and kafka are present exactly on the types they belong to', () => {
    expect(host('s3-interface-endpoint').role).toBeUndefined();
    expect(host('s3-interface-endpoint').kafka).toBeUndefined();
    expect(host('msk-brokers').role).toBeUndefined();
  });

  it('WHEN role, kafka.clientRack and kafka.rackAwareSelector are left out THEN the role comes from the host name and both switches are off', () => {
    const text = exampleWith('    role: writer\n', '').replace('    kafka: { rackAwareSelector: true }\n', '').replace(/    kafka: \{ clientRack: true \}.*\n/, '');
    const m = parseValues(text, 'v.yaml');
    expect(m.externalHosts.find((h) => h.name === 'aurora-writer')!.role).toBe('writer');
    expect(m.externalHosts.find((h) => h.name === 'msk-brokers')!.kafka).toEqual({ rackAwareSelector: false });
    expect(m.services[0]!.kafka).toEqual({ clientRack: false });
  });
});

describe('GIVEN values that route an Aurora writer the way the walkthrough does', () => {
  it('WHEN the writer host lists the two instance endpoints THEN loading fails at its endpoints, naming the read-only failure', () => {
    const text = exampleWith(
      `      - { address: ${WRITER}, zone: us-west-2a }\n`,
      `      - { address: octank-travel-db-instance-1.c1a2b3c4d5e6.us-west-2.rds.amazonaws.com, zone: us-west-2a }\n      - { address: ${INSTANCE_2}, zone: us-west-2b }\n`,
    );
    const problems = problemsOf(() => parseValues(text, 'v.yaml'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^v\.yaml:\d+:\d+: aurora-writer: the Aurora cluster \(writer\) endpoint reaches exactly one instance/);
    expect(problems[0]).toMatch(/read-only and refuses every write/);
    const line = Number(/^v\.yaml:(\d+):/.exec(problems[0]!)![1]);
    // The endpoints list of the writer entry: its first item.
    expect(text.split('\n')[line - 2]).toMatch(/^\s+endpoints:$/);
    expect(text.split('\n')[line - 1]).toContain('octank-travel-db-instance-1');
  });

  it('WHEN the writer host routes to the cluster-ro endpoint THEN loading fails at that address', () => {
    const text = exampleWith(`      - { address: ${WRITER}, zone: us-west-2a }\n`,
      '      - { address: octank-travel-db.cluster-ro-c1a2b3c4d5e6.us-west-2.rds.amazonaws.com, zone: us-west-2a }\n');
    const problems = problemsOf(() => parseValues(text, 'v.yaml'));
    expect(problems).toEqual([expect.stringMatching(/aurora-writer: the writer host routes to the reader endpoint .*cluster-ro.*read-only/)]);
  });

  it('WHEN role reader is put on the cluster (writer) endpoint THEN loading fails: writes through it would reach readers', () => {
    const text = exampleWith('    role: writer\n', '    role: reader\n');
    expect(problemsOf(() => parseValues(text, 'v.yaml'))).toEqual([expect.stringMatching(/aurora-writer: role reader on .*cluster \(writer\) endpoint/)]);
  });
});

describe('GIVEN role and kafka settings on the wrong host types', () => {
  it('WHEN role is set on the interface endpoint THEN it is an error at role', () => {
    const text = exampleWith('    type: interface-endpoint\n', '    type: interface-endpoint\n    role: reader\n');
    expect(problemsOf(() => parseValues(text, 'v.yaml'))).toEqual([expect.stringMatching(/s3-interface-endpoint: role is only meaningful for type rds/)]);
  });

  it('WHEN kafka is set on an rds host THEN it is an error at kafka', () => {
    const text = exampleWith('    role: writer\n', '    role: writer\n    kafka: { rackAwareSelector: true }\n');
    expect(problemsOf(() => parseValues(text, 'v.yaml'))).toEqual([expect.stringMatching(/aurora-writer: kafka settings are only meaningful for type msk/)]);
  });

  it('WHEN role has an unknown value THEN the schema names the three roles', () => {
    const text = exampleWith('    role: writer\n', '    role: primary\n');
    expect(problemsOf(() => parseValues(text, 'v.yaml')).join('\n')).toMatch(/writer.*reader.*instance/);
  });
});

describe('GIVEN MSK brokers and Kafka clients', () => {
  it('THEN each broker gets the ServiceEntry name <host>-<first label>', () => {
    expect(brokerEntryName('msk-brokers', 'b-2.octank.c3.kafka.us-west-2.amazonaws.com')).toBe('msk-brokers-b-2');
  });

  it('WHEN two brokers share a first DNS label THEN loading fails: their ServiceEntries would share a name', () => {
    const text = exampleWith('      - { address: b-2.octank.c3.kafka.us-west-2.amazonaws.com, zone: us-west-2b }\n',
      '      - { address: b-1.other.c3.kafka.us-west-2.amazonaws.com, zone: us-west-2b }\n');
    expect(problemsOf(() => parseValues(text, 'v.yaml'))).toEqual([expect.stringMatching(/would both get the ServiceEntry msk-brokers-b-1/)]);
  });

  it('WHEN a broker ServiceEntry name is already an external host name THEN loading fails', () => {
    const text = exampleWith('  - name: s3-interface-endpoint\n', '  - name: msk-brokers-b-1\n');
    expect(problemsOf(() => parseValues(text, 'v.yaml'))).toEqual([expect.stringMatching(/broker ServiceEntry name msk-brokers-b-1 is already the name/)]);
  });

  it('WHEN a service sets kafka.clientRack and its own KAFKA_CLIENT_RACK env THEN loading fails at the env key', () => {
    const text = exampleWith('    kafka: { clientRack: true }', '    env: { KAFKA_CLIENT_RACK: usw2-az1 }\n    kafka: { clientRack: true }');
    expect(problemsOf(() => parseValues(text, 'v.yaml'))).toEqual([expect.stringMatching(/zip-lookup-service: env KAFKA_CLIENT_RACK is also set by kafka.clientRack/)]);
  });
});
