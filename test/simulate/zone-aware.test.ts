import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
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

interface EnvoyCase {
  readonly name: string;
  readonly source: string;
  readonly proxy: string;
  readonly upstream: Record<string, number>;
  readonly callers: Record<string, number>;
  readonly config?: Partial<ZoneAwareConfig>;
  readonly expect: {
    readonly state: 'direct' | 'residual' | 'off';
    readonly reason?: string;
    readonly localPercentToRoute?: number;
    readonly residual?: Record<string, number>;
    readonly shares?: Record<string, number>;
  };
}

const ENVOY_CASES = load(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'cases', 'envoy-zone-aware.yaml'), 'utf8')) as EnvoyCase[];

describe('Envoy zone-aware routing: the cases of Envoy\'s tests and zone_aware.rst (test/simulate/cases/envoy-zone-aware.yaml)', () => {
  it('THEN the data holds the cases', () => {
    expect(ENVOY_CASES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(ENVOY_CASES.map((c) => [`${c.name} (${c.source})`, c] as const))('GIVEN %s WHEN the proxy routes THEN Envoy\'s state and split', (_name, c) => {
    const i = input(c.proxy, c.upstream, c.callers, c.config ?? {});
    const s = zoneAwareState(i);
    expect(s.kind).toBe(c.expect.state);
    if (s.kind === 'off') {
      expect(s.reason).toBe(c.expect.reason);
      return;
    }
    if (s.kind === 'residual') {
      expect(s.localPercentToRoute).toBe(c.expect.localPercentToRoute);
      expect(s.residual).toEqual(c.expect.residual);
    }
    const shares = zoneAwareLocalityShares(s, i.upstream, i.localLocality);
    expect(Object.keys(shares).sort()).toEqual(Object.keys(c.expect.shares ?? {}).sort());
    for (const [zone, share] of Object.entries(c.expect.shares ?? {})) expect(shares[zone]).toBeCloseTo(share, 4);
  });

  it('GIVEN the residual example WHEN percentages are computed THEN they are matched by locality in basis points', () => {
    const i = input('x', { x: 2, y: 4, z: 2 }, { x: 4, y: 4, z: 2 });
    expect([...localityPercentages(i.localCluster!, i.upstream).values()]).toEqual([{ local: 4000, upstream: 2500 }, { local: 4000, upstream: 5000 }, { local: 2000, upstream: 2500 }]);
  });
});

describe('Envoy zone-aware routing: preconditions under which it falls back', () => {
  it('GIVEN no local cluster (self-discovery off) WHEN the structures are built THEN routing is not zone-aware', () => {
    expect(zoneAwareState({ ...input('a', { a: 3, b: 3 }, {}), localCluster: null })).toEqual({ kind: 'off', reason: 'no-local-cluster' });
  });

  it('GIVEN min_cluster_size counts healthy hosts WHEN 6 hosts exist but one is unhealthy THEN the cluster is too small', () => {
    const i: ZoneAwareInput = { localLocality: 'a', upstream: [{ key: 'a', total: 3, healthy: 2 }, { key: 'b', total: 3, healthy: 3 }], localCluster: hosts({ a: 1, b: 1 }), config: { panicThreshold: 0 } };
    expect(zoneAwareState(i)).toEqual({ kind: 'off', reason: 'cluster-too-small' });
    expect(zoneAwareState({ ...i, config: { panicThreshold: 0, minClusterSize: 5 } }).kind).toBe('residual');
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
