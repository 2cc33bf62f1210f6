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
import { ConcreteValues, type ValueSource } from './value-source.js';

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

type Meta = { name: string; labels?: unknown; annotations?: unknown };

/**
 * cdk8s merges metadata.labels/annotations into maps of its own, which would take a template
 * placeholder apart; they are put back from the objects as rendered.
 */
function synth(chart: Chart): Record<string, unknown>[] {
  const byKey = new Map<string, Meta>();
  for (const o of chart.node.children) {
    if (o instanceof ApiObject) byKey.set(`${o.kind}/${o.name}`, (o as unknown as { zonalMeta: Meta }).zonalMeta);
  }
  return (chart.toJson() as Array<{ kind: string; metadata: Meta }>).map((o) => {
    const meta = byKey.get(`${o.kind}/${o.metadata.name}`);
    if (meta?.labels !== undefined) o.metadata.labels = meta.labels;
    if (meta?.annotations !== undefined) o.metadata.annotations = meta.annotations;
    return o as unknown as Record<string, unknown>;
  });
}

/**
 * Builds the object graph with cdk8s (one cdk8s Chart per template file, each depending on the
 * namespaces) and synthesises it in-process. cdk8s sorts keys and orders objects by dependency,
 * which is what makes the output byte-for-byte deterministic.
 */
export function renderUnits(model: TopologyRouting, v: ValueSource, chartVersion: string): RenderUnit[] {
  const ctx: RenderContext = { model, v, chartVersion };
  const app = new App();
  const units: Array<{ chart: Chart; file: string; item?: RenderUnit['item'] }> = [];
  const add = (file: string, objects: object[], item?: RenderUnit['item']) => {
    const chart = new Chart(app, file.replace(/[^a-zA-Z0-9-]/g, '-'), { disableResourceNameHashes: true });
    objects.forEach((o, i) => {
      const api = new ApiObject(chart, `o${i}`, o as ConstructorParameters<typeof ApiObject>[2]);
      Object.defineProperty(api, 'zonalMeta', { value: (o as { metadata: Meta }).metadata });
    });
    units.push({ chart, file, ...(item ? { item } : {}) });
    return chart;
  };
  const namespaces = add('namespaces.yaml', model.namespaces.map((ns) => renderNamespace(ctx, ns)));
  for (const svc of model.services) {
    add(`services/${svc.name}.yaml`, serviceObjects(ctx, svc), { section: 'services', name: svc.name }).addDependency(namespaces);
  }
  for (const host of model.externalHosts) {
    add(`external-hosts/${host.name}.yaml`, [renderServiceEntry(ctx, host), renderHostDestinationRule(ctx, host)],
      { section: 'externalHosts', name: host.name }).addDependency(namespaces);
  }
  return units.map(({ chart, file, item }) => ({ file, ...(item ? { item } : {}), objects: synth(chart) }));
}

/**
 * Every object the chart renders with its default values, exactly as
 * `helm template <name> charts/<name>` prints them (release name = chart name).
 */
export function renderObjects(model: TopologyRouting, chartVersion = model.chart.version ?? '0.1.0'): KubeObject[] {
  return renderUnits(model, ConcreteValues, chartVersion).flatMap((u) => u.objects as unknown as KubeObject[]);
}
