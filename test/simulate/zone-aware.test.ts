import { describe, expect, it } from '@jest/globals';
import {
  localityPercentages, zoneAwareLocalityShares, zoneAwareSplit, zoneAwareState,
  type LocalityCount, type ZoneAwareConfig, type ZoneAwareInput,
} from '../../generator/simulate/zone-aware.js';

/** `{a: 2, b: 3}` -> all-healthy localities. */
function hosts(counts: Record<string, number>): LocalityCount[] {
  return Object.entries(counts).map(([key, n]) => ({ key, total: n, healthy: n }));
}

function input(localLocality: string, upstream: Record<string, number>, local: Record<string, number>, config: Partial<ZoneAwareConfig> = {}): ZoneAwareInput {
  return { localLocality, upstream: hosts(upstream), localCluster: hosts(local), config: { panicThreshold: 50, ...config } };
}

function sharesOf(i: ZoneAwareInput): Record<string, number> {
  const s = zoneAwareState(i);
  if (s.kind === 'off') throw new Error(`zone-aware routing is off: ${s.reason}`);
  return zoneAwareLocalityShares(s, i.upstream, i.localLocality);
}

describe('Envoy zone-aware routing: the cases of Envoy\'s own load-balancer tests', () => {
  it('GIVEN callers 2/2/1/1 in A/B/C/D and upstreams 1/0/3/3/1 in A/B/C/D/E WHEN a proxy in A routes THEN 37.5% stays in A and the rest follows residual capacity 2084/2084/1250', () => {
    // ZoneAwareResidualsMismatched: percentages are matched by locality, so zone B (callers, no
    // upstream) does not shift the residuals of C, D and E.
    const i = input('A', { A: 1, C: 3, D: 3, E: 1 }, { A: 2, B: 2, C: 1, D: 1 }, { minClusterSize: 6 });
    const s = zoneAwareState(i);
    expect(s).toEqual({ kind: 'residual', localPercentToRoute: 3750, residual: { C: 2084, D: 2084, E: 1250 } });
    const shares = sharesOf(i);
    expect(shares.A).toBeCloseTo(0.375, 6);
    expect(shares.C).toBeCloseTo(0.625 * 2084 / 5418, 6);
    expect(shares.D).toBeCloseTo(0.625 * 2084 / 5418, 6);
    expect(shares.E).toBeCloseTo(0.625 * 1250 / 5418, 6);
  });

  it('GIVEN one caller in A and one in B, upstreams in A and C WHEN the proxy in A routes THEN all goes directly to A; in B (no upstream there) THEN all goes to C', () => {
    // ZoneAwareZonesMismatched (min_cluster_size 2).
    expect(zoneAwareState(input('A', { A: 1, C: 1 }, { A: 1, B: 1 }, { minClusterSize: 2 }))).toEqual({ kind: 'direct' });
    const fromB = input('B', { A: 1, C: 1 }, { A: 1, B: 1 }, { minClusterSize: 2 });
    expect(zoneAwareState(fromB)).toEqual({ kind: 'residual', localPercentToRoute: 0, residual: { A: 0, C: 5000 } });
    expect(sharesOf(fromB)).toEqual({ C: 1 });
  });

  it('GIVEN callers in A and B only and one upstream in each of A/B/C WHEN the proxy in B routes THEN two thirds stay in B and the third goes to C', () => {
    // ZoneAwareDifferentZoneSize: local 50%, upstream 33.33% -> 3333 * 10000 / 5000 = 6666 sampled locally.
    const i = input('B', { A: 1, B: 1, C: 1 }, { A: 1, B: 1 }, { minClusterSize: 3 });
    expect(zoneAwareState(i)).toEqual({ kind: 'residual', localPercentToRoute: 6666, residual: { A: 0, C: 3333 } });
    const shares = sharesOf(i);
    expect(shares.B).toBeCloseTo(0.6666, 6);
    expect(shares.C).toBeCloseTo(0.3334, 6);
    expect(shares.A).toBeUndefined();
  });

  it('GIVEN callers 1/1/1 and upstreams 1/2/2 in A/B/C (min_cluster_size 5) WHEN the proxy in the small zone A routes THEN 60% stays and B and C share the rest', () => {
    // ZoneAwareRoutingSmallZone: 2000 * 10000 / 3333 = 6000 local; residual 667 in B and in C.
    const i = input('A', { A: 1, B: 2, C: 2 }, { A: 1, B: 1, C: 1 }, { minClusterSize: 5 });
    expect(zoneAwareState(i)).toEqual({ kind: 'residual', localPercentToRoute: 6000, residual: { B: 667, C: 667 } });
    const shares = sharesOf(i);
    expect(shares.A).toBeCloseTo(0.6, 9);
    expect(shares.B).toBeCloseTo(0.2, 9);
    expect(shares.C).toBeCloseTo(0.2, 9);
  });

  it('GIVEN callers in A/B/C and upstreams only in D/E/F WHEN the proxy in A routes THEN nothing is local and D/E/F get a third each', () => {
    // ZoneAwareNoMatchingZones: every upstream zone has residual 3333 (9999 in total, a rounding short of 10000).
    const i = input('A', { D: 1, E: 1, F: 1 }, { A: 1, B: 1, C: 1 }, { minClusterSize: 3 });
    expect(zoneAwareState(i)).toEqual({ kind: 'residual', localPercentToRoute: 0, residual: { D: 3333, E: 3333, F: 3333 } });
    const shares = sharesOf(i);
    for (const z of ['D', 'E', 'F']) expect(shares[z]).toBeCloseTo(1 / 3, 9);
  });

  it('GIVEN one host and one caller in each of A/B/C WHEN min_cluster_size is 7 THEN the cluster is too small; with 3 (or 1) THEN it routes directly', () => {
    // ZoneAwareSmallCluster and ZoneAwareRoutingLargeZoneSwitchOnOff.
    expect(zoneAwareState(input('B', { A: 1, B: 1, C: 1 }, { A: 1, B: 1, C: 1 }, { minClusterSize: 7 }))).toEqual({ kind: 'off', reason: 'cluster-too-small' });
    expect(zoneAwareState(input('B', { A: 1, B: 1, C: 1 }, { A: 1, B: 1, C: 1 }, { minClusterSize: 3 }))).toEqual({ kind: 'direct' });
    expect(zoneAwareState(input('B', { A: 1, B: 1, C: 1 }, { A: 1, B: 1, C: 1 }, { minClusterSize: 1 }))).toEqual({ kind: 'direct' });
  });

  it('GIVEN the residual example of Envoy\'s comments (local 40/40/20 %, upstream 25/50/25 %) WHEN the proxy in the first zone routes THEN residual capacity is 0/1000/500 basis points', () => {
    const i = input('x', { x: 2, y: 4, z: 2 }, { x: 4, y: 4, z: 2 });
    const pct = localityPercentages(i.localCluster!, i.upstream);
    expect([...pct.values()]).toEqual([{ local: 4000, upstream: 2500 }, { local: 4000, upstream: 5000 }, { local: 2000, upstream: 2500 }]);
    const s = zoneAwareState(i);
    expect(s).toEqual({ kind: 'residual', localPercentToRoute: 6250, residual: { y: 1000, z: 500 } });
    const shares = sharesOf(i);
    expect(shares.x).toBeCloseTo(0.625, 6);
    expect(shares.y).toBeCloseTo(0.25, 6);
    expect(shares.z).toBeCloseTo(0.125, 6);
  });

  it('GIVEN the upstream\'s local share at least the caller\'s WHEN routing THEN it is direct (zone_aware.rst, second case)', () => {
    expect(zoneAwareState(input('a', { a: 4, b: 2, c: 2 }, { a: 1, b: 1, c: 1 }))).toEqual({ kind: 'direct' });
    // Equal shares are direct too (>=).
    expect(zoneAwareState(input('a', { a: 2, b: 2, c: 2 }, { a: 5, b: 5, c: 5 }))).toEqual({ kind: 'direct' });
  });
});

describe('Envoy zone-aware routing: preconditions under which it falls back', () => {
  it.each([
    ['the bundled 3-replica service (default min_cluster_size 6)', input('a', { a: 1, b: 1, c: 1 }, { a: 1, b: 1, c: 1 }), 'cluster-too-small'],
    ['5 healthy hosts with min_cluster_size 6', input('a', { a: 2, b: 2, c: 1 }, { a: 1, b: 1, c: 1 }), 'cluster-too-small'],
    ['an upstream in one zone', input('a', { a: 9 }, { a: 1, b: 1 }), 'upstream-single-locality'],
    ['callers in one zone', input('a', { a: 3, b: 3 }, { a: 4 }), 'caller-single-locality'],
    ['a proxy whose own zone has no caller in the local cluster', input('c', { a: 3, b: 3 }, { a: 1, b: 1 }), 'no-local-caller'],
  ])('GIVEN %s WHEN the structures are built THEN routing is not zone-aware (%s)', (_what, i, reason) => {
    expect(zoneAwareState(i)).toEqual({ kind: 'off', reason });
  });

  it('GIVEN no local cluster (self-discovery off) WHEN the structures are built THEN routing is not zone-aware', () => {
    expect(zoneAwareState({ ...input('a', { a: 3, b: 3 }, {}), localCluster: null })).toEqual({ kind: 'off', reason: 'no-local-cluster' });
  });

  it('GIVEN min_cluster_size counts healthy hosts WHEN 6 hosts exist but one is unhealthy THEN the cluster is too small', () => {
    const i: ZoneAwareInput = { localLocality: 'a', upstream: [{ key: 'a', total: 3, healthy: 2 }, { key: 'b', total: 3, healthy: 3 }], localCluster: hosts({ a: 1, b: 1 }), config: { panicThreshold: 0 } };
    expect(zoneAwareState(i)).toEqual({ kind: 'off', reason: 'cluster-too-small' });
    expect(zoneAwareState({ ...i, config: { panicThreshold: 0, minClusterSize: 5 } }).kind).toBe('residual');
  });

  it('GIVEN force_local_zone min_size 1 and callers in one zone WHEN routing THEN it goes directly local', () => {
    expect(zoneAwareState(input('a', { a: 3, b: 3 }, { a: 4 }, { forceLocalZoneMinSize: 1 }))).toEqual({ kind: 'direct' });
    // A residual case (callers 3:1, hosts 3:3) becomes direct once the local zone has min_size hosts.
    expect(zoneAwareState(input('a', { a: 3, b: 3 }, { a: 3, b: 1 }, { forceLocalZoneMinSize: 3 }))).toEqual({ kind: 'direct' });
    expect(zoneAwareState(input('a', { a: 3, b: 3 }, { a: 3, b: 1 }, { forceLocalZoneMinSize: 4 })).kind).toBe('residual');
  });
});

describe('Envoy zone-aware routing: panic, health and priorities', () => {
  const callers = hosts({ a: 3, b: 1 });

  it('GIVEN a residual case WHEN all of P=0 is routed THEN the split follows the residual maths and nothing fails', () => {
    const split = zoneAwareSplit([hosts({ a: 3, b: 3 })], { localLocality: 'a', localCluster: callers, config: { panicThreshold: 50 } });
    // local 75%, upstream 50%: 5000 * 10000 / 7500 = 6666 local.
    expect(split.fractions[0]!.a).toBeCloseTo(0.6666, 6);
    expect(split.fractions[0]!.b).toBeCloseTo(0.3334, 6);
    expect(split.failed).toBe(0);
    expect(split.zoneAwareFraction).toBe(1);
  });

  it('GIVEN the local cluster in panic (1 of 4 callers healthy, threshold 50) WHEN routing THEN zone awareness is skipped: healthy hosts share evenly', () => {
    const sick: LocalityCount[] = [{ key: 'a', total: 3, healthy: 0 }, { key: 'b', total: 1, healthy: 1 }];
    const split = zoneAwareSplit([hosts({ a: 3, b: 3 })], { localLocality: 'a', localCluster: sick, config: { panicThreshold: 50 } });
    expect(split.localPanic).toBe(true);
    expect(split.fractions[0]).toEqual({ a: 0.5, b: 0.5 });
    expect(split.zoneAwareFraction).toBe(0);
  });

  it('GIVEN the local cluster in panic and fail_traffic_on_panic WHEN routing THEN the requests fail', () => {
    const sick: LocalityCount[] = [{ key: 'a', total: 3, healthy: 0 }, { key: 'b', total: 1, healthy: 1 }];
    const split = zoneAwareSplit([hosts({ a: 3, b: 3 })], { localLocality: 'a', localCluster: sick, config: { panicThreshold: 50, failTrafficOnPanic: true } });
    expect(split.failed).toBe(1);
  });

  it('GIVEN P=0 in panic (2 of 6 upstream healthy, threshold 50, no P=1) WHEN routing THEN every host of P=0 shares the load, healthy or not', () => {
    const p0: LocalityCount[] = [{ key: 'a', total: 3, healthy: 2 }, { key: 'b', total: 3, healthy: 0 }];
    const split = zoneAwareSplit([p0], { localLocality: 'a', localCluster: callers, config: { panicThreshold: 50, minClusterSize: 1 } });
    expect(split.load.panic[0]).toBe(true);
    expect(split.fractions[0]).toEqual({ a: 0.5, b: 0.5 });
  });

  it('GIVEN routing_enabled 40% WHEN routing a direct case THEN 40% goes local and 60% spreads over all healthy hosts', () => {
    const split = zoneAwareSplit([hosts({ a: 3, b: 3 })], { localLocality: 'a', localCluster: hosts({ a: 1, b: 1 }), config: { panicThreshold: 50, routingEnabledPercent: 40 } });
    expect(split.fractions[0]!.a).toBeCloseTo(0.4 + 0.3, 9);
    expect(split.fractions[0]!.b).toBeCloseTo(0.3, 9);
  });

  it('GIVEN a second priority (another region) WHEN P=0 loses hosts THEN only P=0 is zone-aware and P=1 spreads evenly', () => {
    // P=0 6 of 10 healthy: health 84 -> 84% at P=0, 16% to P=1 (overprovisioning 1.4).
    const p0: LocalityCount[] = [{ key: 'a', total: 5, healthy: 3 }, { key: 'b', total: 5, healthy: 3 }];
    const p1 = hosts({ x: 2, y: 2 });
    const split = zoneAwareSplit([p0, p1], { localLocality: 'a', localCluster: hosts({ a: 1, b: 1 }), config: { panicThreshold: 0 } });
    expect(split.load.healthy).toEqual([84, 16]);
    expect(split.fractions[0]).toEqual({ a: 0.84 });
    expect(split.fractions[1]!.x).toBeCloseTo(0.08, 9);
    expect(split.fractions[1]!.y).toBeCloseTo(0.08, 9);
  });
});

/** A small deterministic generator (no Math.random in tests). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Envoy zone-aware routing: the promise of the residual maths', () => {
  it('GIVEN 500 random zone layouts where every caller routes zone-aware and calls at the same rate per pod WHEN all callers route THEN every upstream host gets the same share within 1 point', () => {
    const rnd = lcg(11);
    let checked = 0;
    for (let n = 0; n < 500; n++) {
      const zones = ['a', 'b', 'c', 'd'].slice(0, 2 + Math.floor(rnd() * 3));
      const up: Record<string, number> = {};
      const local: Record<string, number> = {};
      for (const z of zones) {
        const u = Math.floor(rnd() * 9);
        if (u > 0) up[z] = u;
        local[z] = 1 + Math.floor(rnd() * 12);
      }
      const upstream = hosts(up);
      const totalHosts = upstream.reduce((a, l) => a + l.total, 0);
      const totalCallers = Object.values(local).reduce((a, b) => a + b, 0);
      if (upstream.length < 2 || totalHosts < 6) continue;
      const perLocality: Record<string, number> = {};
      for (const z of zones) {
        const i = input(z, up, local);
        const shares = sharesOf(i);
        for (const [k, v] of Object.entries(shares)) perLocality[k] = (perLocality[k] ?? 0) + (local[z]! / totalCallers) * v;
      }
      for (const l of upstream) {
        const perHost = (perLocality[l.key] ?? 0) / l.total;
        expect(Math.abs(perHost - 1 / totalHosts) * 100).toBeLessThanOrEqual(1);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('GIVEN the hot-zone layout (60% of callers, a third of the pods) WHEN zone-aware routing runs THEN per-pod load is even, while zone-local routing would load those pods 1.8x', () => {
    const up = { a: 2, b: 2, c: 2 };
    const local = { a: 6, b: 2, c: 2 };
    const load: Record<string, number> = {};
    for (const z of Object.keys(local)) {
      for (const [k, v] of Object.entries(sharesOf(input(z, up, local)))) load[k] = (load[k] ?? 0) + (local[z as 'a']! / 10) * v;
    }
    for (const k of Object.keys(up)) expect(load[k]! / 2).toBeCloseTo(1 / 6, 3);
    // Zone-local: zone a keeps its 60% on 2 of 6 pods = 0.3 per pod vs the mean 1/6.
    expect((0.6 / 2) / (1 / 6)).toBeCloseTo(1.8, 9);
  });
});
