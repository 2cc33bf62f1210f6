import type { LocatedObject } from '../../k8s/manifest.js';
import { localityProblem } from '../../istio/index.js';
import { policyScopes, type Inventory } from '../inventory.js';
import { arr, at, rec, str, type Json } from '../json.js';
import { pointerSegment } from '../../yaml/source-map.js';
import type { Emit } from '../types.js';


/** Each distinct localityLbSetting of a DestinationRule (top level, ports, subsets), with its pointer. */
function localitySettings(dr: LocatedObject): { value: Json; pointer: string }[] {
  const seen = new Set<string>();
  const out: { value: Json; pointer: string }[] = [];
  for (const scope of policyScopes(dr)) {
    const lb = scope.loadBalancer;
    const value = rec(lb?.value.localityLbSetting);
    const pointer = `${lb?.pointer}/localityLbSetting`;
    if (!lb || !value || seen.has(pointer)) continue;
    seen.add(pointer);
    out.push({ value, pointer });
  }
  return out;
}

/** Splits `region/zone/subzone` (any part may be `*`); undefined parts are absent. */
function parts(locality: string): { region: string; zone?: string; subzone?: string } {
  const [region = '', zone, subzone] = locality.split('/');
  return { region, ...(zone !== undefined ? { zone } : {}), ...(subzone !== undefined ? { subzone } : {}) };
}

/** Zones the host's endpoints live in, when the cluster's zones are not known. */
function endpointZones(inv: Inventory, dr: LocatedObject): Set<string> {
  const zones = new Set<string>();
  for (const se of inv.targetsOf(dr).serviceEntries) {
    for (const ep of arr(at(se.object, 'spec', 'endpoints'))) {
      const zone = parts(str(at(ep, 'locality')) ?? '').zone;
      if (zone && zone !== '*') zones.add(zone);
    }
  }
  return zones;
}

/** ZNL008 and ZNL012 for DestinationRule localityLbSetting (zonal's own findings; Istio's verdicts are ZNL004). */
export function localitySettingRules(inv: Inventory, emit: Emit): void {
  for (const dr of inv.destinationRules) {
    for (const { value: s, pointer: p } of localitySettings(dr)) {
      const distribute = arr(s.distribute);

      // Istio's own rejections of a localityLbSetting (ZNL004) come from rules/istio-verdicts.ts.
      const coveredTo = new Set<string>();
      const coveredFrom = new Set<string>();
      distribute.forEach((d, i) => {
        const from = str(at(d, 'from')) ?? '';
        const to = rec(at(d, 'to')) ?? {};
        const base = `${p}/distribute/${i}`;
        for (const [loc, ptr] of [[from, `${base}/from`], ...Object.keys(to).map((k) => [k, `${base}/to/${pointerSegment(k)}`])] as [string, string][]) {
          if (localityProblem(loc)) continue; // Istio rejects it: ZNL004 (the Istio core's rule)
          const { region, zone } = parts(loc);
          if (inv.region && region !== '*' && region !== inv.region) {
            emit({ code: 'ZNL012', target: dr, pointer: ptr, message: `distribute locality "${loc}" is not in the cluster region ${inv.region}: no caller or endpoint ever matches it (use "${inv.region}/<zone>/*")` });
          } else if (inv.zones.size > 0 && zone && zone !== '*' && !inv.zones.has(zone)) {
            emit({ code: 'ZNL012', target: dr, pointer: ptr, message: `distribute locality "${loc}" names zone "${zone}", which is not a cluster zone (${[...inv.zones].join(', ')}): it never matches` });
          }
        }
        for (const loc of Object.keys(to)) coveredTo.add(parts(loc).zone ?? '*');
        coveredFrom.add(parts(from).zone ?? '*');
      });

      if (distribute.length > 0) {
        const zones = inv.zones.size > 0 ? inv.zones : endpointZones(inv, dr);
        const noTraffic = coveredTo.has('*') ? [] : [...zones].filter((z) => !coveredTo.has(z));
        if (noTraffic.length > 0) {
          emit({
            code: 'ZNL008', target: dr, pointer: `${p}/distribute`,
            message: `distribute sends no traffic to zone(s) ${noTraffic.join(', ')}: Istio drops every locality a distribute rule does not list, ` +
              'so endpoints there get nothing and cannot be failed over to (list every zone in each "to" map, or use failover instead)',
          });
        }
        const unmatched = coveredFrom.has('*') ? [] : [...zones].filter((z) => !coveredFrom.has(z));
        if (unmatched.length > 0) {
          emit({
            code: 'ZNL008', target: dr, pointer: `${p}/distribute`,
            message: `no distribute.from matches callers in zone(s) ${unmatched.join(', ')}: their traffic is not weighted and spreads over every zone ` +
              '(add a distribute entry from each zone)',
          });
        }
      }
    }
  }
}
