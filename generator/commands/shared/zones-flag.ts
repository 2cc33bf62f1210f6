import { UsageError } from '../../errors.js';

/**
 * The one `--zones LIST` parser (lint, simulate, report): comma-separated zone names, none empty,
 * none twice. With `known` (the values file's cluster zones) every zone must be one of them: a
 * zone the cluster does not have would be simulated as a caller with no endpoints.
 */
export function parseZonesFlag(raw: string, known?: readonly string[]): string[] {
  const zones = raw.split(',').map((z) => z.trim());
  if (zones.every((z) => z === '')) {
    throw new UsageError('--zones needs at least one zone, e.g. --zones us-west-2a,us-west-2b');
  }
  if (zones.some((z) => z === '')) {
    throw new UsageError(`--zones "${raw}" has an empty entry (separate zones with single commas, e.g. us-west-2a,us-west-2b)`);
  }
  const twice = zones.find((z, i) => zones.indexOf(z) !== i);
  if (twice !== undefined) throw new UsageError(`--zones names "${twice}" twice (name each zone once)`);
  if (known) {
    const foreign = zones.filter((z) => !known.includes(z));
    if (foreign.length > 0) {
      throw new UsageError(`--zones: ${foreign.map((z) => `"${z}"`).join(', ')} ${foreign.length === 1 ? 'is not a zone' : 'are not zones'} of the values file` +
        ` (its cluster.zones: ${known.join(', ')})`);
    }
  }
  return zones;
}
