import { argocdFiles, environmentValueFiles } from '../argocd/index.js';
import { renderChart, versionChart, type FileTree, type PreviousChart } from '../chart/chart-files.js';
import { chartDirOf, chartParts } from '../chart/split.js';
import type { TopologyRouting } from '../model/types.js';

/** One chart directory of a generation. */
export interface GeneratedChart {
  /** Chart (and release) name. */
  readonly name: string;
  /** Relative to the output root: `charts/<name>`. */
  readonly dir: string;
  readonly version: string;
  /** Files of the chart directory (the chart plus the GitOps layer's values-<env>.yaml). */
  readonly files: FileTree;
  /** Whether the rendered content differs from the previous chart. */
  readonly changed: boolean;
}

/** Everything one `zonal generate` writes: the chart directories and argocd/. */
export interface GeneratedOutput {
  /** One chart, or one per namespace with `chart.split: namespace`. */
  readonly charts: readonly GeneratedChart[];
  /** The first (without a split: the only) chart's name, version and files. */
  readonly chartName: string;
  readonly version: string;
  readonly chart: FileTree;
  /** Files of argocd/. */
  readonly argocd: FileTree;
  /** Whether the rendered content of any chart differs from the previous one. */
  readonly changed: boolean;
}

/** The previous generation of a chart directory (for the managed version), by its relative path. */
export type PreviousCharts = (dir: string) => PreviousChart | undefined;

/**
 * Composes the charts (chart/) and the GitOps output (argocd/): neither layer knows the other. The
 * per-environment value files live in each chart directory, so they take part in its managed
 * chart version; the Argo CD files do not depend on the version.
 */
export function generateOutput(
  model: TopologyRouting, valuesFile: string, previous?: PreviousChart | PreviousCharts, onChart?: (done: number, total: number) => void,
): GeneratedOutput {
  const previousOf: PreviousCharts = typeof previous === 'function' ? previous : () => previous;
  const parts = chartParts(model);
  const charts = parts.map((part, i): GeneratedChart => {
    onChart?.(i, parts.length);
    const dir = chartDirOf(part);
    const chart = versionChart(part.model, { ...renderChart(part.model, valuesFile), ...environmentValueFiles(part.model) }, previousOf(dir));
    return { name: part.model.name, dir, version: chart.version, files: chart.files, changed: chart.changed };
  });
  const first = charts[0]!;
  return {
    charts, chartName: first.name, version: first.version, chart: first.files,
    argocd: argocdFiles(model), changed: charts.some((c) => c.changed),
  };
}
