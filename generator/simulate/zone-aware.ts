/**
 * Envoy's zone-aware routing, as source/extensions/load_balancing_policies/common/load_balancer_impl.cc
 * implements it (ZoneAwareLoadBalancerBase: earlyExitNonLocalityRouting,
 * regenerateLocalityRoutingStructures, calculateLocalityPercentages, tryChooseLocalLocalityHosts,
 * hostSourceToUse) and docs/root/intro/arch_overview/upstream/load_balancing/zone_aware.rst.
 *
 * The "local cluster" is the calling workload's own endpoints (Istio: the `local_cluster` that
 * ISTIO_META_ENABLE_SELF_DISCOVERY adds to the bootstrap). Percentages are integers in basis
 * points (10000 = 100%) with C++ integer division, as in Envoy, so shares match Envoy to the point.
 * Only priority 0 is zone-aware; every other priority spreads over its hosts as usual.
 *
 * Older zone_aware.rst versions listed "the originating cluster has the same number of zones as
 * the upstream cluster" as a precondition; the code (and its ZoneAwareZonesMismatched test) only
 * needs two localities on each side and a caller in the proxy's own zone, which is what the current
 * document says too ("Zone count mismatch"). We follow the code.
 */
import { priorityLoad, type PriorityLoad } from './envoy.js';
import { ENVOY_DEFAULT_MIN_CLUSTER_SIZE } from '../well-known.js';

export { ENVOY_DEFAULT_MIN_CLUSTER_SIZE };
/** Envoy keeps locality percentages in basis points. */
const BASIS = 10000;

/** The parts of `common_lb_config.zone_aware_lb_config` that decide routing. */
export interface ZoneAwareConfig {
  /** min_cluster_size: fewer healthy P=0 upstream hosts switch zone-aware routing off. @default 6 */
  readonly minClusterSize?: number;
  /** routing_enabled, percent of picks that may be zone-aware. @default 100 */
  readonly routingEnabledPercent?: number;
  /** fail_traffic_on_panic: a pick that would panic fails instead (Istio never sets it). @default false */
  readonly failTrafficOnPanic?: boolean;
  /**
   * force_local_zone.min_size (force_locality_direct_routing counts as 1): send everything to the
   * local zone once it has this many healthy hosts, whatever the caller spread (Istio never sets it).
   */
  readonly forceLocalZoneMinSize?: number;
  /** healthy_panic_threshold of the upstream cluster, also applied to the local cluster. */
  readonly panicThreshold: number;
}

/** Hosts of one locality (upstream at P=0, or the local cluster). */
export interface LocalityCount {
  /** Locality key (`region/zone/subzone`); equal keys are the same locality. */
  readonly key: string;
  /** Hosts in the host set (excluded hosts not counted). */
  readonly total: number;
  readonly healthy: number;
  readonly degraded?: number;
}

/** Why Envoy routes without zone awareness, named after the precondition that failed. */
export type ZoneAwareFallback =
  /** No local cluster at all: the proxy runs without self-discovery. */
  | 'no-local-cluster'
  /** The upstream's priority 0 has fewer than two localities. */
  | 'upstream-single-locality'
  /** The calling workload runs in fewer than two localities. */
  | 'caller-single-locality'
  /** The local cluster has no host in this proxy's own locality (lb_local_cluster_not_ok). */
  | 'no-local-caller'
  /** Fewer healthy upstream hosts than min_cluster_size (lb_zone_cluster_too_small). */
  | 'cluster-too-small';

/** What regenerateLocalityRoutingStructures latches for priority 0. */
export type ZoneAwareState =
  | { readonly kind: 'off'; readonly reason: ZoneAwareFallback }
  /** Every pick goes to the local locality (lb_zone_routing_all_directly). */
  | { readonly kind: 'direct' }
  /**
   * localPercentToRoute basis points go local (lb_zone_routing_sampled); the rest cross zones in
   * proportion to each other locality's residual capacity (lb_zone_routing_cross_zone).
   */
  | { readonly kind: 'residual'; readonly localPercentToRoute: number; readonly residual: Readonly<Record<string, number>> };

export interface ZoneAwareInput {
  /** The calling proxy's locality key. */
  readonly localLocality: string;
  /** The upstream cluster's priority-0 localities. */
  readonly upstream: readonly LocalityCount[];
  /** The local cluster's localities; null when the proxy has no local cluster. */
  readonly localCluster: readonly LocalityCount[] | null;
  readonly config: ZoneAwareConfig;
}

interface Percentages {
  readonly local: number;
  readonly upstream: number;
}

function nonEmpty(ls: readonly LocalityCount[]): LocalityCount[] {
  return ls.filter((l) => l.total > 0);
}

/** calculateLocalityPercentages: matched by locality (not by list position), healthy hosts only. */
export function localityPercentages(local: readonly LocalityCount[], upstream: readonly LocalityCount[]): Map<string, Percentages> {
  const totalLocal = local.reduce((a, l) => a + l.healthy, 0);
  const localCounts = new Map<string, number>();
  for (const l of local) if (l.healthy > 0) localCounts.set(l.key, (localCounts.get(l.key) ?? 0) + l.healthy);
  const totalUpstream = upstream.reduce((a, l) => a + l.healthy, 0);
  const out = new Map<string, Percentages>();
  for (const u of upstream) {
    if (u.healthy === 0) {
      out.set(u.key, { local: 0, upstream: 0 });
      continue;
    }
    const lc = localCounts.get(u.key) ?? 0;
    out.set(u.key, {
      local: totalLocal > 0 ? Math.floor((BASIS * lc) / totalLocal) : 0,
      upstream: totalUpstream > 0 ? Math.floor((BASIS * u.healthy) / totalUpstream) : 0,
    });
  }
  return out;
}

/** earlyExitNonLocalityRouting: the preconditions checked when the host sets change. */
export function zoneAwarePrecondition(input: ZoneAwareInput): ZoneAwareFallback | undefined {
  if (!input.localCluster) return 'no-local-cluster';
  const upstream = nonEmpty(input.upstream);
  if (upstream.length < 2) return 'upstream-single-locality';
  const forced = (input.config.forceLocalZoneMinSize ?? 0) > 0;
  const local = nonEmpty(input.localCluster);
  if (local.length < 2 && !forced) return 'caller-single-locality';
  if (!local.some((l) => l.key === input.localLocality)) return 'no-local-caller';
  const healthyUpstream = upstream.reduce((a, l) => a + l.healthy, 0);
  if (healthyUpstream < (input.config.minClusterSize ?? ENVOY_DEFAULT_MIN_CLUSTER_SIZE)) return 'cluster-too-small';
  return undefined;
}

/** regenerateLocalityRoutingStructures for priority 0. */
export function zoneAwareState(input: ZoneAwareInput): ZoneAwareState {
  const reason = zoneAwarePrecondition(input);
  if (reason) return { kind: 'off', reason };
  const upstream = nonEmpty(input.upstream);
  const pct = localityPercentages(input.localCluster!, upstream);
  const here = upstream.find((u) => u.key === input.localLocality);
  const mine = here ? pct.get(here.key)! : undefined;
  const forceMin = input.config.forceLocalZoneMinSize ?? 0;
  if (here && mine) {
    if (mine.upstream > 0 && mine.upstream >= mine.local) return { kind: 'direct' };
    if (forceMin > 0 && here.healthy >= forceMin) return { kind: 'direct' };
  }
  const localPercentToRoute = here && mine && mine.local > 0 ? Math.floor((mine.upstream * BASIS) / mine.local) : 0;
  const residual: Record<string, number> = {};
  for (const u of upstream) {
    if (u.key === input.localLocality) continue;
    const p = pct.get(u.key)!;
    residual[u.key] = p.upstream > p.local ? p.upstream - p.local : 0;
  }
  return { kind: 'residual', localPercentToRoute, residual };
}

/**
 * For one zone-aware pick (priority 0, not in panic): the share of picks that lands on each
 * upstream locality (tryChooseLocalLocalityHosts). Sums to 1.
 */
export function zoneAwareLocalityShares(state: Exclude<ZoneAwareState, { kind: 'off' }>, upstream: readonly LocalityCount[], localLocality: string): Record<string, number> {
  const present = nonEmpty(upstream);
  if (state.kind === 'direct') return { [localLocality]: 1 };
  const out: Record<string, number> = {};
  const local = Math.min(state.localPercentToRoute, BASIS) / BASIS;
  if (local > 0) out[localLocality] = local;
  const cross = 1 - local;
  if (cross <= 0) return out;
  const total = Object.values(state.residual).reduce((a, b) => a + b, 0);
  if (total === 0) {
    // No residual capacity anywhere (rounding): Envoy picks a locality index at random.
    for (const u of present) out[u.key] = (out[u.key] ?? 0) + cross / present.length;
    return out;
  }
  for (const [key, r] of Object.entries(state.residual)) if (r > 0) out[key] = (out[key] ?? 0) + (cross * r) / total;
  return out;
}

function inPanic(l: readonly LocalityCount[], threshold: number): boolean {
  const total = l.reduce((a, x) => a + x.total, 0);
  const ok = l.reduce((a, x) => a + x.healthy + (x.degraded ?? 0), 0);
  return (total === 0 ? 0 : (100 * ok) / total) < Math.min(100, threshold);
}

/** Where one proxy's requests go, per priority and locality key, with zone-aware routing at P=0. */
export interface ZoneAwareSplit {
  readonly state: ZoneAwareState;
  /** The local cluster is in panic: zone-aware routing is skipped for every pick. */
  readonly localPanic: boolean;
  readonly load: PriorityLoad;
  /** fractions[priority][localityKey]: share of all requests. */
  readonly fractions: readonly Readonly<Record<string, number>>[];
  /** Share of requests that find no host. */
  readonly failed: number;
  /** Share of requests that were routed zone-aware (P=0, healthy, routing enabled, no panic). */
  readonly zoneAwareFraction: number;
}

function byCount(ls: readonly LocalityCount[], count: (l: LocalityCount) => number): Record<string, number> | undefined {
  const total = ls.reduce((a, l) => a + count(l), 0);
  if (total === 0) return undefined;
  const out: Record<string, number> = {};
  for (const l of ls) if (count(l) > 0) out[l.key] = (out[l.key] ?? 0) + count(l) / total;
  return out;
}

function addInto(target: Record<string, number>, shares: Readonly<Record<string, number>>, weight: number): void {
  if (weight <= 0) return;
  for (const [k, v] of Object.entries(shares)) target[k] = (target[k] ?? 0) + v * weight;
}

/**
 * hostSourceToUse for every priority: the priority by its load, panic (all hosts, or failure with
 * fail_traffic_on_panic), then at P=0 zone-aware locality choice unless the structure latched
 * "no locality routing", the pick is outside routing_enabled, or the local cluster panics.
 * Degraded picks use the same locality choice among that locality's degraded hosts.
 */
export function zoneAwareSplit(levels: readonly (readonly LocalityCount[])[], input: Omit<ZoneAwareInput, 'upstream'>): ZoneAwareSplit {
  const p0 = levels[0] ?? [];
  const zin: ZoneAwareInput = { ...input, upstream: p0 };
  const state = zoneAwareState(zin);
  const sums = levels.map((ls) => ({
    total: ls.reduce((a, l) => a + l.total, 0),
    healthy: ls.reduce((a, l) => a + l.healthy, 0),
    degraded: ls.reduce((a, l) => a + (l.degraded ?? 0), 0),
  }));
  const load = priorityLoad(sums, { panicThreshold: input.config.panicThreshold });
  const localPanic = !!input.localCluster && inPanic(input.localCluster, input.config.panicThreshold);
  const failOnPanic = input.config.failTrafficOnPanic ?? false;
  let failed = 0;
  let zoneAwareFraction = 0;
  if (load.noHealthyUpstream || levels.length === 0) {
    return { state, localPanic, load, fractions: levels.map(() => ({})), failed: 1, zoneAwareFraction: 0 };
  }
  const fractions = levels.map((ls, p) => {
    const out: Record<string, number> = {};
    const healthyShare = (load.healthy[p] ?? 0) / 100;
    const degradedShare = (load.degraded[p] ?? 0) / 100;
    const share = healthyShare + degradedShare;
    if (share === 0) return out;
    if (load.panic[p]) {
      const all = failOnPanic ? undefined : byCount(ls, (l) => l.total);
      if (all) addInto(out, all, share);
      else failed += share;
      return out;
    }
    const healthyAll = byCount(ls, (l) => l.healthy);
    const degradedAll = byCount(ls, (l) => l.degraded ?? 0);
    const plain = (h: number, d: number) => {
      if (healthyAll) addInto(out, healthyAll, h);
      else failed += h;
      if (degradedAll) addInto(out, degradedAll, d);
      else failed += d;
    };
    if (p !== 0 || state.kind === 'off') {
      plain(healthyShare, degradedShare);
      return out;
    }
    if (localPanic) {
      if (failOnPanic) failed += share;
      else plain(healthyShare, degradedShare);
      return out;
    }
    const enabled = Math.max(0, Math.min(100, input.config.routingEnabledPercent ?? 100)) / 100;
    plain(healthyShare * (1 - enabled), degradedShare * (1 - enabled));
    const picks = zoneAwareLocalityShares(state, p0, input.localLocality);
    for (const [key, f] of Object.entries(picks)) {
      const hosts = ls.filter((l) => l.key === key);
      const healthy = hosts.reduce((a, l) => a + l.healthy, 0);
      const degraded = hosts.reduce((a, l) => a + (l.degraded ?? 0), 0);
      // A locality chosen for a pick whose host list is empty yields no host.
      if (healthy > 0) out[key] = (out[key] ?? 0) + f * healthyShare * enabled;
      else failed += f * healthyShare * enabled;
      if (degraded > 0) out[key] = (out[key] ?? 0) + f * degradedShare * enabled;
      else failed += f * degradedShare * enabled;
    }
    zoneAwareFraction = healthyShare * enabled;
    return out;
  });
  return { state, localPanic, load, fractions, failed, zoneAwareFraction };
}
