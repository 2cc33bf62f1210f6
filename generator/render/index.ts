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


/**
 * A value as Kubernetes JSON: keys sorted, null and undefined dropped (and, in metadata, empty maps
 * and lists), as cdk8s synthesised objects before zonal stopped loading it (its object graph cost
 * more start-up time than the rest of `zonal generate`); the output stays byte-for-byte the same.
 */
function sanitized(value: unknown, dropEmpty: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return dropEmpty && value.length === 0 ? undefined : value.map((x) => sanitized(x, dropEmpty));
  const out: Record<string, unknown> = {};
  const keys = sortedKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const v = sanitized((value as Record<string, unknown>)[keys[i]!], dropEmpty);
    if (v !== null && v !== undefined) out[keys[i]!] = v;
  }
  return dropEmpty && Object.keys(out).length === 0 ? undefined : out;
}

/**
 * An object's keys in the order sort() gives (UTF-16 code units). Sorting every object's keys
 * with sort() was the biggest allocation of a generation (it copies them into a work array).
 */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  if (keys.length > 32) return keys.sort();
  // Insertion sort in place: objects have a handful of keys, and sort() allocates on every call.
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

const HEAD_KEYS: readonly string[] = ['apiVersion', 'kind', 'metadata'];

/** One object in the house order: apiVersion, kind, metadata, then the other keys sorted. */
function kubeJson(o: Record<string, unknown>): Record<string, unknown> {
  // Built in place (no copies of the object for its rest and its sorted form: this runs for every
  // object of the chart).
  const out: Record<string, unknown> = {};
  const metadata = o.metadata;
  for (let i = 0; i < HEAD_KEYS.length; i++) {
    const k = HEAD_KEYS[i]!;
    const v = k === 'metadata' ? sanitized(metadata, true) : sanitized(o[k], false);
    if (v !== undefined) out[k] = v;
  }
  const keys = sortedKeys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (HEAD_KEYS.includes(k)) continue;
    const v = sanitized(o[k], false);
    if (v !== undefined) out[k] = v;
  }
  // Labels and annotations are kept as rendered (a template placeholder may stand for the whole map).
  const meta = metadata as Meta;
  const outMeta = out.metadata as Meta;
  if (meta.labels !== undefined) outMeta.labels = meta.labels;
  if (meta.annotations !== undefined) outMeta.annotations = meta.annotations;
  return out;
}

/**
 * The chart's template files and their objects: the Namespaces first (everything else lives in
 * them), then every other file in the order of the values file; each object with sorted keys
 * (kubeJson), which is what makes the output byte-for-byte deterministic.
 */
export function renderUnits(model: TopologyRouting, v: ValueSource, chartVersion: string): RenderUnit[] {
  const ctx: RenderContext = { model, v, chartVersion };
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
  return plan.map((u) => ({
    file: u.file, ...(u.item ? { item: u.item } : {}), objects: u.objects.map((o) => kubeJson(o as Record<string, unknown>)),
    ...(u.guards ? { guards: u.guards } : {}),
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

/**
 * Who each object of renderObjects is (apiVersion, kind, metadata name and namespace), in the same
 * order: what the chart README's table and the Argo CD project need. Taken from renderObjects'
 * cache when the lint gate filled it (zonal generate); otherwise (zonal diff renders without the
 * gate) only the headers are resolved, not whole objects.
 */
export function renderedHeaders(model: TopologyRouting): KubeObject[] {
  const resolved = objectCache.get(model)?.values().next().value;
  if (resolved) return resolved.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: header(o.metadata) }));
  const { units, helm } = chartRender(model);
  return units.flatMap((u) => u.objects.filter((_o, i) => u.guards?.[i]?.value !== false).map((o) =>
    helm.resolve({ apiVersion: o.apiVersion, kind: o.kind, metadata: header(o.metadata as KubeObject['metadata']) }) as KubeObject));
}

function header(meta: KubeObject['metadata']): KubeObject['metadata'] {
  return { name: meta.name, ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}) };
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
