/**
 * The ambient data plane in the simulator. ztunnel (L4) load-balances from the Service's traffic
 * distribution alone: PreferSameZone / PreferClose / PreferSameNode become istiod's FAILOVER mode
 * over [network, region, zone(, subzone, node)], so a caller uses the endpoints of the best-matching
 * rank that has any, uniformly, and falls back to the next rank only when its zone has no ready
 * endpoint (no overprovisioning factor, no gradual spill); without one it spreads over every
 * endpoint. ztunnel ejects nothing: a failing endpoint keeps its share, and ServiceEntry endpoints
 * count as healthy whatever the scenario says of their readiness.
 *
 * A waypoint adds a hop: caller -> waypoint pod (istiod gives the waypoint Service PreferClose, so
 * ztunnel rules again, over the waypoint's pods) -> backend, chosen by the waypoint's Envoy from
 * its own zone with the DestinationRule applied (the sidecar model of engine.ts). Both hops can
 * cross zones and both are billed.
 */
import type { TrafficDistribution } from './istio.js';

/** What the objects say about a destination's ambient path (simulate/objects.ts fills it). */
export interface AmbientPath {
  /** The waypoint the destination's traffic goes through, when one applies. */
  readonly waypoint?: {
    /** `namespace/name` of the waypoint Gateway. */
    readonly name: string;
    readonly replicas: number;
    /** Spread over zones with DoNotSchedule; otherwise the placement is unknown. */
    readonly zoneSpread: boolean;
  };
}

export interface ZtunnelPool {
  readonly zone: string;
  /** Endpoints ztunnel sends to (ready pods; every ServiceEntry endpoint). */
  readonly endpoints: number;
}

export interface ZtunnelRouted {
  readonly shares: Record<string, number>;
  readonly unroutable: number;
  readonly priorities: { priority: number; zones: string[]; loadPercent: number; panic: boolean }[];
}

/** Whether ztunnel prefers the caller's zone for this traffic distribution (every defined value does). */
export function ztunnelPrefersZone(td: TrafficDistribution | undefined): boolean {
  return td === 'PreferClose' || td === 'PreferSameZone' || td === 'PreferSameNode';
}

/**
 * One caller zone's split over endpoint zones. Within the chosen rank every endpoint is equally
 * likely, so a zone's share is its endpoint count over the rank's.
 */
export function ztunnelRoute(pools: readonly ZtunnelPool[], callerZone: string, td: TrafficDistribution | undefined): ZtunnelRouted {
  const live = pools.filter((p) => p.endpoints > 0);
  const spread = (ps: readonly ZtunnelPool[]) => {
    const total = ps.reduce((a, p) => a + p.endpoints, 0);
    const shares: Record<string, number> = {};
    for (const p of ps) shares[p.zone] = (shares[p.zone] ?? 0) + p.endpoints / total;
    return shares;
  };
  if (live.length === 0) return { shares: {}, unroutable: 1, priorities: [] };
  const zonesOf = (ps: readonly ZtunnelPool[]) => [...new Set(ps.map((p) => p.zone))];
  if (!ztunnelPrefersZone(td)) return { shares: spread(live), unroutable: 0, priorities: [{ priority: 0, zones: zonesOf(live), loadPercent: 100, panic: false }] };
  const local = live.filter((p) => p.zone === callerZone);
  const rest = live.filter((p) => p.zone !== callerZone);
  const priorities = [
    { priority: 0, zones: zonesOf(local), loadPercent: local.length ? 100 : 0, panic: false },
    ...(rest.length ? [{ priority: 1, zones: zonesOf(rest), loadPercent: local.length ? 0 : 100, panic: false }] : []),
  ].filter((p) => p.zones.length > 0).map((p, i) => ({ ...p, priority: i }));
  return { shares: spread(local.length ? local : rest), unroutable: 0, priorities };
}

/** Waypoint pods per zone: spread evenly when the spread is enforced, else (unknown) all in the first zone. */
export function waypointPods(path: NonNullable<AmbientPath['waypoint']>, zones: readonly string[]): ZtunnelPool[] {
  if (!path.zoneSpread) return zones.map((zone, i) => ({ zone, endpoints: i === 0 ? path.replicas : 0 }));
  const base = Math.floor(path.replicas / zones.length);
  const extra = path.replicas % zones.length;
  return zones.map((zone, i) => ({ zone, endpoints: base + (i < extra ? 1 : 0) }));
}

export interface HopSplit {
  /** Where the backend requests land (sums to 1 unless some fail). */
  readonly shares: Record<string, number>;
  readonly unroutable: number;
  /** Share of the caller's bytes that cross a zone on the caller -> waypoint hop. */
  readonly firstHopCross: number;
  /** ... on the waypoint -> backend hop. */
  readonly secondHopCross: number;
  /** Where the caller's requests meet the waypoint. */
  readonly waypointShares: Record<string, number>;
}

/**
 * Caller -> waypoint -> backend: `fromWaypoint(zone)` is the backend split the waypoint's Envoy
 * makes from a waypoint pod in `zone`.
 */
export function throughWaypoint(
  waypoint: readonly ZtunnelPool[], callerZone: string,
  fromWaypoint: (zone: string) => { shares: Record<string, number>; unroutable: number },
): HopSplit {
  const hop1 = ztunnelRoute(waypoint, callerZone, 'PreferClose');
  const shares: Record<string, number> = {};
  let unroutable = hop1.unroutable;
  let secondHopCross = 0;
  for (const [wz, f] of Object.entries(hop1.shares)) {
    const hop2 = fromWaypoint(wz);
    unroutable += f * hop2.unroutable;
    for (const [z, g] of Object.entries(hop2.shares)) {
      shares[z] = (shares[z] ?? 0) + f * g;
      if (z !== wz) secondHopCross += f * g;
    }
  }
  const firstHopCross = Object.entries(hop1.shares).reduce((a, [z, f]) => (z === callerZone ? a : a + f), 0);
  return { shares, unroutable, firstHopCross, secondHopCross, waypointShares: hop1.shares };
}

/** What the simulation assumes of a waypoint, in words. */
export function waypointNotes(path: NonNullable<AmbientPath['waypoint']>, zones: readonly string[]): string[] {
  const pods = waypointPods(path, zones);
  const empty = pods.filter((p) => p.endpoints === 0).map((p) => p.zone);
  const notes = [`through waypoint ${path.name} (${path.replicas} pod${path.replicas === 1 ? '' : 's'}): callers reach it with PreferClose, ` +
    'its Envoy applies the DestinationRule from its own zone; the cost counts both hops'];
  if (!path.zoneSpread) notes.push(`waypoint ${path.name} has no zone spread (DoNotSchedule): its placement is unknown, shown in ${zones[0]}`);
  if (empty.length) notes.push(`no waypoint pod in ${empty.join(', ')}: callers there cross zones to reach the waypoint`);
  return notes;
}
