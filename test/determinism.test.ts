import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './support/helm.js';
import { tempDir } from './support/temp.js';
import { readTree } from './support/tree.js';

const run = promisify(execFile);
const CLI = join(REPO, 'dist', 'generator', 'cli.js');
const VALUES = join(REPO, 'values', 'octank-travel.yaml');

/** `zonal generate` in a fresh Node process (built CLI, as `npm test` builds it first). */
async function generateInFreshProcess(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const out = tempDir('zonal-determinism-');
  await run(process.execPath, [CLI, 'generate', '--values', VALUES, '--out', out], { cwd: REPO, env: { ...process.env, ...env } });
  return { ...readTree(join(out, 'charts'))!, ...Object.fromEntries(Object.entries(readTree(join(out, 'argocd'))!).map(([k, v]) => [`argocd/${k}`, v])) };
}

describe('GIVEN the same values file WHEN two fresh processes generate it', () => {
  it('THEN both write byte-identical charts and Argo CD manifests (no cache, clock, time zone, locale or path leaks in)', async () => {
    // Different time zones, locales and output paths: none may show in the output.
    const [a, b] = await Promise.all([
      generateInFreshProcess({ TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }),
      generateInFreshProcess({ TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }),
    ]);
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const file of Object.keys(a)) expect({ file, text: b[file] }).toEqual({ file, text: a[file] });
  });
});
