import type { Environment, TopologyRouting } from '../model/types.js';
import { releaseNamespace } from '../model/release.js';

/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** One environment as Argo CD deploys it: where, from which revision, with which value file. */
export interface DeployTarget {
  readonly env: string;
  readonly cluster: string;
  readonly targetRevision: string;
  /** Relative to the chart directory, as Argo CD's `helm.valueFiles` expects. */
  readonly valuesFile: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** Repository path of the chart (`zonal generate` writes charts/ and argocd/ at the repo root). */
export function chartPath(model: TopologyRouting): string {
  return `charts/${model.name}`;
}

export function valuesFileName(env: string): string {
  return `values-${env}.yaml`;
}

/**
 * The environments to deploy. A values file without `environments` still gets a complete GitOps
 * setup: one implicit `default` environment on Argo CD's own cluster with no overrides.
 */
export function deployTargets(model: TopologyRouting): DeployTarget[] {
  const envs: readonly Environment[] = model.environments.length > 0
    ? model.environments
    : [{ name: 'default', cluster: IN_CLUSTER, values: {} }];
  return envs.map((e) => ({
    env: e.name,
    cluster: e.cluster,
    targetRevision: e.targetRevision ?? model.gitops.targetRevision,
    valuesFile: valuesFileName(e.name),
    values: e.values,
  }));
}

/**
 * Namespace the workload Applications target. The chart sets every object's namespace itself;
 * this one only catches objects that would not, and anchors the project's destinations.
 */
export function destinationNamespace(model: TopologyRouting): string {
  return releaseNamespace(model);
}

/** Distinct destination clusters, in declaration order, each named after its first environment. */
export function clustersOf(targets: readonly DeployTarget[]): Array<{ cluster: string; env: string }> {
  const seen = new Map<string, string>();
  for (const t of targets) if (!seen.has(t.cluster)) seen.set(t.cluster, t.env);
  return [...seen].map(([cluster, env]) => ({ cluster, env }));
}
