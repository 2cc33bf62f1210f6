import { namespaceOf, podTemplate, type Inventory } from '../inventory.js';
import { arr, at, rec, str, strMap, type Json } from '../json.js';
import type { Emit } from '../types.js';
import { provisionedPodLabels } from '../ambient-inventory.js';
import { labelSelectorMatches } from '../../k8s/zone-spread.js';

/**
 * Kubernetes label-selector semantics (matchLabels AND every matchExpressions requirement), one
 * implementation for lint and simulate (k8s/zone-spread.ts).
 */
export function selectorMatches(selector: Json | undefined, labels: Readonly<Record<string, string>>): boolean {
  return labelSelectorMatches(selector, labels);
}

function describe(selector: Json | undefined): string {
  const labels = Object.entries(strMap(selector?.matchLabels)).map(([k, v]) => `${k}=${v}`);
  const exprs = arr(selector?.matchExpressions).map((e) => `${str(at(e, 'key'))} ${str(at(e, 'operator'))}`);
  return [...labels, ...exprs].join(', ') || '{}';
}

/**
 * ZNL025: a topology spread constraint counts only the pods its labelSelector selects, so one that
 * does not select the workload's own pods spreads nothing (a chart installed under another release
 * name whose selector kept the old instance label); a PodDisruptionBudget that selects no pod
 * template protects nothing during node drains, which empty a zone.
 */
export function unmatchedSelectors(inv: Inventory, emit: Emit): void {
  for (const w of inv.workloads) {
    const own = inv.podLabelsOf(w);
    arr(at(podTemplate(w), 'spec', 'topologySpreadConstraints')).forEach((c, i) => {
      const selector = rec(at(c, 'labelSelector'));
      if (!selector || selectorMatches(selector, own)) return;
      const pointerBase = w.object.kind === 'Pod' ? '/spec' : '/spec/template/spec';
      emit({
        code: 'ZNL025', target: w, pointer: `${pointerBase}/topologySpreadConstraints/${i}/labelSelector`,
        message: `${w.object.kind} ${w.object.metadata.name}: topologySpreadConstraints[${i}] (${str(at(c, 'topologyKey')) ?? 'no topologyKey'}) selects ` +
          `${describe(selector)}, which its own pod labels do not carry, so the scheduler does not count these pods and the spread does nothing ` +
          '(use the same labels as the pod template, e.g. the chart\'s selector labels helper)',
      });
    });
  }
  for (const pdb of inv.objects.filter((o) => o.object.kind === 'PodDisruptionBudget')) {
    const selector = rec(at(pdb.object, 'spec', 'selector'));
    const ns = namespaceOf(pdb);
    if (!selector) continue;
    if (inv.workloadsIn(ns).length === 0) continue; // the input does not hold this namespace's workloads
    // Indexed by the selector's most selective label: a linear scan per PDB was quadratic in large charts.
    if (inv.selectorCandidates(ns, strMap(selector.matchLabels)).some((w) => selectorMatches(selector, inv.podLabelsOf(w)))) continue;
    // Pods istiod provisions for a Gateway (a waypoint) are not in the input but will exist.
    if (provisionedPodLabels(inv, ns).some((labels) => selectorMatches(selector, labels))) continue;
    emit({
      code: 'ZNL025', target: pdb, pointer: '/spec/selector',
      message: `PodDisruptionBudget ${pdb.object.metadata.name} selects ${describe(selector)}, which no pod template in namespace ${ns} carries: ` +
        'it protects nothing, and a node drain may empty a zone (use the workload\'s pod labels)',
    });
  }
}
