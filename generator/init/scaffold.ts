/**
 * `zonal init`: a first values file from what a cluster already runs. Pure: the command reads
 * the files. Every Service found becomes a `workload: external` entry (its own chart keeps
 * deploying it; zonal adds the routing), DNS ServiceEntries whose endpoints carry zone
 * localities become externalHosts, and the subnets give the zones with their AZ ids and CIDRs.
 */
import type { KubeObject } from '../k8s/manifest.js';
import { InputError } from '../errors.js';
import { ZONE_LABEL } from '../well-known.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = Record<string, any>;

/** Namespaces of the platform, never adopted. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'istio-system', 'argocd', 'default']);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface ScaffoldInput {
  readonly name: string;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** `aws ec2 describe-subnets` output (`{Subnets: [...]}`). */
  readonly subnets: unknown;
  readonly subnetsFile: string;
  /** Objects of `kubectl get svc,deploy,sts,dr,se -A -o yaml`. */
  readonly objects: readonly KubeObject[];
}

export interface Zone { name: string; id?: string; cidrs: string[] }

/** Zones, their AZ ids and CIDRs from describe-subnets; the region is the zones' common prefix. */
export function zonesFromSubnets(raw: unknown, file: string): { region: string; zones: Zone[] } {
  const subnets = (raw as Any)?.Subnets;
  if (!Array.isArray(subnets) || subnets.length === 0) {
    throw new InputError([`${file}:1:1: no Subnets array (pass the JSON of: aws ec2 describe-subnets --filters Name=vpc-id,Values=<vpc>)`]);
  }
  const byZone = new Map<string, Zone>();
  for (const s of subnets as Any[]) {
    const name = String(s.AvailabilityZone ?? '');
    if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+[a-z]$/.test(name)) continue;
    const zone = byZone.get(name) ?? { name, cidrs: [] };
    if (typeof s.AvailabilityZoneId === 'string') zone.id = s.AvailabilityZoneId;
    if (typeof s.CidrBlock === 'string' && !zone.cidrs.includes(s.CidrBlock)) zone.cidrs.push(s.CidrBlock);
    byZone.set(name, zone);
  }
  const zones = [...byZone.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (zones.length < 2) throw new InputError([`${file}:1:1: subnets in ${zones.length} zone(s); zone-local routing needs at least 2 (use the subnets of the cluster's VPC)`]);
  const regions = new Set(zones.map((z) => z.name.slice(0, -1)));
  if (regions.size !== 1) throw new InputError([`${file}:1:1: subnets span regions ${[...regions].join(', ')} (pass one VPC's subnets)`]);
  for (const z of zones) z.cidrs.sort();
  return { region: [...regions][0]!, zones };
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function protocolOf(port: Any): 'HTTP' | 'HTTP2' | 'GRPC' | 'TCP' {
  const hint = String(port.appProtocol ?? port.name ?? '').toLowerCase();
  if (hint.startsWith('grpc')) return 'GRPC';
  if (hint.startsWith('http2') || hint === 'h2c' || hint === 'kubernetes.io/h2c') return 'HTTP2';
  if (hint.startsWith('http')) return 'HTTP';
  return 'TCP';
}

function spreadsOverZones(workload: Any): boolean {
  const tsc = workload?.spec?.template?.spec?.topologySpreadConstraints;
  return Array.isArray(tsc) && tsc.some((c: Any) => c?.topologyKey === ZONE_LABEL);
}

function serviceEntries(objects: readonly Any[], zones: readonly Zone[], region: string, namespaces: Set<string>): Any[] {
  const zoneNames = new Set(zones.map((z) => z.name));
  const out: Any[] = [];
  for (const se of objects.filter((o) => o.kind === 'ServiceEntry')) {
    const ns = String(se.metadata?.namespace ?? '');
    const host = se.spec?.hosts?.[0];
    const port = se.spec?.ports?.[0];
    const endpoints = (se.spec?.endpoints ?? []) as Any[];
    if (SYSTEM_NAMESPACES.has(ns) || !DNS_LABEL.test(ns) || typeof host !== 'string' || !port || endpoints.length === 0) continue;
    const located = endpoints.map((e) => ({ address: e.address, zone: String(e.locality ?? '').split('/')[1] ?? '', region: String(e.locality ?? '').split('/')[0] }));
    if (!located.every((e) => typeof e.address === 'string' && zoneNames.has(e.zone) && e.region === region)) continue;
    namespaces.add(ns);
    out.push({
      name: se.metadata.name,
      namespace: ns,
      host,
      protocol: String(port.protocol ?? 'TCP').toUpperCase(),
      port: port.number,
      endpoints: located.map((e) => ({ address: e.address, zone: e.zone })),
    });
  }
  return out;
}

/** The values file (as data) for what the inputs show. */
export function scaffoldValues(input: ScaffoldInput): Any {
  const { region, zones } = zonesFromSubnets(input.subnets, input.subnetsFile);
  const objects = input.objects as readonly Any[];
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  const namespaces = new Set<string>();
  const services: Any[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const ns = String(svc.metadata?.namespace ?? '');
    const selector = (svc.spec?.selector ?? {}) as Record<string, string>;
    const port = svc.spec?.ports?.[0];
    // Headless or selector-less Services, and the platform's own, are not routed by zonal.
    if (SYSTEM_NAMESPACES.has(ns) || !DNS_LABEL.test(ns) || !port || svc.spec?.clusterIP === 'None' || Object.keys(selector).length === 0) continue;
    const backing = workloads.filter((w) => w.metadata?.namespace === ns && matches(selector, w.spec?.template?.metadata?.labels));
    namespaces.add(ns);
    services.push({
      name: svc.metadata.name,
      namespace: ns,
      workload: 'external',
      port: port.port,
      ...(typeof port.targetPort === 'number' && port.targetPort !== port.port ? { targetPort: port.targetPort } : {}),
      protocol: protocolOf(port),
      ...(backing.length === 1 && typeof backing[0].spec?.replicas === 'number' ? { replicas: backing[0].spec.replicas } : {}),
      selector,
      zoneSpread: backing.length > 0 && backing.every(spreadsOverZones),
      // The Service already prefers its zone (what ZNL029 asks the owning chart for).
      ...(svc.spec?.trafficDistribution ? { trafficDistribution: true } : {}),
    });
  }
  const externalHosts = serviceEntries(objects, zones, region, namespaces);
  if (namespaces.size === 0) {
    throw new InputError(['zonal init: no Service with a selector and no ServiceEntry with zone localities outside the system namespaces ' +
      '(pass the output of: kubectl get svc,deploy,sts,dr,se -A -o yaml)']);
  }
  return {
    apiVersion: 'zonal/v1',
    kind: 'TopologyRouting',
    metadata: { name: input.name },
    cluster: { name: input.clusterName, region, kubernetesVersion: input.kubernetesVersion, zones },
    // Namespaces that exist already belong to their charts: zonal's chart does not create them.
    namespaces: [...namespaces].sort().map((name) => ({ name, create: false })),
    services: services.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
    ...(externalHosts.length ? { externalHosts } : {}),
  };
}
