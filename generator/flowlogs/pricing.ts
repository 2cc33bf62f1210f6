/**
 * Cost of measured cross-zone bytes. The rate comes from THE price list (generator/cost/prices.ts):
 * a measured flow is counted once, and AWS bills it on both sides of the zone boundary.
 * Flow logs do not say what a destination is, so every cross-zone byte is priced like pod-to-pod
 * traffic (interface endpoint traffic, which AWS does not bill cross-AZ, is overestimated).
 */
import { PRICES } from '../cost/prices.js';

export const PRICING = {
  usdPerCrossZoneGb: PRICES.crossAzUsdPerGbPerSide * PRICES.destinationTypes.service.crossAzSidesBilled,
  /** AWS bills data transfer per "GB" of 2^30 bytes. */
  bytesPerGb: 2 ** 30,
} as const;

/** USD for `bytes` crossing zones, rounded to a millionth of a dollar (no float noise in JSON). */
export function crossZoneCostUsd(bytes: number): number {
  return Math.round((bytes / PRICING.bytesPerGb) * PRICING.usdPerCrossZoneGb * 1e6) / 1e6;
}
