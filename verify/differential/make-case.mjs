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
import { clusterObjects, podsPerZone } from './cluster-objects.mjs';
import { FAMILIES, istioEdsLine, istioSettingsLine } from './checks.mjs';
import { generateConfig } from './generate-config.mjs';
import { configRandom } from './random.mjs';

const [examplePath, name, description] = process.argv.slice(2);
if (!examplePath || !name || !description || !/^[a-z0-9-]+$/.test(name)) {
  process.stderr.write('Usage: node verify/differential/make-case.mjs EXAMPLE.json|SEED:INDEX CASE-NAME(lower-case-dashes) "description"\n');
  process.exit(2);
}
const { example, yaml } = loadExample(examplePath);

/**
 * An example main.mjs wrote, or configuration INDEX of a run with SEED regenerated (for a
 * disagreement already fixed: its regression case then records Istio's verdict all the same).
 */
function loadExample(arg) {
  const m = /^(\d+):(\d+)$/.exec(arg);
  if (!m) return { example: JSON.parse(readFileSync(arg, 'utf8')), yaml: readFileSync(arg.replace(/\.json$/, '.yaml'), 'utf8') };
  const [seed, index] = [Number(m[1]), Number(m[2])];
  const cfg = generateConfig(configRandom(seed, index), index);
  return {
    example: {
      family: FAMILIES.priorities, seed, kind: 'config', index, zones: cfg.zones, region: cfg.region,
      ...(cfg.mesh ? { mesh: cfg.mesh } : {}), ...(cfg.destination.notReady ? { notReady: cfg.destination.notReady } : {}),
    },
    yaml: cfg.objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'),
  };
}
const objects = loadAll(yaml).filter(Boolean);
const { parseManifests } = await import(join(ROOT, 'dist', 'generator', 'k8s', 'manifest.js'));
const { lintObjects } = await import(join(ROOT, 'dist', 'generator', 'lint', 'index.js'));
const { simulateObjects } = await import(join(ROOT, 'dist', 'generator', 'simulate', 'index.js'));
const { parseScenario } = await import(join(ROOT, 'dist', 'generator', 'simulate', 'scenario.js'));
const { callerEdsLine, routingSettingsLine } = await import(join(ROOT, 'dist', 'generator', 'simulate', 'eds-view.js'));

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
    const all = [...objects, ...clusterObjects(objects, { region, zones, index: example.index ?? 0, notReady: example.notReady ?? 0 })];
    const r = await oracle.request('endpoints', all.map((o) => dump(o)).join('---\n'), zones.map((zone) => ({ zone })));
    for (const p of r.proxies) {
      const c = p.clusters.find((x) => x.name === `outbound|${port}||${host}`);
      const priorities = {};
      for (const e of c?.endpoints ?? []) {
        const z = e.locality.zone || 'unknown';
        priorities[z] = [...new Set([...(priorities[z] ?? []), e.priority])].sort();
      }
      eds.push({ proxyZone: p.zone, host, priorities, ...(c ? { endpoints: istioEdsLine(c), settings: istioSettingsLine(c) } : {}) });
    }
  }
  // Pods failing readiness reach zonal as a scenario, as main.mjs gives them.
  let scenario;
  if (example.notReady && dest?.kind === 'Service') {
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const rows = podsPerZone(deployment.spec.replicas ?? 1, example.notReady, zones).filter((z) => z.total > 0);
    scenario = { endpoints: { [dest.metadata.name]: Object.fromEntries(rows.map((z) => [z.zone, { total: z.total, notReady: z.notReady }])) } };
  }
  // Open while zonal still disagrees (the test then expects a failure).
  const mesh = example.mesh;
  const findings = lintObjects(parseManifests(yaml, `${name}.yaml`), { zones, region, istioVersion: '1.31.1', ...(mesh ? { mesh } : {}) });
  const lintAgrees = validation.every((v) => {
    const mine = findings.filter((f) => f.kind === v.kind && f.name === v.name && (f.namespace || 'default') === v.namespace);
    const got = mine.some((f) => f.istio === 'rejects') ? 'rejects' : mine.some((f) => f.istio === 'warns') ? 'warns' : 'accepts';
    return got === v.verdict;
  });
  // "istiod fails on a configuration it admits": zonal lint must report an error for it.
  const istiodFails = example.family.startsWith('istiod fails') ? String(example.istio) : undefined;
  const failAgrees = istiodFails === undefined || findings.some((f) => f.severity === 'error');
  // The mesh config reaches zonal from the objects (the `istio` ConfigMap), as in main.mjs.
  // Objects Istio rejects never reach istiod: zonal simulates what is admitted, as main.mjs does.
  const rejected = new Set(validation.filter((v) => v.verdict === 'rejects').map((v) => `${v.kind} ${v.namespace}/${v.name}`));
  const admitted = objects.filter((o) => !rejected.has(`${o.kind} ${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`));
  const simulation = simulateObjects(admitted, {
    zones, region, istioVersion: '1.31.1',
    ...(scenario ? { scenario: parseScenario(JSON.stringify(scenario), `${name}.scenario.json`) } : {}),
  });
  const edsAgrees = eds.every((e) => {
    const d = simulation.destinations.find((x) => x.hosts.includes(e.host));
    const caller = d?.callers.find((c) => c.zone === e.proxyZone);
    const got = {};
    for (const p of caller?.priorities ?? []) for (const z of p.zones) got[z] = [...new Set([...(got[z] ?? []), p.priority])].sort();
    const same = JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(e.priorities).sort());
    return same
      && (e.endpoints === undefined || callerEdsLine(caller?.priorities ?? []) === e.endpoints)
      && (e.settings === undefined || (d !== undefined && routingSettingsLine(d.routing) === e.settings));
  });
  const expected = {
    description,
    source: `istio-oracle seed ${example.seed}, ${example.kind} ${example.index ?? example.name}; istio.io/istio v0.0.0-20260827124520-eed52ebb66ad (release-1.31)`,
    ...(lintAgrees && edsAgrees && failAgrees ? {} : { open: true }),
    zones, region,
    ...(mesh ? { mesh } : {}),
    ...(scenario ? { scenario } : {}),
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
