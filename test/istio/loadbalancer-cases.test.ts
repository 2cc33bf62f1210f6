/**
 * Istio's load-balancer tests (pilot/pkg/networking/core/loadbalancer, release-1.31) as data: the
 * effective setting's precedence and the EDS priorities / weights istiod assigns.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import {
  applyLocalityLoadBalancer, applyZoneAwareLoadBalancer, effectiveLbSetting, groupByLocality, parseLocality, topologyLabels, zoneAwareRoutingEnabled,
  type EffectiveLbInput, type LocalityLbSetting, type ZoneAwareLbSetting,
} from '../../generator/istio/index.js';
import { REPO } from '../support/helm.js';

const load = <T>(file: string): T[] => (loadAll(readFileSync(join(REPO, 'test/istio/cases', file), 'utf8')) as T[]).filter(Boolean);

interface EffectiveCase extends EffectiveLbInput {
  readonly name: string;
  readonly expected: { kind: string; setting?: unknown; force?: boolean; routingEnabled?: boolean };
}

describe('GIVEN Istio TestGetEffectiveLbSetting as data', () => {
  const cases = load<EffectiveCase>('lb-effective-setting.yaml');
  it('THEN all 23 of Istio\'s cases are there', () => expect(cases).toHaveLength(23));
  it.each(cases.map((c) => [c.name, c] as const))('WHEN %s THEN the core picks the setting Istio picks', (_, c) => {
    const got = effectiveLbSetting(c);
    expect(got.kind).toBe(c.expected.kind);
    if (got.kind === 'locality') {
      expect(got.setting).toEqual(c.expected.setting);
      expect(got.force).toBe(c.expected.force);
    } else if (got.kind === 'zoneAware') {
      expect(got.setting).toEqual(c.expected.setting);
      expect(zoneAwareRoutingEnabled(got.setting)).toBe(c.expected.routingEnabled);
      expect(zoneAwareRoutingEnabled(got.setting)).toBe(c.expected.force); // zone-aware forces failover when on
    }
  });
  it('THEN before Istio 1.31 a zoneAwareLbSetting does not exist and the next level applies', async () => {
    const { behaviourOf } = await import('../../generator/istio/index.js');
    const got = effectiveLbSetting({ destinationRule: { zoneAwareLbSetting: {} }, trafficDistribution: 'PreferSameZone' }, behaviourOf('1.30'));
    expect(got.kind).toBe('locality');
  });
});

interface PriorityCase {
  readonly name: string;
  readonly istioTest: string;
  readonly setting: { locality?: LocalityLbSetting; zoneAware?: ZoneAwareLbSetting };
  readonly enableFailover?: boolean;
  readonly proxyLabels?: Record<string, string>;
  readonly localities?: string[];
  readonly endpoints?: { locality: string; labels: Record<string, string> }[];
  readonly expectedPriorities?: number[];
  readonly expectedWeights?: (number | 'dropped')[];
  /** Istio's test checks only that some endpoint is at priority 0. */
  readonly expectSomePriority0?: boolean;
}

describe('GIVEN Istio TestApplyLocalitySetting / TestApplyZoneAwareLoadBalancer as data', () => {
  const cases = load<PriorityCase>('lb-priorities.yaml');
  it('THEN every case of Istio\'s two tables that has an object form is there (13 + 4)', () => {
    expect(cases.filter((c) => c.istioTest === 'TestApplyLocalitySetting')).toHaveLength(13);
    expect(cases.filter((c) => c.istioTest === 'TestApplyZoneAwareLoadBalancer')).toHaveLength(4);
  });
  const proxyLocality = parseLocality('region1/zone1/subzone1');
  it.each(cases.map((c) => [`${c.istioTest}: ${c.name}`, c] as const))('WHEN %s THEN each EDS entry gets Istio\'s priority or weight', (_, c) => {
    // One LocalityLbEndpoints per listed endpoint, in order (Istio's fixtures are not grouped).
    const eps = c.endpoints ?? c.localities!.map((locality) => ({ locality, labels: {} }));
    const cla = eps.flatMap((e, i) => groupByLocality([{ locality: e.locality, labels: { ...topologyLabels(parseLocality(e.locality)), ...e.labels }, weight: 1, ref: i }]));
    const proxy = { locality: proxyLocality, labels: c.proxyLabels ?? {} };
    const out = c.setting.zoneAware
      ? applyZoneAwareLoadBalancer(cla, proxy, c.setting.zoneAware)
      : applyLocalityLoadBalancer(cla, proxy, c.setting.locality ?? null, { enableFailover: c.enableFailover ?? false, failoverPriorityApplies: true });
    const byRef = new Map<number, { priority: number; weight: number; dropped: boolean }>();
    for (const l of out) {
      if (l.endpoints.length === 0) continue;
      for (const e of l.endpoints) byRef.set(e.ref, { priority: l.priority, weight: l.weight, dropped: false });
    }
    // Entries whose endpoints were removed (distribute) keep their place.
    out.forEach((l, i) => { if (l.endpoints.length === 0) byRef.set(i, { priority: l.priority, weight: l.weight, dropped: true }); });
    if (c.expectedPriorities) expect(eps.map((_, i) => byRef.get(i)!.priority)).toEqual(c.expectedPriorities);
    if (c.expectSomePriority0) expect(eps.some((_, i) => byRef.get(i)!.priority === 0)).toBe(true);
    if (c.expectedWeights) expect(eps.map((_, i) => (byRef.get(i)!.dropped ? 'dropped' : byRef.get(i)!.weight))).toEqual(c.expectedWeights);
  });
});
