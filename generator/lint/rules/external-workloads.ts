import { EXTERNAL_TRAFFIC_DISTRIBUTION_ANNOTATION, EXTERNAL_WORKLOAD_ANNOTATION, EXTERNAL_ZONE_SPREAD_ANNOTATION } from '../../render/external-workloads.js';
import type { LocatedObject } from '../../k8s/manifest.js';
import { ZONE_LABEL, type Inventory } from '../inventory.js';
import type { Emit } from '../types.js';

/** A stand-in for a workload another chart deploys (values `workload: external`). */
export function isExternalStandIn(w: LocatedObject): boolean {
  return w.object.metadata.annotations?.[EXTERNAL_WORKLOAD_ANNOTATION] === 'external';
}

/**
 * ZNL028: zonal routes a Service another chart deploys; zone-local routing only keeps traffic in
 * the zone when that chart puts replicas in every zone.
 */
export function externalWorkloadSpread(inv: Inventory, emit: Emit): void {
  for (const w of inv.workloads) {
    if (!isExternalStandIn(w) || w.object.metadata.annotations?.[EXTERNAL_ZONE_SPREAD_ANNOTATION] === 'true') continue;
    emit({
      code: 'ZNL028', target: w, pointer: '/spec/template/spec',
      message: `${w.object.metadata.name} is deployed by another chart (workload: external): zonal routes it, but only that chart can put a replica in every zone. ` +
        `Make it set topologySpreadConstraints [{maxSkew: 1, topologyKey: ${ZONE_LABEL}, whenUnsatisfiable: DoNotSchedule}] with at least one replica per zone ` +
        'then set zoneSpread: true on this service',
    });
  }
}

/**
 * ZNL029: zonal routes a Service another chart deploys through the Service's own
 * `spec.trafficDistribution` (routing.mechanism trafficDistribution, or an ambient namespace where
 * ztunnel reads nothing else), which zonal cannot set on a Service it does not render.
 */
export function externalTrafficDistribution(inv: Inventory, emit: Emit): void {
  for (const svc of inv.services) {
    const o = svc.object as { metadata: { name: string; annotations?: Record<string, string> }; spec?: { trafficDistribution?: unknown } };
    if (o.metadata.annotations?.[EXTERNAL_WORKLOAD_ANNOTATION] !== 'external') continue;
    if (o.metadata.annotations[EXTERNAL_TRAFFIC_DISTRIBUTION_ANNOTATION] !== 'required' || o.spec?.trafficDistribution !== undefined) continue;
    emit({
      code: 'ZNL029', target: svc, pointer: '/spec',
      message: `Service ${o.metadata.name} is deployed by another chart (workload: external) and zonal routes it with the Service's spec.trafficDistribution ` +
        '(routing.mechanism trafficDistribution or an ambient namespace), which only that chart can set: until it does, callers spread over every zone. ' +
        'Make it set spec.trafficDistribution: PreferSameZone (PreferClose before Kubernetes 1.35) on the Service, then set trafficDistribution: true on this service',
    });
  }
}
