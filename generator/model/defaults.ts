import type { ExternalHostType, OutlierDetectionPolicy, ResourceSpec } from './types.js';
import { minimumEjectionPercent } from './types.js';
import { DEFAULT_ISTIO_VERSION } from '../istio/versions.js';
import { ENVOY_DEFAULT_MIN_CLUSTER_SIZE } from '../well-known.js';

/**
 * Defaults applied to omitted keys: the one place they are written (load-values.ts applies them,
 * each field's `@default` in types.ts names them; the README's values reference documents them).
 */
export const DEFAULTS = {
  /** routing.mode: prefer the caller's zone, fail over by priority. */
  routingMode: 'zone-local' as const,
  /** routing.mechanism: Istio's DestinationRule localityLbSetting. */
  routingMechanism: 'destinationRule' as const,
  /** mesh.revision: "" selects the `istio-injection=enabled` label. */
  revision: '',
  /** mesh.dnsCapture: sidecar DNS capture with address auto-allocation. */
  dnsCapture: true,
  /** mesh.bootstrap: install Istio through Argo CD before the workloads. */
  bootstrap: true,
  /** mesh.dataplane: Envoy sidecars (namespaces[].dataplane defaults to it). */
  dataplane: 'sidecar' as const,
  /** namespaces[].waypoint.enabled: no waypoint unless asked for. */
  waypointEnabled: false,
  /** namespaces[].waypoint.replicasPerZone: two, so a drain never leaves a zone without one. */
  waypointReplicasPerZone: 2,
  /** namespaces[].create: the chart renders the Namespace. */
  createNamespace: true,
  /** services[].maxUnavailable: PodDisruptionBudget maxUnavailable. */
  maxUnavailable: 1,
  /** localityRouting: the chart-wide switch is on. */
  localityRouting: true,
  /** chart.split: one chart for the whole values file. */
  chartSplit: 'none' as const,
  /** chart.appVersion when neither it nor an image tag is given. */
  appVersion: '1.0.0',
  /** The Istio core's default control plane (newest 1.31 patch); one source: istio/versions.ts. */
  istioVersion: DEFAULT_ISTIO_VERSION,
  /** Kubernetes minor for new values files: EKS standard support for 1.34 ended 2026-12-02. */
  kubernetesVersion: '1.35',
  /** routing.minClusterSize (mode zone-aware): Envoy's zone_aware_lb_config.min_cluster_size default. */
  zoneAwareMinClusterSize: ENVOY_DEFAULT_MIN_CLUSTER_SIZE,
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
  /** services[].kafka.clientRack: consumers fetch from leaders unless asked to use their zone. */
  kafkaClientRack: false,
  /** externalHosts[].kafka.rackAwareSelector: Kafka's default replica selector is leader-only. */
  kafkaRackAwareSelector: false,
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
