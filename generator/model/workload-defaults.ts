import type { Autoscaling, ExternalWorkload, KubeFragment, NamedPort, PodSettings, ProbeSpec, WorkloadOwner } from './workload.js';

/** UID the zip-lookup image runs as (app/Dockerfile); any non-root UID works for other images. */
export const RUN_AS_USER = 10001;

/** Pod Security "restricted": what every pod gets unless `securityContext.pod` replaces it. */
export const RESTRICTED_POD_SECURITY: KubeFragment = {
  runAsNonRoot: true,
  runAsUser: RUN_AS_USER,
  runAsGroup: RUN_AS_USER,
  fsGroup: RUN_AS_USER,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Pod Security "restricted" for the container, unless `securityContext.container` replaces it. */
export const RESTRICTED_CONTAINER_SECURITY: KubeFragment = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

export const PROBE_DEFAULTS = {
  liveness: { periodSeconds: 10, failureThreshold: 3 },
  readiness: { periodSeconds: 5, failureThreshold: 2 },
  startup: { periodSeconds: 5, failureThreshold: 30 },
} as const;

export const AUTOSCALING_DEFAULTS = { targetCPUUtilizationPercentage: 80, maxFactor: 3 } as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

function probe(raw: Raw, path: string, d: { periodSeconds: number; failureThreshold: number }): ProbeSpec {
  return {
    path: raw?.path ?? path,
    ...(raw?.initialDelaySeconds !== undefined ? { initialDelaySeconds: raw.initialDelaySeconds } : {}),
    periodSeconds: raw?.periodSeconds ?? d.periodSeconds,
    ...(raw?.timeoutSeconds !== undefined ? { timeoutSeconds: raw.timeoutSeconds } : {}),
    failureThreshold: raw?.failureThreshold ?? d.failureThreshold,
  };
}

function autoscaling(raw: Raw, zones: number): Autoscaling {
  const minReplicas: number = raw?.minReplicas ?? zones;
  return {
    enabled: raw?.enabled ?? (raw !== undefined),
    minReplicas,
    maxReplicas: raw?.maxReplicas ?? minReplicas * AUTOSCALING_DEFAULTS.maxFactor,
    targetCPUUtilizationPercentage: raw?.targetCPUUtilizationPercentage ?? AUTOSCALING_DEFAULTS.targetCPUUtilizationPercentage,
  };
}

/** The one place the workload fields of a service (values `services[]`) get their defaults. */
export function podSettingsOf(s: Raw, zones: number, healthPath: string, readinessPath: string): PodSettings {
  return {
    podAnnotations: s.podAnnotations ?? {},
    labels: s.labels ?? {},
    serviceAccountAnnotations: s.serviceAccount?.annotations ?? {},
    nodeSelector: s.nodeSelector ?? {},
    tolerations: s.tolerations ?? [],
    affinity: s.affinity ?? {},
    imagePullSecrets: s.imagePullSecrets ?? [],
    command: s.command ?? [],
    args: s.args ?? [],
    envFrom: s.envFrom ?? [],
    volumes: s.volumes ?? [],
    volumeMounts: s.volumeMounts ?? [],
    extraPorts: (s.ports ?? []).map((p: Raw): NamedPort => ({
      name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'HTTP',
    })),
    probes: {
      liveness: probe(s.probes?.liveness, healthPath, PROBE_DEFAULTS.liveness),
      readiness: probe(s.probes?.readiness, readinessPath, PROBE_DEFAULTS.readiness),
      ...(s.probes?.startup ? { startup: probe(s.probes.startup, healthPath, PROBE_DEFAULTS.startup) } : {}),
    },
    autoscaling: autoscaling(s.autoscaling, zones),
    podSecurityContext: s.securityContext?.pod ?? RESTRICTED_POD_SECURITY,
    containerSecurityContext: s.securityContext?.container ?? RESTRICTED_CONTAINER_SECURITY,
  };
}

export function workloadOwnerOf(s: Raw): WorkloadOwner {
  return s.workload === 'external' ? 'external' : 'chart';
}

export function externalWorkloadOf(s: Raw): ExternalWorkload | undefined {
  if (s.workload !== 'external') return undefined;
  return { selector: s.selector ?? {}, zoneSpread: s.zoneSpread ?? false, trafficDistribution: s.trafficDistribution ?? false };
}
