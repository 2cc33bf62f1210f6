/**
 * `zonal simulate --compare zone-local,zone-aware,off`: the same objects and scenario simulated
 * with every DestinationRule's locality setting replaced by each mode, side by side per
 * destination: cross-zone cost against the worst per-endpoint load. Pure.
 */
import { UsageError } from '../errors.js';
import { behaviourOf, DEFAULT_ISTIO_VERSION } from '../istio/versions.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { DestinationResult, SimulationResult } from './engine.js';
import { gb, table, usd } from './format.js';
import { simulateObjects, type SimulateOptions } from './index.js';
import { ZONE_AWARE_FALLBACK_NOTE } from './zone-aware-route.js';

export const COMPARE_MODES = ['zone-local', 'zone-aware', 'off'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

/** `zone-local,zone-aware,off` -> modes, in the order given; unknown or repeated names are usage errors. */
export function parseCompareModes(raw: string): CompareMode[] {
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`--compare needs modes, e.g. --compare ${COMPARE_MODES.join(',')}`);
  const out: CompareMode[] = [];
  for (const n of names) {
    if (!(COMPARE_MODES as readonly string[]).includes(n)) throw new UsageError(`--compare: unknown mode "${n}" (use ${COMPARE_MODES.join(', ')})`);
    if (out.includes(n as CompareMode)) throw new UsageError(`--compare: mode "${n}" is listed twice`);
    out.push(n as CompareMode);
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function loadBalancerFor(mode: CompareMode, lb: Any): Any {
  const rest = { ...(lb ?? {}) };
  const minClusterSize = rest.zoneAwareLbSetting?.minClusterSize;
  delete rest.localityLbSetting;
  delete rest.zoneAwareLbSetting;
  if (mode === 'zone-aware') return { ...rest, zoneAwareLbSetting: { enabled: true, ...(minClusterSize !== undefined ? { minClusterSize } : {}) } };
  return { ...rest, localityLbSetting: { enabled: mode === 'zone-local' } };
}

function policyFor(mode: CompareMode, tp: Any): Any {
  const out: Any = { ...(tp ?? {}), loadBalancer: loadBalancerFor(mode, tp?.loadBalancer) };
  if (Array.isArray(tp?.portLevelSettings)) {
    out.portLevelSettings = tp.portLevelSettings.map((p: Any) => (p?.loadBalancer ? { ...p, loadBalancer: loadBalancerFor(mode, p.loadBalancer) } : p));
  }
  return out;
}

/** The objects with every DestinationRule's locality / zone-aware setting set to `mode` (the rest of each policy kept). */
export function withRoutingMode(objects: readonly KubeObject[], mode: CompareMode): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'DestinationRule' || !o.apiVersion.startsWith('networking.istio.io/')) return o;
    const spec: Any = (o as Any).spec ?? {};
    return { ...o, spec: { ...spec, trafficPolicy: policyFor(mode, spec.trafficPolicy) } } as KubeObject;
  });
}

export interface DestinationOutcome {
  readonly name: string;
  readonly crossZoneGbPerMonth: number;
  readonly usdPerMonth: number;
  /** Highest per-endpoint share of calls divided by the mean (1 = every endpoint equal). */
  readonly worstLoad: number;
  readonly hotZones: readonly string[];
  /** Zone-aware mode: why Envoy does not route zone-aware from some zones (the simulation's notes). */
  readonly fallbacks?: readonly string[];
}

export interface ModeOutcome {
  readonly mode: CompareMode;
  /** The Istio version this mode was simulated with. */
  readonly istioVersion: string;
  /** Why the version differs from the configured one (zone-aware needs zoneAwareLbSetting). */
  readonly note?: string;
  readonly destinations: readonly DestinationOutcome[];
  readonly crossZoneGbPerMonth: number;
  readonly usdPerMonth: number;
}

/** Worst per-endpoint share over the mean share per ready endpoint. */
export function worstLoad(d: DestinationResult): number {
  const ready = d.endpoints.reduce((a, e) => a + e.ready, 0);
  const served = d.endpoints.reduce((a, e) => a + e.callShare, 0);
  if (ready === 0 || served === 0) return 0;
  const worst = d.endpoints.reduce((a, e) => Math.max(a, e.ready > 0 ? e.callSharePerEndpoint : 0), 0);
  return Math.round((worst / (served / ready)) * 100) / 100;
}

function outcome(mode: CompareMode, r: SimulationResult, version: ModeVersion): ModeOutcome {
  return {
    mode,
    istioVersion: version.istioVersion,
    ...(version.note ? { note: version.note } : {}),
    destinations: r.destinations.map((d) => {
      const fallbacks = mode === 'zone-aware' ? d.notes.filter((n) => n.startsWith(ZONE_AWARE_FALLBACK_NOTE)) : [];
      return {
        name: d.name, crossZoneGbPerMonth: d.cost.after.crossZoneGbPerMonth, usdPerMonth: d.cost.after.usdPerMonth, worstLoad: worstLoad(d), hotZones: d.hotZones,
        ...(fallbacks.length ? { fallbacks } : {}),
      };
    }),
    crossZoneGbPerMonth: r.cost.after.crossZoneGbPerMonth,
    usdPerMonth: r.cost.after.usdPerMonth,
  };
}

export interface Comparison {
  readonly currency: string;
  readonly modes: readonly ModeOutcome[];
}

interface ModeVersion {
  readonly istioVersion: string;
  readonly note?: string;
}

/**
 * The Istio version a mode is simulated with: the configured one, except that zone-aware routing
 * is simulated on the default version when the configured one has no zoneAwareLbSetting (istiod
 * would not know the field, and the row would silently repeat the zone-local one).
 */
export function versionForMode(mode: CompareMode, options: Pick<SimulateOptions, 'istioVersion' | 'model'>): ModeVersion {
  const configured = options.istioVersion ?? options.model?.mesh.istioVersion ?? DEFAULT_ISTIO_VERSION;
  if (mode !== 'zone-aware' || behaviourOf(configured).zoneAwareLbSetting) return { istioVersion: configured };
  return {
    istioVersion: DEFAULT_ISTIO_VERSION,
    note: `zone-aware is simulated as on Istio ${DEFAULT_ISTIO_VERSION}: Istio ${configured} has no zoneAwareLbSetting (upgrade the mesh to use it)`,
  };
}

export function compareModes(objects: readonly KubeObject[], options: SimulateOptions, modes: readonly CompareMode[]): Comparison {
  let currency = 'USD';
  const outcomes = modes.map((mode) => {
    const version = versionForMode(mode, options);
    const r = simulateObjects(withRoutingMode(objects, mode), { ...options, istioVersion: version.istioVersion });
    currency = r.cost.currency;
    return outcome(mode, r, version);
  });
  return { currency, modes: outcomes };
}

/** Per destination one row per mode: cross-zone GB, cost, worst per-endpoint load, hot zones. */
export function formatComparison(c: Comparison): string {
  const out: string[] = [
    `zonal simulate --compare ${c.modes.map((m) => m.mode).join(',')}: every DestinationRule set to each mode, same scenario.`,
    'worst load = the busiest endpoint\'s share of calls over the mean share per endpoint (1.00x = even).',
    ...c.modes.flatMap((m) => (m.note ? [`note: ${m.note}`] : [])),
    '',
  ];
  const names = c.modes[0]?.destinations.map((d) => d.name) ?? [];
  for (const [i, name] of names.entries()) {
    out.push(name);
    const rows = [['mode', 'cross-zone GB/month', 'cost/month', 'worst load', 'hot zones']];
    for (const m of c.modes) {
      const d = m.destinations[i]!;
      rows.push([m.mode, gb(d.crossZoneGbPerMonth), usd(d.usdPerMonth, c.currency), `${d.worstLoad.toFixed(2)}x`, d.hotZones.join(', ') || '-']);
    }
    out.push(table(rows));
    for (const m of c.modes) for (const f of m.destinations[i]!.fallbacks ?? []) out.push(`  ${m.mode}: ${f}`);
    out.push('');
  }
  out.push('Total');
  out.push(table([['mode', 'cross-zone GB/month', 'cost/month'], ...c.modes.map((m) => [m.mode, gb(m.crossZoneGbPerMonth), usd(m.usdPerMonth, c.currency)])]));
  return `${out.join('\n')}\n`;
}
