import { apiGroup } from '../../k8s/manifest.js';
import { sourceOf } from '../locate.js';
import { namespaceOf, resolveHost, type Inventory } from '../inventory.js';
import { at, str } from '../json.js';
import type { Emit } from '../types.js';

/** ZNL017: a DestinationRule whose host reaches nothing in the input. */
export function danglingHosts(inv: Inventory, emit: Emit): void {
  for (const dr of inv.destinationRules) {
    const raw = str(at(dr.object, 'spec', 'host'));
    if (!raw) continue;
    const t = inv.targetsOf(dr);
    if (t.services.length + t.serviceEntries.length > 0) continue;
    const resolved = resolveHost(raw, namespaceOf(dr));
    const segments = raw.split('.');
    const knownNamespaces = new Set(inv.objects.map(namespaceOf));
    const hint = segments.length === 2 && knownNamespaces.has(segments[1]!)
      ? ` Istio expands only names without a dot; "${raw}" is taken literally: write "${raw}.svc.cluster.local"`
      : resolved !== raw ? ` (short names expand in the DestinationRule's namespace to ${resolved})` : '';
    emit({
      code: 'ZNL017', target: dr, pointer: '/spec/host',
      message: `host "${raw}" matches no Service or ServiceEntry in the input, so this DestinationRule applies to nothing.${hint} ` +
        '(use the Service FQDN <name>.<namespace>.svc.cluster.local or a ServiceEntry host exactly, or include that object in the input)',
    });
  }
}

/** ZNL018: two objects with one identity; applying them keeps only the later one. */
export function duplicates(inv: Inventory, emit: Emit): void {
  const first = new Map<string, (typeof inv.objects)[number]>();
  for (const o of inv.objects) {
    const key = `${apiGroup(o.object.apiVersion)}/${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, o);
      continue;
    }
    emit({
      code: 'ZNL018', target: o, pointer: '/metadata/name',
      message: `${o.object.kind} "${o.object.metadata.name}" is already defined${sourceOf(earlier)} in the same namespace: ` +
        'the one applied last silently replaces the other, so its settings are lost (give each object its own name)',
    });
  }
}
