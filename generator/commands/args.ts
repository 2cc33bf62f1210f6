import { UsageError } from './command.js';

// Flags are parsed from each command's declaration (declare.ts: parseDeclared); this module holds
// the value parsers several commands share.

/** Parses a positive integer flag value or throws a UsageError naming the flag. */
export function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number >= 1, got "${raw}"`);
  return n;
}
