import { ApiObject, App, Chart } from 'cdk8s';
import type { KubeObject } from '../k8s/manifest.js';
import type { TopologyRouting } from '../model/types.js';
import type { RenderContext } from './context.js';
import { renderHostDestinationRule, renderServiceDestinationRule } from './destination-rule.js';
import { renderDeployment } from './deployment.js';
import { renderNamespace } from './namespace.js';
import { renderPodDisruptionBudget } from './pod-disruption-budget.js';
import { renderServiceAccount } from './service-account.js';
import { renderServiceEntry } from './service-entry.js';
import { renderService } from './service.js';
import { HelmValues, type ValueSource } from './value-source.js';

/** The objects of one chart template file, and which values item (if any) the file reads. */
export interface RenderUnit {
  /** Path below the chart's templates/ directory. */
  readonly file: string;
  readonly item?: { readonly section: 'services' | 'externalHosts'; readonly name: string };
  readonly objects: readonly Record<string, unknown>[];
}

function serviceObjects(ctx: RenderContext, svc: TopologyRouting['services'][number]) {
  const objects: object[] = [
    renderServiceAccount(ctx, svc),
    renderService(ctx, svc),
    renderDeployment(ctx, svc),
    renderPodDisruptionBudget(ctx, svc),
  ];
  // With mechanism trafficDistribution the Service field does the work; a DestinationRule's
  // localityLbSetting would take precedence over it, so none is emitted.
  if (svc.routing.mechanism === 'destinationRule') objects.push(renderServiceDestinationRule(ctx, svc));
  return objects;
}

type Meta = { name: string; namespace?: string; labels?: unknown; annotations?: unknown };

const identity = (kind: string, meta: Meta) => `${kind}/${meta.namespace ?? ''}/${meta.name}`;

/**
 * Builds the object graph with cdk8s (every object depends on the namespaces, so they sort first)
 * and synthesises it in-process, once. cdk8s sorts keys and orders objects by dependency, which is
 * what makes the output byte-for-byte deterministic. The synthesised objects are then grouped back
 * into their template files.
 */
export function renderUnits(model: TopologyRouting, v: ValueSource, chartVersion: string): RenderUnit[] {
  const ctx: RenderContext = { model, v, chartVersion };
  const chart = new Chart(new App(), model.name, { disableResourceNameHashes: true });
  const plan: Array<{ file: string; item?: RenderUnit['item']; objects: object[] }> = [
    { file: 'namespaces.yaml', objects: model.namespaces.map((ns) => renderNamespace(ctx, ns)) },
    ...model.services.map((svc) => ({
      file: `services/${svc.name}.yaml`, item: { section: 'services' as const, name: svc.name }, objects: serviceObjects(ctx, svc),
    })),
    ...model.externalHosts.map((host) => ({
      file: `external-hosts/${host.name}.yaml`, item: { section: 'externalHosts' as const, name: host.name },
      objects: [renderServiceEntry(ctx, host), renderHostDestinationRule(ctx, host)],
    })),
  ];
  // cdk8s merges metadata.labels/annotations into maps of its own, which would take a template
  // placeholder apart; they are put back from the objects as rendered.
  const unitOf = new Map<string, { index: number; meta: Meta }>();
  const namespaces: ApiObject[] = [];
  let n = 0;
  plan.forEach((unit, index) => {
    for (const o of unit.objects) {
      const { kind, metadata } = o as { kind: string; metadata: Meta };
      const api = new ApiObject(chart, `o${n++}`, o as ConstructorParameters<typeof ApiObject>[2]);
      if (index === 0) namespaces.push(api);
      else for (const ns of namespaces) api.addDependency(ns);
      unitOf.set(identity(kind, metadata), { index, meta: metadata });
    }
  });
  const grouped: Record<string, unknown>[][] = plan.map(() => []);
  for (const o of chart.toJson() as Array<{ kind: string; metadata: Meta }>) {
    const { index, meta } = unitOf.get(identity(o.kind, o.metadata))!;
    if (meta.labels !== undefined) o.metadata.labels = meta.labels;
    if (meta.annotations !== undefined) o.metadata.annotations = meta.annotations;
    grouped[index]!.push(o as unknown as Record<string, unknown>);
  }
  return plan.map((u, i) => ({ file: u.file, ...(u.item ? { item: u.item } : {}), objects: grouped[i]! }));
}

/**
 * Every object the chart renders with its default values, exactly as
 * `helm template <name> charts/<name>` prints them (release name = chart name).
 */
export function renderObjects(model: TopologyRouting, chartVersion = model.chart.version ?? '0.1.0'): KubeObject[] {
  const { units, helm } = chartRender(model);
  const version = (s: string) => (s.includes(CHART_VERSION_MARK) ? s.split(CHART_VERSION_MARK).join(chartVersion) : s);
  return units.flatMap((u) => u.objects.map((o) => helm.resolve(o, version) as KubeObject));
}

/** Stands for the chart version in a chart render; Chart.yaml and resolved labels replace it. */
export const CHART_VERSION_MARK = '0.0.0-zonal-version';

const renderCache = new WeakMap<TopologyRouting, { units: RenderUnit[]; helm: HelmValues }>();

/**
 * The model rendered once in Helm mode (cached per model): the chart's templates come from it
 * and, with every placeholder resolved to its default, so do the objects generate, lint, simulate
 * and the Argo CD project reason about.
 */
export function chartRender(model: TopologyRouting): { units: RenderUnit[]; helm: HelmValues } {
  let cached = renderCache.get(model);
  if (!cached) {
    const helm = new HelmValues();
    cached = { units: renderUnits(model, helm, CHART_VERSION_MARK), helm };
    renderCache.set(model, cached);
  }
  return cached;
}
