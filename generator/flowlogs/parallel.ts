/**
 * Splitting one big plain-text log across worker threads: each worker scans a byte range that
 * starts on a line boundary and sends back its totals. A range inherits the format the file's
 * start establishes (header, --log-format or field count); if a range ends in a different format
 * than the next one assumed (a header in the middle of concatenated logs), the split result is
 * thrown away and the file is read sequentially instead, so results never depend on the split.
 */
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distFile, runsFromDist } from '../package-root.js';
import { Worker } from 'node:worker_threads';
import type { Zone } from '../model/types.js';
import { DEFAULT_LAYOUT, headerLayout, inferredLayout, layoutOfFormat, type FieldLayout } from './layout.js';
import { isGzip, scanRange } from './read.js';
import { FlowLogScanner, type LayoutState, type SkippedLine } from './scanner.js';
import { serviceMapOf } from './services.js';
import { Tally, type TallySnapshot } from './tally.js';
import { ZoneIndex } from './zone-index.js';

const WORKER_URL = pathToFileURL(distFile('flowlogs', 'worker.js'));

/**
 * Whether worker threads can run: when zonal runs from dist/ (the bundled executable or the
 * compiled modules) and the compiled worker is there; when the sources run directly (tests) the
 * analysis stays in the calling thread.
 */
export const workersAvailable = runsFromDist(import.meta.url) && existsSync(fileURLToPath(WORKER_URL));

/** Files smaller than this are not split: starting a worker costs more than it saves. */
export const MIN_RANGE_BYTES = 16 * 1024 * 1024;
const PROBE = 64 * 1024;

export interface SerialLayout {
  readonly format: string;
  readonly explicit: boolean;
}

export interface RangeJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  /** Format in force at `start` (null for the range at offset 0, which reads the file's head itself). */
  readonly midFile: SerialLayout | null;
  readonly zones: readonly Zone[];
  readonly logFormat: string | null;
  readonly services: Readonly<Record<string, string>> | null;
  readonly reportSkipped: number;
  /** `--since/--until` as Unix seconds [from, to), or null. */
  readonly startRange: { readonly from: number; readonly to: number } | null;
}

export interface RangeResult {
  readonly tally: TallySnapshot;
  readonly lines: number;
  readonly skipped: readonly SkippedLine[];
  /** Format in force at the end of the range. */
  readonly end: SerialLayout;
}

export function serialLayout(state: LayoutState): SerialLayout {
  return { format: state.layout.fields.map((f) => f.name).join(' '), explicit: state.explicit };
}

export function layoutState(s: SerialLayout): LayoutState {
  return { layout: layoutOfFormat(s.format), explicit: s.explicit };
}

/**
 * Byte ranges (on line boundaries) and the format each later range starts with, or undefined when
 * the file should be read sequentially (small, gzip, JSON, or no line end found near a cut).
 */
export async function planRanges(
  path: string, threads: number, explicitLayout: FieldLayout | undefined, fallback: FieldLayout,
): Promise<{ ranges: Array<[number, number]>; midFile: SerialLayout } | undefined> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const parts = Math.min(threads, Math.floor(size / MIN_RANGE_BYTES));
    if (parts < 2) return undefined;
    const probe = Buffer.allocUnsafe(PROBE);
    const { bytesRead } = await fh.read(probe, 0, PROBE, 0);
    const head = probe.subarray(0, bytesRead);
    if (isGzip(head)) return undefined;
    const firstLine = head.toString('latin1', 0, Math.max(0, head.indexOf(10))).replace(/\r$/, '');
    const trimmed = firstLine.trimStart();
    if (head.indexOf(10) < 0 || trimmed === '' || trimmed.startsWith('{') || trimmed.startsWith('[')) return undefined;
    let state: LayoutState;
    const header = safeHeader(firstLine);
    if (header) state = { layout: header, explicit: true };
    else if (explicitLayout) state = { layout: explicitLayout, explicit: true };
    else state = { layout: inferredLayout(firstLine.split(' ').length) ?? fallback, explicit: false };
    const cuts = [0];
    for (let k = 1; k < parts; k++) {
      const at = Math.floor((size * k) / parts);
      const { bytesRead: n } = await fh.read(probe, 0, PROBE, at);
      const nl = probe.subarray(0, n).indexOf(10);
      if (nl < 0) return undefined;
      const cut = at + nl + 1;
      if (cut <= cuts[cuts.length - 1]! || cut >= size) return undefined;
      cuts.push(cut);
    }
    cuts.push(size);
    return { ranges: cuts.slice(1).map((end, k) => [cuts[k]!, end]), midFile: serialLayout(state) };
  } finally {
    await fh.close();
  }
}

function safeHeader(line: string): FieldLayout | undefined {
  try {
    return headerLayout(line);
  } catch {
    return undefined;
  }
}

/** Scans one range in this thread (what each worker does); its totals go to a tally of its own. */
export async function scanRangeJob(job: RangeJob): Promise<RangeResult> {
  const zones = new ZoneIndex(job.zones);
  const services = job.services ? serviceMapOf(job.services) : undefined;
  const tally = new Tally(zones.names.length, services?.names.length ?? 0);
  const skipped: SkippedLine[] = [];
  const scanner = new FlowLogScanner({
    zones,
    tally,
    ...(job.logFormat !== null ? { layout: layoutOfFormat(job.logFormat) } : {}),
    fallbackLayout: DEFAULT_LAYOUT,
    ...(services ? { services } : {}),
    onSkipped: (line) => skipped.push(line),
    reportSkipped: job.reportSkipped,
    ...(job.startRange ? { startRange: job.startRange } : {}),
  });
  scanner.beginFile(job.path, job.midFile ? layoutState(job.midFile) : undefined);
  const fh = await open(job.path, 'r');
  try {
    await scanRange(fh, scanner, job.start, job.end);
  } finally {
    await fh.close();
  }
  scanner.endFile();
  return { tally: tally.snapshot(), lines: scanner.lines, skipped, end: serialLayout(scanner.layoutState) };
}

/**
 * Scans the first range in this thread and each other range in a worker thread; resolves with
 * the results in range order.
 */
export function runRanges(jobs: readonly RangeJob[]): Promise<RangeResult[]> {
  return Promise.all(jobs.map((job, k) => k === 0 ? scanRangeJob(job) : new Promise<RangeResult>((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: job });
    let result: RangeResult | undefined;
    worker.once('message', (m: RangeResult) => { result = m; });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`flow-log worker for ${job.path} [${job.start}, ${job.end}) exited with code ${code}`));
    });
  })));
}

/** True when every range started in the format the previous one ended with. */
export function consistent(first: SerialLayout, results: readonly RangeResult[]): boolean {
  return results.slice(0, -1).every((r) => r.end.format === first.format && r.end.explicit === first.explicit);
}
