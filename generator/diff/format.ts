import type { ChartDiff, ObjectChange } from './object-diff.js';
import { hasDifferences } from './object-diff.js';

export interface SideLabels {
  /** e.g. `HEAD` or `origin/main`. */
  readonly base: string;
  /** e.g. `working tree`. */
  readonly head: string;
}

export function changeHeader(c: ObjectChange): string {
  return `=== ${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name} (${c.change})`;
}

function versionLine(d: ChartDiff): string {
  const v = (x: string | undefined) => x ?? '(absent)';
  return d.baseVersion === d.headVersion
    ? `chart ${d.chart}: ${v(d.headVersion)} (unchanged)`
    : `chart ${d.chart}: ${v(d.baseVersion)} -> ${v(d.headVersion)}`;
}

/**
 * The readable report of one chart (and value file) comparison: the chart version line first
 * (the version bump rule made visible), then one `=== Kind namespace/name` section per changed,
 * added or removed object with unified-diff lines, then a count.
 */
export function formatChartDiff(d: ChartDiff, sides: SideLabels, what: string): string {
  const out: string[] = [`--- ${what} @ ${sides.base}`, `+++ ${what} @ ${sides.head}`, versionLine(d)];
  if (d.relabelled > 0) {
    out.push(`  label helm.sh/chart follows the version on ${d.relabelled} object(s); ` +
      `${d.labelOnly} changed only by it (not shown)`);
  }
  if (d.changes.length > 0 && d.baseVersion !== undefined && d.baseVersion === d.headVersion) {
    out.push('  warning: rendered objects changed but the chart version did not (run zonal generate to bump it)');
  }
  for (const c of d.changes) out.push(changeHeader(c), ...c.lines);
  const count = (k: ObjectChange['change']) => d.changes.filter((c) => c.change === k).length;
  out.push(hasDifferences(d)
    ? `${what}: ${count('changed')} changed, ${count('added')} added, ${count('removed')} removed`
    : `${what}: no differences`);
  return `${out.join('\n')}\n`;
}
