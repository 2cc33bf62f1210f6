import type { Severity } from './types.js';

/** One lint rule as users see it: its stable code, usual severity and a one-line title. */
export interface RuleInfo {
  readonly code: string;
  /** The usual severity; a few rules raise or lower it case by case (docs/lint-rules.md says when). */
  readonly severity: Severity;
  readonly title: string;
}

/**
 * Every rule, by code. Codes are stable: never renumber or reuse one; retire a rule by leaving its
 * code out of use. docs/lint-rules.md documents each of them (a test checks that).
 */
export const RULES: readonly RuleInfo[] = [
  { code: 'ZNL001', severity: 'error', title: 'locality failover without outlierDetection' },
  { code: 'ZNL002', severity: 'warning', title: 'outlierDetection.consecutiveErrors is ignored' },
  { code: 'ZNL003', severity: 'error', title: 'maxEjectionPercent missing or too low for the endpoint pool' },
  { code: 'ZNL004', severity: 'error', title: 'Istio rejects (or warns about) the localityLbSetting' },
  // ZNL005-ZNL007 are retired: their checks are part of ZNL004 (Istio's localityLbSetting family).
  { code: 'ZNL008', severity: 'warning', title: 'distribute omits zones' },
  { code: 'ZNL009', severity: 'error', title: "Istio rejects the ServiceEntry's endpoints, hosts or ports for its resolution" },
  { code: 'ZNL010', severity: 'warning', title: 'ServiceEntry endpoint without locality' },
  { code: 'ZNL011', severity: 'error', title: 'locality not shaped region/zone[/subzone]' },
  { code: 'ZNL012', severity: 'error', title: 'locality outside the cluster region or zones' },
  { code: 'ZNL013', severity: 'warning', title: 'failoverPriority or traffic-distribution on a DNS ServiceEntry' },
  { code: 'ZNL014', severity: 'warning', title: 'TCP ServiceEntry without addresses' },
  { code: 'ZNL015', severity: 'error', title: 'TCP ServiceEntries without addresses share a port' },
  { code: 'ZNL016', severity: 'info', title: 'ServiceEntry port differs from the endpoint target port' },
  { code: 'ZNL017', severity: 'warning', title: 'DestinationRule host matches no Service or ServiceEntry' },
  { code: 'ZNL018', severity: 'error', title: 'two objects of the same kind, name and namespace' },
  { code: 'ZNL019', severity: 'warning', title: 'lower-case or unknown protocol name' },
  { code: 'ZNL020', severity: 'warning', title: 'deprecated networking.istio.io API version' },
  { code: 'ZNL021', severity: 'warning', title: 'namespace without sidecar injection holds routed workloads' },
  { code: 'ZNL022', severity: 'warning', title: 'zone-routed workload without zone topology spread' },
  { code: 'ZNL023', severity: 'warning', title: 'service.kubernetes.io/topology-mode on a mesh service' },
  { code: 'ZNL024', severity: 'info', title: 'zone pinning to an interface VPC endpoint saves no transfer cost' },
  { code: 'ZNL025', severity: 'error', title: 'spread constraint or PodDisruptionBudget selector matches no pod template' },
  { code: 'ZNL026', severity: 'error', title: 'Aurora writer endpoint routed to more than one instance or to a reader' },
  { code: 'ZNL027', severity: 'warning', title: 'Kafka bootstrap host localised without per-broker ServiceEntries' },
  { code: 'ZNL028', severity: 'warning', title: 'routed Service of another chart (workload: external) without declared zone spread' },
  { code: 'ZNL029', severity: 'warning', title: 'Service of another chart routed by trafficDistribution that chart does not set' },
  { code: 'ZNL030', severity: 'error', title: 'Istio rejects the DestinationRule host' },
  { code: 'ZNL031', severity: 'error', title: 'Istio rejects the exportTo list' },
  { code: 'ZNL032', severity: 'error', title: 'Istio rejects (or warns about) the workloadSelector' },
  { code: 'ZNL033', severity: 'error', title: 'Istio rejects a DestinationRule subset' },
  { code: 'ZNL034', severity: 'error', title: 'Istio rejects the trafficPolicy or a portLevelSettings entry' },
  { code: 'ZNL035', severity: 'error', title: 'Istio rejects the outlierDetection' },
  { code: 'ZNL036', severity: 'error', title: 'Istio rejects the connectionPool' },
  { code: 'ZNL037', severity: 'error', title: 'Istio rejects (or warns about) the loadBalancer hash or warmup' },
  { code: 'ZNL038', severity: 'error', title: 'Istio rejects (or warns about) the zoneAwareLbSetting' },
  { code: 'ZNL039', severity: 'error', title: 'Istio rejects (or warns about) the ServiceEntry hosts' },
  { code: 'ZNL040', severity: 'error', title: 'Istio rejects the ServiceEntry addresses' },
  { code: 'ZNL041', severity: 'error', title: 'Istio rejects (or warns about) the ServiceEntry ports' },
  { code: 'ZNL042', severity: 'error', title: 'Istio rejects (or warns about) a ServiceEntry endpoint' },
  { code: 'ZNL043', severity: 'error', title: 'Istio rejects (or warns about) the WorkloadEntry' },
  { code: 'ZNL044', severity: 'error', title: 'Istio rejects an annotation reserved to Istio' },
  { code: 'ZNL045', severity: 'error', title: "the Istio version's CRD schema rejects a field" },
  { code: 'ZNL046', severity: 'error', title: 'DestinationRule subset selects none of the host\'s endpoints (istioctl IST0173)' },
  { code: 'ZNL047', severity: 'warning', title: 'ServiceEntries give one host and port different protocols (istioctl IST0177)' },
  { code: 'ZNL048', severity: 'info', title: 'Service port without a protocol in appProtocol or its name (istioctl IST0118)' },
  { code: 'ZNL049', severity: 'warning', title: 'ExternalName Service port named tcp or without a known protocol (istioctl IST0150)' },
  { code: 'ZNL050', severity: 'warning', title: 'zone-aware routing with fewer endpoints than minClusterSize' },
  { code: 'ZNL051', severity: 'warning', title: 'zone-aware routing without proxy self-discovery' },
  { code: 'ZNL052', severity: 'warning', title: 'zone-aware routing with the upstream or the callers in one zone' },
  { code: 'ZNL053', severity: 'warning', title: 'zone-aware routing through a waypoint' },
  { code: 'ZNL060', severity: 'warning', title: 'DestinationRule traffic policy on a host reached through ztunnel only' },
  { code: 'ZNL061', severity: 'warning', title: 'waypoint with pods in fewer zones than its callers' },
  { code: 'ZNL062', severity: 'warning', title: 'external host relying on outlier-detection failover in ambient' },
  { code: 'ZNL063', severity: 'warning', title: 'sidecar and ambient namespaces side by side' },
];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleInfo(code: string): RuleInfo {
  const rule = BY_CODE.get(code);
  if (!rule) throw new Error(`unknown lint rule ${code}`);
  return rule;
}
