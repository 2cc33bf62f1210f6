import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { behaviourOf } from '../istio/versions.js';
import { hasErrors, lintModel } from '../lint/index.js';
import { oneLine } from '../model/problems.js';
import type { TopologyRouting } from '../model/types.js';
import { renderObjects } from '../render/index.js';
import { CrdValidators, istioCrdFile } from '../validate/crd-schema.js';
import { distFile, runsFromDist } from '../package-root.js';
import { InputError } from './command.js';

/** Column of the first character of a 1-based line (findings carry the line only). */
export function firstColumn(text: string | undefined, line: number): number {
  const l = text?.split('\n')[line - 1];
  return l === undefined ? 1 : l.length - l.trimStart().length + 1;
}

const crdCache = new Map<string, CrdValidators>();

/**
 * Problems the CRD schema of the configured Istio version finds in the rendered Istio objects
 * (unknown fields, wrong types). The schemas live in ../shared/schemas (CI places them there);
 * without that folder only the Istio core's webhook rules (in the lint findings) apply.
 */
function crdSchemaProblems(model: TopologyRouting, displayName: string): string[] {
  const dir = behaviourOf(model.mesh.istioVersion, `${displayName}: mesh.istioVersion`).crdSchemaDir;
  const file = istioCrdFile(process.env, dir);
  if (!existsSync(file)) return [];
  let crds = crdCache.get(file);
  if (!crds) {
    crds = new CrdValidators([file]);
    crdCache.set(file, crds);
  }
  const problems: string[] = [];
  for (const o of renderObjects(model)) {
    if (!crds.has(o.apiVersion, o.kind)) continue;
    for (const p of crds.validate(o)) {
      problems.push(`${displayName}:1:1: ERROR ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: the Istio ${dir} CRD schema rejects ${p} ` +
        '(this is a bug in zonal\'s rendering for this Istio version; nothing was written)');
    }
  }
  return problems;
}

/**
 * `zonal generate` refuses to write a chart that has lint errors (which include every Istio
 * webhook rejection the Istio core finds) or that the CRD schema of the configured Istio version
 * rejects: a chart that Istio refuses, or accepts but that routes nothing, is worse than no chart.
 * Warnings are printed by `zonal lint`, not here. `text` is the values file's text, to place each
 * finding at its key's column.
 */
export function lintGate(model: TopologyRouting, displayName: string, text?: string): void {
  // The model remembers the document it was parsed from, so findings are placed without re-reading.
  const findings = lintModel(model, displayName);
  const schema = crdSchemaProblems(model, displayName);
  if (!hasErrors(findings) && schema.length === 0) return;
  throw new InputError([...findings.filter((f) => f.severity === 'error').map((f) => oneLine(
    `${f.file}:${f.line}:${firstColumn(text, f.line)}: ERROR ${f.code} ${f.message} (see ${f.code} in docs/lint-rules.md; nothing was written)`)), ...schema]);
}

/** What the lint worker is given: the values file's text and the name findings are reported under. */
export interface GateJob {
  readonly text: string;
  readonly displayName: string;
}

/** The worker's answer: passed, the gate's problems (bad input), or a bug in zonal. */
export type GateVerdict = { readonly ok: true } | { readonly problems: readonly string[] } | { readonly bug: string };

/** The bundled worker (scripts/tools/bundle-cli.mjs). */
export const GATE_WORKER_FILE = distFile('bundle', 'commands', 'generate-lint-worker.js');

/**
 * Below this many characters of values text the gate stays in the calling thread: starting a
 * worker and parsing the values again there costs more than linting a small file
 * (npm run bench measures both sides).
 */
export const GATE_WORKER_MIN_CHARS = 64 * 1024;

/** The lint gate's verdict, still to come (a worker) or given now (the calling thread). */
export interface PendingGate {
  /** Resolves when the gate passes; rejects with the gate's InputError, or an Error for a bug. */
  readonly verdict: Promise<void>;
  /** Stops the worker when the verdict is no longer wanted (the values file did not parse). */
  cancel(): void;
}

/**
 * Starts the lint gate beside the caller when the values file is big enough to gain from it and
 * zonal runs from its build (the worker is bundled), so `zonal generate` renders the chart while
 * the gate runs on the other core; nothing is written before the verdict. Returns undefined when
 * the caller should run lintGate itself.
 */
export function lintGateAside(job: GateJob): PendingGate | undefined {
  // The sources (tests) lint in the calling thread: the bundled worker is a build product.
  if (job.text.length < GATE_WORKER_MIN_CHARS || !runsFromDist(import.meta.url) || !existsSync(GATE_WORKER_FILE)) return undefined;
  return lintGateInWorker(job, GATE_WORKER_FILE);
}

/** The lint gate of `job` in a worker thread running `workerFile`. */
export function lintGateInWorker(job: GateJob, workerFile: string): PendingGate {
  const worker = new Worker(workerFile, { workerData: job });
  const verdict = new Promise<void>((resolve, reject) => {
    worker.once('message', (v: GateVerdict) => {
      if ('ok' in v) resolve();
      else if ('problems' in v) reject(new InputError([...v.problems]));
      else reject(new Error(`the lint worker failed: ${v.bug}`));
    });
    worker.once('error', (err) => reject(new Error(`the lint worker failed: ${err.message}`)));
    worker.once('exit', (code) => reject(new Error(`the lint worker stopped (exit code ${code}) without a verdict`)));
  });
  verdict.catch(() => {}); // a cancelled gate's rejection is nobody's business
  return { verdict, cancel: () => void worker.terminate() };
}
