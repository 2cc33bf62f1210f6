/** The per-zone load lines of a destination in the table output (and their text for the report). */
import type { DestinationResult } from './engine.js';
import { remedyText } from './load.js';

const BAR_UNIT = 4;
const BAR_MAX = 24;

export interface ZoneLoadRow {
  readonly zone: string;
  readonly ready: number;
  readonly callShare: number;
  /** Per-endpoint share over the mean per-endpoint share. */
  readonly ratio: number;
  readonly hot: boolean;
}

/** One row per zone with ready endpoints: its share, and its per-endpoint load against the mean. */
export function zoneLoadRows(d: DestinationResult): ZoneLoadRow[] {
  const byZone = new Map<string, { ready: number; share: number }>();
  for (const e of d.endpoints) {
    const z = byZone.get(e.zone) ?? { ready: 0, share: 0 };
    byZone.set(e.zone, { ready: z.ready + e.ready, share: z.share + e.callShare });
  }
  const ready = [...byZone.values()].reduce((a, z) => a + z.ready, 0);
  const served = [...byZone.values()].reduce((a, z) => a + z.share, 0);
  const mean = ready > 0 ? served / ready : 0;
  return [...byZone].filter(([, z]) => z.ready > 0).sort(([a], [b]) => a.localeCompare(b)).map(([zone, z]) => ({
    zone, ready: z.ready, callShare: z.share, ratio: mean > 0 ? z.share / z.ready / mean : 0, hot: d.hotZones.includes(zone),
  }));
}

/** `#` per quarter of the mean load, capped. */
export function loadBar(ratio: number): string {
  const n = Math.min(BAR_MAX, Math.round(ratio * BAR_UNIT));
  return `${'#'.repeat(n)}${ratio * BAR_UNIT > BAR_MAX ? '+' : ''}`;
}

export function loadLines(d: DestinationResult, region: string): string[] {
  const rows = zoneLoadRows(d);
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((r) => r.zone.length));
  const lines = ['  load per endpoint (x the mean; # = a quarter):'];
  for (const r of rows) {
    lines.push(`    ${r.zone.padEnd(width)}  ${(r.callShare * 100).toFixed(1).padStart(5)}% of calls on ${r.ready}  ${loadBar(r.ratio).padEnd(BAR_MAX + 1)} ${r.ratio.toFixed(2)}x${r.hot ? '  HOT' : ''}`);
  }
  if (d.hotZones.length > 0) {
    lines.push(`  hot zones: ${d.hotZones.join(', ')}; remedies:`);
    for (const rem of d.remedies) lines.push(`    - ${remedyText(rem, region)}`);
  }
  return lines;
}
