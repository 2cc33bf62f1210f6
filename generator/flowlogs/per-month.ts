/**
 * Measured bytes in the prediction's unit and period: GB (2^30 bytes, as AWS bills) per month.
 * A measurement covers its time window (earliest start to latest end of the counted records);
 * scaling it to a month assumes the traffic of the window repeats for the month.
 */
import { PRICING } from './pricing.js';

/** A month, for GB/month and $/month: 30 days, as the report and the emitted scenario state. */
export const SECONDS_PER_MONTH = 30 * 86_400;

/** How many windows of this length make a month; undefined without a window (no start/end fields). */
export function monthFactor(window: { readonly start: number; readonly end: number } | null): number | undefined {
  if (!window || window.end <= window.start) return undefined;
  return SECONDS_PER_MONTH / (window.end - window.start);
}

/** Bytes measured in a window as GB/month (rounded to 1/1000 GB: no float noise in files). */
export function gbPerMonth(bytes: number, factor: number): number {
  return Math.round((bytes / PRICING.bytesPerGb) * factor * 1000) / 1000;
}
