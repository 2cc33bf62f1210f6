import { minimumEjectionPercent } from '../../model/types.js';
import { activeLocality, policyScopes, type Inventory, type PolicyScope } from '../inventory.js';
import { arr, num, rec } from '../json.js';
import type { Emit } from '../types.js';
import { ENVOY_DEFAULT_MAX_EJECTION_PERCENT } from '../../well-known.js';
import { hasInlineEndpoints } from '../../istio/index.js';

/** Envoy's default `max_ejection_percent`; Istio leaves it unset unless the DestinationRule sets a value > 0. */

const OUTLIER_FIX = 'add trafficPolicy.outlierDetection with consecutive5xxErrors, interval, baseEjectionTime and maxEjectionPercent';

function scopeNote(scope: PolicyScope): string {
  return scope.where === 'trafficPolicy' ? '' : ` (${scope.where})`;
}

function distributes(locality: Record<string, unknown>): boolean {
  return arr(locality.distribute).length > 0;
}

/** Unique outlierDetection blocks of a DestinationRule with the scope that first uses them. */
function outlierBlocks(scopes: readonly PolicyScope[]): PolicyScope[] {
  const seen = new Set<string>();
  return scopes.filter((s) => {
    const p = s.outlierDetection?.pointer;
    if (!p || seen.has(p)) return false;
    seen.add(p);
    return true;
  });
}

/** ZNL001: locality failover configured where Istio will never assign failover priorities. */
export function failoverWithoutOutlierDetection(inv: Inventory, emit: Emit): void {
  // From Istio 1.31 every cluster whose policy leaves outlierDetection unset inherits the mesh
  // defaultTrafficPolicy's (the Istio core's trafficPolicyFor), but istiod's endpoint (EDS) builder
  // reads the DestinationRule's own policy: the inherited one turns failover on only for clusters
  // with inline endpoints (DNS ServiceEntries). verify:istio case mesh-outlier-default-*.
  const meshOutlier = inv.behaviour.meshDefaultTrafficPolicy && rec(inv.mesh.mesh.defaultTrafficPolicy?.outlierDetection) !== undefined;
  const coveredByMesh = (dr: (typeof inv.destinationRules)[number]): boolean => {
    if (!meshOutlier) return false;
    const t = inv.targetsOf(dr);
    const targets = [...t.services, ...t.serviceEntries];
    return targets.length > 0 && targets.every((x) => hasInlineEndpoints(x.object));
  };
  const meshNote = meshOutlier ? '; the mesh defaultTrafficPolicy\'s outlierDetection reaches the cluster, but istiod\'s endpoint builder reads only the DestinationRule\'s own' : '';
  for (const dr of inv.destinationRules) {
    if (coveredByMesh(dr)) continue;
    for (const scope of policyScopes(dr)) {
      const locality = activeLocality(scope);
      if (!locality || distributes(locality.value) || scope.outlierDetection) continue;
      emit({
        code: 'ZNL001', target: dr, pointer: locality.pointer,
        message: `localityLbSetting without outlierDetection${scopeNote(scope)}: Istio assigns failover priorities only when outlierDetection is set${meshNote}, ` +
          `so every zone gets the same priority and traffic spreads across zones (${OUTLIER_FIX})`,
      });
    }
  }

  // A mesh-wide localityLbSetting (mesh config in the input) is subject to the same condition per host.
  const mesh = inv.meshLocality;
  if (!mesh || mesh.enabled === false || distributes(mesh)) return;
  const targeted = new Set<unknown>();
  for (const dr of inv.destinationRules) {
    const t = inv.targetsOf(dr);
    [...t.services, ...t.serviceEntries].forEach((o) => targeted.add(o));
    const scopes = policyScopes(dr);
    const top = scopes[0]!;
    if (!top.outlierDetection && !activeLocality(top)) {
      emit({
        code: 'ZNL001', target: dr, pointer: '/spec/host',
        message: 'the mesh-wide localityLbSetting relies on failover, but this DestinationRule has no outlierDetection: ' +
          `Istio assigns no failover priorities for its host, so traffic spreads across zones (${OUTLIER_FIX})`,
      });
    }
  }
  // Hosts with a DestinationRule were judged above; hosts without one get nothing from the mesh setting.
  for (const o of [...inv.services, ...inv.serviceEntries]) {
    if (targeted.has(o)) continue;
    emit({
      code: 'ZNL001', severity: 'warning', target: o, pointer: '',
      message: `the mesh-wide localityLbSetting does nothing for ${o.object.kind} ${o.object.metadata.name}: no DestinationRule with outlierDetection ` +
        `targets it, so Istio assigns no failover priorities and traffic spreads across zones (add a DestinationRule with outlierDetection for its host)`,
    });
  }
}

const TOP_LEVEL_OUTLIER = '/spec/trafficPolicy/outlierDetection';

/** ZNL002: `consecutiveErrors` (deprecated) is dropped by istiod. */
export function consecutiveErrors(inv: Inventory, emit: Emit): void {
  for (const dr of inv.destinationRules) {
    for (const scope of outlierBlocks(policyScopes(dr))) {
      const od = scope.outlierDetection!;
      if (od.value.consecutiveErrors === undefined) continue;
      const replacement = od.value.consecutive5xxErrors !== undefined || od.value.consecutiveGatewayErrors !== undefined;
      emit({
        // Istio's webhook warns about it unless it is 0 (the proto default, indistinguishable from unset),
        // and only at the top level: warnings from portLevelSettings and subsets are dropped by the webhook.
        code: 'ZNL002', ...(od.value.consecutiveErrors !== 0 && od.pointer === TOP_LEVEL_OUTLIER ? { istio: 'warns' as const } : {}), target: dr, pointer: `${od.pointer}/consecutiveErrors`,
        message: `outlierDetection.consecutiveErrors is deprecated and ignored by istiod` +
          (replacement ? '' : `, so Envoy's default of 5 consecutive errors applies instead of ${String(od.value.consecutiveErrors)}`) +
          ` (replace it with consecutive5xxErrors, which also counts TCP connect failures, or consecutiveGatewayErrors)`,
      });
    }
  }
}

/** ZNL003: maxEjectionPercent that cannot eject a single endpoint of the pool. */
export function maxEjectionPercent(inv: Inventory, emit: Emit): void {
  for (const dr of inv.destinationRules) {
    const pool = inv.poolSize(dr);
    for (const scope of outlierBlocks(policyScopes(dr))) {
      const od = scope.outlierDetection!;
      const set = num(od.value.maxEjectionPercent);
      const effective = set !== undefined && set > 0 ? set : ENVOY_DEFAULT_MAX_EJECTION_PERCENT;
      const pointer = set !== undefined ? `${od.pointer}/maxEjectionPercent` : od.pointer;
      const source = set !== undefined && set > 0 ? `maxEjectionPercent ${set}` : `maxEjectionPercent unset (Envoy's default ${ENVOY_DEFAULT_MAX_EJECTION_PERCENT}%)`;
      if (pool === undefined) {
        if (set === undefined || set <= 0) {
          emit({
            code: 'ZNL003', severity: 'warning', target: dr, pointer,
            message: `${source}${scopeNote(scope)}: Envoy enforces it strictly since 1.28, so a pool of fewer than 10 endpoints never ejects one ` +
              'and never fails over (set maxEjectionPercent to ceil(100 / endpoints), or 100)',
          });
        }
        continue;
      }
      if (pool < 2) continue;
      const needed = minimumEjectionPercent(pool);
      const onePct = Math.round((1000 / pool)) / 10;
      if (effective >= needed) continue;
      // Locality failover is on unless switched off or replaced by `distribute` (the mesh default enables it).
      const setting = rec(scope.loadBalancer?.value.localityLbSetting);
      const failover = setting?.enabled !== false && arr(setting?.distribute).length === 0;
      emit({
        code: 'ZNL003', severity: failover ? 'error' : 'warning', target: dr, pointer,
        message: `${source}${scopeNote(scope)} cannot eject one of ${pool} endpoints (one is ${onePct}%): Envoy enforces the limit strictly since 1.28, ` +
          `so no endpoint is ever ejected${failover ? ' and traffic never fails over to another zone' : ''} (set maxEjectionPercent: ${needed}, or 100)`,
      });
    }
  }
}
