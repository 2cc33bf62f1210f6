#!/usr/bin/env node
// Turns a disagreement example (written by main.mjs to .cache/istio-oracle/last-run/) into a
// regression case under test/istio-regressions/cases/: the input YAML and Istio's verdict on it,
// recorded by the oracle now, so `npm test` keeps checking it without Go. The case is marked
// `"open": true` while zonal still disagrees.
//
//   node verify/differential/make-case.mjs EXAMPLE.json CASE-NAME "description"
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import { ROOT, ensureOracle } from './build.mjs';
import { Oracle } from './oracle.mjs';
import { clusterObjects } from './cluster-objects.mjs';

const [examplePath, name, description] = process.argv.slice(2);
if (!examplePath || !name || !description || !/^[a-z0-9-]+$/.test(name)) {
  process.stderr.write('Usage: node verify/differential/make-case.mjs EXAMPLE.json CASE-NAME(lower-case-dashes) "description"\n');
  process.exit(2);
}
const example = JSON.parse(readFileSync(examplePath, 'utf8'));
const yaml = readFileSync(examplePath.replace(/\.json$/, '.yaml'), 'utf8');
const objects = loadAll(yaml).filter(Boolean);
const { parseManifests } = await import(join(ROOT, 'dist', 'generator', 'k8s', 'manifest.js'));
const { lintObjects } = await import(join(ROOT, 'dist', 'generator', 'lint', 'index.js'));
const { simulateObjects } = await import(join(ROOT, 'dist', 'generator', 'simulate', 'index.js'));

const oracle = new Oracle(ensureOracle());
try {
  const zones = example.zones;
  const region = example.region;
  const verdicts = await oracle.request('validate', yaml);
  const validation = verdicts.objects
    .filter((v) => v.kind === 'DestinationRule' || v.kind === 'ServiceEntry')
    .map((v) => ({
      kind: v.kind, namespace: v.namespace, name: v.name,
      verdict: v.errors.length ? 'rejects' : v.warnings.length ? 'warns' : 'accepts',
      messages: [...v.errors, ...v.warnings],
      ...(v.nondeterministic ? { nondeterministic: true } : {}),
    }));
  const eds = [];
  const dest = objects.find((o) => o.kind === 'Service' || o.kind === 'ServiceEntry');
  if (example.family.startsWith('simulate') && dest) {
    const ns = dest.metadata.namespace ?? 'default';
    const host = dest.kind === 'Service' ? `${dest.metadata.name}.${ns}.svc.cluster.local` : dest.spec.hosts[0];
    const port = dest.kind === 'Service' ? dest.spec.ports[0].port : dest.spec.ports[0].number;
    const all = [...objects, ...clusterObjects(objects, { region, zones, index: example.index ?? 0 })];
    const r = await oracle.request('endpoints', all.map((o) => dump(o)).join('---\n'), zones.map((zone) => ({ zone })));
    for (const p of r.proxies) {
      const c = p.clusters.find((x) => x.name === `outbound|${port}||${host}`);
      const priorities = {};
      for (const e of c?.endpoints ?? []) {
        const z = e.locality.zone || 'unknown';
        priorities[z] = [...new Set([...(priorities[z] ?? []), e.priority])].sort();
      }
      eds.push({ proxyZone: p.zone, host, priorities });
    }
  }
  // Open while zonal still disagrees (the test then expects a failure).
  const meshLocalityLb = example.meshLocalityLb;
  const findings = lintObjects(parseManifests(yaml, `${name}.yaml`), { zones, region, istioVersion: '1.31.1', ...(meshLocalityLb ? { mesh: { localityLbSetting: meshLocalityLb } } : {}) });
  const lintAgrees = validation.every((v) => {
    const mine = findings.filter((f) => f.kind === v.kind && f.name === v.name && (f.namespace || 'default') === v.namespace);
    const got = mine.some((f) => f.istio === 'rejects') ? 'rejects' : mine.some((f) => f.istio === 'warns') ? 'warns' : 'accepts';
    return got === v.verdict;
  });
  // "istiod fails on a configuration it admits": zonal lint must report an error for it.
  const istiodFails = example.family.startsWith('istiod fails') ? String(example.istio) : undefined;
  const failAgrees = istiodFails === undefined || findings.some((f) => f.severity === 'error');
  const simulation = simulateObjects(objects, { zones, region, ...(meshLocalityLb ? { meshLocalityLb } : {}) });
  const edsAgrees = eds.every((e) => {
    const d = simulation.destinations.find((x) => x.hosts.includes(e.host));
    const got = {};
    for (const p of d?.callers.find((c) => c.zone === e.proxyZone)?.priorities ?? []) for (const z of p.zones) got[z] = [...new Set([...(got[z] ?? []), p.priority])].sort();
    return JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(e.priorities).sort());
  });
  const expected = {
    description,
    source: `istio-oracle seed ${example.seed}, ${example.kind} ${example.index ?? example.name}; istio.io/istio v0.0.0-20260827124520-eed52ebb66ad (release-1.31)`,
    ...(lintAgrees && edsAgrees && failAgrees ? {} : { open: true }),
    zones, region,
    ...(meshLocalityLb ? { meshLocalityLb } : {}),
    ...(validation.length ? { validation } : {}),
    ...(eds.length ? { eds } : {}),
    ...(istiodFails !== undefined ? { istiodFails } : {}),
  };
  const dir = join(ROOT, 'test', 'istio-regressions', 'cases');
  writeFileSync(join(dir, `${name}.yaml`), `# ${description}\n# ${expected.source}\n${yaml}`);
  writeFileSync(join(dir, `${name}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
  process.stdout.write(`${name}: ${expected.open ? 'open (zonal disagrees)' : 'zonal agrees'}\n`);
} finally {
  await oracle.close();
}
