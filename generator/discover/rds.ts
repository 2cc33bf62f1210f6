/**
 * `zonal discover rds`: the externalHosts entries of Aurora clusters, from the JSON that
 * `aws rds describe-db-clusters` and/or `aws rds describe-db-instances` print:
 * - a writer host (the cluster endpoint; one endpoint, itself, in the writer instance's zone),
 * - a reader host (the cluster-ro endpoint) with every instance endpoint and its zone (the writer
 *   serves reads too, so a failover does not break zone-local reads).
 * describe-db-clusters says which instance is the writer (DBClusterMembers[].IsClusterWriter);
 * describe-db-instances says where each instance is (AvailabilityZone) and its endpoint address.
 */
import { InputError } from '../errors.js';
import { auroraNameParts } from '../model/external-hosts.js';
import { isRecord, stringField } from './aws-json.js';

export interface DiscoveredEndpoint {
  readonly address: string;
  readonly zone: string;
}

/** One externalHosts entry, with the keys in the order the values file writes them. */
export interface DiscoveredHost {
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly type: 'rds' | 'msk';
  readonly role?: 'writer' | 'reader';
  readonly protocol: 'TCP' | 'TLS';
  readonly port: number;
  readonly kafka?: { readonly rackAwareSelector: boolean };
  readonly endpoints: readonly DiscoveredEndpoint[];
}

export interface DiscoverContext {
  /** The cluster zones of the values file. */
  readonly zones: readonly string[];
  readonly namespace: string;
  /** Shown in messages: where the input came from (`<stdin>`) and the values file. */
  readonly input: string;
  readonly valuesFile: string;
}

export interface Discovery {
  readonly hosts: readonly DiscoveredHost[];
  /** What could not be filled in, as comment lines for the output. */
  readonly notes: readonly string[];
}

interface Instance {
  readonly id: string;
  readonly address?: string;
  readonly port?: number;
  readonly zone?: string;
  readonly cluster?: string;
}

interface Cluster {
  readonly id: string;
  readonly endpoint?: string;
  readonly reader?: string;
  readonly port?: number;
  readonly members: ReadonlyArray<{ id: string; writer: boolean }>;
}

const DEFAULT_PORT = 3306;

function records(doc: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = doc[key];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function portOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536 ? v : undefined;
}

export function readRdsJson(docs: readonly unknown[], input: string): { clusters: Cluster[]; instances: Instance[] } {
  const clusters: Cluster[] = [];
  const instances: Instance[] = [];
  let recognised = false;
  for (const doc of docs) {
    if (!isRecord(doc)) continue;
    if (Array.isArray(doc.DBClusters)) recognised = true;
    if (Array.isArray(doc.DBInstances)) recognised = true;
    for (const c of records(doc, 'DBClusters')) {
      const id = stringField(c, 'DBClusterIdentifier');
      if (!id) continue;
      const members = (Array.isArray(c.DBClusterMembers) ? c.DBClusterMembers : []).filter(isRecord)
        .flatMap((m) => { const mid = stringField(m, 'DBInstanceIdentifier'); return mid ? [{ id: mid, writer: m.IsClusterWriter === true }] : []; });
      clusters.push({
        id, members,
        ...(stringField(c, 'Endpoint') ? { endpoint: stringField(c, 'Endpoint')! } : {}),
        ...(stringField(c, 'ReaderEndpoint') ? { reader: stringField(c, 'ReaderEndpoint')! } : {}),
        ...(portOf(c.Port) ? { port: portOf(c.Port)! } : {}),
      });
    }
    for (const i of records(doc, 'DBInstances')) {
      const id = stringField(i, 'DBInstanceIdentifier');
      if (!id) continue;
      const ep = isRecord(i.Endpoint) ? i.Endpoint : {};
      instances.push({
        id,
        ...(stringField(ep, 'Address') ? { address: stringField(ep, 'Address')! } : {}),
        ...(portOf(ep.Port) ? { port: portOf(ep.Port)! } : {}),
        ...(stringField(i, 'AvailabilityZone') ? { zone: stringField(i, 'AvailabilityZone')! } : {}),
        ...(stringField(i, 'DBClusterIdentifier') ? { cluster: stringField(i, 'DBClusterIdentifier')! } : {}),
      });
    }
  }
  if (!recognised) {
    throw new InputError([`zonal discover rds: ${input} holds neither "DBClusters" nor "DBInstances" ` +
      '(pipe `aws rds describe-db-clusters` and/or `aws rds describe-db-instances` output, --output json)']);
  }
  return { clusters, instances };
}

/** The cluster-ro host of a cluster known only from its instances' endpoint addresses. */
function readerFromInstance(cluster: string, address: string | undefined): string | undefined {
  const parts = address ? auroraNameParts(address) : undefined;
  return parts ? `${cluster}.cluster-ro-${parts.suffix}.${parts.region}.rds.amazonaws.com` : undefined;
}

export function discoverRds(docs: readonly unknown[], ctx: DiscoverContext): Discovery {
  const { clusters, instances } = readRdsJson(docs, ctx.input);
  const byId = new Map(instances.map((i) => [i.id, i]));
  const problems: string[] = [];
  const notes: string[] = [];
  const hosts: DiscoveredHost[] = [];
  const zoneOk = (i: Instance): i is Instance & { zone: string; address: string } => {
    if (!i.zone || !i.address) return false;
    if (!ctx.zones.includes(i.zone)) {
      problems.push(`zonal discover rds: instance ${i.id} is in ${i.zone}, which is not a zone of ${ctx.valuesFile} (${ctx.zones.join(', ')}) ` +
        '(add the zone to cluster.zones, or move the instance)');
      return false;
    }
    return true;
  };
  const known = clusters.length ? clusters : [...new Set(instances.flatMap((i) => (i.cluster ? [i.cluster] : [])))].map((id): Cluster => ({
    id, members: instances.filter((i) => i.cluster === id).map((i) => ({ id: i.id, writer: false })),
  }));
  if (known.length === 0) throw new InputError([`zonal discover rds: ${ctx.input} lists no Aurora cluster (instances without DBClusterIdentifier are not Aurora)`]);
  for (const c of known) {
    const members = c.members.length ? c.members : instances.filter((i) => i.cluster === c.id).map((i) => ({ id: i.id, writer: false }));
    const located = members.map((m) => byId.get(m.id)).filter((i): i is Instance => i !== undefined);
    const port = c.port ?? located.find((i) => i.port)?.port ?? DEFAULT_PORT;
    if (clusters.length && instances.length === 0) {
      problems.push(`zonal discover rds: the zones of cluster ${c.id}'s instances are not in the input ` +
        '(pipe `aws rds describe-db-instances` too: aws rds describe-db-clusters; aws rds describe-db-instances)');
      continue;
    }
    const writer = members.find((m) => m.writer);
    const writerInstance = writer ? byId.get(writer.id) : undefined;
    if (c.endpoint && writerInstance && zoneOk(writerInstance)) {
      hosts.push({
        name: `${c.id}-writer`, namespace: ctx.namespace, host: c.endpoint, type: 'rds', role: 'writer', protocol: 'TCP', port,
        endpoints: [{ address: c.endpoint, zone: writerInstance.zone }],
      });
    } else if (!clusters.length) {
      notes.push(`${c.id}: no writer entry: which instance is the writer is only in \`aws rds describe-db-clusters\` (DBClusterMembers[].IsClusterWriter)`);
    } else if (c.endpoint && writer && !writerInstance) {
      notes.push(`${c.id}: no writer entry: the writer instance ${writer.id} is not in the describe-db-instances output`);
    }
    const readerHost = c.reader ?? readerFromInstance(c.id, located[0]?.address);
    const endpoints = located.filter(zoneOk).map((i) => ({ address: i.address, zone: i.zone }))
      .sort((a, b) => ctx.zones.indexOf(a.zone) - ctx.zones.indexOf(b.zone) || a.address.localeCompare(b.address));
    if (readerHost && endpoints.length) {
      hosts.push({ name: `${c.id}-reader`, namespace: ctx.namespace, host: readerHost, type: 'rds', role: 'reader', protocol: 'TCP', port, endpoints });
    }
    const missing = members.filter((m) => !byId.has(m.id)).map((m) => m.id);
    if (missing.length) notes.push(`${c.id}: instance(s) ${missing.join(', ')} are not in the describe-db-instances output: not listed`);
  }
  if (problems.length) throw new InputError([...new Set(problems)]);
  return { hosts, notes };
}
