import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ExternalHost, TopologyRouting } from '../model/types.js';
import { localityOf } from '../model/types.js';
import { TPL, type RenderContext } from './context.js';
import { argoAnnotations, standardLabels, SYNC_WAVE } from './labels.js';

/**
 * A TCP ServiceEntry without addresses asks istiod for an auto-allocated address (label honoured
 * since Istio 1.25); with sidecar DNS capture callers then reach it on its own listener.
 */
export function autoAllocateLabel(model: TopologyRouting, host: ExternalHost): Record<string, string> {
  const tcp = host.protocol === 'TCP' || host.protocol === 'MONGO';
  return tcp && model.mesh.dnsCapture && host.addresses.length === 0 ? { 'networking.istio.io/enable-autoallocate-ip': 'true' } : {};
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
      name: host.name,
      namespace: host.namespace,
      labels: standardLabels(v, model, ctx.chartVersion, host.name, autoAllocateLabel(model, host)),
      annotations: argoAnnotations(SYNC_WAVE.istio, true),
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
          `\n${' '.repeat(indent)}  locality: {{ printf "%s/%s" $.Values.cluster.region $zone | quote }}` +
          portsLine(indent) +
          `\n${' '.repeat(indent)}{{- end }}` +
          `\n${' '.repeat(indent)}{{- end }}`,
        concrete,
      ),
    },
  };
}
