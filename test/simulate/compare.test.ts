import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../generator/errors.js';
import { parseCompareModes, withRoutingMode } from '../../generator/simulate/compare.js';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const VALUES = join(REPO, 'test', 'fixtures', 'values', 'zone-aware.yaml');
const SCENARIO = join(REPO, 'test', 'fixtures', 'scenarios', 'hot-zone.yaml');

describe('zonal simulate --compare', () => {
  it('GIVEN the hot-zone scenario WHEN compared THEN zone-local is cheapest but loads eu-west-1a 1.80x, zone-aware is even, off is even and dearest', async () => {
    const r = await runCli(['simulate', '--values', VALUES, '--scenario', SCENARIO, '--compare', 'zone-local,zone-aware,off', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.modes.map((m: { mode: string }) => m.mode)).toEqual(['zone-local', 'zone-aware', 'off']);
    const checkout = c.modes.map((m: { destinations: { name: string }[] }) => m.destinations.find((d) => d.name === 'checkout'));
    expect(checkout.map((d: { worstLoad: number }) => d.worstLoad)).toEqual([1.8, 1, 1]);
    expect(checkout[0].hotZones).toEqual(['eu-west-1a']);
    expect(checkout[0].crossZoneGbPerMonth).toBe(0);
    expect(checkout[1].crossZoneGbPerMonth).toBeGreaterThan(0);
    expect(checkout[2].crossZoneGbPerMonth).toBeGreaterThan(checkout[1].crossZoneGbPerMonth);
  });

  it('GIVEN the table output THEN each destination shows one row per mode', async () => {
    const r = await runCli(['simulate', '--values', VALUES, '--scenario', SCENARIO, '--compare', 'zone-local,zone-aware']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/checkout\n {2}mode +cross-zone GB\/month +cost\/month +worst load +hot zones\n {2}zone-local +0\.0 +\$0\.00 +1\.80x +eu-west-1a\n {2}zone-aware +80\.0 +\$1\.60 +1\.00x +-\n/);
  });

  it('GIVEN the bundled example on Istio 1.30.3 (no zoneAwareLbSetting) WHEN compared THEN zone-aware is simulated as on 1.31 and says so; its 3 pods < minClusterSize 6 never engage, so it spreads like off', async () => {
    const octank = join(tempDir(), 'octank-1.30.yaml');
    writeFileSync(octank, readFileSync(join(REPO, 'values', 'octank-travel.yaml'), 'utf8').replace('istioVersion: "1.31.1"', 'istioVersion: "1.30.3"'));
    const hot = join(REPO, 'test', 'fixtures', 'scenarios', 'hot-zone-octank.yaml');
    const r = await runCli(['simulate', '--values', octank, '--scenario', hot, '--compare', 'zone-local,zone-aware,off', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.modes.map((m: { istioVersion: string }) => m.istioVersion)).toEqual(['1.30.3', '1.31.1', '1.30.3']);
    expect(c.modes[1].note).toMatch(/Istio 1\.30\.3 has no zoneAwareLbSetting/);
    const zip = c.modes.map((m: { destinations: { name: string }[] }) => m.destinations.find((d) => d.name === 'zip-lookup-service'));
    expect(zip.map((d: { worstLoad: number }) => d.worstLoad)).toEqual([1.8, 1, 1]);
    expect(zip[1].crossZoneGbPerMonth).toBeCloseTo(zip[2].crossZoneGbPerMonth, 6);
    expect(zip[1].fallbacks).toEqual([expect.stringMatching(/fewer healthy upstream endpoints than minClusterSize 6/)]);
    expect(zip[0].fallbacks).toBeUndefined();
    const table = await runCli(['simulate', '--values', octank, '--scenario', hot, '--compare', 'zone-local,zone-aware']);
    expect(table.stdout).toMatch(/^note: zone-aware is simulated as on Istio 1\.31\.1/m);
    expect(table.stdout).toMatch(/^ {2}zone-aware: zone-aware routing from us-west-2a, us-west-2b, us-west-2c: fewer healthy upstream endpoints than minClusterSize 6/m);
  });

  it('GIVEN the bundled example (Istio 1.31.1) WHEN compared THEN every mode runs on its own version, with no note', async () => {
    const hot = join(REPO, 'test', 'fixtures', 'scenarios', 'hot-zone-octank.yaml');
    const r = await runCli(['simulate', '--values', join(REPO, 'values', 'octank-travel.yaml'), '--scenario', hot, '--compare', 'zone-local,zone-aware,off', '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.modes.map((m: { istioVersion: string }) => m.istioVersion)).toEqual(['1.31.1', '1.31.1', '1.31.1']);
    expect(c.modes.map((m: { note?: string }) => m.note)).toEqual([undefined, undefined, undefined]);
  });

  it('GIVEN a bad mode list THEN a usage error names the modes', async () => {
    expect(() => parseCompareModes('zone-local,fast')).toThrow(UsageError);
    expect(() => parseCompareModes('off,off')).toThrow(/listed twice/);
    const r = await runCli(['simulate', '--values', VALUES, '--compare', 'nearest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown mode "nearest" \(use zone-local, zone-aware, off\)/);
  });

  it('GIVEN a DestinationRule with other load-balancer fields WHEN switched THEN only the locality keys change', () => {
    const dr = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'x' },
      spec: { host: 'x', trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST', localityLbSetting: { enabled: true } }, outlierDetection: {} } } };
    const [za] = withRoutingMode([dr], 'zone-aware') as unknown as [typeof dr & { spec: { trafficPolicy: { loadBalancer: Record<string, unknown> } } }];
    expect(za.spec.trafficPolicy.loadBalancer).toEqual({ simple: 'LEAST_REQUEST', zoneAwareLbSetting: { enabled: true } });
    expect(za.spec.trafficPolicy.outlierDetection).toEqual({});
  });
});

describe('zonal simulate load output', () => {
  it('GIVEN --json THEN endpoints carry callShare and callSharePerEndpoint and destinations list hotZones', async () => {
    const r = await runCli(['simulate', '--values', join(REPO, 'values', 'octank-travel.yaml'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const svc = j.destinations.find((d: { name: string }) => d.name === 'zip-lookup-service');
    expect(svc.hotZones).toEqual([]);
    for (const e of svc.endpoints) {
      expect(e.callShare).toBeCloseTo(1 / 3, 5);
      expect(e.callSharePerEndpoint).toBeCloseTo(1 / 3, 5);
    }
  });

  it('GIVEN a hot zone and --hot-zone-factor WHEN printed THEN the load bars, HOT and the remedies appear; a higher factor hides them', async () => {
    const zl = await runCli(['simulate', '--values', VALUES, '--scenario', SCENARIO]);
    expect(zl.code).toBe(0);
    // The fixture routes zone-aware: even load, no hot zone.
    expect(zl.stdout).toMatch(/checkout {2}\(service, shop\)\n.*Envoy zone-aware routing[\s\S]*?load per endpoint[^\n]*\n {4}eu-west-1a +33\.3% of calls on 2 +#### +1\.00x\n/);
    const hot = await runCli(['simulate', '--values', join(REPO, 'values', 'octank-travel.yaml'), '--scenario', join(REPO, 'test', 'fixtures', 'scenarios', 'hot-zone-octank.yaml')]);
    expect(hot.code).toBe(0);
    expect(hot.stdout).toMatch(/ {4}us-west-2a +60\.0% of calls on 1 +#{7} +1\.80x {2}HOT\n/);
    expect(hot.stdout).toMatch(/hot zones: us-west-2a; remedies:\n {4}- replicas per zone: us-west-2a=2, us-west-2b=1, us-west-2c=1[^\n]*\n {4}- routing\.mode: zone-aware would not engage: 3 endpoints < minClusterSize 6[^\n]*\n {4}- routing\.mode: weighted with distribute: \{from: us-west-2\/us-west-2a\/\*, to: \{us-west-2\/us-west-2a\/\*: 56, us-west-2\/us-west-2b\/\*: 22, us-west-2\/us-west-2c\/\*: 22\}\}/);
    const objs = await runCli(['simulate', '--values', VALUES, '--scenario', SCENARIO, '--compare', 'zone-local', '--hot-zone-factor', '2', '--json']);
    expect(JSON.parse(objs.stdout).modes[0].destinations.find((d: { name: string }) => d.name === 'checkout').hotZones).toEqual([]);
    const bad = await runCli(['simulate', '--values', VALUES, '--hot-zone-factor', '0.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--hot-zone-factor must be a number >= 1/);
  });
});
