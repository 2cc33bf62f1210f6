/**
 * Istio is the judge: each case under cases/ is a configuration the Istio oracle (verify/istio,
 * Istio's own validation webhook, CRD schema and discovery server) judged, with Istio's recorded
 * verdict. zonal lint / simulate must say the same, without Go: `npm test` runs these.
 *
 * A case with `"open": true` is a disagreement zonal has not fixed yet (listed in the coordination
 * notes for the Istio core): it is expected to fail until zonal agrees with Istio, and then fails
 * loudly so the flag is removed and the case guards the fix.
 */
import { describe, expect, it, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '../../generator/k8s/manifest.js';
import { lintObjects, type Finding } from '../../generator/lint/index.js';
import { simulateObjects } from '../../generator/simulate/index.js';
import { parseScenario } from '../../generator/simulate/scenario.js';
import { callerEdsLine, routingSettingsLine } from '../../generator/simulate/eds-view.js';
import type { MeshConfig } from '../../generator/istio/index.js';

const CASES = join(dirname(fileURLToPath(import.meta.url)), 'cases');

interface ValidationVerdict {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** What Istio does with the object: rejects (webhook or CRD schema), warns (admits with a warning), accepts. */
  readonly verdict: 'rejects' | 'warns' | 'accepts';
  /** Istio's messages, for the reader. */
  readonly messages: readonly string[];
}

interface EdsPriorities {
  readonly proxyZone: string;
  readonly host: string;
  /** Endpoint zone -> the EDS priorities istiod gives its endpoints for a proxy in proxyZone. */
  readonly priorities: Readonly<Record<string, readonly number[]>>;
  /** istiod's EDS per priority and zone: endpoints, UNHEALTHY ones, locality weight (eds-view.ts edsRowsLine). */
  readonly endpoints?: string;
  /** istiod's cluster settings (eds-view.ts clusterSettingsLine). */
  readonly settings?: string;
}

interface Case {
  readonly description: string;
  /** Where the verdict comes from (oracle seed and configuration, Istio module version). */
  readonly source: string;
  readonly open?: boolean;
  readonly zones: readonly string[];
  readonly region: string;
  /** Older cases: the mesh localityLbSetting alone (newer ones carry the mesh config as an `istio` ConfigMap). */
  readonly meshLocalityLb?: Record<string, unknown>;
  /** The mesh config of the case (also in its YAML as the `istio` ConfigMap, where istiod and zonal read it). */
  readonly mesh?: MeshConfig;
  /** Pods failing readiness, as a scenario (`endpoints: {service: {zone: {total, notReady}}}`). */
  readonly scenario?: Record<string, unknown>;
  readonly validation?: readonly ValidationVerdict[];
  readonly eds?: readonly EdsPriorities[];
  /** istiod admits the configuration but fails building its xDS (e.g. a panic): zonal lint must report an error. */
  readonly istiodFails?: string;
}

function loadCases(): { name: string; yaml: string; expected: Case }[] {
  return readdirSync(CASES)
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.expected\.json$/, '');
      return { name, yaml: readFileSync(join(CASES, `${name}.yaml`), 'utf8'), expected: JSON.parse(readFileSync(join(CASES, f), 'utf8')) as Case };
    });
}

function verdictOf(findings: readonly Finding[], v: ValidationVerdict): 'rejects' | 'warns' | 'accepts' {
  const mine = findings.filter((f) => f.kind === v.kind && f.name === v.name && (f.namespace || 'default') === v.namespace);
  if (mine.some((f) => f.istio === 'rejects')) return 'rejects';
  if (mine.some((f) => f.istio === 'warns')) return 'warns';
  return 'accepts';
}

/** What zonal simulate says a proxy in e.proxyZone gets for e.host: priorities, EDS line, cluster settings. */
function zonalView(yaml: string, c: Case, e: EdsPriorities): { priorities: Record<string, number[]>; endpoints: string; settings: string } {
  // Objects Istio rejects never reach istiod: simulate what it admits (as the harness does).
  const rejected = new Set((c.validation ?? []).filter((v) => v.verdict === 'rejects').map((v) => `${v.kind} ${v.namespace}/${v.name}`));
  const objects = parseManifests(yaml, 'case.yaml').map((o) => o.object)
    .filter((o) => !rejected.has(`${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`));
  const result = simulateObjects(objects, {
    zones: c.zones, region: c.region, istioVersion: '1.31.1',
    ...(c.meshLocalityLb ? { meshLocalityLb: c.meshLocalityLb } : {}),
    ...(c.scenario ? { scenario: parseScenario(JSON.stringify(c.scenario), 'case.scenario.json') } : {}),
  });
  const dest = result.destinations.find((d) => d.hosts.includes(e.host));
  const caller = dest?.callers.find((x) => x.zone === e.proxyZone);
  const priorities: Record<string, number[]> = {};
  for (const p of caller?.priorities ?? []) for (const z of p.zones) priorities[z] = [...new Set([...(priorities[z] ?? []), p.priority])].sort();
  return { priorities, endpoints: callerEdsLine(caller?.priorities ?? []), settings: dest ? routingSettingsLine(dest.routing) : '(no destination)' };
}

const cases = loadCases();

describe('GIVEN configurations Istio 1.31 judged (verify/istio oracle)', () => {
  it('THEN there are recorded cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const { name, yaml, expected: c } of cases) {
    const run = c.open ? test.failing : test;
    run(`${name}: ${c.description}${c.open ? ' (open disagreement)' : ''}`, () => {
      const findings = lintObjects(parseManifests(yaml, `${name}.yaml`), {
        zones: c.zones, region: c.region, istioVersion: '1.31.1',
        ...(c.meshLocalityLb ? { mesh: { localityLbSetting: c.meshLocalityLb } } : {}),
        ...(c.mesh ? { mesh: c.mesh } : {}),
      });
      for (const v of c.validation ?? []) {
        expect({ object: `${v.kind} ${v.namespace}/${v.name}`, verdict: verdictOf(findings, v) }).toEqual({ object: `${v.kind} ${v.namespace}/${v.name}`, verdict: v.verdict });
      }
      if (c.istiodFails !== undefined) {
        expect(findings.filter((f) => f.severity === 'error').map((f) => f.code)).not.toEqual([]);
      }
      for (const e of c.eds ?? []) {
        const want: Record<string, number[]> = {};
        for (const [z, ps] of Object.entries(e.priorities)) want[z] = [...ps].sort();
        const got = zonalView(yaml, c, e);
        expect({ from: e.proxyZone, to: e.host, priorities: got.priorities }).toEqual({ from: e.proxyZone, to: e.host, priorities: want });
        if (e.endpoints !== undefined) expect({ from: e.proxyZone, to: e.host, endpoints: got.endpoints }).toEqual({ from: e.proxyZone, to: e.host, endpoints: e.endpoints });
        if (e.settings !== undefined) expect({ to: e.host, settings: got.settings }).toEqual({ to: e.host, settings: e.settings });
      }
    });
  }
});
