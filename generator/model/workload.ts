/**
 * What a team's Deployment needs beyond image, port and replicas (values `services[]` keys of the
 * same names). Kubernetes-shaped fields (tolerations, affinity, volumes, envFrom ...) are kept as
 * the Kubernetes API spells them: the chart passes them through `.Values` unchanged.
 */

/** A Kubernetes object fragment as the API spells it (tolerations, affinity, volumes ...). */
export type KubeFragment = Readonly<Record<string, unknown>>;

/**
 * Who owns the Deployment and Service. `chart`: this chart renders them; `external`: another
 * chart does, and zonal renders only the routing objects around them (DestinationRule ...).
 * @default "chart"
 */
export type WorkloadOwner = 'chart' | 'external';

/** An additional named port of the Service and the container (besides the main `port`). */
export interface NamedPort {
  readonly name: string;
  readonly port: number;
  /** @default port */
  readonly targetPort: number;
  /** @default "HTTP" */
  readonly protocol: 'HTTP' | 'HTTP2' | 'GRPC' | 'TCP';
}

/** Probe timing (Kubernetes defaults where not set); `path` for HTTP probes. */
export interface ProbeSpec {
  readonly path: string;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold: number;
}

export interface Probes {
  /** @default path healthPath, periodSeconds 10, failureThreshold 3 */
  readonly liveness: ProbeSpec;
  /** @default path readinessPath, periodSeconds 5, failureThreshold 2 */
  readonly readiness: ProbeSpec;
  /** Startup probe for slow starters; absent by default. */
  readonly startup?: ProbeSpec;
}

/**
 * HorizontalPodAutoscaler (autoscaling/v2). `minReplicas` is at least the number of zones, so
 * every zone keeps a replica at the low point; the zone spread constraint stays on the pods, so
 * scaling up keeps them balanced (maxSkew 1).
 */
export interface Autoscaling {
  /** @default true when the values file has an `autoscaling` key, else false */
  readonly enabled: boolean;
  /** @default the number of zones */
  readonly minReplicas: number;
  /** @default 3 x minReplicas */
  readonly maxReplicas: number;
  /** @default 80 */
  readonly targetCPUUtilizationPercentage: number;
}

export interface PodSettings {
  /** @default {} */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** Extra labels on the pods and every object of the service (never in selectors). @default {} */
  readonly labels: Readonly<Record<string, string>>;
  /** ServiceAccount annotations, e.g. `eks.amazonaws.com/role-arn` for IRSA. @default {} */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** @default {} */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** @default [] */
  readonly tolerations: readonly KubeFragment[];
  /** @default {} */
  readonly affinity: KubeFragment;
  /** Secret names. @default [] */
  readonly imagePullSecrets: readonly string[];
  /** @default [] (the image's entrypoint) */
  readonly command: readonly string[];
  /** @default [] */
  readonly args: readonly string[];
  /** @default [] */
  readonly envFrom: readonly KubeFragment[];
  /** Added to the chart's own `tmp` emptyDir. @default [] */
  readonly volumes: readonly KubeFragment[];
  /** Added to the chart's own `/tmp` mount. @default [] */
  readonly volumeMounts: readonly KubeFragment[];
  /** @default [] */
  readonly extraPorts: readonly NamedPort[];
  readonly probes: Probes;
  readonly autoscaling: Autoscaling;
  /** @default the Pod Security "restricted" profile (RESTRICTED_POD_SECURITY) */
  readonly podSecurityContext: KubeFragment;
  /** @default the Pod Security "restricted" profile (RESTRICTED_CONTAINER_SECURITY) */
  readonly containerSecurityContext: KubeFragment;
}

/**
 * A service whose Deployment/Service another chart owns (`workload: external`): zonal needs its
 * Service's name and namespace (the DestinationRule host) and, for prediction, how many
 * replicas it runs and whether its pods spread over zones.
 */
export interface ExternalWorkload {
  /** Labels of its pods, for lint and simulate to recognise them in rendered manifests. @default {} */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * The owning chart spreads the pods over zones (topologySpreadConstraints on the zone key);
   * zonal lint asks for it (ZNL028) when false.
   * @default false
   */
  readonly zoneSpread: boolean;
  /**
   * The owning chart sets `spec.trafficDistribution` on its Service. Needed where zonal routes with
   * that field (routing.mechanism trafficDistribution, ambient namespaces): zonal cannot set it on a
   * Service it does not render, and lint asks for it (ZNL029) when false.
   * @default false
   */
  readonly trafficDistribution: boolean;
}
