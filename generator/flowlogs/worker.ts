/** Worker thread: scans one byte range of a flow-log file and posts its totals (see parallel.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { scanRangeJob, type RangeJob } from './parallel.js';

scanRangeJob(workerData as RangeJob).then(
  (result) => parentPort!.postMessage(result),
  (err: Error) => { throw err; },
);
