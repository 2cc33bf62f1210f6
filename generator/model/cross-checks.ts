import type { ProblemCollector } from './problems.js';
import { checkKubernetesRules } from './kubernetes-rules.js';
import { checkExternalHosts, checkKafkaClients } from './external-host-checks.js';
import { LOCALITY_LABELS } from '../well-known.js';
import { checkZoneAware } from './zone-aware-checks.js';
import { checkWorkloads } from './workload-checks.js';
import { checkAmbient } from './ambient-checks.js';
import { MAX_RELEASE_NAME, splitChartName } from './release.js';

/** The values file as the schema has already accepted it (optional keys may be absent). */
export interface RawValues {
  metadata: { name: string };
  chart?: { split?: string; appVersion?: string };
  cluster: { region: string; zones: Array<{ name: string; id?: string }> };
  namespaces: Array<{ name: string }>;
  services?: Array<RawWorkload & { serviceName?: string; replicas?: number; port: number }>;
  externalHosts?: Array<RawWorkload & { host: string; protocol: string; port: number; endpoints: Array<{ address: string; zone: string }> }>;
  environments?: Array<{ name: string; cluster: string }>;
  mesh?: { istioVersion?: string };
}

interface RawWorkload {
  name: string;
  namespace: string;
  routing?: {
    mode?: string;
    mechanism?: string;
    failover?: Array<{ from: string; to: string }>;
    failoverPriority?: string[];
    distribute?: Array<{ from: string; to: Record<string, number> }>;
    minClusterSize?: number;
  };
}

const TOPOLOGY_LABELS = LOCALITY_LABELS;

function duplicates<T>(items: readonly T[], key: (t: T) => string, report: (index: number, value: string, first: number) => void): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) report(i, k, first);
    else seen.set(k, i);
  });
}

function checkRouting(base: string, w: RawWorkload, zones: Set<string>, region: string, out: ProblemCollector): void {
  const r = w.routing;
  if (!r) return;
  const mode = r.mode ?? 'zone-local';
  const distribute = r.distribute ?? [];
  if (mode === 'weighted' && distribute.length === 0) {
    out.atValue(`${base}/routing`, `${w.name}: routing.mode "weighted" needs routing.distribute`,
      `add distribute: [{from: "${region}/<zone>/*", to: {"${region}/<zone>/*": 80, ...}}]`);
  }
  if (distribute.length > 0 && mode !== 'weighted') {
    out.atValue(`${base}/routing/distribute`, `${w.name}: routing.distribute is only used with mode "weighted" (mode is "${mode}")`,
      'set routing.mode: weighted or remove distribute');
  }
  if (distribute.length > 0 && (r.failover ?? []).length > 0) {
    out.atValue(`${base}/routing/failover`, `${w.name}: routing.failover and routing.distribute cannot be combined; Istio rejects the pair`,
      'keep one of them');
  }
  if (r.mechanism === 'trafficDistribution' && mode === 'weighted') {
    out.atValue(`${base}/routing/mechanism`, `${w.name}: mechanism "trafficDistribution" cannot express weighted routing`,
      'use mechanism: destinationRule for mode weighted');
  }
  (r.failover ?? []).forEach((f, i) => {
    if (f.from === f.to) out.atValue(`${base}/routing/failover/${i}`, `${w.name}: failover from and to are both "${f.from}"`, 'fail over to a different region');
  });
  (r.failoverPriority ?? []).forEach((label, i) => {
    if ((r.failover ?? []).length > 0 && TOPOLOGY_LABELS.has(label.replace(/^!?/, '').split('=')[0]!)) {
      out.atValue(`${base}/routing/failoverPriority/${i}`, `${w.name}: failoverPriority "${label}" is a topology label, which failover already orders by`,
        'remove it from failoverPriority or drop failover');
    }
  });
  distribute.forEach((d, i) => {
    const sum = Object.values(d.to).reduce((a, b) => a + b, 0);
    if (sum !== 100) out.atValue(`${base}/routing/distribute/${i}/to`, `${w.name}: distribute weights from "${d.from}" sum to ${sum}`, 'make them sum to 100');
    for (const locality of [d.from, ...Object.keys(d.to)]) {
      const [reg, zone] = locality.split('/');
      if (reg !== region && reg !== '*') {
        out.atValue(`${base}/routing/distribute/${i}`, `${w.name}: distribute locality "${locality}" is not in region ${region}`, `use "${region}/<zone>/*"`);
      } else if (zone && zone !== '*' && !zones.has(zone)) {
        out.atValue(`${base}/routing/distribute/${i}`, `${w.name}: distribute locality "${locality}" names zone "${zone}", which is not a cluster zone`,
          `use one of: ${[...zones].join(', ')}`);
      }
    }
  });
  if (distribute.length > 0) {
    const covered = new Set(distribute.flatMap((d) => Object.keys(d.to).map((l) => l.split('/')[1] ?? '*')));
    const missing = covered.has('*') ? [] : [...zones].filter((z) => !covered.has(z));
    if (missing.length > 0) {
      out.atValue(`${base}/routing/distribute`, `${w.name}: distribute sends nothing to zone(s) ${missing.join(', ')}; they can never be failed over to`,
        'list every zone in at least one "to" map');
    }
  }
}

/** Rules that JSON Schema cannot express: references between parts of the file and uniqueness. */
export function crossCheck(v: RawValues, out: ProblemCollector): void {
  checkKubernetesRules(v, out);
  checkAmbient(v, out);
  const region = v.cluster.region;
  const zones = new Set(v.cluster.zones.map((z) => z.name));
  const namespaces = new Set(v.namespaces.map((n) => n.name));
  const services = v.services ?? [];
  const hosts = v.externalHosts ?? [];

  v.cluster.zones.forEach((z, i) => {
    if (!z.name.startsWith(region)) out.atValue(`/cluster/zones/${i}/name`, `zone "${z.name}" is not in region ${region}`, `use a zone of ${region}, e.g. ${region}a`);
  });
  duplicates(v.cluster.zones, (z) => z.name, (i, name) => out.atValue(`/cluster/zones/${i}/name`, `zone "${name}" is listed twice`, 'list each zone once'));
  duplicates(v.cluster.zones.filter((z) => z.id), (z) => z.id!, (_i, id) => {
    const idx = v.cluster.zones.map((z) => z.id).lastIndexOf(id);
    out.atValue(`/cluster/zones/${idx}/id`, `zone id "${id}" is used by two zones`, 'each zone has its own AZ id');
  });
  duplicates(v.namespaces, (n) => n.name, (i, name) => out.atValue(`/namespaces/${i}/name`, `namespace "${name}" is declared twice`, 'declare each namespace once'));
  if (v.chart?.split === 'namespace') {
    // Each chart is named <name>-<namespace> and installed as a release of that name (Helm: <= 53).
    v.namespaces.forEach((n, i) => {
      const chart = splitChartName(v.metadata.name, n.name);
      if (chart.length > MAX_RELEASE_NAME) {
        out.atValue(`/namespaces/${i}/name`, `with chart.split: namespace the chart of namespace "${n.name}" is named "${chart}" (${chart.length} characters, Helm allows ${MAX_RELEASE_NAME})`,
          `shorten metadata.name or the namespace name to at most ${MAX_RELEASE_NAME} characters together (plus "-")`);
      }
    });
  }

  const checkNamespace = (pointer: string, ns: string) => {
    if (!namespaces.has(ns)) out.atValue(pointer, `namespace "${ns}" is not declared in namespaces`, `add {name: ${ns}} to namespaces or use one of: ${[...namespaces].join(', ')}`);
  };

  services.forEach((s, i) => {
    checkNamespace(`/services/${i}/namespace`, s.namespace);
    checkRouting(`/services/${i}`, s, zones, region, out);
  });
  duplicates(services, (s) => s.name, (i, name, first) =>
    out.atValue(`/services/${i}/name`, `service name "${name}" is already used by services[${first}]`, 'service names key the chart values: make them unique'));
  duplicates(services, (s) => `${s.namespace}/${s.serviceName ?? s.name}`, (i, key, first) => {
    if (services[i]!.name === services[first]!.name) return; // already reported as a duplicate name
    out.atValue(`/services/${i}`, `Service "${key}" would be generated by services[${first}] and services[${i}]`, 'give one of them another serviceName');
  });

  hosts.forEach((h, i) => {
    checkNamespace(`/externalHosts/${i}/namespace`, h.namespace);
    checkRouting(`/externalHosts/${i}`, h, zones, region, out);
    h.endpoints.forEach((ep, j) => {
      if (!zones.has(ep.zone)) {
        out.atValue(`/externalHosts/${i}/endpoints/${j}/zone`, `${h.name}: endpoint zone "${ep.zone}" is not a cluster zone`,
          `use one of: ${[...zones].join(', ')}`);
      }
    });
    duplicates(h.endpoints, (ep) => ep.address, (j, addr) =>
      out.atValue(`/externalHosts/${i}/endpoints/${j}/address`, `${h.name}: endpoint "${addr}" is listed twice`, 'list each endpoint address once'));
  });
  duplicates(hosts, (h) => h.name, (i, name, first) =>
    out.atValue(`/externalHosts/${i}/name`, `external host name "${name}" is already used by externalHosts[${first}]`, 'make external host names unique'));
  duplicates(hosts, (h) => h.host, (i, host, first) =>
    out.atValue(`/externalHosts/${i}/host`, `host "${host}" is already declared by externalHosts[${first}]`, 'declare each host once; put all its endpoints in one entry'));
  const serviceNames = new Set(services.map((s) => s.name));
  checkExternalHosts(hosts, serviceNames, out);
  checkKafkaClients(services, out);
  checkZoneAware(v, out);
  checkWorkloads(services, zones.size, out);
  hosts.forEach((h, i) => {
    if (serviceNames.has(h.name)) out.atValue(`/externalHosts/${i}/name`, `external host name "${h.name}" is also a service name`, 'use distinct names: both become object names in the chart');
  });

  duplicates(v.environments ?? [], (e) => e.name, (i, name) => out.atValue(`/environments/${i}/name`, `environment "${name}" is declared twice`, 'use unique environment names'));
  // The chart's namespaces and object names are fixed, so two environments on one cluster would
  // make two Argo CD Applications fight over the same objects.
  duplicates(v.environments ?? [], (e) => e.cluster, (i, cluster, first) => out.atValue(`/environments/${i}/cluster`,
    `environments[${first}] and environments[${i}] both deploy to ${cluster}; they would own the same objects`,
    'give each environment its own cluster'));
}
