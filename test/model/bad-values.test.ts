import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTree } from '../support/tree.js';
import { generateInto, runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const DIR = join(REPO, 'test', 'fixtures', 'bad-values');
const expectations = JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'bad-values-expectations.json'), 'utf8')) as Record<string, string>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('GIVEN a corpus of bad values files', () => {
  it('THEN it has at least 30 cases, each with an expected message', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(expectations).sort()).toEqual(files);
  });

  it.each(files)('WHEN %s is generated THEN exit 2, one located line per problem naming it, and nothing written', async (file) => {
    const out = tempDir();
    const display = `test/fixtures/bad-values/${file}`;
    const r = await runCli(['generate', '--values', display, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    for (const line of lines) {
      // file:line:col: what is wrong (how to fix)
      expect(line).toMatch(new RegExp(`^${display.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .+ \\(.+\\)$`));
    }
    expect(r.stderr).toContain(expectations[file]);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('GIVEN a chart generated from good values', () => {
  it('WHEN a later run gets bad values THEN the previous chart is left byte-for-byte untouched', async () => {
    const out = await generateInto();
    const before = readTree(out);
    const r = await runCli(['generate', '--values', join(DIR, files[0]!), '--out', out]);
    expect(r.code).toBe(2);
    expect(readTree(out)).toEqual(before);
  });

  it('WHEN the values file does not exist THEN exit 2 with a located message', async () => {
    const r = await runCli(['generate', '--values', 'values/nope.yaml', '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^values\/nope\.yaml:1:1: cannot read the values file \(no such file; check the --values path\)/);
  });

  it('WHEN an unknown flag is given THEN exit 2 with usage', async () => {
    const r = await runCli(['generate', '--valuse', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --valuse \(did you mean --values\?\)/);
    expect(r.stderr).toMatch(/Usage: zonal generate/);
  });
});
