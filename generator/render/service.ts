import type { IService } from 'kubernetes-models/v1/Service';
import type { ServiceProtocol, ServiceSpec, TopologyRouting } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { argoAnnotations, objectName, objectNamespace, standardLabels, SYNC_WAVE, templatedSelector } from './labels.js';
import { isAmbientNamespace, useWaypointLabels } from './ambient.js';

/** Istio reads the protocol from `appProtocol` (or the port name prefix). */
const APP_PROTOCOL: Record<ServiceProtocol, string> = { HTTP: 'http', HTTP2: 'http2', GRPC: 'grpc', TCP: 'tcp' };

/**
 * `PreferSameZone` is GA from Kubernetes 1.35 (beta before, behind a feature gate) and honoured by
 * Istio sidecars since 1.27 and ztunnel; for older clusters `PreferClose` (GA 1.33), which Istio
 * and kube-proxy read with the same zone-preferring meaning.
 */
export function trafficDistributionFor(kubernetesVersion: string): 'PreferSameZone' | 'PreferClose' {
  const minor = Number(kubernetesVersion.split('.')[1]);
  return minor >= 35 ? 'PreferSameZone' : 'PreferClose';
}

/**
 * Whether the service is routed by its Service's `spec.trafficDistribution`: routing.mechanism
 * trafficDistribution, or an ambient namespace (ztunnel reads only that field), unless routing is off.
 */
export function routedByTrafficDistribution(model: TopologyRouting, svc: ServiceSpec): boolean {
  return (svc.routing.mechanism === 'trafficDistribution' || isAmbientNamespace(model, svc.namespace)) && svc.routing.mode !== 'off';
}

export function renderService(ctx: RenderContext, svc: ServiceSpec): IService {
  const { v, model } = ctx;
  const useTrafficDistribution = routedByTrafficDistribution(model, svc);
  const enabled = model.localityRouting;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: objectName(v, model, svc.serviceName),
      namespace: objectNamespace(v, model, svc.namespace),
      labels: standardLabels(v, model, ctx.chartVersion, svc.name, useWaypointLabels(model, svc.namespace), { value: svc.pod.labels }),
      annotations: argoAnnotations(SYNC_WAVE.workload),
    },
    spec: {
      type: 'ClusterIP',
      selector: templatedSelector(v, model, svc.name),
      ports: [{
        name: APP_PROTOCOL[svc.protocol],
        appProtocol: APP_PROTOCOL[svc.protocol],
        port: svc.port,
        targetPort: 'app',
        protocol: 'TCP',
      }, ...svc.pod.extraPorts.map((p) => ({
        // The name is the container port's, and appProtocol tells Istio the protocol.
        name: p.name, appProtocol: APP_PROTOCOL[p.protocol], port: p.port, targetPort: p.name, protocol: 'TCP' as const,
      }))],
      ...(useTrafficDistribution
        ? { trafficDistribution: v.when(TPL.locality, enabled, trafficDistributionFor(model.cluster.kubernetesVersion), undefined) }
        : {}),
    },
  };
}
