/**
 * Values rules of the ambient data plane that JSON Schema cannot say. A waypoint exists only in an
 * ambient namespace (sidecar pods have an Envoy each and bypass waypoints), and what ztunnel cannot
 * do (weighted distribution, failover rules, zone-aware routing) needs a waypoint or is refused
 * instead of being rendered into a DestinationRule nothing applies.
 */
import type { ProblemCollector } from './problems.js';

interface RawRouted {
  namespace: string;
  routing?: { mode?: string; failover?: unknown[]; failoverPriority?: unknown[] };
}

interface RawAmbientValues {
  mesh?: { dataplane?: string; istioVersion?: string };
  namespaces: Array<{ name: string; dataplane?: string; waypoint?: { enabled?: boolean } }>;
  services?: RawRouted[];
  externalHosts?: RawRouted[];
}

export function checkAmbient(v: RawAmbientValues, out: ProblemCollector): void {
  const meshDataplane = v.mesh?.dataplane ?? 'sidecar';
  const byName = new Map(v.namespaces.map((n) => [n.name, n]));
  v.namespaces.forEach((n, i) => {
    const dataplane = n.dataplane ?? meshDataplane;
    if (n.waypoint?.enabled === true && dataplane !== 'ambient') {
      out.atValue(`/namespaces/${i}/waypoint/enabled`, `namespace "${n.name}" runs sidecars (dataplane ${dataplane}): a waypoint serves ambient namespaces only`,
        'set dataplane: ambient on this namespace (or mesh.dataplane: ambient), or remove the waypoint');
    }
  });
  const check = (section: 'services' | 'externalHosts', items: readonly RawRouted[]) => items.forEach((item, i) => {
    const ns = byName.get(item.namespace);
    if (!ns || (ns.dataplane ?? meshDataplane) !== 'ambient') return;
    const mode = item.routing?.mode;
    if (mode === 'zone-aware') {
      out.atValue(`/${section}/${i}/routing/mode`, `routing mode zone-aware needs sidecars: namespace "${item.namespace}" is ambient, and neither ztunnel nor a waypoint does Envoy zone-aware routing`,
        'use zone-local (ztunnel prefers the caller\'s zone through the Service\'s traffic distribution) or run this namespace with dataplane: sidecar');
      return;
    }
    if (ns.waypoint?.enabled === true) return;
    const l7 = mode === 'weighted' ? 'routing mode weighted' : item.routing?.failover?.length ? 'routing.failover'
      : item.routing?.failoverPriority?.length ? 'routing.failoverPriority' : undefined;
    if (l7) {
      const key = mode === 'weighted' ? 'mode' : item.routing?.failover?.length ? 'failover' : 'failoverPriority';
      out.atValue(`/${section}/${i}/routing/${key}`, `${l7} is a DestinationRule setting, and namespace "${item.namespace}" is ambient without a waypoint: ztunnel ignores DestinationRules`,
        `set waypoint: { enabled: true } on namespace ${item.namespace}, or use routing mode zone-local`);
    }
  });
  check('services', v.services ?? []);
  check('externalHosts', v.externalHosts ?? []);
}
