/**
 * The pods' `proxy.istio.io/config` annotation: DNS capture (mesh.dnsCapture) and, when any
 * service or external host routes zone-aware, ISTIO_META_ENABLE_SELF_DISCOVERY, which gives the
 * sidecar its own `local_cluster` (the calling workload's pods per zone) that Envoy's zone-aware
 * routing compares the upstream against. Without it Envoy never routes zone-aware.
 */
import type { TopologyRouting } from '../model/types.js';
import { PROXY_CONFIG_ANNOTATION, SELF_DISCOVERY_METADATA } from '../well-known.js';

export { PROXY_CONFIG_ANNOTATION, SELF_DISCOVERY_METADATA };
/**
 * Sidecar DNS capture: the sidecar answers DNS for ServiceEntry hosts with the addresses istiod
 * auto-allocates (PILOT_ENABLE_IP_AUTOALLOCATE, default since Istio 1.25), so TCP ServiceEntries
 * without `addresses` get their own listener instead of sharing 0.0.0.0:<port>. The agent-side
 * ISTIO_META_DNS_AUTO_ALLOCATE is deprecated and not set.
 */
export const DNS_CAPTURE_METADATA = 'ISTIO_META_DNS_CAPTURE';

const zoneAwareModels = new WeakMap<TopologyRouting, boolean>();

/**
 * Some service or external host of the model uses routing.mode zone-aware. Asked for every pod
 * template, so the answer is kept per model (scanning every service per service was quadratic:
 * a third of a second at 5,000 services).
 */
export function usesZoneAware(model: TopologyRouting): boolean {
  let uses = zoneAwareModels.get(model);
  if (uses === undefined) {
    uses = model.services.some((s) => s.routing.mode === 'zone-aware') || model.externalHosts.some((h) => h.routing.mode === 'zone-aware');
    zoneAwareModels.set(model, uses);
  }
  return uses;
}

/** The annotation's ProxyConfig YAML, or undefined when the pods need none. */
export function proxyConfigYaml(model: TopologyRouting): string | undefined {
  const keys = [
    ...(model.mesh.dnsCapture ? [DNS_CAPTURE_METADATA] : []),
    ...(usesZoneAware(model) ? [SELF_DISCOVERY_METADATA] : []),
  ];
  if (keys.length === 0) return undefined;
  return `proxyMetadata:\n${keys.map((k) => `  ${k}: "true"\n`).join('')}`;
}
