/**
 * `analyzeFlowLogFiles`: VPC flow-log files in, FlowLogSummary out. Used by `zonal flowlogs analyze`
 * and by the HTML report. Text files are streamed (plain text or gzip, detected by magic bytes)
 * through a scanner with a fixed buffer, so memory does not grow with the size of the logs; with
 * `threads` > 1, big plain files are split into line-aligned byte ranges scanned in parallel.
 * Parquet files (S3 destinations) are read by the embedded DuckDB engine into the same tally.
 */
import { statSync } from 'node:fs';
import type { Zone } from '../model/types.js';
import { collectInputs, type StartRange } from './inputs.js';
import { DEFAULT_LAYOUT, layoutOfFormat, type FieldLayout } from './layout.js';
import { consistent, planRanges, runRanges, workersAvailable, type RangeJob } from './parallel.js';
import { analyzeParquetFiles } from './parquet.js';
import { scanFile } from './read.js';
import { FlowLogScanner, type SkippedLine } from './scanner.js';
import type { ServiceMap } from './services.js';
import { summarize, Tally, type FlowLogSummary, type InputOverlap } from './tally.js';
import { ZoneIndex } from './zone-index.js';

export type { FlowLogSummary, SkippedLine, StartRange };

export interface AnalyzeOptions {
  /**
   * Zones with their az-ids and subnet CIDRs: `zonesFromValues(model)` (cluster.zones of a
   * TopologyRouting) or `parseSubnetsFile(text, file)`.
   */
  readonly zones: readonly Zone[];
  /** `--log-format` (`${version} ${srcaddr} ...`); a file's S3 header line takes precedence. */
  readonly logFormat?: string;
  /** Address -> service map; adds `topTalkers` to the summary. */
  readonly services?: ServiceMap;
  /** Length of the top-talker list (default 10). */
  readonly top?: number;
  /** Called for the first `reportSkipped` malformed lines (default 5), and for every damaged file. */
  readonly onSkipped?: (line: SkippedLine) => void;
  readonly reportSkipped?: number;
  /**
   * Threads for big plain-text files (default 1: all in the calling thread). Only used where the
   * compiled worker sits next to this module (dist/), as for the CLI; elsewhere ignored.
   */
  readonly threads?: number;
  /** Only records starting in [from, to) count (`--since/--until`); S3 partitions outside are not read. */
  readonly startRange?: StartRange;
  /** Files given twice, overlapping inputs: one message each. */
  readonly onWarning?: (message: string) => void;
  /** The command named in input errors (default "flowlogs analyze"). */
  readonly command?: string;
  /** How a path is shown in messages (default: as given). */
  readonly display?: (path: string) => string;
  /** Called as input is read (for a progress bar): bytes of the input files done, bytes in all. */
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
}

interface InputWindow {
  readonly input: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Share of the shorter input's window two inputs must share to be reported: consecutive S3 files
 * overlap by up to an aggregation interval (records are filed when they close), which is normal;
 * half a window or more is the same time range given twice (a CloudWatch export and the S3 copy).
 */
const OVERLAP_SHARE = 0.5;

/** Pairs of inputs whose time windows overlap (the same traffic may be in both). */
function overlapsOf(windows: readonly InputWindow[]): InputOverlap[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: InputOverlap[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.start < sorted[i]!.end; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      const end = Math.min(a.end, b.end);
      const shorter = Math.min(a.end - a.start, b.end - b.start);
      if (end - b.start >= OVERLAP_SHARE * shorter) out.push({ inputs: [a.input, b.input], start: b.start, end });
    }
  }
  return out;
}

/**
 * Reads every file in order and returns the totals. Throws FormatError for a `logFormat` without a
 * bytes field and InputError for a path that cannot be read; bad lines never throw.
 */
export async function analyzeFlowLogFiles(paths: readonly string[], options: AnalyzeOptions): Promise<FlowLogSummary> {
  const shown = options.display ?? ((p: string) => p);
  const inputs = collectInputs(options.command ?? 'flowlogs analyze', paths, options.startRange, shown);
  for (const w of inputs.warnings) options.onWarning?.(w);
  const zones = new ZoneIndex(options.zones);
  const tally = new Tally(zones.names.length, options.services?.names.length ?? 0);
  const layout: FieldLayout | undefined = options.logFormat !== undefined ? layoutOfFormat(options.logFormat) : undefined;
  const reportSkipped = options.reportSkipped ?? 5;
  const scanner = new FlowLogScanner({
    zones,
    tally,
    ...(layout ? { layout } : {}),
    fallbackLayout: DEFAULT_LAYOUT,
    ...(options.services ? { services: options.services } : {}),
    ...(options.onSkipped ? { onSkipped: options.onSkipped } : {}),
    ...(options.startRange ? { startRange: options.startRange } : {}),
    reportSkipped,
  });
  const windows: InputWindow[] = [];
  // Each input's own window: the tally's window is reset around it and merged back after.
  const windowed = async (input: string, read: () => Promise<void>) => {
    const [minStart, maxEnd] = [tally.minStart, tally.maxEnd];
    tally.minStart = Infinity;
    tally.maxEnd = -Infinity;
    await read();
    if (tally.minStart <= tally.maxEnd) windows.push({ input, start: tally.minStart, end: tally.maxEnd });
    tally.window(minStart, maxEnd);
  };
  const threads = workersAvailable ? options.threads ?? 1 : 1;
  const sizeOf = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0; // unreadable: reported where it is opened
    }
  };
  const sizes = new Map([...inputs.streams, ...inputs.parquetInputs.flatMap((g) => g.files)].map((p) => [p, sizeOf(p)]));
  const totalBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  let doneBytes = 0;
  const progress = options.onProgress ?? (() => {});
  progress(0, totalBytes);
  for (const path of inputs.streams) {
    await windowed(shown(path), () => readStream(path));
    doneBytes += sizes.get(path) ?? 0;
    progress(doneBytes, totalBytes);
  }
  async function readStream(path: string): Promise<void> {
    if (threads > 1) {
      const plan = await planRanges(path, threads, layout, DEFAULT_LAYOUT);
      if (plan) {
        const jobs: RangeJob[] = plan.ranges.map(([start, end], k) => ({
          path, start, end, midFile: k === 0 ? null : plan.midFile, zones: options.zones,
          logFormat: options.logFormat ?? null, services: options.services?.entries ?? null, reportSkipped,
          startRange: options.startRange ?? null,
        }));
        const results = await runRanges(jobs);
        if (consistent(plan.midFile, results)) {
          let lineOffset = 0;
          for (const r of results) {
            tally.merge(r.tally);
            scanner.forwardSkipped(r.skipped.map((s) => ({ ...s, line: s.line + lineOffset })));
            lineOffset += r.lines;
          }
          return;
        }
      }
    }
    scanner.beginFile(path);
    await scanFile(path, scanner, (position) => progress(doneBytes + position, totalBytes));
    scanner.endFile();
  }
  // one DuckDB query per FILE argument, so each argument's time window is its own
  for (const group of inputs.parquetInputs) {
    const label = group.files.length === 1 ? shown(group.files[0]!) : `${shown(group.input)} (${group.files.length} Parquet files)`;
    await windowed(label, () => analyzeParquetFiles(group.files, {
      zones,
      tally,
      ...(options.services ? { services: options.services } : {}),
      ...(options.startRange ? { startRange: options.startRange } : {}),
      command: options.command ?? 'flowlogs analyze',
      onSkipped: (count, reason) => options.onSkipped?.({ file: label, line: 0, reason: `${count} Parquet record(s): ${reason}`, text: '' }),
    }));
    doneBytes += group.files.reduce((a, f) => a + (sizes.get(f) ?? 0), 0);
    progress(doneBytes, totalBytes);
  }
  const overlaps = overlapsOf(windows);
  for (const o of overlaps) {
    options.onWarning?.(`${o.inputs[0]} and ${o.inputs[1]} cover overlapping time (${new Date(o.start * 1000).toISOString()} to ${new Date(o.end * 1000).toISOString()}): the same flows may be counted twice`);
  }
  return summarize(tally, zones.names, options.services?.names, options.top ?? 10, overlaps);
}
