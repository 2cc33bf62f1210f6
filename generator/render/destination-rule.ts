import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { ExternalHost, ServiceSpec } from '../model/types.js';
import { clusterLocalHost, TPL, type RenderContext } from './context.js';
import { argoAnnotations, standardLabels, SYNC_WAVE } from './labels.js';
import { trafficPolicy } from './traffic-policy.js';

/** DestinationRule for an in-mesh service; `host` is the Service FQDN so it applies from any namespace. */
export function renderServiceDestinationRule(ctx: RenderContext, svc: ServiceSpec): IDestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: {
      name: svc.name,
      namespace: svc.namespace,
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, svc.name),
      annotations: argoAnnotations(SYNC_WAVE.istio, true),
    },
    spec: {
      host: clusterLocalHost(svc.serviceName, svc.namespace),
      trafficPolicy: trafficPolicy(ctx.v, ctx.model, svc.routing, svc.outlierDetection, svc.replicas, `${TPL.item}.replicas`),
    },
  };
}

/** DestinationRule for an external host: `host` equals the ServiceEntry host exactly. */
export function renderHostDestinationRule(ctx: RenderContext, host: ExternalHost): IDestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: {
      name: host.name,
      namespace: host.namespace,
      labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, host.name),
      annotations: argoAnnotations(SYNC_WAVE.istio, true),
    },
    spec: {
      host: host.host,
      trafficPolicy: trafficPolicy(ctx.v, ctx.model, host.routing, host.outlierDetection, host.endpoints.length, '$endpointCount'),
    },
  };
}
