import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../generator/k8s/manifest.js';
import type { Scenario } from '../../generator/simulate/scenario.js';
import {
  checkout, destinationRule, REGION, run, scenario, serviceEntry, sharesOf, zone, ZONES,
} from './helpers.js';

const [A, B, C] = ZONES as [string, string, string];

/** Istio's locality tasks: helloworld once in each of four localities, called from region1/zone1. */
const TASK_LOCALITIES = ['region1/zone1', 'region1/zone2', 'region2/zone3', 'region3/zone4'];
function helloworld(localityLbSetting: Record<string, unknown>): KubeObject[] {
  return [
    serviceEntry('helloworld', 'helloworld.sample.example', TASK_LOCALITIES, { resolution: 'STATIC' }),
    destinationRule('helloworld', 'helloworld.sample.example', { localityLbSetting }),
  ];
}
function drained(...zones: string[]): Scenario {
  return scenario({
    endpoints: { helloworld: Object.fromEntries(['zone1', 'zone2', 'zone3', 'zone4'].map((z) => [z, zones.includes(z) ? zone(1, 0) : zone(1)])) },
  });
}

describe('simulator: Istio\'s documented locality examples', () => {
  const failover = helloworld({ enabled: true, failover: [{ from: 'region1', to: 'region2' }] });
  const call = (sc: Scenario) => sharesOf(run(failover, sc, ['zone1'], 'region1'), 'helloworld', 'zone1');

  it('GIVEN the failover task with every locality healthy WHEN region1/zone1 calls THEN all traffic stays in zone1', () => {
    expect(call(drained())).toEqual({ zone1: 1 });
  });

  it('GIVEN zone1 drained WHEN region1/zone1 calls THEN traffic fails over to region1/zone2', () => {
    expect(call(drained('zone1'))).toEqual({ zone2: 1 });
  });

  it('GIVEN region1 drained WHEN region1/zone1 calls THEN traffic fails over to region2 (the failover target), not region3', () => {
    expect(call(drained('zone1', 'zone2'))).toEqual({ zone3: 1 });
  });

  it('GIVEN region1 and region2 drained WHEN region1/zone1 calls THEN traffic reaches region3 last', () => {
    expect(call(drained('zone1', 'zone2', 'zone3'))).toEqual({ zone4: 1 });
  });

  it('GIVEN the distribute task WHEN region1/zone1 calls THEN 70% zone1, 20% zone2, 10% region3/zone4 and nothing to region2/zone3', () => {
    const r = run(helloworld({
      enabled: true,
      distribute: [{ from: 'region1/zone1/*', to: { 'region1/zone1/*': 70, 'region1/zone2/*': 20, 'region3/zone4/*': 10 } }],
    }), drained(), ['zone1', 'zone2'], 'region1');
    expect(sharesOf(r, 'helloworld', 'zone1')).toEqual({ zone1: 0.7, zone2: 0.2, zone4: 0.1 });
    // zone2's proxies match no `from`: plain weights, one endpoint per locality.
    expect(sharesOf(r, 'helloworld', 'zone2')).toEqual({ zone1: 0.25, zone2: 0.25, zone3: 0.25, zone4: 0.25 });
  });
});

describe('simulator: zone-local routing of a 3-zone service', () => {
  it('GIVEN failover priorities and all pods healthy WHEN each zone calls THEN every call stays in its zone', () => {
    const r = run(checkout(6));
    for (const z of ZONES) expect(sharesOf(r, 'checkout', z)).toEqual({ [z]: 1 });
    expect(r.destinations[0]!.routing).toMatchObject({ mode: 'failover', source: 'destinationRule', outlierDetection: true, panicThresholdPercent: 0 });
  });

  it('GIVEN 71 of 100 pods healthy in the caller zone WHEN it calls THEN 99% stays and 1% spills over (overprovisioning factor 1.4)', () => {
    const r = run(checkout(300), scenario({ endpoints: { checkout: { [A]: zone(100, 71), [B]: zone(100), [C]: zone(100) } } }));
    const s = sharesOf(r, 'checkout', A);
    expect(s[A]).toBeCloseTo(0.99, 9);
    // Priority 1 holds both other zones; without locality weighting Envoy picks among their hosts.
    expect(s[B]).toBeCloseTo(0.005, 9);
    expect(s[C]).toBeCloseTo(0.005, 9);
  });

  it('GIVEN 9 of 10 pods NOT READY in a zone AND Istio 1.30 WHEN that zone calls THEN the one ready pod still takes all of the zone\'s traffic', () => {
    const r = run(checkout(30), scenario({ endpoints: { checkout: { [A]: zone(10, 1, 9), [B]: zone(10), [C]: zone(10) } } }), ZONES, REGION, '1.30.5');
    expect(sharesOf(r, 'checkout', A)).toEqual({ [A]: 1 });
  });

  it('GIVEN 9 of 10 pods NOT READY in a zone AND Istio 1.31 WHEN that zone calls THEN istiod sends them as unhealthy and 86% spills over', () => {
    // 1.31 PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS: not-ready pods reach Envoy as unhealthy hosts, so the
    // zone's priority is 10% healthy and keeps 1.4 x 10% = 14% of the load.
    const r = run(checkout(30), scenario({ endpoints: { checkout: { [A]: zone(10, 1, 9), [B]: zone(10), [C]: zone(10) } } }), ZONES, REGION, '1.31.1');
    expect(sharesOf(r, 'checkout', A)).toEqual({ [A]: 0.14, [B]: 0.43, [C]: 0.43 });
  });

  it('GIVEN 9 of 10 pods UNHEALTHY (ejected) in a zone WHEN that zone calls THEN only 14% stays and 86% spills to the other zones', () => {
    const r = run(checkout(30), scenario({ endpoints: { checkout: { [A]: zone(10, 1), [B]: zone(10), [C]: zone(10) } } }));
    const s = sharesOf(r, 'checkout', A);
    expect(s[A]).toBeCloseTo(0.14, 9); // health = 1.4 * 10% = 14
    expect(s[B]! + s[C]!).toBeCloseTo(0.86, 9);
  });

  it('GIVEN a zone without pods WHEN it calls THEN its traffic goes to the other zones and a note says so', () => {
    const r = run(checkout(2));
    expect(sharesOf(r, 'checkout', C)).toEqual({ [A]: 0.5, [B]: 0.5 });
    expect(r.destinations[0]!.notes.join(' ')).toContain(`no ready endpoint in ${C}`);
  });

  it('GIVEN minHealthPercent 60 and every zone 30% healthy WHEN a zone calls THEN all priorities panic and load follows host counts', () => {
    const od = { consecutive5xxErrors: 5, maxEjectionPercent: 100, minHealthPercent: 60 };
    const sc = scenario({ endpoints: { checkout: { [A]: zone(10, 3), [B]: zone(10, 3), [C]: zone(10, 3) } } });
    const panic = sharesOf(run(checkout(30, { localityLbSetting: { enabled: true }, outlierDetection: od }), sc), 'checkout', A);
    expect(panic[A]).toBeCloseTo(0.34, 9); // 100*10/30 = 33, remainder to the first non-empty priority
    const noPanic = sharesOf(run(checkout(30), sc), 'checkout', A);
    expect(noPanic[A]).toBeCloseTo(0.5, 9); // health {42, 42}, normalised to 50/50
  });
});

describe('simulator: configurations that do not keep traffic local', () => {
  it('GIVEN localityLbSetting enabled but no outlierDetection WHEN a zone calls THEN traffic spreads evenly and a note names the trap', () => {
    const r = run(checkout(3, { localityLbSetting: { enabled: true }, outlierDetection: null }));
    expect(sharesOf(r, 'checkout', A)).toEqual({ [A]: 0.333333, [B]: 0.333333, [C]: 0.333333 });
    expect(r.destinations[0]!.routing.mode).toBe('none');
    expect(r.destinations[0]!.notes.join(' ')).toMatch(/no outlierDetection/);
  });

  it('GIVEN the DestinationRule switches locality LB off WHEN a zone calls THEN traffic spreads by pod count', () => {
    const r = run(checkout(7, { localityLbSetting: { enabled: false } }));
    for (const z of ZONES) expect(sharesOf(r, 'checkout', z)).toEqual({ [A]: 0.428571, [B]: 0.285714, [C]: 0.285714 });
  });

  it('GIVEN maxEjectionPercent unset (Envoy default 10) with 3 pods WHEN the caller zone\'s pod fails THEN it is never ejected and keeps its traffic', () => {
    const od = { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' };
    const sc = scenario({ endpoints: { checkout: { [A]: zone(1, 0), [B]: zone(1), [C]: zone(1) } } });
    const stuck = run(checkout(3, { localityLbSetting: { enabled: true }, outlierDetection: od }), sc);
    expect(sharesOf(stuck, 'checkout', A)).toEqual({ [A]: 1 });
    expect(stuck.destinations[0]!.notes.join(' ')).toMatch(/maxEjectionPercent 10 lets outlier detection eject only 0/);
    const ejected = run(checkout(3, { localityLbSetting: { enabled: true }, outlierDetection: { ...od, maxEjectionPercent: 34 } }), sc);
    expect(sharesOf(ejected, 'checkout', A)).toEqual({ [B]: 0.5, [C]: 0.5 });
  });

  it('GIVEN only a Service trafficDistribution PreferClose WHEN a zone calls THEN istiod forces failover and calls stay local', () => {
    const r = run(checkout(3, null, { trafficDistribution: 'PreferClose' }));
    expect(sharesOf(r, 'checkout', B)).toEqual({ [B]: 1 });
    // istiod disables the panic threshold (0) for services whose not-ready endpoints it sends.
    expect(r.destinations[0]!.routing).toMatchObject({ source: 'trafficDistribution', mode: 'failoverPriority', outlierDetection: false, panicThresholdPercent: 0 });
  });

  it('GIVEN trafficDistribution without outlierDetection WHEN the local pod fails THEN Envoy cannot see it and keeps sending (failing) calls', () => {
    const r = run(checkout(3, null, { trafficDistribution: 'PreferSameZone' }), scenario({ endpoints: { checkout: { [A]: zone(1, 0), [B]: zone(1), [C]: zone(1) } } }));
    expect(sharesOf(r, 'checkout', A)).toEqual({ [A]: 1 });
    expect(r.destinations[0]!.notes.join(' ')).toMatch(/no outlierDetection, so Envoy never marks them unhealthy/);
  });

  it('GIVEN a DestinationRule localityLbSetting and a trafficDistribution WHEN simulated THEN the DestinationRule decides and a note says so', () => {
    const r = run(checkout(3, { localityLbSetting: { enabled: false } }, { trafficDistribution: 'PreferClose' }));
    expect(sharesOf(r, 'checkout', A)[A]).toBeCloseTo(1 / 3, 5);
    expect(r.destinations[0]!.notes.join(' ')).toMatch(/takes precedence over trafficDistribution/);
  });

  it('GIVEN a DNS ServiceEntry with failoverPriority AND Istio 1.29 WHEN simulated THEN istiod ignores it; STATIC resolution honours it', () => {
    const fp = { failoverPriority: ['topology.kubernetes.io/zone'] };
    const locs = ZONES.map((z) => `us-west-2/${z}`);
    const dns = run([serviceEntry('cache', 'cache.example', locs), destinationRule('cache', 'cache.example', { localityLbSetting: fp })], scenario(), ZONES, REGION, '1.29.3');
    expect(sharesOf(dns, 'cache', A)[A]).toBeCloseTo(1 / 3, 5);
    expect(dns.destinations[0]!.notes.join(' ')).toMatch(/does not apply failoverPriority/);
    const st = run([serviceEntry('cache', 'cache.example', locs, { resolution: 'STATIC' }), destinationRule('cache', 'cache.example', { localityLbSetting: fp })], scenario(), ZONES, REGION, '1.29.3');
    expect(sharesOf(st, 'cache', A)).toEqual({ [A]: 1 });
  });

  it('GIVEN a multi-locality DNS ServiceEntry with failoverPriority AND Istio 1.31 WHEN simulated THEN priorities apply and a note names the istiod panic', () => {
    const fp = { failoverPriority: ['topology.kubernetes.io/zone'] };
    const dns = run([serviceEntry('cache', 'cache.example', ZONES.map((z) => `us-west-2/${z}`)), destinationRule('cache', 'cache.example', { localityLbSetting: fp })]);
    expect(sharesOf(dns, 'cache', A)).toEqual({ [A]: 1 });
    expect(dns.destinations[0]!.notes.join(' ')).toMatch(/istio\/istio#61857/);
  });

  it('GIVEN a DNS_ROUND_ROBIN ServiceEntry WHEN simulated THEN istiod applies locality LB to its one endpoint like STRICT_DNS', () => {
    // istio-oracle: LOGICAL_DNS clusters get localities and priorities too (a distribute rule that
    // gives the endpoint's zone no weight drops it for that caller).
    const rr = [serviceEntry('db', 'db.example', [`us-west-2/${A}`], { resolution: 'DNS_ROUND_ROBIN' }), destinationRule('db', 'db.example')];
    expect(run(rr).destinations[0]!.routing.mode).not.toBe('uniform');
    const dist = { distribute: [{ from: `us-west-2/${B}/*`, to: { [`us-west-2/${C}/*`]: 100 } }] };
    const dropped = run([rr[0]!, destinationRule('db', 'db.example', { localityLbSetting: dist })]);
    expect(dropped.destinations[0]!.callers.find((c) => c.zone === B)!.priorities.flatMap((p) => p.zones)).toEqual([]);
  });

  it('GIVEN a resolution NONE ServiceEntry WHEN simulated THEN locality LB does not apply (uniform) and a note explains', () => {
    const r = run([serviceEntry('db', 'db.example', [], { resolution: 'NONE' }), destinationRule('db', 'db.example')]);
    expect(r.destinations[0]!.routing.mode).toBe('uniform');
    expect(r.destinations[0]!.notes.join(' ')).toMatch(/resolution NONE/);
  });
});

describe('simulator: kube-proxy (no mesh)', () => {
  const kube = (sc: Partial<Scenario> = {}) => scenario({ dataplane: 'kube-proxy', ...sc });

  it('GIVEN a plain Service WHEN kube-proxy routes THEN calls spread over ready endpoints, even with a DestinationRule', () => {
    const r = run(checkout(3), kube());
    expect(sharesOf(r, 'checkout', A)[A]).toBeCloseTo(1 / 3, 5);
    expect(r.destinations[0]!.routing).toMatchObject({ dataplane: 'kube-proxy', mode: 'uniform' });
  });

  it('GIVEN trafficDistribution PreferClose WHEN kube-proxy routes THEN calls stay in zone when it has a ready endpoint, else spread', () => {
    const r = run(checkout(2, null, { trafficDistribution: 'PreferClose' }), kube());
    expect(sharesOf(r, 'checkout', A)).toEqual({ [A]: 1 });
    expect(sharesOf(r, 'checkout', C)).toEqual({ [A]: 0.5, [B]: 0.5 });
  });

  it('GIVEN unhealthy but ready pods WHEN kube-proxy routes THEN they keep their share (kube-proxy only knows readiness)', () => {
    const r = run(checkout(3, null, { trafficDistribution: 'PreferClose' }), kube({ endpoints: { checkout: { [A]: zone(2, 0, 1), [B]: zone(1), [C]: zone(1) } } }));
    expect(sharesOf(r, 'checkout', A)).toEqual({ [A]: 1 });
    expect(r.destinations[0]!.endpoints.find((e) => e.zone === A)).toMatchObject({ ready: 1, healthy: 1 });
  });
});

/** Deterministic pseudo-random numbers (LCG) so the property test is reproducible. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('simulator: invariants', () => {
  const configs: Array<[string, () => KubeObject[], Partial<Scenario>]> = [
    ['failover', () => checkout(30), {}],
    ['failover, panic 50', () => checkout(30, { localityLbSetting: { enabled: true }, outlierDetection: { maxEjectionPercent: 100, minHealthPercent: 50 } }), {}],
    ['distribute', () => checkout(30, { localityLbSetting: { distribute: [{ from: `us-west-2/${A}/*`, to: { [`us-west-2/${A}/*`]: 80, [`us-west-2/${B}/*`]: 20 } }] } }), {}],
    ['off', () => checkout(30, { localityLbSetting: { enabled: false } }), {}],
    ['trafficDistribution', () => checkout(30, null, { trafficDistribution: 'PreferSameZone' }), {}],
    ['kube-proxy', () => checkout(30, null, { trafficDistribution: 'PreferClose' }), { dataplane: 'kube-proxy' }],
  ];

  it.each(configs)('GIVEN %s and 60 random endpoint healths WHEN simulated THEN every caller\'s shares sum to 1 (or it is unroutable) and volumes are conserved', (_name, objects, extra) => {
    const next = rng(42);
    for (let i = 0; i < 60; i++) {
      const endpoints = Object.fromEntries(ZONES.map((z) => {
        const total = next(12);
        const notReady = next(total + 1);
        const degraded = next(total - notReady + 1);
        return [z, zone(total, next(total - notReady - degraded + 1), notReady, degraded)];
      }));
      const traffic = ZONES.map((z) => ({ from: z, to: 'checkout', gbPerMonth: next(1000) }));
      const r = run(objects(), scenario({ ...extra, endpoints: { checkout: endpoints }, traffic, defaultGbPerMonth: 0 }));
      for (const c of r.destinations[0]!.callers) {
        const sum = Object.values(c.shares).reduce((a, b) => a + b, 0);
        if (c.unroutableFraction >= 1) expect(sum).toBe(0);
        else expect(sum).toBeCloseTo(1, 5);
        for (const v of Object.values(c.shares)) expect(v).toBeGreaterThanOrEqual(0);
        const before = Object.values(c.sharesBefore).reduce((a, b) => a + b, 0);
        if (Object.keys(c.sharesBefore).length) expect(before).toBeCloseTo(1, 5);
        const routed = c.unroutableFraction >= 1 ? 0 : c.gbPerMonth;
        const row = Object.values(r.matrix.after[c.zone] ?? {}).reduce((a, b) => a + b, 0);
        expect(row).toBeCloseTo(routed, 1);
      }
    }
  });

  it('GIVEN any configuration WHEN routing is off ("before") THEN each zone\'s shares equal the uniform spread over available endpoints', () => {
    const sc = scenario({ endpoints: { checkout: { [A]: zone(5), [B]: zone(3, 3, 2), [C]: zone(2) } } });
    for (const objects of [checkout(0), checkout(0, { localityLbSetting: { distribute: [{ from: '*', to: { [`us-west-2/${A}/*`]: 100 } }] } })]) {
      const r = run(objects, sc);
      for (const c of r.destinations[0]!.callers) expect(c.sharesBefore).toEqual({ [A]: 0.5, [B]: 0.3, [C]: 0.2 });
    }
  });

  it('GIVEN routing switched off in the DestinationRule WHEN simulated THEN "after" equals "before"', () => {
    const r = run(checkout(8, { localityLbSetting: { enabled: false } }));
    for (const c of r.destinations[0]!.callers) expect(c.shares).toEqual(c.sharesBefore);
    expect(r.cost.after).toEqual(r.cost.before);
  });
});
