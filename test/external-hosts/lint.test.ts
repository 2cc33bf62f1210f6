import { describe, expect, it } from '@jest/globals';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { lintModel, lintObjects } from '../../generator/lint/index.js';
import { parseValues } from '../../generator/model/load-values.js';
import { lintFixtures, readFixture } from '../lint/fixtures.js';
import { EXAMPLE } from './helpers.js';

const lint = (text: string) => lintObjects(parseManifests(text, 'm.yaml'));

describe('GIVEN the walkthrough\'s own RDS manifest (the writer host with the reader instance as a second endpoint)', () => {
  it('WHEN linted THEN ZNL026 is an error at its endpoints, naming the read-only failure', () => {
    const { findings } = lintFixtures('walkthrough/02-rds-service-entry.yaml');
    const f = findings.filter((x) => x.code === 'ZNL026');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', kind: 'ServiceEntry', name: 'external-svc-rds' });
    expect(f[0]!.message).toMatch(/Aurora cluster \(writer\) endpoint/);
    expect(f[0]!.message).toMatch(/read-only/);
    const text = readFixture('walkthrough/02-rds-service-entry.yaml');
    expect(text.split('\n')[f[0]!.line - 1]).toMatch(/^\s+endpoints:/);
  });
});

const SE = (host: string, endpoints: string[], annotations = '') => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: x
  namespace: n${annotations}
spec:
  hosts: [${host}]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 9094, name: tls-9094, protocol: TLS }]
  endpoints:
${endpoints.map((e, i) => `    - { address: ${e}, locality: us-west-2/us-west-2${'abc'[i % 3]} }`).join('\n')}
`;

describe('GIVEN Aurora ServiceEntries', () => {
  it('WHEN the reader (cluster-ro) host lists several instances THEN ZNL026 says nothing', () => {
    const f = lint(SE('db.cluster-ro-abc.us-west-2.rds.amazonaws.com', ['db-1.abc.us-west-2.rds.amazonaws.com', 'db-2.abc.us-west-2.rds.amazonaws.com']));
    expect(f.filter((x) => x.code === 'ZNL026')).toEqual([]);
  });

  it('WHEN the writer host has one instance endpoint THEN ZNL026 says nothing (one live instance)', () => {
    expect(lint(SE('db.cluster-abc.us-west-2.rds.amazonaws.com', ['db-1.abc.us-west-2.rds.amazonaws.com'])).filter((x) => x.code === 'ZNL026')).toEqual([]);
  });

  it('WHEN an instance host is annotated as an instance THEN its name is not taken for a writer', () => {
    const text = SE('db.cluster-abc.us-west-2.rds.amazonaws.com', ['a.abc.us-west-2.rds.amazonaws.com', 'b.abc.us-west-2.rds.amazonaws.com'],
      '\n  annotations:\n    zonal.dev/rds-role: instance');
    expect(lint(text).filter((x) => x.code === 'ZNL026')).toEqual([]);
  });
});

describe('GIVEN MSK ServiceEntries', () => {
  const brokers = ['b-1.k.c3.kafka.us-west-2.amazonaws.com', 'b-2.k.c3.kafka.us-west-2.amazonaws.com', 'b-3.k.c3.kafka.us-west-2.amazonaws.com'];

  it('WHEN only the bootstrap host is localised THEN ZNL027 warns that it localises only the bootstrap connection, naming the brokers', () => {
    const f = lint(SE('boot.k.c3.kafka.us-west-2.amazonaws.com', brokers)).filter((x) => x.code === 'ZNL027');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.message).toMatch(/localises only the bootstrap connection/);
    expect(f[0]!.message).toContain(brokers[0]);
  });

  it('WHEN each broker has its own ServiceEntry THEN ZNL027 is silent; when one is missing it names that one', () => {
    const own = (b: string, i: number) => SE(b, [b]).replace('name: x', `name: b${i}`);
    const all = [SE('boot.k.c3.kafka.us-west-2.amazonaws.com', brokers), ...brokers.map(own)];
    expect(lint(all.join('---\n')).filter((x) => x.code === 'ZNL027')).toEqual([]);
    const f = lint(all.slice(0, 3).join('---\n')).filter((x) => x.code === 'ZNL027');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain(brokers[2]);
    expect(f[0]!.message).not.toContain(brokers[0]);
  });

  it('WHEN the bootstrap has brokers in one zone only THEN there is no locality to complain about', () => {
    const text = SE('boot.k.c3.kafka.us-west-2.amazonaws.com', [brokers[0]!]);
    expect(lint(text).filter((x) => x.code === 'ZNL027')).toEqual([]);
  });
});

describe('GIVEN the bundled example', () => {
  it('WHEN its rendered objects are linted THEN neither ZNL026 nor ZNL027 fires', () => {
    const findings = lintModel(parseValues(EXAMPLE, 'values/octank-travel.yaml'), 'values/octank-travel.yaml', EXAMPLE);
    expect(findings.filter((f) => f.code === 'ZNL026' || f.code === 'ZNL027')).toEqual([]);
  });
});

describe('GIVEN a plaintext MSK host (TCP 9092) without DNS capture', () => {
  it('WHEN linted from the values file THEN each broker\'s ServiceEntry finding points at that broker\'s line in the values file', () => {
    const text = EXAMPLE.replace('dnsCapture: true', 'dnsCapture: false').replace('    protocol: TLS\n    port: 9094\n', '    protocol: TCP\n    port: 9092\n');
    const findings = lintModel(parseValues(text, 'v.yaml'), 'v.yaml', text).filter((f) => f.code === 'ZNL014' && f.name.startsWith('msk-brokers-'));
    expect(findings.map((f) => f.name)).toEqual(['msk-brokers-b-1', 'msk-brokers-b-2', 'msk-brokers-b-3']);
    const lines = text.split('\n');
    for (const f of findings) expect(lines[f.line - 1]).toContain(`${f.name.replace('msk-brokers-', '')}.octank.c3.kafka`);
  });
});
