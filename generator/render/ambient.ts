/**
 * What the ambient data plane changes in the chart: which namespaces are ambient, the namespace
 * labels, the traffic distribution ztunnel reads and whether a DestinationRule does anything.
 * ztunnel (L4) ignores DestinationRule traffic policy; only a waypoint (Envoy) applies it.
 */
import type { NamespaceSpec, TopologyRouting } from '../model/types.js';
import { DATAPLANE_MODE_AMBIENT, DATAPLANE_MODE_LABEL, REVISION_LABEL, USE_WAYPOINT_LABEL } from '../well-known.js';

/**
 * The waypoint Gateway of a namespace. A fixed name (Istio's own convention for a namespace
 * waypoint), because the namespace label that points at it is a literal the chart cannot template.
 */
export const WAYPOINT_NAME = 'waypoint';

export function namespaceSpecOf(model: TopologyRouting, namespace: string): NamespaceSpec | undefined {
  return model.namespaces.find((n) => n.name === namespace);
}

export function isAmbientNamespace(model: TopologyRouting, namespace: string): boolean {
  return (namespaceSpecOf(model, namespace)?.dataplane ?? model.mesh.dataplane) === 'ambient';
}

export function hasWaypoint(model: TopologyRouting, namespace: string): boolean {
  const ns = namespaceSpecOf(model, namespace);
  return ns?.dataplane === 'ambient' && ns.waypoint.enabled;
}

/**
 * A DestinationRule is rendered where a proxy applies it: always with sidecars, in ambient only
 * when the namespace's waypoint carries the traffic (ztunnel would silently ignore it).
 */
export function destinationRulesApply(model: TopologyRouting, namespace: string): boolean {
  return !isAmbientNamespace(model, namespace) || hasWaypoint(model, namespace);
}

/**
 * Labels of an ambient namespace: the data-plane mode (no injection label: a sidecar would take
 * the pod out of ambient), the revision when the control plane is revisioned, and the waypoint.
 */
export function ambientNamespaceLabels(model: TopologyRouting, ns: NamespaceSpec): Record<string, string> {
  return {
    [DATAPLANE_MODE_LABEL]: DATAPLANE_MODE_AMBIENT,
    ...(model.mesh.revision ? { [REVISION_LABEL]: model.mesh.revision } : {}),
    ...(ns.waypoint.enabled ? { [USE_WAYPOINT_LABEL]: WAYPOINT_NAME } : {}),
  };
}

/**
 * `istio.io/use-waypoint` on a Service or ServiceEntry of a waypoint namespace as well: the
 * namespace label is lost when another chart owns the Namespace (`create: false`), the object's own
 * label is not.
 */
export function useWaypointLabels(model: TopologyRouting, namespace: string): Record<string, string> {
  return hasWaypoint(model, namespace) ? { [USE_WAYPOINT_LABEL]: WAYPOINT_NAME } : {};
}

/** Whether any namespace of the model runs ambient (the bootstrap then installs istio-cni and ztunnel). */
export function anyAmbient(model: TopologyRouting): boolean {
  return model.namespaces.some((n) => n.dataplane === 'ambient');
}
