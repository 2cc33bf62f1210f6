/**
 * Reads the destinations a simulation needs from Kubernetes/Istio objects (rendered by zonal or
 * written by hand): Services with the workloads they select, ServiceEntries with their endpoint
 * localities, and the DestinationRule that applies to each.
 */
import type { KubeObject } from '../k8s/manifest.js';
import type { LocalityLbSetting, TrafficDistribution } from './istio.js';

const CLUSTER_DOMAIN = 'svc.cluster.local';
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);
const ISTIO_TRAFFIC_DISTRIBUTION_ANNOTATION = 'networking.istio.io/traffic-distribution';

/** The parts of a DestinationRule's traffic policy that decide routing. */
export interface RoutingPolicy {
  /** `namespace/name` of the DestinationRule, or undefined when none applies. */
  readonly destinationRule?: string;
  readonly localityLbSetting?: LocalityLbSetting;
  /** outlierDetection is set (even empty): the precondition for failover. */
  readonly outlierDetection: boolean;
  /** DestinationRule maxEjectionPercent; Envoy's default is 10 when unset. */
  readonly maxEjectionPercent?: number;
  /** DestinationRule minHealthPercent (Istio's panic threshold; 0 when unset). */
  readonly minHealthPercent: number;
}

export interface ServiceEntryEndpoint {
  readonly address: string;
  /** `region/zone[/subzone]`, "" when the endpoint has none. */
  readonly locality: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly network: string;
  readonly weight: number;
}

export type Resolution = 'EDS' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'ORIGINAL_DST';

interface DestinationBase {
  readonly name: string;
  /** Other names a scenario may use for this destination (Service name, hosts, ...). */
  readonly aliases: readonly string[];
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly policy: RoutingPolicy;
  readonly trafficDistribution?: TrafficDistribution;
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

function isIstio(o: KubeObject, kind: string): boolean {
  return o.kind === kind && o.apiVersion.startsWith('networking.istio.io/');
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** How specific a DestinationRule host is for `hosts` (higher is better), or -1 if it does not apply. */
function hostMatchScore(drHost: string, drNamespace: string, hosts: readonly string[]): number {
  // istiod (ResolveShortnameToFQDN) expands only names without a dot; `svc.ns` stays as written.
  const expanded = drHost === '*' || drHost.includes('.') ? drHost : `${drHost}.${drNamespace}.${CLUSTER_DOMAIN}`;
  let best = -1;
  for (const h of hosts) {
    if (expanded === h) best = Math.max(best, 1000);
    else if (expanded === '*') best = Math.max(best, 0);
    else if (expanded.startsWith('*.') && h.endsWith(expanded.slice(1))) best = Math.max(best, expanded.length);
  }
  return best;
}

function pickInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function policyOf(dr: KubeObject | undefined, port: number | undefined): RoutingPolicy {
  if (!dr) return { outlierDetection: false, minHealthPercent: 0 };
  const tp: Any = spec(dr).trafficPolicy ?? {};
  let lb: Any = tp.loadBalancer;
  let od: Any = tp.outlierDetection;
  // Port-level settings replace the top-level ones for the port callers use.
  const pls = (tp.portLevelSettings ?? []).find((p: Any) => port !== undefined && p?.port?.number === port);
  if (pls?.loadBalancer) lb = pls.loadBalancer;
  if (pls?.outlierDetection) od = pls.outlierDetection;
  const setting: Any = lb?.localityLbSetting;
  return {
    destinationRule: `${nsOf(dr)}/${dr.metadata.name}`,
    ...(setting && typeof setting === 'object' ? { localityLbSetting: normaliseSetting(setting) } : {}),
    outlierDetection: od !== undefined && od !== null,
    ...(pickInt(od?.maxEjectionPercent) ? { maxEjectionPercent: od.maxEjectionPercent as number } : {}),
    minHealthPercent: pickInt(od?.minHealthPercent) ?? 0,
  };
}

function normaliseSetting(s: Any): LocalityLbSetting {
  return {
    ...(typeof s.enabled === 'boolean' ? { enabled: s.enabled } : {}),
    ...(Array.isArray(s.distribute) ? { distribute: s.distribute.map((d: Any) => ({ from: String(d?.from ?? ''), to: { ...(d?.to ?? {}) } })) } : {}),
    ...(Array.isArray(s.failover) ? { failover: s.failover.map((f: Any) => ({ from: String(f?.from ?? ''), to: String(f?.to ?? '') })) } : {}),
    ...(Array.isArray(s.failoverPriority) ? { failoverPriority: s.failoverPriority.map(String) } : {}),
  };
}

/**
 * The DestinationRule Istio applies to a host: the most specific host match, preferring one in the
 * destination's own namespace (a caller's namespace would come first, but callers are zones here).
 */
function destinationRuleFor(drs: readonly KubeObject[], hosts: readonly string[], namespace: string): KubeObject | undefined {
  let best: { dr: KubeObject; score: number } | undefined;
  for (const dr of drs) {
    const host = String(spec(dr).host ?? '');
    const score = hostMatchScore(host, nsOf(dr), hosts);
    if (score < 0) continue;
    const s = score * 2 + (nsOf(dr) === namespace ? 1 : 0);
    if (!best || s > best.score) best = { dr, score: s };
  }
  return best?.dr;
}

function trafficDistributionOf(o: KubeObject): TrafficDistribution | undefined {
  const v = spec(o).trafficDistribution ?? o.metadata.annotations?.[ISTIO_TRAFFIC_DISTRIBUTION_ANNOTATION];
  return v === 'PreferClose' || v === 'PreferSameZone' || v === 'PreferSameNode' ? v : undefined;
}

function resolutionOf(se: KubeObject): Resolution {
  switch (spec(se).resolution) {
    case 'DNS': return 'STRICT_DNS';
    case 'DNS_ROUND_ROBIN': return 'LOGICAL_DNS';
    case 'STATIC': return 'EDS';
    default: return 'ORIGINAL_DST';
  }
}

export interface NameHints {
  /** Service (namespace/serviceName) -> the name people use (e.g. the values file's service name). */
  readonly services?: ReadonlyMap<string, string>;
  /** ServiceEntry host -> name. */
  readonly hosts?: ReadonlyMap<string, string>;
}

/** Every Service (except ExternalName) and every ServiceEntry, with the DestinationRule that applies. */
export function destinationsFromObjects(objects: readonly KubeObject[], hints: NameHints = {}): Destination[] {
  const drs = objects.filter((o) => isIstio(o, 'DestinationRule'));
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind) && o.apiVersion.startsWith('apps/'));
  const out: Destination[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1')) {
    const s = spec(svc);
    if (s.type === 'ExternalName') continue;
    const namespace = nsOf(svc);
    const selected = workloads.filter((w) => nsOf(w) === namespace && selects(s.selector, spec(w).template?.metadata?.labels));
    const replicas = selected.reduce((a, w) => a + (pickInt(spec(w).replicas) ?? 1), 0);
    const fqdn = `${svc.metadata.name}.${namespace}.${CLUSTER_DOMAIN}`;
    const port = pickInt(s.ports?.[0]?.port);
    const hinted = hints.services?.get(`${namespace}/${svc.metadata.name}`);
    const name = hinted ?? (selected.length === 1 ? selected[0]!.metadata.name : svc.metadata.name);
    const td = trafficDistributionOf(svc);
    const topologyMode = svc.metadata.annotations?.['service.kubernetes.io/topology-mode'];
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
      policy: policyOf(destinationRuleFor(drs, [fqdn], namespace), port),
      ...(td ? { trafficDistribution: td } : {}),
      ...(topologyMode ? { topologyMode } : {}),
    });
  }
  for (const se of objects.filter((o) => isIstio(o, 'ServiceEntry'))) {
    const s = spec(se);
    const namespace = nsOf(se);
    const hosts: string[] = (s.hosts ?? []).map(String);
    const hinted = hosts.map((h) => hints.hosts?.get(h)).find((n) => n !== undefined);
    const name = hinted ?? se.metadata.name;
    const td = trafficDistributionOf(se);
    out.push({
      kind: 'external',
      name,
      aliases: [...new Set([se.metadata.name, ...hosts])].filter((a) => a !== name),
      namespace,
      hosts,
      serviceEntry: `${namespace}/${se.metadata.name}`,
      resolution: resolutionOf(se),
      endpoints: (Array.isArray(s.endpoints) ? s.endpoints : []).map((e: Any) => ({
        address: String(e?.address ?? ''),
        locality: String(e?.locality ?? ''),
        labels: { ...(e?.labels ?? {}) },
        network: String(e?.network ?? ''),
        weight: pickInt(e?.weight) ?? 1,
      })),
      annotations: { ...(se.metadata.annotations ?? {}) },
      policy: policyOf(destinationRuleFor(drs, hosts, namespace), pickInt(s.ports?.[0]?.number)),
      ...(td ? { trafficDistribution: td } : {}),
    });
  }
  return out;
}
