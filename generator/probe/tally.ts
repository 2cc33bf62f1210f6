import type { ProbeAnswer } from './request.js';

/** The `zonal probe --json` contract (fields are only ever added). */
export interface ProbeSummary {
  readonly url: string;
  readonly requests: number;
  readonly answered: number;
  readonly errors: number;
  readonly errorsByKind: Record<string, number>;
  /** null when the caller's zone could not be found (then there is no same-zone share either). */
  readonly callerZone: string | null;
  /** How the caller zone was found: flag, env, imdsv2, imdsv1 or none. */
  readonly callerZoneSource: string;
  readonly zones: Record<string, number>;
  /** Answers per pod, for services that name their pod (the zip-lookup JSON answer does). */
  readonly pods: Record<string, number>;
  readonly sameZone: number;
  /** sameZone / answered: failed requests say nothing about routing, so they are left out. */
  readonly sameZoneShare: number | null;
  readonly elapsedMs: number;
}

/** Counts with keys in sorted order, so the JSON output is stable between runs. */
function count(keys: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function tally(
  answers: readonly ProbeAnswer[],
  caller: { zone: string | null; source: string },
  url: string,
  elapsedMs: number,
): ProbeSummary {
  const ok = answers.filter((a): a is Extract<ProbeAnswer, { ok: true }> => a.ok);
  const failed = answers.filter((a): a is Extract<ProbeAnswer, { ok: false }> => !a.ok);
  const sameZone = caller.zone === null ? 0 : ok.filter((a) => a.zone === caller.zone).length;
  return {
    url,
    requests: answers.length,
    answered: ok.length,
    errors: failed.length,
    errorsByKind: count(failed.map((a) => a.error)),
    callerZone: caller.zone,
    callerZoneSource: caller.source,
    zones: count(ok.map((a) => a.zone)),
    pods: count(ok.flatMap((a) => (a.pod === undefined ? [] : [a.pod]))),
    sameZone,
    sameZoneShare: caller.zone === null || ok.length === 0 ? null : sameZone / ok.length,
    elapsedMs: Math.round(elapsedMs),
  };
}
