/**
 * External hosts as the services behind them behave: an Aurora cluster (writer) endpoint reaches
 * exactly one instance, and an MSK bootstrap host is used for the first connection only.
 * Both rules read manifests alone: the host names say what a host is (zonal's annotations say it
 * for rendered objects), so they judge hand-written ServiceEntries the same way.
 */
import type { LocatedObject } from '../../k8s/manifest.js';
import { inferHostType } from '../../model/defaults.js';
import {
  auroraEndpointKind, HOST_TYPE_ANNOTATION, isReaderEndpoint, KAFKA_ROLE_ANNOTATION, RDS_ROLE_ANNOTATION,
} from '../../model/external-hosts.js';
import { serviceEntryHosts } from '../inventory.js';
import type { Inventory } from '../inventory.js';
import { arr, at, str } from '../json.js';
import type { Emit } from '../types.js';

function annotation(se: LocatedObject, key: string): string | undefined {
  return se.object.metadata.annotations?.[key];
}

function endpointAddresses(se: LocatedObject): string[] {
  return arr(at(se.object, 'spec', 'endpoints')).map((ep) => str(at(ep, 'address')) ?? '');
}

/** The Aurora cluster (writer) host of a ServiceEntry, when it is one. */
function writerHost(se: LocatedObject): string | undefined {
  const hosts = serviceEntryHosts(se);
  if (annotation(se, RDS_ROLE_ANNOTATION) === 'writer') return hosts[0];
  if (annotation(se, RDS_ROLE_ANNOTATION) !== undefined) return undefined;
  return hosts.find((h) => auroraEndpointKind(h) === 'cluster');
}

/** ZNL026: an Aurora writer ServiceEntry that can route writes to a reader. */
export function auroraWriterEndpoints(inv: Inventory, emit: Emit): void {
  for (const se of inv.serviceEntries) {
    const host = writerHost(se);
    if (host === undefined) continue;
    const addresses = endpointAddresses(se);
    // No endpoints (Envoy resolves the cluster endpoint itself) or one writer endpoint is right.
    const reader = addresses.findIndex((a) => isReaderEndpoint(a));
    if (addresses.length > 1) {
      emit({
        code: 'ZNL026', target: se, pointer: '/spec/endpoints',
        message: `${host} is an Aurora cluster (writer) endpoint, which always reaches the one writer instance, but this ServiceEntry lists ` +
          `${addresses.length} endpoints: Envoy sends each zone's connections to "its" endpoint, so the writes of every zone without the writer ` +
          'reach a reader, and Aurora readers are read-only (the writes fail: MySQL error 1290 --read-only, PostgreSQL "read-only transaction") ' +
          `(give the writer host one endpoint, ${host} itself, which follows failover; route reads by zone through the cluster-ro endpoint with the instance endpoints)`,
      });
    } else if (reader >= 0) {
      emit({
        code: 'ZNL026', target: se, pointer: `/spec/endpoints/${reader}/address`,
        message: `${host} is an Aurora cluster (writer) endpoint routed to the reader endpoint ${addresses[reader]}: every write fails, Aurora readers are ` +
          `read-only (use ${host} itself as the endpoint address)`,
      });
    }
  }
}

function isMsk(se: LocatedObject): boolean {
  const type = annotation(se, HOST_TYPE_ANNOTATION);
  if (type !== undefined) return type === 'msk';
  return serviceEntryHosts(se).some((h) => inferHostType(h) === 'msk') || endpointAddresses(se).some((a) => inferHostType(a) === 'msk');
}

/** ZNL027: locality on an MSK bootstrap host whose brokers have no ServiceEntry of their own. */
export function kafkaBootstrapOnly(inv: Inventory, emit: Emit): void {
  const covered = new Set(inv.serviceEntries.flatMap((se) => serviceEntryHosts(se)));
  for (const se of inv.serviceEntries) {
    if (!isMsk(se) || annotation(se, KAFKA_ROLE_ANNOTATION) === 'broker') continue;
    const hosts = new Set(serviceEntryHosts(se));
    const eps = arr(at(se.object, 'spec', 'endpoints'));
    const zones = new Set(eps.map((ep) => str(at(ep, 'locality'))).filter((l) => l));
    if (zones.size < 2) continue;
    const brokers = eps.map((ep) => str(at(ep, 'address')) ?? '').filter((a) => a && !hosts.has(a));
    const uncovered = brokers.filter((b) => !covered.has(b));
    if (uncovered.length === 0) continue;
    emit({
      code: 'ZNL027', target: se, pointer: '/spec/endpoints',
      message: `locality routing on this Kafka bootstrap host localises only the bootstrap connection: a client uses it to fetch the cluster ` +
        `metadata, then connects to each partition leader by the broker's own name (${uncovered.slice(0, 3).join(', ')}${uncovered.length > 3 ? ', ...' : ''}), ` +
        'which no ServiceEntry covers, so produce and fetch traffic goes wherever the leaders are, outside the mesh\'s accounting ' +
        '(add one ServiceEntry per broker, as zonal renders for type: msk; zone-local reads need client.rack and the rack-aware replica selector, not the mesh)',
    });
  }
}
