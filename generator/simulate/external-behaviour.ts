/**
 * What the services behind external hosts do with the traffic, after the mesh has routed it:
 * - Kafka (MSK): the bootstrap host is used once; produce requests go to each partition's leader,
 *   and leaders are spread evenly over the brokers, so produce crosses zones (zones-1)/zones of the
 *   time whatever the mesh does. Fetches go to the leader too, unless the consumer sets
 *   `client.rack` and the brokers run the rack-aware replica selector (KIP-392): then they are
 *   served by the replica in the consumer's zone. The per-broker ServiceEntries are folded into the
 *   bootstrap destination, which carries the cluster's whole traffic.
 * - Aurora: a cluster's traffic is split into reads (`readFraction`, to the reader host) and writes
 *   (to the writer host, one instance in one zone). The mesh's routing of each host stands.
 * - Interface VPC endpoints: no inter-AZ charge (the price list says so); a note says that zone
 *   routing there buys latency, not money.
 * Pure: destinations + scenario + facts from the objects in, volumes/shares/notes out.
 */
import type { CostDestinationType } from '../cost/model.js';
import {
  auroraEndpointKind, auroraNameParts, inferRdsRole, KAFKA_CLIENT_RACK_ENV, KAFKA_RACK_AWARE_ANNOTATION, KAFKA_ROLE_ANNOTATION,
  RACK_AWARE_REPLICA_SELECTOR, RDS_ROLE_ANNOTATION,
} from '../model/external-hosts.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { RdsRole } from '../model/types.js';
import { parseLocality } from './locality.js';
import type { Destination, ExternalDestination } from './objects.js';
import type { Scenario } from './scenario.js';

export type Shares = Readonly<Record<string, number>>;

/** What a destination's result says about the service behind it (`destinations[].external` in the JSON). */
export type ExternalView =
  | {
    readonly kind: 'kafka';
    /** Broker host -> zone. */
    readonly brokers: Readonly<Record<string, string>>;
    /** Share of partition leaders per zone (brokers spread them evenly). */
    readonly leaderShares: Shares;
    readonly produceFraction: number;
    /** Consumers set client.rack (a workload in the input has KAFKA_CLIENT_RACK). */
    readonly clientRack: boolean;
    /** The brokers run the rack-aware replica selector. */
    readonly rackAwareSelector: boolean;
    /** Consume traffic is served in the consumer's zone. */
    readonly localConsume: boolean;
  }
  | {
    readonly kind: 'aurora';
    readonly role: RdsRole;
    /** `<cluster>.<suffix>.<region>` for writer/reader hosts of one cluster. */
    readonly cluster?: string;
    /** Share of the cluster's traffic this host carries (reads or writes), when it has a writer and a reader. */
    readonly trafficShare?: number;
  }
  | { readonly kind: 'interface-endpoint' };

export interface ExternalFacts {
  /** Some workload in the input sets KAFKA_CLIENT_RACK (or the values file says kafka.clientRack). */
  readonly kafkaClientRack: boolean;
  readonly costType: (d: Destination) => CostDestinationType;
  /** Broker destinations already folded into each bootstrap (foldKafkaBrokers). */
  readonly foldedBrokers?: ReadonlyMap<string, readonly string[]>;
}

export interface ExternalBehaviour {
  /** Volume per caller zone and destination, given the scenario's own volume function. */
  volume(base: (zone: string, dest: string) => number): (zone: string, dest: string) => number;
  /** Where a caller zone's traffic ends up, given where the mesh sends it (after) and sends it with routing off (before). */
  shares(d: Destination, zone: string, after: Shares, before: Shares): { after: Shares; before: Shares };
  notes(d: Destination): string[];
  view(d: Destination): ExternalView | undefined;
}

function external(d: Destination): ExternalDestination | undefined {
  return d.kind === 'external' ? d : undefined;
}

function zoneOfLocality(locality: string): string | undefined {
  const z = parseLocality(locality).zone;
  return z || undefined;
}

/** The Kafka bootstrap destinations with their brokers, and the broker destinations they absorb. */
export interface KafkaCluster {
  readonly bootstrap: ExternalDestination;
  /** Broker host -> zone (from the bootstrap's endpoints, else the broker entries). */
  readonly brokers: Readonly<Record<string, string>>;
  /** Names of the per-broker destinations folded into the bootstrap. */
  readonly folded: readonly string[];
  readonly rackAwareSelector: boolean;
}

/**
 * Groups MSK destinations into clusters: a bootstrap (not annotated as a broker) and the broker
 * entries whose host is one of its endpoint addresses (or that zonal annotated as brokers of it).
 */
export function kafkaClusters(destinations: readonly Destination[], costType: (d: Destination) => CostDestinationType): KafkaCluster[] {
  const msk = destinations.flatMap((d) => (external(d) && costType(d) === 'msk' ? [d as ExternalDestination] : []));
  const brokerEntries = msk.filter((d) => d.annotations[KAFKA_ROLE_ANNOTATION] === 'broker');
  const bootstraps = msk.filter((d) => d.annotations[KAFKA_ROLE_ANNOTATION] !== 'broker');
  const claimed = new Set<string>();
  const clusters = bootstraps.map((b) => {
    const brokers: Record<string, string> = {};
    for (const ep of b.endpoints) {
      const zone = zoneOfLocality(ep.locality);
      if (ep.address && zone && !b.hosts.includes(ep.address)) brokers[ep.address] = zone;
    }
    const folded = brokerEntries.filter((e) => e.hosts.some((h) => h in brokers) && !claimed.has(e.name));
    for (const e of folded) claimed.add(e.name);
    return { bootstrap: b, brokers, folded: folded.map((e) => e.name), rackAwareSelector: b.annotations[KAFKA_RACK_AWARE_ANNOTATION] === 'true' };
  });
  // Broker entries without a bootstrap in the input: each is a broker of an unknown cluster.
  const orphans = brokerEntries.filter((e) => !claimed.has(e.name));
  if (orphans.length && clusters.length === 0) {
    const brokers: Record<string, string> = {};
    for (const e of orphans) {
      const zone = e.endpoints.map((ep) => zoneOfLocality(ep.locality)).find((z) => z);
      if (zone) brokers[e.hosts[0]!] = zone;
    }
    return [{ bootstrap: orphans[0]!, brokers, folded: orphans.slice(1).map((e) => e.name), rackAwareSelector: false }];
  }
  return clusters;
}

/**
 * The destinations the simulation shows: per-broker entries folded into their bootstrap, whose
 * aliases then include the broker names (so a scenario may name either).
 */
export function foldKafkaBrokers(destinations: readonly Destination[], costType: (d: Destination) => CostDestinationType): {
  destinations: Destination[];
  /** Bootstrap destination name -> the broker destinations folded into it. */
  folded: Map<string, readonly string[]>;
} {
  const clusters = kafkaClusters(destinations, costType);
  const folded = new Map<string, KafkaCluster>();
  for (const c of clusters) for (const n of c.folded) folded.set(n, c);
  const byName = new Map(destinations.map((d) => [d.name, d]));
  const kept = destinations.filter((d) => !folded.has(d.name)).map((d) => {
    const c = clusters.find((k) => k.bootstrap === d);
    if (!c || c.folded.length === 0) return d;
    const extra = c.folded.flatMap((n) => { const f = byName.get(n)!; return [f.name, ...f.aliases]; });
    return { ...d, aliases: [...new Set([...d.aliases, ...extra])].filter((a) => a !== d.name) };
  });
  return { destinations: kept, folded: new Map(clusters.filter((c) => c.folded.length).map((c) => [c.bootstrap.name, c.folded])) };
}

function rdsRole(d: ExternalDestination): RdsRole {
  const annotated = d.annotations[RDS_ROLE_ANNOTATION];
  if (annotated === 'writer' || annotated === 'reader' || annotated === 'instance') return annotated;
  return inferRdsRole(d.hosts[0] ?? '');
}

/** `<cluster>.<suffix>.<region>` of a writer or cluster-ro host (custom endpoints name no cluster). */
function auroraCluster(d: ExternalDestination): string | undefined {
  for (const h of d.hosts) {
    const kind = auroraEndpointKind(h);
    const parts = auroraNameParts(h);
    if (parts && (kind === 'cluster' || kind === 'reader')) return `${parts.id}.${parts.suffix}.${parts.region}`;
  }
  return undefined;
}

function leaderShares(brokers: Readonly<Record<string, string>>): Record<string, number> {
  const zones = Object.values(brokers);
  const out: Record<string, number> = {};
  for (const z of zones) out[z] = (out[z] ?? 0) + 1 / zones.length;
  return out;
}

function mix(a: Shares, wa: number, b: Shares, wb: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [z, v] of Object.entries(a)) out[z] = (out[z] ?? 0) + v * wa;
  for (const [z, v] of Object.entries(b)) out[z] = (out[z] ?? 0) + v * wb;
  for (const z of Object.keys(out)) if (out[z]! <= 0) delete out[z];
  return out;
}

function pct(v: number): string {
  return `${Math.round(v * 1000) / 10}%`;
}

export function externalBehaviour(destinations: readonly Destination[], scenario: Scenario, facts: ExternalFacts): ExternalBehaviour {
  const { readFraction, produceFraction } = scenario;
  const kafka = new Map(kafkaClusters(destinations, facts.costType).map((c) => [c.bootstrap.name, c]));

  // Aurora clusters with both a writer and reader host in the input: their traffic is split.
  const groups = new Map<string, { writers: string[]; readers: string[] }>();
  const auroraOf = new Map<string, { role: RdsRole; cluster?: string }>();
  for (const d of destinations) {
    const e = external(d);
    if (!e || facts.costType(d) !== 'rds') continue;
    const role = rdsRole(e);
    const cluster = role === 'instance' ? undefined : auroraCluster(e);
    auroraOf.set(d.name, { role, ...(cluster ? { cluster } : {}) });
    if (!cluster) continue;
    const g = groups.get(cluster) ?? { writers: [], readers: [] };
    (role === 'writer' ? g.writers : g.readers).push(d.name);
    groups.set(cluster, g);
  }
  const split = new Map<string, { members: string[]; share: number }>();
  for (const g of groups.values()) {
    if (g.writers.length === 0 || g.readers.length === 0) continue;
    const members = [...g.writers, ...g.readers];
    for (const w of g.writers) split.set(w, { members, share: Math.round(((1 - readFraction) / g.writers.length) * 1e12) / 1e12 });
    for (const r of g.readers) split.set(r, { members, share: readFraction / g.readers.length });
  }
  const explicit = new Map(scenario.traffic.map((t) => [`${t.from}\u0000${t.to}`, t.gbPerMonth]));

  const kafkaShares = (c: KafkaCluster, zone: string) => {
    const leaders = leaderShares(c.brokers);
    const localConsume = facts.kafkaClientRack && c.rackAwareSelector && Object.values(c.brokers).includes(zone);
    const consume = localConsume ? { [zone]: 1 } : leaders;
    return { leaders, localConsume, after: mix(leaders, produceFraction, consume, 1 - produceFraction) };
  };

  return {
    volume: (base) => (zone, dest) => {
      const s = split.get(dest);
      if (!s) return base(zone, dest);
      // The cluster's database traffic from this zone: what the scenario lists for its hosts, else
      // one default volume for the whole cluster.
      const listed = s.members.map((m) => explicit.get(`${zone}\u0000${m}`)).filter((v): v is number => v !== undefined);
      const total = listed.length ? listed.reduce((a, b) => a + b, 0) : base(zone, s.members[0]!);
      // Rounded to a nano-GB so that 100 * 0.2 prints as 20, not 19.999999999999996.
      return Math.round(total * s.share * 1e9) / 1e9;
    },
    shares: (d, zone, after, before) => {
      const c = kafka.get(d.name);
      if (!c || Object.keys(c.brokers).length === 0) return { after, before };
      // Before: no client.rack, so produce and fetch both follow the leaders; the mesh changes neither.
      return { after: kafkaShares(c, zone).after, before: leaderShares(c.brokers) };
    },
    notes: (d) => {
      const out: string[] = [];
      const c = kafka.get(d.name);
      if (c && Object.keys(c.brokers).length) {
        const zones = new Set(Object.values(c.brokers));
        const cross = zones.size > 0 ? (zones.size - 1) / zones.size : 0;
        out.push(`Kafka: ${pct(produceFraction)} of the traffic is produce, which goes to the partition leaders, spread over the brokers in ` +
          `${[...zones].sort().join(', ')}: about ${pct(cross)} of it crosses zones whatever the mesh does (the bootstrap host is only the first connection)`);
        const anyLocal = [...zones].some((z) => kafkaShares(c, z).localConsume);
        if (anyLocal) out.push(`consume traffic is fetched from the replica in the consumer's zone (client.rack + ${RACK_AWARE_REPLICA_SELECTOR})`);
        else if (!c.rackAwareSelector) out.push(`consume traffic follows the leaders too: the brokers do not declare replica.selector.class=${RACK_AWARE_REPLICA_SELECTOR} (externalHosts[].kafka.rackAwareSelector)`);
        else out.push('consume traffic follows the leaders too: no consumer sets client.rack (services[].kafka.clientRack: env KAFKA_CLIENT_RACK)');
        const folded = [...c.folded, ...(facts.foldedBrokers?.get(d.name) ?? [])];
        if (folded.length) out.push(`includes the traffic of the per-broker ServiceEntries ${folded.join(', ')}`);
      }
      const a = auroraOf.get(d.name);
      const e = external(d);
      if (a?.role === 'writer' && e) {
        const zones = new Set(e.endpoints.map((ep) => zoneOfLocality(ep.locality)).filter((z) => z));
        if (e.endpoints.length > 1) {
          out.push(`Aurora writer host with ${e.endpoints.length} endpoints: the writes routed to instances other than the writer fail (readers are read-only; lint ZNL026)`);
        } else {
          out.push(`Aurora writer: every zone's writes go to the one writer${zones.size ? ` in ${[...zones].join(', ')}` : ''}; the mesh cannot localise writes`);
        }
      }
      const s = split.get(d.name);
      if (s && a) out.push(`carries ${pct(s.share)} of the Aurora cluster's traffic (${a.role === 'writer' ? 'writes' : 'reads'}; scenario readFraction ${readFraction})`);
      if (facts.costType(d) === 'interface-endpoint') {
        out.push('interface VPC endpoint: AWS bills no inter-AZ transfer through PrivateLink since April 2022 (only per-GB processing), so zone routing here buys latency, not money');
      }
      return out;
    },
    view: (d) => {
      const c = kafka.get(d.name);
      if (c) {
        const zones = [...new Set(Object.values(c.brokers))];
        return {
          kind: 'kafka', brokers: { ...c.brokers }, leaderShares: leaderShares(c.brokers), produceFraction,
          clientRack: facts.kafkaClientRack, rackAwareSelector: c.rackAwareSelector,
          localConsume: zones.length > 0 && zones.every((z) => kafkaShares(c, z).localConsume),
        };
      }
      const a = auroraOf.get(d.name);
      if (a) {
        const s = split.get(d.name);
        return { kind: 'aurora', role: a.role, ...(a.cluster ? { cluster: a.cluster } : {}), ...(s ? { trafficShare: s.share } : {}) };
      }
      return facts.costType(d) === 'interface-endpoint' ? { kind: 'interface-endpoint' } : undefined;
    },
  };
}

/**
 * Whether consumers set `client.rack`: some workload in the objects sets KAFKA_CLIENT_RACK (what
 * the chart renders for `services[].kafka.clientRack`).
 */
export function objectsSetClientRack(objects: readonly KubeObject[]): boolean {
  return objects.some((o) => {
    const spec = (o as { spec?: { template?: { spec?: PodSpecLike }; jobTemplate?: { spec?: { template?: { spec?: PodSpecLike } } } } }).spec;
    const pod = o.kind === 'Pod' ? (o as { spec?: PodSpecLike }).spec : spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
    return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].some((c) => (c?.env ?? []).some((e) => e?.name === KAFKA_CLIENT_RACK_ENV));
  });
}

interface PodSpecLike {
  containers?: Array<{ env?: Array<{ name?: string }> }>;
  initContainers?: Array<{ env?: Array<{ name?: string }> }>;
}
