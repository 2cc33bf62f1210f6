import type { TopologyRouting } from './types.js';

/**
 * The namespace a release of the chart is installed into (helm -n, Argo CD's destination): the
 * first namespace of the values file. One source for the chart (NOTES, README) and argocd/.
 */
export function releaseNamespace(model: TopologyRouting): string {
  return model.namespaces[0]?.name ?? model.name;
}
