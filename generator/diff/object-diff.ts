import { dump } from 'js-yaml';
import { apiGroup, type KubeObject } from '../k8s/manifest.js';
import { diffLines, unifiedHunks } from './line-diff.js';
import { CHART_LABEL, chartLabelValue } from '../well-known.js';

/** One side of the comparison: the chart's version (undefined when absent) and what it renders. */
export interface RenderedSide {
  readonly version?: string;
  readonly objects: readonly KubeObject[];
}

export type ChangeKind = 'changed' | 'added' | 'removed';

export interface ObjectChange {
  readonly change: ChangeKind;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Unified-diff lines (hunks for changes, all lines prefixed +/- for additions/removals). */
  readonly lines: readonly string[];
}

export interface ChartDiff {
  readonly chart: string;
  readonly baseVersion?: string;
  readonly headVersion?: string;
  /** Objects whose only difference was the `helm.sh/chart` label following the version bump. */
  readonly labelOnly: number;
  /** Objects whose `helm.sh/chart` label changed, whether or not something else did too. */
  readonly relabelled: number;
  readonly changes: readonly ObjectChange[];
}

export { chartLabelValue };

function identity(o: KubeObject): string {
  return `${apiGroup(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Deterministic YAML of one object: sorted keys, so key order in templates never shows as a change. */
export function objectYaml(o: unknown): string {
  return dump(o, { sortKeys: true, lineWidth: -1, noRefs: true, quoteStyle: 'double' });
}

/** Replaces `helm.sh/chart: from` by `to` everywhere in the tree (metadata and pod templates). */
function relabel(value: unknown, from: string, to: string): { value: unknown; hits: number } {
  let hits = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => {
      if (k === CHART_LABEL && x === from) {
        hits++;
        return [k, to];
      }
      return [k, walk(x)];
    }));
  };
  return { value: walk(value), hits };
}

function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/**
 * Compares two renderings object by object (matched by group/kind/namespace/name). The chart
 * version bump changes the `helm.sh/chart` label on every object; that one change is reported
 * once (ChartDiff.baseVersion -> headVersion, labelOnly) instead of on every object.
 */
export function diffRendered(chart: string, base: RenderedSide, head: RenderedSide): ChartDiff {
  const bumped = base.version !== undefined && head.version !== undefined && base.version !== head.version;
  const from = bumped ? chartLabelValue(chart, base.version!) : '';
  const to = bumped ? chartLabelValue(chart, head.version!) : '';
  const baseById = new Map(base.objects.map((o) => [identity(o), o]));
  const headIds = new Set(head.objects.map(identity));
  const changes: ObjectChange[] = [];
  let labelOnly = 0;
  let relabelled = 0;
  const at = (o: KubeObject) => ({ kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name });

  for (const o of head.objects) {
    const old = baseById.get(identity(o));
    const newText = objectYaml(o);
    if (!old) {
      changes.push({ change: 'added', ...at(o), lines: lines(newText).map((l) => `+${l}`) });
      continue;
    }
    const { value, hits } = bumped ? relabel(old, from, to) : { value: old, hits: 0 };
    if (hits > 0) relabelled++;
    const oldText = objectYaml(value);
    if (oldText === newText) {
      if (hits > 0) labelOnly++;
      continue;
    }
    changes.push({ change: 'changed', ...at(o), lines: unifiedHunks(diffLines(lines(oldText), lines(newText))) });
  }
  for (const o of base.objects) {
    if (!headIds.has(identity(o))) changes.push({ change: 'removed', ...at(o), lines: lines(objectYaml(o)).map((l) => `-${l}`) });
  }
  return {
    chart,
    ...(base.version !== undefined ? { baseVersion: base.version } : {}),
    ...(head.version !== undefined ? { headVersion: head.version } : {}),
    labelOnly,
    relabelled,
    changes,
  };
}

/** Whether the two renderings differ at all (objects, or the chart version). */
export function hasDifferences(d: ChartDiff): boolean {
  return d.changes.length > 0 || d.baseVersion !== d.headVersion;
}
