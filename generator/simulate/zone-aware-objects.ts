/** Reads `trafficPolicy.loadBalancer.zoneAwareLbSetting` from a DestinationRule's load balancer block. */
import type { ZoneAwareLbSetting } from '../istio/loadbalancer.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** `{ zoneAwareLbSetting }` when the block has one (as a spread), else `{}`. */
export function zoneAwareSettingOf(lb: Any): { zoneAwareLbSetting?: ZoneAwareLbSetting } {
  const z: Any = lb?.zoneAwareLbSetting;
  if (!z || typeof z !== 'object' || Array.isArray(z)) return {};
  const min = z.minClusterSize;
  return {
    zoneAwareLbSetting: {
      ...(typeof z.enabled === 'boolean' ? { enabled: z.enabled } : {}),
      ...(typeof min === 'number' && Number.isInteger(min) && min >= 0 ? { minClusterSize: min } : {}),
      ...(Array.isArray(z.failover) ? { failover: z.failover.map((f: Any) => ({ from: String(f?.from ?? ''), to: String(f?.to ?? '') })) } : {}),
      ...(Array.isArray(z.failoverPriority) ? { failoverPriority: z.failoverPriority.map(String) } : {}),
    },
  };
}
