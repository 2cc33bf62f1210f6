import type { LocatedObject } from '../../k8s/manifest.js';
import { policyScopes, type Inventory } from '../inventory.js';
import { arr, at, num, rec, str, type Json } from '../json.js';
import { pointerSegment } from '../../yaml/source-map.js';
import type { Emit } from '../types.js';

const TOPOLOGY_LABELS = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone']);

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

/** Istio's validateLocalities: at most three non-empty segments, `*` only as the last one. */
function malformedPattern(locality: string): string | undefined {
  const segs = locality.split('/');
  if (segs.length > 3) return 'has more than three segments (region/zone/subzone)';
  if (segs.some((s) => s === '')) return 'has an empty segment';
  const star = segs.findIndex((s) => s.includes('*'));
  if (star >= 0 && (segs[star] !== '*' || star !== segs.length - 1)) return "uses '*' other than as the whole last segment";
  return undefined;
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

/** ZNL004-ZNL008 and the locality-pattern parts of ZNL011/ZNL012 for DestinationRule localityLbSetting. */
export function localitySettingRules(inv: Inventory, emit: Emit): void {
  for (const dr of inv.destinationRules) {
    for (const { value: s, pointer: p } of localitySettings(dr)) {
      const distribute = arr(s.distribute);
      const failover = arr(s.failover);
      const failoverPriority = arr(s.failoverPriority);

      if (distribute.length > 0 && failover.length > 0) {
        emit({
          code: 'ZNL004', target: dr, pointer: `${p}/failover`,
          message: "localityLbSetting sets both distribute and failover: istiod rejects it (\"can not simultaneously specify 'distribute' and 'failover'\") " +
            '(keep distribute for fixed weights, or failover with outlierDetection for zone-local preference)',
        });
      }

      if (failover.length > 0) {
        failoverPriority.forEach((label, i) => {
          const key = String(label).replace(/^!/, '').split('=')[0]!;
          if (!TOPOLOGY_LABELS.has(key)) return;
          emit({
            code: 'ZNL005', target: dr, pointer: `${p}/failoverPriority/${i}`,
            message: `failoverPriority lists the topology label "${key}" while failover is set: istiod rejects the combination ` +
              '(failover already orders region/zone/subzone; remove the topology labels from failoverPriority or drop failover)',
          });
        });
      }

      failover.forEach((f, i) => {
        const from = str(at(f, 'from'));
        const to = str(at(f, 'to'));
        if (from !== undefined && from === to) {
          emit({
            code: 'ZNL007', target: dr, pointer: `${p}/failover/${i}`,
            message: `failover from and to are both "${from}": istiod rejects it (failover must name two different regions; ` +
              'zone-to-zone failover inside a region needs no failover entry)',
          });
        } else if (to?.includes('*')) {
          emit({
            code: 'ZNL007', target: dr, pointer: `${p}/failover/${i}/to`,
            message: `failover to "${to}" contains '*': istiod rejects wildcards in failover.to (name one region)`,
          });
        }
      });

      const coveredTo = new Set<string>();
      const coveredFrom = new Set<string>();
      distribute.forEach((d, i) => {
        const from = str(at(d, 'from')) ?? '';
        const to = rec(at(d, 'to')) ?? {};
        const base = `${p}/distribute/${i}`;
        let sum = 0;
        let weightsOk = true;
        for (const [loc, raw] of Object.entries(to)) {
          const w = num(raw);
          if (w === undefined || !Number.isInteger(w) || w < 1 || w > 100) {
            weightsOk = false;
            emit({
              code: 'ZNL006', target: dr, pointer: `${base}/to/${pointerSegment(loc)}`,
              message: `distribute weight ${String(raw)} for "${loc}" is outside 1..100: istiod rejects it ("locality weight must be in range [1, 100]") (use a whole number from 1 to 100)`,
            });
          } else sum += w;
        }
        if (weightsOk && sum !== 100) {
          emit({
            code: 'ZNL006', target: dr, pointer: `${base}/to`,
            message: `distribute weights from "${from}" sum to ${sum}: istiod rejects it ("total locality weight ${sum} != 100") (make them sum to 100)`,
          });
        }
        for (const [loc, ptr] of [[from, `${base}/from`], ...Object.keys(to).map((k) => [k, `${base}/to/${pointerSegment(k)}`])] as [string, string][]) {
          const bad = malformedPattern(loc);
          if (bad) {
            emit({ code: 'ZNL011', target: dr, pointer: ptr, message: `distribute locality "${loc}" ${bad}: istiod rejects it (write region/zone/* or region/*)` });
            continue;
          }
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
