import { validateIstioObject, type IstioRuleFamily } from '../../istio/index.js';
import type { Inventory } from '../inventory.js';
import type { Emit } from '../types.js';

/**
 * One lint code per rule family of Istio's own validation (webhook + CRD schema). Each finding
 * carries `istio: 'rejects'` (Istio refuses the object) or `istio: 'warns'` (Istio admits it
 * with a warning). The fix zonal suggests follows the family.
 */
export const FAMILY_CODES: Readonly<Record<IstioRuleFamily, { code: string; fix: string }>> = {
  'locality-lb': { code: 'ZNL004', fix: 'use either distribute (weights summing to 100 per from, localities without overlap) or failover between two regions, with outlierDetection' },
  'se-resolution': { code: 'ZNL009', fix: 'match endpoints, hosts and ports to the resolution: NONE without endpoints, DNS_ROUND_ROBIN with at most one, DYNAMIC_DNS with wildcard hosts and HTTP/TLS ports' },
  host: { code: 'ZNL030', fix: 'write the host as a DNS name, a Service FQDN or a leading-wildcard name such as *.example.com' },
  'export-to': { code: 'ZNL031', fix: 'list ".", "*" or namespace names in exportTo, each once, and "*" or "~" alone' },
  'workload-selector': { code: 'ZNL032', fix: 'give workloadSelector concrete labels without "*"' },
  subsets: { code: 'ZNL033', fix: 'give every subset a unique DNS-1123 name and valid labels' },
  'traffic-policy': { code: 'ZNL034', fix: 'set at least one field in each trafficPolicy and portLevelSettings entry, and give each port entry a port' },
  'outlier-detection': { code: 'ZNL035', fix: 'use durations of at least 1ms in whole milliseconds, percentages in 0..100, and splitExternalLocalOriginErrors: true with consecutiveLocalOriginFailures' },
  'connection-pool': { code: 'ZNL036', fix: 'use non-negative limits and durations of at least 1ms' },
  'load-balancer': { code: 'ZNL037', fix: 'name the hash cookie, use a prime maglev tableSize below 5000011 and a warmup duration' },
  'zone-aware-lb': { code: 'ZNL038', fix: 'use zoneAwareLbSetting alone (not with localityLbSetting), failover between regions only, no topology labels in failoverPriority' },
  'se-hosts': { code: 'ZNL039', fix: 'use DNS host names (a leading "*." wildcard at most), and HTTP or TLS ports when a ServiceEntry has several hosts' },
  'se-addresses': { code: 'ZNL040', fix: 'list IP addresses or CIDR blocks; CIDRs only with resolution NONE or STATIC' },
  'se-ports': { code: 'ZNL041', fix: 'give every port a unique DNS-1123 name and number in 1..65535 and a protocol Istio knows (or none, for sniffing)' },
  'se-endpoints': { code: 'ZNL042', fix: 'give every endpoint an address (IP for STATIC), valid labels and ports named after ServiceEntry ports' },
  'workload-entry': { code: 'ZNL043', fix: 'give the WorkloadEntry an IP or DNS address, valid labels and named ports in 1..65535' },
  metadata: { code: 'ZNL044', fix: 'remove the annotation' },
  schema: { code: 'ZNL045', fix: 'remove the field or select an Istio version whose CRD has it (--istio-version / mesh.istioVersion)' },
};

/** ZNL004, ZNL009, ZNL030-ZNL045: what Istio's webhook and CRD schema say about each Istio object. */
export function istioVerdicts(inv: Inventory, emit: Emit): void {
  for (const o of inv.objects) {
    for (const issue of validateIstioObject(o.object, inv.behaviour)) {
      // consecutiveErrors has its own rule (ZNL002), which carries Istio's warning.
      if (issue.family === 'outlier-detection' && issue.pointer.endsWith('/consecutiveErrors')) continue;
      const { code, fix } = FAMILY_CODES[issue.family];
      const verdict = issue.level === 'error' ? 'Istio rejects this object' : 'Istio accepts it with a warning';
      emit({
        code, target: o, pointer: issue.pointer,
        severity: issue.level === 'error' ? 'error' : 'warning',
        istio: issue.level === 'error' ? 'rejects' : 'warns',
        message: `${issue.message}: ${verdict} (${fix})`,
      });
    }
  }
}
