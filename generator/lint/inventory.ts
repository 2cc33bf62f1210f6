import { load, YAMLException } from 'js-yaml';
import {
  activeLocality, behaviourOf, buildMeshIndex, hostsMatch as istioHostsMatch, policyScopes as corePolicyScopes, resolveShortname,
  TRAFFIC_DISTRIBUTION_ANNOTATION as TD_ANNOTATION, type IstioBehaviour, type MeshIndex, type PolicyScope,
} from '../istio/index.js';
import { apiGroup, type KubeObject, type LocatedObject } from '../k8s/manifest.js';
import { arr, at, num, rec, str, strMap, type Json } from './json.js';
import type { LintContext } from './types.js';
import { PROXY_CONFIG_ANNOTATION, REGION_LABEL, ZONE_LABEL } from '../well-known.js';

/**
 * The linted objects indexed the way the rules ask about them: which Services/ServiceEntries a
 * DestinationRule host reaches, which workloads back a Service, what the mesh configuration in the
 * input says. Built once per run; every rule reads it and none modifies it.
 */

export const ISTIO_NETWORKING = 'networking.istio.io';
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
export { PROXY_CONFIG_ANNOTATION, REGION_LABEL, ZONE_LABEL };
export const AUTOALLOCATE_LABEL = 'networking.istio.io/enable-autoallocate-ip';
export const TRAFFIC_DISTRIBUTION_ANNOTATION = TD_ANNOTATION;

/** The namespace an object lands in: `metadata.namespace`, or `default` as kubectl applies it. */
export function namespaceOf(o: LocatedObject): string {
  return o.object.metadata.namespace || 'default';
}

/** Istio's ResolveShortnameToFQDN (the Istio core's). */
export const resolveHost = resolveShortname;

/** Istio host matching, including `*.suffix` wildcards on either side (the Istio core's). */
export const hostsMatch = istioHostsMatch;

export function serviceFqdn(svc: LocatedObject): string {
  return `${svc.object.metadata.name}.${namespaceOf(svc)}.svc.cluster.local`;
}

/** The hosts of a ServiceEntry, exactly as written (istiod does not expand ServiceEntry hosts). */
export function serviceEntryHosts(se: LocatedObject): string[] {
  return arr(at(se.object, 'spec', 'hosts')).flatMap((h) => (typeof h === 'string' ? [h] : []));
}

const scopesCache = new WeakMap<LocatedObject, readonly PolicyScope[]>();

/**
 * A DestinationRule's policy scopes (top level, ports, subsets) with their pointers: the Istio
 * core's. Worked out once per DestinationRule: nine rule checks walk them.
 */
export function policyScopes(dr: LocatedObject): readonly PolicyScope[] {
  let scopes = scopesCache.get(dr);
  if (!scopes) scopesCache.set(dr, scopes = corePolicyScopes(dr.object));
  return scopes;
}
export { activeLocality, type PolicyScope };

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
  } catch (err) {
    // Embedded YAML that does not parse tells the rules nothing; any other error is a bug.
    if (!(err instanceof YAMLException)) throw err;
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

/** What a DestinationRule applies to, as the mesh index finds it (shared by every rule: read only). */
export interface DestinationRuleTargets {
  readonly services: readonly LocatedObject[];
  readonly serviceEntries: readonly LocatedObject[];
}

export interface Inventory {
  readonly objects: readonly LocatedObject[];
  readonly context: LintContext;
  /** The Istio minor's behaviour row (from the context's istioVersion, default 1.31). */
  readonly behaviour: IstioBehaviour;
  /** The Istio core's index of the same objects: every host / DestinationRule question goes there. */
  readonly mesh: MeshIndex;
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
  /** Services and ServiceEntries a DestinationRule host reaches (computed once per DestinationRule). */
  targetsOf(dr: LocatedObject): DestinationRuleTargets;
  /** Workloads whose pod template labels satisfy the Service's selector, in its namespace. */
  backingWorkloads(svc: LocatedObject): LocatedObject[];
  /** Workloads in a namespace (apps/v1 kinds), in input order. */
  workloadsIn(namespace: string): readonly LocatedObject[];
  /** A workload's pod template labels (computed once). */
  podLabelsOf(w: LocatedObject): Readonly<Record<string, string>>;
  /**
   * Workloads of a namespace that can match `matchLabels` (those carrying its first label pair; the
   * whole namespace for an empty selector): an index, so selector rules stay linear.
   */
  selectorCandidates(namespace: string, matchLabels: Readonly<Record<string, string>>): readonly LocatedObject[];
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
  const byLabel = new Map<string, LocatedObject[]>();
  for (const w of workloads) {
    for (const [k, v] of Object.entries(podLabels.get(w)!)) {
      const key = `${namespaceOf(w)}\0${k}\0${v}`;
      const list = byLabel.get(key);
      if (list) list.push(w);
      else byLabel.set(key, [w]);
    }
  }
  const workloadsIn = (ns: string) => workloadsByNamespace.get(ns) ?? [];
  const podLabelsOf = (w: LocatedObject) => podLabels.get(w) ?? strMap(at(podTemplate(w), 'metadata', 'labels'));
  const selectorCandidates = (ns: string, matchLabels: Readonly<Record<string, string>>) => {
    let best: readonly LocatedObject[] | undefined;
    for (const [k, v] of Object.entries(matchLabels)) {
      const list = byLabel.get(`${ns}\0${k}\0${v}`) ?? [];
      if (!best || list.length < best.length) best = list;
    }
    return best ?? workloadsIn(ns);
  };
  const backingCache = new Map<LocatedObject, LocatedObject[]>();
  const backingWorkloads = (svc: LocatedObject) => {
    const known = backingCache.get(svc);
    if (known) return known;
    const found = selectedBy(svc);
    backingCache.set(svc, found);
    return found;
  };
  const selectedBy = (svc: LocatedObject) => {
    const selector = strMap(at(svc.object, 'spec', 'selector'));
    return selectorCandidates(namespaceOf(svc), selector).filter((w) => selects(selector, podLabels.get(w)!));
  };

  const behaviour = behaviourOf(context.istioVersion);
  const mesh = buildMeshIndex(objects.map((o) => o.object), {
    ...(context.istioVersion !== undefined ? { istioVersion: context.istioVersion } : {}),
    ...(context.mesh ? { mesh: context.mesh } : {}),
  });
  const located = new Map<KubeObject, LocatedObject>(objects.map((o) => [o.object, o]));
  // A dozen rule checks ask for a DestinationRule's targets, each time a look-up in the mesh index:
  // worked out once per DestinationRule.
  const targetsCache = new Map<LocatedObject, DestinationRuleTargets>();
  const targetsOf = (dr: LocatedObject): DestinationRuleTargets => {
    const known = targetsCache.get(dr);
    if (known) return known;
    const targets = mesh.targetsOf(dr.object).map((o) => located.get(o)!);
    const found = {
      services: targets.filter((t) => t.object.kind === 'Service'),
      serviceEntries: targets.filter((t) => t.object.kind === 'ServiceEntry'),
    };
    targetsCache.set(dr, found);
    return found;
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
    objects, context, behaviour, mesh, destinationRules, serviceEntries, services, workloads, namespaces, zones, region,
    dns: { capture, legacyAutoAllocate }, meshLocality, targetsOf, backingWorkloads, workloadsIn, podLabelsOf, selectorCandidates, poolSize,
  };
}
