/**
 * The zonal domain model: what a values file means once it has been validated and defaulted.
 * Everything downstream (render, chart, lint, simulate, infra) consumes these types, never raw YAML.
 */

import type { ExternalWorkload, PodSettings, WorkloadOwner } from './workload.js';

/** An availability zone of the cluster, e.g. `us-west-2a` (name) / `usw2-az1` (id). */
export interface Zone {
  readonly name: string;
  /** AZ id (same physical AZ across accounts); flow logs report it as `az-id`. */
  readonly id?: string;
  /** Subnet CIDRs in this zone; the flow-log analyzer attributes addresses with them. @default [] */
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
  /** Istio version of the control plane. @default DEFAULTS.istioVersion (istio/versions.ts DEFAULT_ISTIO_VERSION) */
  readonly istioVersion: string;
  /** "" selects `istio-injection=enabled`; anything else `istio.io/rev=<revision>`. @default "" */
  readonly revision: string;
  /**
   * Sidecar DNS capture with address auto-allocation, so TCP ServiceEntries without `addresses` get
   * their own listener instead of sharing `0.0.0.0:<port>`.
   * @default true
   */
  readonly dnsCapture: boolean;
  /** Install Istio (base + istiod) through Argo CD before the workloads. @default true */
  readonly bootstrap: boolean;
  /** How workloads join the mesh unless their namespace says otherwise. @default "sidecar" */
  readonly dataplane: MeshDataplane;
}

/**
 * sidecar: an Envoy sidecar per pod (injection label) applies DestinationRules itself; ambient:
 * ztunnel carries L4 traffic (namespace label `istio.io/dataplane-mode: ambient`) and honours only
 * the Service's traffic distribution; DestinationRules apply only at a waypoint.
 */
export type MeshDataplane = 'sidecar' | 'ambient';

/** A namespace waypoint (ambient only): L7 proxies that apply the namespace's DestinationRules. */
export interface WaypointSpec {
  /** Render a waypoint Gateway and send the namespace's services through it. @default false */
  readonly enabled: boolean;
  /**
   * Waypoint replicas per cluster zone. Callers reach the waypoint with `PreferClose`, so every zone
   * needs one; two keep a zone covered while the PodDisruptionBudget lets one pod go.
   * @default 2
   */
  readonly replicasPerZone: number;
}

export interface NamespaceSpec {
  readonly name: string;
  /** @default {} */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The chart renders the Namespace object (with the sidecar injection label). false when the
   * namespace belongs to another chart (services of `workload: external`) or to the platform.
   * @default true
   */
  readonly create: boolean;
  /** @default mesh.dataplane */
  readonly dataplane: MeshDataplane;
  /** @default { enabled: false, replicasPerZone: 2 } */
  readonly waypoint: WaypointSpec;
}

/**
 * zone-local: prefer own zone, fail over by priority; weighted: `distribute`; off: no locality LB;
 * zone-aware: Envoy zone-aware routing (Istio 1.31+ `zoneAwareLbSetting`): as local as the pods
 * per zone allow while every endpoint gets about the same load.
 */
export type RoutingMode = 'zone-local' | 'weighted' | 'off' | 'zone-aware';

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
  /** @default "zone-local" */
  readonly mode: RoutingMode;
  /** @default "destinationRule" */
  readonly mechanism: RoutingMechanism;
  /** Region failover (multi-region meshes); zone failover within a region is implicit. @default [] */
  readonly failover: readonly FailoverRule[];
  /** Label keys that order failover (e.g. `topology.istio.io/network`); excludes topology labels. @default [] */
  readonly failoverPriority: readonly string[];
  /** Only for mode `weighted`. @default [] */
  readonly distribute: readonly DistributeRule[];
  /**
   * Only for mode `zone-aware`: fewer healthy endpoints than this and Envoy does not route
   * zone-aware at all.
   * @default 6 (Envoy's and Istio's default: ENVOY_DEFAULT_MIN_CLUSTER_SIZE)
   */
  readonly minClusterSize: number;
}

export interface OutlierDetectionPolicy {
  /** @default 5 (Istio's own default) */
  readonly consecutive5xxErrors: number;
  /** @default "10s" */
  readonly interval: string;
  /** @default "30s" */
  readonly baseEjectionTime: string;
  /**
   * The share of the pool Envoy may eject.
   * @default the smallest percentage that still lets one endpoint of the pool be ejected (minimumEjectionPercent)
   */
  readonly maxEjectionPercent: number;
  /** Istio sets Envoy's panic threshold to this (0 = panic mode off). @default 0 */
  readonly minHealthPercent: number;
}

export interface ImageSpec {
  readonly repository: string;
  readonly tag: string;
  /** @default "IfNotPresent" */
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
  /** Kubernetes Service name. @default `name` */
  readonly serviceName: string;
  readonly image: ImageSpec;
  /** @default one per cluster zone */
  readonly replicas: number;
  readonly port: number;
  /** @default `port` */
  readonly targetPort: number;
  /** @default "HTTP" */
  readonly protocol: ServiceProtocol;
  readonly routing: LocalityPolicy;
  readonly outlierDetection: OutlierDetectionPolicy;
  /** @default DEFAULTS.resources (requests 100m / 128Mi, limit 256Mi) */
  readonly resources: ResourceSpec;
  /** @default "/healthz" */
  readonly healthPath: string;
  /** @default "/readyz" */
  readonly readinessPath: string;
  /** @default {} */
  readonly env: Readonly<Record<string, string>>;
  /** PodDisruptionBudget `maxUnavailable`. @default 1 */
  readonly maxUnavailable: number;
  /** Who renders the Deployment and Service (values `workload`). @default "chart" */
  readonly workload: WorkloadOwner;
  /** Pod, container and autoscaling settings (ignored for `workload: external`). */
  readonly pod: PodSettings;
  /** Present exactly when `workload` is `external`. */
  readonly external?: ExternalWorkload;
  /** How this service talks to Kafka (MSK). */
  readonly kafka: KafkaClientSettings;
}

/** Kafka client settings of a service (values `services[].kafka`). */
export interface KafkaClientSettings {
  /**
   * The chart sets env `KAFKA_CLIENT_RACK` so the app's Kafka consumers set `client.rack` to the
   * node's AZ id (`topology.k8s.aws/zone-id`): with brokers running the rack-aware replica
   * selector, consumers then fetch from a replica in their own zone (KIP-392).
   * @default false
   */
  readonly clientRack: boolean;
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

/**
 * Which Aurora/RDS endpoint a `type: rds` host is. `writer`: the cluster endpoint, which always
 * reaches the one writer instance (one endpoint, no locality pool: a reader would refuse the
 * writes); `reader`: the `cluster-ro` or a custom reader endpoint, whose instance endpoints are
 * routed by zone with failover (any instance serves reads, the writer too); `instance`: one
 * instance endpoint.
 * @default inferred from the host: `.cluster-ro-`/`.cluster-custom-` -> reader, `.cluster-` -> writer, else instance
 */
export type RdsRole = 'writer' | 'reader' | 'instance';

/** What the brokers of a `type: msk` host are configured with (values `externalHosts[].kafka`). */
export interface KafkaBrokerSettings {
  /**
   * The brokers run `replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector`
   * (an MSK cluster configuration setting), so consumers with `client.rack` fetch from a replica in
   * their own zone. Without it every fetch goes to the partition leader.
   * @default false
   */
  readonly rackAwareSelector: boolean;
}

export interface ExternalHost {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  /** @default inferred from the AWS DNS name of `host` (inferHostType) */
  readonly type: ExternalHostType;
  readonly protocol: ExternalProtocol;
  /** The port clients dial (the ServiceEntry port). */
  readonly port: number;
  /** The port the endpoints listen on, when it differs from `port`. @default `port` */
  readonly targetPort: number;
  /** Fixed virtual IPs for the host (DNS capture allocates them otherwise). @default [] */
  readonly addresses: readonly string[];
  readonly endpoints: readonly ExternalEndpoint[];
  readonly routing: LocalityPolicy;
  readonly outlierDetection: OutlierDetectionPolicy;
  /** Present exactly when `type` is `rds`. */
  readonly role?: RdsRole;
  /**
   * Present exactly when `type` is `msk`. Each endpoint is a broker: the chart renders one
   * ServiceEntry per broker besides the bootstrap host's, because clients connect to partition
   * leaders by the broker's own name after the bootstrap.
   */
  readonly kafka?: KafkaBrokerSettings;
}

export interface Environment {
  readonly name: string;
  /** Argo CD destination server URL, e.g. https://kubernetes.default.svc. */
  readonly cluster: string;
  /** Helm value overrides for this environment (same shape as the chart's values.yaml). @default {} */
  readonly values: Readonly<Record<string, unknown>>;
  /** Git revision this environment's Application pins (e.g. a release tag); defaults to gitops.targetRevision. */
  readonly targetRevision?: string;
}

export interface ChartSettings {
  /** Pinned chart version; when absent the version is managed (patch bump on change). */
  readonly version?: string;
  /** @default the first service's image tag, else "1.0.0" */
  readonly appVersion: string;
  /** @default metadata.description, else "Zone-local routing for <name> (generated by zonal)" */
  readonly description: string;
  /**
   * How the output is split into charts: `none` = one chart `charts/<name>/`; `namespace` = one chart
   * per namespace, `charts/<name>-<namespace>/`, each its own Application (for values files whose
   * single chart would exceed Helm's 5 MiB per file). @default "none"
   */
  readonly split: ChartSplit;
}

export type ChartSplit = 'none' | 'namespace';

export interface GitOpsSettings {
  /** Git repository URL Argo CD reads the chart from. @default DEFAULTS.gitops.repoURL (a placeholder) */
  readonly repoURL: string;
  /** Pinned revision (tag, branch or commit) for every Application. @default "main" */
  readonly targetRevision: string;
  /** Namespace Argo CD runs in. @default "argocd" */
  readonly argocdNamespace: string;
  /** Argo CD AppProject. @default metadata.name */
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
  /** Global default for locality routing (a deploy-time knob in the chart). @default true */
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
