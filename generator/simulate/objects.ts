/**
 * Reads the destinations a simulation needs from Kubernetes/Istio objects (rendered by zonal or
 * written by hand): Services with the workloads they select, ServiceEntries with their endpoint
 * localities, and the DestinationRule that applies to each.
 */
import {
  buildMeshIndex, clusterTypeOf, effectiveLbSetting, serviceEntryEndpoints, serviceFqdn,
  type ClusterFacts, type ConsolidatedRule, type MeshIndex, type Resolution, type ServiceEntryEndpoint,
} from '../istio/index.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { LocalityLbSetting, TrafficDistribution, ZoneAwareLbSetting } from './istio.js';
import { zoneAwareSettingOf } from './zone-aware-objects.js';
import { ambientPathOf } from './ambient-objects.js';
import type { AmbientPath } from './ambient.js';
import { ambientIndex } from '../k8s/ambient.js';
import { zoneSpreadOf } from '../k8s/zone-spread.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** The parts of a DestinationRule's traffic policy that decide routing. */
export interface RoutingPolicy {
  /** `namespace/name` of the DestinationRule, or undefined when none applies. */
  readonly destinationRule?: string;
  readonly localityLbSetting?: LocalityLbSetting;
  /**
   * The zoneAwareLbSetting in force (Istio 1.31+; Envoy zone-aware routing): the DestinationRule's,
   * or the mesh's when nothing of higher precedence applies (the core's effectiveLbSetting).
   */
  readonly zoneAwareLbSetting?: ZoneAwareLbSetting;
  /** Where zoneAwareLbSetting comes from. */
  readonly zoneAwareFrom?: 'destinationRule' | 'mesh';
  /** outlierDetection is set (even empty): the precondition for failover. */
  readonly outlierDetection: boolean;
  /** DestinationRule maxEjectionPercent; Envoy's default is 10 when unset. */
  readonly maxEjectionPercent?: number;
  /** DestinationRule minHealthPercent (Istio's panic threshold; 0 when unset). */
  readonly minHealthPercent: number;
  /** outlierDetection comes from the mesh defaultTrafficPolicy (1.31+), not from a DestinationRule. */
  readonly outlierFromMesh?: boolean;
  /** istiod sends the not-ready endpoints to Envoy (as unhealthy hosts) instead of leaving them out. */
  readonly sendsNotReady?: boolean;
  /** istiod applies failoverPriority to this cluster (EDS always; STRICT_DNS from Istio 1.30). */
  readonly failoverPriorityApplies?: boolean;
  /** Why istiod crashes building this cluster (a known istiod bug), when it does. */
  readonly istiodPanic?: string;
}

export type { Resolution, ServiceEntryEndpoint } from '../istio/service-entries.js';

interface DestinationBase {
  readonly name: string;
  /** Other names a scenario may use for this destination (Service name, hosts, ...). */
  readonly aliases: readonly string[];
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly policy: RoutingPolicy;
  readonly trafficDistribution?: TrafficDistribution;
  /** Present when the destination's namespace runs ambient (ztunnel, maybe a waypoint): simulate/ambient.ts. */
  readonly ambient?: AmbientPath;
}

export interface ServiceDestination extends DestinationBase {
  readonly kind: 'service';
  readonly service: string;
  /** Sum of `spec.replicas` of the workloads the Service selects. */
  readonly replicas: number;
  readonly workloads: readonly string[];
  readonly podLabels: Readonly<Record<string, string>>;
  /** `service.kubernetes.io/topology-mode` (ignored by istiod, used by kube-proxy). */
  readonly topologyMode?: string;
  /** Selected workloads whose pods nothing spreads over zones (`none`) or whose zone spread selects none of its own pods (`unmatched`). */
  readonly unspread?: readonly { readonly workload: string; readonly spread: 'none' | 'unmatched' }[];
}

export interface ExternalDestination extends DestinationBase {
  readonly kind: 'external';
  readonly serviceEntry: string;
  readonly resolution: Resolution;
  readonly endpoints: readonly ServiceEntryEndpoint[];
  readonly annotations: Readonly<Record<string, string>>;
}

export type Destination = ServiceDestination | ExternalDestination;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function spec(o: KubeObject): Any {
  return (o as Any).spec ?? {};
}

function nsOf(o: KubeObject): string {
  return o.metadata.namespace ?? 'default';
}


function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function pickInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The routing-relevant parts of the policy the Istio core says is in force for the port. */
function policyOf(mesh: MeshIndex, o: KubeObject, rule: ConsolidatedRule | undefined, port: number | undefined): RoutingPolicy {
  const tp: Any = mesh.trafficPolicyFor(rule, port);
  const lb: Any = tp.loadBalancer;
  const od: Any = tp.outlierDetection;
  const setting: Any = lb?.localityLbSetting;
  const drOutlier = rule ? hasOwnOutlier(rule, port) : false;
  const panic = mesh.istiodPanic(o, rule, port);
  const first = rule?.from[0];
  const localityLbSetting = setting && typeof setting === 'object' ? normaliseSetting(setting) : undefined;
  // Zone-aware routing as the core resolves it: the DestinationRule's zoneAwareLbSetting, or the
  // mesh's when neither the rule's localityLbSetting nor a traffic distribution comes first.
  const meshZoneAware = zoneAwareSettingOf(mesh.mesh).zoneAwareLbSetting;
  const td = mesh.trafficDistributionOf(o);
  const effective = effectiveLbSetting({
    destinationRule: { ...(localityLbSetting ? { localityLbSetting } : {}), ...zoneAwareSettingOf(lb) },
    ...(td ? { trafficDistribution: td } : {}),
    mesh: meshZoneAware ? { zoneAwareLbSetting: meshZoneAware } : {},
  }, mesh.behaviour);
  return {
    ...(first ? { destinationRule: `${nsOf(first)}/${first.metadata.name}` } : {}),
    ...(localityLbSetting ? { localityLbSetting } : {}),
    ...(effective.kind === 'zoneAware' ? { zoneAwareLbSetting: effective.setting, zoneAwareFrom: effective.source } : {}),
    outlierDetection: od !== undefined && od !== null,
    ...(od !== undefined && od !== null && !drOutlier ? { outlierFromMesh: true } : {}),
    ...(pickInt(od?.maxEjectionPercent) ? { maxEjectionPercent: od.maxEjectionPercent as number } : {}),
    minHealthPercent: pickInt(od?.minHealthPercent) ?? 0,
    sendsNotReady: mesh.sendsNotReady(o, rule, port),
    failoverPriorityApplies: mesh.failoverPriorityApplies(o),
    ...(panic ? { istiodPanic: panic } : {}),
  };
}

/** Whether the DestinationRule itself (top level or the port's settings) sets outlierDetection. */
function hasOwnOutlier(rule: ConsolidatedRule, port: number | undefined): boolean {
  const tp: Any = rule.spec.trafficPolicy ?? {};
  const pls = (tp.portLevelSettings ?? []).find((p: Any) => port !== undefined && p?.port?.number === port);
  // A port entry replaces the top-level policy for its port (it does not inherit outlierDetection).
  return pls ? pls.outlierDetection != null : tp.outlierDetection != null;
}

function normaliseSetting(s: Any): LocalityLbSetting {
  return {
    ...(typeof s.enabled === 'boolean' ? { enabled: s.enabled } : {}),
    ...(Array.isArray(s.distribute) ? { distribute: s.distribute.map((d: Any) => ({ from: String(d?.from ?? ''), to: { ...(d?.to ?? {}) } })) } : {}),
    ...(Array.isArray(s.failover) ? { failover: s.failover.map((f: Any) => ({ from: String(f?.from ?? ''), to: String(f?.to ?? '') })) } : {}),
    ...(Array.isArray(s.failoverPriority) ? { failoverPriority: s.failoverPriority.map(String) } : {}),
  };
}

export interface NameHints {
  /** Service (namespace/serviceName) -> the name people use (e.g. the values file's service name). */
  readonly services?: ReadonlyMap<string, string>;
  /** ServiceEntry host -> name. */
  readonly hosts?: ReadonlyMap<string, string>;
}

/**
 * Every Service (except ExternalName) and every ServiceEntry, with the DestinationRule the Istio
 * core says applies (for callers in the destination's namespace) and the policy in force.
 */
export function destinationsFromObjects(objects: readonly KubeObject[], hints: NameHints = {}, facts: ClusterFacts = {}): Destination[] {
  const mesh = buildMeshIndex(objects, facts);
  const ambient = ambientIndex(objects);
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind) && o.apiVersion.startsWith('apps/'));
  // Workloads by namespace and pod label, so each Service looks only at those carrying its most
  // selective selector label (a scan of every workload per Service was quadratic).
  const byLabel = new Map<string, KubeObject[]>();
  for (const w of workloads) {
    for (const [k, v] of Object.entries((spec(w).template?.metadata?.labels ?? {}) as Record<string, unknown>)) {
      const key = `${nsOf(w)}\0${k}\0${String(v)}`;
      const list = byLabel.get(key);
      if (list) list.push(w);
      else byLabel.set(key, [w]);
    }
  }
  const candidates = (namespace: string, selector: Record<string, unknown> | undefined): KubeObject[] => {
    let best: KubeObject[] | undefined;
    for (const [k, v] of Object.entries(selector ?? {})) {
      const list = byLabel.get(`${namespace}\0${k}\0${String(v)}`) ?? [];
      if (!best || list.length < best.length) best = list;
    }
    return best ?? [];
  };
  const out: Destination[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1')) {
    const s = spec(svc);
    if (s.type === 'ExternalName') continue;
    const namespace = nsOf(svc);
    const selected = candidates(namespace, s.selector).filter((w) => selects(s.selector, spec(w).template?.metadata?.labels));
    const replicas = selected.reduce((a, w) => a + (pickInt(spec(w).replicas) ?? 1), 0);
    const fqdn = serviceFqdn(svc);
    const port = pickInt(s.ports?.[0]?.port);
    const hinted = hints.services?.get(`${namespace}/${svc.metadata.name}`);
    const name = hinted ?? (selected.length === 1 ? selected[0]!.metadata.name : svc.metadata.name);
    const td = mesh.trafficDistributionOf(svc);
    const topologyMode = svc.metadata.annotations?.['service.kubernetes.io/topology-mode'];
    const unspread = selected.flatMap((w) => {
      const spread = zoneSpreadOf(w);
      return spread === 'none' || spread === 'unmatched' ? [{ workload: `${w.kind}/${w.metadata.name}`, spread }] : [];
    });
    out.push({
      kind: 'service',
      name,
      aliases: [...new Set([svc.metadata.name, fqdn, `${svc.metadata.name}.${namespace}`, ...selected.map((w) => w.metadata.name)])].filter((a) => a !== name),
      namespace,
      hosts: [fqdn],
      service: `${namespace}/${svc.metadata.name}`,
      replicas,
      workloads: selected.map((w) => `${w.kind}/${w.metadata.name}`),
      podLabels: { ...(selected[0] ? spec(selected[0]).template?.metadata?.labels : {}) },
      policy: policyOf(mesh, svc, mesh.destinationRuleFor(fqdn, namespace), port),
      ...(td ? { trafficDistribution: td } : {}),
      ...(topologyMode ? { topologyMode } : {}),
      ...(unspread.length ? { unspread } : {}),
      ...ambientPathOf(ambient, svc),
    });
  }
  for (const se of mesh.serviceEntries) {
    const s = spec(se);
    const namespace = nsOf(se);
    const hosts: string[] = (s.hosts ?? []).map(String);
    const hinted = hosts.map((h) => hints.hosts?.get(h)).find((n) => n !== undefined);
    const name = hinted ?? se.metadata.name;
    const td = mesh.trafficDistributionOf(se);
    out.push({
      kind: 'external',
      name,
      aliases: [...new Set([se.metadata.name, ...hosts])].filter((a) => a !== name),
      namespace,
      hosts,
      serviceEntry: `${namespace}/${se.metadata.name}`,
      resolution: clusterTypeOf(se),
      endpoints: serviceEntryEndpoints(se),
      annotations: { ...(se.metadata.annotations ?? {}) },
      policy: policyOf(mesh, se, hosts.map((h) => mesh.destinationRuleFor(h, namespace)).find((r) => r !== undefined), pickInt(s.ports?.[0]?.number)),
      ...(td ? { trafficDistribution: td } : {}),
      ...ambientPathOf(ambient, se),
    });
  }
  return out;
}
