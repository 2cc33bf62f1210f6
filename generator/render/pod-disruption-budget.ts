import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ServiceSpec } from '../model/types.js';
import type { RenderContext } from './context.js';
import { argoAnnotations, objectName, objectNamespace, standardLabels, SYNC_WAVE, templatedSelector } from './labels.js';

/** Keeps node drains from emptying a zone, which would push that zone's callers across zones. */
export function renderPodDisruptionBudget(ctx: RenderContext, svc: ServiceSpec): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name: objectName(ctx.v, ctx.model, svc.name),
      namespace: objectNamespace(ctx.v, ctx.model, svc.namespace),
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, svc.name, {}, { value: svc.pod.labels }),
      annotations: argoAnnotations(SYNC_WAVE.workload),
    },
    spec: {
      maxUnavailable: svc.maxUnavailable,
      selector: { matchLabels: templatedSelector(ctx.v, ctx.model, svc.name) },
    },
  };
}
