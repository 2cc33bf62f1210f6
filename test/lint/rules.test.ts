import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../generator/lint/index.js';
import { REPO } from '../support/helm.js';
import { FIXTURE_DIR, keys, lintFixtures } from './fixtures.js';

describe.each(RULES.map((r) => [r.code, r] as const))('GIVEN rule %s', (code, rule) => {
  it('THEN it has a failing and a passing fixture', () => {
    for (const kind of ['fail', 'pass']) expect(existsSync(join(REPO, FIXTURE_DIR, 'rules', `${code}-${kind}.yaml`))).toBe(true);
  });

  it(`WHEN the failing fixture is linted THEN ${code} is reported exactly at every marked line of that file`, () => {
    const { findings, marks } = lintFixtures(`rules/${code}-fail.yaml`);
    const expected = marks.filter((m) => m.code === code);
    expect(expected.length).toBeGreaterThan(0);
    expect(keys(findings.filter((f) => f.code === code))).toEqual(keys(expected));
    for (const f of findings.filter((x) => x.code === code)) {
      expect(f.message.length).toBeGreaterThan(40);
      expect(['error', 'warning', 'info']).toContain(f.severity);
    }
  });

  it(`WHEN the passing fixture is linted THEN there is no ${code} finding and no error or warning at all`, () => {
    const { findings } = lintFixtures(`rules/${code}-pass.yaml`);
    expect(findings.filter((f) => f.code === code)).toEqual([]);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it(`THEN its usual severity (${rule.severity}) is what the failing fixture reports first`, () => {
    const { findings } = lintFixtures(`rules/${code}-fail.yaml`);
    expect(findings.some((f) => f.code === code && f.severity === rule.severity)).toBe(true);
  });
});
