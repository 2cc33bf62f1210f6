import type { ProbeSummary } from './tally.js';

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;

/** The human-readable report: the zone distribution first, the same-zone share last (the verdict). */
export function formatSummary(s: ProbeSummary, concurrency: number): string {
  const lines = [
    `zonal probe: ${s.requests} requests to ${s.url} (concurrency ${concurrency}, ${s.elapsedMs} ms): ` +
      `${s.answered} answered, ${s.errors} failed`,
  ];
  if (s.errors > 0) {
    lines.push(`  failures: ${Object.entries(s.errorsByKind).map(([k, n]) => `${k} x${n}`).join(', ')}`);
  }
  lines.push(`caller zone: ${s.callerZone ?? 'unknown'} (${s.callerZoneSource === 'flag' ? '--zone' : `from ${s.callerZoneSource}`})`);
  if (s.answered > 0) {
    const rows = Object.entries(s.zones).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    const width = Math.max(4, ...rows.map(([z]) => z.length));
    lines.push('', `${'zone'.padEnd(width)}  answers   share`);
    for (const [zone, n] of rows) {
      const mark = zone === s.callerZone ? '  <- caller' : '';
      lines.push(`${zone.padEnd(width)}  ${String(n).padStart(7)}  ${pct(n, s.answered).padStart(6)}${mark}`);
    }
    lines.push('');
    lines.push(
      s.sameZoneShare === null
        ? 'same-zone share: n/a (caller zone unknown: pass --zone)'
        : `same-zone share: ${pct(s.sameZone, s.answered)} (${s.sameZone} of ${s.answered} answers)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
