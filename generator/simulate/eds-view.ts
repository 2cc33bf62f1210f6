/**
 * What istiod puts into one priority of a caller's EDS, per zone: the sidecar routes (engine.ts,
 * zone-aware-route.ts) report it next to their priorities so the Istio harness can compare it
 * with istiod's own EDS endpoint by endpoint.
 */

export interface EdsView {
  /** Endpoints istiod sends per zone (not-ready ones included when it sends them). */
  readonly endpoints: Readonly<Record<string, number>>;
  /** Of those, how many go out UNHEALTHY (not ready). */
  readonly unhealthy: Readonly<Record<string, number>>;
  /** The locality load-balancing weight, summed over the zone's localities. */
  readonly localityWeights: Readonly<Record<string, number>>;
}

export interface PoolCounts {
  readonly total: number;
  readonly notReady: number;
}

/** One priority's EdsView from its localities (zone, EDS weight, endpoint pools). */
export function edsView<P extends PoolCounts>(
  localities: readonly { zone: string; weight: number; pools: readonly P[] }[],
  sent: (p: P) => number,
): EdsView {
  const endpoints: Record<string, number> = {};
  const unhealthy: Record<string, number> = {};
  const localityWeights: Record<string, number> = {};
  const add = (m: Record<string, number>, zone: string, n: number) => { if (n > 0) m[zone] = (m[zone] ?? 0) + n; };
  for (const l of localities) {
    const count = l.pools.reduce((a, p) => a + sent(p), 0);
    add(endpoints, l.zone, count);
    // Sent beyond the ready ones: the not-ready endpoints, which istiod marks UNHEALTHY.
    add(unhealthy, l.zone, l.pools.reduce((a, p) => a + sent(p) - (p.total - p.notReady), 0));
    if (count > 0) add(localityWeights, l.zone, l.weight);
  }
  return { endpoints, unhealthy, localityWeights };
}

/** One priority and zone of a caller's EDS: endpoint count, UNHEALTHY ones, locality weight. */
export interface EdsRow {
  readonly priority: number;
  readonly zone: string;
  readonly endpoints: number;
  readonly unhealthy: number;
  readonly weight: number;
}

/**
 * The comparable form of a caller's EDS, `p0 us-west-2a: 2 (1 unhealthy) w2, ...`: the Istio
 * harness writes istiod's EDS in it, and the regression cases record it.
 */
export function edsRowsLine(rows: readonly EdsRow[]): string {
  return [...rows]
    .sort((a, b) => a.priority - b.priority || a.zone.localeCompare(b.zone))
    .map((r) => `p${r.priority} ${r.zone}: ${r.endpoints}${r.unhealthy ? ` (${r.unhealthy} unhealthy)` : ''} w${r.weight}`)
    .join(', ') || '(no endpoints)';
}

/** The same line from `zonal simulate`'s priorities of one caller. */
export function callerEdsLine(priorities: readonly { readonly priority: number; readonly eds?: EdsView }[]): string {
  const rows: EdsRow[] = [];
  for (const p of priorities) {
    if (!p.eds) return '(zonal reports no EDS view)';
    for (const [zone, endpoints] of Object.entries(p.eds.endpoints)) {
      rows.push({ priority: p.priority, zone, endpoints, unhealthy: p.eds.unhealthy[zone] ?? 0, weight: p.eds.localityWeights[zone] ?? 0 });
    }
  }
  return edsRowsLine(rows);
}

/** The cluster settings a prediction rests on (what istiod writes into the Envoy cluster). */
export interface ClusterSettings {
  readonly panicThresholdPercent: number;
  readonly outlierDetection: boolean;
  readonly localityWeighted: boolean;
  /** Envoy's zone_aware_lb_config: routing on (routing_enabled > 0) and the min_cluster_size in force. */
  readonly zoneAware: { readonly routingEnabled: boolean; readonly minClusterSize: number } | null;
}

/** `panic 0%, outlier detection, locality-weighted, no zone-aware`: comparable, and readable in a regression case. */
export function clusterSettingsLine(s: ClusterSettings): string {
  const za = s.zoneAware
    ? `zone-aware(routing ${s.zoneAware.routingEnabled ? 'on' : 'off'}, minClusterSize ${s.zoneAware.minClusterSize})`
    : 'no zone-aware';
  return `panic ${s.panicThresholdPercent}%, ${s.outlierDetection ? 'outlier detection' : 'no outlier detection'}, ${s.localityWeighted ? 'locality-weighted' : 'not locality-weighted'}, ${za}`;
}

/** The same from `zonal simulate`'s `routing` view of a destination. */
export function routingSettingsLine(r: {
  readonly panicThresholdPercent: number;
  readonly outlierDetection: boolean;
  readonly localityWeightedLb: boolean;
  readonly zoneAware?: { readonly routingEnabled: boolean; readonly minClusterSize: number };
}): string {
  return clusterSettingsLine({ panicThresholdPercent: r.panicThresholdPercent, outlierDetection: r.outlierDetection, localityWeighted: r.localityWeightedLb, zoneAware: r.zoneAware ?? null });
}
