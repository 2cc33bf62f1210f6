/**
 * `analyzeFlowLogFiles`: VPC flow-log files in, FlowLogSummary out. Used by `zonal flowlogs analyze`
 * and by the HTML report. Files are streamed (plain text or gzip, detected by magic bytes) through
 * a scanner with a fixed buffer, so memory does not grow with the size of the logs; with
 * `threads` > 1, big plain files are split into line-aligned byte ranges scanned in parallel.
 */
import type { Zone } from '../model/types.js';
import { DEFAULT_LAYOUT, layoutOfFormat, type FieldLayout } from './layout.js';
import { consistent, planRanges, runRanges, workersAvailable, type RangeJob } from './parallel.js';
import { scanFile } from './read.js';
import { FlowLogScanner, type SkippedLine } from './scanner.js';
import type { ServiceMap } from './services.js';
import { summarize, Tally, type FlowLogSummary } from './tally.js';
import { ZoneIndex } from './zone-index.js';

export type { FlowLogSummary, SkippedLine };

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
  /** Called for the first `reportSkipped` malformed lines (default 5). */
  readonly onSkipped?: (line: SkippedLine) => void;
  readonly reportSkipped?: number;
  /**
   * Threads for big plain-text files (default 1: all in the calling thread). Only used where the
   * compiled worker sits next to this module (dist/), as for the CLI; elsewhere ignored.
   */
  readonly threads?: number;
}

/**
 * Reads every file in order and returns the totals. Throws FormatError for a `logFormat` without a
 * bytes field and the fs error for a file that cannot be opened; bad lines never throw.
 */
export async function analyzeFlowLogFiles(paths: readonly string[], options: AnalyzeOptions): Promise<FlowLogSummary> {
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
    reportSkipped,
  });
  const threads = workersAvailable ? options.threads ?? 1 : 1;
  for (const path of paths) {
    if (threads > 1) {
      const plan = await planRanges(path, threads, layout, DEFAULT_LAYOUT);
      if (plan) {
        const jobs: RangeJob[] = plan.ranges.map(([start, end], k) => ({
          path, start, end, midFile: k === 0 ? null : plan.midFile, zones: options.zones,
          logFormat: options.logFormat ?? null, services: options.services?.entries ?? null, reportSkipped,
        }));
        const results = await runRanges(jobs);
        if (consistent(plan.midFile, results)) {
          let lineOffset = 0;
          for (const r of results) {
            tally.merge(r.tally);
            scanner.forwardSkipped(r.skipped.map((s) => ({ ...s, line: s.line + lineOffset })));
            lineOffset += r.lines;
          }
          continue;
        }
      }
    }
    scanner.beginFile(path);
    await scanFile(path, scanner);
    scanner.endFile();
  }
  return summarize(tally, zones.names, options.services?.names, options.top ?? 10);
}
