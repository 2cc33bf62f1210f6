/**
 * Cross-checks for what sits behind external hosts (Aurora roles, MSK brokers): rules JSON Schema
 * cannot say because they depend on the host name or on other entries.
 */
import { inferHostType } from './defaults.js';
import { auroraEndpointKind, brokerEntryName, inferRdsRole, isReaderEndpoint, KAFKA_CLIENT_RACK_ENV } from './external-hosts.js';
import type { ProblemCollector } from './problems.js';

/** The part of an externalHosts entry these checks read (already accepted by the schema). */
export interface RawExternalHost {
  name: string;
  host: string;
  type?: string;
  role?: string;
  kafka?: { rackAwareSelector?: boolean };
  endpoints: Array<{ address: string; zone: string }>;
}

const READ_ONLY = 'an Aurora reader is read-only and refuses every write (MySQL error 1290 "--read-only", PostgreSQL "cannot execute ... in a read-only transaction")';

export function checkExternalHosts(hosts: readonly RawExternalHost[], otherNames: ReadonlySet<string>, out: ProblemCollector): void {
  const names = new Set([...otherNames, ...hosts.map((h) => h.name)]);
  hosts.forEach((h, i) => {
    const base = `/externalHosts/${i}`;
    const type = h.type ?? inferHostType(h.host);
    if (h.role !== undefined && type !== 'rds') {
      out.atValue(`${base}/role`, `${h.name}: role is only meaningful for type rds (this host is ${type})`, 'remove role, or set type: rds');
    }
    if (h.kafka !== undefined && type !== 'msk') {
      out.atValue(`${base}/kafka`, `${h.name}: kafka settings are only meaningful for type msk (this host is ${type})`, 'remove kafka, or set type: msk');
    }
    if (type === 'rds') checkRds(base, h, out);
    if (type === 'msk') checkBrokers(base, h, names, out);
  });
}

function checkRds(base: string, h: RawExternalHost, out: ProblemCollector): void {
  const role = h.role ?? inferRdsRole(h.host);
  const rolePointer = h.role !== undefined ? `${base}/role` : `${base}/host`;
  if (role === 'writer') {
    if (h.endpoints.length !== 1) {
      out.atValue(`${base}/endpoints`,
        `${h.name}: the Aurora cluster (writer) endpoint reaches exactly one instance, the writer, but ${h.endpoints.length} endpoints are listed: ` +
        `zone-local routing would send the writes of some zones to another instance, and ${READ_ONLY}`,
        `list one endpoint {address: ${h.host}, zone: <the writer's zone>} and put the instance endpoints on a role: reader host (the cluster-ro endpoint) for zone-local reads`);
    }
    h.endpoints.forEach((ep, j) => {
      if (isReaderEndpoint(ep.address)) {
        out.atValue(`${base}/endpoints/${j}/address`,
          `${h.name}: the writer host routes to the reader endpoint ${ep.address}: ${READ_ONLY}`,
          `use the cluster endpoint ${h.host} itself (it follows failover to the new writer)`);
      }
    });
    return;
  }
  if (role === 'reader' && auroraEndpointKind(h.host) === 'cluster') {
    out.atValue(rolePointer,
      `${h.name}: role reader on ${h.host}, which is the Aurora cluster (writer) endpoint: clients write through it, and routing it to readers fails those writes (${READ_ONLY})`,
      'use the cluster-ro endpoint (or a custom reader endpoint) as the reader host, and keep role: writer for the cluster endpoint');
  }
}

function checkBrokers(base: string, h: RawExternalHost, names: ReadonlySet<string>, out: ProblemCollector): void {
  const seen = new Map<string, number>();
  h.endpoints.forEach((ep, j) => {
    const name = brokerEntryName(h.name, ep.address);
    const pointer = `${base}/endpoints/${j}/address`;
    const first = seen.get(name);
    if (first !== undefined) {
      out.atValue(pointer, `${h.name}: brokers ${h.endpoints[first]!.address} and ${ep.address} would both get the ServiceEntry ${name}`,
        'each broker needs its own first DNS label (MSK names them b-1, b-2, ...)');
      return;
    }
    seen.set(name, j);
    if (name.length > 63) {
      out.atValue(pointer, `${h.name}: the broker ServiceEntry name ${name} is longer than 63 characters`, 'shorten the external host name');
    } else if (names.has(name)) {
      out.atValue(pointer, `${h.name}: the broker ServiceEntry name ${name} is already the name of a service or external host`,
        'rename one of them: both become object names in the chart');
    }
  });
}

/** The chart sets KAFKA_CLIENT_RACK itself for `kafka.clientRack`; a second definition in `env` would be ambiguous. */
export function checkKafkaClients(services: ReadonlyArray<{ name: string; env?: Record<string, string>; kafka?: { clientRack?: boolean } }>, out: ProblemCollector): void {
  services.forEach((s, i) => {
    if (s.kafka?.clientRack && s.env && Object.hasOwn(s.env, KAFKA_CLIENT_RACK_ENV)) {
      out.atKey(`/services/${i}/env/${KAFKA_CLIENT_RACK_ENV}`,
        `${s.name}: env ${KAFKA_CLIENT_RACK_ENV} is also set by kafka.clientRack: true`,
        `remove one of them (kafka.clientRack fills ${KAFKA_CLIENT_RACK_ENV} from the node's zone id)`);
    }
  });
}
