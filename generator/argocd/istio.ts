import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { TopologyRouting } from '../model/types.js';
import { istioBaseValues, istiodValues, istioReleases } from '../infra/istio.js';
import {
  AUTOMATED, ISTIO_HELM_REPO, ISTIO_NAMESPACE, partOf, RESOURCES_FINALIZER, RETRY, ROOT_WAVE, SERVER_SIDE_DIFF,
  SYNC_WAVE_ANNOTATION,
} from './policy.js';
import { istioProjectName } from './projects.js';
import { clustersOf, type DeployTarget } from './targets.js';
import { zonalKey } from '../well-known.js';
import { ambientIstiodValues, ambientParts, gatewayApiParts, istioComponentLabel, type GitPart, type IstioChart } from './ambient.js';

/**
 * istiod patches its own webhooks after install: it injects the caBundle and, once it serves,
 * flips the validator's failurePolicy from Ignore to Fail. Without these Argo CD shows the Istio
 * Applications OutOfSync forever and self-heal keeps reverting istiod's patches.
 */
export const ISTIO_WEBHOOK_IGNORE_DIFFERENCES = [
  {
    group: 'admissionregistration.k8s.io',
    kind: 'ValidatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle', '.webhooks[]?.failurePolicy'],
  },
  {
    group: 'admissionregistration.k8s.io',
    kind: 'MutatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  },
];

type Part = { chart: IstioChart; release: string; wave: string; values: Record<string, unknown>; git?: GitPart['git'] };

/** Install settings come from infra/istio.ts, shared with scripts/install-istio.sh. */
function parts(model: TopologyRouting): Part[] {
  const releases = istioReleases(model);
  return [
    { chart: 'base', release: releases.base, wave: ROOT_WAVE.istioBase, values: istioBaseValues(model) },
    { chart: 'istiod', release: releases.istiod, wave: ROOT_WAVE.istiod, values: ambientIstiodValues(model, istiodValues(model)) },
    // Ambient namespaces: istio-cni and ztunnel (argocd/ambient.ts), before the workloads.
    ...ambientParts(model),
    ...gatewayApiParts(model).map((g) => ({ chart: g.chart, release: '', wave: g.wave, values: {}, git: g.git })),
  ];
}

export function istioApplicationName(model: TopologyRouting, chart: IstioChart, env: string): string {
  return `${model.name}-${istioComponentLabel(chart)}-${env}`;
}

/**
 * Istio bootstrap: `base` (CRDs, default validator) then `istiod`, once per destination cluster,
 * from the official Helm repository at mesh.istioVersion. The root Application's waves sync them
 * before the workloads. `base` carries no resources finalizer: deleting its Application must not
 * delete the Istio CRDs, which would delete every DestinationRule and ServiceEntry in the cluster.
 */
export function istioApplications(model: TopologyRouting, targets: readonly DeployTarget[]): IApplication[] {
  return clustersOf(targets).flatMap(({ cluster, env }) =>
    parts(model).map((p): IApplication => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: istioApplicationName(model, p.chart, env),
        namespace: model.gitops.argocdNamespace,
        labels: { ...partOf(model.name), [zonalKey('environment')]: env, [zonalKey('component')]: istioComponentLabel(p.chart) },
        annotations: { [SYNC_WAVE_ANNOTATION]: p.wave, ...SERVER_SIDE_DIFF },
        // CRD Applications (base, Gateway API) keep no finalizer: deleting them must not delete the CRDs.
        ...(p.chart !== 'base' && !p.git ? { finalizers: [RESOURCES_FINALIZER] } : {}),
      },
      spec: {
        project: istioProjectName(model),
        source: p.git ? { ...p.git } : {
          repoURL: ISTIO_HELM_REPO,
          chart: p.chart,
          targetRevision: model.mesh.istioVersion,
          helm: { releaseName: p.release, valuesObject: p.values },
        },
        destination: { server: cluster, namespace: ISTIO_NAMESPACE },
        syncPolicy: {
          automated: { ...AUTOMATED },
          // Istio's CRDs are too large for client-side apply's last-applied annotation.
          syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true', ...(p.chart === 'base' || p.git ? ['ServerSideApply=true'] : [])],
          retry: { limit: RETRY.limit, backoff: { ...RETRY.backoff } },
        },
        ignoreDifferences: ISTIO_WEBHOOK_IGNORE_DIFFERENCES.map((d) => ({ ...d, jqPathExpressions: [...d.jqPathExpressions] })),
      },
    })),
  );
}
