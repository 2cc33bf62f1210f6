/** Human-readable rendering of a SimulationResult (the default output of `zonal simulate`). */
import type { CostLine } from '../cost/model.js';
import type { DestinationResult, SimulationResult } from './engine.js';
import { loadLines } from './load-format.js';

export function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

export function usd(v: number, currency = 'USD'): string {
  return currency === 'USD' ? `$${v.toFixed(2)}` : `${v.toFixed(2)} ${currency}`;
}

export function gb(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** Left-aligned text columns, two spaces apart. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function routingLine(d: DestinationResult): string {
  const r = d.routing;
  if (r.dataplane === 'kube-proxy') {
    return r.mode === 'preferSameZone' ? `kube-proxy, trafficDistribution ${r.trafficDistribution}: same zone when it has a ready endpoint` : 'kube-proxy: uniform over ready endpoints';
  }
  if (r.dataplane === 'ambient' && !r.waypoint) {
    return r.mode === 'preferSameZone'
      ? `ambient (ztunnel), trafficDistribution ${r.trafficDistribution}: same zone when it has a ready endpoint; no ejection`
      : 'ambient (ztunnel): uniform over every endpoint; no ejection';
  }
  const what: Record<string, string> = {
    failover: 'zone/region failover priorities',
    failoverPriority: 'failoverPriority label priorities',
    distribute: 'weighted distribute',
    none: 'no locality priorities (uniform)',
    uniform: 'no locality load balancing (uniform)',
    preferSameZone: 'same zone first',
    zoneAware: 'Envoy zone-aware routing (as local as the pods allow, equal load per endpoint)',
  };
  const via = r.source === 'destinationRule' ? `DestinationRule ${r.destinationRule}`
    : r.source === 'trafficDistribution' ? `Service trafficDistribution ${r.trafficDistribution}`
      : r.source === 'mesh' ? `mesh default ${r.mode === 'zoneAware' ? 'zoneAwareLbSetting' : 'localityLbSetting'}` : 'localityLbSetting disabled';
  const od = r.outlierDetection ? `outlierDetection on (maxEjectionPercent ${r.maxEjectionPercent}, panic threshold ${r.panicThresholdPercent}%)` : 'no outlierDetection';
  return `${r.dataplane === 'ambient' ? `ambient, at waypoint ${r.waypoint}: ` : ''}${what[r.mode]} via ${via}; ${od}`;
}

function destinationBlock(d: DestinationResult, zones: readonly string[], currency: string, region: string): string {
  const lines: string[] = [];
  lines.push(`${d.name}  (${d.kind === 'service' ? 'service' : `external ${d.type}`}, ${d.namespace})`);
  lines.push(`  routing: ${routingLine(d)}`);
  const eps = d.endpoints.map((e) => {
    const extra = e.ready !== e.total ? `, ${e.total - e.ready} not ready` : '';
    return `${e.zone} ${e.healthy}/${e.ready} healthy${e.degraded ? ` +${e.degraded} degraded` : ''}${extra}`;
  });
  lines.push(`  endpoints: ${eps.length ? eps.join('; ') : 'none'}`);
  lines.push(...loadLines(d, region));
  const targets = [...new Set([...zones, ...d.callers.flatMap((c) => [...Object.keys(c.shares), ...Object.keys(c.sharesBefore)])])];
  const rows: string[][] = [['from', 'GB/month', ...targets.map((z) => `-> ${z}`), 'cross-zone', 'before']];
  for (const c of d.callers) {
    rows.push([
      c.zone,
      gb(c.gbPerMonth),
      ...targets.map((z) => (c.unroutableFraction >= 1 ? '-' : pct(c.shares[z] ?? 0))),
      c.unroutableFraction >= 1 ? '503' : pct(c.crossZoneFraction),
      pct(c.crossZoneFractionBefore),
    ]);
  }
  lines.push(table(rows));
  lines.push(`  cost: ${costPair(d.cost.before, d.cost.after, currency)}`);
  for (const n of d.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

function costPair(before: CostLine, after: CostLine, currency: string): string {
  return `${gb(before.crossZoneGbPerMonth)} -> ${gb(after.crossZoneGbPerMonth)} GB/month cross-zone, ` +
    `${usd(before.usdPerMonth, currency)} -> ${usd(after.usdPerMonth, currency)} per month`;
}

export function formatSimulation(r: SimulationResult): string {
  const out: string[] = [];
  out.push(`zonal simulate: ${r.zones.length} zones (${r.zones.join(', ')}) in ${r.region}, dataplane ${r.dataplane}`);
  out.push('before = locality routing off; after = the configured routing. Shares are of each zone\'s requests.');
  out.push('');
  if (r.destinations.length === 0) out.push('No destinations: no Service or ServiceEntry in the objects.');
  for (const d of r.destinations) {
    out.push(destinationBlock(d, r.zones, r.cost.currency, r.region));
    out.push('');
  }
  out.push(`Total: ${costPair(r.cost.before, r.cost.after, r.cost.currency)} (saves ${usd(r.cost.savingsUsdPerMonth, r.cost.currency)} per month)`);
  out.push(`Prices: ${r.cost.prices}`);
  return `${out.join('\n')}\n`;
}
