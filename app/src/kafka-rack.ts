/**
 * Kafka `client.rack` for consumers in this process. The chart sets env KAFKA_CLIENT_RACK to the
 * marker `topology.k8s.aws/zone-id` (services[].kafka.clientRack) because no downward-API field
 * can read a node label; zone discovery knows the AZ id (EC2 metadata
 * `placement/availability-zone-id`, the value EKS puts into that node label), so the marker is
 * replaced with it before any Kafka client reads the variable. Any other value is an explicit
 * rack id and is kept. The marker is not an AZ id: a client that reads it unresolved matches no
 * broker rack and fetches from the partition leaders, as without client.rack.
 */
export const KAFKA_CLIENT_RACK_ENV = 'KAFKA_CLIENT_RACK';
export const FROM_NODE_ZONE_ID = 'topology.k8s.aws/zone-id';

/** The client.rack to use, or undefined when none is asked for or the AZ id is unknown. */
export function resolveClientRack(configured: string | undefined, zoneId: string | null | undefined): string | undefined {
  if (configured === undefined || configured === '') return undefined;
  if (configured !== FROM_NODE_ZONE_ID) return configured;
  return zoneId ?? undefined;
}

/** Whether the chart asked for the node's AZ id (the marker is set). */
export function wantsNodeZoneId(env: NodeJS.ProcessEnv): boolean {
  return env[KAFKA_CLIENT_RACK_ENV] === FROM_NODE_ZONE_ID;
}

/** Replaces the marker in `env` with the discovered AZ id (or removes it when unknown); returns the rack in use. */
export function applyClientRack(env: NodeJS.ProcessEnv, zoneId: string | null | undefined): string | undefined {
  const configured = env[KAFKA_CLIENT_RACK_ENV];
  const rack = resolveClientRack(configured, zoneId);
  if (configured === FROM_NODE_ZONE_ID) {
    if (rack === undefined) delete env[KAFKA_CLIENT_RACK_ENV];
    else env[KAFKA_CLIENT_RACK_ENV] = rack;
  }
  return rack;
}
