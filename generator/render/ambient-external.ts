/**
 * External hosts in ambient namespaces: ztunnel reads a ServiceEntry's zone preference from the
 * `networking.istio.io/traffic-distribution` annotation (a ServiceEntry has no such spec field).
 */
import { behaviourOf } from '../istio/versions.js';
import { TRAFFIC_DISTRIBUTION_ANNOTATION } from '../istio/mesh.js';
import type { ExternalHost } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { hasWaypoint, isAmbientNamespace } from './ambient.js';

/**
 * Why an ambient host gets no traffic-distribution annotation, or undefined when it gets one.
 * istiod 1.30-1.32 panics building the Envoy cluster of a DNS ServiceEntry whose endpoints span
 * several localities when the annotation forces failover priorities (istio/istio#61857), and every
 * Envoy of the mesh (waypoints, gateways, remaining sidecars) builds that cluster. With a waypoint
 * the host's DestinationRule sets localityLbSetting, which outranks the annotation and avoids it.
 */
export function ambientAnnotationWithheld(ctx: RenderContext, host: ExternalHost): string | undefined {
  if (!isAmbientNamespace(ctx.model, host.namespace) || host.routing.mode === 'off') return 'not ambient or routing off';
  const zones = new Set(host.endpoints.map((e) => e.zone));
  if (zones.size > 1 && !hasWaypoint(ctx.model, host.namespace) && behaviourOf(ctx.model.mesh.istioVersion).dnsMultiLocalityFailoverPriorityPanics) {
    return `istiod ${ctx.model.mesh.istioVersion} panics on the annotation for a DNS ServiceEntry spanning ${zones.size} zones (istio/istio#61857); enable the namespace waypoint`;
  }
  return undefined;
}

/** PreferSameZone (Istio reads the annotation itself, whatever the Kubernetes version), under the locality switch. */
export function ambientHostAnnotations(ctx: RenderContext, host: ExternalHost): Record<string, string> {
  if (ambientAnnotationWithheld(ctx, host) !== undefined) return {};
  return { [TRAFFIC_DISTRIBUTION_ANNOTATION]: ctx.v.when(TPL.locality, ctx.model.localityRouting, 'PreferSameZone', undefined) };
}
