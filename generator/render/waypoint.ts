/**
 * A namespace waypoint for the ambient data plane: the Gateway istiod turns into a waypoint
 * Deployment + Service (both named like the Gateway), sized and spread over every zone through the
 * Gateway's infrastructure parameters, and a PodDisruptionBudget for its pods.
 *
 * Why every zone: istiod gives the waypoint's Service `traffic-distribution: PreferClose`, so
 * ztunnel sends each caller to a waypoint pod in its own zone, and the waypoint (an Envoy in that
 * zone) then applies the DestinationRule's locality preference from there. A zone without a
 * waypoint pod sends all its callers to another zone's waypoint before the backend is even chosen.
 */
import type { NamespaceSpec } from '../model/types.js';
import { toYaml } from '../yaml/dump.js';
import {
  GATEWAY_NAME_LABEL, HBONE_PORT, WAYPOINT_FOR_LABEL, WAYPOINT_GATEWAY_CLASS, ZONE_LABEL,
} from '../well-known.js';
import type { RenderContext } from './context.js';
import { argoAnnotations, objectNamespace, standardLabels, SYNC_WAVE } from './labels.js';
import { WAYPOINT_NAME } from './ambient.js';

/** The ConfigMap the Gateway's `spec.infrastructure.parametersRef` names (istiod's overlay for the Deployment). */
export const WAYPOINT_PARAMETERS_NAME = `${WAYPOINT_NAME}-parameters`;

/** Replicas of a waypoint: `replicasPerZone` in each of the cluster's zones. */
export function waypointReplicas(ctx: RenderContext, ns: NamespaceSpec): number {
  return ns.waypoint.replicasPerZone * ctx.model.cluster.zones.length;
}

/**
 * The Deployment overlay istiod applies (strategic merge) to the waypoint it provisions: the
 * replica count and a zone spread that refuses to stack a zone (DoNotSchedule, minDomains = every
 * zone), so each zone holds `replicasPerZone` pods.
 */
export function waypointDeploymentOverlay(ctx: RenderContext, ns: NamespaceSpec): Record<string, unknown> {
  return {
    spec: {
      replicas: waypointReplicas(ctx, ns),
      template: {
        spec: {
          topologySpreadConstraints: [{
            maxSkew: 1,
            minDomains: ctx.model.cluster.zones.length,
            topologyKey: ZONE_LABEL,
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: WAYPOINT_NAME } },
          }],
        },
      },
    },
  };
}

function meta(ctx: RenderContext, ns: NamespaceSpec, name: string, extra: Record<string, string> = {}) {
  return {
    name,
    namespace: objectNamespace(ctx.v, ctx.model, ns.name),
    labels: standardLabels(ctx.v, ctx.model, ctx.chartVersion, WAYPOINT_NAME, extra),
  };
}

export function renderWaypointParameters(ctx: RenderContext, ns: NamespaceSpec): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...meta(ctx, ns, WAYPOINT_PARAMETERS_NAME), annotations: argoAnnotations(SYNC_WAVE.namespace) },
    data: { deployment: toYaml(waypointDeploymentOverlay(ctx, ns)) },
  };
}

/** The Gateway (Gateway API v1): class istio-waypoint, one HBONE listener, for Service traffic. */
export function renderWaypointGateway(ctx: RenderContext, ns: NamespaceSpec): Record<string, unknown> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      ...meta(ctx, ns, WAYPOINT_NAME, { [WAYPOINT_FOR_LABEL]: 'service' }),
      // Before the workloads: their namespace sends traffic through it from their first request.
      annotations: argoAnnotations(SYNC_WAVE.namespace, true),
    },
    spec: {
      gatewayClassName: WAYPOINT_GATEWAY_CLASS,
      infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: WAYPOINT_PARAMETERS_NAME } },
      listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' }],
    },
  };
}

/** At most one waypoint pod down at a time: with two per zone, no zone is ever left without one. */
export function renderWaypointDisruptionBudget(ctx: RenderContext, ns: NamespaceSpec): Record<string, unknown> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { ...meta(ctx, ns, WAYPOINT_NAME), annotations: argoAnnotations(SYNC_WAVE.workload) },
    spec: { maxUnavailable: 1, selector: { matchLabels: { [GATEWAY_NAME_LABEL]: WAYPOINT_NAME } } },
  };
}

/** Every object of a namespace's waypoint, or none when it has no waypoint. */
export function renderWaypoint(ctx: RenderContext, ns: NamespaceSpec): Record<string, unknown>[] {
  if (ns.dataplane !== 'ambient' || !ns.waypoint.enabled) return [];
  return [renderWaypointParameters(ctx, ns), renderWaypointGateway(ctx, ns), renderWaypointDisruptionBudget(ctx, ns)];
}
