import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ServiceSpec } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { goString } from './value-source.js';
import { argoAnnotations, objectName, objectNamespace, standardLabels, SYNC_WAVE } from './labels.js';

/** One ServiceAccount per service, so IRSA roles and Istio identities are per workload. */
export function renderServiceAccount(ctx: RenderContext, svc: ServiceSpec): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: objectName(ctx.v, ctx.model, svc.name),
      namespace: objectNamespace(ctx.v, ctx.model, svc.namespace),
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, svc.name, {}, { value: svc.pod.labels }),
      // serviceAccount.annotations (IRSA role, a deploy-time knob) next to the sync wave.
      annotations: ctx.v.raw(
        (indent) => `{{- toYaml (merge (deepCopy ${TPL.item}.serviceAccount.annotations) (dict${Object.entries(argoAnnotations(SYNC_WAVE.workload))
          .map(([k, val]) => ` ${goString(k)} ${goString(val)}`).join('')})) | nindent ${indent + 2} }}`,
        { ...svc.pod.serviceAccountAnnotations, ...argoAnnotations(SYNC_WAVE.workload) },
      ),
    },
    automountServiceAccountToken: false,
  };
}
