import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary directories for tests: made under the system temp dir and removed after the test file
 * that made them (one afterAll hook per test file, registered when this module is first imported),
 * so `npm test` leaves nothing behind.
 */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory `<tmp>/<prefix>XXXXXX`, removed after the current test file. */
export function tempDir(prefix = 'zonal-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
