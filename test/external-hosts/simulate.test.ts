import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationResult, SimulationResult } from '../../generator/simulate/engine.js';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { simulateObjects } from '../../generator/simulate/index.js';
import { parseScenario } from '../../generator/simulate/scenario.js';
import { runCli, tempDir } from '../support/generate.js';
import { exampleWith, problemsOf, VALUES_FILE } from './helpers.js';

const ZONES = ['us-west-2a', 'us-west-2b', 'us-west-2c'];

async function simulate(values: string, scenario?: string): Promise<SimulationResult> {
  const args = ['simulate', '--values', values, '--json', ...(scenario ? ['--scenario', scenario] : [])];
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`simulate failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as SimulationResult;
}

function file(name: string, text: string): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

const dest = (r: SimulationResult, name: string): DestinationResult => {
  const d = r.destinations.find((x) => x.name === name);
  if (!d) throw new Error(`no destination ${name}: ${r.destinations.map((x) => x.name).join(', ')}`);
  return d;
};
const cross = (d: DestinationResult) => d.callers.map((c) => c.crossZoneFraction);
const writtenCrossShare = (d: DestinationResult) => d.cost.after.crossZoneGbPerMonth / d.callers.reduce((a, c) => a + c.gbPerMonth, 0);

describe('GIVEN the bundled example (consumer with clientRack, MSK with the rack-aware selector)', () => {
  it('WHEN simulated with --json THEN the MSK destination crosses zones produceFraction * 2/3 = 1/3 for every caller zone, 2/3 before', async () => {
    const r = await simulate(VALUES_FILE);
    const msk = dest(r, 'msk-brokers');
    expect(cross(msk)).toEqual([0.333333, 0.333333, 0.333333]);
    expect(msk.callers.map((c) => c.crossZoneFractionBefore)).toEqual([0.666667, 0.666667, 0.666667]);
    expect(msk.external).toMatchObject({ kind: 'kafka', produceFraction: 0.5, clientRack: true, rackAwareSelector: true, localConsume: true });
    // The MSK cost is not $0.00 after: produce crosses zones whatever the mesh does.
    expect(msk.cost.after.usdPerMonth).toBeGreaterThan(0);
  });

  it('THEN the per-broker ServiceEntries are folded into the MSK destination, not simulated as extra traffic', async () => {
    const r = await simulate(VALUES_FILE);
    expect(r.destinations.map((d) => d.name)).toEqual(['zip-lookup-service', 'aurora-writer', 'aurora-reader', 's3-interface-endpoint', 'msk-brokers']);
    expect(dest(r, 'msk-brokers').notes.join('\n')).toMatch(/per-broker ServiceEntries msk-brokers-b-1, msk-brokers-b-2, msk-brokers-b-3/);
  });

  it('THEN the writer\'s cross-zone traffic is 2/3 of the write traffic, and writes are (1 - readFraction) of the database traffic', async () => {
    const r = await simulate(VALUES_FILE);
    const writer = dest(r, 'aurora-writer');
    const reader = dest(r, 'aurora-reader');
    expect(writtenCrossShare(writer)).toBeCloseTo(2 / 3, 6);
    expect(cross(writer)).toEqual([0, 1, 1]);
    expect(writer.callers.map((c) => c.gbPerMonth)).toEqual([20, 20, 20]);
    expect(reader.callers.map((c) => c.gbPerMonth)).toEqual([80, 80, 80]);
    // Reads stay local where a reader is (2a, 2b); 2c has none.
    expect(cross(reader)).toEqual([0, 0, 1]);
    expect(writer.external).toMatchObject({ kind: 'aurora', role: 'writer', cluster: 'octank-travel-db.c1a2b3c4d5e6.us-west-2' });
  });

  it('THEN the interface endpoint says zone routing buys latency, not money (no transfer charge, processing only)', async () => {
    const s3 = dest(await simulate(VALUES_FILE), 's3-interface-endpoint');
    expect(s3.notes.join('\n')).toMatch(/buys latency, not money/);
    expect(s3.cost.before.transferUsdPerMonth).toBe(0);
    expect(s3.cost.after.processingUsdPerMonth).toBeGreaterThan(0);
  });
});

describe('GIVEN variations of the example', () => {
  it('WHEN the consumer does not set clientRack THEN MSK crosses zones 2/3 for every caller zone', async () => {
    const r = await simulate(file('v.yaml', exampleWith(/    kafka: \{ clientRack: true \}.*\n/, '')));
    expect(cross(dest(r, 'msk-brokers'))).toEqual([0.666667, 0.666667, 0.666667]);
    expect(dest(r, 'msk-brokers').notes.join('\n')).toMatch(/no consumer sets client.rack/);
  });

  it('WHEN the brokers do not declare the rack-aware selector THEN consume follows the leaders too (2/3)', async () => {
    const r = await simulate(file('v.yaml', exampleWith('    kafka: { rackAwareSelector: true }\n', '')));
    expect(cross(dest(r, 'msk-brokers'))).toEqual([0.666667, 0.666667, 0.666667]);
    expect(dest(r, 'msk-brokers').notes.join('\n')).toMatch(/do not declare replica.selector.class/);
  });

  it('WHEN the scenario sets produceFraction 0.8 and readFraction 0.5 THEN MSK crosses 0.8 * 2/3 and the writer gets half the database traffic', async () => {
    const r = await simulate(VALUES_FILE, file('s.yaml', 'produceFraction: 0.8\nreadFraction: 0.5\n'));
    expect(cross(dest(r, 'msk-brokers'))).toEqual(ZONES.map(() => 0.533333));
    expect(dest(r, 'aurora-writer').callers.map((c) => c.gbPerMonth)).toEqual([50, 50, 50]);
    expect(dest(r, 'aurora-reader').callers.map((c) => c.gbPerMonth)).toEqual([50, 50, 50]);
  });

  it('WHEN the scenario lists traffic to both Aurora hosts THEN their sum is the cluster\'s traffic, split by readFraction', async () => {
    const scenario = file('s.yaml', 'traffic:\n  - { from: us-west-2a, to: aurora-writer, gbPerMonth: 30 }\n  - { from: us-west-2a, to: aurora-reader, gbPerMonth: 70 }\n');
    const r = await simulate(VALUES_FILE, scenario);
    expect(dest(r, 'aurora-writer').callers[0]!.gbPerMonth).toBe(20);
    expect(dest(r, 'aurora-reader').callers[0]!.gbPerMonth).toBe(80);
  });
});

describe('GIVEN hand-written manifests', () => {
  const bootstrapOnly = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: kafka, namespace: n }
spec:
  hosts: [boot.k.c3.kafka.us-west-2.amazonaws.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 9094, name: tls-9094, protocol: TLS }]
  endpoints:
    - { address: b-1.k.c3.kafka.us-west-2.amazonaws.com, locality: us-west-2/us-west-2a }
    - { address: b-2.k.c3.kafka.us-west-2.amazonaws.com, locality: us-west-2/us-west-2b }
    - { address: b-3.k.c3.kafka.us-west-2.amazonaws.com, locality: us-west-2/us-west-2c }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: kafka, namespace: n }
spec:
  host: boot.k.c3.kafka.us-west-2.amazonaws.com
  trafficPolicy:
    loadBalancer: { localityLbSetting: { enabled: true } }
    outlierDetection: { consecutive5xxErrors: 5, maxEjectionPercent: 34 }
`;

  it('WHEN the mesh localises the bootstrap host THEN Kafka traffic still crosses zones 2/3 (the mesh cannot localise produce or leader fetches)', () => {
    const r = simulateObjects(parseManifests(bootstrapOnly, 'm.yaml').map((o) => o.object), { zones: ZONES, region: 'us-west-2' });
    const d = r.destinations[0]!;
    expect(d.type).toBe('msk');
    // The mesh itself would have kept every call local: its priorities still say so.
    expect(d.callers[0]!.priorities[0]!.zones).toEqual(['us-west-2a']);
    expect(cross(d)).toEqual([0.666667, 0.666667, 0.666667]);
  });

  it('WHEN the walkthrough\'s writer host lists both instances THEN the simulation notes that writes to the non-writer fail', () => {
    const text = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: n }
spec:
  hosts: [db.cluster-abc.us-west-2.rds.amazonaws.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 3306, name: tcp-3306, protocol: TCP }]
  endpoints:
    - { address: db-1.abc.us-west-2.rds.amazonaws.com, locality: us-west-2/us-west-2a }
    - { address: db-2.abc.us-west-2.rds.amazonaws.com, locality: us-west-2/us-west-2b }
`;
    const r = simulateObjects(parseManifests(text, 'm.yaml').map((o) => o.object), { zones: ZONES, region: 'us-west-2' });
    expect(r.destinations[0]!.notes.join('\n')).toMatch(/writes routed to instances other than the writer fail.*ZNL026/);
  });
});

describe('GIVEN scenario files', () => {
  it('WHEN readFraction or produceFraction is outside 0..1 THEN each is a located error', () => {
    const problems = problemsOf(() => parseScenario('readFraction: 1.5\nproduceFraction: -0.1\n', 's.yaml'));
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/s\.yaml:1:\d+: .*readFraction/);
    expect(problems.join('\n')).toMatch(/s\.yaml:2:\d+: .*produceFraction/);
  });

  it('WHEN they are absent THEN the defaults are 0.8 reads and 0.5 produce', () => {
    const { scenario } = parseScenario('defaultGbPerMonth: 10\n', 's.yaml');
    expect([scenario.readFraction, scenario.produceFraction]).toEqual([0.8, 0.5]);
  });
});
