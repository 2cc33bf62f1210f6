/** The ambient path of a Service or ServiceEntry as the objects declare it (k8s/ambient.ts). */
import type { AmbientIndex } from '../k8s/ambient.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { AmbientPath } from './ambient.js';

/**
 * `{ ambient }` when the object's namespace is ambient, with its waypoint when it uses one. A
 * waypoint named by the label but absent from the objects counts with one replica of unknown
 * placement: istiod provisions one pod unless parameters say otherwise.
 */
export function ambientPathOf(index: AmbientIndex, o: KubeObject): { ambient?: AmbientPath } {
  if (!index.isAmbientNamespace(o.metadata.namespace || 'default')) return {};
  const ref = index.waypointOf(o);
  if (!ref) return { ambient: {} };
  const gw = index.gateway(ref);
  const p = gw ? index.placement(gw) : { replicas: 1, zoneSpread: false };
  return { ambient: { waypoint: { name: ref, replicas: p.replicas, zoneSpread: p.zoneSpread } } };
}
