/**
 * The ambient facts of k8s/ambient.ts for linted objects (one index per inventory), plus the pods
 * istiod provisions for Gateways, which are not in the input but will exist (what their PDB selects).
 */
import { ambientIndex, type AmbientIndex } from '../k8s/ambient.js';
import type { LocatedObject } from '../k8s/manifest.js';
import { GATEWAY_NAME_LABEL } from '../well-known.js';
import { namespaceOf, type Inventory } from './inventory.js';

const indexes = new WeakMap<Inventory, AmbientIndex>();

function indexOf(inv: Inventory): AmbientIndex {
  let idx = indexes.get(inv);
  if (!idx) {
    idx = ambientIndex(inv.objects.map((o) => o.object));
    indexes.set(inv, idx);
  }
  return idx;
}

export function isAmbientNamespace(inv: Inventory, name: string): boolean {
  return indexOf(inv).isAmbientNamespace(name);
}

export function isSidecarNamespace(inv: Inventory, name: string): boolean {
  return indexOf(inv).isSidecarNamespace(name);
}

export function waypointOf(inv: Inventory, o: LocatedObject): string | undefined {
  return indexOf(inv).waypointOf(o.object);
}

export function waypointGateways(inv: Inventory): LocatedObject[] {
  const gws = new Set(indexOf(inv).waypoints);
  return inv.objects.filter((o) => gws.has(o.object));
}

export interface LocatedPlacement {
  readonly gateway: LocatedObject;
  readonly replicas: number;
  readonly zoneSpread: boolean;
  readonly parameters?: LocatedObject;
}

export function waypointPlacement(inv: Inventory, gw: LocatedObject): LocatedPlacement {
  const p = indexOf(inv).placement(gw.object);
  const parameters = p.parameters ? inv.objects.find((o) => o.object === p.parameters) : undefined;
  return { gateway: gw, replicas: p.replicas, zoneSpread: p.zoneSpread, ...(parameters ? { parameters } : {}) };
}

/** Labels of the pods istiod provisions for each Gateway of the namespace. */
export function provisionedPodLabels(inv: Inventory, namespace: string): Record<string, string>[] {
  return inv.objects.filter((o) => o.object.kind === 'Gateway' && namespaceOf(o) === namespace && o.object.apiVersion.startsWith('gateway.networking.k8s.io/'))
    .map((gw) => ({ [GATEWAY_NAME_LABEL]: gw.object.metadata.name }));
}
