import type { TopologyRouting } from '../model/types.js';

/** Files the GitOps layer adds to a generation run (paths relative to the chart dir / argocd dir). */
export interface GitOpsFiles {
  /** e.g. `values-dev.yaml`, written into charts/<name>/. */
  readonly chartFiles: Readonly<Record<string, string>>;
  /** e.g. `project.yaml`, `applicationset.yaml`, written into argocd/. */
  readonly argocdFiles: Readonly<Record<string, string>>;
}

/** Placeholder until the GitOps issue lands: no files. */
export function renderGitOpsFiles(_model: TopologyRouting, _chartVersion: string): GitOpsFiles {
  return { chartFiles: {}, argocdFiles: {} };
}
