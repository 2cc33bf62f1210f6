import type { KubeObject } from '../k8s/manifest.js';
import type { ServiceSpec, TopologyRouting } from '../model/types.js';
import { ZONE_LABEL, zonalKey } from '../well-known.js';
import { routedByTrafficDistribution, trafficDistributionFor } from './service.js';

/** Marks a stand-in for a workload another chart deploys (values `workload: external`). */
export const EXTERNAL_WORKLOAD_ANNOTATION = zonalKey('workload');
/** On such a stand-in: whether the values file says the owning chart spreads the pods over zones. */
export const EXTERNAL_ZONE_SPREAD_ANNOTATION = zonalKey('zone-spread');
/**
 * On such a stand-in Service: "required" when zonal routes the service through the Service's
 * `spec.trafficDistribution`, which only the owning chart can set (ZNL029).
 */
export const EXTERNAL_TRAFFIC_DISTRIBUTION_ANNOTATION = zonalKey('traffic-distribution');

function podLabelsOf(svc: ServiceSpec): Record<string, string> {
  const selector = svc.external?.selector ?? {};
  return Object.keys(selector).length > 0 ? { ...selector } : { 'app.kubernetes.io/name': svc.name };
}

/**
 * The Service and Deployment another chart renders for each `workload: external` service, as the
 * values file describes them (name, namespace, port, selector, replicas hint, zone spread). They
 * are never part of the chart: lint (ZNL017 needs the Service, ZNL028 the spread) and prediction
 * reason about them as if the owning chart's output were next to this one.
 */
export function externalWorkloadStandIns(model: TopologyRouting): KubeObject[] {
  return model.services.filter((s) => s.workload === 'external').flatMap((svc) => {
    const labels = podLabelsOf(svc);
    const annotations = {
      [EXTERNAL_WORKLOAD_ANNOTATION]: 'external',
      [EXTERNAL_ZONE_SPREAD_ANNOTATION]: String(svc.external?.zoneSpread ?? false),
    };
    const needsField = routedByTrafficDistribution(model, svc);
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: svc.serviceName, namespace: svc.namespace,
        annotations: { ...annotations, ...(needsField ? { [EXTERNAL_TRAFFIC_DISTRIBUTION_ANNOTATION]: 'required' } : {}) },
      },
      spec: {
        selector: labels,
        ports: [{ name: 'http', port: svc.port, targetPort: svc.targetPort, protocol: 'TCP' }],
        // As the owning chart sets it, once the values file says so.
        ...(svc.external?.trafficDistribution ? { trafficDistribution: trafficDistributionFor(model.cluster.kubernetesVersion) } : {}),
      },
    } as KubeObject;
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: svc.name, namespace: svc.namespace, annotations },
      spec: {
        replicas: svc.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...(svc.external?.zoneSpread
              ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } }] }
              : {}),
            containers: [{ name: svc.name, image: 'owned-by-another-chart' }],
          },
        },
      },
    } as KubeObject;
    return [service, deployment];
  });
}
