import type { LocatedObject } from '../../k8s/manifest.js';
import { apiGroup } from '../../k8s/manifest.js';
import { ISTIO_NETWORKING, type Inventory } from '../inventory.js';
import { arr, at, str } from '../json.js';
import type { Emit } from '../types.js';
import { ISTIO_PROTOCOLS, parseProtocol } from '../../istio/index.js';

const KUBE_PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function istioPorts(o: LocatedObject): { protocol: string; pointer: string }[] {
  if (apiGroup(o.object.apiVersion) !== ISTIO_NETWORKING) return [];
  if (o.object.kind === 'ServiceEntry') {
    return arr(at(o.object, 'spec', 'ports')).flatMap((p, i) => {
      const protocol = str(at(p, 'protocol'));
      return protocol !== undefined ? [{ protocol, pointer: `/spec/ports/${i}/protocol` }] : [];
    });
  }
  if (o.object.kind === 'Gateway') {
    return arr(at(o.object, 'spec', 'servers')).flatMap((s, i) => {
      const protocol = str(at(s, 'port', 'protocol'));
      return protocol !== undefined ? [{ protocol, pointer: `/spec/servers/${i}/port/protocol` }] : [];
    });
  }
  return [];
}

/** ZNL019: protocol names istiod or the API server does not read the way the author meant. */
export function protocolNames(inv: Inventory, emit: Emit): void {
  for (const o of inv.objects) {
    for (const { protocol, pointer } of istioPorts(o)) {
      const upper = protocol.toUpperCase();
      const known = parseProtocol(protocol) !== undefined;
      // An unknown ServiceEntry protocol is Istio's own rejection (ZNL041, rules/istio-verdicts.ts).
      if (!known && o.object.kind === 'ServiceEntry') continue;
      if (!known) {
        emit({
          code: 'ZNL019', severity: 'error', target: o, pointer,
          message: `unknown protocol "${protocol}": istiod's validation rejects it ("unsupported protocol") (use one of ${ISTIO_PROTOCOLS.join(', ')})`,
        });
      } else if (protocol !== upper) {
        emit({
          code: 'ZNL019', target: o, pointer,
          message: `protocol "${protocol}" is not upper-case: istiod happens to parse it case-insensitively, but the API documents ${upper}, ` +
            `and tools that compare the value literally (policy checks, diffs, istioctl output) treat it as something else (write ${upper})`,
        });
      }
    }
    if (o.object.kind === 'Service' && o.object.apiVersion === 'v1') {
      arr(at(o.object, 'spec', 'ports')).forEach((p, i) => {
        const protocol = str(at(p, 'protocol'));
        if (protocol === undefined || KUBE_PROTOCOLS.includes(protocol)) return;
        emit({
          code: 'ZNL019', severity: 'error', target: o, pointer: `/spec/ports/${i}/protocol`,
          message: `Service port protocol "${protocol}" is not TCP, UDP or SCTP: the API server rejects it ` +
            `(write protocol: ${KUBE_PROTOCOLS.includes(protocol.toUpperCase()) ? protocol.toUpperCase() : 'TCP'} and declare the application protocol with appProtocol or a port name prefix such as http-)`,
        });
      });
    }
  }
}
