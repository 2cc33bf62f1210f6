import type { ExternalHostType, OutlierDetectionPolicy, ResourceSpec } from './types.js';
import { minimumEjectionPercent } from './types.js';

/** Defaults applied to omitted keys; each is documented in the README's values reference. */
export const DEFAULTS = {
  istioVersion: '1.30.3',
  /** Istio's own default consecutive 5xx threshold. */
  consecutive5xxErrors: 5,
  interval: '10s',
  baseEjectionTime: '30s',
  /** 0 keeps Envoy's panic mode off, as Istio does whenever outlierDetection is set. */
  minHealthPercent: 0,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } satisfies ResourceSpec,
  healthPath: '/healthz',
  readinessPath: '/readyz',
  pullPolicy: 'IfNotPresent' as const,
  protocol: 'HTTP' as const,
  gitops: {
    repoURL: 'https://github.com/example-org/zonal-deployments.git',
    targetRevision: 'main',
    argocdNamespace: 'argocd',
  },
} as const;

/** Outlier detection with every key filled in for a pool of `endpoints` hosts. */
export function outlierDefaults(raw: Partial<OutlierDetectionPolicy> | undefined, endpoints: number): OutlierDetectionPolicy {
  return {
    consecutive5xxErrors: raw?.consecutive5xxErrors ?? DEFAULTS.consecutive5xxErrors,
    interval: raw?.interval ?? DEFAULTS.interval,
    baseEjectionTime: raw?.baseEjectionTime ?? DEFAULTS.baseEjectionTime,
    maxEjectionPercent: raw?.maxEjectionPercent ?? minimumEjectionPercent(endpoints),
    minHealthPercent: raw?.minHealthPercent ?? DEFAULTS.minHealthPercent,
  };
}

/** Guesses what an external host is from its AWS DNS name, for the cost model; `type` overrides. */
export function inferHostType(host: string): ExternalHostType {
  if (/\.rds\.amazonaws\.com$/.test(host)) return 'rds';
  if (/\.kafka(-serverless)?\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) return 'msk';
  if (/(^|\.)vpce(-[a-z0-9]+)*\.|\.vpce\.amazonaws\.com$/.test(host)) return 'interface-endpoint';
  if (/\.compute(-1)?\.(internal|amazonaws\.com)$/.test(host)) return 'ec2';
  return 'other';
}
