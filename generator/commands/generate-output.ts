import { renderGitOpsFiles } from '../argocd/index.js';
import { renderChart, versionChart, type FileTree, type PreviousChart } from '../chart/chart-files.js';
import type { TopologyRouting } from '../model/types.js';

/** Everything one `zonal generate` writes: the chart directory and argocd/. */
export interface GeneratedOutput {
  readonly chartName: string;
  readonly version: string;
  /** Files of charts/<name>/ (the chart plus the GitOps layer's values-<env>.yaml). */
  readonly chart: FileTree;
  /** Files of argocd/. */
  readonly argocd: FileTree;
  /** Whether the rendered content differs from the previous chart. */
  readonly changed: boolean;
}

/**
 * Composes the chart (chart/) and the GitOps output (argocd/): neither layer knows the other. The
 * per-environment value files live in the chart directory, so they take part in the managed
 * chart version; the Argo CD files do not depend on the version.
 */
export function generateOutput(model: TopologyRouting, valuesFile: string, previous?: PreviousChart): GeneratedOutput {
  const gitops = renderGitOpsFiles(model);
  const chart = versionChart(model, { ...renderChart(model, valuesFile), ...gitops.chartFiles }, previous);
  return { chartName: model.name, version: chart.version, chart: chart.files, argocd: gitops.argocdFiles, changed: chart.changed };
}
