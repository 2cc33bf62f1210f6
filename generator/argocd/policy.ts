/**
 * Sync behaviour shared by the generated Applications. Kept in one place so every Application
 * retries, prunes and heals the same way and the tests can state the policy once.
 */

/** Deleting an Application deletes what it deployed (cascading, foreground). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export const AUTOMATED = { prune: true, selfHeal: true } as const;

/** 5s, 10s, 20s, ... capped at 3m: rides out CRDs and webhooks that are not ready yet. */
export const RETRY = { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } } as const;

/**
 * Waves of the root (app-of-apps) Application: projects before anything that references them,
 * Istio CRDs (base) before istiod, istiod before the workloads whose DestinationRules and
 * ServiceEntries need both. Waiting on a child Application needs the Application health check
 * in argocd-cm (see argocd-cm-patch.yaml).
 */
export const ROOT_WAVE = { projects: '-3', istioBase: '-2', istiod: '-1', workloads: '0' } as const;

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Server-side diff: the API server applies defaults and schema pruning before comparing, which
 * removes the perpetual OutOfSync that client-side diffs show for defaulted fields of Istio kinds.
 */
export const SERVER_SIDE_DIFF = { 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true' } as const;

export const ISTIO_NAMESPACE = 'istio-system';
export const ISTIO_HELM_REPO = 'https://istio-release.storage.googleapis.com/charts';

/** Labels on every generated Argo CD object, so `kubectl get applications -l ...` finds them. */
export function partOf(name: string): Record<string, string> {
  return { 'app.kubernetes.io/part-of': name, 'app.kubernetes.io/managed-by': 'zonal' };
}
