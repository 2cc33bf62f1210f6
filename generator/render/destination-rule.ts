import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { ExternalHost, ServiceSpec } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { argoAnnotations, externalServiceHost, objectName, objectNamespace, serviceHost, standardLabels, SYNC_WAVE } from './labels.js';
import { trafficPolicy } from './traffic-policy.js';

/** DestinationRule for an in-mesh service; `host` is the Service FQDN so it applies from any namespace. */
export function renderServiceDestinationRule(ctx: RenderContext, svc: ServiceSpec): IDestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: {
      name: objectName(ctx.v, ctx.model, svc.name),
      namespace: objectNamespace(ctx.v, ctx.model, svc.namespace),
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, svc.name),
      annotations: argoAnnotations(SYNC_WAVE.istio, true),
    },
    spec: {
      // workload: external -> the owning chart names the Service; only its namespace is ours to map.
      host: svc.workload === 'external'
        ? externalServiceHost(ctx.v, ctx.model, svc.serviceName, svc.namespace)
        : serviceHost(ctx.v, ctx.model, svc.serviceName, svc.namespace),
      trafficPolicy: trafficPolicy(ctx.v, ctx.model, svc.routing, svc.outlierDetection, ...servicePool(svc)),
    },
  };
}

/**
 * The endpoint pool behind a service: its replicas, or under autoscaling the floor (the smallest
 * pool, where one ejection weighs most), with its Go-template form.
 */
function servicePool(svc: ServiceSpec): [number, string] {
  if (svc.workload === 'external') return [svc.replicas, `${TPL.item}.replicas`];
  return [
    svc.pod.autoscaling.enabled ? svc.pod.autoscaling.minReplicas : svc.replicas,
    `(ternary ${TPL.item}.autoscaling.minReplicas ${TPL.item}.replicas ${TPL.item}.autoscaling.enabled)`,
  ];
}

/** DestinationRule for an external host: `host` equals the ServiceEntry host exactly. */
export function renderHostDestinationRule(ctx: RenderContext, host: ExternalHost): IDestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: {
      name: objectName(ctx.v, ctx.model, host.name),
      namespace: objectNamespace(ctx.v, ctx.model, host.namespace),
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, host.name),
      annotations: argoAnnotations(SYNC_WAVE.istio, true),
    },
    spec: {
      host: host.host,
      trafficPolicy: trafficPolicy(ctx.v, ctx.model, host.routing, host.outlierDetection, host.endpoints.length, '$endpointCount'),
    },
  };
}
