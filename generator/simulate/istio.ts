/**
 * What istiod does to a cluster's endpoints for one calling proxy, ported from Istio 1.30
 * pilot/pkg/networking/core/loadbalancer/loadbalancer.go (GetLocalityLbSetting,
 * ApplyLocalityLoadBalancer, applyLocalityWeights, applyLocalityFailover, applyFailoverPriorities)
 * and the callers in pilot/pkg/xds/endpoints/endpoint_builder.go (EDS) and
 * pilot/pkg/networking/core/cluster_traffic_policy.go (STRICT_DNS clusters, panic threshold).
 */
import { lbPriority, localityMatch, parseLocality, type Locality } from './locality.js';

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

export const LABEL_NETWORK = 'topology.istio.io/network';
export const LABEL_REGION = 'topology.kubernetes.io/region';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_SUBZONE = 'topology.istio.io/subzone';
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

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

/**
 * GetLocalityLbSetting: a DestinationRule's localityLbSetting wins (enabled: false switches locality
 * LB off, without falling back); then a Service trafficDistribution; then the mesh default.
 * istiod maps PreferClose to PreferSameZone (Kubernetes 1.34 made PreferClose its deprecated alias).
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
  if (trafficDistribution === 'PreferClose' || trafficDistribution === 'PreferSameZone') {
    return { setting: { enabled: true, failoverPriority: [LABEL_NETWORK, LABEL_REGION, LABEL_ZONE] }, forceFailover: true, source: 'trafficDistribution' };
  }
  if (trafficDistribution === 'PreferSameNode') {
    return {
      setting: { enabled: true, failoverPriority: [LABEL_NETWORK, LABEL_REGION, LABEL_ZONE, LABEL_SUBZONE, LABEL_HOSTNAME] },
      forceFailover: true,
      source: 'trafficDistribution',
    };
  }
  if (mesh?.enabled === false || !mesh) return { setting: null, forceFailover: false, source: 'disabled' };
  return { setting: mesh, forceFailover: false, source: 'mesh' };
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
 * `label=value` entries compare against the given value instead of the proxy's label.
 */
function applyFailoverPriorities<T>(proxy: Proxy, cla: LocalityLbEndpoints<T>[], failoverPriority: readonly string[]): LocalityLbEndpoints<T>[] {
  if (Object.keys(proxy.labels).length === 0) return cla;
  const keys = failoverPriority.map((entry) => {
    const parts = entry.split('=');
    return { label: parts[0]!, value: parts.length === 2 ? parts[1]! : undefined };
  });
  const lowest = keys.length;
  const split: LocalityLbEndpoints<T>[] = [];
  for (const l of cla) {
    const byPriority = new Map<number, IstioEndpoint<T>[]>();
    for (const ep of l.endpoints) {
      let p = 0;
      for (let j = 0; j < keys.length; j++) {
        const k = keys[j]!;
        const proxyValue = k.value ?? proxy.labels[k.label] ?? '';
        if (proxyValue !== (ep.labels[k.label] ?? '')) {
          p = lowest - j;
          break;
        }
      }
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
    if (options.failoverPriorityApplies) out = applyFailoverPriorities(proxy, out, setting.failoverPriority);
    if (failover.length > 0) out = applyLocalityFailover(proxy, out, failover);
    return out;
  }
  return applyLocalityFailover(proxy, out, failover);
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
  for (const e of endpoints) by.set(e.locality, [...(by.get(e.locality) ?? []), { labels: e.labels, weight: e.weight, ref: e.ref }]);
  return [...by.keys()].sort().map((label) => {
    const eps = by.get(label)!;
    return { locality: parseLocality(label), endpoints: eps, weight: sumWeight(eps), priority: 0 };
  });
}
