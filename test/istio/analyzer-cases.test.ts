/**
 * Istio's analyzer test cases (TestAnalyzers, release-1.31) for the kinds zonal reads, as data: the
 * objects of each case and the messages (code, object) Istio's test expects. `zonal lint` must report
 * exactly those, each under the lint code ANALYZER_CODES maps the Istio code to, and nothing else of
 * the analyzer's codes.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import type { KubeObject } from '../../generator/k8s/manifest.js';
import { lintObjects, locateRendered } from '../../generator/lint/index.js';
import { ANALYZER_CODES } from '../../generator/lint/rules/istio-analyzers.js';
import { REPO } from '../support/helm.js';

interface Case {
  readonly name: string;
  readonly istioTest: string;
  readonly analyzer: string;
  readonly meshConfig?: Record<string, unknown>;
  readonly objects: KubeObject[];
  /** Another case whose objects this one reuses (Istio's test runs one input file with another mesh config). */
  readonly objectsOf?: string;
  readonly expected: { code: string; object: string }[];
}

/** The Istio codes each analyzer emits (the ones among zonal's kinds). */
const ANALYZER_MESSAGES: Readonly<Record<string, readonly string[]>> = {
  'destinationrule.PodNotSelectedAnalyzer': ['IST0174', 'IST0173'],
  'serviceentry.ProtocolAddressesAnalyzer': ['IST0134'],
  'serviceentry.ConflictingServiceEntryProtocolAnalyzer': ['IST0177'],
  'service.PortNameAnalyzer': ['IST0118', 'IST0150'],
};

const DIR = join(REPO, 'test/istio/cases');
const files = readdirSync(DIR).filter((f) => f.startsWith('analyzer-') && f.endsWith('.yaml')).sort();
const raw = files.flatMap((f) => (loadAll(readFileSync(join(DIR, f), 'utf8')) as Case[]).filter(Boolean).map((c) => ({ ...c, file: f })));
const cases = raw.map((c) => (c.objectsOf === undefined ? c : { ...c, objects: raw.find((o) => o.name === c.objectsOf)!.objects }));

/** Istio names an object `Kind namespace/name`, or `Kind name` when it has no namespace (zonal: `default`). */
function origin(kind: string, namespace: string, name: string): string {
  return `${kind} ${namespace || 'default'}/${name}`;
}

function normalise(istioOrigin: string): string {
  const [kind, ref] = istioOrigin.split(' ') as [string, string];
  return ref.includes('/') ? `${kind} ${ref}` : `${kind} default/${ref}`;
}

describe('GIVEN Istio\'s analyzer test cases as data', () => {
  it('THEN every analyzer and Istio code the table names has cases, and each Istio code maps to a lint rule', () => {
    expect(new Set(cases.map((c) => c.analyzer))).toEqual(new Set(Object.keys(ANALYZER_MESSAGES)));
    const codes = new Set(cases.flatMap((c) => c.expected.map((e) => e.code)));
    for (const code of Object.values(ANALYZER_MESSAGES).flat()) {
      expect(codes.has(code)).toBe(true);
      expect(ANALYZER_CODES[code]).toMatch(/^ZNL\d{3}$/);
    }
    expect(cases.length).toBeGreaterThanOrEqual(17);
  });

  it.each(cases.map((c) => [`${c.analyzer}: ${c.name} (${c.file})`, c] as const))('WHEN %s THEN zonal lint reports Istio\'s messages', (_, c) => {
    const mesh: KubeObject[] = c.meshConfig
      ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: dump(c.meshConfig) } }]
      : [];
    const lintCodes = new Map(ANALYZER_MESSAGES[c.analyzer]!.map((ist) => [ANALYZER_CODES[ist]!, ist]));
    const findings = lintObjects(locateRendered([...c.objects, ...mesh]));
    // One message per object and code: Istio's test repeats a message per port, zonal reports an object once per port too
    // for port rules and once per object for object rules, so the comparison is by (code, object).
    const got = new Set(findings.filter((f) => lintCodes.has(f.code)).map((f) => `${lintCodes.get(f.code)} ${origin(f.kind, f.namespace, f.name)}`));
    const want = new Set(c.expected.map((e) => `${e.code} ${normalise(e.object)}`));
    expect([...got].sort()).toEqual([...want].sort());
  });

  it('WHEN a Service has several ports Istio cannot read THEN zonal reports each port, as Istio\'s test counts them', () => {
    const c = cases.find((x) => x.name === 'portNameNotFollowConvention')!;
    const findings = lintObjects(locateRendered(c.objects)).filter((f) => f.code === ANALYZER_CODES.IST0118);
    expect(findings.map((f) => origin(f.kind, f.namespace, f.name)).sort()).toEqual(c.expected.map((e) => normalise(e.object)).sort());
  });
});
