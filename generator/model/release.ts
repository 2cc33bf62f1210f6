import type { TopologyRouting } from './types.js';

/**
 * The namespace a release of the chart is installed into (helm -n, Argo CD's destination): the
 * first namespace of the values file. One source for the chart (NOTES, README) and argocd/.
 */
export function releaseNamespace(model: TopologyRouting): string {
  return model.namespaces[0]?.name ?? model.name;
}

/** Helm's longest release name (and zonal's longest chart name). */
export const MAX_RELEASE_NAME = 53;

/** The chart (and release) of one namespace with `chart.split: namespace`: `<name>-<namespace>`. */
export function splitChartName(name: string, namespace: string): string {
  return `${name}-${namespace}`;
}
