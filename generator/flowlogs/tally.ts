/**
 * Running totals of one analysis, in fixed-size typed arrays (memory does not grow with the logs),
 * and the summary they turn into. Bytes are kept in half-byte units: a flow seen by both ENIs
 * without a flow direction counts half per record, and integers stay exact up to 2^52 bytes.
 */
import { InputError } from '../errors.js';
import { crossZoneCostUsd, PRICING } from './pricing.js';

/** Largest total the summary reports exactly: 2^53 - 1 half-bytes. */
export const MAX_EXACT_BYTES = Math.floor(Number.MAX_SAFE_INTEGER / 2);

export interface ZonePairBytes {
  readonly from: string;
  readonly to: string;
  readonly bytes: number;
}

export interface TopTalker {
  /** Service name of the source address, or "(other)" for addresses the services map lacks. */
  readonly from: string;
  readonly to: string;
  /** Bytes counted for this service pair (same zone, cross zone and unattributed). */
  readonly bytes: number;
  readonly crossZoneBytes: number;
  readonly crossZoneCostUsd: number;
}

/** What `zonal flowlogs analyze --json` prints, and what the HTML report shows as measured. */
export interface FlowLogSummary {
  /** Well-formed records read (every direction, including NODATA/SKIPDATA records). */
  readonly records: number;
  /** Lines that are not records (malformed); header and blank lines are neither. */
  readonly skipped: number;
  readonly bytes: {
    /** Bytes of the counted flows (each flow once), attributed or not. */
    readonly total: number;
    readonly crossZone: number;
    readonly sameZone: number;
    /** Counted bytes with an end whose zone is unknown (outside every mapped subnet). */
    readonly unattributed: number;
  };
  readonly costUsd: { readonly crossZone: number };
  /** Attributed bytes per (source zone, destination zone), same-zone pairs included, largest first. */
  readonly byZonePair: readonly ZonePairBytes[];
  /** How records were counted so that each flow counts once (see docs/flowlogs.md). */
  readonly counting: {
    /** Records with flow-direction egress: counted in full. */
    readonly egress: number;
    /** Records with flow-direction ingress: not counted, the sender's egress record counts the flow. */
    readonly ingress: number;
    /** Records without a flow direction: counted in full, or half when both ends are in mapped subnets. */
    readonly undirected: number;
  };
  /** Earliest `start` and latest `end` (Unix seconds) of the counted records, when the format has them. */
  readonly window: { readonly start: number; readonly end: number } | null;
  readonly pricing: { readonly usdPerCrossZoneGb: number; readonly bytesPerGb: number };
  /** Service pairs by cross-zone bytes, when a services map was given. */
  readonly topTalkers?: readonly TopTalker[];
  /**
   * Bytes per caller zone (the record's source zone) and destination service, when a services
   * map was given: what `--emit-scenario` turns into scenario traffic. Largest first.
   */
  readonly byCallerZone?: readonly ZonePairBytes[];
  /** Inputs covering the same time (the same flows may be counted twice); only when there are any. */
  readonly overlappingInputs?: readonly InputOverlap[];
}

/** Two inputs whose time windows overlap for at least half of the shorter one. */
export interface InputOverlap {
  readonly inputs: readonly [string, string];
  /** The shared time (Unix seconds). */
  readonly start: number;
  readonly end: number;
}

export class Tally {
  records = 0;
  skipped = 0;
  egress = 0;
  ingress = 0;
  undirected = 0;
  total2 = 0;
  unattributed2 = 0;
  minStart = Infinity;
  maxEnd = -Infinity;
  /** Half-bytes per (from * zoneCount + to). */
  readonly pairs2: Float64Array;
  /** Half-bytes per service pair key (total, cross zone); only with a services map. */
  readonly services2 = new Map<number, { total: number; cross: number }>();
  /** Half-bytes per (source zone, destination service) key; only with a services map. */
  readonly callers2 = new Map<number, number>();

  constructor(readonly zoneCount: number, readonly serviceCount: number) {
    this.pairs2 = new Float64Array(zoneCount * zoneCount);
  }

  /** Counts `bytes2` half-bytes from zone `from` to zone `to` (-1 = unknown). */
  add(from: number, to: number, bytes2: number): void {
    this.total2 += bytes2;
    if (from >= 0 && to >= 0) this.pairs2[from * this.zoneCount + to]! += bytes2;
    else this.unattributed2 += bytes2;
  }

  /**
   * Service indices; -1 (unknown) is folded into the "(other)" bucket. `fromZone` (-1 unknown)
   * is the caller's zone, for the per-caller-zone volumes of `--emit-scenario`.
   */
  addService(fromService: number, toService: number, bytes2: number, crossZone: boolean, fromZone: number): void {
    const n = this.serviceCount + 1;
    const to = toService < 0 ? this.serviceCount : toService;
    const key = (fromService < 0 ? this.serviceCount : fromService) * n + to;
    let row = this.services2.get(key);
    if (!row) this.services2.set(key, (row = { total: 0, cross: 0 }));
    row.total += bytes2;
    if (crossZone) row.cross += bytes2;
    if (fromZone >= 0 && toService >= 0) {
      const callerKey = fromZone * n + to;
      this.callers2.set(callerKey, (this.callers2.get(callerKey) ?? 0) + bytes2);
    }
  }

  window(start: number, end: number): void {
    if (start < this.minStart) this.minStart = start;
    if (end > this.maxEnd) this.maxEnd = end;
  }

  /** Plain data (structured-clone friendly) for sending a worker's totals to the main thread. */
  snapshot(): TallySnapshot {
    const { records, skipped, egress, ingress, undirected, total2, unattributed2, minStart, maxEnd } = this;
    return {
      records, skipped, egress, ingress, undirected, total2, unattributed2, minStart, maxEnd,
      pairs2: Array.from(this.pairs2),
      services2: [...this.services2].map(([key, row]) => [key, row.total, row.cross]),
      callers2: [...this.callers2],
    };
  }

  /** Puts the totals back to an earlier snapshot of this tally (a damaged gzip member is taken back). */
  restore(o: TallySnapshot): void {
    this.records = o.records;
    this.skipped = o.skipped;
    this.egress = o.egress;
    this.ingress = o.ingress;
    this.undirected = o.undirected;
    this.total2 = o.total2;
    this.unattributed2 = o.unattributed2;
    this.minStart = o.minStart;
    this.maxEnd = o.maxEnd;
    this.pairs2.set(o.pairs2);
    this.services2.clear();
    for (const [key, total, cross] of o.services2) this.services2.set(key, { total, cross });
    this.callers2.clear();
    for (const [key, v] of o.callers2) this.callers2.set(key, v);
  }

  /** Adds another tally's totals (same zones and services) to this one. */
  merge(o: TallySnapshot): void {
    this.records += o.records;
    this.skipped += o.skipped;
    this.egress += o.egress;
    this.ingress += o.ingress;
    this.undirected += o.undirected;
    this.total2 += o.total2;
    this.unattributed2 += o.unattributed2;
    this.window(o.minStart, o.maxEnd);
    o.pairs2.forEach((v, i) => { this.pairs2[i]! += v; });
    for (const [key, total, cross] of o.services2) {
      let row = this.services2.get(key);
      if (!row) this.services2.set(key, (row = { total: 0, cross: 0 }));
      row.total += total;
      row.cross += cross;
    }
    for (const [key, v] of o.callers2) this.callers2.set(key, (this.callers2.get(key) ?? 0) + v);
  }
}

export interface TallySnapshot {
  readonly records: number;
  readonly skipped: number;
  readonly egress: number;
  readonly ingress: number;
  readonly undirected: number;
  readonly total2: number;
  readonly unattributed2: number;
  readonly minStart: number;
  readonly maxEnd: number;
  readonly pairs2: readonly number[];
  readonly services2: ReadonlyArray<readonly [number, number, number]>;
  readonly callers2: ReadonlyArray<readonly [number, number]>;
}

/** Turns running totals into the summary; `top` limits the top-talker list. */
export function summarize(
  tally: Tally, zoneNames: readonly string[], serviceNames: readonly string[] | undefined, top: number, overlaps: readonly InputOverlap[] = [],
): FlowLogSummary {
  // Totals are float64 half-bytes: exact up to 2^53 half-bytes. Beyond, refuse rather than round.
  if (!Number.isSafeInteger(tally.total2)) {
    throw new InputError([`zonal flowlogs: the logs hold more than ${MAX_EXACT_BYTES} bytes (4 PiB), more than zonal totals exactly (analyze fewer files at a time)`]);
  }
  const n = zoneNames.length;
  const byZonePair: ZonePairBytes[] = [];
  let cross2 = 0;
  let same2 = 0;
  for (let from = 0; from < n; from++) {
    for (let to = 0; to < n; to++) {
      const b2 = tally.pairs2[from * n + to]!;
      if (b2 === 0) continue;
      if (from === to) same2 += b2;
      else cross2 += b2;
      byZonePair.push({ from: zoneNames[from]!, to: zoneNames[to]!, bytes: b2 / 2 });
    }
  }
  byZonePair.sort((a, b) => b.bytes - a.bytes || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const summary: FlowLogSummary = {
    records: tally.records,
    skipped: tally.skipped,
    bytes: { total: tally.total2 / 2, crossZone: cross2 / 2, sameZone: same2 / 2, unattributed: tally.unattributed2 / 2 },
    costUsd: { crossZone: crossZoneCostUsd(cross2 / 2) },
    byZonePair,
    counting: { egress: tally.egress, ingress: tally.ingress, undirected: tally.undirected },
    window: tally.minStart <= tally.maxEnd ? { start: tally.minStart, end: tally.maxEnd } : null,
    pricing: { usdPerCrossZoneGb: PRICING.usdPerCrossZoneGb, bytesPerGb: PRICING.bytesPerGb },
  };
  const withOverlaps = overlaps.length > 0 ? { ...summary, overlappingInputs: overlaps } : summary;
  if (!serviceNames) return withOverlaps;
  const names = [...serviceNames, '(other)'];
  const k = names.length;
  const topTalkers: TopTalker[] = [...tally.services2]
    .map(([key, row]) => ({
      from: names[Math.floor(key / k)]!,
      to: names[key % k]!,
      bytes: row.total / 2,
      crossZoneBytes: row.cross / 2,
      crossZoneCostUsd: crossZoneCostUsd(row.cross / 2),
    }))
    .sort((a, b) => b.crossZoneBytes - a.crossZoneBytes || b.bytes - a.bytes || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
    .slice(0, top);
  const byCallerZone: ZonePairBytes[] = [...tally.callers2]
    .map(([key, b2]) => ({ from: zoneNames[Math.floor(key / k)]!, to: names[key % k]!, bytes: b2 / 2 }))
    .sort((a, b) => b.bytes - a.bytes || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { ...withOverlaps, topTalkers, byCallerZone };
}
