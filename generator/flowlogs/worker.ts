/** Worker thread: scans one byte range of a flow-log file and posts its totals (see parallel.ts). */
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_LAYOUT, layoutOfFormat } from './layout.js';
import { layoutState, serialLayout, type RangeJob, type RangeResult } from './parallel.js';
import { scanRange } from './read.js';
import { FlowLogScanner, type SkippedLine } from './scanner.js';
import { serviceMapOf } from './services.js';
import { Tally } from './tally.js';
import { ZoneIndex } from './zones.js';

async function run(job: RangeJob): Promise<RangeResult> {
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

run(workerData as RangeJob).then(
  (result) => parentPort!.postMessage(result),
  (err: Error) => { throw err; },
);
