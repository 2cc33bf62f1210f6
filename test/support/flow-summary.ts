/**
 * A flow-log measurement for report tests: `crossGiB` between us-west-2a and us-west-2b,
 * `sameGiB` inside us-west-2a, over `days` days from a fixed start, at $0.02 per cross-zone GB.
 */
import type { FlowLogSummary } from '../../generator/flowlogs/analyze.js';

const GIB = 2 ** 30;
const START = 1_700_000_000;
const USD_PER_CROSS_ZONE_GB = 0.02;

export function flowSummary(o: { crossGiB: number; sameGiB: number; days: number; records: number }): FlowLogSummary {
  const half = o.records / 2;
  return {
    records: o.records, skipped: 0,
    bytes: { total: (o.crossGiB + o.sameGiB) * GIB, crossZone: o.crossGiB * GIB, sameZone: o.sameGiB * GIB, unattributed: 0 },
    costUsd: { crossZone: o.crossGiB * USD_PER_CROSS_ZONE_GB },
    byZonePair: [
      { from: 'us-west-2a', to: 'us-west-2b', bytes: o.crossGiB * GIB },
      { from: 'us-west-2a', to: 'us-west-2a', bytes: o.sameGiB * GIB },
    ],
    counting: { egress: half, ingress: half, undirected: 0 },
    window: { start: START, end: START + o.days * 86_400 },
    pricing: { usdPerCrossZoneGb: USD_PER_CROSS_ZONE_GB, bytesPerGb: GIB },
  };
}
