// The differential checks: each compares one thing zonal claims about Istio with what Istio's own
// code (the oracle) says, and returns disagreements `{ family, key, object, istio, zonal }`.
import { callerEdsLine, clusterSettingsLine, edsRowsLine, routingSettingsLine } from '../../dist/generator/simulate/eds-view.js';
import { ENVOY_DEFAULT_MIN_CLUSTER_SIZE } from '../../dist/generator/well-known.js';

/** Kinds whose Istio validation zonal lint speaks for (the generators vary only fields zonal reads). */
const LINTED_KINDS = new Set(['DestinationRule', 'ServiceEntry']);

export const FAMILIES = {
  rejectsUnconfirmed: 'lint says Istio rejects, Istio accepts',
  rejectsMissed: 'Istio rejects, zonal lint does not say so',
  warnsUnconfirmed: 'lint says Istio warns, Istio does not',
  warnsMissed: 'Istio warns, zonal lint does not say so',
  priorities: 'simulate priorities differ from istiod EDS',
  edsEndpoints: 'simulate endpoints, health or locality weights differ from istiod EDS',
  clusterSettings: 'simulate cluster settings (panic threshold, outlier detection, locality-weighted, zone-aware) differ from istiod',
  noCluster: 'istiod builds no cluster for a destination zonal simulates',
  chart: 'generated chart not clean in Istio validation',
  zonalError: 'zonal threw instead of answering',
  istiodFails: 'istiod fails on a configuration it admits, zonal lint reports no error',
  usersHelm: 'a Helm release users run (4.2.x, 3.21.x) renders, lints or size-checks a chart unlike the Helm the tests run',
};

/** Istio's message with names, numbers and quoted values blanked, for grouping. */
export function messageShape(message) {
  return message
    .replace(/"[^"]*"|'[^']*'|\[[^\]]*\]/g, '…')
    .replace(/\b[\w.-]*\d[\w.-]*\b/g, 'N')
    .replace(/\s+/g, ' ')
    .slice(0, 140);
}

const objKey = (o) => `${o.kind} ${o.namespace}/${o.name}`;

/**
 * Check 1 (CONTRACTS.md item 2): every lint finding with `istio: 'rejects'` matches an Istio
 * validation error on the same object, every Istio error on a linted kind has such a finding; the
 * same for `warns` and Istio's warnings.
 */
export function lintVersusValidation(findings, verdicts) {
  const out = [];
  const byObject = new Map(verdicts.objects.map((v) => [objKey(v), v]));
  const claimed = { rejects: new Map(), warns: new Map() };
  for (const f of findings) {
    if (f.istio !== 'rejects' && f.istio !== 'warns') continue;
    const k = objKey({ kind: f.kind, namespace: f.namespace || 'default', name: f.name });
    if (!claimed[f.istio].has(k)) claimed[f.istio].set(k, []);
    claimed[f.istio].get(k).push(f);
  }
  for (const [k, fs] of claimed.rejects) {
    const v = byObject.get(k);
    if (!v || v.errors.length === 0) {
      for (const f of fs) out.push({ family: 'rejectsUnconfirmed', key: f.code, object: k, istio: v ? `accepted${v.warnings.length ? ` with warnings: ${v.warnings.join('; ')}` : ''}` : 'not an Istio object it validates', zonal: `${f.code}: ${f.message}` });
    }
  }
  for (const [k, fs] of claimed.warns) {
    const v = byObject.get(k);
    if (!v || v.warnings.length === 0) {
      for (const f of fs) out.push({ family: 'warnsUnconfirmed', key: f.code, object: k, istio: v && v.errors.length ? `rejects: ${v.errors.join('; ')}` : 'no warning', zonal: `${f.code}: ${f.message}` });
    }
  }
  for (const v of verdicts.objects) {
    if (!LINTED_KINDS.has(v.kind)) continue;
    const k = objKey(v);
    if (v.errors.length > 0 && !claimed.rejects.has(k)) {
      for (const e of v.errors) out.push({ family: 'rejectsMissed', key: messageShape(e), object: k, istio: e, zonal: findingsText(findings, v) });
    }
    if (v.errors.length === 0 && v.warnings.length > 0 && !claimed.warns.has(k)) {
      for (const w of v.warnings) out.push({ family: 'warnsMissed', key: messageShape(w), object: k, istio: w, zonal: findingsText(findings, v) });
    }
  }
  return out;
}

function findingsText(findings, v) {
  const mine = findings.filter((f) => f.kind === v.kind && f.name === v.name && (f.namespace || 'default') === v.namespace);
  return mine.length ? mine.map((f) => `${f.code}${f.istio ? ` (istio: ${f.istio})` : ''}`).join(', ') : 'no finding';
}

const UNKNOWN_ZONE = 'unknown';

/** zone -> sorted priorities, from istiod's endpoints of one cluster. */
function istioPriorities(cluster) {
  const m = new Map();
  for (const e of cluster.endpoints) {
    const z = e.locality.zone || UNKNOWN_ZONE;
    if (!m.has(z)) m.set(z, new Set());
    m.get(z).add(e.priority);
  }
  return m;
}

/** zone -> sorted priorities, from zonal simulate's `callers[].priorities`. */
function zonalPriorities(caller) {
  const m = new Map();
  for (const p of caller.priorities) {
    for (const z of p.zones) {
      if (!m.has(z)) m.set(z, new Set());
      m.get(z).add(p.priority);
    }
  }
  return m;
}

function show(m) {
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([z, s]) => `${z}:${[...s].sort().join('/')}`).join(' ') || '(no endpoints)';
}

/**
 * Check 2 (CONTRACTS.md item 3): for each proxy zone, the priority of each endpoint zone in
 * `zonal simulate` equals istiod's EDS priority for it.
 * @param {{clusterName: string, host: string}} dest
 */
export function prioritiesVersusEds(dest, simulation, eds, object) {
  const out = [];
  const d = simulation.destinations.find((x) => x.hosts.includes(dest.host));
  if (!d) return out;
  for (const proxy of eds.proxies) {
    const cluster = proxy.clusters.find((c) => c.name === dest.clusterName);
    const caller = d.callers.find((c) => c.zone === proxy.zone);
    if (!caller) continue;
    const zonal = zonalPriorities(caller);
    if (!cluster) {
      if (zonal.size > 0) out.push({ family: 'noCluster', key: dest.kind, object, istio: `no cluster ${dest.clusterName} for a proxy in ${proxy.zone}`, zonal: show(zonal) });
      continue;
    }
    const istio = istioPriorities(cluster);
    if (show(istio) !== show(zonal)) {
      out.push({ family: 'priorities', key: `${dest.kind}${dest.resolution ? `/${dest.resolution}` : ''} ${d.routing?.mode ?? ''}`.trim(), object: `${object} from ${proxy.zone}`, istio: show(istio), zonal: show(zonal) });
    }
  }
  return out;
}

/** Envoy's healthy_panic_threshold when istiod leaves it unset. */
const ENVOY_DEFAULT_PANIC_PERCENT = 50;

/** istiod's EDS of one cluster in zonal's comparable line (eds-view.ts): per priority and zone. */
export function istioEdsLine(cluster) {
  const rows = new Map();
  const weights = new Map(); // priority|zone|locality -> weight (one per LocalityLbEndpoints)
  for (const e of cluster.endpoints) {
    const zone = e.locality.zone || UNKNOWN_ZONE;
    const k = `${e.priority}|${zone}`;
    if (!rows.has(k)) rows.set(k, { priority: e.priority, zone, endpoints: 0, unhealthy: 0, weight: 0 });
    const row = rows.get(k);
    row.endpoints++;
    if (e.healthStatus === 'UNHEALTHY') row.unhealthy++;
    weights.set(`${k}|${e.locality.region}/${e.locality.zone}/${e.locality.subZone}`, e.localityWeight ?? 0);
  }
  for (const [k, w] of weights) rows.get(k.split('|').slice(0, 2).join('|')).weight += w;
  return edsRowsLine([...rows.values()]);
}

/** istiod's cluster settings in zonal's comparable line (eds-view.ts). */
export function istioSettingsLine(cluster) {
  const za = cluster.zoneAware;
  return clusterSettingsLine({
    panicThresholdPercent: cluster.healthyPanicThreshold ?? ENVOY_DEFAULT_PANIC_PERCENT,
    outlierDetection: cluster.outlierDetection !== null,
    localityWeighted: cluster.localityWeighted,
    // protojson leaves out zero values: `routingEnabled: {}` is 0 %, an absent routingEnabled is Envoy's 100 %.
    // min_cluster_size unset: Envoy's default is in force.
    zoneAware: za ? { routingEnabled: za.routingEnabled === undefined || Number(za.routingEnabled.value ?? 0) > 0, minClusterSize: za.minClusterSize !== undefined ? Number(za.minClusterSize) : ENVOY_DEFAULT_MIN_CLUSTER_SIZE } : null,
  });
}

/**
 * Check 2b: per proxy zone, the endpoints istiod sends per priority and zone (count, UNHEALTHY
 * ones, locality weight) and the cluster settings (panic threshold, outlier detection,
 * locality-weighted, zone-aware) equal what `zonal simulate --json` reports.
 */
export function edsVersusSimulation(dest, simulation, eds, object) {
  const out = [];
  const d = simulation.destinations.find((x) => x.hosts.includes(dest.host));
  if (!d) return out;
  let settingsChecked = false;
  for (const proxy of eds.proxies) {
    const cluster = proxy.clusters.find((c) => c.name === dest.clusterName);
    const caller = d.callers.find((c) => c.zone === proxy.zone);
    if (!cluster || !caller) continue;
    const kind = `${dest.kind}${dest.resolution ? `/${dest.resolution}` : ''} ${d.routing?.mode ?? ''}`.trim();
    const istio = istioEdsLine(cluster);
    const zonal = callerEdsLine(caller.priorities);
    if (istio !== zonal) out.push({ family: 'edsEndpoints', key: kind, object: `${object} from ${proxy.zone}`, istio, zonal });
    if (!settingsChecked) {
      settingsChecked = true;
      const is = istioSettingsLine(cluster);
      const zs = routingSettingsLine(d.routing);
      if (is !== zs) out.push({ family: 'clusterSettings', key: kind, object, istio: is, zonal: zs });
    }
  }
  return out;
}

/** Check 3: a generated chart's Istio objects pass validation without errors or warnings. */
export function chartClean(verdicts, source) {
  const out = [];
  for (const v of verdicts.objects) {
    for (const e of v.errors) out.push({ family: 'chart', key: `rejects: ${messageShape(e)}`, object: `${source}: ${objKey(v)}`, istio: e, zonal: 'generated it' });
    for (const w of v.warnings) out.push({ family: 'chart', key: `warns: ${messageShape(w)}`, object: `${source}: ${objKey(v)}`, istio: w, zonal: 'generated it' });
  }
  return out;
}
