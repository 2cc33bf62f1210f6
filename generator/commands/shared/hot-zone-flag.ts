/** `--hot-zone-factor X`: a number of at least 1 (1 flags any zone above the mean). */
import { UsageError } from '../../errors.js';

export function parseHotZoneFactor(raw: string): number {
  const v = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(v) || v < 1) {
    throw new UsageError(`--hot-zone-factor must be a number >= 1 (how many times the mean per-endpoint load makes a zone hot), got "${raw}"`);
  }
  return v;
}
