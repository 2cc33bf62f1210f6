/**
 * `zonal discover msk`: the externalHosts entry of an MSK cluster from `aws kafka list-nodes`
 * JSON (NodeInfoList[].BrokerNodeInfo: Endpoints, ClientVpcIpAddress, ClientSubnet). list-nodes
 * names no zone, so each broker's zone is the cluster zone whose subnet CIDRs
 * (`cluster.zones[].cidrs` of the values file) hold its client VPC address.
 */
import { InputError } from '../errors.js';
import { parseCidr, parseIPv4 } from '../flowlogs/addresses.js';
import type { Zone } from '../model/types.js';
import { isRecord, stringField } from './aws-json.js';
import type { DiscoveredHost, Discovery } from './rds.js';

export interface MskContext {
  readonly zones: readonly Zone[];
  readonly namespace: string;
  readonly input: string;
  readonly valuesFile: string;
  /** The entry's name (default `<cluster>-kafka`). */
  readonly name?: string;
  /** The bootstrap host clients dial (default `boot.<broker domain>`). */
  readonly host?: string;
  /** Listener port (default 9094, the TLS listener). */
  readonly port?: number;
  /** The cluster configuration sets the rack-aware replica selector. */
  readonly rackAwareSelector: boolean;
}

/** MSK listener ports: 9092 plaintext, 9094 TLS, 9096 SASL/SCRAM, 9098 IAM (all but 9092 are TLS). */
export const DEFAULT_MSK_PORT = 9094;

interface Broker {
  readonly id: string;
  readonly endpoint: string;
  readonly ip?: string;
  readonly subnet?: string;
}

function zoneOfAddress(ip: string | undefined, zones: readonly Zone[]): string | undefined {
  const addr = ip ? parseIPv4(ip) : undefined;
  if (addr === undefined) return undefined;
  for (const z of zones) {
    for (const text of z.cidrs) {
      const c = parseCidr(text);
      if (c?.family === 4 && addr >= c.first && addr <= c.last) return z.name;
    }
  }
  return undefined;
}

export function readBrokers(docs: readonly unknown[], input: string): Broker[] {
  let recognised = false;
  const brokers: Broker[] = [];
  for (const doc of docs) {
    if (!isRecord(doc) || !Array.isArray(doc.NodeInfoList)) continue;
    recognised = true;
    for (const node of doc.NodeInfoList.filter(isRecord)) {
      const info = isRecord(node.BrokerNodeInfo) ? node.BrokerNodeInfo : undefined;
      if (!info) continue; // controller / ZooKeeper nodes
      const endpoint = (Array.isArray(info.Endpoints) ? info.Endpoints : []).find((e): e is string => typeof e === 'string' && e !== '');
      if (!endpoint) continue;
      const id = typeof info.BrokerId === 'number' ? String(info.BrokerId) : endpoint.split('.')[0]!;
      brokers.push({
        id, endpoint: endpoint.toLowerCase(),
        ...(stringField(info, 'ClientVpcIpAddress') ? { ip: stringField(info, 'ClientVpcIpAddress')! } : {}),
        ...(stringField(info, 'ClientSubnet') ? { subnet: stringField(info, 'ClientSubnet')! } : {}),
      });
    }
  }
  if (!recognised) {
    throw new InputError([`zonal discover msk: ${input} holds no "NodeInfoList" (pipe \`aws kafka list-nodes --cluster-arn ARN\` output, --output json)`]);
  }
  if (brokers.length === 0) throw new InputError([`zonal discover msk: ${input} lists no broker node with an endpoint`]);
  return brokers;
}

export function discoverMsk(docs: readonly unknown[], ctx: MskContext): Discovery {
  const brokers = readBrokers(docs, ctx.input);
  const problems: string[] = [];
  const endpoints = brokers.flatMap((b) => {
    const zone = zoneOfAddress(b.ip, ctx.zones);
    if (zone) return [{ address: b.endpoint, zone }];
    problems.push(`zonal discover msk: broker ${b.endpoint} (${b.ip ?? 'no ClientVpcIpAddress'}${b.subnet ? `, ${b.subnet}` : ''}) is in none of the ` +
      `subnet CIDRs of ${ctx.valuesFile} (add the subnet's CIDR to cluster.zones[].cidrs of its zone)`);
    return [];
  });
  if (problems.length) throw new InputError(problems);
  const zoneOrder = ctx.zones.map((z) => z.name);
  endpoints.sort((a, b) => zoneOrder.indexOf(a.zone) - zoneOrder.indexOf(b.zone) || a.address.localeCompare(b.address, 'en', { numeric: true }));
  // b-1.<cluster>.<suffix>.c<n>.kafka.<region>.amazonaws.com
  const domain = endpoints[0]!.address.split('.').slice(1).join('.');
  const clusterName = domain.split('.')[0] ?? 'msk';
  const port = ctx.port ?? DEFAULT_MSK_PORT;
  const host: DiscoveredHost = {
    name: ctx.name ?? `${clusterName}-kafka`,
    namespace: ctx.namespace,
    host: ctx.host ?? `boot.${domain}`,
    type: 'msk',
    protocol: port === 9092 ? 'TCP' : 'TLS',
    port,
    kafka: { rackAwareSelector: ctx.rackAwareSelector },
    endpoints,
  };
  const notes = [
    `${host.name}: ${endpoints.length} brokers in ${[...new Set(endpoints.map((e) => e.zone))].join(', ')}; the chart renders one ServiceEntry per broker`,
    ...(ctx.host ? [] : [`${host.name}: host ${host.host} is a name for clients' bootstrap.servers that the sidecar's DNS capture answers; use --host for the one your clients dial`]),
    ...(ctx.rackAwareSelector ? [] : [`${host.name}: kafka.rackAwareSelector is false: set it (--rack-aware-selector) when the cluster configuration has replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector`]),
  ];
  return { hosts: [host], notes };
}
