import type { LocatedObject } from '../../k8s/manifest.js';
import { sourceOf } from '../locate.js';
import { AUTOALLOCATE_LABEL, namespaceOf, PROXY_CONFIG_ANNOTATION, serviceEntryHosts, type Inventory } from '../inventory.js';
import { arr, at, num, str } from '../json.js';
import type { Emit } from '../types.js';
import { isOpaqueTcp } from '../../istio/index.js';


function tcpPorts(se: LocatedObject): { index: number; number: number }[] {
  return arr(at(se.object, 'spec', 'ports')).flatMap((p, index) => {
    const number = num(at(p, 'number'));
    // Protocols without Host header or SNI (and "", sniffed on the same listener) land on the wildcard
    // `0.0.0.0:<port>` listener without a VIP (the Istio core's isOpaqueTcp; istioctl's IST0134 reads "" as TCP too).
    return number !== undefined && isOpaqueTcp(str(at(p, 'protocol')) ?? '') ? [{ index, number }] : [];
  });
}

function hasAddresses(se: LocatedObject): boolean {
  return arr(at(se.object, 'spec', 'addresses')).length > 0 || arr(at(se.object, 'status', 'addresses')).length > 0;
}

const ALLOCATION_FIX = `set spec.addresses, or turn on DNS capture with address auto-allocation: label the ServiceEntry ${AUTOALLOCATE_LABEL}: "true" ` +
  `(istiod allocates from 240.240.0.0/16) and give the calling pods the annotation ${PROXY_CONFIG_ANNOTATION}: ` +
  '\'{"proxyMetadata":{"ISTIO_META_DNS_CAPTURE":"true"}}\' (or set it mesh-wide in meshConfig.defaultConfig.proxyMetadata)';

interface NoVip {
  readonly reason: string;
  /** Whether the entry ends up on the wildcard `0.0.0.0:<port>` listener (else it gets a VIP nobody resolves). */
  readonly wildcard: boolean;
}

const WILDCARD = (port: number) => `it becomes a 0.0.0.0:${port} listener that takes every connection to port ${port}, whatever the address, ` +
  'and collides with any other TCP ServiceEntry on that port';

/** Why a TCP ServiceEntry without addresses will not be reachable through a VIP of its own, or undefined when it will. */
function noVip(inv: Inventory, se: LocatedObject, port: number): NoVip | undefined {
  const label = se.object.metadata.labels?.[AUTOALLOCATE_LABEL]?.toLowerCase();
  const resolution = str(at(se.object, 'spec', 'resolution')) ?? 'NONE';
  if (label === 'false') return { reason: `it opts out of address auto-allocation (${AUTOALLOCATE_LABEL}: "false"), so ${WILDCARD(port)}`, wildcard: true };
  if (resolution === 'NONE') return { reason: `istiod allocates no address for resolution NONE, so ${WILDCARD(port)}`, wildcard: true };
  if (serviceEntryHosts(se).some((h) => h.startsWith('*'))) return { reason: `istiod allocates no address for wildcard hosts, so ${WILDCARD(port)}`, wildcard: true };
  if (inv.context.meshDnsAutoAllocate) return undefined;
  const asked = label === 'true' || inv.dns.legacyAutoAllocate;
  if (asked && inv.dns.capture) return undefined;
  if (asked) {
    return {
      reason: 'it asks for an auto-allocated address, but no proxy in the input captures DNS (ISTIO_META_DNS_CAPTURE), so callers resolve ' +
        'the real address and their connections bypass the ServiceEntry (no locality routing, no outlier detection)',
      wildcard: false,
    };
  }
  return {
    reason: 'nothing in the input turns on DNS capture with address auto-allocation: where istiod allocates no address ' +
      `${WILDCARD(port)}; where it does (PILOT_ENABLE_IP_AUTOALLOCATE, on by default since Istio 1.25) callers without DNS capture ` +
      'still resolve the real address and bypass the ServiceEntry',
    wildcard: true,
  };
}

/** ZNL014 and ZNL015: TCP ServiceEntries that end up on the shared `0.0.0.0:<port>` listener. */
export function tcpWithoutAddresses(inv: Inventory, emit: Emit): void {
  const byPort = new Map<number, { se: LocatedObject; index: number }[]>();
  for (const se of inv.serviceEntries) {
    if (hasAddresses(se)) continue;
    const ports = tcpPorts(se);
    if (ports.length === 0) continue;
    const first = ports[0]!;
    const problem = noVip(inv, se, first.number);
    if (problem === undefined) continue;
    emit({
      code: 'ZNL014', target: se, pointer: `/spec/ports/${first.index}`,
      message: `TCP ServiceEntry without addresses on port ${first.number}: ${problem.reason} (${ALLOCATION_FIX})`,
    });
    if (!problem.wildcard) continue;
    for (const p of ports) byPort.set(p.number, [...(byPort.get(p.number) ?? []), { se, index: p.index }]);
  }
  for (const [port, entries] of byPort) {
    const [first, ...rest] = entries;
    for (const { se, index } of rest) {
      emit({
        code: 'ZNL015', target: se, pointer: `/spec/ports/${index}`,
        message: `shares the 0.0.0.0:${port} listener with ServiceEntry ${namespaceOf(first!.se)}/${first!.se.object.metadata.name}` +
          `${sourceOf(first!.se)}: neither has addresses, so Envoy sends the TCP traffic of both to one of them ` +
          `(${ALLOCATION_FIX})`,
      });
    }
  }
}
