/**
 * Load per endpoint in a prediction: which share of a destination's calls each zone (and each of
 * its ready endpoints) serves, which zones run hot, and what would even them out. Pure.
 */
import { zoneAwareLocalityShares, zoneAwareState, ENVOY_DEFAULT_MIN_CLUSTER_SIZE } from './zone-aware.js';

/** `--hot-zone-factor` default: a zone is hot when its per-endpoint share exceeds 1.5x the mean. */
export const DEFAULT_HOT_ZONE_FACTOR = 1.5;

export interface CallerVolume {
  readonly zone: string;
  readonly gbPerMonth: number;
  /** Share of this zone's calls per endpoint zone (unrounded). */
  readonly shares: Readonly<Record<string, number>>;
}

export interface ZoneLoad {
  readonly zone: string;
  readonly ready: number;
  /** Fraction of all of the destination's calls served by the zone. */
  readonly callShare: number;
  /** callShare per ready endpoint of the zone. */
  readonly callSharePerEndpoint: number;
}

export interface DestinationLoad {
  readonly zones: readonly ZoneLoad[];
  /** Mean share per ready endpoint (1 / ready endpoints when every call is served). */
  readonly meanPerEndpoint: number;
  /** Highest per-endpoint share divided by the mean (1 = even). */
  readonly worstRatio: number;
  readonly hotZones: readonly string[];
}

/** Each caller zone's weight in the destination's calls: its volume (equal weights when there is none). */
function weights(callers: readonly CallerVolume[]): number[] {
  const total = callers.reduce((a, c) => a + c.gbPerMonth, 0);
  return total > 0 ? callers.map((c) => c.gbPerMonth / total) : callers.map(() => 1 / Math.max(1, callers.length));
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Share per zone and hot zones; `ready` lists the destination's ready endpoints per zone. */
export function destinationLoad(callers: readonly CallerVolume[], ready: Readonly<Record<string, number>>, hotZoneFactor = DEFAULT_HOT_ZONE_FACTOR): DestinationLoad {
  const w = weights(callers);
  const share: Record<string, number> = {};
  callers.forEach((c, i) => {
    for (const [z, f] of Object.entries(c.shares)) share[z] = (share[z] ?? 0) + w[i]! * f;
  });
  const zones = [...new Set([...Object.keys(ready), ...Object.keys(share)])].sort();
  const totalReady = Object.values(ready).reduce((a, b) => a + b, 0);
  const served = Object.values(share).reduce((a, b) => a + b, 0);
  const mean = totalReady > 0 ? served / totalReady : 0;
  const out: ZoneLoad[] = zones.map((zone) => {
    const r = ready[zone] ?? 0;
    const s = share[zone] ?? 0;
    return { zone, ready: r, callShare: round6(s), callSharePerEndpoint: round6(r > 0 ? s / r : 0) };
  });
  const worst = out.reduce((a, z) => Math.max(a, z.ready > 0 ? (share[z.zone] ?? 0) / z.ready : 0), 0);
  const hotZones = mean > 0 ? out.filter((z) => z.ready > 0 && (share[z.zone] ?? 0) / z.ready > hotZoneFactor * mean + 1e-12).map((z) => z.zone) : [];
  return { zones: out, meanPerEndpoint: round6(mean), worstRatio: mean > 0 ? Math.round((worst / mean) * 1000) / 1000 : 0, hotZones };
}

/**
 * The default volume per caller zone when the scenario lists no traffic for the pair: the
 * destination's total default (defaultGbPerMonth per zone) split by the callers' pods when the
 * scenario gives them, so each caller pod sends the same (what zone-aware routing assumes).
 */
export function defaultVolume(zone: string, zones: readonly string[], defaultGbPerMonth: number, callers: Readonly<Record<string, number>> | undefined): number {
  if (!callers) return defaultGbPerMonth;
  const total = zones.reduce((a, z) => a + (callers[z] ?? 0), 0);
  if (total <= 0) return defaultGbPerMonth;
  return (defaultGbPerMonth * zones.length * (callers[zone] ?? 0)) / total;
}

/** Caller pods per zone: the scenario's, else one in every zone (equal). */
export function callersOf(zones: readonly string[], scenarioCallers: Readonly<Record<string, number>> | undefined): Record<string, number> {
  if (scenarioCallers) return { ...scenarioCallers };
  return Object.fromEntries(zones.map((z) => [z, 1]));
}

/** Integer weights (1..100) summing to 100, by largest remainder; zero shares are dropped. */
export function percentWeights(shares: Readonly<Record<string, number>>): Record<string, number> {
  const entries = Object.entries(shares).filter(([, v]) => v > 0).sort(([a], [b]) => a.localeCompare(b));
  const total = entries.reduce((a, [, v]) => a + v, 0);
  if (total <= 0) return {};
  const raw = entries.map(([k, v]) => ({ k, exact: (100 * v) / total }));
  const floors = raw.map((r) => ({ ...r, w: Math.floor(r.exact) }));
  let left = 100 - floors.reduce((a, r) => a + r.w, 0);
  for (const r of [...floors].sort((a, b) => (b.exact - b.w) - (a.exact - a.w) || a.k.localeCompare(b.k))) {
    if (left <= 0) break;
    r.w += 1;
    left--;
  }
  const out: Record<string, number> = {};
  for (const r of floors) if (r.w > 0) out[r.k] = r.w;
  return out;
}

/**
 * Weight 1 for every zone a rule leaves out, taken from the largest weight: `distribute` drops the
 * localities it does not list, so without it those calls could never fail over there.
 */
function withEveryZone(weights: Record<string, number>, zones: readonly string[]): Record<string, number> {
  const out = { ...weights };
  for (const z of zones) {
    if (out[z] !== undefined) continue;
    const [top] = Object.entries(out).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    if (!top || top[1] <= 1) continue;
    out[top[0]] = top[1] - 1;
    out[z] = 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * `distribute` weights that give every endpoint the same load: for each caller zone, Envoy's
 * zone-aware split computed with the callers' volumes as the local cluster (the same maths, set
 * statically). Keys are zones; the caller turns them into localities.
 */
export function evenDistribute(volumes: Readonly<Record<string, number>>, ready: Readonly<Record<string, number>>): Record<string, Record<string, number>> {
  const upstream = Object.entries(ready).filter(([, n]) => n > 0).map(([key, n]) => ({ key, total: n, healthy: n }));
  const local = Object.entries(volumes).filter(([, v]) => v > 0).map(([key, v]) => ({ key, total: v, healthy: v }));
  const out: Record<string, Record<string, number>> = {};
  if (upstream.length === 0) return out;
  for (const { key: zone } of local) {
    const state = zoneAwareState({ localLocality: zone, upstream, localCluster: local, config: { panicThreshold: 0, minClusterSize: 0 } });
    const shares = state.kind === 'off'
      ? Object.fromEntries(upstream.map((u) => [u.key, u.total]))
      : zoneAwareLocalityShares(state, upstream, zone);
    out[zone] = withEveryZone(percentWeights(shares), upstream.map((u) => u.key));
  }
  return out;
}

export type Remedy =
  | { readonly kind: 'replicas'; readonly perZone: Readonly<Record<string, number>> }
  | { readonly kind: 'zone-aware'; readonly engages: boolean; readonly minClusterSize: number; readonly endpoints: number }
  | { readonly kind: 'distribute'; readonly weights: Readonly<Record<string, Readonly<Record<string, number>>>> };

/** What would even out a destination with hot zones: pods per zone, zone-aware routing, or distribute weights. */
export function remediesFor(load: DestinationLoad, volumes: Readonly<Record<string, number>>): Remedy[] {
  if (load.hotZones.length === 0) return [];
  const ready: Record<string, number> = Object.fromEntries(load.zones.map((z) => [z.zone, z.ready]));
  const totalReady = Object.values(ready).reduce((a, b) => a + b, 0);
  const totalVolume = Object.values(volumes).reduce((a, b) => a + b, 0);
  // Pods in proportion to the calls each zone originates (what zone-local routing then keeps local).
  const perZone: Record<string, number> = {};
  for (const z of load.zones.map((x) => x.zone)) {
    const v = totalVolume > 0 ? (volumes[z] ?? 0) / totalVolume : 1 / load.zones.length;
    perZone[z] = Math.max(1, Math.ceil(v * totalReady));
  }
  const zonesWithPods = Object.values(ready).filter((n) => n > 0).length;
  return [
    { kind: 'replicas', perZone },
    { kind: 'zone-aware', engages: totalReady >= ENVOY_DEFAULT_MIN_CLUSTER_SIZE && zonesWithPods >= 2, minClusterSize: ENVOY_DEFAULT_MIN_CLUSTER_SIZE, endpoints: totalReady },
    { kind: 'distribute', weights: evenDistribute(volumes, ready) },
  ];
}

/** One line per remedy, for the table output and the report. */
export function remedyText(r: Remedy, region: string): string {
  switch (r.kind) {
    case 'replicas':
      return `replicas per zone: ${Object.entries(r.perZone).map(([z, n]) => `${z}=${n}`).join(', ')} (pods where the calls come from)`;
    case 'zone-aware':
      return r.engages
        ? 'routing.mode: zone-aware (Istio 1.31+): as much local as the pods allow, the same load per pod'
        : `routing.mode: zone-aware would not engage: ${r.endpoints} endpoints < minClusterSize ${r.minClusterSize} (add replicas or lower minClusterSize)`;
    case 'distribute':
      return `routing.mode: weighted with distribute: ${Object.entries(r.weights).map(([from, to]) =>
        `{from: ${region}/${from}/*, to: {${Object.entries(to).map(([z, w]) => `${region}/${z}/*: ${w}`).join(', ')}}}`).join(', ')}`;
  }
}

/** Per endpoint entry (engine pools, in order): its part of the zone's share; plus hot zones and remedies. */
export function endpointLoad(readyPerPool: readonly number[], zonePerPool: readonly string[], callers: readonly CallerVolume[], hotZoneFactor = DEFAULT_HOT_ZONE_FACTOR): {
  endpoints: { callShare: number; callSharePerEndpoint: number }[];
  load: DestinationLoad;
  hotZones: readonly string[];
  remedies: Remedy[];
} {
  const ready: Record<string, number> = {};
  zonePerPool.forEach((z, i) => { ready[z] = (ready[z] ?? 0) + readyPerPool[i]!; });
  const load = destinationLoad(callers, ready, hotZoneFactor);
  const byZone = new Map(load.zones.map((z) => [z.zone, z]));
  const endpoints = zonePerPool.map((z, i) => {
    const zl = byZone.get(z);
    const r = readyPerPool[i]!;
    if (!zl || zl.ready === 0) return { callShare: 0, callSharePerEndpoint: 0 };
    return { callShare: round6((zl.callShare * r) / zl.ready), callSharePerEndpoint: r > 0 ? zl.callSharePerEndpoint : 0 };
  });
  const volumes: Record<string, number> = {};
  for (const c of callers) volumes[c.zone] = (volumes[c.zone] ?? 0) + c.gbPerMonth;
  return { endpoints, load, hotZones: load.hotZones, remedies: remediesFor(load, volumes) };
}
