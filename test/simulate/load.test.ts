import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadValuesFile } from '../../generator/model/load-values.js';
import { renderObjects } from '../../generator/render/index.js';
import { simulateObjects } from '../../generator/simulate/index.js';
import { defaultVolume, destinationLoad, evenDistribute, percentWeights, remediesFor } from '../../generator/simulate/load.js';
import { parseScenario } from '../../generator/simulate/scenario.js';
import { REPO } from '../support/helm.js';

const [A, B, C] = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const ZONES = [A, B, C];

describe('load per endpoint', () => {
  it('GIVEN zone-local shares and 60% of the calls from one zone WHEN load is computed THEN that zone serves 60% on a third of the pods and is hot', () => {
    const callers = [
      { zone: A, gbPerMonth: 60, shares: { [A]: 1 } },
      { zone: B, gbPerMonth: 20, shares: { [B]: 1 } },
      { zone: C, gbPerMonth: 20, shares: { [C]: 1 } },
    ];
    const load = destinationLoad(callers, { [A]: 2, [B]: 2, [C]: 2 });
    expect(load.zones.map((z) => [z.zone, z.callShare, z.callSharePerEndpoint])).toEqual([[A, 0.6, 0.3], [B, 0.2, 0.1], [C, 0.2, 0.1]]);
    expect(load.meanPerEndpoint).toBeCloseTo(1 / 6, 6);
    expect(load.worstRatio).toBe(1.8);
    expect(load.hotZones).toEqual([A]);
    // A factor of 2 tolerates 1.8x.
    expect(destinationLoad(callers, { [A]: 2, [B]: 2, [C]: 2 }, 2).hotZones).toEqual([]);
  });

  it('GIVEN uniform shares WHEN load is computed THEN nothing is hot and the ratio is 1', () => {
    const callers = ZONES.map((zone) => ({ zone, gbPerMonth: 100, shares: { [A]: 1 / 3, [B]: 1 / 3, [C]: 1 / 3 } }));
    const load = destinationLoad(callers, { [A]: 1, [B]: 1, [C]: 1 });
    expect(load.hotZones).toEqual([]);
    expect(load.worstRatio).toBe(1);
    expect(remediesFor(load, { [A]: 100, [B]: 100, [C]: 100 })).toEqual([]);
  });

  it('GIVEN callers per zone and no traffic list WHEN the default volume is split THEN each caller pod sends the same', () => {
    expect(ZONES.map((z) => defaultVolume(z, ZONES, 100, { [A]: 6, [B]: 2, [C]: 2 }))).toEqual([180, 60, 60]);
    expect(defaultVolume(A, ZONES, 100, undefined)).toBe(100);
  });

  it('GIVEN shares WHEN turned into distribute weights THEN they are integers 1..100 summing to 100 (largest remainder)', () => {
    expect(percentWeights({ a: 1 / 3, b: 1 / 3, c: 1 / 3 })).toEqual({ a: 34, b: 33, c: 33 });
    expect(percentWeights({ a: 0.5, b: 0, c: 0.5 })).toEqual({ a: 50, c: 50 });
  });

  it('GIVEN 60/20/20 callers on 2/2/2 pods WHEN zonal computes distribute weights THEN applying them gives every pod the same load', () => {
    const volumes = { [A]: 60, [B]: 20, [C]: 20 };
    const ready = { [A]: 2, [B]: 2, [C]: 2 };
    const w = evenDistribute(volumes, ready);
    const callers = ZONES.map((zone) => ({ zone, gbPerMonth: volumes[zone as 'eu-west-1a'], shares: Object.fromEntries(Object.entries(w[zone]!).map(([z, x]) => [z, x / 100])) }));
    const load = destinationLoad(callers, ready);
    // Every zone keeps weight >= 1 (distribute drops unlisted localities), so the result is even within 1%.
    for (const z of load.zones) expect(Math.abs(z.callSharePerEndpoint - 1 / 6)).toBeLessThan(0.01);
    expect(w[B]).toEqual({ [A]: 1, [B]: 98, [C]: 1 });
    expect(w[A]).toEqual({ [A]: 56, [B]: 22, [C]: 22 });
  });
});

describe('GIVEN the zone-aware fixture and a hot-zone scenario WHEN simulated', () => {
  const model = loadValuesFile(join(REPO, 'test', 'fixtures', 'values', 'zone-aware.yaml'));
  const objects = renderObjects(model);
  const scenario = parseScenario(`callers:\n  checkout: { ${A}: 6, ${B}: 2, ${C}: 2 }\n`, 'sc.yaml');
  const run = (objs = objects) => simulateObjects(objs, { zones: ZONES, region: 'eu-west-1', model, scenario });

  it('THEN zone-aware routing keeps what it can local and every checkout pod gets the same share (no hot zone)', () => {
    const d = run().destinations.find((x) => x.name === 'checkout')!;
    expect(d.routing.mode).toBe('zoneAware');
    const fromA = d.callers.find((c) => c.zone === A)!;
    // local 60%, upstream 33.33%: 3333 * 10000 / 6000 = 5555 basis points stay local.
    expect(fromA.shares[A]).toBeCloseTo(0.5555, 4);
    expect(d.callers.find((c) => c.zone === B)!.shares).toEqual({ [B]: 1 });
    for (const e of d.endpoints) expect(e.callSharePerEndpoint).toBeCloseTo(1 / 6, 3);
    expect(d.hotZones).toEqual([]);
  });

  it('THEN the same callers with zone-local routing make the caller-heavy zone hot and name the remedies', () => {
    const zoneLocal = renderObjects(loadValuesFile(join(REPO, 'test', 'fixtures', 'values', 'zone-aware.yaml')))
      .map((o) => (o.kind === 'DestinationRule' && o.metadata.name === 'checkout'
        ? { ...o, spec: { ...(o as any).spec, trafficPolicy: { ...(o as any).spec.trafficPolicy, loadBalancer: { localityLbSetting: { enabled: true } } } } } // eslint-disable-line @typescript-eslint/no-explicit-any
        : o));
    const d = run(zoneLocal).destinations.find((x) => x.name === 'checkout')!;
    expect(d.callers.find((c) => c.zone === A)!.shares).toEqual({ [A]: 1 });
    expect(d.endpoints.find((e) => e.zone === A)!.callShare).toBeCloseTo(0.6, 6);
    expect(d.hotZones).toEqual([A]);
    expect(d.remedies.map((r) => r.kind)).toEqual(['replicas', 'zone-aware', 'distribute']);
    expect(d.remedies[0]).toEqual({ kind: 'replicas', perZone: { [A]: 4, [B]: 2, [C]: 2 } });
  });

  it('THEN routing.zoneAware states the cluster settings istiod emits (min_cluster_size in force, routing on), with no locality-weighted config; zone-local has none', () => {
    const r = run();
    expect(r.destinations.find((x) => x.name === 'checkout')!.routing).toMatchObject({ zoneAware: { minClusterSize: 6, routingEnabled: true }, localityWeightedLb: false });
    expect(r.destinations.find((x) => x.name === 'catalog')!.routing.zoneAware).toEqual({ minClusterSize: 3, routingEnabled: true });
    const off = objects.map((o) => (o.kind === 'DestinationRule' && o.metadata.name === 'checkout'
      ? { ...o, spec: { ...(o as any).spec, trafficPolicy: { ...(o as any).spec.trafficPolicy, loadBalancer: { zoneAwareLbSetting: { enabled: false } } } } } // eslint-disable-line @typescript-eslint/no-explicit-any
      : o));
    const d = run(off).destinations.find((x) => x.name === 'checkout')!;
    expect(d.routing.zoneAware).toEqual({ minClusterSize: 6, routingEnabled: false });
    // routing_enabled 0%: every pick spreads over all healthy endpoints.
    expect(d.callers.find((c) => c.zone === A)!.shares[A]).toBeCloseTo(1 / 3, 6);
    const local = objects.map((o) => (o.kind === 'DestinationRule' ? { ...o, spec: { ...(o as any).spec, trafficPolicy: { ...(o as any).spec.trafficPolicy, loadBalancer: { localityLbSetting: { enabled: true } } } } } : o)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(run(local).destinations.find((x) => x.name === 'checkout')!.routing.zoneAware).toBeUndefined();
  });

  it('THEN a mesh-wide zoneAwareLbSetting (istio ConfigMap) applies to a DestinationRule without a locality setting, and a DestinationRule localityLbSetting outranks it', () => {
    const meshConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'zoneAwareLbSetting:\n  enabled: true\n' } };
    const withLb = (lb: unknown) => objects.map((o) => (o.kind === 'DestinationRule' && o.metadata.name === 'checkout'
      ? { ...o, spec: { ...(o as any).spec, trafficPolicy: { ...(o as any).spec.trafficPolicy, loadBalancer: lb } } } // eslint-disable-line @typescript-eslint/no-explicit-any
      : o));
    const viaMesh = run([...withLb({ simple: 'ROUND_ROBIN' }), meshConfig as never]).destinations.find((x) => x.name === 'checkout')!;
    expect(viaMesh.routing).toMatchObject({ mode: 'zoneAware', source: 'mesh', zoneAware: { minClusterSize: 6, routingEnabled: true } });
    expect(viaMesh.callers.find((c) => c.zone === A)!.shares[A]).toBeCloseTo(0.5555, 4);
    const drWins = run([...withLb({ localityLbSetting: { enabled: true } }), meshConfig as never]).destinations.find((x) => x.name === 'checkout')!;
    expect(drWins.routing.mode).not.toBe('zoneAware');
    expect(drWins.callers.find((c) => c.zone === A)!.shares).toEqual({ [A]: 1 });
  });

  it('THEN the 3-zone cache with 6 endpoints routes zone-aware with callers equal by default: all local', () => {
    const d = run().destinations.find((x) => x.name === 'cache')!;
    for (const c of d.callers) expect(c.shares).toEqual({ [c.zone]: 1 });
  });
});
