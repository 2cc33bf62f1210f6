/**
 * The chart README's "Ambient data plane" section: what ztunnel and the waypoint do with the
 * chart's objects, so a reader knows which DestinationRule applies where. Empty for sidecar charts.
 */
import type { TopologyRouting } from '../model/types.js';
import { ambientAnnotationWithheld } from '../render/ambient-external.js';
import { ConcreteValues } from '../render/value-source.js';
import { trafficDistributionFor } from '../render/service.js';
import { WAYPOINT_NAME } from '../render/ambient.js';

const BT = '`';

export function ambientReadmeSection(model: TopologyRouting): string {
  const ambient = model.namespaces.filter((n) => n.dataplane === 'ambient');
  if (ambient.length === 0) return '';
  const td = trafficDistributionFor(model.cluster.kubernetesVersion);
  const lines = [
    '## Ambient data plane',
    '',
    `Pods in ${ambient.map((n) => `${BT}${n.name}${BT}`).join(', ')} run without sidecars (${BT}istio.io/dataplane-mode: ambient${BT}).`,
    `ztunnel carries their traffic and reads only the Service's ${BT}spec.trafficDistribution: ${td}${BT}` +
      ` (${BT}PreferSameZone${BT} from Kubernetes 1.35, ${BT}PreferClose${BT} before: the same zone preference) and the` +
      ` ${BT}networking.istio.io/traffic-distribution${BT} annotation on ServiceEntries; it ignores DestinationRules and never ejects an endpoint.`,
    '',
  ];
  const ctx = { model, v: ConcreteValues, chartVersion: '' };
  for (const ns of ambient) {
    if (ns.waypoint.enabled) {
      lines.push(`- ${BT}${ns.name}${BT}: waypoint ${BT}${WAYPOINT_NAME}${BT} (${ns.waypoint.replicasPerZone} per zone, ` +
        `${ns.waypoint.replicasPerZone * model.cluster.zones.length} pods, one PodDisruptionBudget). With a waypoint, the service's DestinationRule ` +
        '(outlier detection, locality failover) applies at the waypoint: ztunnel sends each caller to a waypoint pod in its own zone ' +
        `(istiod gives the waypoint Service ${BT}PreferClose${BT}) and that waypoint picks the backend by the DestinationRule, from its zone.`);
    } else {
      lines.push(`- ${BT}${ns.name}${BT}: no waypoint, so the chart renders no DestinationRule there (ztunnel would ignore it); ` +
        'zone preference comes from the traffic distribution alone and a failing endpoint keeps its share.');
    }
  }
  const withheld = model.externalHosts.map((h) => [h, ambientAnnotationWithheld(ctx, h)] as const)
    .filter(([h, why]) => why !== undefined && model.namespaces.find((n) => n.name === h.namespace)?.dataplane === 'ambient' && h.routing.mode !== 'off');
  for (const [h, why] of withheld) lines.push(`- external host ${BT}${h.host}${BT}: no traffic-distribution annotation: ${why}.`);
  return `${lines.join('\n')}\n\n`;
}
