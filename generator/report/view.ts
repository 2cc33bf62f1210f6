/**
 * The report's view model: everything the template shows, computed here (pure) so the template
 * only lays it out. Numbers keep their raw value next to the text shown, so the page exposes both
 * (`data-value`) and tests can compare them with the JSON outputs.
 */
import type { FlowLogSummary } from '../flowlogs/analyze.js';
import { loadViews, type LoadView } from './load-view.js';
import { gbPerMonth, monthFactor, SECONDS_PER_MONTH } from '../flowlogs/per-month.js';
import { volumeBasis } from './assumptions.js';
import type { DestinationResult, SimulationResult, ZoneMatrix } from '../simulate/engine.js';
import { gb, pct, usd } from '../simulate/format.js';

export interface ReportInput {
  readonly title: string;
  /** Shown in the header; the caller passes it so rendering stays pure. */
  readonly generatedAt: string;
  readonly simulation: SimulationResult;
  readonly measured?: { readonly files: readonly string[]; readonly summary: FlowLogSummary };
  /**
   * Where the predicted traffic volumes come from, in words (`volumeBasis` in assumptions.ts).
   * @default the assumed default volume per caller zone and destination
   */
  readonly volumes?: string;
}

export interface Metric {
  readonly metric: string;
  readonly label: string;
  readonly value: number;
  readonly display: string;
}

export interface HeatCell {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly fill: string;
  readonly textFill: string;
  readonly from: string;
  readonly to: string;
  readonly value: number;
  readonly display: string;
  readonly sub: string;
  readonly same: boolean;
}

export interface Heatmap {
  readonly id: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly cells: readonly HeatCell[];
  readonly rows: readonly { readonly x: number; readonly y: number; readonly text: string }[];
  readonly cols: readonly { readonly x: number; readonly y: number; readonly text: string }[];
  readonly axisFrom: { readonly x: number; readonly y: number };
  readonly axisTo: { readonly x: number; readonly y: number };
}

export interface Bar {
  readonly y: number;
  readonly label: string;
  readonly labelY: number;
  readonly before: { readonly w: number; readonly y: number; readonly value: number; readonly display: string; readonly textX: number };
  readonly after: { readonly w: number; readonly y: number; readonly value: number; readonly display: string; readonly textX: number };
}

export interface CallerRow {
  readonly zone: string;
  readonly gbPerMonth: Metric;
  readonly shares: readonly { readonly zone: string; readonly value: number; readonly display: string; readonly local: boolean }[];
  readonly crossAfter: Metric;
  readonly crossBefore: Metric;
  readonly unroutable: boolean;
}

export interface DestinationRow {
  readonly name: string;
  readonly kind: string;
  readonly type: string;
  readonly routing: string;
  readonly mode: string;
  readonly endpoints: string;
  readonly crossGbBefore: Metric;
  readonly crossGbAfter: Metric;
  readonly costBefore: Metric;
  readonly costAfter: Metric;
  readonly callers: readonly CallerRow[];
  readonly zones: readonly string[];
  readonly notes: readonly string[];
}

export interface ComparisonRow {
  readonly label: string;
  readonly predicted: Metric;
  readonly measured: Metric;
}

export interface MeasuredView {
  readonly files: readonly string[];
  /** What the predicted numbers rest on (the scenario's volumes, or the assumed default). */
  readonly predictedBasis: string;
  /** What the measured numbers rest on (the window and its scaling to a month). */
  readonly measuredBasis: string;
  readonly metrics: readonly Metric[];
  readonly comparison: readonly ComparisonRow[];
  readonly heatmap: Heatmap;
  readonly window: string;
  /** Inputs covering the same time (their flows may be counted twice), one sentence each. */
  readonly overlaps: readonly string[];
}

export interface ReportView {
  readonly title: string;
  readonly generatedAt: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly dataplane: string;
  readonly currency: string;
  readonly prices: string;
  /** What every predicted number rests on: the scenario's volumes or the assumed default (assumptions.ts). */
  readonly volumes: string;
  readonly summary: readonly Metric[];
  readonly heatmaps: readonly Heatmap[];
  /** Load per endpoint per destination, shown next to the heatmaps (load-view.ts). */
  readonly load: readonly LoadView[];
  readonly bars: { readonly height: number; readonly items: readonly Bar[] };
  readonly destinations: readonly DestinationRow[];
  readonly measured?: MeasuredView;
  /** Raw data embedded as JSON for people and scripts that want the numbers. */
  readonly data: unknown;
}

function metric(name: string, label: string, value: number, display: string): Metric {
  return { metric: name, label, value, display };
}

const CELL_W = 104;
const CELL_H = 48;
const LEFT = 118;
const TOP = 58;

/** Same-zone cells are green, cross-zone cells orange-red; darker means more traffic. */
function cellColour(ratio: number, same: boolean): { fill: string; text: string } {
  const r = Math.max(0, Math.min(1, ratio));
  const light = Math.round(96 - r * 58);
  const fill = same ? `hsl(145, 50%, ${light}%)` : `hsl(14, 82%, ${light}%)`;
  return { fill, text: light < 58 ? '#ffffff' : '#1f2933' };
}

function heatmapOf(id: string, title: string, matrix: ZoneMatrix, rowsZones: readonly string[], colZones: readonly string[], max: number, unit: string): Heatmap {
  const cells: HeatCell[] = [];
  rowsZones.forEach((from, i) => {
    const rowTotal = Object.values(matrix[from] ?? {}).reduce((a, b) => a + b, 0);
    colZones.forEach((to, j) => {
      const value = matrix[from]?.[to] ?? 0;
      const same = from === to;
      const c = cellColour(max > 0 ? value / max : 0, same);
      cells.push({
        x: LEFT + j * CELL_W, y: TOP + i * CELL_H, w: CELL_W - 4, h: CELL_H - 4, fill: c.fill, textFill: c.text,
        from, to, value, display: `${gb(value)} ${unit}`, sub: rowTotal > 0 ? pct(value / rowTotal) : '', same,
      });
    });
  });
  return {
    id,
    title,
    width: LEFT + colZones.length * CELL_W + 8,
    height: TOP + rowsZones.length * CELL_H + 8,
    cells,
    rows: rowsZones.map((z, i) => ({ x: LEFT - 8, y: TOP + i * CELL_H + CELL_H / 2 + 2, text: z })),
    cols: colZones.map((z, j) => ({ x: LEFT + j * CELL_W + (CELL_W - 4) / 2, y: TOP - 10, text: z })),
    axisFrom: { x: 6, y: TOP - 10 },
    axisTo: { x: LEFT + (colZones.length * CELL_W) / 2, y: 18 },
  };
}

function zonesOf(base: readonly string[], matrices: readonly ZoneMatrix[]): string[] {
  const extra = new Set<string>();
  for (const m of matrices) for (const [from, row] of Object.entries(m)) {
    extra.add(from);
    for (const to of Object.keys(row)) extra.add(to);
  }
  return [...base, ...[...extra].filter((z) => !base.includes(z)).sort()];
}

function maxOf(matrices: readonly ZoneMatrix[]): number {
  let max = 0;
  for (const m of matrices) for (const row of Object.values(m)) for (const v of Object.values(row)) max = Math.max(max, v);
  return max;
}

const MODE_TEXT: Record<string, string> = {
  failover: 'zone-local (failover priorities)',
  failoverPriority: 'zone-local (failoverPriority labels)',
  distribute: 'weighted (distribute)',
  none: 'off: uniform spread',
  uniform: 'uniform spread',
  preferSameZone: 'kube-proxy, same zone first',
};

function routingText(d: DestinationResult): string {
  const r = d.routing;
  const parts = [r.dataplane === 'kube-proxy' ? 'kube-proxy' : r.destinationRule ? `DestinationRule ${r.destinationRule}` : `locality setting: ${r.source}`];
  if (r.trafficDistribution) parts.push(`trafficDistribution ${r.trafficDistribution}`);
  if (r.dataplane === 'sidecar') {
    parts.push(r.outlierDetection ? `outlierDetection (maxEjectionPercent ${r.maxEjectionPercent}, panic ${r.panicThresholdPercent}%)` : 'no outlierDetection');
  }
  return parts.join('; ');
}

function destinationRow(d: DestinationResult, zones: readonly string[], currency: string): DestinationRow {
  const cols = zonesOf(zones, [Object.fromEntries(d.callers.map((c) => [c.zone, { ...c.shares }]))]);
  return {
    name: d.name,
    kind: d.kind,
    type: d.type,
    routing: routingText(d),
    mode: MODE_TEXT[d.routing.mode] ?? d.routing.mode,
    endpoints: d.endpoints.map((e) => `${e.zone}: ${e.healthy}/${e.ready}${e.total !== e.ready ? ` (+${e.total - e.ready} not ready)` : ''}`).join(', ') || 'none',
    crossGbBefore: metric('dest-cross-zone-gb-before', 'cross-zone GB/month before', d.cost.before.crossZoneGbPerMonth, gb(d.cost.before.crossZoneGbPerMonth)),
    crossGbAfter: metric('dest-cross-zone-gb-after', 'cross-zone GB/month after', d.cost.after.crossZoneGbPerMonth, gb(d.cost.after.crossZoneGbPerMonth)),
    costBefore: metric('dest-cost-before-usd', 'cost before', d.cost.before.usdPerMonth, usd(d.cost.before.usdPerMonth, currency)),
    costAfter: metric('dest-cost-after-usd', 'cost after', d.cost.after.usdPerMonth, usd(d.cost.after.usdPerMonth, currency)),
    zones: cols,
    callers: d.callers.map((c) => ({
      zone: c.zone,
      gbPerMonth: metric('caller-gb', 'GB/month', c.gbPerMonth, gb(c.gbPerMonth)),
      shares: cols.map((z) => ({ zone: z, value: c.shares[z] ?? 0, display: c.unroutableFraction >= 1 ? '-' : pct(c.shares[z] ?? 0), local: z === c.zone })),
      crossAfter: metric('caller-cross-zone-after', 'cross-zone after', c.crossZoneFraction, c.unroutableFraction >= 1 ? '503' : pct(c.crossZoneFraction)),
      crossBefore: metric('caller-cross-zone-before', 'cross-zone before', c.crossZoneFractionBefore, pct(c.crossZoneFractionBefore)),
      unroutable: c.unroutableFraction > 0,
    })),
    notes: d.notes,
  };
}

function barsOf(destinations: readonly DestinationResult[], currency: string): ReportView['bars'] {
  const max = Math.max(0, ...destinations.flatMap((d) => [d.cost.before.usdPerMonth, d.cost.after.usdPerMonth]));
  const width = 420;
  const rowH = 58;
  const scale = (v: number) => (max > 0 ? Math.max(v > 0 ? 2 : 0, (v / max) * width) : 0);
  const x0 = 190;
  return {
    height: destinations.length * rowH + 12,
    items: destinations.map((d, i) => {
      const y = 8 + i * rowH;
      const b = scale(d.cost.before.usdPerMonth);
      const a = scale(d.cost.after.usdPerMonth);
      return {
        y,
        label: d.name,
        labelY: y + 26,
        before: { w: b, y, value: d.cost.before.usdPerMonth, display: usd(d.cost.before.usdPerMonth, currency), textX: x0 + b + 6 },
        after: { w: a, y: y + 22, value: d.cost.after.usdPerMonth, display: usd(d.cost.after.usdPerMonth, currency), textX: x0 + a + 6 },
      };
    }),
  };
}

function duration(seconds: number): string {
  if (seconds >= 86400) return `${(seconds / 86400).toFixed(1)} days`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${Math.max(0, Math.round(seconds / 60))} minutes`;
}

/**
 * The measurement in the prediction's unit and period: bytes of the window become GB/month
 * (per-month.ts: the window's traffic repeated for 30 days). Every compared number says whether
 * it is predicted or measured, and on what it rests.
 */
function measuredView(m: NonNullable<ReportInput['measured']>, sim: SimulationResult, volumes: string): MeasuredView {
  const s = m.summary;
  const perGb = s.pricing.bytesPerGb;
  const factor = monthFactor(s.window);
  const matrix: Record<string, Record<string, number>> = {};
  for (const p of s.byZonePair) (matrix[p.from] ??= {})[p.to] = factor === undefined ? p.bytes / perGb : gbPerMonth(p.bytes, factor);
  const zones = zonesOf(sim.zones, [matrix]);
  const attributed = s.bytes.crossZone + s.bytes.sameZone;
  const measuredShare = attributed > 0 ? s.bytes.crossZone / attributed : 0;
  const predictedTotal = sim.destinations.reduce((a, d) => a + d.callers.reduce((b, c) => b + c.gbPerMonth, 0), 0);
  const predictedShare = predictedTotal > 0 ? sim.cost.after.crossZoneGbPerMonth / predictedTotal : 0;
  const windowSeconds = s.window ? Math.max(0, s.window.end - s.window.start) : 0;
  const measuredMonthlyUsd = factor === undefined ? 0 : Math.round(s.costUsd.crossZone * factor * 100) / 100;
  const measuredCrossGb = factor === undefined ? 0 : gbPerMonth(s.bytes.crossZone, factor);
  const days = SECONDS_PER_MONTH / 86_400;
  const predictedBasis = `predicted (routing as configured), from ${volumes}`;
  const measuredBasis = factor === undefined
    ? 'measured: n/a, the logs have no time window (no start/end fields)'
    : `measured in ${duration(windowSeconds)} of flow logs, scaled to ${days} days (assumes the window's traffic repeats)`;
  const na = 'n/a (no time window)';
  const metrics = [
    metric('measured-records', 'records read', s.records, s.records.toLocaleString('en-US')),
    metric('measured-skipped', 'malformed lines skipped', s.skipped, s.skipped.toLocaleString('en-US')),
    metric('measured-total-bytes', 'bytes in the window (each flow once)', s.bytes.total, s.bytes.total.toLocaleString('en-US')),
    metric('measured-cross-zone-bytes', 'cross-zone bytes in the window', s.bytes.crossZone, s.bytes.crossZone.toLocaleString('en-US')),
    metric('measured-same-zone-bytes', 'same-zone bytes in the window', s.bytes.sameZone, s.bytes.sameZone.toLocaleString('en-US')),
    metric('measured-cost-usd', 'cross-zone cost in the window', s.costUsd.crossZone, `$${s.costUsd.crossZone.toFixed(6)}`),
  ];
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const overlaps = (s.overlappingInputs ?? []).map((o) => `${o.inputs[0]} and ${o.inputs[1]} cover the same time (${iso(o.start)} to ${iso(o.end)}): the same flows may be counted twice`);
  return {
    files: m.files,
    overlaps,
    metrics,
    window: s.window ? `${new Date(s.window.start * 1000).toISOString()} to ${new Date(s.window.end * 1000).toISOString()} (${duration(windowSeconds)})` : 'unknown (the log format has no start/end)',
    predictedBasis,
    measuredBasis,
    comparison: [
      {
        label: 'Share of traffic that crosses zones',
        predicted: metric('predicted-cross-zone-fraction', predictedBasis, round4(predictedShare), pct(predictedShare)),
        measured: metric('measured-cross-zone-fraction', 'measured in the window', round4(measuredShare), pct(measuredShare)),
      },
      {
        label: 'Cross-zone GB per month',
        predicted: metric('predicted-cross-zone-gb-per-month', predictedBasis, sim.cost.after.crossZoneGbPerMonth, `${gb(sim.cost.after.crossZoneGbPerMonth)} GB/month`),
        measured: metric('measured-cross-zone-gb-per-month', measuredBasis, measuredCrossGb, factor === undefined ? na : `${gb(measuredCrossGb)} GB/month`),
      },
      {
        label: `Cross-zone cost per month (${sim.cost.currency})`,
        predicted: metric('predicted-cost-usd', predictedBasis, sim.cost.after.transferUsdPerMonth, usd(sim.cost.after.transferUsdPerMonth, sim.cost.currency)),
        measured: metric('measured-monthly-cost-usd', measuredBasis, measuredMonthlyUsd, factor === undefined ? na : usd(measuredMonthlyUsd)),
      },
    ],
    heatmap: factor === undefined
      ? heatmapOf('measured', 'Measured (flow logs): GB in the logs, zone to zone (no time window to scale to a month)', matrix, zones, zones, maxOf([matrix]), 'GB')
      : heatmapOf('measured', `Measured (flow logs): GB/month zone to zone, ${duration(windowSeconds)} scaled to ${days} days`, matrix, zones, zones, maxOf([matrix]), 'GB/month'),
  };
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

export function buildView(input: ReportInput): ReportView {
  const sim = input.simulation;
  const c = sim.cost;
  const volumes = input.volumes ?? volumeBasis(undefined);
  const zones = zonesOf(sim.zones, [sim.matrix.before, sim.matrix.after]);
  const max = maxOf([sim.matrix.before, sim.matrix.after]);
  return {
    title: input.title,
    generatedAt: input.generatedAt,
    region: sim.region,
    zones: sim.zones,
    dataplane: sim.dataplane,
    currency: c.currency,
    prices: c.prices,
    volumes,
    summary: [
      metric('cost-before-usd', 'Predicted monthly cost, routing off', c.before.usdPerMonth, usd(c.before.usdPerMonth, c.currency)),
      metric('cost-after-usd', 'Predicted monthly cost, as configured', c.after.usdPerMonth, usd(c.after.usdPerMonth, c.currency)),
      metric('savings-usd', 'Predicted saving per month', c.savingsUsdPerMonth, usd(c.savingsUsdPerMonth, c.currency)),
      metric('cross-zone-gb-before', 'Predicted cross-zone GB/month, routing off', c.before.crossZoneGbPerMonth, gb(c.before.crossZoneGbPerMonth)),
      metric('cross-zone-gb-after', 'Predicted cross-zone GB/month, as configured', c.after.crossZoneGbPerMonth, gb(c.after.crossZoneGbPerMonth)),
    ],
    heatmaps: [
      heatmapOf('before', 'Predicted before: locality routing off (GB/month)', sim.matrix.before, sim.zones, zones, max, 'GB/month'),
      heatmapOf('after', 'Predicted after: routing as configured (GB/month)', sim.matrix.after, sim.zones, zones, max, 'GB/month'),
    ],
    load: loadViews(sim.destinations, sim.region),
    bars: barsOf(sim.destinations, c.currency),
    destinations: sim.destinations.map((d) => destinationRow(d, sim.zones, c.currency)),
    ...(input.measured ? { measured: measuredView(input.measured, sim, volumes) } : {}),
    data: { simulation: sim, ...(input.measured ? { measured: input.measured.summary } : {}) },
  };
}
