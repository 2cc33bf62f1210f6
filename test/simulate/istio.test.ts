import { describe, expect, it } from '@jest/globals';
import {
  applyLocalityLoadBalancer, groupByLocality, LABEL_ZONE, localityWeightedLb, resolveLocalityLb, topologyLabels, type LocalityLbSetting,
} from '../../generator/simulate/istio.js';
import { lbPriority, localityMatch, parseLocality } from '../../generator/simulate/locality.js';

/** One endpoint per locality, as in Istio's locality load-balancing tasks (helloworld in each zone). */
function cla(localities: readonly string[], labels: (l: string) => Record<string, string> = () => ({})) {
  return groupByLocality(localities.map((l) => ({ locality: l, labels: { ...labels(l), ...topologyLabels(parseLocality(l)) }, weight: 1, ref: l })));
}

const proxy = { locality: parseLocality('region1/zone1'), labels: topologyLabels(parseLocality('region1/zone1')) };
const TASK_LOCALITIES = ['region1/zone1', 'region1/zone2', 'region2/zone3', 'region3/zone4'];
const on = { enableFailover: true, failoverPriorityApplies: true };

function priorities(setting: LocalityLbSetting | null, options = on) {
  return Object.fromEntries(applyLocalityLoadBalancer(cla(TASK_LOCALITIES), proxy, setting, options).map((l) => [`${l.locality.region}/${l.locality.zone}`, l.priority]));
}

describe('Istio locality priorities (loadbalancer.go applyLocalityFailover)', () => {
  it('GIVEN the proxy locality WHEN compared with endpoint localities THEN region/zone/subzone give priorities 0/1/2/3', () => {
    const p = parseLocality('r/z/s');
    expect(lbPriority(p, parseLocality('r/z/s'))).toBe(0);
    expect(lbPriority(p, parseLocality('r/z/other'))).toBe(1);
    expect(lbPriority(p, parseLocality('r/z2/s'))).toBe(2);
    expect(lbPriority(p, parseLocality('r2/z/s'))).toBe(3);
  });

  it('GIVEN the Istio failover task (failover region1 -> region2) WHEN priorities are assigned for region1/zone1 THEN they are 0,2,3,4 compacted to 0..3', () => {
    // istio.io/latest/docs/tasks/traffic-management/locality-load-balancing/failover: priority 0
    // region1.zone1, 2 region1.zone2, 3 region2.zone3 (failover target), 4 region3.zone4; Envoy needs
    // them without gaps, so istiod renumbers them.
    expect(priorities({ enabled: true, failover: [{ from: 'region1', to: 'region2' }] })).toEqual({
      'region1/zone1': 0, 'region1/zone2': 1, 'region2/zone3': 2, 'region3/zone4': 3,
    });
  });

  it('GIVEN no failover rule WHEN priorities are assigned THEN every other region shares priority 3 (compacted to 2)', () => {
    expect(priorities({ enabled: true })).toEqual({ 'region1/zone1': 0, 'region1/zone2': 1, 'region2/zone3': 2, 'region3/zone4': 2 });
  });

  it('GIVEN failover is not enabled (no outlierDetection) WHEN the setting is applied THEN every endpoint stays in priority 0', () => {
    expect(Object.values(priorities({ enabled: true }, { enableFailover: false, failoverPriorityApplies: true }))).toEqual([0, 0, 0, 0]);
  });

  it('GIVEN failoverPriority on the zone label WHEN applied THEN same-zone endpoints get 0 and the others 1', () => {
    expect(priorities({ failoverPriority: [LABEL_ZONE] })).toEqual({ 'region1/zone1': 0, 'region1/zone2': 1, 'region2/zone3': 1, 'region3/zone4': 1 });
  });

  it('GIVEN failoverPriority with a label=value override WHEN applied THEN endpoints carrying that value come first, whatever their zone', () => {
    const eps = cla(TASK_LOCALITIES, (l) => ({ version: l.endsWith('zone3') ? 'v2' : 'v1' }));
    const out = applyLocalityLoadBalancer(eps, proxy, { failoverPriority: ['version=v2'] }, on);
    expect(Object.fromEntries(out.map((l) => [l.locality.zone, l.priority]))).toEqual({ zone1: 1, zone2: 1, zone3: 0, zone4: 1 });
  });

  it('GIVEN failoverPriority on a STRICT_DNS cluster WHEN applied THEN istiod ignores it (no endpoint labels there)', () => {
    expect(Object.values(priorities({ failoverPriority: [LABEL_ZONE] }, { enableFailover: true, failoverPriorityApplies: false }))).toEqual([0, 0, 0, 0]);
  });

  it('GIVEN failoverPriority and failover together WHEN applied THEN label priorities stay the major key', () => {
    const out = priorities({ failoverPriority: ['topology.istio.io/network'], failover: [{ from: 'region1', to: 'region3' }] });
    // Network is equal everywhere (priority 0), so region/zone failover decides: zone2 1, region3 2, region2 3.
    expect(out).toEqual({ 'region1/zone1': 0, 'region1/zone2': 1, 'region3/zone4': 2, 'region2/zone3': 3 });
  });
});

describe('Istio distribute (loadbalancer.go applyLocalityWeights)', () => {
  const setting: LocalityLbSetting = {
    enabled: true,
    distribute: [{ from: 'region1/zone1/*', to: { 'region1/zone1/*': 70, 'region1/zone2/*': 20, 'region3/zone4/*': 10 } }],
  };

  it('GIVEN the Istio distribute task WHEN applied for region1/zone1 THEN weights are 70/20/10 and region2/zone3 loses its endpoints', () => {
    const out = applyLocalityLoadBalancer(cla(TASK_LOCALITIES), proxy, setting, { enableFailover: false, failoverPriorityApplies: true });
    const byZone = Object.fromEntries(out.map((l) => [l.locality.zone, { weight: l.weight, endpoints: l.endpoints.length, priority: l.priority }]));
    expect(byZone).toEqual({
      zone1: { weight: 70, endpoints: 1, priority: 0 },
      zone2: { weight: 20, endpoints: 1, priority: 0 },
      zone3: { weight: 1, endpoints: 0, priority: 0 },
      zone4: { weight: 10, endpoints: 1, priority: 0 },
    });
  });

  it('GIVEN a proxy no `from` matches WHEN applied THEN the endpoints are untouched', () => {
    const other = { locality: parseLocality('region2/zone3'), labels: {} };
    const out = applyLocalityLoadBalancer(cla(TASK_LOCALITIES), other, setting, on);
    expect(out.map((l) => [l.weight, l.endpoints.length])).toEqual([[1, 1], [1, 1], [1, 1], [1, 1]]);
  });

  it('GIVEN a wildcard `to` matching two localities WHEN applied THEN the weight is split by their original weights, rounded up', () => {
    const eps = groupByLocality([
      { locality: 'r/a', labels: {}, weight: 3, ref: 1 }, { locality: 'r/b', labels: {}, weight: 1, ref: 2 },
    ]);
    const out = applyLocalityLoadBalancer(eps, { locality: parseLocality('r/a'), labels: {} }, { distribute: [{ from: 'r/*', to: { 'r/*': 10 } }] }, on);
    expect(out.map((l) => l.weight)).toEqual([8, 3]); // ceil(3*10/4) = 8, ceil(1*10/4) = 3
  });

  it('GIVEN two rules WHEN the first `from` matches THEN only the first is used', () => {
    const two: LocalityLbSetting = { distribute: [
      { from: 'region1/zone1/*', to: { 'region1/zone1/*': 100 } },
      { from: 'region1/*', to: { 'region1/zone2/*': 100 } },
    ] };
    const out = applyLocalityLoadBalancer(cla(TASK_LOCALITIES), proxy, two, on);
    expect(out.filter((l) => l.endpoints.length > 0).map((l) => l.locality.zone)).toEqual(['zone1']);
  });

  it('GIVEN distribute WHEN istiod builds the cluster THEN locality weighted LB is on (failover without rules leaves it off)', () => {
    expect(localityWeightedLb(setting, false)).toBe(true);
    expect(localityWeightedLb({ enabled: true }, true)).toBe(false);
    expect(localityWeightedLb({ failover: [{ from: 'a', to: 'b' }] }, true)).toBe(true);
    expect(localityWeightedLb({ failover: [{ from: 'a', to: 'b' }] }, false)).toBe(false);
  });
});

describe('Istio GetLocalityLbSetting precedence', () => {
  it('GIVEN a DestinationRule setting WHEN a trafficDistribution is also set THEN the DestinationRule wins', () => {
    expect(resolveLocalityLb({ enabled: true }, { enabled: true, failover: [] }, 'PreferClose')).toMatchObject({ source: 'destinationRule', forceFailover: false });
  });

  it('GIVEN a DestinationRule with enabled: false WHEN resolved THEN locality LB is off, without falling back to the mesh or trafficDistribution', () => {
    expect(resolveLocalityLb({ enabled: true }, { enabled: false }, 'PreferSameZone')).toEqual({ setting: null, forceFailover: false, source: 'disabled' });
  });

  it('GIVEN only trafficDistribution PreferClose WHEN resolved THEN failover is forced with network/region/zone failoverPriority', () => {
    const r = resolveLocalityLb({ enabled: true }, undefined, 'PreferClose');
    expect(r.forceFailover).toBe(true);
    expect(r.setting?.failoverPriority).toEqual(['topology.istio.io/network', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone']);
  });

  it('GIVEN nothing but the mesh default WHEN resolved THEN the mesh setting applies; a mesh with enabled false switches it off', () => {
    expect(resolveLocalityLb({ enabled: true }, undefined, undefined).source).toBe('mesh');
    expect(resolveLocalityLb({ enabled: false }, undefined, undefined).setting).toBeNull();
  });

  it('GIVEN rule localities WHEN matched THEN * and missing parts match anything, a missing region does not', () => {
    const l = parseLocality('us-west-2/us-west-2a/rack1');
    expect(localityMatch(l, 'us-west-2/us-west-2a/*')).toBe(true);
    expect(localityMatch(l, 'us-west-2/*')).toBe(true);
    expect(localityMatch(l, 'us-west-2')).toBe(true);
    expect(localityMatch(l, '*')).toBe(true);
    expect(localityMatch(l, 'us-west-2/us-west-2b')).toBe(false);
    expect(localityMatch(l, 'eu-west-1/*')).toBe(false);
  });
});
