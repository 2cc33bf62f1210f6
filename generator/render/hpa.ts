import type { ServiceSpec } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { argoAnnotations, objectName, objectNamespace, standardLabels, SYNC_WAVE } from './labels.js';

/** The deploy-time condition the chart wraps the HorizontalPodAutoscaler in. */
export const HPA_ENABLED = `${TPL.item}.autoscaling.enabled`;

/**
 * HorizontalPodAutoscaler (autoscaling/v2) on CPU. Its floor is at least one replica per zone
 * (checked in the values file and by the chart's schema); the Deployment's zone spread constraint
 * (maxSkew 1, DoNotSchedule) keeps new replicas balanced over zones as it scales.
 */
export function renderHorizontalPodAutoscaler(ctx: RenderContext, svc: ServiceSpec): Record<string, unknown> {
  const { v, model } = ctx;
  const a = svc.pod.autoscaling;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: objectName(v, model, svc.name),
      namespace: objectNamespace(v, model, svc.namespace),
      labels: standardLabels(v, model, ctx.chartVersion, svc.name, {}, { value: svc.pod.labels }),
      annotations: argoAnnotations(SYNC_WAVE.workload),
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: objectName(v, model, svc.name) },
      minReplicas: v.scalar(`${TPL.item}.autoscaling.minReplicas`, a.minReplicas),
      maxReplicas: v.scalar(`${TPL.item}.autoscaling.maxReplicas`, a.maxReplicas),
      metrics: [{
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: v.scalar(`${TPL.item}.autoscaling.targetCPUUtilizationPercentage`, a.targetCPUUtilizationPercentage) },
        },
      }],
    },
  };
}
