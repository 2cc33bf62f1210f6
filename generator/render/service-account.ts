import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ServiceSpec } from '../model/types.js';
import type { RenderContext } from './context.js';
import { argoAnnotations, standardLabels, SYNC_WAVE } from './labels.js';

/** One ServiceAccount per service, so IRSA roles and Istio identities are per workload. */
export function renderServiceAccount(ctx: RenderContext, svc: ServiceSpec): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: svc.name,
      namespace: svc.namespace,
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, svc.name),
      annotations: argoAnnotations(SYNC_WAVE.workload),
    },
    automountServiceAccountToken: false,
  };
}
