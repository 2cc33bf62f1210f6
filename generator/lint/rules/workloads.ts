import type { LocatedObject } from '../../k8s/manifest.js';
import { pointerSegment } from '../../yaml/source-map.js';
import {
  activeLocality, namespaceOf, podTemplate, policyScopes, TRAFFIC_DISTRIBUTION_ANNOTATION, ZONE_LABEL, type Inventory,
} from '../inventory.js';
import { LEGACY_ZONE_LABEL } from '../../well-known.js';
import { arr, at, num, rec, str, strMap } from '../json.js';
import type { Emit } from '../types.js';
import { isExternalStandIn } from './external-workloads.js';
import { isAmbientNamespace } from '../ambient-inventory.js';

const ZONE_KEYS = new Set([ZONE_LABEL, LEGACY_ZONE_LABEL]);
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const ZONE_PREFERENCES = new Set(['PreferClose', 'PreferSameZone']);

function injectedNamespace(ns: LocatedObject): boolean {
  const labels = ns.object.metadata.labels ?? {};
  return labels['istio-injection'] === 'enabled' || (labels['istio.io/rev'] ?? '') !== '';
}

function injectedPod(w: LocatedObject): boolean {
  const labels = strMap(at(podTemplate(w), 'metadata', 'labels'));
  return labels['sidecar.istio.io/inject'] === 'true' || (labels['istio.io/rev'] ?? '') !== '';
}

/** A DestinationRule routes zone-locally when some scope has outlierDetection and locality LB is neither off nor `distribute`. */
function zoneLocal(dr: LocatedObject): boolean {
  return policyScopes(dr).some((s) => {
    if (!s.outlierDetection) return false;
    const setting = rec(s.loadBalancer?.value.localityLbSetting);
    if (setting?.enabled === false) return false;
    const active = activeLocality(s);
    return !active || arr(active.value.distribute).length === 0;
  });
}

function prefersZone(svc: LocatedObject): boolean {
  const td = str(at(svc.object, 'spec', 'trafficDistribution'));
  const annotation = svc.object.metadata.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION];
  return ZONE_PREFERENCES.has(td ?? '') || ZONE_PREFERENCES.has(annotation ?? '');
}

/** ZNL021: DestinationRules only act in pods that have a sidecar. */
export function injection(inv: Inventory, emit: Emit): void {
  const routed = new Map<string, Set<LocatedObject>>();
  const add = (ns: string, w: LocatedObject) => routed.set(ns, (routed.get(ns) ?? new Set()).add(w));
  // Callers of a ServiceEntry are usually the workloads next to its DestinationRule: those namespaces'
  // workloads are added once, after the loop (not once per DestinationRule: lint stays linear).
  const callerNamespaces = new Set<string>();
  for (const dr of inv.destinationRules) {
    const t = inv.targetsOf(dr);
    for (const svc of t.services) for (const w of inv.backingWorkloads(svc)) add(namespaceOf(w), w);
    if (t.serviceEntries.length > 0) callerNamespaces.add(namespaceOf(dr));
  }
  if (callerNamespaces.size > 0) for (const w of inv.workloads) if (callerNamespaces.has(namespaceOf(w))) add(namespaceOf(w), w);
  for (const [name, workloads] of routed) {
    const ns = inv.namespaces.get(name);
    // Ambient namespaces have no sidecars by design (ZNL060 says when their DestinationRules do nothing).
    if (!ns || injectedNamespace(ns) || isAmbientNamespace(inv, name)) continue;
    const outside = [...workloads].filter((w) => !injectedPod(w));
    if (outside.length === 0) continue;
    const disabled = ns.object.metadata.labels?.['istio-injection'] === 'disabled';
    emit({
      code: 'ZNL021', target: ns, pointer: ns.object.metadata.labels ? '/metadata/labels' : '/metadata',
      message: `namespace ${name} ${disabled ? 'has istio-injection: disabled' : 'has neither istio-injection: enabled nor istio.io/rev'}, ` +
        `but holds workloads that DestinationRules route (${outside.map((w) => `${w.object.kind} ${w.object.metadata.name}`).join(', ')}): ` +
        'without a sidecar their traffic bypasses Envoy and no locality routing applies (label the namespace istio-injection=enabled, or istio.io/rev=<revision>)',
    });
  }
}

function spreadsOverZones(w: LocatedObject): boolean {
  const spec = at(podTemplate(w), 'spec');
  if (arr(at(spec, 'topologySpreadConstraints')).some((c) => ZONE_KEYS.has(str(at(c, 'topologyKey')) ?? ''))) return true;
  const anti = at(spec, 'affinity', 'podAntiAffinity');
  const terms = [
    ...arr(at(anti, 'requiredDuringSchedulingIgnoredDuringExecution')),
    ...arr(at(anti, 'preferredDuringSchedulingIgnoredDuringExecution')).map((t) => at(t, 'podAffinityTerm')),
  ];
  return terms.some((t) => ZONE_KEYS.has(str(at(t, 'topologyKey')) ?? ''));
}

/** ZNL022: zone-local routing needs replicas in every zone. */
export function zoneSpread(inv: Inventory, emit: Emit): void {
  const targeted = new Set<LocatedObject>();
  for (const dr of inv.destinationRules) {
    if (!zoneLocal(dr)) continue;
    for (const svc of inv.targetsOf(dr).services) inv.backingWorkloads(svc).forEach((w) => targeted.add(w));
  }
  for (const svc of inv.services) if (prefersZone(svc)) inv.backingWorkloads(svc).forEach((w) => targeted.add(w));
  for (const w of targeted) {
    if (w.object.kind === 'DaemonSet') continue;
    if (!spreadsOverZones(w) && !isExternalStandIn(w)) { // another chart's workload: ZNL028
      emit({
        code: 'ZNL022', target: w, pointer: '/spec/template/spec',
        message: `${w.object.kind} ${w.object.metadata.name} receives zone-local traffic but does not spread its pods over zones: the scheduler may put ` +
          'every replica in one zone, and callers in a zone without a replica send all their traffic cross-zone ' +
          `(add topologySpreadConstraints: [{maxSkew: 1, topologyKey: ${ZONE_LABEL}, whenUnsatisfiable: DoNotSchedule, labelSelector: <the pod labels>}])`,
      });
    }
    const replicas = num(at(w.object, 'spec', 'replicas'));
    if (replicas !== undefined && inv.zones.size > 0 && replicas < inv.zones.size) {
      emit({
        code: 'ZNL022', target: w, pointer: '/spec/replicas',
        message: `${w.object.kind} ${w.object.metadata.name} has ${replicas} replica(s) for ${inv.zones.size} zones: at least one zone has no replica, ` +
          `and its callers send all their traffic cross-zone (run at least ${inv.zones.size} replicas, one per zone)`,
      });
    }
  }
}

/** ZNL023: istiod ignores Kubernetes topology-aware routing annotations. */
export function topologyMode(inv: Inventory, emit: Emit): void {
  for (const svc of inv.services) {
    const annotations = svc.object.metadata.annotations ?? {};
    const key = [TOPOLOGY_MODE, TOPOLOGY_HINTS].find((k) => (annotations[k] ?? '').toLowerCase() === 'auto');
    if (!key) continue;
    const ns = inv.namespaces.get(namespaceOf(svc));
    const routedByIstio = inv.destinationRules.some((dr) => inv.targetsOf(dr).services.includes(svc));
    if (ns && !injectedNamespace(ns) && !routedByIstio) continue; // not a mesh service: kube-proxy does honour it
    emit({
      code: 'ZNL023', target: svc, pointer: `/metadata/annotations/${pointerSegment(key)}`,
      message: `${key}: ${annotations[key]} is ignored by istiod, so sidecars still spread this service's traffic over every zone ` +
        '(set spec.trafficDistribution: PreferSameZone (Istio >= 1.27) or PreferClose, or a DestinationRule with outlierDetection and localityLbSetting)',
    });
  }
}
