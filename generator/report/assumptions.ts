/** What a report's predicted numbers rest on, in words shown next to them. */
import { DEFAULT_GB_PER_MONTH, type LoadedScenario } from '../simulate/scenario.js';

/**
 * The traffic volumes behind a prediction: the scenario's own `traffic` list, or the default
 * volume per caller zone and destination, which is an assumption and says so.
 */
export function volumeBasis(loaded: LoadedScenario | undefined): string {
  const s = loaded?.scenario;
  if (s && s.traffic.length > 0) {
    return `the scenario's volumes (${s.traffic.length} traffic entries, ${s.defaultGbPerMonth} GB/month for other pairs)`;
  }
  const perPair = s?.defaultGbPerMonth ?? DEFAULT_GB_PER_MONTH;
  return `${perPair} GB/month per caller zone and destination, assumed`;
}
