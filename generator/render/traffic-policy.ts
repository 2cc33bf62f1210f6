import type { LocalityPolicy, OutlierDetectionPolicy, TopologyRouting } from '../model/types.js';
import { minimumEjectionPercent } from '../model/types.js';
import { TPL } from './context.js';
import type { ValueSource } from './value-source.js';

/** localityLbSetting for a policy that is switched on. */
export function localityLbSetting(policy: LocalityPolicy): Record<string, unknown> {
  return {
    enabled: true,
    ...(policy.failover.length ? { failover: policy.failover.map((f) => ({ from: f.from, to: f.to })) } : {}),
    ...(policy.distribute.length ? { distribute: policy.distribute.map((d) => ({ from: d.from, to: { ...d.to } })) } : {}),
    ...(policy.failoverPriority.length ? { failoverPriority: [...policy.failoverPriority] } : {}),
  };
}

/** zoneAwareLbSetting for a policy of mode zone-aware that is switched on (Istio 1.31+). */
export function zoneAwareLbSetting(policy: LocalityPolicy): Record<string, unknown> {
  return {
    enabled: true,
    minClusterSize: policy.minClusterSize,
    ...(policy.failover.length ? { failover: policy.failover.map((f) => ({ from: f.from, to: f.to })) } : {}),
    ...(policy.failoverPriority.length ? { failoverPriority: [...policy.failoverPriority] } : {}),
  };
}

/**
 * The DestinationRule trafficPolicy that makes locality routing real: localityLbSetting plus
 * outlierDetection, without which istiod assigns no failover priorities at all.
 * `poolSize` is the endpoint count behind the host (replicas, or ServiceEntry endpoints), and
 * `poolExpr` its Go-template form, so maxEjectionPercent keeps allowing one ejection when the pool
 * is resized at deploy time (Envoy enforces the limit strictly since 1.28).
 */
export function trafficPolicy(
  v: ValueSource, model: TopologyRouting, policy: LocalityPolicy, od: OutlierDetectionPolicy, poolSize: number, poolExpr: string,
): Record<string, unknown> {
  const item = TPL.item;
  // Zone-aware routing uses the same deploy-time switch: off renders `enabled: false` (Envoy's
  // routing_enabled 0%), never a localityLbSetting next to it (Istio rejects both together).
  const loadBalancer = policy.mode === 'off'
    ? { localityLbSetting: { enabled: false } }
    : policy.mode === 'zone-aware'
      ? { zoneAwareLbSetting: v.when(TPL.locality, model.localityRouting, zoneAwareLbSetting(policy), { enabled: false }) }
      : { localityLbSetting: v.when(TPL.locality, model.localityRouting, localityLbSetting(policy), { enabled: false }) };
  return {
    loadBalancer,
    outlierDetection: {
      consecutive5xxErrors: v.scalar(`${item}.outlierDetection.consecutive5xxErrors`, od.consecutive5xxErrors),
      interval: v.scalar(`${item}.outlierDetection.interval`, od.interval),
      baseEjectionTime: v.scalar(`${item}.outlierDetection.baseEjectionTime`, od.baseEjectionTime),
      maxEjectionPercent: v.raw(
        () => ` {{ include "${model.name}.maxEjectionPercent" (list ${item}.outlierDetection.maxEjectionPercent ${poolExpr}) }}`,
        Math.max(od.maxEjectionPercent, minimumEjectionPercent(poolSize)),
      ),
      minHealthPercent: v.scalar(`${item}.outlierDetection.minHealthPercent`, od.minHealthPercent),
    },
  };
}
