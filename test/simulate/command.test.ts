import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import type { SimulationResult } from '../../generator/simulate/engine.js';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { checkout, serviceEntry, destinationRule, ZONES } from './helpers.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
const [A, B, C] = ZONES as [string, string, string];

async function simulateJson(args: string[], stdin = ''): Promise<SimulationResult> {
  const r = await runCli(['simulate', ...args, '--json'], REPO, stdin);
  if (r.code !== 0) throw new Error(`simulate failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as SimulationResult;
}

function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function expectSharesSumToOne(r: SimulationResult): void {
  for (const d of r.destinations) for (const c of d.callers) {
    expect(Object.values(c.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  }
}

describe('zonal simulate on the bundled example (values/octank-travel.yaml)', () => {
  it('GIVEN the bundled values WHEN simulated with --json THEN every Service and ServiceEntry is a destination and callers are the 3 zones', async () => {
    const r = await simulateJson(['--values', VALUES]);
    // The per-broker MSK ServiceEntries are part of the msk-brokers destination (test/external-hosts).
    expect(r.destinations.map((d) => d.name)).toEqual(['zip-lookup-service', 'aurora-writer', 'aurora-reader', 's3-interface-endpoint', 'msk-brokers']);
    expect(r.destinations.map((d) => d.type)).toEqual(['service', 'rds', 'rds', 'interface-endpoint', 'msk']);
    for (const d of r.destinations) expect(d.callers.map((c) => c.zone)).toEqual(ZONES);
    expectSharesSumToOne(r);
    expect(r.cost.currency).toBe('USD');
    for (const k of ['before', 'after'] as const) {
      expect(typeof r.cost[k].crossZoneGbPerMonth).toBe('number');
      expect(typeof r.cost[k].usdPerMonth).toBe('number');
    }
  });

  it('GIVEN the bundled values WHEN simulated THEN the service and the S3 endpoint stay in zone, Aurora reads cross only from us-west-2c, writes go to 2a, MSK produce follows the leaders', async () => {
    const r = await simulateJson(['--values', VALUES]);
    const by = Object.fromEntries(r.destinations.map((d) => [d.name, d]));
    for (const name of ['zip-lookup-service', 's3-interface-endpoint']) {
      for (const c of by[name]!.callers) expect(c.shares).toEqual({ [c.zone]: 1 });
    }
    expect(by['aurora-reader']!.callers.map((c) => c.shares)).toEqual([{ [A]: 1 }, { [B]: 1 }, { [A]: 0.5, [B]: 0.5 }]);
    expect(by['aurora-writer']!.callers.map((c) => c.shares)).toEqual([{ [A]: 1 }, { [A]: 1 }, { [A]: 1 }]);
    // Produce (half) to the leaders, spread over the three zones; consume (half) from the local replica.
    expect(by['msk-brokers']!.callers[0]!.shares).toEqual({ [A]: 0.666667, [B]: 0.166667, [C]: 0.166667 });
    // 100 GB per zone and destination by default, Aurora's 100 split 20 writes / 80 reads:
    // before = 2/3 of zip, S3, MSK (200 each) + writer 40 + reader 160; after = writer 40 + reader 80 + MSK 100.
    expect(r.cost.before.crossZoneGbPerMonth).toBeCloseTo(800, 3);
    expect(r.cost.after.crossZoneGbPerMonth).toBeCloseTo(220, 3);
    expect(r.cost.after.usdPerMonth).toBe(0.8 + 1.6 + 3 + 2); // writes, reads from 2c, S3 processing ($0.01/GB), MSK produce
  });

  it('GIVEN the issue\'s scenario (2a: 71 of 100 healthy, 500 GB from 2a) WHEN simulated THEN 99% of 2a\'s calls stay and 5 GB cross', async () => {
    const dir = tempDir();
    const sc = write(dir, 'scenario.yaml', [
      'endpoints:',
      '  zip-lookup-service: { us-west-2a: { total: 100, healthy: 71 }, us-west-2b: { total: 100, healthy: 100 } }',
      'traffic:',
      '  - { from: us-west-2a, to: zip-lookup-service, gbPerMonth: 500 }',
    ].join('\n'));
    const r = await simulateJson(['--values', VALUES, '--scenario', sc]);
    const zip = r.destinations.find((d) => d.name === 'zip-lookup-service')!;
    expect(zip.callers[0]!.shares).toEqual({ [A]: 0.99, [B]: 0.01 });
    expect(zip.cost.after.crossZoneGbPerMonth).toBeCloseTo(5, 6);
    expect(zip.cost.after.usdPerMonth).toBe(0.1);
    expect(r.cost.after.usdPerMonth).toBe(0.1); // every other pair carries no traffic once `traffic` is given
  });

  it('GIVEN 9 of 10 pods not ready vs 9 of 10 unhealthy in 2a WHEN simulated on Istio 1.30 THEN only the unhealthy case spills over', async () => {
    const dir = tempDir();
    // Istio 1.30 leaves not-ready pods out of EDS: the one ready pod takes all of 2a's calls.
    const on130 = write(dir, 'octank-1.30.yaml', readFileSync(VALUES, 'utf8').replace('istioVersion: "1.31.1"', 'istioVersion: "1.30.3"'));
    const run = async (values: string, zoneA: string) => {
      const sc = write(dir, 's.yaml', `endpoints:\n  zip-lookup-service: { us-west-2a: ${zoneA}, us-west-2b: { total: 10 }, us-west-2c: { total: 10 } }\n`);
      return (await simulateJson(['--values', values, '--scenario', sc])).destinations[0]!.callers[0]!.shares;
    };
    expect(await run(on130, '{ total: 10, notReady: 9 }')).toEqual({ [A]: 1 });
    const unhealthy = await run(on130, '{ total: 10, healthy: 1 }');
    expect(unhealthy[A]).toBeCloseTo(0.14, 6);
    // Istio 1.31 (the example) sends not-ready pods as UNHEALTHY endpoints: they count against
    // 2a's health like failing ones, so both cases spill over alike.
    expect(await run(VALUES, '{ total: 10, notReady: 9 }')).toEqual(await run(VALUES, '{ total: 10, healthy: 1 }'));
    expect((await run(VALUES, '{ total: 10, notReady: 9 }'))[A]).toBeCloseTo(0.14, 6);
  });

  it('GIVEN the bundled values WHEN simulated without --json THEN a readable table per destination and a total are printed', async () => {
    const r = await runCli(['simulate', '--values', VALUES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('zip-lookup-service  (service, octank-travel-ns)');
    expect(r.stdout).toMatch(/from\s+GB\/month\s+-> us-west-2a\s+-> us-west-2b\s+-> us-west-2c\s+cross-zone\s+before/);
    expect(r.stdout).toMatch(/us-west-2c\s+80\.0\s+50\.0%\s+50\.0%\s+0\.0%\s+100\.0%\s+100\.0%/);
    expect(r.stdout).toContain('Total: 800 -> 220 GB/month cross-zone, $15.00 -> $7.40 per month (saves $7.60 per month)');
  });

  it('GIVEN --prices doubling the cross-AZ rate WHEN simulated THEN transfer costs double and processing does not change', async () => {
    const dir = tempDir();
    const prices = write(dir, 'prices.json', '{ "crossAzUsdPerGbPerSide": 0.02 }');
    const r = await simulateJson(['--values', VALUES, '--prices', prices]);
    expect(r.cost.after.transferUsdPerMonth).toBe(8.8); // (40 + 80 + 100) GB x $0.04
    expect(r.cost.after.processingUsdPerMonth).toBe(3);
  });
});

describe('zonal simulate on manifests (-f)', () => {
  const objects = [...checkout(3), serviceEntry('db', 'db.example', ZONES.map((z) => `us-west-2/${z}`)), destinationRule('db', 'db.example', { localityLbSetting: { enabled: true } })];
  const yaml = objects.map((o) => dump(o)).join('---\n');

  it('GIVEN a manifest file and --zones WHEN simulated THEN its Services and ServiceEntries are simulated', async () => {
    const dir = tempDir();
    const f = write(dir, 'objects.yaml', yaml);
    const r = await simulateJson(['-f', f, '--zones', ZONES.join(','), '--region', 'us-west-2']);
    expect(r.destinations.map((d) => d.name)).toEqual(['checkout', 'db']);
    expect(r.destinations[0]!.callers[2]!.shares).toEqual({ [C]: 1 });
    expect(r.destinations[1]!.type).toBe('other');
  });

  it('GIVEN manifests on stdin without --zones WHEN simulated THEN zones and region come from ServiceEntry localities', async () => {
    const r = await simulateJson(['-f', '-'], yaml);
    expect(r.zones).toEqual(ZONES);
    expect(r.region).toBe('us-west-2');
  });

  it('GIVEN manifests with no localities and no --zones WHEN simulated THEN it is a usage error (exit 2)', async () => {
    const r = await runCli(['simulate', '-f', '-'], REPO, dump(checkout(3)[0]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--zones');
  });
});

describe('zonal simulate input errors', () => {
  it('GIVEN neither --values nor -f WHEN run THEN exit 2 with usage', async () => {
    const r = await runCli(['simulate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --values FILE');
    expect(r.stderr).toContain('Usage: zonal simulate');
  });

  it('GIVEN a scenario naming an unknown destination WHEN run THEN exit 2 with file:line:col and the known names', async () => {
    const dir = tempDir();
    const sc = write(dir, 'bad.yaml', 'endpoints:\n  zip-lookup: { us-west-2a: { total: 1 } }\n');
    const r = await runCli(['simulate', '--values', VALUES, '--scenario', sc]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${sc}:2:3: unknown destination "zip-lookup" in endpoints (destinations: zip-lookup-service, aurora-writer, aurora-reader, s3-interface-endpoint, msk-brokers)\n`);
  });

  it('GIVEN a missing scenario file WHEN run THEN exit 2 naming the path', async () => {
    const r = await runCli(['simulate', '--values', VALUES, '--scenario', '/nonexistent/s.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/s.yaml:1:1: cannot read the scenario file');
  });
});
