/**
 * The optional scenario file: endpoint health per destination and zone, and traffic volumes.
 * Every problem is reported as `file:line:col: what (fix)` through the YAML source map.
 */
import { InputError } from '../errors.js';
import { formatProblem, ProblemCollector } from '../model/problems.js';
import { pointerSegment, type PositionedDocument } from '../yaml/source-map.js';
import { parseMappingDocument, readInputFile } from '../model/input-file.js';

export interface ZoneEndpoints {
  /** Pods (or ServiceEntry endpoints) in the zone. */
  readonly total: number;
  /** Pods failing Kubernetes readiness: removed from EDS, so they shrink the pool without spill-over. */
  readonly notReady: number;
  /** Endpoints Envoy sees as healthy; the rest of the ready ones are ejected by outlier detection. */
  readonly healthy: number;
  /** Endpoints Envoy sees as degraded (used only when healthy ones do not suffice). */
  readonly degraded: number;
}

export interface TrafficEntry {
  readonly from: string;
  readonly to: string;
  readonly gbPerMonth: number;
}

export type Dataplane = 'sidecar' | 'kube-proxy';

export interface Scenario {
  /** destination name -> zone -> endpoints; a listed destination has endpoints only in the zones listed. */
  readonly endpoints: Readonly<Record<string, Readonly<Record<string, ZoneEndpoints>>>>;
  readonly traffic: readonly TrafficEntry[];
  /** Volume for (zone, destination) pairs not listed under `traffic`. */
  readonly defaultGbPerMonth: number;
  /** `sidecar` (Istio, default) or `kube-proxy` (no mesh: Kubernetes Service routing only). */
  readonly dataplane: Dataplane;
}

/** Default volume per caller zone and destination when the scenario says nothing about traffic. */
export const DEFAULT_GB_PER_MONTH = 100;

export const EMPTY_SCENARIO: Scenario = { endpoints: {}, traffic: [], defaultGbPerMonth: DEFAULT_GB_PER_MONTH, dataplane: 'sidecar' };

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  readonly doc?: PositionedDocument;
}

const TOP_KEYS = ['endpoints', 'traffic', 'defaultGbPerMonth', 'dataplane'];
const ZONE_KEYS = ['total', 'healthy', 'notReady', 'degraded'];
const TRAFFIC_KEYS = ['from', 'to', 'gbPerMonth'];

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function count(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function unknownKeys(obj: Record<string, unknown>, pointer: string, allowed: readonly string[], where: string, out: ProblemCollector): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) out.atKey(`${pointer}/${pointerSegment(k)}`, `unknown key "${k}" in ${where}`, `allowed keys: ${allowed.join(', ')}`);
  }
}

function zoneEndpoints(raw: unknown, pointer: string, where: string, out: ProblemCollector): ZoneEndpoints | undefined {
  if (!isMap(raw)) {
    out.atValue(pointer, `${where} must be a mapping`, 'write { total: N, healthy: N, notReady: N }');
    return undefined;
  }
  unknownKeys(raw, pointer, ZONE_KEYS, where, out);
  let ok = true;
  for (const k of ZONE_KEYS) {
    if (raw[k] !== undefined && !count(raw[k])) {
      out.atValue(`${pointer}/${k}`, `${where}.${k} must be a whole number >= 0, got ${JSON.stringify(raw[k])}`, 'use a count of endpoints');
      ok = false;
    }
  }
  if (raw.total === undefined) {
    out.atValue(pointer, `${where} is missing "total"`, 'add total: <endpoints in this zone>');
    ok = false;
  }
  if (!ok) return undefined;
  const total = raw.total as number;
  const notReady = (raw.notReady as number | undefined) ?? 0;
  const degraded = (raw.degraded as number | undefined) ?? 0;
  if (notReady > total) {
    out.atValue(`${pointer}/notReady`, `${where}.notReady (${notReady}) exceeds total (${total})`, 'notReady counts pods out of total');
    return undefined;
  }
  const ready = total - notReady;
  const healthy = (raw.healthy as number | undefined) ?? ready - Math.min(ready, degraded);
  if (healthy + degraded > ready) {
    const at = raw.healthy !== undefined ? `${pointer}/healthy` : `${pointer}/degraded`;
    out.atValue(at, `${where}: healthy (${healthy}) + degraded (${degraded}) exceed the ${ready} ready endpoints (total ${total} - notReady ${notReady})`,
      'healthy and degraded count ready endpoints only');
    return undefined;
  }
  return { total, notReady, healthy, degraded };
}

/** Parses and validates the scenario's shape (names are checked later, against the objects). */
export function parseScenario(text: string, file: string): LoadedScenario {
  const doc = parseMappingDocument(text, file, 'endpoints: {...}, traffic: [...]', true);
  if (!doc) return { scenario: EMPTY_SCENARIO, file };
  const root = (doc.value ?? {}) as Record<string, unknown>;
  const out = new ProblemCollector(file, doc);
  unknownKeys(root, '', TOP_KEYS, 'the scenario', out);

  const endpoints: Record<string, Record<string, ZoneEndpoints>> = {};
  if (root.endpoints !== undefined && root.endpoints !== null) {
    if (!isMap(root.endpoints)) out.atValue('/endpoints', 'endpoints must map destination names to zones', 'write endpoints: { <destination>: { <zone>: { total: N, healthy: N } } }');
    else {
      for (const [dest, zones] of Object.entries(root.endpoints)) {
        const p = `/endpoints/${pointerSegment(dest)}`;
        if (!isMap(zones)) {
          out.atValue(p, `endpoints.${dest} must map zone names to endpoint counts`, 'write { <zone>: { total: N, healthy: N } }');
          continue;
        }
        endpoints[dest] = {};
        for (const [zone, raw] of Object.entries(zones)) {
          const ze = zoneEndpoints(raw, `${p}/${pointerSegment(zone)}`, `endpoints.${dest}.${zone}`, out);
          if (ze) endpoints[dest]![zone] = ze;
        }
      }
    }
  }

  const traffic: TrafficEntry[] = [];
  if (root.traffic !== undefined && root.traffic !== null) {
    if (!Array.isArray(root.traffic)) out.atValue('/traffic', 'traffic must be a list', 'write traffic: [ { from: <zone>, to: <destination>, gbPerMonth: N } ]');
    else {
      const seen = new Map<string, number>();
      root.traffic.forEach((t, i) => {
        const p = `/traffic/${i}`;
        if (!isMap(t)) {
          out.atValue(p, `traffic[${i}] must be a mapping`, 'write { from: <zone>, to: <destination>, gbPerMonth: N }');
          return;
        }
        unknownKeys(t, p, TRAFFIC_KEYS, `traffic[${i}]`, out);
        let ok = true;
        for (const k of ['from', 'to']) {
          if (typeof t[k] !== 'string' || !t[k]) {
            out.atValue(t[k] === undefined ? p : `${p}/${k}`, `traffic[${i}].${k} must be a ${k === 'from' ? 'zone' : 'destination'} name`, `add ${k}: <name>`);
            ok = false;
          }
        }
        if (typeof t.gbPerMonth !== 'number' || !(t.gbPerMonth >= 0) || !Number.isFinite(t.gbPerMonth)) {
          out.atValue(t.gbPerMonth === undefined ? p : `${p}/gbPerMonth`, `traffic[${i}].gbPerMonth must be a number >= 0`, 'give the monthly volume in GB');
          ok = false;
        }
        if (!ok) return;
        const key = `${t.from}\u0000${t.to}`;
        const first = seen.get(key);
        if (first !== undefined) {
          out.atValue(p, `traffic[${i}] repeats from ${t.from} to ${t.to} (first at traffic[${first}])`, 'give each zone/destination pair once');
          return;
        }
        seen.set(key, i);
        traffic.push({ from: t.from as string, to: t.to as string, gbPerMonth: t.gbPerMonth as number });
      });
    }
  }

  let defaultGbPerMonth = root.traffic ? 0 : DEFAULT_GB_PER_MONTH;
  if (root.defaultGbPerMonth !== undefined) {
    if (typeof root.defaultGbPerMonth !== 'number' || !(root.defaultGbPerMonth >= 0)) {
      out.atValue('/defaultGbPerMonth', 'defaultGbPerMonth must be a number >= 0', 'give the monthly volume in GB per zone and destination');
    } else defaultGbPerMonth = root.defaultGbPerMonth;
  }
  let dataplane: Dataplane = 'sidecar';
  if (root.dataplane !== undefined) {
    if (root.dataplane !== 'sidecar' && root.dataplane !== 'kube-proxy') {
      out.atValue('/dataplane', `dataplane must be "sidecar" or "kube-proxy", got ${JSON.stringify(root.dataplane)}`, 'sidecar: Istio sidecars; kube-proxy: no mesh');
    } else dataplane = root.dataplane;
  }
  if (out.problems.length > 0) throw new InputError(out.problems.map(formatProblem));
  return { scenario: { endpoints, traffic, defaultGbPerMonth, dataplane }, file, doc };
}

export function loadScenarioFile(path: string, displayName = path): LoadedScenario {
  return parseScenario(readInputFile(path, displayName, 'scenario file', '--scenario'), displayName);
}

/** A destination as scenarios may name it. */
export interface NamedDestination {
  readonly name: string;
  readonly aliases: readonly string[];
}

/**
 * Checks that every destination and zone the scenario names exists, and rewrites aliases (Service
 * name, host) to the destination's name. Throws InputError with one located line per problem.
 */
export function resolveScenarioNames(loaded: LoadedScenario, zones: readonly string[], destinations: readonly NamedDestination[]): Scenario {
  const { scenario, file, doc } = loaded;
  const byName = new Map<string, string>();
  for (const d of destinations) for (const a of d.aliases) if (!byName.has(a)) byName.set(a, d.name);
  for (const d of destinations) byName.set(d.name, d.name);
  const problems: string[] = [];
  const at = (pointer: string, message: string, fix: string) => {
    const pos = doc ? doc.keyAt(pointer) ?? doc.nearest(pointer) : { line: 1, column: 1 };
    problems.push(formatProblem({ file, position: pos, message, fix }));
  };
  const known = destinations.map((d) => d.name).join(', ') || '(none: no Service or ServiceEntry found)';
  const endpoints: Record<string, Record<string, ZoneEndpoints>> = {};
  for (const [dest, perZone] of Object.entries(scenario.endpoints)) {
    const name = byName.get(dest);
    const p = `/endpoints/${pointerSegment(dest)}`;
    if (!name) {
      at(p, `unknown destination "${dest}" in endpoints`, `destinations: ${known}`);
      continue;
    }
    for (const zone of Object.keys(perZone)) {
      if (!zones.includes(zone)) at(`${p}/${pointerSegment(zone)}`, `unknown zone "${zone}" in endpoints.${dest}`, `zones: ${zones.join(', ')}`);
    }
    endpoints[name] = { ...perZone };
  }
  const traffic: TrafficEntry[] = [];
  scenario.traffic.forEach((t, i) => {
    const name = byName.get(t.to);
    if (!zones.includes(t.from)) at(`/traffic/${i}/from`, `unknown zone "${t.from}" in traffic[${i}].from`, `zones: ${zones.join(', ')}`);
    if (!name) at(`/traffic/${i}/to`, `unknown destination "${t.to}" in traffic[${i}].to`, `destinations: ${known}`);
    else traffic.push({ ...t, to: name });
  });
  if (problems.length > 0) throw new InputError(problems);
  return { ...scenario, endpoints, traffic };
}
