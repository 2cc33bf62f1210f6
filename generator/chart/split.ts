import { splitChartName } from '../model/release.js';
import type { Environment, TopologyRouting } from '../model/types.js';

/** One chart of a generation: the part of the values file it is made from and where it goes. */
export interface ChartPart {
  /** The chart's model: the whole values file, or with `chart.split: namespace` one namespace of it. */
  readonly model: TopologyRouting;
  /** The namespace of the values file this chart holds (split only). */
  readonly namespace?: string;
}

type Tree = Record<string, unknown>;
const isMap = (v: unknown): v is Tree => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keyed maps of the chart values (values-tree.ts) whose keys belong to one chart each. */
function only(map: unknown, keep: ReadonlySet<string>): unknown {
  return isMap(map) ? Object.fromEntries(Object.entries(map).filter(([k]) => keep.has(k))) : map;
}

/**
 * An environment's chart-value overrides as one chart of a split sees them: the entries of its own
 * namespace, services and external hosts, and every chart-wide key that chart has.
 */
function environmentOf(env: Environment, part: TopologyRouting): Environment {
  const keyed: Record<string, ReadonlySet<string>> = {
    namespaces: new Set(part.namespaces.map((n) => n.name)),
    services: new Set(part.services.map((s) => s.name)),
    externalHosts: new Set(part.externalHosts.map((h) => h.name)),
  };
  const values: Tree = {};
  for (const [k, v] of Object.entries(env.values)) {
    if (k === 'serviceDefaults' && !part.services.some((s) => s.workload === 'chart')) continue; // not a key of that chart
    const kept = keyed[k] ? only(v, keyed[k]!) : v;
    if (isMap(kept) && keyed[k] && Object.keys(kept).length === 0) continue;
    values[k] = kept;
  }
  return { ...env, values };
}

/**
 * The charts a values file generates. Without a split: one, the whole file. With
 * `chart.split: namespace`: one per declared namespace, named `<name>-<namespace>` (also its
 * release name), holding that namespace's services and external hosts; the chart version,
 * appVersion, mesh, cluster and GitOps settings are the file's.
 */
export function chartParts(model: TopologyRouting): ChartPart[] {
  if (model.chart.split !== 'namespace') return [{ model }];
  return model.namespaces.map((ns) => {
    const base: TopologyRouting = {
      ...model,
      name: splitChartName(model.name, ns.name),
      namespaces: [ns],
      services: model.services.filter((s) => s.namespace === ns.name),
      externalHosts: model.externalHosts.filter((h) => h.namespace === ns.name),
    };
    return { model: { ...base, environments: model.environments.map((e) => environmentOf(e, base)) }, namespace: ns.name };
  });
}

/** Repository path of a chart (`zonal generate` writes charts/ and argocd/ at the repo root). */
export function chartDirOf(part: ChartPart): string {
  return `charts/${part.model.name}`;
}
