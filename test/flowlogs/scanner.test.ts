import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LAYOUT } from '../../generator/flowlogs/layout.js';
import { FlowLogScanner } from '../../generator/flowlogs/scanner.js';
import { summarize, Tally, type FlowLogSummary } from '../../generator/flowlogs/tally.js';
import { ZoneIndex } from '../../generator/flowlogs/zone-index.js';
import { allRecords, render, TRUTH, ZONAL_NAMES, ZONES } from './helpers.js';

/** Runs text through a scanner in chunks of the given sizes (cycled). */
function scan(text: string, sizes: readonly number[]): FlowLogSummary {
  const zones = new ZoneIndex(ZONES);
  const tally = new Tally(zones.names.length, 0);
  const scanner = new FlowLogScanner({ zones, tally, fallbackLayout: DEFAULT_LAYOUT, reportSkipped: 0 });
  scanner.beginFile('mem.log');
  const bytes = Buffer.from(text, 'latin1');
  for (let off = 0, k = 0; off < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    scanner.feed(bytes.subarray(off, off + n));
    off += n;
  }
  scanner.endFile();
  return summarize(tally, zones.names, undefined, 10);
}

/** Deterministic pseudo-random chunk sizes (xorshift), so a failure can be reproduced. */
function sizes(seed: number, count: number, max: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return 1 + ((x >>> 0) % max);
  });
}

describe('GIVEN the same flow-log text cut into chunks at arbitrary places', () => {
  const lines = render(allRecords(), ZONAL_NAMES);
  const plain = `${[ZONAL_NAMES.join(' '), ...lines, 'garbage line'].join('\n')}\n`;
  const json = `${lines.map((m) => JSON.stringify({ message: m })).join('\n')}\n`;
  const whole = scan(plain, [plain.length]);

  it('WHEN fed in one piece THEN it gives the ground truth (the reference for the chunked runs)', () => {
    expect(whole.bytes.crossZone).toBe(TRUTH.crossZone);
    expect(whole.bytes.total).toBe(TRUTH.total);
    expect(whole.skipped).toBe(1);
  });

  it.each([[1], [2], [3], [5], [7], [64]])('WHEN fed %i byte(s) at a time THEN the result is identical', (n) => {
    expect(scan(plain, [n])).toEqual(whole);
  });

  it.each([[1], [2], [3]])('WHEN fed in random chunk sizes (seed %i) THEN the result is identical, for plain text and JSON lines', (seed) => {
    expect(scan(plain, sizes(seed, 200, 97))).toEqual(whole);
    const jsonWhole = scan(json, [json.length]);
    expect(jsonWhole.bytes).toEqual({ ...whole.bytes });
    expect(scan(json, sizes(seed + 10, 200, 131))).toEqual(jsonWhole);
  });
});
