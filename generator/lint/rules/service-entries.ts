import type { LocatedObject } from '../../k8s/manifest.js';
import { pointerSegment } from '../../yaml/source-map.js';
import { activeLocality, namespaceOf, policyScopes, TRAFFIC_DISTRIBUTION_ANNOTATION, type Inventory } from '../inventory.js';
import { arr, at, num, rec, str } from '../json.js';
import type { Emit } from '../types.js';

const LOCALITY_SHAPE = /^[^/\s*]+\/[^/\s*]+(\/[^/\s*]+)?$/;
const VPCE = /(^|\.)vpce(-[a-z0-9]+)+[.-]|\.vpce\.amazonaws\.com$/;

function resolution(se: LocatedObject): string {
  return str(at(se.object, 'spec', 'resolution')) ?? 'NONE';
}

function endpoints(se: LocatedObject): unknown[] {
  return arr(at(se.object, 'spec', 'endpoints'));
}

/** ZNL009-ZNL012: endpoint localities and DNS_ROUND_ROBIN. */
export function endpointRules(inv: Inventory, emit: Emit): void {
  for (const se of inv.serviceEntries) {
    const eps = endpoints(se);
    // DNS_ROUND_ROBIN with several endpoints is Istio's own rejection: ZNL009 from rules/istio-verdicts.ts.
    eps.forEach((ep, j) => {
      const locality = str(at(ep, 'locality'));
      const pointer = `/spec/endpoints/${j}`;
      if (locality === undefined) {
        if (eps.length > 1) {
          emit({
            code: 'ZNL010', target: se, pointer,
            message: `endpoint ${str(at(ep, 'address')) ?? j} has no locality: no caller's zone ever matches it, so zone-local routing cannot prefer ` +
              'or avoid it (set locality: <region>/<zone>, as the node labels topology.kubernetes.io/region and /zone say)',
          });
        }
        return;
      }
      if (!LOCALITY_SHAPE.test(locality)) {
        const looksLikeZone = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(locality);
        const suggestion = looksLikeZone ? `${locality.slice(0, -1)}/${locality}` : '<region>/<zone>';
        emit({
          code: 'ZNL011', target: se, pointer: `${pointer}/locality`,
          message: `locality "${locality}" is not shaped region/zone[/subzone]: Istio splits it on "/", so ` +
            (locality.includes('/') ? 'it never equals a caller locality' : `"${locality}" is read as a region and no caller's zone matches it`) +
            ` (write "${suggestion}")`,
        });
        return;
      }
      const [region, zone] = locality.split('/') as [string, string];
      if (inv.region && region !== inv.region) {
        emit({
          code: 'ZNL012', target: se, pointer: `${pointer}/locality`,
          message: `locality "${locality}" is in region "${region}", but the cluster is in ${inv.region}: no caller is ever local to it (use "${inv.region}/<zone>")`,
        });
      } else if (inv.zones.size > 0 && !inv.zones.has(zone)) {
        emit({
          code: 'ZNL012', target: se, pointer: `${pointer}/locality`,
          message: `locality "${locality}" names zone "${zone}", which is not one of the cluster's zones (${[...inv.zones].join(', ')}): ` +
            'no caller is ever local to it (use the zone name from the node label topology.kubernetes.io/zone)',
        });
      }
    });
  }
}

/** The locality groups of the endpoints as istiod groups them: an endpoint without a locality forms the group "". */
function endpointLocalities(ses: readonly Parameters<typeof endpoints>[0][]): Set<string> {
  return new Set(ses.flatMap((se) => endpoints(se).map((ep) => str(at(ep, 'locality')) ?? '')));
}

/** ZNL013: failoverPriority / traffic-distribution on a DNS ServiceEntry. */
export function dnsFailoverPriority(inv: Inventory, outerEmit: Emit): void {
  // ServiceEntries already reported as crashing istiod (on themselves or through their DestinationRule).
  const reported = new Set<unknown>();
  const emit: Emit = (f) => {
    if (f.severity === 'error') {
      if (f.target.object.kind === 'ServiceEntry') reported.add(f.target.object);
      else inv.targetsOf(f.target).serviceEntries.forEach((se) => reported.add(se.object));
    }
    outerEmit(f);
  };
  dnsFailoverPriorityRules(inv, emit);
  // What the rules above do not name: a mesh-wide localityLbSetting or zoneAwareLbSetting whose
  // failoverPriority reaches the DNS cluster (the Istio core's istiodPanic, with Istio's precedence).
  if (!inv.behaviour.dnsMultiLocalityFailoverPriorityPanics) return;
  for (const se of inv.serviceEntries) {
    if (resolution(se) !== 'DNS' || reported.has(se.object)) continue;
    const host = arr(at(se.object, 'spec', 'hosts')).map(String)[0] ?? '';
    const port = num(at(se.object, 'spec', 'ports', 0, 'number'));
    const crash = inv.mesh.istiodPanic(se.object, inv.mesh.destinationRuleFor(host, namespaceOf(se)), port);
    if (!crash) continue;
    outerEmit({
      code: 'ZNL013', severity: 'error', target: se, pointer: '/spec/endpoints',
      message: `${crash}, taking the control plane down (give this host a DestinationRule whose localityLbSetting has no failoverPriority, ` +
        'or drop failoverPriority from the mesh config)',
    });
  }
}

function dnsFailoverPriorityRules(inv: Inventory, emit: Emit): void {
  const supported = inv.behaviour.dnsClusterFailoverPriority;
  const panics = inv.behaviour.dnsMultiLocalityFailoverPriorityPanics;
  for (const se of inv.serviceEntries) {
    if (resolution(se) !== 'DNS') continue;
    const annotation = se.object.metadata.annotations?.[TRAFFIC_DISTRIBUTION_ANNOTATION];
    const seLocalities = endpointLocalities([se]);
    const host = arr(at(se.object, 'spec', 'hosts')).map(String)[0] ?? '';
    const rule = inv.mesh.destinationRuleFor(host, namespaceOf(se));
    const port = num(at(se.object, 'spec', 'ports', 0, 'number'));
    const drSetting = rec(at(inv.mesh.trafficPolicyFor(rule, port), 'loadBalancer', 'localityLbSetting'));
    // A DestinationRule localityLbSetting outranks the annotation; then the DR rule below reports it.
    if (annotation !== undefined && !drSetting && supported && panics && inv.mesh.istiodPanic(se.object, rule, port)) {
      emit({
        code: 'ZNL013', severity: 'error', target: se, pointer: `/metadata/annotations/${pointerSegment(TRAFFIC_DISTRIBUTION_ANNOTATION)}`,
        message: `${TRAFFIC_DISTRIBUTION_ANNOTATION}: ${annotation} on a resolution: DNS ServiceEntry whose endpoints span ${seLocalities.size} localities: ` +
          `Istio ${inv.behaviour.minor} istiod panics building its cluster (istio/istio#61857), taking the control plane down ` +
          '(remove the annotation and use a DestinationRule with outlierDetection, which orders DNS endpoints by locality)',
      });
    } else if (annotation !== undefined && !supported) {
      emit({
        code: 'ZNL013', target: se, pointer: `/metadata/annotations/${pointerSegment(TRAFFIC_DISTRIBUTION_ANNOTATION)}`,
        message: `${TRAFFIC_DISTRIBUTION_ANNOTATION}: ${annotation} on a resolution: DNS ServiceEntry is a no-op before Istio 1.30 (DNS clusters got ` +
          'failover priorities only in 1.30) (use a DestinationRule with outlierDetection, which orders DNS endpoints by locality on every version)',
      });
    }
  }
  for (const dr of inv.destinationRules) {
    const dnsTargets = inv.targetsOf(dr).serviceEntries.filter((se) => resolution(se) === 'DNS');
    if (dnsTargets.length === 0) continue;
    const localities = endpointLocalities(dnsTargets);
    const seen = new Set<string>();
    for (const scope of policyScopes(dr)) {
      const zoneAware = inv.behaviour.zoneAwareLbSetting ? rec(scope.loadBalancer?.value.zoneAwareLbSetting) : undefined;
      if (zoneAware && scope.loadBalancer && !seen.has(scope.loadBalancer.pointer)) {
        seen.add(scope.loadBalancer.pointer);
        // Zone-aware routing applies its failoverPriority whenever it is enabled (no outlierDetection needed).
        if (zoneAware.enabled !== false && arr(zoneAware.failoverPriority).length > 0 && localities.size > 1 && panics) {
          emit({
            code: 'ZNL013', severity: 'error', target: dr, pointer: `${scope.loadBalancer.pointer}/zoneAwareLbSetting/failoverPriority`,
            message: `zoneAwareLbSetting.failoverPriority on a resolution: DNS ServiceEntry whose endpoints span ${localities.size} localities: ` +
              `Istio ${inv.behaviour.minor} istiod panics building its clusters (istio/istio#61857), taking the control plane down ` +
              '(remove failoverPriority; zone-aware routing already balances the zones of the proxy\'s region)',
          });
        }
      }
      const locality = activeLocality(scope);
      const priorities = arr(locality?.value.failoverPriority);
      if (!locality || priorities.length === 0 || seen.has(locality.pointer)) continue;
      seen.add(locality.pointer);
      const failoverPath = !!scope.outlierDetection || arr(locality.value.failover).length > 0;
      const pointer = `${locality.pointer}/failoverPriority`;
      if (failoverPath && localities.size > 1 && panics) {
        emit({
          code: 'ZNL013', severity: 'error', target: dr, pointer,
          message: `failoverPriority on a resolution: DNS ServiceEntry whose endpoints span ${localities.size} localities: ` +
            `Istio ${inv.behaviour.minor} istiod panics building its clusters (istio/istio#61857), taking the control plane down ` +
            '(remove failoverPriority; locality order plus outlierDetection already prefers the caller\'s zone)',
        });
      } else if (!supported) {
        emit({
          code: 'ZNL013', target: dr, pointer,
          message: 'failoverPriority on a resolution: DNS ServiceEntry is a no-op before Istio 1.30 (DNS clusters got failover priorities only in 1.30) ' +
            '(remove it; locality order plus outlierDetection already prefers the caller\'s zone)',
        });
      }
    }
  }
}

/** ZNL016: callers must dial the ServiceEntry port, not the endpoint's target port. */
export function targetPorts(inv: Inventory, emit: Emit): void {
  for (const se of inv.serviceEntries) {
    arr(at(se.object, 'spec', 'ports')).forEach((port, i) => {
      const number = num(at(port, 'number'));
      const name = str(at(port, 'name'));
      if (number === undefined) return;
      const report = (target: number, pointer: string) => emit({
        code: 'ZNL016', target: se, pointer,
        message: `ServiceEntry port ${number} forwards to target port ${target}: callers must dial port ${number}; connections to port ${target} ` +
          `bypass this ServiceEntry through the passthrough cluster (no locality routing, no outlier detection) (make clients use ${number}, or set both to ${target})`,
      });
      const targetPort = num(at(port, 'targetPort'));
      if (targetPort !== undefined && targetPort !== number) {
        report(targetPort, `/spec/ports/${i}/targetPort`);
        return;
      }
      if (name === undefined) return;
      const j = endpoints(se).findIndex((ep) => { const t = num(at(ep, 'ports', name)); return t !== undefined && t !== number; });
      if (j >= 0) report(num(at(endpoints(se)[j], 'ports', name))!, `/spec/endpoints/${j}/ports/${pointerSegment(name)}`);
    });
  }
}

/** ZNL024: PrivateLink bills no inter-AZ transfer, so zone pinning there buys latency only. */
export function interfaceEndpoints(inv: Inventory, emit: Emit): void {
  for (const se of inv.serviceEntries) {
    const hosts = arr(at(se.object, 'spec', 'hosts')).map(String);
    const addresses = endpoints(se).map((ep) => str(at(ep, 'address')) ?? '');
    if (![...hosts, ...addresses].some((h) => VPCE.test(h))) continue;
    if (!endpoints(se).some((ep) => rec(ep)?.locality !== undefined)) continue;
    emit({
      code: 'ZNL024', target: se, pointer: '/spec/hosts',
      message: 'interface VPC endpoint (PrivateLink): AWS has not charged inter-AZ data transfer through interface endpoints since April 2022 ' +
        '(only $0.01/GB processing), so zone-local routing here saves latency, not transfer cost',
    });
  }
}
