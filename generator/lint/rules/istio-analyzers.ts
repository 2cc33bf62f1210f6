import { conflictingServiceEntryProtocols, servicePortNaming, subsetsSelectingNothing } from '../../istio/index.js';
import type { LocatedObject, KubeObject } from '../../k8s/manifest.js';
import type { Inventory } from '../inventory.js';
import type { Emit } from '../types.js';

/**
 * Istio's analyzer messages (`istioctl analyze`) about the kinds zonal reads, and the lint code that
 * reports each. test/istio/analyzer-cases.test.ts runs Istio's own analyzer cases through `zonal lint`
 * with this table.
 */
export const ANALYZER_CODES: Readonly<Record<string, string>> = {
  IST0134: 'ZNL014', // ServiceEntryAddressesRequired (rules/tcp-listeners.ts)
  IST0174: 'ZNL017', // UnknownDestinationRuleHost (rules/references.ts)
  IST0173: 'ZNL046', // DestinationRuleSubsetNotSelectPods
  IST0177: 'ZNL047', // ConflictingServiceEntryProtocol
  IST0118: 'ZNL048', // PortNameIsNotUnderNamingConvention
  IST0150: 'ZNL049', // ExternalNameServiceTypeInvalidPortName
};

function locatedIndex(inv: Inventory): (o: KubeObject) => LocatedObject {
  const byObject = new Map(inv.objects.map((o) => [o.object, o]));
  return (o) => byObject.get(o)!;
}

/** ZNL046 (IST0173) and ZNL047 (IST0177). */
export function analyzerFindings(inv: Inventory, emit: Emit): void {
  const located = locatedIndex(inv);
  for (const s of subsetsSelectingNothing(inv.mesh)) {
    emit({
      code: 'ZNL046', target: located(s.destinationRule), pointer: `/spec/subsets/${s.index}/labels`,
      message: `subset "${s.name}" selects none of the host's endpoints (no Pod, workload pod template, WorkloadEntry or ServiceEntry endpoint in the input ` +
        'carries its labels together with the Service\'s selector): requests routed to it fail with "no healthy upstream" ' +
        '(istioctl analyze: IST0173) (match the labels to the pod template labels of the workloads behind the host, or remove the subset)',
    });
  }
  for (const c of conflictingServiceEntryProtocols(inv.mesh)) {
    emit({
      code: 'ZNL047', target: located(c.serviceEntry), pointer: '/spec/ports',
      message: `ServiceEntries ${c.serviceEntries.join(', ')} give host ${c.host} port ${c.port} different protocols (${c.protocols.map((p) => p || '(none)').join(', ')}): ` +
        'istiod builds one listener and cluster per host and port, so one of them handles the other\'s traffic with the wrong protocol ' +
        '(istioctl analyze: IST0177) (use one protocol per host and port, or a different port)',
    });
  }
}

/** ZNL048 (IST0118) and ZNL049 (IST0150): Service ports whose protocol istiod cannot tell. */
export function servicePortNames(inv: Inventory, emit: Emit): void {
  for (const svc of inv.services) {
    for (const p of servicePortNaming(svc.object)) {
      const pointer = `/spec/ports/${p.index}`;
      const port = `port ${p.port}${p.name ? ` ("${p.name}")` : ' (unnamed)'}`;
      if (p.externalName) {
        emit({
          code: 'ZNL049', target: svc, pointer,
          message: `ExternalName Service ${port} is named "tcp" or has no protocol istiod recognises: the sidecar may not forward its traffic, or traffic that matches ` +
            `no other port, as intended (istioctl analyze: IST0150) (name the port after its protocol, e.g. https or http-web, or set appProtocol)`,
        });
      } else {
        emit({
          code: 'ZNL048', target: svc, pointer,
          message: `Service ${port} has no protocol istiod recognises in appProtocol or in its name (<protocol>[-suffix], e.g. http-web, grpc, tcp-db): ` +
            'istiod sniffs the protocol on each connection, which delays server-first protocols and treats unrecognised traffic as TCP ' +
            `(istioctl analyze: IST0118) (set appProtocol, or name the port with its protocol prefix)`,
        });
      }
    }
  }
}
