/**
 * Envoy's load-balancer maths, ported from source/extensions/load_balancing_policies/common/
 * load_balancer_impl.cc (LoadBalancerBase::recalculatePerPriorityState, recalculatePerPriorityPanic,
 * recalculateLoadInTotalPanic, isHostSetInPanic, ZoneAwareLoadBalancerBase::hostSourceToUse) and
 * source/common/upstream/upstream_impl.cc (effectiveLocalityWeight).
 *
 * The arch-overview pages (priority levels, degraded endpoints, panic threshold, locality weighted
 * LB) describe the same algorithm, but a few of their table rows disagree with the code; we follow
 * the code and the tests name each such row.
 */

/** Envoy stores the overprovisioning factor as a percentage: 140 means 1.4. */
export const DEFAULT_OVERPROVISIONING_FACTOR = 140;
/** Envoy's default `healthy_panic_threshold` when the cluster does not set one (one source: the Istio core). */
export { ENVOY_DEFAULT_PANIC_THRESHOLD } from '../istio/loadbalancer.js';
import { ENVOY_DEFAULT_PANIC_THRESHOLD } from '../istio/loadbalancer.js';

/** Hosts of one priority level (or one locality) as the load balancer sees them. */
export interface HostCounts {
  /** Hosts in EDS (not counting excluded hosts). */
  readonly total: number;
  readonly healthy: number;
  readonly degraded: number;
}

export interface PriorityLoad {
  /** Integer percent of requests each priority serves from its healthy hosts. */
  readonly healthy: readonly number[];
  /** Integer percent of requests each priority serves from its degraded hosts. */
  readonly degraded: readonly number[];
  /** Health score per priority: min(100, factor * healthy / total), integer. */
  readonly health: readonly number[];
  readonly degradedHealth: readonly number[];
  readonly normalizedTotalAvailability: number;
  readonly panic: readonly boolean[];
  /** Every priority is in panic: load follows host counts, health is ignored. */
  readonly totalPanic: boolean;
  /** Panic is disabled (threshold 0) and nothing is available: every request gets 503. */
  readonly noHealthyUpstream: boolean;
}

export interface LbOptions {
  /** healthy_panic_threshold in percent (0 disables panic mode). */
  readonly panicThreshold?: number;
  readonly overprovisioningFactor?: number;
}

function score(factor: number, part: number, total: number): number {
  // Integer maths as in C++: uint32 factor * uint64 count / uint64 total, then min(100).
  return total > 0 ? Math.min(100, Math.floor((factor * part) / total)) : 0;
}

/** Assigns as much load as possible to the highest priorities (Envoy's distributeLoad). */
function distributeLoad(avail: readonly number[], totalLoad: number, normalized: number): { load: number[]; first: number; remaining: number } {
  let first = -1;
  const load: number[] = [];
  let remaining = totalLoad;
  avail.forEach((a, i) => {
    if (first < 0 && a > 0) first = i;
    const l = Math.min(remaining, Math.floor((a * 100) / normalized));
    load.push(l);
    remaining -= l;
  });
  return { load, first, remaining };
}

function inPanic(h: HostCounts, threshold: number): boolean {
  const healthyPct = h.total === 0 ? 0 : (100 * h.healthy) / h.total;
  const degradedPct = h.total === 0 ? 0 : (100 * h.degraded) / h.total;
  return healthyPct + degradedPct < threshold;
}

/** Per-priority load, health scores and panic state for a cluster's priority levels. */
export function priorityLoad(levels: readonly HostCounts[], options: LbOptions = {}): PriorityLoad {
  const factor = options.overprovisioningFactor ?? DEFAULT_OVERPROVISIONING_FACTOR;
  const threshold = Math.min(100, options.panicThreshold ?? ENVOY_DEFAULT_PANIC_THRESHOLD);
  // Envoy always has at least the P=0 host set.
  const sets = levels.length > 0 ? levels : [{ total: 0, healthy: 0, degraded: 0 }];
  const health = sets.map((h) => score(factor, h.healthy, h.total));
  const degradedHealth = sets.map((h) => score(factor, h.degraded, h.total));
  const normalized = Math.min(100, health.reduce((a, b) => a + b, 0) + degradedHealth.reduce((a, b) => a + b, 0));

  let healthy = sets.map(() => 0);
  let degraded = sets.map(() => 0);
  if (normalized > 0) {
    const h = distributeLoad(health, 100, normalized);
    const d = distributeLoad(degradedHealth, h.remaining, normalized);
    healthy = h.load;
    degraded = d.load;
    // Rounding leftovers go to the first priority with healthy hosts, else the first with degraded ones.
    if (d.remaining !== 0) {
      if (h.first !== -1) healthy[h.first]! += d.remaining;
      else degraded[d.first]! += d.remaining;
    }
  }

  if (threshold === 0 && normalized === 0) {
    healthy[0] = 100;
    return { healthy, degraded, health, degradedHealth, normalizedTotalAvailability: 0, panic: sets.map(() => false), totalPanic: false, noHealthyUpstream: true };
  }
  // Never panic while the priorities together can absorb all the load.
  const panic = sets.map((h) => (normalized === 100 ? false : inPanic(h, threshold)));
  const totalPanic = panic.every(Boolean);
  if (totalPanic) {
    const totalHosts = sets.reduce((a, h) => a + h.total, 0);
    if (totalHosts === 0) {
      healthy = sets.map((_, i) => (i === 0 ? 100 : 0));
    } else {
      let left = 100;
      let firstNonEmpty = -1;
      healthy = sets.map((h, i) => {
        if (firstNonEmpty === -1 && h.total !== 0) firstNonEmpty = i;
        const l = Math.floor((100 * h.total) / totalHosts);
        left -= l;
        return l;
      });
      healthy[firstNonEmpty]! += left;
    }
    degraded = sets.map(() => 0);
  }
  return {
    healthy, degraded, health, degradedHealth, normalizedTotalAvailability: normalized, panic, totalPanic,
    noHealthyUpstream: totalPanic && sets.every((h) => h.total === 0),
  };
}

/** One locality inside a priority level. */
export interface LocalityHosts extends HostCounts {
  /** LocalityLbEndpoints.load_balancing_weight. */
  readonly weight: number;
}

/**
 * Envoy's effective locality weight: weight * min(1, factor * eligible / total). The arch-overview
 * page rounds the availability to an integer first (so its 69% row shows 32%); the code uses doubles.
 */
export function effectiveLocalityWeight(l: LocalityHosts, eligible: number, factor = DEFAULT_OVERPROVISIONING_FACTOR): number {
  if (l.total === 0) return 0;
  return l.weight * Math.min(1, (factor / 100) * (eligible / l.total));
}

export interface SplitOptions extends LbOptions {
  /** `common_lb_config.locality_weighted_lb_config` is set (Istio sets it only in some modes). */
  readonly localityWeighted: boolean;
}

export interface TrafficSplit {
  readonly load: PriorityLoad;
  /** fractions[priority][locality]: share of all requests that lands on that locality. */
  readonly fractions: readonly (readonly number[])[];
  /** Share of requests that find no host (503 no healthy upstream). */
  readonly failed: number;
}

function spread(localities: readonly LocalityHosts[], counts: readonly number[], localityWeighted: boolean, factor: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return localities.map(() => 0);
  if (localityWeighted) {
    const eff = localities.map((l, i) => effectiveLocalityWeight(l, counts[i]!, factor));
    const sum = eff.reduce((a, b) => a + b, 0);
    // No locality has weight: Envoy falls back to the priority's host list.
    if (sum > 0) return eff.map((w) => w / sum);
  }
  return counts.map((c) => c / total);
}

/**
 * Where requests go: pick a priority by its load, then (not in panic) a locality by effective weight
 * (locality-weighted LB) or a host among the priority's healthy/degraded hosts; in panic, any host
 * of the priority. Endpoints inside a locality share its traffic evenly.
 */
export function trafficSplit(levels: readonly (readonly LocalityHosts[])[], options: SplitOptions): TrafficSplit {
  const factor = options.overprovisioningFactor ?? DEFAULT_OVERPROVISIONING_FACTOR;
  const sums: HostCounts[] = levels.map((ls) => ({
    total: ls.reduce((a, l) => a + l.total, 0),
    healthy: ls.reduce((a, l) => a + l.healthy, 0),
    degraded: ls.reduce((a, l) => a + l.degraded, 0),
  }));
  const load = priorityLoad(sums, options);
  if (load.noHealthyUpstream || levels.length === 0) {
    return { load, fractions: levels.map((ls) => ls.map(() => 0)), failed: 1 };
  }
  let failed = 0;
  const fractions = levels.map((ls, p) => {
    const healthyShare = (load.healthy[p] ?? 0) / 100;
    const degradedShare = (load.degraded[p] ?? 0) / 100;
    if (load.panic[p]) {
      const all = spread(ls, ls.map((l) => l.total), false, factor);
      if (sums[p]!.total === 0) failed += healthyShare + degradedShare;
      return all.map((f) => f * (healthyShare + degradedShare));
    }
    const h = spread(ls, ls.map((l) => l.healthy), options.localityWeighted, factor);
    const d = spread(ls, ls.map((l) => l.degraded), options.localityWeighted, factor);
    if (sums[p]!.healthy === 0) failed += healthyShare;
    if (sums[p]!.degraded === 0) failed += degradedShare;
    return ls.map((_, i) => h[i]! * healthyShare + d[i]! * degradedShare);
  });
  return { load, fractions, failed };
}
