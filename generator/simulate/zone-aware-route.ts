/**
 * One calling zone's traffic under a zoneAwareLbSetting: istiod's priorities for the proxy
 * (applyZoneAwareLoadBalancer: the proxy's region at priority 0, failover regions after), then
 * Envoy's zone-aware choice at priority 0 against the local cluster (the calling workload's pods
 * per zone, which the sidecar learns only with ISTIO_META_ENABLE_SELF_DISCOVERY).
 */
import { applyZoneAwareLoadBalancer, groupByLocality, LABEL_HOSTNAME, topologyLabels, zoneAwareRoutingEnabled, type ZoneAwareLbSetting } from '../istio/loadbalancer.js';
import { localityLabel, type Locality } from '../istio/locality.js';
import type { EndpointPool } from './engine.js';
import { edsView, type EdsView } from './eds-view.js';
import { ENVOY_DEFAULT_MIN_CLUSTER_SIZE, zoneAwareSplit, type LocalityCount, type ZoneAwareState } from './zone-aware.js';

/** The zone-aware route reads the engine's endpoint pools as they are (type-only import: no runtime cycle). */
export type ZoneAwarePool = EndpointPool;

export interface ZoneAwareRouteOptions {
  readonly setting: ZoneAwareLbSetting;
  /** Ready caller pods per zone (the local cluster); null when the callers run without self-discovery. */
  readonly callers: Readonly<Record<string, number>> | null;
  readonly panicThreshold: number;
  readonly failoverPriorityApplies: boolean;
  /** istiod sends not-ready endpoints to Envoy as unhealthy hosts (they count in panic maths). @default false */
  readonly sendsNotReady?: boolean;
}

export interface ZoneAwareRouted {
  /** Share of this zone's requests per endpoint zone (sums to 1 unless requests fail). */
  readonly shares: Record<string, number>;
  readonly unroutable: number;
  readonly priorities: { priority: number; zones: string[]; loadPercent: number; panic: boolean; eds: EdsView }[];
  readonly state: ZoneAwareState;
  readonly localPanic: boolean;
}

/** The minClusterSize Envoy applies for a setting (Envoy's default when the DestinationRule has none). */
export function effectiveMinClusterSize(setting: ZoneAwareLbSetting): number {
  return setting.minClusterSize ?? ENVOY_DEFAULT_MIN_CLUSTER_SIZE;
}

export function routeZoneAware(pools: readonly ZoneAwarePool[], callerZone: string, region: string, options: ZoneAwareRouteOptions): ZoneAwareRouted {
  const locality: Locality = { region, zone: callerZone, subzone: '' };
  const proxy = { locality, labels: { ...topologyLabels(locality), [LABEL_HOSTNAME]: `node-in-${callerZone}` } };
  const sent = (p: ZoneAwarePool) => (options.sendsNotReady ? p.total : p.total - p.notReady);
  const inEds = pools.map((p, i) => ({ p, i })).filter(({ p }) => sent(p) > 0);
  const cla = groupByLocality(inEds.map(({ p, i }) => ({ locality: localityLabel(p.locality), labels: p.labels, weight: p.weight * sent(p), ref: i })));
  // istiod cannot give STRICT_DNS clusters failoverPriority priorities: drop the labels there.
  const setting = options.failoverPriorityApplies ? options.setting : { ...options.setting, failoverPriority: [] };
  const applied = applyZoneAwareLoadBalancer(cla, proxy, setting);
  const maxPriority = applied.reduce((a, l) => Math.max(a, l.priority), -1);
  const levels: LocalityCount[][] = [];
  const edsLevels: EdsView[] = [];
  const zoneOfKey = new Map<string, string>();
  for (let prio = 0; prio <= maxPriority; prio++) {
    const atPrio = applied.filter((l) => l.priority === prio);
    edsLevels.push(edsView(atPrio.map((entry) => {
      const ps = entry.endpoints.map((e) => pools[e.ref]!);
      return { zone: ps[0]?.zone ?? entry.locality.zone, weight: entry.weight, pools: ps };
    }), sent));
    levels.push(atPrio.map((entry) => {
      const ps = entry.endpoints.map((e) => pools[e.ref]!);
      const key = localityLabel(entry.locality);
      zoneOfKey.set(key, ps[0]?.zone ?? entry.locality.zone);
      return {
        key,
        total: ps.reduce((a, p) => a + sent(p), 0),
        healthy: ps.reduce((a, p) => a + p.healthy, 0),
        degraded: ps.reduce((a, p) => a + p.degraded, 0),
      };
    }));
  }
  const localCluster = options.callers
    ? Object.entries(options.callers).filter(([, n]) => n > 0).map(([zone, n]) => ({ key: localityLabel({ region, zone, subzone: '' }), total: n, healthy: n }))
    : null;
  const split = zoneAwareSplit(levels, {
    localLocality: localityLabel(locality),
    localCluster,
    config: {
      minClusterSize: effectiveMinClusterSize(options.setting),
      routingEnabledPercent: zoneAwareRoutingEnabled(options.setting) ? 100 : 0,
      panicThreshold: options.panicThreshold,
    },
  });
  const shares: Record<string, number> = {};
  split.fractions.forEach((byKey) => {
    for (const [key, f] of Object.entries(byKey)) {
      if (f <= 0) continue;
      const zone = zoneOfKey.get(key) ?? key;
      shares[zone] = (shares[zone] ?? 0) + f;
    }
  });
  const priorities = levels.map((ls, prio) => ({
    priority: prio,
    zones: [...new Set(ls.filter((l) => l.total > 0).map((l) => zoneOfKey.get(l.key) ?? l.key))],
    loadPercent: (split.load.healthy[prio] ?? 0) + (split.load.degraded[prio] ?? 0),
    panic: split.load.panic[prio] ?? false,
    eds: edsLevels[prio]!,
  }));
  const routed = Object.values(shares).reduce((a, b) => a + b, 0);
  return { shares, unroutable: routed > 0 ? split.failed : 1, priorities, state: split.state, localPanic: split.localPanic };
}

/** A sentence per fallback reason, for the notes of a destination. */
export function zoneAwareFallbackNote(state: ZoneAwareState, minClusterSize: number): string | undefined {
  if (state.kind !== 'off') return undefined;
  switch (state.reason) {
    case 'no-local-cluster': return 'the callers run without ISTIO_META_ENABLE_SELF_DISCOVERY: Envoy has no local cluster and routes as if zone-aware routing were off';
    case 'upstream-single-locality': return 'the upstream has endpoints in one zone only: zone-aware routing needs two';
    case 'caller-single-locality': return 'the calling workload runs in one zone only: zone-aware routing needs callers in two zones';
    case 'no-local-caller': return 'no caller pod in this zone in the local cluster: Envoy skips zone-aware routing here';
    case 'cluster-too-small': return `fewer healthy upstream endpoints than minClusterSize ${minClusterSize}: Envoy never routes zone-aware (spread evenly instead)`;
  }
}

/** Zone-aware routing for one destination: a route per calling zone, and the notes it leaves. */
export interface ZoneAwareDestination {
  route(callerZone: string): ZoneAwareRouted;
  /** Fallbacks seen while routing (one sentence per reason, with the zones). */
  notes(): string[];
}

/** How the notes of a destination's zone-aware fallbacks begin. */
export const ZONE_AWARE_FALLBACK_NOTE = 'zone-aware routing from ';

export function zoneAwareDestination(pools: readonly ZoneAwarePool[], region: string, options: ZoneAwareRouteOptions): ZoneAwareDestination {
  const fallbacks = new Map<string, string[]>();
  const min = effectiveMinClusterSize(options.setting);
  return {
    route(zone) {
      const r = routeZoneAware(pools, zone, region, options);
      const note = zoneAwareRoutingEnabled(options.setting)
        ? zoneAwareFallbackNote(r.state, min) ?? (r.localPanic ? 'the calling workload\'s own pods are in panic: Envoy skips zone-aware routing' : undefined)
        : 'zoneAwareLbSetting.enabled is false: Envoy\'s zone-aware routing is switched off (routing_enabled 0%)';
      if (note) fallbacks.set(note, [...(fallbacks.get(note) ?? []), zone]);
      return r;
    },
    notes() {
      const callers = options.callers
        ? `zone-aware routing assumes the callers run with ISTIO_META_ENABLE_SELF_DISCOVERY; their pods per zone (scenario callers, default one per zone): ${Object.entries(options.callers).map(([z, n]) => `${z}=${n}`).join(', ')}`
        : 'the callers run without ISTIO_META_ENABLE_SELF_DISCOVERY';
      return [callers, ...[...fallbacks].map(([note, zones]) => `${ZONE_AWARE_FALLBACK_NOTE}${zones.join(', ')}: ${note}`)];
    },
  };
}
