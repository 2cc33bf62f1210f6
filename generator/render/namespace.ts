import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { NamespaceSpec } from '../model/types.js';
import type { RenderContext } from './context.js';
import { argoAnnotations, standardLabels, SYNC_WAVE } from './labels.js';

/** Sidecar injection label: `istio-injection=enabled`, or `istio.io/rev=<rev>` for revisioned control planes. */
export function injectionLabels(revision: string): Record<string, string> {
  return revision ? { 'istio.io/rev': revision } : { 'istio-injection': 'enabled' };
}

export function renderNamespace(ctx: RenderContext, ns: NamespaceSpec): INamespace {
  const extra = { ...ns.labels, ...injectionLabels(ctx.model.mesh.revision) };
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns.name,
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, ns.name, extra),
      annotations: argoAnnotations(SYNC_WAVE.namespace),
    },
  };
}
