/** The human-readable rendering of a FlowLogSummary (the default output of `zonal flowlogs analyze`). */
import type { FlowLogSummary } from './tally.js';

let intFormat: Intl.NumberFormat | undefined;
/**
 * Whole numbers with thousands separators. Made on first use: creating a NumberFormat loads ICU's
 * locale data (about 15 ms), which every command paid when this module was loaded.
 */
const int = { format: (n: number) => (intFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })).format(n) };

function gb(bytes: number, bytesPerGb: number): string {
  return (bytes / bytesPerGb).toFixed(3);
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '-';
}

function usd(v: number): string {
  return `$${v.toFixed(v !== 0 && Math.abs(v) < 1 ? 4 : 2)}`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, rightFrom: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r.map((cell, i) => (i >= rightFrom ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function isoMinute(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

export function formatSummary(s: FlowLogSummary): string {
  const perGb = s.pricing.bytesPerGb;
  const out: string[] = [];
  const window = s.window ? `, ${isoMinute(s.window.start)} to ${isoMinute(s.window.end)} UTC` : '';
  out.push(`Flow logs: ${int.format(s.records)} records${window}; ${int.format(s.skipped)} malformed lines skipped`);
  const c = s.counting;
  const counted: string[] = [];
  if (c.egress > 0 || c.ingress > 0) counted.push(`${int.format(c.egress)} egress records counted, ${int.format(c.ingress)} ingress records not (their flows count at the sender)`);
  if (c.undirected > 0) counted.push(`${int.format(c.undirected)} records without flow-direction (a flow between mapped subnets counts half per record)`);
  if (counted.length > 0) out.push(counted.join('; '));
  out.push('');
  const b = s.bytes;
  const row = (label: string, bytes: number) => [label, int.format(bytes), gb(bytes, perGb), share(bytes, b.total)];
  out.push(table(['Traffic', 'bytes', 'GB', 'share'], [
    row('cross zone', b.crossZone),
    row('same zone', b.sameZone),
    row('unattributed', b.unattributed),
    row('total', b.total),
  ], 1));
  out.push('');
  out.push(`Cross-zone cost: ${usd(s.costUsd.crossZone)} (${s.pricing.usdPerCrossZoneGb} USD per GB crossing, both sides billed; GB = 2^30 bytes)`);
  if (s.byZonePair.length > 0) {
    out.push('');
    out.push(table(['From zone', 'To zone', 'bytes', 'GB', 'share'], s.byZonePair.map((p) => [p.from, p.to, int.format(p.bytes), gb(p.bytes, perGb), share(p.bytes, b.total)]), 2));
  }
  if (s.topTalkers && s.topTalkers.length > 0) {
    out.push('');
    out.push('Top talkers (by cross-zone bytes)');
    out.push(table(['From', 'To', 'cross-zone bytes', 'total bytes', 'cross-zone cost'], s.topTalkers.map((t) => [
      t.from, t.to, int.format(t.crossZoneBytes), int.format(t.bytes), usd(t.crossZoneCostUsd),
    ]), 2));
  }
  return `${out.join('\n')}\n`;
}
