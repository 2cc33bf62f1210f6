import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './support/helm.js';
import { tempDir } from './support/temp.js';
import { readTree } from './support/tree.js';
import { runCli, BUILT_CLI as CLI } from './support/generate.js';
import { syntheticValues } from '../bench/synthetic-values.js';

const run = promisify(execFile);
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

describe('GIVEN the built executable (bundle, precompiled templates and validators) and the sources (compiling at run time)', () => {
  it('WHEN each generates the bundled examples and a 300-service file THEN they write byte-identical files', async () => {
    const dir = tempDir('zonal-built-vs-sources-');
    const synthetic = join(dir, 'synthetic.yaml');
    writeFileSync(synthetic, syntheticValues(300, 60));
    for (const values of [VALUES, join(REPO, 'values', 'octank-travel-ambient.yaml'), synthetic]) {
      const built = join(dir, `built-${values.split('/').pop()}`);
      const sources = join(dir, `sources-${values.split('/').pop()}`);
      await run(process.execPath, [CLI, 'generate', '--values', values, '--out', built], { cwd: REPO });
      const r = await runCli(['generate', '--values', values, '--out', sources]);
      expect(r.code).toBe(0);
      const a = readTree(built)!;
      const b = readTree(sources)!;
      expect(Object.keys(a).length).toBeGreaterThan(10);
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const file of Object.keys(a)) expect({ file, text: b[file] }).toEqual({ file, text: a[file] });
    }
  }, 120_000);
});
