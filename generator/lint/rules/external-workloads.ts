import { EXTERNAL_WORKLOAD_ANNOTATION, EXTERNAL_ZONE_SPREAD_ANNOTATION } from '../../render/external-workloads.js';
import type { LocatedObject } from '../../k8s/manifest.js';
import { ZONE_LABEL, type Inventory } from '../inventory.js';
import type { Emit } from '../types.js';

/** A stand-in for a workload another chart deploys (values `workload: external`). */
export function isExternalStandIn(w: LocatedObject): boolean {
  return w.object.metadata.annotations?.[EXTERNAL_WORKLOAD_ANNOTATION] === 'external';
}

/**
 * ZNL028: zonal routes a Service another chart deploys; zone-local routing only keeps traffic in
 * the zone when that chart puts replicas in every zone (or, with routing.mechanism
 * trafficDistribution, sets the Service field itself, since zonal renders nothing for it).
 */
export function externalWorkloadSpread(inv: Inventory, emit: Emit): void {
  for (const w of inv.workloads) {
    if (!isExternalStandIn(w) || w.object.metadata.annotations?.[EXTERNAL_ZONE_SPREAD_ANNOTATION] === 'true') continue;
    emit({
      code: 'ZNL028', target: w, pointer: '/spec/template/spec',
      message: `${w.object.metadata.name} is deployed by another chart (workload: external): zonal routes it, but only that chart can put a replica in every zone. ` +
        `Make it set topologySpreadConstraints [{maxSkew: 1, topologyKey: ${ZONE_LABEL}, whenUnsatisfiable: DoNotSchedule}] with at least one replica per zone ` +
        '(or spec.trafficDistribution: PreferSameZone on its Service for routing.mechanism trafficDistribution), then set zoneSpread: true on this service',
    });
  }
}
