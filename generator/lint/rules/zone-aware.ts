/**
 * ZNL050-ZNL053: zone-aware routing (zoneAwareLbSetting, Istio 1.31+) that Envoy will not engage.
 * Envoy routes zone-aware only with a local cluster (the sidecar's self-discovery), an upstream and
 * callers each in two zones or more, and at least min_cluster_size healthy upstream endpoints
 * (earlyExitNonLocalityRouting); waypoints never do it. Istio accepts all of these silently.
 * Both localityLbSetting and zoneAwareLbSetting together is Istio's own rejection (ZNL038).
 */
import type { LocatedObject } from '../../k8s/manifest.js';
import { effectiveLbSetting, zoneAwareRoutingEnabled, type ZoneAwareLbSetting } from '../../istio/loadbalancer.js';
import { namespaceOf, podTemplate, policyScopes, PROXY_CONFIG_ANNOTATION, type Inventory } from '../inventory.js';
import { arr, at, num, rec, str, strMap, type Json } from '../json.js';
import type { Emit } from '../types.js';
import { ENVOY_DEFAULT_MIN_CLUSTER_SIZE, SELF_DISCOVERY_METADATA as SELF_DISCOVERY } from '../../well-known.js';
import { load } from 'js-yaml';

const USE_WAYPOINT = 'istio.io/use-waypoint';
const SELF_DISCOVERY_FIX = `give the calling pods the annotation ${PROXY_CONFIG_ANNOTATION}: '{"proxyMetadata":{"${SELF_DISCOVERY}":"true"}}' ` +
  '(or set it mesh-wide in meshConfig.defaultConfig.proxyMetadata)';

function selfDiscovery(config: unknown): boolean {
  return strMap(at(config, 'proxyMetadata'))[SELF_DISCOVERY] === 'true';
}

function parseLoose(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return load(text);
  } catch {
    return undefined;
  }
}

function workloadSelfDiscovery(w: LocatedObject): boolean {
  return selfDiscovery(parseLoose(str(at(podTemplate(w), 'metadata', 'annotations', PROXY_CONFIG_ANNOTATION))));
}

function meshSelfDiscovery(inv: Inventory): boolean {
  if (inv.context.mesh?.defaultProxyMetadata?.[SELF_DISCOVERY] === 'true') return true;
  return inv.objects.some((o) => o.object.kind === 'ConfigMap' && /^istio(-.+)?$/.test(o.object.metadata.name)
    && selfDiscovery(at(parseLoose(str(at(o.object, 'data', 'mesh'))), 'defaultConfig')));
}

function replicasOf(w: LocatedObject): number {
  return num(at(w.object, 'spec', 'replicas')) ?? 1;
}

/** Zones the upstream's endpoints are in, when the input tells (ServiceEntry localities; one replica = one zone). */
function upstreamZones(inv: Inventory, dr: LocatedObject): number | undefined {
  const t = inv.targetsOf(dr);
  if (t.services.length + t.serviceEntries.length !== 1) return undefined;
  const se = t.serviceEntries[0];
  if (se) {
    const zones = new Set(arr(at(se.object, 'spec', 'endpoints')).map((e) => (str(at(e, 'locality')) ?? '').split('/')[1] ?? '').filter((z) => z));
    return zones.size;
  }
  if (inv.zones.size === 1) return 1;
  const pool = inv.poolSize(dr);
  return pool === 1 ? 1 : undefined;
}

interface ZoneAwareScope {
  readonly setting: ZoneAwareLbSetting;
  readonly pointer: string;
}

/** The DestinationRule's zone-aware setting in force (the Istio core's precedence), when routing is enabled. */
function zoneAwareScope(inv: Inventory, dr: LocatedObject): ZoneAwareScope | undefined {
  for (const scope of policyScopes(dr)) {
    const lb = scope.loadBalancer;
    const z = rec(lb?.value.zoneAwareLbSetting);
    // Both set is Istio's rejection (ZNL038): nothing here engages.
    if (!lb || !z || rec(lb.value.localityLbSetting)) continue;
    const setting: ZoneAwareLbSetting = {
      ...(typeof z.enabled === 'boolean' ? { enabled: z.enabled } : {}),
      ...(num(z.minClusterSize) !== undefined ? { minClusterSize: num(z.minClusterSize)! } : {}),
    };
    const effective = effectiveLbSetting({ destinationRule: { zoneAwareLbSetting: setting } }, inv.behaviour);
    if (effective.kind !== 'zoneAware' || !zoneAwareRoutingEnabled(effective.setting)) continue;
    return { setting: effective.setting, pointer: `${lb.pointer}/zoneAwareLbSetting` };
  }
  return undefined;
}

function usesWaypoint(inv: Inventory, dr: LocatedObject): boolean {
  const t = inv.targetsOf(dr);
  const targets = [...t.services, ...t.serviceEntries];
  return targets.some((o) => {
    if (o.object.metadata.labels?.[USE_WAYPOINT]) return true;
    const ns = inv.namespaces.get(namespaceOf(o));
    return !!ns?.object.metadata.labels?.[USE_WAYPOINT];
  });
}

export function zoneAwareRules(inv: Inventory, emit: Emit): void {
  const scoped = inv.destinationRules.map((dr) => ({ dr, scope: zoneAwareScope(inv, dr) })).filter((x): x is { dr: LocatedObject; scope: ZoneAwareScope } => !!x.scope);
  if (scoped.length === 0) return;
  const mesh = meshSelfDiscovery(inv);
  const discovering = inv.workloads.filter(workloadSelfDiscovery);
  for (const { dr, scope } of scoped) {
    const min = scope.setting.minClusterSize ?? ENVOY_DEFAULT_MIN_CLUSTER_SIZE;
    const pool = inv.poolSize(dr);
    if (pool !== undefined && pool < min) {
      emit({
        code: 'ZNL050', target: dr, pointer: scope.pointer,
        message: `zone-aware routing never engages: the upstream has ${pool} endpoint(s) and Envoy routes zone-aware only with at least ` +
          `minClusterSize ${min} healthy ones (${scope.setting.minClusterSize === undefined ? 'Envoy\'s default' : 'set here'}); every call spreads over all zones ` +
          `(raise replicas to ${min}, or set zoneAwareLbSetting.minClusterSize to at most ${pool}, or use localityLbSetting)`,
      });
    }
    if (!mesh && discovering.length === 0) {
      emit({
        code: 'ZNL051', target: dr, pointer: scope.pointer,
        message: `zone-aware routing never engages: no calling proxy in the input runs with ${SELF_DISCOVERY}, so no sidecar has the local cluster ` +
          `(its own pods per zone) that Envoy compares the upstream against (${SELF_DISCOVERY_FIX})`,
      });
    }
    const zones = upstreamZones(inv, dr);
    if (zones !== undefined && zones < 2) {
      emit({
        code: 'ZNL052', target: dr, pointer: scope.pointer,
        message: `zone-aware routing never engages: the upstream has endpoints in ${zones === 0 ? 'no' : 'one'} zone, and Envoy needs two or more ` +
          '(spread the endpoints over zones, or drop zoneAwareLbSetting)',
      });
    }
    if (usesWaypoint(inv, dr)) {
      emit({
        code: 'ZNL053', target: dr, pointer: scope.pointer,
        message: `the host uses a waypoint (${USE_WAYPOINT}): waypoints have no local cluster, so istiod skips zoneAwareLbSetting there and, ` +
          'with no localityLbSetting beside it, sends no locality priorities either: the waypoint spreads calls over every zone ' +
          '(use localityLbSetting for waypoint traffic, or route through sidecars)',
      });
    }
  }
  // Callers with self-discovery but in one zone only: their local cluster has one locality.
  for (const w of discovering) {
    if (inv.zones.size === 1 || replicasOf(w) === 1) {
      emit({
        code: 'ZNL052', target: w, pointer: '/spec/replicas',
        message: `this calling workload runs ${inv.zones.size === 1 ? 'in a single-zone cluster' : 'one replica, so in one zone'}: Envoy routes zone-aware only when ` +
          'the callers are in two zones or more, so its calls spread over every zone (run replicas in every zone)',
      });
    }
  }
  // istiod fills the local cluster with the endpoints of the proxy's own (oldest) Service
  // (Proxy.LocalService): a self-discovering workload that no Service selects has an empty one.
  for (const w of discovering) {
    const ns = namespaceOf(w);
    const servicesHere = inv.services.filter((svc) => namespaceOf(svc) === ns);
    if (servicesHere.length === 0 || servicesHere.some((svc) => inv.backingWorkloads(svc).includes(w))) continue;
    emit({
      code: 'ZNL051', target: w, pointer: '/spec/template/metadata/labels',
      message: `no Service selects this workload's pods: istiod builds the sidecar's local cluster (${SELF_DISCOVERY}) from the proxy's own Service, ` +
        'so it stays empty and Envoy routes this workload\'s calls without zone awareness (give the workload a Service that selects its pods)',
    });
  }
  // Some workloads discover themselves and others do not: those others route without zone awareness.
  if (!mesh && discovering.length > 0) {
    for (const w of inv.workloads) {
      if (workloadSelfDiscovery(w) || !rec(podTemplate(w) as Json | undefined)) continue;
      emit({
        code: 'ZNL051', severity: 'info', target: w, pointer: '/spec/template/metadata',
        message: `this workload's proxy runs without ${SELF_DISCOVERY}: if it calls a zone-aware host, its calls are not zone-aware (${SELF_DISCOVERY_FIX})`,
      });
    }
  }
}
