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
  { code: 'ZNL004', severity: 'error', title: 'localityLbSetting with both distribute and failover' },
  { code: 'ZNL005', severity: 'error', title: 'failover combined with topology labels in failoverPriority' },
  { code: 'ZNL006', severity: 'error', title: 'distribute weights outside 1..100 or not summing to 100' },
  { code: 'ZNL007', severity: 'error', title: 'failover from equals to (or to is a wildcard)' },
  { code: 'ZNL008', severity: 'warning', title: 'distribute omits zones' },
  { code: 'ZNL009', severity: 'error', title: 'DNS_ROUND_ROBIN ServiceEntry with more than one endpoint' },
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
];

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function ruleInfo(code: string): RuleInfo {
  const rule = BY_CODE.get(code);
  if (!rule) throw new Error(`unknown lint rule ${code}`);
  return rule;
}
