/**
 * Names and defaults fixed outside zonal (Kubernetes, Istio, Helm, Envoy) and zonal's own label and
 * annotation domain: one source each. This module sits at the bottom of the import graph, next to
 * errors.ts; every layer may import it.
 */

/** The node (and, via Istio, endpoint) label that names a pod's availability zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Its pre-1.17 spelling, still honoured by the scheduler for topology keys. */
export const LEGACY_ZONE_LABEL = 'failure-domain.beta.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
/** Istio's sub-zone label (the third level of a locality). */
export const SUBZONE_LABEL = 'topology.istio.io/subzone';
export const NETWORK_LABEL = 'topology.istio.io/network';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** The labels Istio derives a locality from (region / zone / subzone). */
export const LOCALITY_LABELS: ReadonlySet<string> = new Set([REGION_LABEL, ZONE_LABEL, SUBZONE_LABEL]);

/** The label Helm charts put on every object: `<chart>-<version>`. */
export const CHART_LABEL = 'helm.sh/chart';

/** `helm.sh/chart` as Helm charts spell it: `<name>-<version>` with `+` made label-safe. */
export function chartLabelValue(chart: string, version: string): string {
  return `${chart}-${version}`.replace(/\+/g, '_');
}

/**
 * zonal's label, annotation and tag domain (`zonal.dev/<name>`): the domain the project's schema
 * ids, chart annotations, Argo CD labels and AWS tags use.
 */
export const ZONAL_DOMAIN = 'zonal.dev';

/** `zonal.dev/<name>`: a label, annotation or tag key in zonal's domain. */
export function zonalKey(name: string): string {
  return `${ZONAL_DOMAIN}/${name}`;
}

/**
 * Envoy's outlier-detection `max_ejection_percent` when unset (and what Istio sends when a
 * DestinationRule leaves maxEjectionPercent out): at most 10% of a pool is ejected.
 */
export const ENVOY_DEFAULT_MAX_EJECTION_PERCENT = 10;

/**
 * Envoy's `zone_aware_lb_config.min_cluster_size` when unset (Istio's zoneAwareLbSetting.minClusterSize
 * default): with fewer healthy endpoints Envoy does no zone-aware routing.
 */
export const ENVOY_DEFAULT_MIN_CLUSTER_SIZE = 6;

/** The pod annotation that carries a sidecar's ProxyConfig (YAML), e.g. its `proxyMetadata`. */
export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/**
 * proxyMetadata key that gives a sidecar its `local_cluster` (its own workload's pods per zone),
 * which Envoy's zone-aware routing needs (Istio 1.31+).
 */
export const SELF_DISCOVERY_METADATA = 'ISTIO_META_ENABLE_SELF_DISCOVERY';

/** Namespace (or pod) label that puts workloads in Istio's ambient data plane (ztunnel, no sidecar). */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const DATAPLANE_MODE_AMBIENT = 'ambient';
/** Namespace / Service / ServiceEntry label naming the waypoint (a Gateway in the same namespace) traffic goes through. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** Gateway label: which traffic a waypoint handles (`service`, `workload`, `all`, `none`). */
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
/** GatewayClass istiod provisions waypoints for (a Deployment + Service named like the Gateway). */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** Label istiod puts on a Gateway's pods: the Gateway's name (what a waypoint PDB selects). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** HBONE: the port and protocol a waypoint listens on. */
export const HBONE_PORT = 15008;
/** Sidecar injection labels (namespace level): either one turns injection on. */
export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
