import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { TopologyRouting } from '../model/types.js';
import { AUTOMATED, partOf, RETRY } from './policy.js';
import { bootstrapProjectName } from './projects.js';
import { IN_CLUSTER } from './targets.js';

/** Where the root Application finds the child manifests, relative to the repository root. */
export const APPS_DIR = 'argocd/apps';

export function rootApplicationName(model: TopologyRouting): string {
  return `${model.name}-root`;
}

/**
 * The app-of-apps root: syncs argocd/apps/ (projects, Istio, workloads) in its waves. It carries
 * no resources finalizer on purpose: deleting the root must not tear down the mesh and workloads.
 */
export function rootApplication(model: TopologyRouting): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: rootApplicationName(model), namespace: model.gitops.argocdNamespace, labels: partOf(model.name) },
    spec: {
      project: bootstrapProjectName(model),
      source: {
        repoURL: model.gitops.repoURL,
        targetRevision: model.gitops.targetRevision,
        path: APPS_DIR,
        directory: { recurse: false },
      },
      destination: { server: IN_CLUSTER, namespace: model.gitops.argocdNamespace },
      syncPolicy: {
        automated: { ...AUTOMATED },
        retry: { limit: RETRY.limit, backoff: { ...RETRY.backoff } },
      },
    },
  };
}

/**
 * Restores the health assessment of Application resources that Argo CD dropped in 1.8: without
 * it the root does not wait for a child wave, so the workloads could sync before istiod serves.
 * A child counts as healthy only once it is also Synced.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
  if hs.status == "Healthy" and (obj.status.sync == nil or obj.status.sync.status ~= "Synced") then
    hs.status = "Progressing"
    hs.message = "waiting for the Application to be Synced"
  end
end
return hs
`;

/** A merge patch for argocd-cm (`kubectl patch --type merge --patch-file`). */
export function argocdCmPatch(): Record<string, unknown> {
  return { data: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA } };
}
