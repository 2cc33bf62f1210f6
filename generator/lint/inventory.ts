import { load } from 'js-yaml';
import { apiGroup, type LocatedObject } from '../k8s/manifest.js';
import { arr, at, num, rec, str, strMap, type Json } from './json.js';
import type { LintContext } from './types.js';

/**
 * The linted objects indexed the way the rules ask about them: which Services/ServiceEntries a
 * DestinationRule host reaches, which workloads back a Service, what the mesh configuration in the
 * input says. Built once per run; every rule reads it and none modifies it.
 */

export const ISTIO_NETWORKING = 'networking.istio.io';
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const REGION_LABEL = 'topology.kubernetes.io/region';
export const AUTOALLOCATE_LABEL = 'networking.istio.io/enable-autoallocate-ip';
export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';
export const TRAFFIC_DISTRIBUTION_ANNOTATION = 'networking.istio.io/traffic-distribution';

/** The namespace an object lands in: `metadata.namespace`, or `default` as kubectl applies it. */
export function namespaceOf(o: LocatedObject): string {
  return o.object.metadata.namespace || 'default';
}

/** Istio's ResolveShortnameToFQDN: a host without a dot expands in the given namespace; anything else is taken as written. */
export function resolveHost(host: string, namespace: string): string {
  if (host === '*' || host.includes('.') || /^[0-9a-f:]+$/i.test(host)) return host;
  return `${host}.${namespace}.svc.cluster.local`;
}

/** Istio host matching, including `*.suffix` wildcards on either side. */
export function hostsMatch(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  if (a.startsWith('*') && b.endsWith(a.slice(1))) return true;
  if (b.startsWith('*') && a.endsWith(b.slice(1))) return true;
  return false;
}

export function serviceFqdn(svc: LocatedObject): string {
  return `${svc.object.metadata.name}.${namespaceOf(svc)}.svc.cluster.local`;
}

/** The hosts of a ServiceEntry, resolved in its namespace. */
export function serviceEntryHosts(se: LocatedObject): string[] {
  return arr(at(se.object, 'spec', 'hosts')).flatMap((h) => (typeof h === 'string' ? [resolveHost(h, namespaceOf(se))] : []));
}

/** One place a traffic policy applies (top level, a port, a subset, a subset's port) with the settings in force there. */
export interface PolicyScope {
  readonly where: string;
  readonly loadBalancer?: { readonly value: Json; readonly pointer: string };
  readonly outlierDetection?: { readonly value: Json; readonly pointer: string };
}

type Slot = PolicyScope['loadBalancer'];

function slot(policy: Json | undefined, key: string, pointer: string): Slot {
  const v = rec(policy?.[key]);
  return v ? { value: v, pointer: `${pointer}/${key}` } : undefined;
}

/**
 * Every scope of a DestinationRule's traffic policy with the effective loadBalancer and
 * outlierDetection. Istio merges port-level and subset policies over the top level field by field
 * (a more specific `outlierDetection` replaces the whole top-level one), so that is what is modelled here.
 */
export function policyScopes(dr: LocatedObject): PolicyScope[] {
  const spec = rec(dr.object.spec) ?? {};
  const scopes: PolicyScope[] = [];
  const add = (where: string, base: PolicyScope | undefined, policy: Json | undefined, pointer: string): PolicyScope => {
    const scope: PolicyScope = {
      where,
      loadBalancer: slot(policy, 'loadBalancer', pointer) ?? base?.loadBalancer,
      outlierDetection: slot(policy, 'outlierDetection', pointer) ?? base?.outlierDetection,
    };
    scopes.push(scope);
    arr(policy?.portLevelSettings).forEach((pls, i) => {
      const port = at(pls, 'port', 'number');
      const p = rec(pls);
      const pp = `${pointer}/portLevelSettings/${i}`;
      scopes.push({
        where: `${where === 'trafficPolicy' ? '' : `${where} `}port ${port ?? i}`,
        loadBalancer: slot(p, 'loadBalancer', pp) ?? scope.loadBalancer,
        outlierDetection: slot(p, 'outlierDetection', pp) ?? scope.outlierDetection,
      });
    });
    return scope;
  };
  const top = add('trafficPolicy', undefined, rec(spec.trafficPolicy), '/spec/trafficPolicy');
  arr(spec.subsets).forEach((s, j) => {
    const tp = rec(at(s, 'trafficPolicy'));
    if (tp) add(`subset ${str(at(s, 'name')) ?? j}`, top, tp, `/spec/subsets/${j}/trafficPolicy`);
  });
  return scopes;
}

/** The localityLbSetting of a scope, when locality load balancing is not switched off. */
export function activeLocality(scope: PolicyScope): { value: Json; pointer: string } | undefined {
  const lb = scope.loadBalancer;
  const locality = rec(lb?.value.localityLbSetting);
  if (!lb || !locality || locality.enabled === false) return undefined;
  return { value: locality, pointer: `${lb.pointer}/localityLbSetting` };
}

/** `proxyMetadata` flags from a ProxyConfig (a mesh `defaultConfig` or a `proxy.istio.io/config` annotation). */
function proxyMetadata(config: unknown): Record<string, string> {
  return strMap(at(config, 'proxyMetadata'));
}

const looseCache = new Map<string, unknown>();

/** Parses embedded YAML (annotations, ConfigMap data); charts repeat the same text per workload. */
function parseYamlLoose(text: string | undefined): unknown {
  if (!text) return undefined;
  if (looseCache.has(text)) return looseCache.get(text);
  let value: unknown;
  try {
    value = load(text);
  } catch {
    value = undefined;
  }
  if (looseCache.size < 1000) looseCache.set(text, value);
  return value;
}

export interface DnsEvidence {
  /** Some proxy in the input captures DNS (ISTIO_META_DNS_CAPTURE=true). */
  readonly capture: boolean;
  /** The legacy agent-side allocation (ISTIO_META_DNS_AUTO_ALLOCATE=true), deprecated since Istio 1.25. */
  readonly legacyAutoAllocate: boolean;
}

export interface Inventory {
  readonly objects: readonly LocatedObject[];
  readonly context: LintContext;
  readonly destinationRules: readonly LocatedObject[];
  readonly serviceEntries: readonly LocatedObject[];
  readonly services: readonly LocatedObject[];
  readonly workloads: readonly LocatedObject[];
  readonly namespaces: ReadonlyMap<string, LocatedObject>;
  /** Known cluster zones: the context's plus the zone labels of Node objects in the input. */
  readonly zones: ReadonlySet<string>;
  readonly region: string | undefined;
  readonly dns: DnsEvidence;
  /** localityLbSetting from a mesh config (ConfigMap `istio[-rev]`, key `mesh`) in the input. */
  readonly meshLocality: Json | undefined;
  /** Services and ServiceEntries a DestinationRule host reaches. */
  targetsOf(dr: LocatedObject): { services: LocatedObject[]; serviceEntries: LocatedObject[] };
  /** Workloads whose pod template labels satisfy the Service's selector, in its namespace. */
  backingWorkloads(svc: LocatedObject): LocatedObject[];
  /** How many endpoints the DestinationRule's host has (undefined when the input does not tell). */
  poolSize(dr: LocatedObject): number | undefined;
}

function isNetworking(o: LocatedObject, kind: string): boolean {
  return o.object.kind === kind && apiGroup(o.object.apiVersion) === ISTIO_NETWORKING;
}

function isCore(o: LocatedObject, kind: string): boolean {
  return o.object.kind === kind && o.object.apiVersion === 'v1';
}

export function podTemplate(o: LocatedObject): Json | undefined {
  if (o.object.kind === 'Pod') return o.object as unknown as Json;
  if (o.object.kind === 'CronJob') return rec(at(o.object, 'spec', 'jobTemplate', 'spec', 'template'));
  return rec(at(o.object, 'spec', 'template'));
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function buildInventory(objects: readonly LocatedObject[], context: LintContext): Inventory {
  const destinationRules = objects.filter((o) => isNetworking(o, 'DestinationRule'));
  const serviceEntries = objects.filter((o) => isNetworking(o, 'ServiceEntry'));
  const services = objects.filter((o) => isCore(o, 'Service'));
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.object.kind) && apiGroup(o.object.apiVersion) === 'apps');
  const namespaces = new Map(objects.filter((o) => isCore(o, 'Namespace')).map((o) => [o.object.metadata.name, o]));
  const nodes = objects.filter((o) => isCore(o, 'Node'));

  const zones = new Set(context.zones ?? []);
  const regions = new Set<string>();
  for (const n of nodes) {
    const labels = n.object.metadata.labels ?? {};
    if (labels[ZONE_LABEL]) zones.add(labels[ZONE_LABEL]);
    if (labels[REGION_LABEL]) regions.add(labels[REGION_LABEL]);
  }
  const region = context.region ?? (regions.size === 1 ? [...regions][0] : undefined);

  let capture = context.meshDnsAutoAllocate === true;
  let legacyAutoAllocate = false;
  let meshLocality: Json | undefined;
  const noteProxyConfig = (config: unknown) => {
    const md = proxyMetadata(config);
    if (md.ISTIO_META_DNS_CAPTURE === 'true') capture = true;
    if (md.ISTIO_META_DNS_AUTO_ALLOCATE === 'true') legacyAutoAllocate = true;
  };
  for (const o of objects) {
    if (isCore(o, 'ConfigMap') && /^istio(-.+)?$/.test(o.object.metadata.name)) {
      const mesh = parseYamlLoose(str(at(o.object, 'data', 'mesh')));
      noteProxyConfig(at(mesh, 'defaultConfig'));
      meshLocality = rec(at(mesh, 'localityLbSetting')) ?? meshLocality;
    }
    const template = podTemplate(o);
    if (template) noteProxyConfig(parseYamlLoose(str(at(template, 'metadata', 'annotations', PROXY_CONFIG_ANNOTATION))));
  }

  // Indexes keep the per-DestinationRule look-ups linear in the input size (charts with thousands
  // of services); wildcard hosts are rare and fall back to a scan.
  const workloadsByNamespace = groupBy(workloads, namespaceOf);
  const podLabels = new Map(workloads.map((w) => [w, strMap(at(podTemplate(w), 'metadata', 'labels'))]));
  const backingWorkloads = (svc: LocatedObject) => {
    const selector = strMap(at(svc.object, 'spec', 'selector'));
    return (workloadsByNamespace.get(namespaceOf(svc)) ?? []).filter((w) => selects(selector, podLabels.get(w)!));
  };

  const servicesByHost = groupBy(services, serviceFqdn);
  const entryHosts = serviceEntries.map((se) => ({ se, hosts: serviceEntryHosts(se) }));
  const entriesByHost = new Map<string, LocatedObject[]>();
  for (const { se, hosts } of entryHosts) for (const h of new Set(hosts)) entriesByHost.set(h, [...(entriesByHost.get(h) ?? []), se]);
  const wildcardEntries = entryHosts.filter((e) => e.hosts.some((h) => h.startsWith('*')));

  const targetsOf = (dr: LocatedObject) => {
    const raw = str(at(dr.object, 'spec', 'host'));
    if (!raw) return { services: [], serviceEntries: [] };
    const host = resolveHost(raw, namespaceOf(dr));
    if (host.startsWith('*')) {
      return {
        services: services.filter((s) => hostsMatch(host, serviceFqdn(s))),
        serviceEntries: entryHosts.filter((e) => e.hosts.some((h) => hostsMatch(host, h))).map((e) => e.se),
      };
    }
    const entries = new Set([...(entriesByHost.get(host) ?? []),
      ...wildcardEntries.filter((e) => e.hosts.some((h) => hostsMatch(host, h))).map((e) => e.se)]);
    return {
      services: servicesByHost.get(host) ?? [],
      serviceEntries: serviceEntries.filter((se) => entries.has(se)),
    };
  };

  const poolSize = (dr: LocatedObject): number | undefined => {
    const t = targetsOf(dr);
    if (t.services.length + t.serviceEntries.length !== 1) return undefined;
    const se = t.serviceEntries[0];
    if (se) {
      const endpoints = arr(at(se.object, 'spec', 'endpoints')).length;
      return endpoints > 0 ? endpoints : undefined;
    }
    const backing = backingWorkloads(t.services[0]!);
    if (backing.length === 0 || backing.some((w) => w.object.kind === 'DaemonSet')) return undefined;
    return backing.reduce((sum, w) => sum + (num(at(w.object, 'spec', 'replicas')) ?? 1), 0);
  };

  return {
    objects, context, destinationRules, serviceEntries, services, workloads, namespaces, zones, region,
    dns: { capture, legacyAutoAllocate }, meshLocality, targetsOf, backingWorkloads, poolSize,
  };
}
