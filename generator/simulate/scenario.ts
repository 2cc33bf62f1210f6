/**
 * The optional scenario file: endpoint health per destination and zone, and traffic volumes.
 * Its shape is the JSON Schema in scenario-schema.ts; every problem is reported as
 * `file:line:col: what (fix)` through the YAML source map.
 */
import { InputError } from '../errors.js';
import { formatProblem, ProblemCollector } from '../model/problems.js';
import { pointerSegment, type PositionedDocument } from '../yaml/source-map.js';
import { parseMappingDocument, readInputFile } from '../model/input-file.js';
import { SchemaCheck } from '../model/schema-check.js';
import { scenarioFixHints, scenarioSchema } from './scenario-schema.js';

export interface ZoneEndpoints {
  /** Pods (or ServiceEntry endpoints) in the zone (required). */
  readonly total: number;
  /**
   * Pods failing Kubernetes readiness: removed from EDS, so they shrink the pool without spill-over.
   * @default 0
   */
  readonly notReady: number;
  /**
   * Endpoints Envoy sees as healthy; the rest of the ready ones are ejected by outlier detection.
   * @default total - notReady - degraded (every ready endpoint that is not degraded)
   */
  readonly healthy: number;
  /**
   * Endpoints Envoy sees as degraded (used only when healthy ones do not suffice).
   * @default 0
   */
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
  /** @default [] */
  readonly traffic: readonly TrafficEntry[];
  /**
   * Volume for (zone, destination) pairs not listed under `traffic`.
   * @default 0 with a `traffic` list, else DEFAULT_GB_PER_MONTH (100)
   */
  readonly defaultGbPerMonth: number;
  /**
   * `sidecar` (Istio) or `kube-proxy` (no mesh: Kubernetes Service routing only).
   * @default 'sidecar'
   */
  readonly dataplane: Dataplane;
  /**
   * destination name -> zone -> ready pods of the workload calling it (Envoy's local cluster for
   * zone-aware routing). A destination not listed has callers equally in every zone.
   * @default {}
   */
  readonly callers?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Share of each Aurora cluster's traffic that is reads: the reader host gets it, the writer host
   * the rest (external-behaviour.ts).
   * @default DEFAULT_READ_FRACTION (0.8)
   */
  readonly readFraction: number;
  /**
   * Share of Kafka (MSK) traffic that is produce, which goes to the partition leaders; the rest is
   * consume (external-behaviour.ts).
   * @default DEFAULT_PRODUCE_FRACTION (0.5)
   */
  readonly produceFraction: number;
}

/** Default volume per caller zone and destination when the scenario says nothing about traffic. */
export const DEFAULT_GB_PER_MONTH = 100;
export const DEFAULT_DATAPLANE: Dataplane = 'sidecar';
/** Database traffic is mostly reads (a typical OLTP mix); override with the scenario's readFraction. */
export const DEFAULT_READ_FRACTION = 0.8;
/** Without a measurement, Kafka traffic counts as half produce, half consume. */
export const DEFAULT_PRODUCE_FRACTION = 0.5;

export const EMPTY_SCENARIO: Scenario = {
  endpoints: {}, traffic: [], defaultGbPerMonth: DEFAULT_GB_PER_MONTH, dataplane: DEFAULT_DATAPLANE,
  readFraction: DEFAULT_READ_FRACTION, produceFraction: DEFAULT_PRODUCE_FRACTION,
};

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
  readonly doc?: PositionedDocument;
}

const schema = new SchemaCheck(scenarioSchema, scenarioFixHints);

/** The schema has checked the shape and types; the zone entry's cross-field rules are checked here. */
function zoneEndpoints(raw: RawZoneEndpoints, pointer: string, where: string, out: ProblemCollector): ZoneEndpoints | undefined {
  const { total } = raw;
  const notReady = raw.notReady ?? 0;
  const degraded = raw.degraded ?? 0;
  if (notReady > total) {
    out.atValue(`${pointer}/notReady`, `${where}.notReady (${notReady}) exceeds total (${total})`, 'notReady counts pods out of total');
    return undefined;
  }
  const ready = total - notReady;
  const healthy = raw.healthy ?? ready - Math.min(ready, degraded);
  if (healthy + degraded > ready) {
    const at = raw.healthy !== undefined ? `${pointer}/healthy` : `${pointer}/degraded`;
    out.atValue(at, `${where}: healthy (${healthy}) + degraded (${degraded}) exceed the ${ready} ready endpoints (total ${total} - notReady ${notReady})`,
      'healthy and degraded count ready endpoints only');
    return undefined;
  }
  return { total, notReady, healthy, degraded };
}

interface RawZoneEndpoints { total: number; healthy?: number; notReady?: number; degraded?: number }
interface RawScenario {
  endpoints?: Record<string, Record<string, RawZoneEndpoints>> | null;
  traffic?: TrafficEntry[] | null;
  defaultGbPerMonth?: number;
  dataplane?: Dataplane;
  callers?: Record<string, Record<string, number>> | null;
  readFraction?: number;
  produceFraction?: number;
}

/** Parses and validates the scenario's shape (names are checked later, against the objects); applies the defaults. */
export function parseScenario(text: string, file: string): LoadedScenario {
  const doc = parseMappingDocument(text, file, 'endpoints: {...}, traffic: [...]', true);
  if (!doc) return { scenario: EMPTY_SCENARIO, file };
  schema.check(doc, file);
  const root = (doc.value ?? {}) as RawScenario;
  const out = new ProblemCollector(file, doc);

  const endpoints: Record<string, Record<string, ZoneEndpoints>> = {};
  for (const [dest, zones] of Object.entries(root.endpoints ?? {})) {
    const p = `/endpoints/${pointerSegment(dest)}`;
    endpoints[dest] = {};
    for (const [zone, raw] of Object.entries(zones)) {
      const ze = zoneEndpoints(raw, `${p}/${pointerSegment(zone)}`, `endpoints.${dest}.${zone}`, out);
      if (ze) endpoints[dest]![zone] = ze;
    }
  }

  const traffic: TrafficEntry[] = [];
  const seen = new Map<string, number>();
  (root.traffic ?? []).forEach((t, i) => {
    const key = `${t.from}\u0000${t.to}`;
    const first = seen.get(key);
    if (first !== undefined) {
      out.atValue(`/traffic/${i}`, `traffic[${i}] repeats from ${t.from} to ${t.to} (first at traffic[${first}])`, 'give each zone/destination pair once');
      return;
    }
    seen.set(key, i);
    traffic.push({ from: t.from, to: t.to, gbPerMonth: t.gbPerMonth });
  });
  if (out.problems.length > 0) throw new InputError(out.problems.map(formatProblem));
  return {
    scenario: {
      endpoints,
      traffic,
      // With a traffic list, unlisted pairs carry nothing; without one every pair gets the default.
      defaultGbPerMonth: root.defaultGbPerMonth ?? (root.traffic ? 0 : DEFAULT_GB_PER_MONTH),
      dataplane: root.dataplane ?? DEFAULT_DATAPLANE,
      callers: { ...(root.callers ?? {}) },
      readFraction: root.readFraction ?? DEFAULT_READ_FRACTION,
      produceFraction: root.produceFraction ?? DEFAULT_PRODUCE_FRACTION,
    },
    file,
    doc,
  };
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
  const callers: Record<string, Readonly<Record<string, number>>> = {};
  for (const [dest, perZone] of Object.entries(scenario.callers ?? {})) {
    const name = byName.get(dest);
    const p = `/callers/${pointerSegment(dest)}`;
    if (!name) {
      at(p, `unknown destination "${dest}" in callers`, `destinations: ${known}`);
      continue;
    }
    for (const zone of Object.keys(perZone)) {
      if (!zones.includes(zone)) at(`${p}/${pointerSegment(zone)}`, `unknown zone "${zone}" in callers.${dest}`, `zones: ${zones.join(', ')}`);
    }
    callers[name] = { ...perZone };
  }
  const traffic: TrafficEntry[] = [];
  scenario.traffic.forEach((t, i) => {
    const name = byName.get(t.to);
    if (!zones.includes(t.from)) at(`/traffic/${i}/from`, `unknown zone "${t.from}" in traffic[${i}].from`, `zones: ${zones.join(', ')}`);
    if (!name) at(`/traffic/${i}/to`, `unknown destination "${t.to}" in traffic[${i}].to`, `destinations: ${known}`);
    else traffic.push({ ...t, to: name });
  });
  if (problems.length > 0) throw new InputError(problems);
  return { ...scenario, endpoints, traffic, callers };
}
