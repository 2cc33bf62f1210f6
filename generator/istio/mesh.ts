/**
 * The objects and cluster facts indexed once the way istiod reads them: Services and ServiceEntries
 * by host, DestinationRules by namespace and host (namespace-local, exported, root namespace,
 * merged oldest first), namespaces with their annotations, and the mesh config. Every lookup is a
 * map access, or a scan of the (few) wildcard rules, so lint and simulate stay linear in the input.
 */
import { load, YAMLException } from 'js-yaml';
import type { KubeObject } from '../k8s/manifest.js';
import { mostSpecificMatch, resolveShortname, hostsMatch, isWildcarded, CLUSTER_DOMAIN } from './hosts.js';
import { effectiveLbSetting, type LocalityLbSetting, type TrafficDistribution, type ZoneAwareLbSetting } from './loadbalancer.js';
import { behaviourOf, DEFAULT_ISTIO_VERSION, type IstioBehaviour } from './versions.js';

export type Json = Record<string, unknown>;

export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';
export const TRAFFIC_DISTRIBUTION_ANNOTATION = 'networking.istio.io/traffic-distribution';
/** istiod's default root (config) namespace. */
export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

function rec(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/** The mesh config fields zonal reads (MeshConfig, as in the `istio` ConfigMap's `mesh` key). */
export interface MeshConfig {
  readonly rootNamespace?: string;
  readonly localityLbSetting?: LocalityLbSetting;
  readonly zoneAwareLbSetting?: ZoneAwareLbSetting;
  /** `defaultTrafficPolicy`: connectionPool / outlierDetection inherited by DestinationRules (1.31+). */
  readonly defaultTrafficPolicy?: Json;
  /** `defaultDestinationRuleExportTo`: `["."]` makes DestinationRules without exportTo private. */
  readonly defaultDestinationRuleExportTo?: readonly string[];
  /** proxyMetadata of `defaultConfig`. */
  readonly defaultProxyMetadata?: Readonly<Record<string, string>>;
}

/** What the core knows beyond the objects: the cluster and the control plane. */
export interface ClusterFacts {
  readonly zones?: readonly string[];
  readonly region?: string;
  /** @default DEFAULT_ISTIO_VERSION (1.31.1) */
  readonly istioVersion?: string;
  /** Mesh config from the values file or flags; a mesh ConfigMap in the objects fills what this leaves out. */
  readonly mesh?: MeshConfig;
}

/** DestinationRules merged for one host in one index, oldest first (Istio's ConsolidatedDestRule). */
export interface ConsolidatedRule {
  readonly host: string;
  /** The contributing DestinationRules, oldest (first-applied) first. */
  readonly from: readonly KubeObject[];
  /** The merged spec: the oldest rule's trafficPolicy (or the first that has one) and every distinct subset. */
  readonly spec: Json;
  readonly exportTo: ReadonlySet<string>;
}

interface RuleIndex {
  readonly specific: Map<string, ConsolidatedRule[]>;
  readonly wildcard: Map<string, ConsolidatedRule[]>;
}

export interface MeshIndex {
  readonly behaviour: IstioBehaviour;
  readonly facts: ClusterFacts;
  readonly mesh: MeshConfig;
  readonly rootNamespace: string;
  readonly objects: readonly KubeObject[];
  readonly services: readonly KubeObject[];
  readonly serviceEntries: readonly KubeObject[];
  readonly destinationRules: readonly KubeObject[];
  readonly workloadEntries: readonly KubeObject[];
  readonly namespaces: ReadonlyMap<string, KubeObject>;
  /** The hosts a Service (its FQDN) or ServiceEntry (as written) stands for. */
  hostsOf(o: KubeObject): readonly string[];
  /** Services and ServiceEntries that declare a host matching `host` (wildcards either side). */
  registryFor(host: string): readonly KubeObject[];
  /**
   * The DestinationRule istiod applies to `host` (a service in `serviceNamespace`) for a proxy in
   * `proxyNamespace` (default: the service's namespace): proxy namespace first, then the service's
   * namespace's exported rules, then the root namespace's.
   */
  destinationRuleFor(host: string, serviceNamespace: string, proxyNamespace?: string): ConsolidatedRule | undefined;
  /** Services / ServiceEntries whose traffic a DestinationRule governs (for proxies in its namespace or the service's). */
  targetsOf(dr: KubeObject): readonly KubeObject[];
  /** Service spec.trafficDistribution > Service annotation > namespace annotation (per version). */
  trafficDistributionOf(o: KubeObject): TrafficDistribution | undefined;
  /** The traffic policy in force for a port (and subset): port-level and subset policies merged, mesh default overlaid (1.31+). */
  trafficPolicyFor(rule: ConsolidatedRule | undefined, port: number | undefined, subset?: string): Json;
  /** Whether not-ready endpoints of the service are sent to Envoy (as unhealthy hosts). */
  sendsNotReady(o: KubeObject, rule: ConsolidatedRule | undefined, port: number | undefined): boolean;
  /** Whether istiod applies failoverPriority to the cluster of this Service / ServiceEntry. */
  failoverPriorityApplies(o: KubeObject): boolean;
  /** The istiod crash building this cluster (istio/istio#61857), when the configuration triggers it. */
  istiodPanic(o: KubeObject, rule: ConsolidatedRule | undefined, port: number | undefined): string | undefined;
}

export function namespaceOf(o: KubeObject): string {
  return o.metadata.namespace || 'default';
}

function isNetworking(o: KubeObject, kind: string): boolean {
  return o.kind === kind && typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${ISTIO_NETWORKING_GROUP}/`);
}

function isCore(o: KubeObject, kind: string): boolean {
  return o.kind === kind && o.apiVersion === 'v1';
}

export function serviceFqdn(svc: KubeObject): string {
  return `${svc.metadata.name}.${namespaceOf(svc)}.svc.${CLUSTER_DOMAIN}`;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Reads the mesh config out of an `istio` / `istio-<rev>` ConfigMap's `mesh` key; undefined when absent or not YAML. */
export function meshConfigFromConfigMap(o: KubeObject): MeshConfig | undefined {
  if (!isCore(o, 'ConfigMap') || !/^istio(-.+)?$/.test(o.metadata.name)) return undefined;
  const text = rec(o.data)?.mesh;
  if (typeof text !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    return undefined; // a mesh key that is not YAML is istiod's problem to report; zonal reads nothing from it
  }
  return meshConfigFromJson(rec(parsed));
}

export function meshConfigFromJson(m: Json | undefined): MeshConfig | undefined {
  if (!m) return undefined;
  const md = rec(rec(m.defaultConfig)?.proxyMetadata);
  return {
    ...(typeof m.rootNamespace === 'string' ? { rootNamespace: m.rootNamespace } : {}),
    ...(rec(m.localityLbSetting) ? { localityLbSetting: m.localityLbSetting as LocalityLbSetting } : {}),
    ...(rec(m.zoneAwareLbSetting) ? { zoneAwareLbSetting: m.zoneAwareLbSetting as ZoneAwareLbSetting } : {}),
    ...(rec(m.defaultTrafficPolicy) ? { defaultTrafficPolicy: m.defaultTrafficPolicy as Json } : {}),
    ...(Array.isArray(m.defaultDestinationRuleExportTo) ? { defaultDestinationRuleExportTo: strings(m.defaultDestinationRuleExportTo) } : {}),
    ...(md ? { defaultProxyMetadata: Object.fromEntries(Object.entries(md).map(([k, v]) => [k, String(v)])) } : {}),
  };
}

function creationTime(o: KubeObject): string {
  const t = o.metadata.creationTimestamp;
  return typeof t === 'string' ? t : '';
}

/** sortConfigBySelectorAndCreationTime: selector rules first, then oldest, then name, then namespace. */
function ruleOrder(a: KubeObject, b: KubeObject): number {
  const as = rec(a.spec)?.workloadSelector !== undefined;
  const bs = rec(b.spec)?.workloadSelector !== undefined;
  if (as !== bs) return as ? -1 : 1;
  // RFC 3339 timestamps order as strings (byte order, not the locale's: localeCompare was a hot spot).
  const ta = creationTime(a);
  const tb = creationTime(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.metadata.name !== b.metadata.name) return a.metadata.name < b.metadata.name ? -1 : 1;
  return namespaceOf(a) < namespaceOf(b) ? -1 : namespaceOf(a) > namespaceOf(b) ? 1 : 0;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** mergeDestinationRule: same host and same exportTo merge (oldest trafficPolicy wins, subsets added by name). */
function merge(index: RuleIndex, dr: KubeObject, host: string, exportTo: ReadonlySet<string>): void {
  const map = isWildcarded(host) ? index.wildcard : index.specific;
  const list = map.get(host) ?? [];
  const spec = rec(dr.spec) ?? {};
  const i = list.findIndex((r) => sameSet(r.exportTo, exportTo));
  if (i < 0) {
    list.push({ host, from: [dr], spec: { ...spec }, exportTo });
    map.set(host, list);
    return;
  }
  const existing = list[i]!;
  const names = new Set((Array.isArray(existing.spec.subsets) ? existing.spec.subsets : []).map((s) => rec(s)?.name));
  const added = (Array.isArray(spec.subsets) ? spec.subsets : []).filter((s) => !names.has(rec(s)?.name));
  const merged: Json = { ...existing.spec };
  if (added.length > 0) merged.subsets = [...(Array.isArray(existing.spec.subsets) ? existing.spec.subsets : []), ...added];
  if (merged.trafficPolicy === undefined && spec.trafficPolicy !== undefined) merged.trafficPolicy = spec.trafficPolicy;
  list[i] = { host, from: [...existing.from, dr], spec: merged, exportTo };
}

function emptyIndex(): RuleIndex {
  return { specific: new Map(), wildcard: new Map() };
}

function lookup(index: RuleIndex | undefined, host: string): ConsolidatedRule[] | undefined {
  return index ? mostSpecificMatch(host, index.specific, index.wildcard) : undefined;
}

const PORT_FIELDS = ['connectionPool', 'loadBalancer', 'outlierDetection', 'tls'] as const;

/**
 * GetPortLevelTrafficPolicy: a portLevelSettings entry for the port REPLACES the policy (its four
 * fields, absent ones falling back to defaults, not to the top level); otherwise the policy as is.
 */
function portResolved(policy: Json | undefined, port: number | undefined): { policy: Json | undefined; hasPortLevel: boolean } {
  if (!policy || port === undefined) return { policy, hasPortLevel: false };
  const pls = (Array.isArray(policy.portLevelSettings) ? policy.portLevelSettings : []).map(rec)
    .find((p) => rec(p?.port)?.number === port);
  if (!pls) return { policy, hasPortLevel: false };
  const out: Json = {};
  for (const key of PORT_FIELDS) if (pls[key] !== undefined && pls[key] !== null) out[key] = pls[key];
  return { policy: out, hasPortLevel: true };
}

/** MergeSubsetTrafficPolicy: the DR's port-resolved policy, overridden block by block by the subset's. */
function subsetMerged(top: Json | undefined, subset: Json | undefined, port: number | undefined): Json | undefined {
  const base = portResolved(top, port).policy;
  if (!subset) return base;
  const { policy: sp, hasPortLevel } = portResolved(subset, port);
  if (!base) return sp;
  const out: Json = { ...base };
  delete out.portLevelSettings;
  for (const key of PORT_FIELDS) {
    if (sp?.[key] !== undefined || hasPortLevel) {
      if (sp?.[key] === undefined) delete out[key];
      else out[key] = sp[key];
    }
  }
  for (const key of ['tunnel', 'proxyProtocol', 'retryBudget']) if (sp?.[key] !== undefined) out[key] = sp[key];
  return out;
}

function parseTrafficDistribution(v: string | undefined): TrafficDistribution | 'Any' | undefined {
  if (v === undefined || v === '') return undefined;
  switch (v.toLowerCase()) {
    case 'preferclose':
    case 'prefersamezone': return 'PreferSameZone';
    case 'prefersamenode': return 'PreferSameNode';
    default: return 'Any';
  }
}

export function buildMeshIndex(objects: readonly KubeObject[], facts: ClusterFacts = {}): MeshIndex {
  const behaviour = behaviourOf(facts.istioVersion ?? DEFAULT_ISTIO_VERSION);
  const services: KubeObject[] = [];
  const serviceEntries: KubeObject[] = [];
  const destinationRules: KubeObject[] = [];
  const workloadEntries: KubeObject[] = [];
  const namespaces = new Map<string, KubeObject>();
  let fromInput: MeshConfig | undefined;
  for (const o of objects) {
    if (isCore(o, 'Service')) services.push(o);
    else if (isNetworking(o, 'ServiceEntry')) serviceEntries.push(o);
    else if (isNetworking(o, 'DestinationRule')) destinationRules.push(o);
    else if (isNetworking(o, 'WorkloadEntry')) workloadEntries.push(o);
    else if (isCore(o, 'Namespace')) namespaces.set(o.metadata.name, o);
    else fromInput = meshConfigFromConfigMap(o) ?? fromInput;
  }
  const mesh: MeshConfig = { ...fromInput, ...facts.mesh };
  const rootNamespace = mesh.rootNamespace ?? DEFAULT_ROOT_NAMESPACE;
  const defaultPrivate = (mesh.defaultDestinationRuleExportTo ?? []).includes('.');

  // Registry: hosts -> Services / ServiceEntries.
  const hostsOf = (o: KubeObject): string[] => (o.kind === 'Service' ? [serviceFqdn(o)] : strings(rec(o.spec)?.hosts));
  const registrySpecific = new Map<string, KubeObject[]>();
  const registryWildcard: { host: string; o: KubeObject }[] = [];
  for (const o of [...services, ...serviceEntries]) {
    if (o.kind === 'Service' && rec(o.spec)?.type === 'ExternalName') continue;
    for (const h of new Set(hostsOf(o))) {
      if (isWildcarded(h)) registryWildcard.push({ host: h, o });
      else registrySpecific.set(h, [...(registrySpecific.get(h) ?? []), o]);
    }
  }
  const registryFor = (host: string): KubeObject[] => {
    const out = new Set<KubeObject>();
    if (isWildcarded(host)) {
      for (const [h, os] of registrySpecific) if (hostsMatch(host, h)) os.forEach((o) => out.add(o));
    } else {
      (registrySpecific.get(host) ?? []).forEach((o) => out.add(o));
    }
    for (const w of registryWildcard) if (hostsMatch(host, w.host)) out.add(w.o);
    return [...out];
  };

  // setDestinationRules: namespace-local, exported-by-namespace and root-namespace-local indexes.
  const namespaceLocal = new Map<string, RuleIndex>();
  const exported = new Map<string, RuleIndex>();
  const rootLocal = emptyIndex();
  const selectorRules: KubeObject[] = [];
  for (const dr of [...destinationRules].sort(ruleOrder)) {
    const spec = rec(dr.spec) ?? {};
    const ns = namespaceOf(dr);
    const rawHost = typeof spec.host === 'string' ? spec.host : '';
    if (rawHost === '') continue;
    const host = resolveShortname(rawHost, ns);
    // Rules with a workload selector apply to the selected proxies only; zonal's callers are zones,
    // so they are kept out of the per-host lookup (lint still validates them).
    if (spec.workloadSelector !== undefined) {
      selectorRules.push(dr);
      continue;
    }
    const exportTo = new Set(strings(spec.exportTo));
    if (exportTo.size === 0 || exportTo.has('*') || exportTo.has('.') || exportTo.has(ns)) {
      if (!namespaceLocal.has(ns)) namespaceLocal.set(ns, emptyIndex());
      merge(namespaceLocal.get(ns)!, dr, host, exportTo);
    }
    const privateOnly = (exportTo.size === 0 && defaultPrivate) || (exportTo.size === 1 && (exportTo.has('.') || exportTo.has(ns)));
    if (!privateOnly) {
      if (!exported.has(ns)) exported.set(ns, emptyIndex());
      merge(exported.get(ns)!, dr, host, exportTo);
    } else if (ns === rootNamespace) {
      merge(rootLocal, dr, host, exportTo);
    }
  }

  const exportedFrom = (owner: string, host: string, client: string): ConsolidatedRule | undefined =>
    lookup(exported.get(owner), host)?.find((r) => r.exportTo.size === 0 || r.exportTo.has('*') || r.exportTo.has(client));

  const destinationRuleFor = (host: string, serviceNamespace: string, proxyNamespace = serviceNamespace): ConsolidatedRule | undefined => {
    const local = proxyNamespace !== rootNamespace ? lookup(namespaceLocal.get(proxyNamespace), host) : lookup(rootLocal, host);
    if (local && local.length > 0) return local[0];
    return exportedFrom(serviceNamespace, host, proxyNamespace) ?? exportedFrom(rootNamespace, host, proxyNamespace);
  };

  const targetsOf = (dr: KubeObject): KubeObject[] => {
    const spec = rec(dr.spec) ?? {};
    if (typeof spec.host !== 'string' || spec.host === '') return [];
    const host = resolveShortname(spec.host, namespaceOf(dr));
    if (spec.workloadSelector !== undefined) return registryFor(host);
    return registryFor(host).filter((o) => {
      const applies = (proxyNs: string) => hostsOf(o).some((h) => destinationRuleFor(h, namespaceOf(o), proxyNs)?.from.includes(dr));
      return applies(namespaceOf(dr)) || applies(namespaceOf(o));
    });
  };

  const trafficDistributionOf = (o: KubeObject): TrafficDistribution | undefined => {
    const spec = o.kind === 'Service' ? parseTrafficDistribution(typeof rec(o.spec)?.trafficDistribution === 'string' ? String(rec(o.spec)!.trafficDistribution) : undefined) : undefined;
    // The spec field counts only for the values Kubernetes defines; anything else falls through.
    if (spec && spec !== 'Any' && /^(PreferClose|PreferSameZone|PreferSameNode)$/.test(String(rec(o.spec)?.trafficDistribution))) return spec;
    const own = parseTrafficDistribution(o.metadata.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION]);
    if (own) return own === 'Any' ? undefined : own;
    if (!behaviour.namespaceTrafficDistribution) return undefined;
    const ns = parseTrafficDistribution(namespaces.get(namespaceOf(o))?.metadata.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION]);
    return ns && ns !== 'Any' ? ns : undefined;
  };

  /** The DestinationRule's own policy for a port and subset (getSubsetTrafficPolicy), without mesh defaults. */
  const rulePolicy = (rule: ConsolidatedRule | undefined, port: number | undefined, subset?: string): Json => {
    const top = rec(rule?.spec.trafficPolicy);
    const s = subset === undefined ? undefined
      : (Array.isArray(rule?.spec.subsets) ? rule!.spec.subsets : []).map(rec).find((x) => x?.name === subset);
    const out = { ...(subsetMerged(top, rec(s?.trafficPolicy), port) ?? {}) };
    delete out.portLevelSettings;
    return out;
  };

  const trafficPolicyFor = (rule: ConsolidatedRule | undefined, port: number | undefined, subset?: string): Json => {
    let policy = rulePolicy(rule, port, subset);
    if (behaviour.meshDefaultTrafficPolicy && mesh.defaultTrafficPolicy) {
      for (const key of ['connectionPool', 'outlierDetection']) {
        if (policy[key] === undefined && mesh.defaultTrafficPolicy[key] !== undefined) policy = { ...policy, [key]: mesh.defaultTrafficPolicy[key] };
      }
    }
    return policy;
  };

  const sendsNotReady = (o: KubeObject, rule: ConsolidatedRule | undefined, port: number | undefined): boolean => {
    // ForcesSupportUnhealthyEndpoints: a traffic distribution needs endpoint health to spill over.
    if (trafficDistributionOf(o) !== undefined) return true;
    if (!behaviour.autoSendUnhealthyEndpoints) return false;
    // The DestinationRule's own policy decides (the mesh default is not consulted here).
    const od = rec(rulePolicy(rule, port).outlierDetection);
    return !(typeof od?.minHealthPercent === 'number' && od.minHealthPercent > 0);
  };

  const failoverPriorityApplies = (o: KubeObject): boolean => {
    if (o.kind === 'Service') return true;
    const resolution = rec(o.spec)?.resolution ?? 'NONE';
    if (resolution === 'STATIC') return true;
    // Both DNS cluster types (STRICT_DNS and LOGICAL_DNS) get the wrapped endpoints from 1.30.
    return (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && behaviour.dnsClusterFailoverPriority;
  };

  const istiodPanic = (o: KubeObject, rule: ConsolidatedRule | undefined, port: number | undefined): string | undefined => {
    if (o.kind !== 'ServiceEntry' || rec(o.spec)?.resolution !== 'DNS' || !behaviour.dnsMultiLocalityFailoverPriorityPanics) return undefined;
    const localities = new Set((Array.isArray(rec(o.spec)?.endpoints) ? (rec(o.spec)!.endpoints as unknown[]) : [])
      // An endpoint without a locality is a locality group of its own ("") in istiod's DNS cluster.
      .map((e) => { const l = rec(e)?.locality; return typeof l === 'string' ? l : ''; }));
    if (localities.size < 2) return undefined;
    const policy = trafficPolicyFor(rule, port);
    const lb = rec(policy.loadBalancer);
    const td = trafficDistributionOf(o);
    // The setting in force, with Istio's precedence down to the mesh's (effectiveLbSetting).
    const effective = effectiveLbSetting({
      destinationRule: {
        ...(rec(lb?.localityLbSetting) ? { localityLbSetting: lb!.localityLbSetting as LocalityLbSetting } : {}),
        ...(rec(lb?.zoneAwareLbSetting) ? { zoneAwareLbSetting: lb!.zoneAwareLbSetting as ZoneAwareLbSetting } : {}),
      },
      ...(td ? { trafficDistribution: td } : {}),
      mesh: {
        ...(mesh.localityLbSetting ? { localityLbSetting: mesh.localityLbSetting } : {}),
        ...(mesh.zoneAwareLbSetting ? { zoneAwareLbSetting: mesh.zoneAwareLbSetting } : {}),
      },
    }, behaviour);
    if (effective.kind === 'zoneAware') {
      // Zone-aware routing applies its failoverPriority whenever routing is enabled, outlierDetection or not.
      if (effective.setting.enabled === false || strings(effective.setting.failoverPriority).length === 0) return undefined;
      return `istiod ${behaviour.minor} panics building the DNS cluster of a ServiceEntry whose endpoints span ${localities.size} localities when ${effective.source === 'mesh' ? 'the mesh ' : ''}zoneAwareLbSetting.failoverPriority applies (istio/istio#61857)`;
    }
    if (effective.kind !== 'locality') return undefined;
    const s = effective.setting;
    const priorities = s.enabled === false || (s.distribute?.length ?? 0) > 0 ? [] : strings(s.failoverPriority);
    // The cluster's outlierDetection (mesh default merged) or a traffic distribution turns failover on.
    const failover = effective.force || policy.outlierDetection !== undefined;
    if (priorities.length === 0 || !failover) return undefined;
    return `istiod ${behaviour.minor} panics building the DNS cluster of a ServiceEntry whose endpoints span ${localities.size} localities when ${effective.source === 'mesh' ? 'the mesh localityLbSetting\'s ' : ''}failoverPriority applies (istio/istio#61857)`;
  };

  void selectorRules;
  return {
    behaviour, facts, mesh, rootNamespace, objects, services, serviceEntries, destinationRules, workloadEntries, namespaces,
    hostsOf, registryFor, destinationRuleFor, targetsOf, trafficDistributionOf, trafficPolicyFor, sendsNotReady,
    failoverPriorityApplies, istiodPanic,
  };
}
