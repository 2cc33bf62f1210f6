/**
 * ZNL060-ZNL063: the ambient data plane. ztunnel (L4) ignores DestinationRule traffic policy and
 * reads only the traffic distribution (Service spec or `networking.istio.io/traffic-distribution`);
 * it marks ServiceEntry endpoints healthy and ejects nothing; a waypoint (Envoy) applies
 * DestinationRules and is reached with PreferClose, so it needs pods in every callers' zone.
 */
import type { LocatedObject } from '../../k8s/manifest.js';
import { pointerSegment } from '../../yaml/source-map.js';
import { USE_WAYPOINT_LABEL } from '../../well-known.js';
import {
  isAmbientNamespace, isSidecarNamespace, waypointGateways, waypointOf, waypointPlacement,
} from '../ambient-inventory.js';
import { namespaceOf, policyScopes, type Inventory } from '../inventory.js';
import { num } from '../json.js';
import type { Emit } from '../types.js';

/** The first scope of the DestinationRule that sets a traffic policy ztunnel would ignore. */
function firstPolicy(dr: LocatedObject): { pointer: string; outlier: boolean } | undefined {
  for (const s of policyScopes(dr)) {
    if (s.outlierDetection) return { pointer: s.outlierDetection.pointer, outlier: true };
    if (s.loadBalancer) return { pointer: s.loadBalancer.pointer, outlier: false };
  }
  return undefined;
}

function sidecarNamespaces(inv: Inventory): string[] {
  return [...inv.namespaces.keys()].filter((n) => isSidecarNamespace(inv, n) && inv.workloads.some((w) => namespaceOf(w) === n));
}

/** ZNL060 (hosts reached through ztunnel only) and ZNL062 (external hosts counting on ejection). */
function ztunnelOnlyPolicies(inv: Inventory, emit: Emit): void {
  const sidecars = sidecarNamespaces(inv);
  const alsoSidecars = sidecars.length ? ` (only callers with sidecars, in ${sidecars.join(', ')}, apply it)` : '';
  for (const dr of inv.destinationRules) {
    const policy = firstPolicy(dr);
    if (!policy) continue;
    const t = inv.targetsOf(dr);
    const hosts = [...t.services, ...t.serviceEntries];
    const viaZtunnel = hosts.filter((h) => isAmbientNamespace(inv, namespaceOf(h)) && waypointOf(inv, h) === undefined);
    if (viaZtunnel.length === 0 || viaZtunnel.length < hosts.length) continue;
    const externals = viaZtunnel.filter((h) => h.object.kind === 'ServiceEntry');
    if (policy.outlier && externals.length > 0) {
      emit({
        code: 'ZNL062', target: dr, pointer: policy.pointer,
        message: `ServiceEntry ${externals.map((e) => e.object.metadata.name).join(', ')} is in ambient namespace ${namespaceOf(externals[0]!)} without a waypoint: ` +
          'ztunnel marks ServiceEntry endpoints healthy and never ejects one, so this outlierDetection fails nothing over and a broken zone keeps its connections' +
          `${alsoSidecars} (send the host through a waypoint: label the ServiceEntry or namespace ${USE_WAYPOINT_LABEL}=<waypoint>)`,
      });
      continue;
    }
    emit({
      code: 'ZNL060', target: dr, pointer: policy.pointer,
      message: `${viaZtunnel.map((h) => `${h.object.kind} ${h.object.metadata.name}`).join(', ')} is reached through ztunnel only (ambient namespace ` +
        `${namespaceOf(viaZtunnel[0]!)}, no waypoint): ztunnel ignores DestinationRule traffic policy, so this one does nothing${alsoSidecars} ` +
        `(use spec.trafficDistribution: PreferSameZone on the Service or the networking.istio.io/traffic-distribution annotation for zone preference, ` +
        `or add a waypoint and label the host or namespace ${USE_WAYPOINT_LABEL}=<waypoint>)`,
    });
  }
}

/** How many zones the callers run in: the cluster's zones when known, else the widest workload spread seen. */
function callerZones(inv: Inventory): number {
  if (inv.zones.size > 0) return inv.zones.size;
  return inv.workloads.reduce((a, w) => Math.max(a, Math.min(num((w.object as { spec?: { replicas?: unknown } }).spec?.replicas) ?? 1, 3)), 0);
}

/** ZNL061: a waypoint with pods in fewer zones than its callers. */
function waypointZones(inv: Inventory, emit: Emit): void {
  const zones = callerZones(inv);
  if (zones < 2) return;
  for (const gw of waypointGateways(inv)) {
    const p = waypointPlacement(inv, gw);
    const covered = p.zoneSpread ? Math.min(p.replicas, zones) : 1;
    if (covered >= zones) continue;
    const why = p.zoneSpread
      ? `${p.replicas} replica${p.replicas === 1 ? '' : 's'} for ${zones} zones`
      : `${p.replicas} replica${p.replicas === 1 ? '' : 's'} with no zone spread (DoNotSchedule on topology.kubernetes.io/zone), which the scheduler may put in one zone`;
    emit({
      code: 'ZNL061', target: p.parameters ?? gw, pointer: p.parameters ? '/data/deployment' : '/spec',
      message: `waypoint ${gw.object.metadata.name} runs ${why}: istiod gives the waypoint's Service PreferClose, so callers in a zone without a waypoint pod ` +
        'cross zones to reach it before any DestinationRule picks a backend (set spec.infrastructure.parametersRef to a ConfigMap whose deployment overlay sets ' +
        `replicas to a multiple of ${zones} and a topologySpreadConstraint on topology.kubernetes.io/zone with whenUnsatisfiable: DoNotSchedule)`,
    });
  }
}

/** ZNL063: sidecar and ambient namespaces side by side: the same service is routed two ways. */
function mixedDataplanes(inv: Inventory, emit: Emit): void {
  const sidecars = sidecarNamespaces(inv);
  if (sidecars.length === 0) return;
  for (const [name, ns] of inv.namespaces) {
    if (!isAmbientNamespace(inv, name) || !inv.workloads.some((w) => namespaceOf(w) === name)) continue;
    emit({
      code: 'ZNL063', target: ns, pointer: `/metadata/labels/${pointerSegment('istio.io/dataplane-mode')}`,
      message: `namespace ${name} is ambient while ${sidecars.join(', ')} run${sidecars.length === 1 ? 's' : ''} sidecars: calls from ${name} to their services go ` +
        'through ztunnel, which ignores their DestinationRules (only trafficDistribution applies), and their sidecars apply their own DestinationRules ' +
        `to ${name}'s services instead of its waypoint's: the zone routing differs by caller (move the namespaces to one data plane, ` +
        'or give every Service a trafficDistribution so both data planes prefer the caller\'s zone)',
    });
  }
}

export function ambientRules(inv: Inventory, emit: Emit): void {
  ztunnelOnlyPolicies(inv, emit);
  waypointZones(inv, emit);
  mixedDataplanes(inv, emit);
}
