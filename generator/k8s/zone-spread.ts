/**
 * Whether a workload's pods are spread over zones, read from its pod template the way the
 * scheduler reads it: a topologySpreadConstraint on the zone label counts only when its
 * labelSelector selects the pods of that same template (otherwise the scheduler counts no pod and
 * the constraint does nothing, e.g. a selector left on another Helm release's instance label).
 */
import type { KubeObject } from './manifest.js';
import { LEGACY_ZONE_LABEL, ZONE_LABEL } from '../well-known.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** `enforced`: DoNotSchedule on the zone selecting its own pods; `preferred`: the same with ScheduleAnyway. */
export type ZoneSpread = 'enforced' | 'preferred' | 'none' | 'unmatched';

const strings = (v: unknown): Record<string, string> =>
  (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {});

/** A Kubernetes LabelSelector (matchLabels + matchExpressions) against a label set; an absent selector selects nothing. */
export function labelSelectorMatches(selector: Any, labels: Readonly<Record<string, string>>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  // Read in place, not through a copy (strings): the lint gate asks this of every spread
  // constraint and PodDisruptionBudget against their workloads' pod labels.
  const matchLabels: unknown = selector.matchLabels;
  if (matchLabels && typeof matchLabels === 'object' && !Array.isArray(matchLabels)) {
    const keys = Object.keys(matchLabels);
    for (let i = 0; i < keys.length; i++) if (labels[keys[i]!] !== String((matchLabels as Record<string, unknown>)[keys[i]!])) return false;
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const key = String(e?.key ?? '');
    const values = Array.isArray(e?.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e?.operator) {
      case 'In': if (!has || !values.includes(labels[key]!)) return false; break;
      case 'NotIn': if (has && values.includes(labels[key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

export function zoneSpreadOf(workload: KubeObject): ZoneSpread {
  const template = (workload as Any).spec?.template;
  const labels = strings(template?.metadata?.labels);
  const tsc: Any[] = Array.isArray(template?.spec?.topologySpreadConstraints) ? template.spec.topologySpreadConstraints : [];
  const onZone = tsc.filter((c) => c?.topologyKey === ZONE_LABEL || c?.topologyKey === LEGACY_ZONE_LABEL);
  if (onZone.length === 0) return 'none';
  const own = onZone.filter((c) => labelSelectorMatches(c.labelSelector, labels));
  if (own.length === 0) return 'unmatched';
  return own.some((c) => (c.whenUnsatisfiable ?? 'DoNotSchedule') === 'DoNotSchedule') ? 'enforced' : 'preferred';
}
