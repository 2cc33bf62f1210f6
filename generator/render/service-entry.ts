import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ExternalHost, TopologyRouting } from '../model/types.js';
import { localityOf } from '../model/types.js';
import {
  brokerEntryName, HOST_TYPE_ANNOTATION, KAFKA_RACK_AWARE_ANNOTATION, KAFKA_ROLE_ANNOTATION, RDS_ROLE_ANNOTATION,
} from '../model/external-hosts.js';
import { TPL, type RenderContext } from './context.js';
import { goString } from './value-source.js';
import { argoAnnotations, objectName, objectNamespace, standardLabels, SYNC_WAVE } from './labels.js';
import { ambientHostAnnotations } from './ambient-external.js';
import { useWaypointLabels } from './ambient.js';

/**
 * A TCP ServiceEntry without addresses asks istiod for an auto-allocated address (label honoured
 * since Istio 1.25); with sidecar DNS capture callers then reach it on its own listener.
 */
export function autoAllocateLabel(model: TopologyRouting, host: ExternalHost): Record<string, string> {
  const tcp = host.protocol === 'TCP' || host.protocol === 'MONGO';
  return tcp && model.mesh.dnsCapture && host.addresses.length === 0 ? { 'networking.istio.io/enable-autoallocate-ip': 'true' } : {};
}

/**
 * What the host is, for lint and simulate, which read manifests rather than the values file: the
 * type (cost model), an Aurora host's role, an MSK host's part and whether its brokers run the
 * rack-aware replica selector.
 */
export function externalHostAnnotations(host: ExternalHost, kafkaRole: 'bootstrap' | 'broker' = 'bootstrap'): Record<string, string> {
  return {
    [HOST_TYPE_ANNOTATION]: host.type,
    ...(host.role ? { [RDS_ROLE_ANNOTATION]: host.role } : {}),
    ...(host.kafka ? { [KAFKA_ROLE_ANNOTATION]: kafkaRole } : {}),
    ...(host.kafka && kafkaRole === 'bootstrap' ? { [KAFKA_RACK_AWARE_ANNOTATION]: String(host.kafka.rackAwareSelector) } : {}),
  };
}

/** Port name as Istio expects it: protocol prefix plus number, e.g. `tcp-3306`. */
export function externalPortName(host: ExternalHost): string {
  return `${host.protocol.toLowerCase()}-${host.port}`;
}

/** Endpoints grouped by zone, in cluster zone order: the shape of the chart's `endpoints` values. */
export function endpointsByZone(host: ExternalHost, zones: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const zone of zones) {
    const addrs = host.endpoints.filter((e) => e.zone === zone).map((e) => e.address);
    if (addrs.length) out[zone] = addrs;
  }
  return out;
}

/**
 * ServiceEntry with one endpoint per AZ-specific address. `resolution: DNS` (STRICT_DNS) keeps each
 * endpoint's locality, which is what lets Envoy prefer the caller's zone; DNS_ROUND_ROBIN would
 * keep only one endpoint.
 */
export function renderServiceEntry(ctx: RenderContext, host: ExternalHost): IServiceEntry {
  const { v, model } = ctx;
  const portName = externalPortName(host);
  const ports = host.targetPort !== host.port ? { [portName]: host.targetPort } : undefined;
  const endpoint = (address: string, zone: string) => ({
    address,
    locality: localityOf(model.cluster, zone),
    ...(ports ? { ports } : {}),
  });
  const zones = model.cluster.zones.map((z) => z.name);
  const concrete = Object.entries(endpointsByZone(host, zones)).flatMap(([zone, addrs]) => addrs.map((a) => endpoint(a, zone)));
  const portsLine = (indent: number) =>
    ports ? `\n${' '.repeat(indent)}  ports:\n${' '.repeat(indent)}    ${portName}: ${host.targetPort}` : '';
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: {
      name: objectName(v, model, host.name),
      namespace: objectNamespace(v, model, host.namespace),
      labels: standardLabels(v, model, ctx.chartVersion, host.name, { ...autoAllocateLabel(model, host), ...useWaypointLabels(model, host.namespace) }),
      annotations: { ...argoAnnotations(SYNC_WAVE.istio, true), ...externalHostAnnotations(host), ...ambientHostAnnotations(ctx, host) },
    },
    spec: {
      hosts: [host.host],
      ...(host.addresses.length ? { addresses: [...host.addresses] } : {}),
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: host.port, name: portName, protocol: host.protocol }],
      // Go templates range over maps in key order; zone names sort the same way as cluster zones do.
      endpoints: v.raw(
        (indent) =>
          `\n${' '.repeat(indent)}{{- range $zone, $addresses := ${TPL.item}.endpoints }}` +
          `\n${' '.repeat(indent)}{{- range $address := $addresses }}` +
          `\n${' '.repeat(indent)}- address: {{ $address | quote }}` +
          `\n${' '.repeat(indent)}  locality: {{ printf "%s/%s" ${goString(model.cluster.region)} $zone | quote }}` +
          portsLine(indent) +
          `\n${' '.repeat(indent)}{{- end }}` +
          `\n${' '.repeat(indent)}{{- end }}`,
        concrete,
      ),
    },
  };
}

/**
 * One ServiceEntry per MSK broker: its own name as host and its one endpoint with its zone. A
 * Kafka client uses the bootstrap host only to fetch the cluster metadata and then connects to
 * each partition leader by that broker's name, so without these entries every produce and fetch
 * connection bypasses the mesh (no outlier detection, no telemetry, no zone accounting). One
 * endpoint per entry: there is nothing to localise, the broker lives where it lives.
 */
export function renderBrokerEntries(ctx: RenderContext, host: ExternalHost): IServiceEntry[] {
  if (!host.kafka) return [];
  const { v, model } = ctx;
  const portName = externalPortName(host);
  const ports = host.targetPort !== host.port ? { [portName]: host.targetPort } : undefined;
  return host.endpoints.map((ep) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: {
      name: objectName(v, model, brokerEntryName(host.name, ep.address)),
      namespace: objectNamespace(v, model, host.namespace),
      // The bootstrap host's fixed `addresses` are not the brokers': each broker gets its own.
      labels: standardLabels(v, model, ctx.chartVersion, host.name, autoAllocateLabel(model, { ...host, addresses: [] })),
      annotations: { ...argoAnnotations(SYNC_WAVE.istio, true), ...externalHostAnnotations(host, 'broker') },
    },
    spec: {
      hosts: [ep.address],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: host.port, name: portName, protocol: host.protocol }],
      endpoints: [{ address: ep.address, locality: localityOf(model.cluster, ep.zone), ...(ports ? { ports } : {}) }],
    },
  }));
}
