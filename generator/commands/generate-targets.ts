import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PreviousChart } from '../chart/chart-files.js';
import type { TopologyRouting } from '../model/types.js';
import type { GeneratedOutput } from './generate-output.js';
import { manifestOwner, readGenerated, readManifest, type OutputDir } from './shared/output-transaction.js';

/** What a chart directory holds from the last run: its version and files (for the managed version). */
export function previousChart(outRoot: string, dir: string): PreviousChart | undefined {
  const files = readGenerated(join(outRoot, dir));
  const version = files?.['Chart.yaml']?.match(/^version:\s*(\S+)\s*$/m)?.[1];
  return files && version ? { version, files } : undefined;
}

/**
 * Chart directories an earlier generation of this values file wrote that this one does not: the
 * unsplit `charts/<name>` after `chart.split: namespace` was turned on, the split charts
 * (`charts/<name>-<namespace>`, their manifest names the owner) after it was turned off or a
 * namespace was removed. Only directories with a zonal manifest are considered.
 */
function staleChartDirs(outRoot: string, model: TopologyRouting, current: ReadonlySet<string>): string[] {
  const charts = join(outRoot, 'charts');
  if (!existsSync(charts)) return [];
  let names: string[];
  try {
    names = readdirSync(charts).sort();
  } catch {
    return [];
  }
  return names.map((n) => `charts/${n}`).filter((dir) => {
    if (current.has(dir) || readManifest(join(outRoot, dir)) === undefined) return false;
    const name = dir.slice('charts/'.length);
    if (name === model.name) return true;
    return name.startsWith(`${model.name}-`) && manifestOwner(join(outRoot, dir)) === model.name;
  });
}

/** The directories of one transaction: every chart, argocd/, and the removal of stale split charts. */
export function outputTargets(outRoot: string, model: TopologyRouting, out: GeneratedOutput): OutputDir[] {
  const split = model.chart.split === 'namespace';
  const dirs: OutputDir[] = out.charts.map((c) => ({ dir: c.dir, files: c.files, ...(split ? { owner: model.name } : {}) }));
  const stale = staleChartDirs(outRoot, model, new Set(out.charts.map((c) => c.dir)));
  return [...dirs, ...stale.map((dir) => ({ dir, files: {}, remove: true })), { dir: 'argocd', files: out.argocd }];
}
