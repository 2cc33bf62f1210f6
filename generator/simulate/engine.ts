/**
 * The simulator: for every destination and every calling zone, where the traffic goes with the
 * configured routing ("after") and with locality routing off ("before"), and what that costs.
 * Pure: objects + scenario + prices in, a SimulationResult out.
 */
import { edsView, type EdsView } from './eds-view.js';
import { addCost, costOf, roundGb, roundUsd, ZERO_COST, type CostDestinationType, type CostLine, type Flow, type PriceList } from '../cost/model.js';
import { trafficSplit, type LocalityHosts } from './envoy.js';
import {
  applyLocalityLoadBalancer, DEFAULT_MESH_LOCALITY_LB, edsFailoverEnabled, failoverEnabled, groupByLocality, istiodPanicThreshold, LABEL_HOSTNAME,
  localityWeightedLb, resolveLocalityLb, topologyLabels, zoneAwareRoutingEnabled,
  type LocalityLbSetting, type ResolvedLocalityLb,
} from './istio.js';
import { localityLabel, parseLocality, type Locality } from './locality.js';
import type { Destination, Resolution } from './objects.js';
import type { Dataplane, Scenario } from './scenario.js';
import { ENVOY_DEFAULT_MAX_EJECTION_PERCENT } from '../well-known.js';
import { callersOf, defaultVolume, endpointLoad, type Remedy } from './load.js';
import { effectiveMinClusterSize, zoneAwareDestination } from './zone-aware-route.js';
import type { ExternalBehaviour, ExternalView } from './external-behaviour.js';
import { throughWaypoint, waypointNotes, waypointPods, ztunnelPrefersZone, ztunnelRoute, type HopSplit } from './ambient.js';

/** Zone key for endpoints whose locality names no zone. */
export const UNKNOWN_ZONE = 'unknown';
/** Envoy's outlier-detection max_ejection_percent when the DestinationRule leaves it unset. */
export { ENVOY_DEFAULT_MAX_EJECTION_PERCENT };

export interface SimulationInput {
  /** The cluster's zones: every zone calls every destination. */
  readonly zones: readonly string[];
  readonly region: string;
  readonly destinations: readonly Destination[];
  /** With names already resolved (resolveScenarioNames). */
  readonly scenario: Scenario;
  readonly prices: PriceList;
  readonly costType: (d: Destination) => CostDestinationType;
  /** meshConfig.localityLbSetting; istiod's default is { enabled: true }. */
  readonly meshLocalityLb?: LocalityLbSetting;
  /** `--hot-zone-factor` (load.ts DEFAULT_HOT_ZONE_FACTOR when unset). */
  readonly hotZoneFactor?: number;
  /** What Kafka and Aurora do with the traffic after the mesh (external-behaviour.ts). */
  readonly external?: ExternalBehaviour;
}

export interface EndpointPool {
  readonly zone: string;
  readonly locality: Locality;
  readonly labels: Readonly<Record<string, string>>;
  /** Per-endpoint load-balancing weight. */
  readonly weight: number;
  readonly total: number;
  readonly notReady: number;
  readonly healthy: number;
  readonly degraded: number;
}

export interface PriorityView {
  readonly priority: number;
  readonly zones: readonly string[];
  /** Percent of requests this priority serves (healthy + degraded load). */
  readonly loadPercent: number;
  readonly panic: boolean;
  /**
   * What istiod puts into this priority of the caller's EDS, per zone: the endpoints it sends
   * (not-ready ones included when it sends them), how many of those go out as UNHEALTHY (not
   * ready), and the locality's load-balancing weight (summed over the zone's localities).
   * Sidecar routing only; the Istio harness compares each with istiod's own EDS.
   */
  readonly eds?: EdsView;
}

export type Shares = Readonly<Record<string, number>>;

export interface CallerResult {
  readonly zone: string;
  readonly gbPerMonth: number;
  /** Fraction of this zone's requests that reach each zone with the configured routing; sums to 1. */
  readonly shares: Shares;
  /** The same with locality routing off (uniform spread over available endpoints). */
  readonly sharesBefore: Shares;
  readonly crossZoneFraction: number;
  readonly crossZoneFractionBefore: number;
  /** Requests that find no endpoint at all (503 no healthy upstream); shares is empty then. */
  readonly unroutableFraction: number;
  readonly priorities: readonly PriorityView[];
  /**
   * Ambient with a waypoint: where this zone's requests meet the waypoint and how much crosses a
   * zone on each hop (caller -> waypoint, waypoint -> backend); the cost counts both.
   */
  readonly waypoint?: { readonly shares: Shares; readonly crossZoneFraction: number; readonly backendCrossZoneFraction: number };
}

export type RoutingMode = 'failover' | 'failoverPriority' | 'distribute' | 'none' | 'uniform' | 'preferSameZone' | 'zoneAware';

export interface RoutingView {
  /** `ambient` when the destination's namespace runs ambient (and the scenario a mesh). */
  readonly dataplane: Dataplane | 'ambient';
  /** Where the locality setting comes from (`ztunnel`: the traffic distribution alone). */
  readonly source: ResolvedLocalityLb['source'] | 'kube-proxy' | 'ztunnel';
  /** Ambient only: the waypoint in the path (`namespace/name`), null when ztunnel alone carries the traffic. */
  readonly waypoint?: string | null;
  readonly mode: RoutingMode;
  readonly destinationRule?: string;
  readonly outlierDetection: boolean;
  readonly panicThresholdPercent: number;
  readonly maxEjectionPercent: number;
  readonly localityWeightedLb: boolean;
  readonly trafficDistribution?: string;
  readonly resolution: Resolution;
  /** istiod sends not-ready endpoints to Envoy (as UNHEALTHY hosts) for this destination. */
  readonly sendsNotReady: boolean;
  /**
   * Sidecars under a zoneAwareLbSetting: the Envoy zone_aware_lb_config istiod writes
   * (`routingEnabled` false for `enabled: false`, i.e. routing_enabled 0 %) and the min_cluster_size
   * in force (Envoy's 6 when istiod leaves it unset).
   */
  readonly zoneAware?: { readonly routingEnabled: boolean; readonly minClusterSize: number };
}

export interface EndpointView {
  readonly zone: string;
  readonly locality: string;
  readonly total: number;
  readonly ready: number;
  /** Healthy as Envoy sees it (after the maxEjectionPercent cap). */
  readonly healthy: number;
  readonly degraded: number;
  /** Fraction of all of the destination's calls these endpoints serve (load.ts). */
  readonly callShare: number;
  /** callShare per ready endpoint. */
  readonly callSharePerEndpoint: number;
}

export interface DestinationResult {
  readonly name: string;
  readonly kind: Destination['kind'];
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly type: CostDestinationType;
  readonly routing: RoutingView;
  readonly endpoints: readonly EndpointView[];
  readonly callers: readonly CallerResult[];
  readonly cost: { readonly before: CostLine; readonly after: CostLine };
  readonly notes: readonly string[];
  /** Zones whose per-endpoint share exceeds the destination's mean by more than the hot-zone factor. */
  readonly hotZones: readonly string[];
  /** What would even the load out, when there are hot zones. */
  readonly remedies: readonly Remedy[];
  /** The service behind an external host (Kafka, Aurora, interface endpoint) as the simulation models it. */
  readonly external?: ExternalView;
}

/** GB per month from a caller zone (outer key) to an endpoint zone (inner key). */
export type ZoneMatrix = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface SimulationResult {
  readonly region: string;
  readonly zones: readonly string[];
  readonly dataplane: Dataplane;
  readonly destinations: readonly DestinationResult[];
  readonly matrix: { readonly before: ZoneMatrix; readonly after: ZoneMatrix };
  readonly cost: {
    readonly currency: string;
    readonly prices: string;
    readonly before: CostLine;
    readonly after: CostLine;
    readonly savingsUsdPerMonth: number;
  };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function zoneOf(locality: Locality): string {
  return locality.zone || UNKNOWN_ZONE;
}

/** Replicas spread evenly over the zones (as topologySpreadConstraints with maxSkew 1 place them). */
export function spreadEvenly(replicas: number, zones: readonly string[]): number[] {
  const base = Math.floor(replicas / zones.length);
  const extra = replicas % zones.length;
  return zones.map((_, i) => base + (i < extra ? 1 : 0));
}

/** Endpoint pools of a destination: the scenario's counts, or the objects' defaults, all healthy. */
export function endpointPools(d: Destination, input: Pick<SimulationInput, 'zones' | 'region' | 'scenario'>): EndpointPool[] {
  const override = input.scenario.endpoints[d.name];
  if (d.kind === 'service') {
    const podLabels = d.podLabels;
    const pool = (zone: string, total: number, notReady = 0, healthy = total - notReady, degraded = 0): EndpointPool => {
      const locality = { region: input.region, zone, subzone: '' };
      return { zone, locality, labels: { ...podLabels, ...topologyLabels(locality) }, weight: 1, total, notReady, healthy, degraded };
    };
    if (override) return Object.entries(override).map(([zone, e]) => pool(zone, e.total, e.notReady, e.healthy, e.degraded));
    const counts = spreadEvenly(d.replicas, input.zones);
    return input.zones.map((z, i) => pool(z, counts[i]!)).filter((p) => p.total > 0);
  }
  const labelsFor = (locality: Locality, labels: Readonly<Record<string, string>>, network: string) => ({ ...labels, ...topologyLabels(locality, network) });
  if (override) {
    return Object.entries(override).map(([zone, e]) => {
      const like = d.endpoints.find((ep) => parseLocality(ep.locality).zone === zone);
      const locality = like ? parseLocality(like.locality) : { region: input.region, zone, subzone: '' };
      return {
        zone, locality, labels: labelsFor(locality, like?.labels ?? {}, like?.network ?? ''), weight: like?.weight ?? 1,
        total: e.total, notReady: e.notReady, healthy: e.healthy, degraded: e.degraded,
      };
    });
  }
  return d.endpoints.map((ep) => {
    const locality = parseLocality(ep.locality);
    return { zone: zoneOf(locality), locality, labels: labelsFor(locality, ep.labels, ep.network), weight: ep.weight, total: 1, notReady: 0, healthy: 1, degraded: 0 };
  });
}

/**
 * Envoy's outlier detector never ejects more than max_ejection_percent of the cluster's hosts
 * (strictly since Envoy 1.28: an ejection must keep ejected/total <= the limit), and without
 * outlierDetection it ejects nothing: the extra failing endpoints stay "healthy" and keep taking traffic.
 */
export function applyEjectionLimit(pools: readonly EndpointPool[], outlierDetection: boolean, maxEjectionPercent: number, notes: string[]): EndpointPool[] {
  const ready = pools.reduce((a, p) => a + p.total - p.notReady, 0);
  const failing = pools.reduce((a, p) => a + (p.total - p.notReady - p.healthy - p.degraded), 0);
  if (failing === 0) return [...pools];
  const limit = outlierDetection ? Math.floor((maxEjectionPercent * ready) / 100) : 0;
  if (failing <= limit) return [...pools];
  notes.push(outlierDetection
    ? `${failing} of ${ready} endpoints are failing but maxEjectionPercent ${maxEjectionPercent} lets outlier detection eject only ${limit}; ` +
      `the other ${failing - limit} stay in the healthy set and keep receiving (failing) requests`
    : `${failing} endpoints are failing but there is no outlierDetection, so Envoy never marks them unhealthy: they keep receiving (failing) requests`);
  let reinstate = failing - limit;
  const out = [...pools];
  // Which hosts Envoy ejects depends on failure timing; we keep the earliest zones' ejections.
  for (let i = out.length - 1; i >= 0 && reinstate > 0; i--) {
    const p = out[i]!;
    const unhealthy = p.total - p.notReady - p.healthy - p.degraded;
    const back = Math.min(unhealthy, reinstate);
    out[i] = { ...p, healthy: p.healthy + back };
    reinstate -= back;
  }
  return out;
}

interface Routed {
  readonly shares: Record<string, number>;
  readonly unroutable: number;
  readonly priorities: PriorityView[];
}

function normalise(shares: Record<string, number>): Record<string, number> {
  const total = Object.values(shares).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  if (total <= 0) return out;
  for (const [z, v] of Object.entries(shares)) if (v > 0) out[z] = v / total;
  return out;
}

function uniform(pools: readonly EndpointPool[], count: (p: EndpointPool) => number): Routed {
  const shares: Record<string, number> = {};
  for (const p of pools) shares[p.zone] = (shares[p.zone] ?? 0) + count(p);
  const n = normalise(shares);
  const zones = Object.keys(n);
  return { shares: n, unroutable: zones.length ? 0 : 1, priorities: zones.length ? [{ priority: 0, zones, loadPercent: 100, panic: false }] : [] };
}

interface SidecarConfig {
  readonly resolved: ResolvedLocalityLb;
  /** istiod assigns failover priorities in this cluster's endpoints (EDS). */
  readonly enableFailover: boolean;
  /** The cluster's outlier detection (or a forced failover) as CDS carries it: Envoy's locality-weighted LB follows it. */
  readonly cdsFailover: boolean;
  readonly failoverPriorityApplies: boolean;
  readonly panicThreshold: number;
  /** istiod sends not-ready endpoints too (as unhealthy hosts): they count in the priority's size. */
  readonly sendsNotReady: boolean;
}

const edsCache = new WeakMap<readonly EndpointPool[], Map<boolean, ReturnType<typeof groupByLocality<number>>>>();

/**
 * The EDS entries istiod sends for a destination's pools (the same for every caller, so computed
 * once per pool list; applyLocalityLoadBalancer never changes its input).
 */
function edsOf(pools: readonly EndpointPool[], sendsNotReady: boolean): ReturnType<typeof groupByLocality<number>> {
  let byMode = edsCache.get(pools);
  if (!byMode) edsCache.set(pools, (byMode = new Map()));
  const known = byMode.get(sendsNotReady);
  if (known) return known;
  const sent = (p: EndpointPool) => (sendsNotReady ? p.total : p.total - p.notReady);
  const inEds = pools.map((p, i) => ({ p, i })).filter(({ p }) => sent(p) > 0);
  const cla = groupByLocality(inEds.map(({ p, i }) => ({ locality: localityLabel(p.locality), labels: p.labels, weight: p.weight * sent(p), ref: i })));
  byMode.set(sendsNotReady, cla);
  return cla;
}

/** Istio priorities for the caller, then Envoy's priority/locality/host choice. */
function routeSidecar(pools: readonly EndpointPool[], callerZone: string, region: string, cfg: SidecarConfig): Routed {
  const locality: Locality = { region, zone: callerZone, subzone: '' };
  const proxy = { locality, labels: { ...topologyLabels(locality), [LABEL_HOSTNAME]: `node-in-${callerZone}` } };
  const sent = (p: EndpointPool) => (cfg.sendsNotReady ? p.total : p.total - p.notReady);
  const cla = edsOf(pools, cfg.sendsNotReady);
  const applied = applyLocalityLoadBalancer(cla, proxy, cfg.resolved.setting, { enableFailover: cfg.enableFailover, failoverPriorityApplies: cfg.failoverPriorityApplies });
  const maxPriority = applied.reduce((a, l) => Math.max(a, l.priority), -1);
  const levels: { entry: (typeof applied)[number]; hosts: LocalityHosts }[][] = [];
  for (let prio = 0; prio <= maxPriority; prio++) {
    levels.push(applied.filter((l) => l.priority === prio).map((entry) => {
      const ps = entry.endpoints.map((e) => pools[e.ref]!);
      return {
        entry,
        hosts: {
          weight: entry.weight,
          total: ps.reduce((a, p) => a + sent(p), 0),
          healthy: ps.reduce((a, p) => a + p.healthy, 0),
          degraded: ps.reduce((a, p) => a + p.degraded, 0),
        },
      };
    }));
  }
  const split = trafficSplit(levels.map((ls) => ls.map((l) => l.hosts)), {
    panicThreshold: cfg.panicThreshold,
    localityWeighted: localityWeightedLb(cfg.resolved.setting, cfg.cdsFailover),
  });
  const shares: Record<string, number> = {};
  levels.forEach((ls, prio) => ls.forEach((l, i) => {
    const f = split.fractions[prio]![i]!;
    if (f > 0) shares[zoneOf(l.entry.locality)] = (shares[zoneOf(l.entry.locality)] ?? 0) + f;
  }));
  const priorities = levels.map((ls, prio) => ({
    priority: prio,
    zones: [...new Set(ls.filter((l) => l.hosts.total > 0).map((l) => zoneOf(l.entry.locality)))],
    loadPercent: (split.load.healthy[prio] ?? 0) + (split.load.degraded[prio] ?? 0),
    panic: split.load.panic[prio] ?? false,
    eds: edsView(ls.map((l) => ({ zone: zoneOf(l.entry.locality), weight: l.entry.weight, pools: l.entry.endpoints.map((e) => pools[e.ref]!) })), sent),
  }));
  const n = normalise(shares);
  return { shares: n, unroutable: Object.keys(n).length ? split.failed : 1, priorities };
}

function modeOf(resolved: ResolvedLocalityLb, enableFailover: boolean, failoverPriorityApplies: boolean): RoutingMode {
  const s = resolved.setting;
  if (!s) return 'none';
  if (s.distribute && s.distribute.length > 0) return 'distribute';
  if (!enableFailover) return 'none';
  if (s.failoverPriority && s.failoverPriority.length > 0) {
    if (failoverPriorityApplies) return 'failoverPriority';
    return (s.failover?.length ?? 0) > 0 ? 'failover' : 'none';
  }
  return 'failover';
}

function rounded(shares: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [z, v] of Object.entries(shares).sort(([a], [b]) => a.localeCompare(b))) out[z] = round6(v);
  return out;
}

function crossFraction(shares: Shares, zone: string): number {
  return Object.entries(shares).reduce((a, [z, v]) => (z === zone ? a : a + v), 0);
}

function simulateDestination(d: Destination, input: SimulationInput, volume: (zone: string, dest: string) => number): { result: DestinationResult; raw: { after: Shares; before: Shares }[] } {
  const notes: string[] = [];
  const dataplane = input.scenario.dataplane;
  const resolution: Resolution = d.kind === 'service' ? 'EDS' : d.resolution;
  const maxEjectionPercent = d.policy.maxEjectionPercent ?? ENVOY_DEFAULT_MAX_EJECTION_PERCENT;
  const configured = endpointPools(d, input);
  // The even spread endpointPools assumes is only what the scheduler does with a zone spread.
  if (d.kind === 'service' && !input.scenario.endpoints[d.name]) notes.push(...(d.unspread ?? []).map(unspreadNote));
  // Ambient (simulate/ambient.ts): ztunnel ejects nothing; through a waypoint its Envoy applies the DestinationRule.
  const ambient = dataplane === 'sidecar' ? d.ambient : undefined;
  const ztunnelOnly = ambient !== undefined && ambient.waypoint === undefined;
  if (ztunnelOnly) notes.push(...ztunnelNotes(configured, d));
  if (ambient?.waypoint) notes.push(...waypointNotes(ambient.waypoint, input.zones));
  const pools = dataplane === 'sidecar' && !ztunnelOnly
    ? applyEjectionLimit(configured, d.policy.outlierDetection, maxEjectionPercent, notes)
    // ServiceEntry endpoints are always healthy for ztunnel, whatever their state.
    : ztunnelOnly && d.kind === 'external' ? configured.map((p) => ({ ...p, notReady: 0, healthy: p.total, degraded: 0 }))
    // kube-proxy and ztunnel know nothing of outlier detection: every ready endpoint takes its share.
    : configured.map((p) => ({ ...p, healthy: p.total - p.notReady, degraded: 0 }));

  const resolved = resolveLocalityLb(input.meshLocalityLb ?? DEFAULT_MESH_LOCALITY_LB, d.policy.localityLbSetting, d.trafficDistribution);
  // The cluster (CDS) carries the outlier detection in force (mesh default included): it decides
  // locality-weighted LB; the endpoints' priorities follow edsFailoverEnabled (the Istio core).
  const enableFailover = failoverEnabled(d.policy.outlierDetection, resolved);
  const edsFailover = edsFailoverEnabled({ resolution, outlierDetection: d.policy.outlierDetection, outlierFromMesh: d.policy.outlierFromMesh ?? false }, resolved);
  // The Istio core says whether istiod ranks this cluster by failoverPriority (STRICT_DNS from 1.30).
  const failoverPriorityApplies = d.policy.failoverPriorityApplies ?? resolution === 'EDS';
  if (d.policy.istiodPanic) notes.push(`${d.policy.istiodPanic}: the control plane crash-loops and no proxy gets new configuration`);
  // istiod's panic threshold: minHealthPercent with outlierDetection (0 when a traffic distribution
  // forces sending unhealthy endpoints); without it 0 whenever not-ready endpoints are sent, else Envoy's default.
  const sendsNotReady = d.policy.sendsNotReady ?? false;
  const panicThreshold = istiodPanicThreshold({
    outlierDetection: d.policy.outlierDetection, minHealthPercent: d.policy.minHealthPercent,
    trafficDistribution: d.trafficDistribution !== undefined, sendsNotReady,
  });
  // istiod gives LOGICAL_DNS (DNS_ROUND_ROBIN) clusters localities and priorities like STRICT_DNS;
  // only resolution NONE (ORIGINAL_DST) has no endpoints to balance.
  const localityDns = resolution === 'ORIGINAL_DST';
  let mode: RoutingMode;
  let source: RoutingView['source'];
  // A let, not a const: TypeScript would narrow `resolution` through a const alias of localityDns.
  // eslint-disable-next-line prefer-const
  let viaZtunnel = ztunnelOnly && !localityDns;
  if (dataplane === 'kube-proxy') {
    source = 'kube-proxy';
    const prefer = d.kind === 'service' && (d.trafficDistribution === 'PreferClose' || d.trafficDistribution === 'PreferSameZone');
    mode = prefer ? 'preferSameZone' : 'uniform';
    if (d.kind === 'service' && d.topologyMode && !prefer) {
      notes.push(`service.kubernetes.io/topology-mode "${d.topologyMode}" is not simulated (its hints depend on node CPU per zone); shown as uniform`);
    }
  } else if (viaZtunnel) {
    source = 'ztunnel';
    mode = ztunnelPrefersZone(d.trafficDistribution) ? 'preferSameZone' : 'uniform';
  } else {
    source = resolved.source;
    mode = localityDns ? 'uniform' : modeOf(resolved, edsFailover, failoverPriorityApplies);
    if (localityDns) notes.push('resolution NONE bypasses locality load balancing: connections go wherever DNS or the application points');
    else if (resolved.setting && !edsFailover && !(resolved.setting.distribute?.length) && new Set(pools.map((p) => p.zone)).size > 1) {
      notes.push(enableFailover
        ? 'locality load balancing is enabled but the outlierDetection comes from the mesh defaultTrafficPolicy, which istiod\'s endpoint (EDS) builder does not read: it assigns no failover priorities, so traffic spreads over every zone (set outlierDetection in the DestinationRule)'
        : 'locality load balancing is enabled but there is no outlierDetection: istiod assigns no failover priorities, so traffic spreads over every zone');
    }
    if (resolved.setting?.failoverPriority?.length && !failoverPriorityApplies && edsFailover) {
      notes.push('istiod does not apply failoverPriority to ServiceEntries with resolution DNS (STRICT_DNS clusters)');
    }
    if (d.trafficDistribution && d.policy.localityLbSetting) {
      notes.push(`the DestinationRule's localityLbSetting takes precedence over trafficDistribution ${d.trafficDistribution}`);
    }
  }
  // A DestinationRule zoneAwareLbSetting takes precedence over every locality setting (Istio 1.31+).
  const zoneAware = dataplane === 'sidecar' && !ambient && !localityDns && d.policy.zoneAwareLbSetting
    ? zoneAwareDestination(pools, input.region, {
      setting: d.policy.zoneAwareLbSetting, callers: callersOf(input.zones, input.scenario.callers?.[d.name]), panicThreshold, failoverPriorityApplies, sendsNotReady,
    })
    : undefined;
  if (zoneAware) {
    mode = 'zoneAware';
    source = d.policy.zoneAwareFrom ?? 'destinationRule';
  }
  const sidecarCfg: SidecarConfig = { resolved, enableFailover: edsFailover, cdsFailover: enableFailover, failoverPriorityApplies, panicThreshold, sendsNotReady };
  const offCfg: SidecarConfig = { resolved: { setting: null, forceFailover: false, source: 'disabled' }, enableFailover: false, cdsFailover: false, failoverPriorityApplies, panicThreshold, sendsNotReady };

  const ready = (p: EndpointPool) => p.total - p.notReady;
  // Unrounded shares per caller: cost and matrix are computed from these, output shows rounded ones.
  const raw: { after: Shares; before: Shares }[] = [];
  const hops: ({ after: HopSplit; before: HopSplit } | undefined)[] = [];
  // A waypoint has no local cluster: istiod skips a zoneAwareLbSetting there (enabled or not) and,
  // the two settings being exclusive, applies no locality priorities at all (endpoint_builder.go).
  const waypointCfg: SidecarConfig = d.policy.zoneAwareLbSetting
    ? { ...offCfg, resolved: { setting: null, forceFailover: false, source: d.policy.zoneAwareFrom ?? 'destinationRule' } }
    : sidecarCfg;
  if (ambient?.waypoint && !localityDns && d.policy.zoneAwareLbSetting) {
    mode = 'uniform';
    source = d.policy.zoneAwareFrom ?? 'destinationRule';
    notes.push('the waypoint ignores zoneAwareLbSetting (no local cluster there) and gets no locality priorities instead: it spreads over every zone\'s endpoints');
  }
  const viaWaypoint = ambient?.waypoint && !localityDns ? waypointHops(ambient.waypoint, d, pools, input, waypointCfg, offCfg) : undefined;
  let offRoute: Routed | undefined;
  const callers: CallerResult[] = input.zones.map((zone) => {
    let after: Routed;
    let before: Routed;
    const hop = viaWaypoint?.(zone);
    hops.push(hop);
    if (hop) {
      after = { shares: normalise(hop.after.shares), unroutable: hop.after.unroutable, priorities: routeSidecar(pools, zone, input.region, waypointCfg).priorities };
      before = { shares: normalise(hop.before.shares), unroutable: hop.before.unroutable, priorities: [] };
    } else if (viaZtunnel) {
      const zp = pools.map((p) => ({ zone: p.zone, endpoints: ready(p) }));
      after = ztunnelRoute(zp, zone, d.trafficDistribution);
      before = ztunnelRoute(zp, zone, undefined);
    } else if (dataplane === 'kube-proxy' || localityDns) {
      before = uniform(pools, ready);
      after = mode === 'preferSameZone' && pools.some((p) => p.zone === zone && ready(p) > 0)
        ? uniform(pools.filter((p) => p.zone === zone), ready)
        : before;
    } else {
      // With locality routing off istiod gives every caller the same EDS: route it once per destination.
      before = offRoute ??= routeSidecar(pools, zone, input.region, offCfg);
      after = zoneAware ? zoneAware.route(zone) : routeSidecar(pools, zone, input.region, sidecarCfg);
    }
    // Through a waypoint the external behaviour applied per waypoint zone already (waypointHops).
    if (input.external && !hop) {
      const served = input.external.shares(d, zone, after.shares, before.shares);
      after = { ...after, shares: { ...served.after } };
      before = { ...before, shares: { ...served.before } };
    }
    raw.push({ after: after.shares, before: before.shares });
    const shares = rounded(after.shares);
    const sharesBefore = rounded(before.shares);
    return {
      zone,
      gbPerMonth: volume(zone, d.name),
      shares,
      sharesBefore,
      crossZoneFraction: round6(crossFraction(after.shares, zone)),
      crossZoneFractionBefore: round6(crossFraction(before.shares, zone)),
      unroutableFraction: round6(after.unroutable),
      priorities: after.priorities,
      ...(hop ? { waypoint: { shares: rounded(hop.after.waypointShares), crossZoneFraction: round6(hop.after.firstHopCross), backendCrossZoneFraction: round6(hop.after.secondHopCross) } } : {}),
    };
  });

  if (zoneAware) notes.push(...zoneAware.notes());
  if (input.external) notes.push(...input.external.notes(d));
  const zonesWithout = input.zones.filter((z) => !pools.some((p) => p.zone === z && ready(p) > 0));
  if (pools.length === 0 || pools.every((p) => ready(p) === 0)) notes.push('no ready endpoints: every request fails');
  else if (zonesWithout.length) notes.push(`no ready endpoint in ${zonesWithout.join(', ')}: callers there always cross zones`);
  const unroutable = callers.filter((c) => c.unroutableFraction > 0);
  if (unroutable.length && pools.some((p) => ready(p) > 0)) notes.push(`calls from ${unroutable.map((c) => c.zone).join(', ')} find no healthy endpoint (503) in this scenario`);

  const type = input.costType(d);
  const flows = (which: 'before' | 'after'): Flow[] => callers.flatMap((c, i) => {
    const hop = hops[i]?.[which];
    // Through a waypoint: the backend hop is billed as the destination, the hop to the waypoint as pod-to-pod.
    const main: Flow = { type, totalGb: c.gbPerMonth, crossZoneGb: c.gbPerMonth * (hop ? hop.secondHopCross : crossFraction(raw[i]![which], c.zone)) };
    return hop ? [main, { type: 'service' as const, totalGb: 0, crossZoneGb: c.gbPerMonth * hop.firstHopCross }] : [main];
  });
  const load = endpointLoad(pools.map(ready), pools.map((p) => p.zone), callers.map((c, i) => ({ zone: c.zone, gbPerMonth: c.gbPerMonth, shares: raw[i]!.after })), input.hotZoneFactor);
  const endpoints: EndpointView[] = pools.map((p, i) => ({
    zone: p.zone, locality: localityLabel(p.locality), total: p.total, ready: ready(p), healthy: p.healthy, degraded: p.degraded, ...load.endpoints[i]!,
  }));
  const externalView = input.external?.view(d);
  const result: DestinationResult = {
    name: d.name,
    kind: d.kind,
    namespace: d.namespace,
    hosts: d.hosts,
    type,
    routing: {
      dataplane: ambient ? 'ambient' : dataplane,
      source,
      ...(ambient ? { waypoint: ambient.waypoint?.name ?? null } : {}),
      mode,
      ...(d.policy.destinationRule ? { destinationRule: d.policy.destinationRule } : {}),
      outlierDetection: d.policy.outlierDetection,
      panicThresholdPercent: panicThreshold,
      maxEjectionPercent,
      // Under zone-aware routing istiod writes Envoy's zone-aware config instead of locality weights.
      localityWeightedLb: dataplane === 'sidecar' && !ztunnelOnly && !localityDns && !zoneAware && localityWeightedLb(resolved.setting, enableFailover),
      ...(d.trafficDistribution ? { trafficDistribution: d.trafficDistribution } : {}),
      resolution,
      sendsNotReady,
      ...(zoneAware && d.policy.zoneAwareLbSetting ? {
        zoneAware: {
          routingEnabled: zoneAwareRoutingEnabled(d.policy.zoneAwareLbSetting),
          // In force: Envoy's default when istiod leaves min_cluster_size out; a mesh-wide 0 is passed on.
          minClusterSize: effectiveMinClusterSize(d.policy.zoneAwareLbSetting),
        },
      } : {}),
    },
    endpoints,
    callers,
    cost: { before: costOf(flows('before'), input.prices), after: costOf(flows('after'), input.prices) },
    notes,
    hotZones: load.hotZones,
    remedies: load.remedies,
    ...(externalView ? { external: externalView } : {}),
  };
  return { result, raw };
}

/** Why the replicas shown one per zone may not be there (the scenario's `endpoints` place them for sure). */
function unspreadNote(u: { workload: string; spread: 'none' | 'unmatched' }): string {
  return u.spread === 'unmatched'
    ? `${u.workload}: its zone topologySpreadConstraint selects none of its own pods, so the scheduler ignores it and may put every replica in one zone; ` +
      'the even spread shown here is not guaranteed (zonal lint: ZNL025)'
    : `${u.workload} has no zone topologySpreadConstraint: the scheduler may put every replica in one zone; the even spread shown here is not guaranteed`;
}

/** What ztunnel does not do that the objects may expect of it. */
function ztunnelNotes(pools: readonly EndpointPool[], d: Destination): string[] {
  const notes: string[] = [];
  const failing = pools.reduce((a, p) => a + (p.total - p.notReady - p.healthy - p.degraded), 0);
  if (failing > 0) notes.push(`ambient: ztunnel ejects no endpoint, so the ${failing} failing endpoint${failing === 1 ? '' : 's'} keep${failing === 1 ? 's' : ''} receiving (failing) requests`);
  if (d.policy.destinationRule) notes.push(`ambient without a waypoint: ztunnel ignores DestinationRule ${d.policy.destinationRule}; only the traffic distribution applies`);
  if (d.trafficDistribution === 'PreferSameNode') notes.push('PreferSameNode: node preference is shown at zone level (the simulation does not place pods on nodes)');
  return notes;
}

/**
 * Per caller zone, the two hops through the destination's waypoint with the configured routing
 * (after) and with locality routing off (before): the waypoint's own PreferClose stays either way.
 */
function waypointHops(
  waypoint: NonNullable<NonNullable<Destination['ambient']>['waypoint']>, d: Destination, pools: readonly EndpointPool[],
  input: SimulationInput, after: SidecarConfig, before: SidecarConfig,
): (zone: string) => { after: HopSplit; before: HopSplit } {
  const pods = waypointPods(waypoint, input.zones);
  const fromZone = new Map<string, { after: Routed; before: Routed }>();
  const backend = (wz: string) => {
    let r = fromZone.get(wz);
    if (!r) {
      let a = routeSidecar(pools, wz, input.region, after);
      let b = routeSidecar(pools, wz, input.region, before);
      if (input.external) {
        const served = input.external.shares(d, wz, a.shares, b.shares);
        a = { ...a, shares: { ...served.after } };
        b = { ...b, shares: { ...served.before } };
      }
      r = { after: a, before: b };
      fromZone.set(wz, r);
    }
    return r;
  };
  return (zone) => ({
    after: throughWaypoint(pods, zone, (wz) => backend(wz).after),
    before: throughWaypoint(pods, zone, (wz) => backend(wz).before),
  });
}

function matrixOf(simulated: readonly { result: DestinationResult; raw: { after: Shares; before: Shares }[] }[], which: 'before' | 'after'): ZoneMatrix {
  const m: Record<string, Record<string, number>> = {};
  for (const { result, raw } of simulated) {
    for (const [i, c] of result.callers.entries()) {
      const row = (m[c.zone] ??= {});
      const shares = raw[i]![which];
      for (const [z, f] of Object.entries(shares)) row[z] = (row[z] ?? 0) + c.gbPerMonth * f;
    }
  }
  for (const row of Object.values(m)) for (const z of Object.keys(row)) row[z] = roundGb(row[z]!);
  return m;
}

export function simulate(input: SimulationInput): SimulationResult {
  const volumes = new Map(input.scenario.traffic.map((t) => [`${t.from}\u0000${t.to}`, t.gbPerMonth]));
  const scenarioVolume = (zone: string, dest: string) => volumes.get(`${zone}\u0000${dest}`)
    ?? defaultVolume(zone, input.zones, input.scenario.defaultGbPerMonth, input.scenario.callers?.[dest]);
  const volume = input.external ? input.external.volume(scenarioVolume) : scenarioVolume;
  const simulated = input.destinations.map((d) => simulateDestination(d, input, volume));
  const destinations = simulated.map((s) => s.result);
  const sum = (which: 'before' | 'after') => {
    const c = destinations.map((d) => d.cost[which]).reduce(addCost, ZERO_COST);
    return { ...c, crossZoneGbPerMonth: roundGb(c.crossZoneGbPerMonth), billableCrossZoneGbPerMonth: roundGb(c.billableCrossZoneGbPerMonth),
      transferUsdPerMonth: roundUsd(c.transferUsdPerMonth), processingUsdPerMonth: roundUsd(c.processingUsdPerMonth), usdPerMonth: roundUsd(c.usdPerMonth) };
  };
  const before = sum('before');
  const after = sum('after');
  return {
    region: input.region,
    zones: input.zones,
    dataplane: input.scenario.dataplane,
    destinations,
    matrix: { before: matrixOf(simulated, 'before'), after: matrixOf(simulated, 'after') },
    cost: { currency: input.prices.currency, prices: input.prices.source, before, after, savingsUsdPerMonth: roundUsd(before.usdPerMonth - after.usdPerMonth) },
  };
}
