/**
 * The lint gate of `zonal generate` in a worker thread (see lintGateAside in
 * generate-lint-gate.ts): it parses the values text itself (a parsed model does not cross
 * threads) and answers with the gate's verdict.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseValues } from '../model/load-values.js';
import { InputError } from './command.js';
import { lintGate, type GateJob, type GateVerdict } from './generate-lint-gate.js';

const job = workerData as GateJob;
let verdict: GateVerdict;
try {
  lintGate(parseValues(job.text, job.displayName), job.displayName, job.text);
  verdict = { ok: true };
} catch (err) {
  verdict = err instanceof InputError ? { problems: err.problems } : { bug: err instanceof Error ? err.message : String(err) };
}
parentPort!.postMessage(verdict);
