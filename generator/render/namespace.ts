import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { NamespaceSpec } from '../model/types.js';
import type { RenderContext } from './context.js';
import { argoAnnotations, objectNamespace, standardLabels, SYNC_WAVE } from './labels.js';
import { ambientNamespaceLabels } from './ambient.js';

/** Sidecar injection label: `istio-injection=enabled`, or `istio.io/rev=<rev>` for revisioned control planes. */
export function injectionLabels(revision: string): Record<string, string> {
  return revision ? { 'istio.io/rev': revision } : { 'istio-injection': 'enabled' };
}

export function renderNamespace(ctx: RenderContext, ns: NamespaceSpec): INamespace {
  // An ambient namespace gets no injection label: a sidecar would take its pods out of ambient.
  const mesh = ns.dataplane === 'ambient' ? ambientNamespaceLabels(ctx.model, ns) : injectionLabels(ctx.model.mesh.revision);
  const extra = { ...ns.labels, ...mesh };
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: objectNamespace(ctx.v, ctx.model, ns.name),
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, ns.name, extra),
      annotations: argoAnnotations(SYNC_WAVE.namespace),
    },
  };
}
