// The differential checks: each compares one thing zonal claims about Istio with what Istio's own
// code (the oracle) says, and returns disagreements `{ family, key, object, istio, zonal }`.

/** Kinds whose Istio validation zonal lint speaks for (the generators vary only fields zonal reads). */
const LINTED_KINDS = new Set(['DestinationRule', 'ServiceEntry']);

export const FAMILIES = {
  rejectsUnconfirmed: 'lint says Istio rejects, Istio accepts',
  rejectsMissed: 'Istio rejects, zonal lint does not say so',
  warnsUnconfirmed: 'lint says Istio warns, Istio does not',
  warnsMissed: 'Istio warns, zonal lint does not say so',
  priorities: 'simulate priorities differ from istiod EDS',
  zoneAware: 'simulate\'s zone-aware cluster settings differ from istiod CDS',
  noCluster: 'istiod builds no cluster for a destination zonal simulates',
  chart: 'generated chart not clean in Istio validation',
  zonalError: 'zonal threw instead of answering',
  istiodFails: 'istiod fails on a configuration it admits, zonal lint reports no error',
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

/** Envoy's zone_aware_lb_config as zonal states it: `min N, routing on|off`, or `none`. */
function zoneAwareShape(z) {
  return z ? `min ${z.minClusterSize}, routing ${z.routingEnabled ? 'on' : 'off'}` : 'none';
}

/** The same from istiod's cluster (min_cluster_size unset = Envoy's default 6; routing_enabled unset = 100%). */
function istioZoneAware(cluster, envoyDefaultMin) {
  const z = cluster.zoneAware;
  if (!z) return undefined;
  const min = z.minClusterSize ?? z.min_cluster_size;
  const enabled = z.routingEnabled ?? z.routing_enabled;
  return { minClusterSize: min === undefined ? envoyDefaultMin : Number(min), routingEnabled: enabled === undefined || Number(enabled.value ?? 0) > 0 };
}

/**
 * Check 2b: the zone-aware cluster settings the simulator assumes (routing.zoneAware: Envoy's
 * min_cluster_size and whether routing_enabled is on) are the ones istiod puts on the sidecar's
 * cluster, and no locality-weighted config next to them; none when istiod sends none.
 */
export function zoneAwareVersusCds(dest, simulation, eds, object, envoyDefaultMin) {
  const out = [];
  const d = simulation.destinations.find((x) => x.hosts.includes(dest.host));
  if (!d) return out;
  for (const proxy of eds.proxies) {
    const cluster = proxy.clusters.find((c) => c.name === dest.clusterName);
    if (!cluster) continue;
    const istio = zoneAwareShape(istioZoneAware(cluster, envoyDefaultMin)) + (cluster.localityWeighted ? ', locality-weighted' : '');
    const zonal = zoneAwareShape(d.routing?.zoneAware) + (d.routing?.localityWeightedLb ? ', locality-weighted' : '');
    if (istio !== zonal && (d.routing?.zoneAware || istioZoneAware(cluster, envoyDefaultMin))) {
      out.push({ family: 'zoneAware', key: `${dest.kind} ${d.routing?.mode ?? ''}`.trim(), object: `${object} from ${proxy.zone}`, istio, zonal });
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
