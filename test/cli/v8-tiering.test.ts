import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { tieringFlags } from '../../generator/v8-tiering.js';

describe('GIVEN the V8 tiering flags the executable sets (v8-tiering.ts)', () => {
  it('WHEN V8 is 13 (Node 24) THEN it later tiers Maglev and Turbofan; on any other V8 it sets nothing', () => {
    expect(tieringFlags('13.6.233.17-node.63')).toBe('--invocation-count-for-maglev=2000 --invocation-count-for-turbofan=50000');
    expect(['12.4.254.21-node.33', '14.1.146.11-node.14', ''].map(tieringFlags)).toEqual([undefined, undefined, undefined]);
  });

  it('WHEN the pinned Node runs it THEN it gets the flags, and its V8 knows each of them (an unknown one would print an error on every run)', () => {
    // A new pinned Node (another V8) fails here until its V8's flags are checked and listed.
    const flags = tieringFlags(process.versions.v8);
    expect(flags).toBeDefined();
    const known = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 1 << 24 }).stdout;
    for (const flag of flags!.split(' ')) expect(known).toContain(`  ${flag.split('=')[0]!} `);
  });
});
