import type { IApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import type { TopologyRouting } from '../model/types.js';
import { templateProblems } from './go-template.js';
import { AUTOMATED, partOf, RESOURCES_FINALIZER, RETRY, ROOT_WAVE, SERVER_SIDE_DIFF, SYNC_WAVE_ANNOTATION } from './policy.js';
import { chartPath, destinationNamespace, type DeployTarget } from './targets.js';
import { zonalKey } from '../well-known.js';
import { splitChartName } from '../model/release.js';

/** One list-generator element: everything that differs between environments, nothing else. */
export interface EnvironmentElement extends Record<string, string> {
  readonly env: string;
  readonly cluster: string;
  readonly targetRevision: string;
  readonly valuesFile: string;
}

export function environmentElements(targets: readonly DeployTarget[]): EnvironmentElement[] {
  return targets.map((t) => ({ env: t.env, cluster: t.cluster, targetRevision: t.targetRevision, valuesFile: t.valuesFile }));
}

/** With `chart.split: namespace`: one element per environment and chart (`chart` = release name). */
export interface ChartElement extends EnvironmentElement {
  readonly chart: string;
  readonly namespace: string;
}

export function chartElements(model: TopologyRouting, targets: readonly DeployTarget[]): ChartElement[] {
  return environmentElements(targets).flatMap((e) => model.namespaces.map((ns) => ({
    ...e, chart: splitChartName(model.name, ns.name), namespace: ns.name,
  })));
}

export function workloadApplicationSetName(model: TopologyRouting): string {
  return model.name;
}

/**
 * One Application per environment from a list generator. Go templates with missingkey=error make
 * a typo in a key fail the generation in Argo CD instead of deploying an empty string; the
 * generator checks the same thing before writing the file.
 */
export function workloadApplicationSet(model: TopologyRouting, targets: readonly DeployTarget[]): IApplicationSet {
  // Split: each chart of a namespace is its own Application, release and destination namespace.
  const split = model.chart.split === 'namespace';
  const elements = split ? chartElements(model, targets) : environmentElements(targets);
  const template = {
    metadata: {
      name: split ? '{{ .chart }}-{{ .env }}' : `${model.name}-{{ .env }}`,
      namespace: model.gitops.argocdNamespace,
      labels: { ...partOf(model.name), [zonalKey('environment')]: '{{ .env }}', [zonalKey('component')]: 'workloads' },
      annotations: { ...SERVER_SIDE_DIFF },
      finalizers: [RESOURCES_FINALIZER],
    },
    spec: {
      project: model.gitops.project,
      source: {
        repoURL: model.gitops.repoURL,
        targetRevision: '{{ .targetRevision }}',
        path: split ? 'charts/{{ .chart }}' : chartPath(model),
        helm: {
          // The chart's labels and the simulator assume release name = chart name.
          releaseName: split ? '{{ .chart }}' : model.name,
          valueFiles: ['{{ .valuesFile }}'],
        },
      },
      destination: { server: '{{ .cluster }}', namespace: split ? '{{ .namespace }}' : destinationNamespace(model) },
      syncPolicy: {
        automated: { ...AUTOMATED },
        // The chart creates its Namespaces itself (wave -1, with the injection label), so Argo CD
        // must not; PruneLast deletes removed objects only after everything else is healthy.
        syncOptions: ['CreateNamespace=false', 'PruneLast=true'],
        retry: { limit: RETRY.limit, backoff: { ...RETRY.backoff } },
      },
    },
  };
  const problems = templateProblems(template, elements);
  if (problems.length > 0) throw new Error(`internal: ApplicationSet template: ${problems.join('; ')}`);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: {
      name: workloadApplicationSetName(model),
      namespace: model.gitops.argocdNamespace,
      labels: partOf(model.name),
      annotations: { [SYNC_WAVE_ANNOTATION]: ROOT_WAVE.workloads },
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements } }],
      template,
    },
  };
}
