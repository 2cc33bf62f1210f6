import type { IService } from 'kubernetes-models/v1/Service';
import type { ServiceProtocol, ServiceSpec } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { argoAnnotations, standardLabels, SYNC_WAVE, templatedSelector } from './labels.js';

/** Istio reads the protocol from `appProtocol` (or the port name prefix). */
const APP_PROTOCOL: Record<ServiceProtocol, string> = { HTTP: 'http', HTTP2: 'http2', GRPC: 'grpc', TCP: 'tcp' };

/**
 * `PreferSameZone` is GA from Kubernetes 1.35 and honoured by Istio sidecars since 1.27; for
 * older clusters `PreferClose` (GA 1.33) has the same zone-preferring meaning.
 */
export function trafficDistributionFor(kubernetesVersion: string): 'PreferSameZone' | 'PreferClose' {
  const minor = Number(kubernetesVersion.split('.')[1]);
  return minor >= 34 ? 'PreferSameZone' : 'PreferClose';
}

export function renderService(ctx: RenderContext, svc: ServiceSpec): IService {
  const { v, model } = ctx;
  const useTrafficDistribution = svc.routing.mechanism === 'trafficDistribution' && svc.routing.mode !== 'off';
  const enabled = model.localityRouting;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: svc.serviceName,
      namespace: svc.namespace,
      labels: standardLabels(v, model, ctx.chartVersion, svc.name),
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
      }],
      ...(useTrafficDistribution
        ? { trafficDistribution: v.when(TPL.locality, enabled, trafficDistributionFor(model.cluster.kubernetesVersion), undefined) }
        : {}),
    },
  };
}
