import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTree } from '../support/tree.js';
import { generateInto, runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
const chartVersion = (out: string) => /^version: (\S+)$/m.exec(readFileSync(join(out, 'charts', 'octank-travel', 'Chart.yaml'), 'utf8'))![1];

describe('GIVEN the same values twice', () => {
  it('THEN the second run writes byte-identical files and keeps the version', async () => {
    const out = await generateInto(VALUES);
    const first = readTree(out);
    const r = await runCli(['generate', '--values', VALUES, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unchanged/);
    expect(readTree(out)).toEqual(first);
    expect(chartVersion(out)).toBe('0.1.0');
    // A different output root gives the same bytes too (no paths, times or randomness leak in).
    expect(readTree(await generateInto(VALUES))).toEqual(first);
  });
});

describe('GIVEN a generated chart WHEN the values change', () => {
  it('THEN the patch version is bumped once per change, and --check tells stale from fresh', async () => {
    const dir = tempDir();
    const values = join(dir, 'values.yaml');
    writeFileSync(values, readFileSync(VALUES, 'utf8'));
    const out = await generateInto(values, join(dir, 'out'));
    expect(chartVersion(out)).toBe('0.1.0');

    writeFileSync(values, readFileSync(VALUES, 'utf8').replace('replicas: 3', 'replicas: 6'));
    expect((await runCli(['generate', '--values', values, '--out', out, '--check'])).code).toBe(1);
    await generateInto(values, out);
    expect(chartVersion(out)).toBe('0.1.1');
    expect((await runCli(['generate', '--values', values, '--out', out, '--check'])).code).toBe(0);
    await generateInto(values, out);
    expect(chartVersion(out)).toBe('0.1.1');

    writeFileSync(values, readFileSync(values, 'utf8').replace('consecutive5xxErrors: 7', 'consecutive5xxErrors: 9'));
    await generateInto(values, out);
    expect(chartVersion(out)).toBe('0.1.2');
  });

  it('THEN a version pinned in the values wins', async () => {
    const dir = tempDir();
    const values = join(dir, 'values.yaml');
    writeFileSync(values, readFileSync(VALUES, 'utf8').replace('metadata:\n', 'chart: { version: 3.0.0 }\nmetadata:\n'));
    expect(chartVersion(await generateInto(values, join(dir, 'out')))).toBe('3.0.0');
  });
});

describe('GIVEN the repository', () => {
  it('THEN the committed charts/ and argocd/ are exactly what npm run generate writes', async () => {
    const r = await runCli(['generate', '--check']);
    expect(r.stdout).toMatch(/up to date/);
    expect(r.code).toBe(0);
  });
});
