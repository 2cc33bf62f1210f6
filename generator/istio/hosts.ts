/**
 * Istio host names: how istiod expands a DestinationRule host (ResolveShortnameToFQDN), how hosts
 * match (host.Name.Matches) and which of several wildcard rules is the most specific
 * (MostSpecificHostMatch). ServiceEntry hosts are taken exactly as written; only DestinationRule
 * (and VirtualService) hosts are expanded.
 */
import { ipFamily } from './ip.js';

export const CLUSTER_DOMAIN = 'cluster.local';

/** A name without a dot expands to `<name>.<namespace>.svc.cluster.local`; `*`, IPs and dotted names stay as written. */
export function resolveShortname(host: string, namespace: string): string {
  if (host === '' || host === '*' || host.includes('.') || ipFamily(host) !== 0) return host;
  return `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

export function isWildcarded(host: string): boolean {
  return host.startsWith('*');
}

/** host.Name.Matches: equal, or one is a wildcard whose suffix the other ends with (either side). */
export function hostsMatch(a: string, b: string): boolean {
  const aw = isWildcarded(a);
  const bw = isWildcarded(b);
  if (aw && bw) return a.length > b.length ? a.endsWith(b.slice(1)) : b.endsWith(a.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** host.MoreSpecific: a non-wildcard beats a wildcard; between two of a kind the longer wins. */
export function moreSpecific(a: string, b: string): boolean {
  const aw = isWildcarded(a);
  const bw = isWildcarded(b);
  if (aw && !bw) return false;
  if (!aw && bw) return true;
  return a.length > b.length;
}

/**
 * MostSpecificHostMatch over an index: the exact entry for `needle`, else the most specific wildcard
 * key whose suffix `needle` ends with. A wildcard needle matches only wildcard keys.
 */
export function mostSpecificMatch<V>(needle: string, specific: ReadonlyMap<string, V>, wildcard: ReadonlyMap<string, V>): V | undefined {
  if (isWildcarded(needle)) {
    const exact = wildcard.get(needle);
    if (exact !== undefined) return exact;
    return wildcardMatch(needle.slice(1), wildcard);
  }
  const exact = specific.get(needle);
  if (exact !== undefined) return exact;
  return wildcardMatch(needle, wildcard);
}

function wildcardMatch<V>(needle: string, wildcard: ReadonlyMap<string, V>): V | undefined {
  let best: string | undefined;
  for (const h of wildcard.keys()) {
    if (needle.endsWith(h.slice(1)) && (best === undefined || moreSpecific(h, best))) best = h;
  }
  return best === undefined ? undefined : wildcard.get(best);
}
