import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ZONAL_DOMAIN } from '../../generator/well-known.js';
import { join } from 'node:path';
import { codeSpan, markdownText } from '../../generator/chart/markdown.js';
import { generateInto, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { markdownProblems } from '../support/markdown-check.js';

const committed = [
  join(REPO, 'charts', 'octank-travel', 'README.md'),
  join(REPO, 'examples', 'octank-travel-ambient', 'charts', 'octank-travel-ambient', 'README.md'),
];

describe('GIVEN the chart README files zonal generates', () => {
  it.each(committed)('THEN %s renders as written: no escaped backticks, no raw HTML, whole table rows, closed fences', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(markdownProblems(text, file)).toEqual([]);
    expect(text.split('\n')[2]).not.toMatch(/^"/); // the description is text, not a YAML scalar
  });

  it('WHEN descriptions and defaults carry Markdown syntax THEN each still reads as written', async () => {
    const dir = tempDir();
    const file = join(dir, 'md.yaml');
    const base = readFileSync(join(REPO, 'test', 'fixtures', 'values', 'workloads.yaml'), 'utf8');
    writeFileSync(file, base
      .replace('metadata: { name: teams }', 'metadata: { name: teams, description: "Edge <b>team</b> | *api* `x` [l](u)" }')
      .replace('podAnnotations: { prometheus.io/scrape: "true" }', 'podAnnotations: { prometheus.io/scrape: "true", note: "a|b ``c`` <i>" }'));
    const out = await generateInto(file, join(dir, 'out'));
    const readme = readFileSync(join(out, 'charts', 'teams', 'README.md'), 'utf8');
    expect(markdownProblems(readme)).toEqual([]);
    expect(readme).toContain('Edge \\<b\\>team\\</b\\> \\| \\*api\\* &#96;x&#96; \\[l\\](u)');
    expect(readme).toMatch(/\| ```\{.*"note":"a\\\|b ``c`` <i>".*\}``` \|/);
  });

  it('THEN the checker itself catches what broke the README before', () => {
    expect(markdownProblems('Run \\`zonal\\`.')).toEqual(['README.md:1: escaped backtick', 'README.md:1: escaped backtick']);
    expect(markdownProblems('| a | b |\n| --- | --- |\n| {<writer zone>: 1} | x |')).toEqual(['README.md:3: raw HTML <writer zone> in text']);
    expect(markdownProblems('| a | b |\n| --- | --- |\n| `x|y` | z | w |')).toEqual(['README.md:3: table row with 4 cells, header has 2']);
    expect(markdownProblems('```sh\nx')).toEqual(['README.md: code fence ``` never closed']);
    expect(markdownProblems(`| ${codeSpan('a|b`c', true)} | ${markdownText('<x> | *y*')} |\n| --- | --- |`)).toEqual([]);
  });
});

describe('GIVEN the annotation and label domain', () => {
  it('THEN every tracked file uses the one zonal.dev/ domain of well-known.ts, never the .io twin', () => {
    expect(ZONAL_DOMAIN).toBe('zonal.dev');
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter((f) => f);
    const other = `zonal${'.'}io/`;
    const offenders = files.filter((f) => { try { return readFileSync(join(REPO, f), 'utf8').includes(other); } catch { return false; } });
    expect(offenders).toEqual([]);
  });
});
