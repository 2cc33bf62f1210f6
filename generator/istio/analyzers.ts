/**
 * What Istio's analyzers (`istioctl analyze`) report about the kinds zonal reads, answered from the
 * core's index: DestinationRule subsets that select no pod (IST0173), ServiceEntries that give one
 * host and port different protocols (IST0177), Service ports whose protocol istiod cannot tell from
 * the name or appProtocol (IST0118, IST0150 on ExternalName Services). A DestinationRule host that
 * reaches nothing (IST0174) is `MeshIndex.targetsOf` returning nothing; a TCP ServiceEntry without
 * addresses (IST0134) is lint's ZNL014. test/istio/cases/analyzer-*.yaml hold Istio's own cases.
 */
import type { KubeObject } from '../k8s/manifest.js';
import { HOSTNAME_LABEL, REGION_LABEL, SUBZONE_LABEL, ZONE_LABEL } from '../well-known.js';
import { namespaceOf, type MeshIndex } from './mesh.js';
import { servicePortProtocol } from './protocols.js';

type Json = Record<string, unknown>;

function rec(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function labelsOf(v: unknown): Record<string, string> {
  const r = rec(v);
  if (!r) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(r)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Namespaces whose objects the analyzers never see (the injector's ignored namespaces). */
export const ANALYZER_IGNORED_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/** Label values of the gateway.istio.io/managed label on Services istiod deploys itself (gateways, waypoints). */
const MANAGED_GATEWAY_CONTROLLERS = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller']);

/** Keys istiod adds to a pod's labels from its node (and the node name) before matching subsets. */
const TOPOLOGY_KEYS = new Set([REGION_LABEL, ZONE_LABEL, SUBZONE_LABEL, HOSTNAME_LABEL]);

/** A set of labels some endpoint of a host carries; `placed: false` for pod templates, whose node is not known yet. */
interface Candidate {
  readonly labels: Readonly<Record<string, string>>;
  readonly placed: boolean;
}

function matches(selector: Readonly<Record<string, string>>, c: Candidate): boolean {
  return Object.entries(selector).every(([k, v]) => {
    if (c.labels[k] !== undefined) return c.labels[k] === v;
    // A template's pods get their node's topology labels once scheduled: any non-empty value may come true.
    return !c.placed && TOPOLOGY_KEYS.has(k) && v !== '';
  });
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** Pods (labels plus their node's topology, as istiod augments them) and workload pod templates, by namespace. */
function endpointCandidates(objects: readonly KubeObject[]): Map<string, Candidate[]> {
  const nodes = new Map<string, Record<string, string>>();
  for (const o of objects) if (o.kind === 'Node' && o.apiVersion === 'v1') nodes.set(o.metadata.name, o.metadata.labels ?? {});
  const out = new Map<string, Candidate[]>();
  const add = (ns: string, c: Candidate) => {
    const list = out.get(ns);
    if (list) list.push(c);
    else out.set(ns, [c]);
  };
  for (const o of objects) {
    if (o.kind === 'Pod' && o.apiVersion === 'v1') {
      const labels = { ...labelsOf(o.metadata.labels) };
      const nodeName = rec(o.spec)?.nodeName;
      if (typeof nodeName === 'string' && nodeName !== '') {
        const node = nodes.get(nodeName) ?? {};
        for (const key of [REGION_LABEL, ZONE_LABEL, SUBZONE_LABEL]) if (node[key]) labels[key] = node[key];
        labels[HOSTNAME_LABEL] = nodeName;
      }
      add(namespaceOf(o), { labels, placed: true });
    } else if (WORKLOAD_KINDS.has(o.kind) && o.apiVersion.startsWith('apps/')) {
      add(namespaceOf(o), { labels: labelsOf(rec(rec(rec(o.spec)?.template)?.metadata)?.labels), placed: false });
    } else if (o.kind === 'WorkloadEntry' && o.apiVersion.startsWith('networking.istio.io/')) {
      add(namespaceOf(o), { labels: labelsOf(rec(o.spec)?.labels), placed: true });
    }
  }
  return out;
}

export interface EmptySubset {
  readonly destinationRule: KubeObject;
  readonly index: number;
  readonly name: string;
}

/**
 * IST0173: subsets of DestinationRules that reach a host but whose labels select none of its
 * endpoints (pods, pod templates, WorkloadEntries, or a ServiceEntry's listed endpoints). Requests
 * routed to such a subset find no endpoint. Rules that reach no host are IST0174 instead.
 */
export function subsetsSelectingNothing(mesh: MeshIndex): EmptySubset[] {
  const withSubsets = mesh.destinationRules.filter((dr) => Array.isArray(rec(dr.spec)?.subsets) && (rec(dr.spec)!.subsets as unknown[]).length > 0);
  if (withSubsets.length === 0) return [];
  const byNamespace = endpointCandidates(mesh.objects);
  const everywhere = () => [...byNamespace.values()].flat();
  /** The endpoint label sets of one host, and the labels every subset selector adds to the subset's own. */
  const endpointsOf = (target: KubeObject): { candidates: readonly Candidate[]; base: Record<string, string> } => {
    const spec = rec(target.spec) ?? {};
    if (target.kind === 'Service') {
      const selector = labelsOf(spec.selector);
      // Without a selector the Service's endpoints are managed by hand: any pod may be one (as istioctl reads it).
      if (Object.keys(selector).length === 0) return { candidates: everywhere(), base: {} };
      return { candidates: (byNamespace.get(namespaceOf(target)) ?? []).filter((c) => matches(selector, c)), base: {} };
    }
    const workloadSelector = labelsOf(rec(spec.workloadSelector)?.labels);
    if (Object.keys(workloadSelector).length > 0) return { candidates: byNamespace.get(namespaceOf(target)) ?? [], base: workloadSelector };
    const listed = Array.isArray(spec.endpoints) ? spec.endpoints : [];
    return { candidates: listed.map((e) => ({ labels: labelsOf(rec(e)?.labels), placed: true })), base: {} };
  };
  const out: EmptySubset[] = [];
  for (const dr of withSubsets) {
    const targets = mesh.targetsOf(dr);
    if (targets.length === 0) continue;
    const hosts = targets.map(endpointsOf);
    (rec(dr.spec)!.subsets as unknown[]).forEach((s, index) => {
      const subset = rec(s) ?? {};
      const own = labelsOf(subset.labels);
      const selected = hosts.some(({ candidates, base }) => candidates.some((c) => matches({ ...base, ...own }, c)));
      if (!selected) out.push({ destinationRule: dr, index, name: typeof subset.name === 'string' ? subset.name : String(index) });
    });
  }
  return out;
}

export interface ProtocolConflict {
  readonly serviceEntry: KubeObject;
  readonly host: string;
  readonly port: number;
  /** The protocols given to that host and port, upper-case, sorted. */
  readonly protocols: readonly string[];
  /** `namespace/name` of every ServiceEntry involved, sorted. */
  readonly serviceEntries: readonly string[];
}

/** The namespaces a ServiceEntry is visible in: `*` for all (no exportTo, or `*` in it). */
function exportScopes(se: KubeObject): Set<string> {
  const exportTo = Array.isArray(rec(se.spec)?.exportTo) ? (rec(se.spec)!.exportTo as unknown[]).map(String) : [];
  if (exportTo.length === 0 || exportTo.includes('*')) return new Set(['*']);
  return new Set(exportTo.map((e) => (e === '.' ? namespaceOf(se) : e)));
}

/**
 * IST0177: ServiceEntries visible in one namespace that give the same host and port different
 * protocols; istiod keeps one of them per host and port, so the other protocol's traffic is
 * handled as the wrong protocol. One conflict per ServiceEntry (the first found).
 */
export function conflictingServiceEntryProtocols(mesh: MeshIndex): ProtocolConflict[] {
  const index = new Map<string, { protocol: string; se: KubeObject }[]>();
  const keyOf = (scope: string, host: string, port: number) => `${scope}\0${host}\0${port}`;
  for (const se of mesh.serviceEntries) {
    if (ANALYZER_IGNORED_NAMESPACES.has(namespaceOf(se))) continue;
    const spec = rec(se.spec) ?? {};
    const hosts = Array.isArray(spec.hosts) ? spec.hosts.filter((h): h is string => typeof h === 'string') : [];
    const ports = (Array.isArray(spec.ports) ? spec.ports : []).map(rec).filter((p): p is Json => p !== undefined && typeof p.number === 'number');
    for (const scope of exportScopes(se)) {
      for (const host of hosts) {
        for (const p of ports) {
          const key = keyOf(scope, host, p.number as number);
          const list = index.get(key) ?? [];
          list.push({ protocol: typeof p.protocol === 'string' ? p.protocol.toUpperCase() : '', se });
          index.set(key, list);
        }
      }
    }
  }
  const reported = new Set<KubeObject>();
  const out: ProtocolConflict[] = [];
  for (const [key, own] of index) {
    const [scope, host, port] = key.split('\0') as [string, string, string];
    // A namespace also sees every ServiceEntry exported to all namespaces.
    const entries = scope === '*' ? own : [...own, ...(index.get(keyOf('*', host, Number(port))) ?? [])];
    const protocols = [...new Set(entries.map((e) => e.protocol))].sort();
    if (protocols.length < 2) continue;
    const names = [...new Set(entries.map((e) => `${namespaceOf(e.se)}/${e.se.metadata.name}`))].sort();
    for (const { se } of entries) {
      if (reported.has(se)) continue;
      reported.add(se);
      out.push({ serviceEntry: se, host, port: Number(port), protocols, serviceEntries: names });
    }
  }
  return out;
}

export interface PortNaming {
  readonly index: number;
  readonly port: number;
  readonly name: string;
  /** The port of an ExternalName Service (IST0150); otherwise any Service (IST0118). */
  readonly externalName: boolean;
}

/**
 * IST0118 / IST0150: Service ports whose protocol istiod cannot tell from appProtocol or the name's
 * `<protocol>[-suffix]` prefix, so it sniffs the connection (and, on an ExternalName Service, a port
 * named `tcp` or left to sniffing is not forwarded as its callers expect). Istio's own control-plane
 * Services and the gateways and waypoints it deploys are exempt, as are Kubernetes' system namespaces.
 */
export function servicePortNaming(svc: KubeObject): PortNaming[] {
  if (svc.kind !== 'Service' || svc.apiVersion !== 'v1' || ANALYZER_IGNORED_NAMESPACES.has(namespaceOf(svc))) return [];
  const labels = svc.metadata.labels ?? {};
  if (labels.istio !== undefined || labels.release === 'istio') return [];
  if (MANAGED_GATEWAY_CONTROLLERS.has(labels['gateway.istio.io/managed'] ?? '')) return [];
  const spec = rec(svc.spec) ?? {};
  const externalName = spec.type === 'ExternalName';
  const out: PortNaming[] = [];
  (Array.isArray(spec.ports) ? spec.ports : []).forEach((raw, index) => {
    const p = rec(raw) ?? {};
    const name = typeof p.name === 'string' ? p.name : '';
    const port = typeof p.port === 'number' ? p.port : 0;
    const protocol = servicePortProtocol({
      port,
      name,
      ...(typeof p.protocol === 'string' ? { protocol: p.protocol } : {}),
      ...(typeof p.appProtocol === 'string' ? { appProtocol: p.appProtocol } : {}),
    });
    if (protocol === undefined || (externalName && name === 'tcp')) out.push({ index, port, name, externalName });
  });
  return out;
}
