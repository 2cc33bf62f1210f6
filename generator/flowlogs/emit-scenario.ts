/**
 * `zonal flowlogs analyze --emit-scenario FILE`: measured traffic per caller zone and destination
 * service as a scenario for `zonal simulate` (its `traffic` list, in GB/month), so a team predicts
 * what a routing change does to the traffic it actually has.
 */
import { toYaml } from '../yaml/dump.js';
import { ValueError } from '../errors.js';
import type { FlowLogSummary } from './tally.js';
import { gbPerMonth, monthFactor, SECONDS_PER_MONTH } from './per-month.js';

export interface EmittedScenario {
  /** The scenario file's text (YAML). */
  readonly text: string;
  readonly entries: number;
  /** Destinations measured but left out (not a destination of the values file, or "(other)"). */
  readonly dropped: readonly string[];
}

/**
 * The scenario for a summary made with a services map. `known` (the values file's destinations)
 * keeps only names `zonal simulate` can resolve. Unlisted pairs carry nothing (defaultGbPerMonth 0):
 * what was not measured did not happen in the window.
 */
export function emitScenario(summary: FlowLogSummary, known?: ReadonlySet<string>): EmittedScenario {
  if (!summary.byCallerZone) throw new ValueError('--emit-scenario needs --services FILE (which service each destination address is)');
  const factor = monthFactor(summary.window);
  if (factor === undefined) throw new ValueError('--emit-scenario needs a time window: the log format has no start/end fields, or no bytes were counted');
  const dropped = new Set<string>();
  const traffic = summary.byCallerZone.flatMap((row) => {
    if (row.to === '(other)' || (known && !known.has(row.to))) {
      dropped.add(row.to);
      return [];
    }
    const gb = gbPerMonth(row.bytes, factor);
    return gb > 0 ? [{ from: row.from, to: row.to, gbPerMonth: gb }] : [];
  });
  const days = ((summary.window!.end - summary.window!.start) / 86_400).toFixed(3);
  const header = [
    '# zonal flowlogs analyze --emit-scenario: measured traffic, normalised to GB/month',
    `# measured window: ${new Date(summary.window!.start * 1000).toISOString()} to ${new Date(summary.window!.end * 1000).toISOString()} (${days} days),`,
    `# scaled to a month of ${SECONDS_PER_MONTH / 86_400} days (assumes the window's traffic repeats); GB = 2^30 bytes.`,
    '# from = caller zone (the flow\'s source zone), to = destination service (--services).',
  ];
  const body = toYaml({ defaultGbPerMonth: 0, traffic });
  return { text: `${header.join('\n')}\n${body}`, entries: traffic.length, dropped: [...dropped].sort() };
}
