/**
 * Istio localities (`region/zone/subzone`) and the two comparisons istiod makes on them, ported from
 * pilot/pkg/networking/util (LbPriority, LocalityMatch, SplitLocality).
 */
export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subzone: string;
}

/** `region/zone/subzone` -> parts; a fourth and later segment stays part of the subzone. */
const parsed = new Map<string, Locality>();

export function parseLocality(label: string): Locality {
  // A cluster has a handful of localities, parsed once per endpoint and caller: keep the results.
  const known = parsed.get(label);
  if (known) return known;
  const items = label.split('/');
  const l: Locality = Object.freeze({ region: items[0] ?? '', zone: items[1] ?? '', subzone: items.slice(2).join('/') });
  if (parsed.size < 10_000) parsed.set(label, l);
  return l;
}

/** The label istiod uses as the EDS grouping key (empty parts are dropped from the end). */
export function localityLabel(l: Locality): string {
  if (!l.region) return '';
  if (!l.zone) return l.region;
  return l.subzone ? `${l.region}/${l.zone}/${l.subzone}` : `${l.region}/${l.zone}`;
}

/** Istio's locality priority: 0 region/zone/subzone match, 1 region+zone, 2 region, 3 nothing. */
export function lbPriority(proxy: Locality, endpoint: Locality): 0 | 1 | 2 | 3 {
  if (proxy.region !== endpoint.region) return 3;
  if (proxy.zone !== endpoint.zone) return 2;
  return proxy.subzone === endpoint.subzone ? 0 : 1;
}

/**
 * Does `locality` fall under a rule locality such as `us-west-2/*` or `us-west-2/us-west-2a`?
 * A missing zone/subzone in the rule matches anything, `*` matches anything; a missing region does not.
 */
export function localityMatch(locality: Locality, rule: string): boolean {
  const r = parseLocality(rule);
  const regionMatch = r.region === '*' || locality.region === r.region;
  const zoneMatch = r.zone === '*' || r.zone === '' || locality.zone === r.zone;
  const subzoneMatch = r.subzone === '*' || r.subzone === '' || locality.subzone === r.subzone;
  return regionMatch && zoneMatch && subzoneMatch;
}
