import { probeOnce, type ProbeAnswer } from './request.js';

export interface ProbeRun {
  readonly url: URL;
  readonly requests: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/**
 * Sends `requests` calls with at most `concurrency` in flight and returns every answer. Worst
 * case duration is ceil(requests / concurrency) timeouts, since each call is bounded.
 */
export async function runProbe(run: ProbeRun, once: typeof probeOnce = probeOnce): Promise<ProbeAnswer[]> {
  const answers: ProbeAnswer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < run.requests) {
      next++;
      answers.push(await once(run.url, run.timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, run.requests) }, worker));
  return answers;
}
