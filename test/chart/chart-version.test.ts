import { describe, expect, it } from '@jest/globals';
import semverInc from 'semver/functions/inc.js';
import semverValid from 'semver/functions/valid.js';
import { isSemver, nextPatch } from '../../generator/chart/chart-version.js';
import { mulberry32 as random } from '../support/random.js';

/** Strings near the shapes of versions: numbers with leading zeros, signs, pre-release and build parts, blanks. */
function versionLike(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const number = () => pick(['0', '1', '9', '10', '01', '00', '123', '9007199254740991', '9007199254740992', '', 'x', '-1']);
  const ident = () => pick(['0', '1', '01', '0a', 'a', 'rc', 'rc1', 'alpha-1', '-', '--', 'a.b', '', 'é', '9007199254740992', ' ']);
  const parts = Array.from({ length: 1 + Math.floor(next() * 4) }, number).join('.');
  const pre = next() < 0.5 ? '' : `-${Array.from({ length: 1 + Math.floor(next() * 3) }, ident).join('.')}`;
  const build = next() < 0.7 ? '' : `+${Array.from({ length: 1 + Math.floor(next() * 3) }, ident).join('.')}`;
  return `${pick(['', '', '', 'v', 'V', '=', ' ', '\t', '\u00a0', 'vv'])}${parts}${pre}${build}${pick(['', '', '', ' ', '\n', '\u2028', '.', '-', '+'])}`;
}

const TRICKY = [
  '1.2.3', 'v1.2.3', 'V1.2.3', '=1.2.3', ' 1.2.3 ', '\u00a01.2.3\ufeff', '01.2.3', '1.02.3', '1.2.03', '1.2', '1.2.3.4',
  '1.2.3-0', '1.2.3-01', '1.2.3-0a', '1.2.3-a.01', '1.2.3-rc.1', '1.2.3-rc..1', '1.2.3-', '1.2.3+', '1.2.3+b.01',
  '1.2.3-rc.1+build.5', '1.2.3+build', '9007199254740991.0.0', '9007199254740992.0.0', '0.0.9007199254740991',
  `0.0.0-${'a'.repeat(250)}`, `0.0.0-${'a'.repeat(251)}`, `0.0.0+${'a'.repeat(250)}`, `1.2.3 ${' '.repeat(300)}`, '',
];

describe('GIVEN version strings (chart-version.ts, which answers as npm semver without loading it)', () => {
  it('WHEN compared with semver valid and inc(patch) on the tricky cases and 20,000 random ones THEN every answer is the same', () => {
    const next = random(20261207);
    const differ: string[] = [];
    for (const s of [...TRICKY, ...Array.from({ length: 20000 }, () => versionLike(next))]) {
      const expected = { valid: semverValid(s) !== null, next: semverInc(s, 'patch') ?? undefined };
      const actual = { valid: isSemver(s), next: nextPatch(s) };
      if (expected.valid !== actual.valid || expected.next !== actual.next) differ.push(`${JSON.stringify(s)}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
    }
    expect(differ).toEqual([]);
  });

  it('WHEN a chart version is bumped THEN a release gets the next patch and a pre-release its own release', () => {
    expect(['0.1.0', '1.2.9', '1.2.3-rc.1', 'v2.0.0+build.7', '1.2', 'latest'].map(nextPatch))
      .toEqual(['0.1.1', '1.2.10', '1.2.3', '2.0.1', undefined, undefined]);
  });
});
