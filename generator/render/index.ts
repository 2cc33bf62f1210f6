import { ApiObject, App, Chart } from 'cdk8s';
import type { KubeObject } from '../k8s/manifest.js';
import type { TopologyRouting } from '../model/types.js';
import type { RenderContext } from './context.js';
import { renderHostDestinationRule, renderServiceDestinationRule } from './destination-rule.js';
import { renderDeployment } from './deployment.js';
import { HPA_ENABLED, renderHorizontalPodAutoscaler } from './hpa.js';
import { renderNamespace } from './namespace.js';
import { renderPodDisruptionBudget } from './pod-disruption-budget.js';
import { renderServiceAccount } from './service-account.js';
import { renderBrokerEntries, renderServiceEntry } from './service-entry.js';
import { renderService } from './service.js';
import { goString, HelmValues, type ValueSource } from './value-source.js';
import { destinationRulesApply } from './ambient.js';
import { renderWaypoint } from './waypoint.js';

/** The objects of one chart template file, and which values item (if any) the file reads. */
export interface RenderUnit {
  /** Path below the chart's templates/ directory. */
  readonly file: string;
  readonly item?: { readonly section: 'services' | 'externalHosts'; readonly name: string };
  readonly objects: readonly Record<string, unknown>[];
  /**
   * Per object (same index), a deploy-time condition the chart wraps it in (`{{- if cond }}`), with
   * the condition's default; objects whose default is false are not among the concrete objects.
   */
  readonly guards?: readonly (Guard | undefined)[];
}

export interface Guard {
  readonly cond: string;
  readonly value: boolean;
}

/** The Namespace object is rendered only when `namespaces.<name>.create` (another chart may own it). */
function namespaceGuard(ns: TopologyRouting['namespaces'][number]): Guard {
  return { cond: `(index $.Values.namespaces ${goString(ns.name)}).create`, value: ns.create };
}

function serviceObjects(ctx: RenderContext, svc: TopologyRouting['services'][number]) {
  // workload: external -> another chart renders the ServiceAccount, Service, Deployment and PDB.
  const objects: object[] = svc.workload === 'external' ? [] : [
    renderServiceAccount(ctx, svc),
    renderService(ctx, svc),
    renderDeployment(ctx, svc),
    renderPodDisruptionBudget(ctx, svc),
    renderHorizontalPodAutoscaler(ctx, svc),
  ];
  // With mechanism trafficDistribution the Service field does the work; a DestinationRule's
  // localityLbSetting would take precedence over it, so none is emitted.
  // In ambient without a waypoint ztunnel ignores DestinationRules: none is emitted to look like it works.
  if (svc.routing.mechanism === 'destinationRule' && destinationRulesApply(ctx.model, svc.namespace)) objects.push(renderServiceDestinationRule(ctx, svc));
  return objects;
}

/** A service's objects; the HorizontalPodAutoscaler is rendered only with autoscaling.enabled. */
function serviceUnit(ctx: RenderContext, svc: TopologyRouting['services'][number]) {
  const objects = serviceObjects(ctx, svc);
  const guards = objects.map((o) => ((o as { kind: string }).kind === 'HorizontalPodAutoscaler'
    ? { cond: HPA_ENABLED, value: svc.pod.autoscaling.enabled } : undefined));
  return { objects, ...(guards.some(Boolean) ? { guards } : {}) };
}

/**
 * An Aurora writer host is one endpoint with no locality pool, so it gets no DestinationRule (an
 * outlier ejection of the only writer would just lengthen a failover); MSK hosts add one
 * ServiceEntry per broker.
 */
function externalHostObjects(ctx: RenderContext, host: TopologyRouting['externalHosts'][number]) {
  const objects: object[] = [renderServiceEntry(ctx, host)];
  if (host.role !== 'writer' && destinationRulesApply(ctx.model, host.namespace)) objects.push(renderHostDestinationRule(ctx, host));
  objects.push(...renderBrokerEntries(ctx, host));
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
  const plan: Array<{ file: string; item?: RenderUnit['item']; objects: object[]; guards?: (Guard | undefined)[] }> = [
    { file: 'namespaces.yaml', objects: model.namespaces.map((ns) => renderNamespace(ctx, ns)), guards: model.namespaces.map(namespaceGuard) },
    ...model.namespaces.filter((ns) => renderWaypoint(ctx, ns).length > 0).map((ns) => ({ file: `waypoints/${ns.name}.yaml`, objects: renderWaypoint(ctx, ns) })),
    ...model.services.map((svc) => ({
      file: `services/${svc.name}.yaml`, item: { section: 'services' as const, name: svc.name }, ...serviceUnit(ctx, svc),
    })),
    ...model.externalHosts.map((host) => ({
      file: `external-hosts/${host.name}.yaml`, item: { section: 'externalHosts' as const, name: host.name },
      objects: externalHostObjects(ctx, host),
    })),
  ];
  // cdk8s merges metadata.labels/annotations into maps of its own, which would take a template
  // placeholder apart; they are put back from the objects as rendered.
  const unitOf = new Map<string, { index: number; meta: Meta; guard?: Guard | undefined }>();
  const namespaces: ApiObject[] = [];
  let n = 0;
  plan.forEach((unit, index) => {
    unit.objects.forEach((o, i) => {
      const { kind, metadata } = o as { kind: string; metadata: Meta };
      const api = new ApiObject(chart, `o${n++}`, o as ConstructorParameters<typeof ApiObject>[2]);
      if (index === 0) namespaces.push(api);
      else for (const ns of namespaces) api.addDependency(ns);
      unitOf.set(identity(kind, metadata), { index, meta: metadata, guard: unit.guards?.[i] });
    });
  });
  const grouped: Record<string, unknown>[][] = plan.map(() => []);
  const guards: (Guard | undefined)[][] = plan.map(() => []);
  for (const o of chart.toJson() as Array<{ kind: string; metadata: Meta }>) {
    const { index, meta, guard } = unitOf.get(identity(o.kind, o.metadata))!;
    if (meta.labels !== undefined) o.metadata.labels = meta.labels;
    if (meta.annotations !== undefined) o.metadata.annotations = meta.annotations;
    grouped[index]!.push(o as unknown as Record<string, unknown>);
    if (plan[index]!.guards) guards[index]!.push(guard);
  }
  return plan.map((u, i) => ({
    file: u.file, ...(u.item ? { item: u.item } : {}), objects: grouped[i]!,
    ...(u.guards ? { guards: guards[i]! } : {}),
  }));
}

/**
 * Every object the chart renders with its default values, exactly as
 * `helm template <name> charts/<name>` prints them (release name = chart name).
 */
export function renderObjects(model: TopologyRouting, chartVersion = model.chart.version ?? '0.1.0'): KubeObject[] {
  // generate resolves the same model for the lint gate, the CRD check, the README and the Argo CD
  // project: once per version is enough (at 5,000 services each pass costs about a second).
  let perVersion = objectCache.get(model);
  if (!perVersion) objectCache.set(model, perVersion = new Map());
  const cached = perVersion.get(chartVersion);
  if (cached) return [...cached];
  const { units, helm } = chartRender(model);
  const version = (s: string) => (s.includes(CHART_VERSION_MARK) ? s.split(CHART_VERSION_MARK).join(chartVersion) : s);
  const objects = units.flatMap((u) => u.objects.filter((_o, i) => u.guards?.[i]?.value !== false).map((o) => helm.resolve(o, version) as KubeObject));
  perVersion.set(chartVersion, objects);
  return [...objects];
}

const objectCache = new WeakMap<TopologyRouting, Map<string, KubeObject[]>>();

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
