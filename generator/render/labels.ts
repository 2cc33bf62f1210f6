import type { TopologyRouting } from '../model/types.js';
import { goString, templateText, type ValueSource } from './value-source.js';
import { yamlKey, yamlQuoted } from '../yaml/dump.js';
import { CHART_LABEL, chartLabelValue } from '../well-known.js';

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
  return chartLabelValue(model.name, version);
}

/**
 * A service's own labels (values `services[].labels`), a deploy-time knob: `services.<name>.labels`
 * in the chart (absent = none), appended after the chart's labels.
 */
export interface UserLabels {
  readonly value: Readonly<Record<string, string>>;
}

/** The chart value of a service's own labels (see SERVICE_ONLY_KNOBS in chart/values-tree.ts). */
const USER_LABELS = '(get $item "labels")';

function userLabelLines(indent: number, user: UserLabels | undefined): string {
  if (!user) return '';
  const pad = ' '.repeat(indent + 2);
  return `\n${pad}{{- with ${USER_LABELS} }}\n${pad}{{- toYaml . | nindent ${indent + 2} }}\n${pad}{{- end }}`;
}

/**
 * The standard labels (app.kubernetes.io/* + helm.sh/chart) plus `extra` (fixed by the values
 * file) and a service's own labels (`user`, a chart value), rendered in templates through the
 * chart's `<chart>.labels` helper so every object carries the same set.
 */
export function standardLabels(
  v: ValueSource, model: TopologyRouting, chartVersion: string, component: string, extra: Record<string, string> = {}, user?: UserLabels,
): Record<string, string> {
  const concrete = {
    ...selectorLabels(model, component),
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/part-of': model.name,
    'app.kubernetes.io/version': model.chart.appVersion,
    [CHART_LABEL]: chartLabel(model, chartVersion),
    ...extra,
    ...user?.value,
  };
  return v.raw(
    (indent) =>
      `{{- include "${model.name}.labels" (dict "ctx" $ "component" ${goString(component)}) | nindent ${indent + 2} }}` +
      Object.entries(extra).map(([k, val]) => `\n${' '.repeat(indent + 2)}${templateText(`${yamlKey(k)}: ${yamlQuoted(val)}`)}`).join('') +
      userLabelLines(indent, user),
    concrete,
  );
}

/**
 * Pod template labels: selector labels plus part-of, but not the chart or app version, which
 * would restart every pod on each chart version bump.
 */
export function podLabels(v: ValueSource, model: TopologyRouting, component: string, user?: UserLabels): Record<string, string> {
  return v.raw(
    (indent) => `{{- include "${model.name}.podLabels" (dict "ctx" $ "component" ${goString(component)}) | nindent ${indent + 2} }}` + userLabelLines(indent, user),
    { ...selectorLabels(model, component), 'app.kubernetes.io/part-of': model.name, ...user?.value },
  );
}

/** Selector labels in templates come from the `<chart>.selectorLabels` helper. */
export function templatedSelector(v: ValueSource, model: TopologyRouting, component: string): Record<string, string> {
  return v.raw(
    (indent) => `{{- include "${model.name}.selectorLabels" (dict "ctx" $ "component" ${goString(component)}) | nindent ${indent + 2} }}`,
    selectorLabels(model, component),
  );
}

/**
 * metadata.name of a component's object, through the chart's `<chart>.componentName` helper: the
 * values-file name under the default release (what concrete rendering assumes), prefixed with the
 * release's fullname under any other release.
 */
export function objectName(v: ValueSource, model: TopologyRouting, component: string): string {
  return v.raw(
    () => ` {{ include "${model.name}.componentName" (dict "ctx" $ "component" ${goString(component)}) | quote }}`,
    component,
  );
}

/**
 * metadata.namespace of an object declared in namespace `ns` of the values file, through the
 * chart's `<chart>.namespace` helper (`namespaces.<ns>.name`, else the release namespace).
 * Concrete rendering assumes `helm template -n <ns>` for single-namespace charts.
 */
export function objectNamespace(v: ValueSource, model: TopologyRouting, ns: string): string {
  return v.raw(() => ` {{ include "${model.name}.namespace" (dict "ctx" $ "key" ${goString(ns)}) | quote }}`, ns);
}

/** The cluster-local FQDN of a Service of the chart, following its templated name and namespace. */
export function serviceHost(v: ValueSource, model: TopologyRouting, serviceName: string, ns: string): string {
  return v.raw(
    () => ` {{ printf "%s.%s.svc.cluster.local" (include "${model.name}.componentName" (dict "ctx" $ "component" ${goString(serviceName)})) ` +
      `(include "${model.name}.namespace" (dict "ctx" $ "key" ${goString(ns)})) | quote }}`,
    `${serviceName}.${ns}.svc.cluster.local`,
  );
}

/** The FQDN of a Service another chart owns (workload: external): its name as given, in the mapped namespace. */
export function externalServiceHost(v: ValueSource, model: TopologyRouting, serviceName: string, ns: string): string {
  return v.raw(
    () => ` {{ printf "%s.%s.svc.cluster.local" ${goString(serviceName)} (include "${model.name}.namespace" (dict "ctx" $ "key" ${goString(ns)})) | quote }}`,
    `${serviceName}.${ns}.svc.cluster.local`,
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
