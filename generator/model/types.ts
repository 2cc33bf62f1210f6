/**
 * The zonal domain model: what a values file means once it has been validated and defaulted.
 * Everything downstream (render, chart, lint, simulate, infra) consumes these types, never raw YAML.
 */

/** An availability zone of the cluster, e.g. `us-west-2a` (name) / `usw2-az1` (id). */
export interface Zone {
  readonly name: string;
  /** AZ id (same physical AZ across accounts); flow logs report it as `az-id`. */
  readonly id?: string;
  /** Subnet CIDRs in this zone; the flow-log analyzer attributes addresses with them. */
  readonly cidrs: readonly string[];
}

export interface Cluster {
  readonly name: string;
  readonly region: string;
  /** Kubernetes minor version, e.g. "1.34". */
  readonly kubernetesVersion: string;
  readonly zones: readonly Zone[];
}

export interface Mesh {
  readonly istioVersion: string;
  /** "" selects `istio-injection=enabled`; anything else `istio.io/rev=<revision>`. */
  readonly revision: string;
  /**
   * Sidecar DNS capture with address auto-allocation, so TCP ServiceEntries without `addresses` get
   * their own listener instead of sharing `0.0.0.0:<port>`. Default true.
   */
  readonly dnsCapture: boolean;
  /** Install Istio (base + istiod) through Argo CD before the workloads. Default true. */
  readonly bootstrap: boolean;
}

export interface NamespaceSpec {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** zone-local: prefer own zone, fail over by priority; weighted: `distribute`; off: no locality LB. */
export type RoutingMode = 'zone-local' | 'weighted' | 'off';

/** destinationRule: Istio localityLbSetting; trafficDistribution: Kubernetes Service field. */
export type RoutingMechanism = 'destinationRule' | 'trafficDistribution';

export interface FailoverRule {
  readonly from: string;
  readonly to: string;
}

export interface DistributeRule {
  /** Locality the callers are in: `region/zone/*` style. */
  readonly from: string;
  /** Locality -> weight (1..100, summing to 100). */
  readonly to: Readonly<Record<string, number>>;
}

export interface LocalityPolicy {
  readonly mode: RoutingMode;
  readonly mechanism: RoutingMechanism;
  /** Region failover (multi-region meshes); zone failover within a region is implicit. */
  readonly failover: readonly FailoverRule[];
  /** Label keys that order failover (e.g. `topology.istio.io/network`); excludes topology labels. */
  readonly failoverPriority: readonly string[];
  /** Only for mode `weighted`. */
  readonly distribute: readonly DistributeRule[];
}

export interface OutlierDetectionPolicy {
  readonly consecutive5xxErrors: number;
  readonly interval: string;
  readonly baseEjectionTime: string;
  /** Defaults to the smallest percentage that still lets one endpoint of the pool be ejected. */
  readonly maxEjectionPercent: number;
  /** Istio sets Envoy's panic threshold to this (0 = panic mode off). */
  readonly minHealthPercent: number;
}

export interface ImageSpec {
  readonly repository: string;
  readonly tag: string;
  readonly pullPolicy: 'Always' | 'IfNotPresent' | 'Never';
}

export interface ResourceSpec {
  readonly requests: Readonly<{ cpu: string; memory: string }>;
  readonly limits: Readonly<{ cpu?: string; memory?: string }>;
}

export type ServiceProtocol = 'HTTP' | 'HTTP2' | 'GRPC' | 'TCP';

export interface ServiceSpec {
  readonly name: string;
  readonly namespace: string;
  /** Kubernetes Service name; defaults to `name`. */
  readonly serviceName: string;
  readonly image: ImageSpec;
  readonly replicas: number;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: ServiceProtocol;
  readonly routing: LocalityPolicy;
  readonly outlierDetection: OutlierDetectionPolicy;
  readonly resources: ResourceSpec;
  readonly healthPath: string;
  readonly readinessPath: string;
  readonly env: Readonly<Record<string, string>>;
  /** PodDisruptionBudget `maxUnavailable`. */
  readonly maxUnavailable: number;
}

export type ExternalProtocol = 'TCP' | 'TLS' | 'HTTP' | 'HTTPS' | 'GRPC' | 'HTTP2' | 'MONGO';

/**
 * What sits behind an external host, for the cost model: AWS bills cross-AZ traffic to RDS/MSK/EC2
 * in both directions, PrivateLink (interface endpoints) only per GB processed, gateway endpoints not at all.
 */
export type ExternalHostType = 'rds' | 'msk' | 'ec2' | 'interface-endpoint' | 'gateway-endpoint' | 'other';

export interface ExternalEndpoint {
  readonly address: string;
  readonly zone: string;
}

export interface ExternalHost {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly type: ExternalHostType;
  readonly protocol: ExternalProtocol;
  /** The port clients dial (the ServiceEntry port). */
  readonly port: number;
  /** The port the endpoints listen on, when it differs from `port`. */
  readonly targetPort: number;
  /** Fixed virtual IPs for the host (optional; DNS capture allocates them otherwise). */
  readonly addresses: readonly string[];
  readonly endpoints: readonly ExternalEndpoint[];
  readonly routing: LocalityPolicy;
  readonly outlierDetection: OutlierDetectionPolicy;
}

export interface Environment {
  readonly name: string;
  /** Argo CD destination server URL, e.g. https://kubernetes.default.svc. */
  readonly cluster: string;
  /** Helm value overrides for this environment (same shape as the chart's values.yaml). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Git revision this environment's Application pins (e.g. a release tag); defaults to gitops.targetRevision. */
  readonly targetRevision?: string;
}

export interface ChartSettings {
  /** Pinned chart version; when absent the version is managed (patch bump on change). */
  readonly version?: string;
  readonly appVersion: string;
  readonly description: string;
}

export interface GitOpsSettings {
  /** Git repository URL Argo CD reads the chart from. */
  readonly repoURL: string;
  /** Pinned revision (tag, branch or commit) for every Application. */
  readonly targetRevision: string;
  /** Namespace Argo CD runs in. */
  readonly argocdNamespace: string;
  readonly project: string;
}

/** The whole values file (`apiVersion: zonal/v1`, `kind: TopologyRouting`). */
export interface TopologyRouting {
  readonly name: string;
  readonly chart: ChartSettings;
  readonly cluster: Cluster;
  readonly mesh: Mesh;
  readonly namespaces: readonly NamespaceSpec[];
  readonly services: readonly ServiceSpec[];
  readonly externalHosts: readonly ExternalHost[];
  readonly environments: readonly Environment[];
  readonly gitops: GitOpsSettings;
  /** Global default for locality routing (a deploy-time knob in the chart). */
  readonly localityRouting: boolean;
}

/** `region/zone` as Istio expects it in endpoint localities and node labels. */
export function localityOf(cluster: Cluster, zone: string): string {
  return `${cluster.region}/${zone}`;
}

/** Smallest maxEjectionPercent that lets one endpoint of a pool of `endpoints` be ejected. */
export function minimumEjectionPercent(endpoints: number): number {
  return endpoints <= 1 ? 100 : Math.min(100, Math.ceil(100 / endpoints));
}
