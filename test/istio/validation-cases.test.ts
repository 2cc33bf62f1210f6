/**
 * Istio's own validation test tables (release-1.31), as data: each case is an object and the
 * verdict Istio's test expects (rejects / warns / accepts). The core must reach the same verdict.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { behaviourOf, validateIstioObject } from '../../generator/istio/index.js';
import type { KubeObject } from '../../generator/k8s/manifest.js';
import { REPO } from '../support/helm.js';

interface Case {
  readonly name: string;
  readonly istioTest: string;
  readonly verdict: 'rejects' | 'warns' | 'accepts';
  /** false when Istio's test does not check warnings (only errors). */
  readonly warningsChecked?: boolean;
  /** Istio minor the case is for (default 1.31). */
  readonly istioVersion?: string;
  readonly object: KubeObject;
}

const DIR = join(REPO, 'test/istio/cases');
const files = readdirSync(DIR).filter((f) => f.startsWith('validation-') && f.endsWith('.yaml')).sort();
const cases = files.flatMap((f) => (loadAll(readFileSync(join(DIR, f), 'utf8')) as Case[]).filter(Boolean).map((c) => ({ ...c, file: f })));

describe('GIVEN Istio\'s validation test cases as data', () => {
  it('THEN there are cases from every Istio test table the README names', () => {
    const tables = new Set(cases.map((c) => c.istioTest));
    for (const t of ['TestValidateDestinationRule', 'TestValidateServiceEntries', 'TestValidateWorkloadEntry', 'TestValidateTrafficPolicy',
      'TestValidateConnectionPool', 'TestValidateLoadBalancer', 'TestValidateOutlierDetection', 'Test_validateExportTo',
      'TestValidateLocalityLbSetting', 'TestValidateZoneAwareLbSetting']) expect(tables.has(t)).toBe(true);
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases.map((c) => [`${c.istioTest}: ${c.name} (${c.file})`, c] as const))('WHEN %s THEN the core gives Istio\'s verdict', (_, c) => {
    const issues = validateIstioObject(c.object, behaviourOf(c.istioVersion ?? '1.31'));
    const errors = issues.filter((i) => i.level === 'error');
    const warnings = issues.filter((i) => i.level === 'warning');
    expect({ rejected: errors.length > 0, errors: errors.map((e) => e.message) }).toEqual(
      expect.objectContaining({ rejected: c.verdict === 'rejects' }));
    if (c.verdict !== 'rejects' && c.warningsChecked !== false) {
      expect({ warned: warnings.length > 0, warnings: warnings.map((w) => w.message) }).toEqual(
        expect.objectContaining({ warned: c.verdict === 'warns' }));
    }
  });
});
