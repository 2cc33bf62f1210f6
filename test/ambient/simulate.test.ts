import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { throughWaypoint, waypointPods, ztunnelRoute } from '../../generator/simulate/ambient.js';
import { runCli, tempDir } from '../support/generate.js';
import { renderObjects } from '../../generator/render/index.js';
import { ambientTree, modelOf, withoutWaypoint } from './helpers.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const [A, B, C] = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
const pools = (a: number, b: number, c: number) => [{ zone: A, endpoints: a }, { zone: B, endpoints: b }, { zone: C, endpoints: c }];

describe('GIVEN ztunnel load balancing', () => {
  it.each(['PreferClose', 'PreferSameZone', 'PreferSameNode'] as const)('THEN %s keeps every request in a zone that has a ready endpoint', (td) => {
    expect(ztunnelRoute(pools(1, 5, 5), A, td).shares).toEqual({ [A]: 1 });
  });

  it('THEN it falls back only when the zone has none, and then spreads by endpoint count', () => {
    expect(ztunnelRoute(pools(0, 1, 3), A, 'PreferClose').shares).toEqual({ [B]: 0.25, [C]: 0.75 });
    expect(ztunnelRoute(pools(0, 1, 3), A, 'PreferClose').priorities.map((p) => [p.zones, p.loadPercent])).toEqual([[[B, C], 100]]);
  });

  it('THEN without a traffic distribution it spreads over every endpoint', () => {
    expect(ztunnelRoute(pools(1, 1, 2), A, undefined).shares).toEqual({ [A]: 0.25, [B]: 0.25, [C]: 0.5 });
  });

  it('THEN a waypoint hop multiplies: caller -> nearest waypoint pod -> what the waypoint picks from its zone', () => {
    const wp = waypointPods({ name: 'ns/waypoint', replicas: 1, zoneSpread: true }, [A, B, C]);
    expect(wp.map((p) => p.endpoints)).toEqual([1, 0, 0]);
    const split = throughWaypoint(wp, B, (wz) => ({ shares: { [wz]: 1 }, unroutable: 0 }));
    expect(split).toMatchObject({ shares: { [A]: 1 }, firstHopCross: 1, secondHopCross: 0, waypointShares: { [A]: 1 } });
  });
});

async function simulateJson(tree: Any, scenario?: Any): Promise<Any> {
  const dir = tempDir();
  const values = join(dir, 'values.yaml');
  writeFileSync(values, dump(tree));
  const args = ['simulate', '--values', values, '--json'];
  if (scenario) {
    writeFileSync(join(dir, 'scenario.yaml'), dump(scenario));
    args.push('--scenario', join(dir, 'scenario.yaml'));
  }
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const dest = (r: Any, name: string) => r.destinations.find((d: Any) => d.name === name);
const caller = (d: Any, zone: string) => d.callers.find((c: Any) => c.zone === zone);

describe('GIVEN the ambient example WHEN simulated', () => {
  it('THEN --json says routing.dataplane ambient and which waypoint is in the path', async () => {
    const withWp = await simulateJson(ambientTree());
    expect(dest(withWp, 'zip-lookup-service').routing).toMatchObject({ dataplane: 'ambient', waypoint: 'octank-travel-ns/waypoint' });
    expect(caller(dest(withWp, 'zip-lookup-service'), A).waypoint).toEqual({ shares: { [A]: 1 }, crossZoneFraction: 0, backendCrossZoneFraction: 0 });
    const bare = await simulateJson(withoutWaypoint());
    expect(dest(bare, 'zip-lookup-service').routing).toMatchObject({ dataplane: 'ambient', waypoint: null, source: 'ztunnel', mode: 'preferSameZone' });
    expect(caller(dest(bare, 'zip-lookup-service'), A).waypoint).toBeUndefined();
  });

  it('THEN without a waypoint a zone keeps all its traffic on its last ready endpoint (no 1.4 overprovisioning spill)', async () => {
    const tree = withoutWaypoint();
    tree.services[0].replicas = 9;
    const scenario = { endpoints: { 'zip-lookup-service': { [A]: { total: 3, notReady: 2 }, [B]: { total: 3 }, [C]: { total: 3 } } } };
    const r = await simulateJson(tree, scenario);
    expect(caller(dest(r, 'zip-lookup-service'), A).shares).toEqual({ [A]: 1 });
    // The same scenario through the waypoint (Envoy, DestinationRule): a third of the zone left spills.
    const viaWp = await simulateJson({ ...ambientTree(), services: tree.services }, scenario);
    expect(caller(dest(viaWp, 'zip-lookup-service'), A).shares[A]).toBeLessThan(0.5);
  });

  it('THEN ztunnel ejects nothing: failing endpoints keep their share, where the waypoint ejects them', async () => {
    const tree = withoutWaypoint();
    const scenario = { endpoints: { 'zip-lookup-service': { [A]: { total: 1, healthy: 0 }, [B]: { total: 1 }, [C]: { total: 1 } } } };
    const bare = dest(await simulateJson(tree, scenario), 'zip-lookup-service');
    expect(caller(bare, A).shares).toEqual({ [A]: 1 });
    expect(bare.notes.join('\n')).toMatch(/ztunnel ejects no endpoint/);
    const viaWp = dest(await simulateJson(ambientTree(), scenario), 'zip-lookup-service');
    expect(caller(viaWp, A).shares[A] ?? 0).toBe(0);
  });

  it('THEN the cost counts the hop to the waypoint: with one waypoint pod two zones cross on the way there', async () => {
    const model = modelOf(ambientTree());
    const objects = renderObjects(model).map((o) => (o.kind === 'ConfigMap'
      ? { ...o, data: { deployment: dump({ spec: { replicas: 1 } }) } } : o));
    const dir = tempDir();
    writeFileSync(join(dir, 'objects.yaml'), objects.map((o) => dump(o)).join('---\n'));
    const r = await runCli(['simulate', '-f', join(dir, 'objects.yaml'), '--zones', [A, B, C].join(','), '--region', 'us-west-2', '--json']);
    // Backend A down: the waypoint (in A) fails over to B and C, so B's requests cross A->, then ->B or C.
    writeFileSync(join(dir, 'scenario.yaml'), dump({ endpoints: { 'zip-lookup-service': { [A]: { total: 1, notReady: 1 }, [B]: { total: 1 }, [C]: { total: 1 } } } }));
    const down = await runCli(['simulate', '-f', join(dir, 'objects.yaml'), '--zones', [A, B, C].join(','), '--region', 'us-west-2',
      '--scenario', join(dir, 'scenario.yaml'), '--json']);
    expect(r.code).toBe(0);
    const zip = dest(JSON.parse(r.stdout), 'zip-lookup-service-local') ?? dest(JSON.parse(r.stdout), 'zip-lookup-service');
    // Placement unknown without a spread: the one pod is shown in the first zone; callers in B and C cross to it.
    expect(zip.notes.join('\n')).toMatch(/no zone spread/);
    expect(caller(zip, B).waypoint).toEqual({ shares: { [A]: 1 }, crossZoneFraction: 1, backendCrossZoneFraction: 0 });
    // The waypoint in A prefers the backend in A: the requests' backend is cross-zone for B and C, and so are the bytes.
    expect(caller(zip, B).shares).toEqual({ [A]: 1 });
    expect(zip.cost.after.crossZoneGbPerMonth).toBe(caller(zip, B).gbPerMonth + caller(zip, C).gbPerMonth);
    expect(zip.routing.waypoint).toBe('octank-travel-ns/waypoint');
    const failed = dest(JSON.parse(down.stdout), 'zip-lookup-service');
    expect(caller(failed, B).shares).toEqual({ [B]: 0.5, [C]: 0.5 });
    expect(caller(failed, B).waypoint).toEqual({ shares: { [A]: 1 }, crossZoneFraction: 1, backendCrossZoneFraction: 1 });
    // Both hops billed: A 1x, B and C 2x each (the backend-zone view alone would say 1 + 0.5 + 0.5).
    const gb = caller(failed, A).gbPerMonth;
    expect(failed.cost.after.crossZoneGbPerMonth).toBeCloseTo(5 * gb, 6);
  });
});

describe('GIVEN a zone-aware DestinationRule on a host behind a waypoint (hand-written manifests)', () => {
  it('THEN the waypoint applies no locality priorities at all (istiod skips zoneAwareLbSetting for waypoints): each waypoint spreads over every zone', async () => {
    const objects = renderObjects(modelOf(ambientTree())).map((o) => {
      if (o.kind !== 'DestinationRule' || o.metadata.name !== 'zip-lookup-service') return o;
      const spec = (o as Any).spec;
      const { localityLbSetting: _drop, ...lb } = spec.trafficPolicy.loadBalancer ?? {};
      return { ...o, spec: { ...spec, trafficPolicy: { ...spec.trafficPolicy, loadBalancer: { ...lb, zoneAwareLbSetting: { enabled: true, minClusterSize: 1 } } } } };
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'objects.yaml'), objects.map((o) => dump(o)).join('---\n'));
    const args = ['simulate', '-f', join(dir, 'objects.yaml'), '--zones', [A, B, C].join(','), '--region', 'us-west-2', '--istio-version', '1.31.1', '--json'];
    const r = await runCli(args);
    expect(r.code).toBe(0);
    const zip = dest(JSON.parse(r.stdout), 'zip-lookup-service');
    expect(zip.routing).toMatchObject({ dataplane: 'ambient', waypoint: 'octank-travel-ns/waypoint', mode: 'uniform' });
    for (const z of [A, B, C]) {
      // The hop to the waypoint stays in the zone (PreferClose); the waypoint then spreads evenly.
      expect(caller(zip, z).waypoint.crossZoneFraction).toBe(0);
      expect(caller(zip, z).crossZoneFraction).toBeCloseTo(2 / 3, 5);
    }
    expect(zip.notes.join('\n')).toMatch(/waypoint ignores zoneAwareLbSetting/);
    // The same DestinationRule with its localityLbSetting keeps every zone's calls local at the waypoint.
    writeFileSync(join(dir, 'plain.yaml'), renderObjects(modelOf(ambientTree())).map((o) => dump(o)).join('---\n'));
    const plain = dest(JSON.parse((await runCli([...args.slice(0, 2), join(dir, 'plain.yaml'), ...args.slice(3)])).stdout), 'zip-lookup-service');
    expect(caller(plain, A).crossZoneFraction).toBe(0);
  });
});
