/**
 * How istiod turns a ServiceEntry into an Envoy cluster: the cluster type its resolution gives, and
 * the endpoints the cluster gets (a DNS entry without endpoints or workload selector resolves its
 * first host, with no locality).
 */
import type { KubeObject } from '../k8s/manifest.js';

/** The Envoy cluster discovery type of a service: EDS (Services, STATIC), STRICT_DNS (DNS), LOGICAL_DNS (DNS_ROUND_ROBIN), ORIGINAL_DST (NONE). */
export type Resolution = 'EDS' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'ORIGINAL_DST';

export interface ServiceEntryEndpoint {
  readonly address: string;
  /** `region/zone[/subzone]`, "" when the endpoint has none. */
  readonly locality: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly network: string;
  readonly weight: number;
}

type Json = Record<string, unknown>;

function rec(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/** The cluster type istiod builds for a ServiceEntry's resolution (unset is NONE). */
export function clusterTypeOf(se: KubeObject): Resolution {
  switch (rec(se.spec)?.resolution) {
    case 'DNS': return 'STRICT_DNS';
    case 'DNS_ROUND_ROBIN': return 'LOGICAL_DNS';
    case 'STATIC': return 'EDS';
    default: return 'ORIGINAL_DST';
  }
}

/**
 * Whether the cluster of a Service / ServiceEntry carries its endpoints inline (DNS resolutions):
 * istiod then assigns their priorities with the cluster, from its policy with the mesh
 * defaultTrafficPolicy merged in; EDS clusters get them from the endpoint builder, which reads
 * the DestinationRule's own policy only.
 */
export function hasInlineEndpoints(o: KubeObject): boolean {
  if (o.kind !== 'ServiceEntry') return false;
  const t = clusterTypeOf(o);
  return t === 'STRICT_DNS' || t === 'LOGICAL_DNS';
}

function pickInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * The endpoints of a ServiceEntry's cluster: those listed, or, for a DNS / DNS_ROUND_ROBIN entry
 * without endpoints and without a workload selector, one endpoint per host from istiod: the first
 * host itself, with no locality.
 */
export function serviceEntryEndpoints(se: KubeObject): ServiceEntryEndpoint[] {
  const s = rec(se.spec) ?? {};
  const hosts = Array.isArray(s.hosts) ? s.hosts.map(String) : [];
  const listed = Array.isArray(s.endpoints) ? s.endpoints : [];
  if (listed.length === 0 && (s.resolution === 'DNS' || s.resolution === 'DNS_ROUND_ROBIN') && !s.workloadSelector && hosts[0]) {
    return [{ address: hosts[0], locality: '', labels: {}, network: '', weight: 1 }];
  }
  return listed.map((raw) => {
    const e = rec(raw) ?? {};
    return {
      address: String(e.address ?? ''),
      locality: String(e.locality ?? ''),
      labels: Object.fromEntries(Object.entries(rec(e.labels) ?? {}).map(([k, v]) => [k, String(v)])),
      network: String(e.network ?? ''),
      // istiod gives an endpoint without a weight, or with weight 0, the weight 1.
      weight: pickInt(e.weight) || 1,
    };
  });
}
