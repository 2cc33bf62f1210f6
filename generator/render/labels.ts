import type { TopologyRouting } from '../model/types.js';
import type { ValueSource } from './value-source.js';

/** Release name assumed by concrete rendering: `helm template <chart-name> charts/<chart-name>`. */
export function releaseName(model: TopologyRouting): string {
  return model.name;
}

/** Selector labels: name + instance only, because Deployment selectors are immutable. */
export function selectorLabels(model: TopologyRouting, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': releaseName(model),
    'app.kubernetes.io/name': component,
  };
}

/** `helm.sh/chart` as Helm charts spell it: `<name>-<version>` with `+` made label-safe. */
export function chartLabel(model: TopologyRouting, version: string): string {
  return `${model.name}-${version}`.replace(/\+/g, '_');
}

/**
 * The standard labels (app.kubernetes.io/* + helm.sh/chart) plus `extra`, rendered in templates
 * through the chart's `<chart>.labels` helper so every object carries the same set.
 */
export function standardLabels(
  v: ValueSource, model: TopologyRouting, chartVersion: string, component: string, extra: Record<string, string> = {},
): Record<string, string> {
  const concrete = {
    ...selectorLabels(model, component),
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/part-of': model.name,
    'app.kubernetes.io/version': model.chart.appVersion,
    'helm.sh/chart': chartLabel(model, chartVersion),
    ...extra,
  };
  return v.raw(
    (indent) =>
      `{{- include "${model.name}.labels" (dict "ctx" $ "component" ${JSON.stringify(component)}) | nindent ${indent + 2} }}` +
      Object.entries(extra).map(([k, val]) => `\n${' '.repeat(indent + 2)}${k}: ${JSON.stringify(val)}`).join(''),
    concrete,
  );
}

/**
 * Pod template labels: selector labels plus part-of, but not the chart or app version, which
 * would restart every pod on each chart version bump.
 */
export function podLabels(v: ValueSource, model: TopologyRouting, component: string): Record<string, string> {
  return v.raw(
    (indent) => `{{- include "${model.name}.podLabels" (dict "ctx" $ "component" ${JSON.stringify(component)}) | nindent ${indent + 2} }}`,
    { ...selectorLabels(model, component), 'app.kubernetes.io/part-of': model.name },
  );
}

/** Selector labels in templates come from the `<chart>.selectorLabels` helper. */
export function templatedSelector(v: ValueSource, model: TopologyRouting, component: string): Record<string, string> {
  return v.raw(
    (indent) => `{{- include "${model.name}.selectorLabels" (dict "ctx" $ "component" ${JSON.stringify(component)}) | nindent ${indent + 2} }}`,
    selectorLabels(model, component),
  );
}

/** Argo CD sync waves: Namespace first, then workloads, then Istio custom resources. */
export const SYNC_WAVE = { namespace: '-1', workload: '0', istio: '1' } as const;

export function argoAnnotations(wave: string, istio = false): Record<string, string> {
  return {
    'argocd.argoproj.io/sync-wave': wave,
    ...(istio ? { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } : {}),
  };
}
