/**
 * Facts about the AWS services behind external hosts, one source for the values model, the
 * renderer, lint, the simulator and `zonal discover`: how Aurora and MSK name their endpoints, and
 * the annotations zonal puts on ServiceEntries so that lint and simulate can tell, from manifests
 * alone, what a host is.
 *
 * Aurora endpoint names (Amazon Aurora User Guide, "Types of Aurora endpoints"):
 *   cluster (writer)  <cluster>.cluster-<suffix>.<region>.rds.amazonaws.com
 *   reader            <cluster>.cluster-ro-<suffix>.<region>.rds.amazonaws.com
 *   custom            <endpoint>.cluster-custom-<suffix>.<region>.rds.amazonaws.com
 *   instance          <instance>.<suffix>.<region>.rds.amazonaws.com
 * MSK broker names: b-<broker id>.<cluster>.<suffix>.c<n>.kafka.<region>.amazonaws.com.
 */
import type { RdsRole } from './types.js';
import { zonalKey } from '../well-known.js';

/** ServiceEntry annotation: the external host's type (rds, msk, ...), for the cost model. */
export const HOST_TYPE_ANNOTATION = zonalKey('host-type');
/** ServiceEntry annotation on `type: rds` hosts: writer, reader or instance. */
export const RDS_ROLE_ANNOTATION = zonalKey('rds-role');
/** ServiceEntry annotation on `type: msk` hosts: bootstrap (the host clients start from) or broker. */
export const KAFKA_ROLE_ANNOTATION = zonalKey('kafka-role');
/** ServiceEntry annotation on an MSK bootstrap host: "true" when the brokers run the rack-aware replica selector. */
export const KAFKA_RACK_AWARE_ANNOTATION = zonalKey('kafka-rack-aware-selector');

/** Container env the chart sets for `services[].kafka.clientRack` (see docs/app.md). */
export const KAFKA_CLIENT_RACK_ENV = 'KAFKA_CLIENT_RACK';
/**
 * Its value: "use the node's `topology.k8s.aws/zone-id`". No downward-API field reads node labels,
 * so the app resolves it at start-up from its zone discovery (EC2 metadata
 * `placement/availability-zone-id`, the value EKS copies into that label). It is not an AZ id, so
 * a client that does not resolve it matches no broker rack and simply fetches from leaders.
 */
export const KAFKA_CLIENT_RACK_FROM_NODE = 'topology.k8s.aws/zone-id';

/** The Kafka broker setting that lets consumers fetch from a follower in their rack (KIP-392). */
export const RACK_AWARE_REPLICA_SELECTOR = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';

export type AuroraEndpointKind = 'cluster' | 'reader' | 'custom' | 'instance';

const AURORA = /^([a-z][a-z0-9-]*)\.(cluster-ro-|cluster-custom-|cluster-)?([a-z0-9]+)\.([a-z0-9-]+)\.rds\.amazonaws\.com(\.cn)?$/;

/** What kind of Aurora/RDS endpoint a DNS name is, or undefined when it is not an RDS name. */
export function auroraEndpointKind(host: string): AuroraEndpointKind | undefined {
  const m = AURORA.exec(host.toLowerCase());
  if (!m) return undefined;
  switch (m[2]) {
    case 'cluster-': return 'cluster';
    case 'cluster-ro-': return 'reader';
    case 'cluster-custom-': return 'custom';
    default: return 'instance';
  }
}

/** The parts of an RDS DNS name: first label (cluster, endpoint or instance id), account/region suffix, region. */
export function auroraNameParts(host: string): { id: string; suffix: string; region: string } | undefined {
  const m = AURORA.exec(host.toLowerCase());
  return m ? { id: m[1]!, suffix: m[3]!, region: m[4]! } : undefined;
}

/** The role a `type: rds` host has when the values file does not say. */
export function inferRdsRole(host: string): RdsRole {
  const kind = auroraEndpointKind(host);
  if (kind === 'cluster') return 'writer';
  if (kind === 'reader' || kind === 'custom') return 'reader';
  return 'instance';
}

/** True for the Aurora endpoints that only serve reads (a writer host must never route to them). */
export function isReaderEndpoint(host: string): boolean {
  const kind = auroraEndpointKind(host);
  return kind === 'reader' || kind === 'custom';
}

/**
 * Name suffix of a broker's own ServiceEntry: the first DNS label of its address (`b-1`), which
 * MSK makes unique within a cluster.
 */
export function brokerLabel(address: string): string {
  return address.split('.')[0]!;
}

/** metadata.name of a broker's ServiceEntry: `<host name>-<broker label>`. */
export function brokerEntryName(hostName: string, address: string): string {
  return `${hostName}-${brokerLabel(address)}`;
}
