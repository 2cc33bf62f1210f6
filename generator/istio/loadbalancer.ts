/**
 * What istiod does to a cluster's endpoints for one calling proxy, ported from Istio 1.29-1.32
 * pilot/pkg/networking/core/loadbalancer/loadbalancer.go (GetLocalityLbSetting,
 * ApplyLocalityLoadBalancer, applyLocalityWeights, applyLocalityFailover, applyFailoverPriorities)
 * and the callers in pilot/pkg/xds/endpoints/endpoint_builder.go (EDS) and
 * pilot/pkg/networking/core/cluster_traffic_policy.go (STRICT_DNS clusters, panic threshold).
 */
import { lbPriority, localityMatch, parseLocality, type Locality } from './locality.js';
import { behaviourOf, DEFAULT_ISTIO_VERSION, type IstioBehaviour } from './versions.js';
import { HOSTNAME_LABEL as LABEL_HOSTNAME, NETWORK_LABEL as LABEL_NETWORK, REGION_LABEL as LABEL_REGION, SUBZONE_LABEL as LABEL_SUBZONE, ZONE_LABEL as LABEL_ZONE } from '../well-known.js';

export interface DistributeRule {
  readonly from: string;
  readonly to: Readonly<Record<string, number>>;
}

export interface FailoverRule {
  readonly from: string;
  readonly to: string;
}

/** DestinationRule `trafficPolicy.loadBalancer.localityLbSetting` (or the mesh-wide default). */
export interface LocalityLbSetting {
  readonly enabled?: boolean;
  readonly distribute?: readonly DistributeRule[];
  readonly failover?: readonly FailoverRule[];
  readonly failoverPriority?: readonly string[];
}

/** Kubernetes Service `spec.trafficDistribution` (or the `networking.istio.io/traffic-distribution` annotation). */
export type TrafficDistribution = 'PreferClose' | 'PreferSameZone' | 'PreferSameNode';

// The topology labels, by the names Istio's code uses (one source: well-known.ts).
export { LABEL_NETWORK, LABEL_REGION, LABEL_ZONE, LABEL_SUBZONE, LABEL_HOSTNAME };

/** istiod's default mesh config has `localityLbSetting: { enabled: true }`. */
export const DEFAULT_MESH_LOCALITY_LB: LocalityLbSetting = { enabled: true };

export interface ResolvedLocalityLb {
  /** null: no locality load balancing at all (every endpoint in priority 0). */
  readonly setting: LocalityLbSetting | null;
  /** trafficDistribution forces failover priorities even without outlierDetection. */
  readonly forceFailover: boolean;
  /** Where the setting came from, for people reading the output. */
  readonly source: 'destinationRule' | 'trafficDistribution' | 'mesh' | 'disabled';
}

/** DestinationRule / MeshConfig `zoneAwareLbSetting` (Istio 1.31+): Envoy zone-aware routing inside the proxy's region. */
export interface ZoneAwareLbSetting {
  readonly enabled?: boolean;
  readonly minClusterSize?: number;
  readonly failover?: readonly FailoverRule[];
  readonly failoverPriority?: readonly string[];
}

/** The setting failoverPriority labels a traffic distribution stands for (GetEffectiveLbSetting). */
const PREFER_SAME_ZONE: readonly string[] = [LABEL_NETWORK, LABEL_REGION, LABEL_ZONE];
const PREFER_SAME_NODE: readonly string[] = [LABEL_NETWORK, LABEL_REGION, LABEL_ZONE, LABEL_SUBZONE, LABEL_HOSTNAME];

function fromTrafficDistribution(td: TrafficDistribution | undefined): LocalityLbSetting | undefined {
  if (td === 'PreferClose' || td === 'PreferSameZone') return { enabled: true, failoverPriority: PREFER_SAME_ZONE };
  if (td === 'PreferSameNode') return { enabled: true, failoverPriority: PREFER_SAME_NODE };
  return undefined;
}

/**
 * GetLocalityLbSetting (locality settings only): a DestinationRule's localityLbSetting wins
 * (enabled: false switches locality LB off, without falling back); then the service's traffic
 * distribution (spec, Service annotation, namespace annotation: see trafficDistributionOf); then
 * the mesh default. istiod maps PreferClose to PreferSameZone.
 */
export function resolveLocalityLb(
  mesh: LocalityLbSetting | undefined,
  destinationRule: LocalityLbSetting | undefined,
  trafficDistribution: TrafficDistribution | undefined,
): ResolvedLocalityLb {
  if (destinationRule) {
    if (destinationRule.enabled === false) return { setting: null, forceFailover: false, source: 'disabled' };
    return { setting: destinationRule, forceFailover: false, source: 'destinationRule' };
  }
  const td = fromTrafficDistribution(trafficDistribution);
  if (td) return { setting: td, forceFailover: true, source: 'trafficDistribution' };
  if (mesh?.enabled === false || !mesh) return { setting: null, forceFailover: false, source: 'disabled' };
  return { setting: mesh, forceFailover: false, source: 'mesh' };
}

/** The load-balancing semantics in force for one cluster (GetEffectiveLbSetting, 1.31+). */
export type EffectiveLb =
  | { readonly kind: 'locality'; readonly setting: LocalityLbSetting; readonly force: boolean; readonly source: 'destinationRule' | 'trafficDistribution' | 'mesh' }
  | { readonly kind: 'zoneAware'; readonly setting: ZoneAwareLbSetting; readonly source: 'destinationRule' | 'mesh' }
  | { readonly kind: 'none'; readonly source: 'disabled' };

export interface EffectiveLbInput {
  readonly destinationRule?: { readonly localityLbSetting?: LocalityLbSetting; readonly zoneAwareLbSetting?: ZoneAwareLbSetting };
  readonly trafficDistribution?: TrafficDistribution;
  readonly mesh?: { readonly localityLbSetting?: LocalityLbSetting; readonly zoneAwareLbSetting?: ZoneAwareLbSetting };
}

/**
 * Istio's precedence: DestinationRule zoneAwareLbSetting > DestinationRule localityLbSetting >
 * traffic distribution > mesh zoneAwareLbSetting > mesh localityLbSetting. A localityLbSetting with
 * enabled: false ends the search with no locality LB; a zoneAwareLbSetting with enabled: false still
 * wins its level (Envoy's zone-aware routing is then switched off explicitly). Before 1.31 there is
 * no zoneAwareLbSetting: such fields do not exist and are ignored here.
 */
export function effectiveLbSetting(input: EffectiveLbInput, behaviour: IstioBehaviour = behaviourOf(DEFAULT_ISTIO_VERSION)): EffectiveLb {
  const dr = input.destinationRule;
  if (behaviour.zoneAwareLbSetting && dr?.zoneAwareLbSetting) return { kind: 'zoneAware', setting: dr.zoneAwareLbSetting, source: 'destinationRule' };
  if (dr?.localityLbSetting) {
    if (dr.localityLbSetting.enabled === false) return { kind: 'none', source: 'disabled' };
    return { kind: 'locality', setting: dr.localityLbSetting, force: false, source: 'destinationRule' };
  }
  const td = fromTrafficDistribution(input.trafficDistribution);
  if (td) return { kind: 'locality', setting: td, force: true, source: 'trafficDistribution' };
  if (behaviour.zoneAwareLbSetting && input.mesh?.zoneAwareLbSetting) return { kind: 'zoneAware', setting: input.mesh.zoneAwareLbSetting, source: 'mesh' };
  const mesh = input.mesh?.localityLbSetting;
  if (!mesh || mesh.enabled === false) return { kind: 'none', source: 'disabled' };
  return { kind: 'locality', setting: mesh, force: false, source: 'mesh' };
}

/** Zone-aware routing is on unless `enabled: false`; it always forces failover priorities. */
export function zoneAwareRoutingEnabled(setting: ZoneAwareLbSetting): boolean {
  return setting.enabled !== false;
}

/** One endpoint (pod, or ServiceEntry endpoint) as istiod sees it; `ref` is the caller's handle. */
export interface IstioEndpoint<T> {
  /** Labels including the topology labels istiod adds (region, zone, subzone, network). */
  readonly labels: Readonly<Record<string, string>>;
  readonly weight: number;
  readonly ref: T;
}

/** One EDS LocalityLbEndpoints entry. */
export interface LocalityLbEndpoints<T> {
  readonly locality: Locality;
  readonly endpoints: readonly IstioEndpoint<T>[];
  /** load_balancing_weight of the locality: the sum of its endpoints' weights. */
  readonly weight: number;
  readonly priority: number;
}

export interface Proxy {
  readonly locality: Locality;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ApplyOptions {
  /** Failover only happens with outlierDetection (or a forced trafficDistribution). */
  readonly enableFailover: boolean;
  /**
   * istiod cannot apply failoverPriority to STRICT_DNS clusters (ServiceEntry resolution DNS): it
   * passes no endpoint labels there ("TODO: enable failoverPriority for STRICT_DNS cluster type").
   */
  readonly failoverPriorityApplies: boolean;
  /**
   * 1.31+: a leading network label that differs does not rank the endpoint by itself; the
   * endpoint is ranked by the remaining labels, after every same-network endpoint.
   */
  readonly networkAdjust?: boolean;
}

function sumWeight<T>(eps: readonly IstioEndpoint<T>[]): number {
  return eps.reduce((a, e) => a + e.weight, 0);
}

/** Renumbers priorities 0..N without gaps, keeping their order. */
function compact<T>(cla: LocalityLbEndpoints<T>[]): LocalityLbEndpoints<T>[] {
  const order = [...new Set(cla.map((l) => l.priority))].sort((a, b) => a - b);
  return cla.map((l) => ({ ...l, priority: order.indexOf(l.priority) }));
}

/** `distribute`: the first rule whose `from` matches the proxy sets locality weights; unlisted localities lose their endpoints. */
function applyLocalityWeights<T>(proxy: Proxy, cla: LocalityLbEndpoints<T>[], distribute: readonly DistributeRule[]): LocalityLbEndpoints<T>[] {
  const rule = distribute.find((d) => localityMatch(proxy.locality, d.from));
  if (!rule) return cla;
  const out = [...cla];
  const unmatched = new Set(cla.map((_, i) => i));
  // istiod ranges over a Go map here, so when two `to` keys match the same locality the winner is
  // random; we take them in the order written.
  for (const [pattern, weight] of Object.entries(rule.to)) {
    const matched = new Map<number, number>();
    let total = 0;
    cla.forEach((l, i) => {
      if (unmatched.has(i) && localityMatch(l.locality, pattern)) {
        unmatched.delete(i);
        matched.set(i, l.weight);
        total += l.weight;
      }
    });
    for (const [i, original] of matched) {
      const w = (original * weight) / total;
      if (w > 0) out[i] = { ...out[i]!, weight: Math.ceil(w) };
    }
  }
  for (const i of unmatched) out[i] = { ...out[i]!, endpoints: [] };
  return out;
}

/** Region/zone/subzone priorities plus region `failover` rules (priority 4 for regions not named). */
function applyLocalityFailover<T>(proxy: Proxy, cla: LocalityLbEndpoints<T>[], failover: readonly FailoverRule[]): LocalityLbEndpoints<T>[] {
  const withRaw = cla.map((l) => {
    let p: number = lbPriority(proxy.locality, l.locality);
    if (p === 3) {
      const rule = failover.find((f) => f.from === proxy.locality.region);
      if (rule && l.locality.region !== rule.to) p = 4;
    }
    // Priorities already set by failoverPriority are kept as the major key (istiod multiplies by 5).
    return { ...l, priority: l.priority * 5 + p };
  });
  return compact(withRaw);
}

/**
 * `failoverPriority`: for each endpoint, the first label (in list order) whose value differs from the
 * proxy's gives priority len - index; all equal gives 0. A locality can split into several priorities.
 * `label=value` entries compare against the given value instead of the proxy's label. With
 * `networkAdjust` (1.31+) a differing leading network label adds len and the comparison goes on.
 */
function applyFailoverPriorities<T>(
  proxy: Proxy, cla: LocalityLbEndpoints<T>[], failoverPriority: readonly string[], networkAdjust: boolean,
): LocalityLbEndpoints<T>[] {
  if (Object.keys(proxy.labels).length === 0 || cla.length === 0) return cla;
  const keys = failoverPriority.map((entry) => {
    const parts = entry.split('=');
    return { label: parts[0]!, value: parts.length === 2 ? parts[1]! : undefined };
  });
  const lowest = keys.length;
  const includesNetwork = networkAdjust && lowest > 0 && failoverPriority[0] === LABEL_NETWORK;
  const split: LocalityLbEndpoints<T>[] = [];
  for (const l of cla) {
    const byPriority = new Map<number, IstioEndpoint<T>[]>();
    for (const ep of l.endpoints) {
      let p = 0;
      let adjust = 0;
      for (let j = 0; j < keys.length; j++) {
        const k = keys[j]!;
        const proxyValue = k.value ?? proxy.labels[k.label] ?? '';
        if (proxyValue !== (ep.labels[k.label] ?? '')) {
          if (j === 0 && includesNetwork) {
            adjust = lowest;
            continue;
          }
          p = lowest - j;
          break;
        }
      }
      p += adjust;
      byPriority.set(p, [...(byPriority.get(p) ?? []), ep]);
    }
    for (const p of [...byPriority.keys()].sort((a, b) => a - b)) {
      const eps = byPriority.get(p)!;
      split.push({ locality: l.locality, endpoints: eps, weight: sumWeight(eps), priority: p });
    }
  }
  return compact(split);
}

/**
 * Zone-aware region buckets (applyZoneAwareRegionalFailover): the proxy's region 0, the failover
 * target region 1, every other region 2, composed with earlier failoverPriority priorities (x3).
 */
function applyZoneAwareRegionalFailover<T>(proxy: Proxy, cla: LocalityLbEndpoints<T>[], failover: readonly FailoverRule[]): LocalityLbEndpoints<T>[] {
  const rule = failover.find((f) => f.from === proxy.locality.region);
  return compact(cla.map((l) => {
    const p = l.locality.region === proxy.locality.region ? 0 : rule && l.locality.region === rule.to ? 1 : 2;
    return { ...l, priority: l.priority * 3 + p };
  }));
}

/** ApplyZoneAwareLoadBalancer: failoverPriority (if any), then region buckets; nothing when routing is disabled. */
export function applyZoneAwareLoadBalancer<T>(
  cla: readonly LocalityLbEndpoints<T>[], proxy: Proxy, setting: ZoneAwareLbSetting, networkAdjust = true,
): LocalityLbEndpoints<T>[] {
  let out = cla.map((l) => ({ ...l }));
  if (!zoneAwareRoutingEnabled(setting)) return out;
  if (setting.failoverPriority && setting.failoverPriority.length > 0) out = applyFailoverPriorities(proxy, out, setting.failoverPriority, networkAdjust);
  return applyZoneAwareRegionalFailover(proxy, out, setting.failover ?? []);
}

/**
 * ApplyLocalityLoadBalancer for one proxy: distribute, or (only when failover is enabled)
 * failoverPriority and/or region/zone failover. Returns new entries; the input is not changed.
 */
export function applyLocalityLoadBalancer<T>(
  cla: readonly LocalityLbEndpoints<T>[],
  proxy: Proxy,
  setting: LocalityLbSetting | null,
  options: ApplyOptions,
): LocalityLbEndpoints<T>[] {
  let out = cla.map((l) => ({ ...l }));
  if (!setting) return out;
  if (setting.distribute && setting.distribute.length > 0) return applyLocalityWeights(proxy, out, setting.distribute);
  if (!options.enableFailover) return out;
  const failover = setting.failover ?? [];
  if (setting.failoverPriority && setting.failoverPriority.length > 0) {
    if (options.failoverPriorityApplies) out = applyFailoverPriorities(proxy, out, setting.failoverPriority, options.networkAdjust ?? true);
    if (failover.length > 0) out = applyLocalityFailover(proxy, out, failover);
    return out;
  }
  return applyLocalityFailover(proxy, out, failover);
}

/**
 * Whether istiod applies failover priorities to a cluster: only with outlier detection in force
 * (the DestinationRule's, or the mesh default's on 1.31+), or when a traffic distribution forces it.
 */
export function failoverEnabled(outlierDetection: boolean, resolved: ResolvedLocalityLb): boolean {
  return outlierDetection || resolved.forceFailover;
}

/**
 * Whether the endpoints istiod sends (EDS) carry failover priorities. The EDS builder reads the
 * DestinationRule's own policy for the port, not the mesh defaultTrafficPolicy merged into the
 * cluster: an outlierDetection inherited from the mesh turns on no failover for EDS clusters.
 * Clusters with inline endpoints (DNS) get their priorities with the cluster, from its merged policy.
 */
export function edsFailoverEnabled(
  c: { readonly resolution: string; readonly outlierDetection: boolean; readonly outlierFromMesh: boolean },
  resolved: ResolvedLocalityLb,
): boolean {
  if (c.resolution !== 'EDS') return failoverEnabled(c.outlierDetection, resolved);
  return failoverEnabled(c.outlierDetection && !c.outlierFromMesh, resolved);
}

/** Envoy's `healthy_panic_threshold` when the cluster sets none (percent). */
export const ENVOY_DEFAULT_PANIC_THRESHOLD = 50;

export interface PanicThresholdInput {
  /** outlierDetection is in force for the cluster. */
  readonly outlierDetection: boolean;
  /** Its minHealthPercent (0 when unset). */
  readonly minHealthPercent: number;
  /** The service has a traffic distribution (which forces sending unhealthy endpoints). */
  readonly trafficDistribution: boolean;
  /** istiod sends the not-ready endpoints to Envoy (MeshIndex.sendsNotReady). */
  readonly sendsNotReady: boolean;
}

/**
 * The panic threshold istiod gives a cluster: minHealthPercent with outlierDetection (0 when a
 * traffic distribution forces sending unhealthy endpoints); without outlierDetection 0 whenever
 * not-ready endpoints are sent, else Envoy's default.
 */
export function istiodPanicThreshold(i: PanicThresholdInput): number {
  if (i.outlierDetection) return i.trafficDistribution ? 0 : i.minHealthPercent;
  return i.sendsNotReady ? 0 : ENVOY_DEFAULT_PANIC_THRESHOLD;
}

/**
 * Whether istiod sets `locality_weighted_lb_config` on the cluster. Without it Envoy ignores
 * locality weights and picks among all hosts of the chosen priority.
 */
export function localityWeightedLb(setting: LocalityLbSetting | null, enableFailover: boolean): boolean {
  if (!setting) return false;
  if (setting.distribute && setting.distribute.length > 0) return true;
  return enableFailover && ((setting.failover?.length ?? 0) > 0 || (setting.failoverPriority?.length ?? 0) > 0);
}

/** The topology labels istiod adds to endpoints and proxies (AugmentLabels). */
export function topologyLabels(locality: Locality, network = ''): Record<string, string> {
  const labels: Record<string, string> = {};
  if (locality.region) labels[LABEL_REGION] = locality.region;
  if (locality.zone) labels[LABEL_ZONE] = locality.zone;
  if (locality.subzone) labels[LABEL_SUBZONE] = locality.subzone;
  if (network) labels[LABEL_NETWORK] = network;
  return labels;
}

/** Groups endpoints into EDS LocalityLbEndpoints, sorted by locality label as istiod does. */
export function groupByLocality<T>(endpoints: readonly (IstioEndpoint<T> & { readonly locality: string })[]): LocalityLbEndpoints<T>[] {
  const by = new Map<string, IstioEndpoint<T>[]>();
  for (const e of endpoints) {
    const list = by.get(e.locality);
    const ep = { labels: e.labels, weight: e.weight, ref: e.ref };
    if (list) list.push(ep);
    else by.set(e.locality, [ep]);
  }
  return [...by.keys()].sort().map((label) => {
    const eps = by.get(label)!;
    return { locality: parseLocality(label), endpoints: eps, weight: sumWeight(eps), priority: 0 };
  });
}
