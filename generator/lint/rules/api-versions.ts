import { apiGroup } from '../../k8s/manifest.js';
import { ISTIO_NETWORKING, type Inventory } from '../inventory.js';
import type { Emit } from '../types.js';

/** Networking kinds served as `networking.istio.io/v1` since Istio 1.22 (EnvoyFilter and ProxyConfig have no v1). */
const HAS_V1 = new Set(['DestinationRule', 'ServiceEntry', 'VirtualService', 'Gateway', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup']);

/** ZNL020: v1alpha3 / v1beta1 networking objects. */
export function deprecatedApiVersions(inv: Inventory, emit: Emit): void {
  for (const o of inv.objects) {
    const { apiVersion, kind } = o.object;
    if (apiGroup(apiVersion) !== ISTIO_NETWORKING || !HAS_V1.has(kind)) continue;
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    if (version !== 'v1alpha3' && version !== 'v1beta1') continue;
    emit({
      code: 'ZNL020', target: o, pointer: '/apiVersion',
      message: `${apiVersion} ${kind} is a deprecated API version (still served, but v1 is the stored, current version since Istio 1.22) ` +
        `(use apiVersion: ${ISTIO_NETWORKING}/v1; the spec is unchanged)`,
    });
  }
}
