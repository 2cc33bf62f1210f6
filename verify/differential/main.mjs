#!/usr/bin/env node
// `npm run verify:istio`: builds the Istio oracle (verify/istio) and runs zonal's claims about Istio
// against Istio's own code over seeded random configurations and generated charts. The last line
// is `istio-oracle: N configurations, D disagreements`; exit 0 only when D is 0.
//
//   node verify/differential/main.mjs [--seed S] [--count N] [--values N] [--jobs J] [--out DIR]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { dump } from 'js-yaml';

const stringify = (o) => dump(o, { noRefs: true, lineWidth: -1 });
import { CACHE_DIR, ROOT, ensureOracle } from './build.mjs';
import { ensureUsersHelm } from './users-helm.mjs';
import { Oracle } from './oracle.mjs';
import { Random, configRandom, commitSeed } from './random.mjs';
import { generateConfig } from './generate-config.mjs';
import { generateValues } from './generate-values.mjs';
import { clusterObjects, podsPerZone } from './cluster-objects.mjs';
import { FAMILIES, chartClean, edsVersusSimulation, lintVersusValidation, messageShape, prioritiesVersusEds } from './checks.mjs';

const USAGE = `Usage: node verify/differential/main.mjs [--seed S] [--count N] [--values N] [--jobs J] [--out DIR]
  --seed S    seed of the random configurations (default: from the commit checked out; printed)
  --count N   random Istio configurations (default 2000)
  --values N  random values files whose charts are validated (default 300)
  --jobs J    oracle processes (default 2)
  --out DIR   where disagreement examples are written (default .cache/istio-oracle/last-run)`;

function fail(message) {
  process.stderr.write(`verify:istio: ${message}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      seed: { type: 'string' }, count: { type: 'string' }, values: { type: 'string' },
      jobs: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (e) {
  fail(`${e.message}\n${USAGE}`);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const int = (name, v, dflt) => {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) fail(`--${name} needs a non-negative integer, got "${v}"`);
  return Number(v);
};
const seed = int('seed', args.seed, commitSeed(ROOT));
const count = int('count', args.count, 2000);
const valuesCount = int('values', args.values, 300);
const jobs = Math.max(1, int('jobs', args.jobs, 2));
const outDir = args.out ?? join(CACHE_DIR, 'last-run');

const dist = join(ROOT, 'dist', 'generator');
if (!existsSync(join(dist, 'cli.cjs'))) fail('dist/ is missing: run `npm run build` first (npm run verify:istio does)');
const { parseManifests } = await import(join(dist, 'k8s', 'manifest.js'));
const { lintObjects } = await import(join(dist, 'lint', 'index.js'));
const { simulateObjects } = await import(join(dist, 'simulate', 'index.js'));
const { parseValues, loadValuesFile } = await import(join(dist, 'model', 'load-values.js'));
const { renderObjects } = await import(join(dist, 'render', 'index.js'));
const { InputError } = await import(join(dist, 'errors.js'));
const { parseScenario } = await import(join(dist, 'simulate', 'scenario.js'));
const { HELM_MAX_FILE_BYTES } = await import(join(dist, 'commands', 'generate-limits.js'));

const started = Date.now();
let build;
try {
  build = ensureOracle();
} catch (e) {
  fail(e.message);
}
process.stderr.write(`istio-oracle: seed ${seed} (reproduce with --seed ${seed}); ${count} configurations, ${valuesCount} values files, ${jobs} oracle process(es)\n`);

const oracles = Array.from({ length: jobs }, () => new Oracle(build));
let turn = 0;
const oracle = () => oracles[turn++ % oracles.length];

const toYaml = (objects) => objects.map((o) => stringify(o)).join('---\n');
const disagreements = [];
let configurations = 0;
const skipped = { priorities: 0, valuesRefused: 0 };
const ISTIO_VERSION = '1.31.1';

function record(ds, source) {
  for (const d of ds) disagreements.push({ ...d, source });
}

/** zonal failing to answer is a finding too (it is not Istio's verdict either way). */
function zonalThrew(e, source, object) {
  record([{ family: 'zonalError', key: String(e?.message ?? e).split('\n')[0].slice(0, 100), object, istio: '(not asked)', zonal: String(e?.stack ?? e).slice(0, 400) }], source);
}

async function checkConfig(index) {
  const r = configRandom(seed, index);
  const cfg = generateConfig(r, index);
  const yaml = toYaml(cfg.objects);
  const source = { kind: 'config', index, yaml, zones: cfg.zones, region: cfg.region, ...(cfg.mesh ? { mesh: cfg.mesh } : {}), ...(cfg.destination.notReady ? { notReady: cfg.destination.notReady } : {}) };
  try {
    await checkConfigOrThrow(index, cfg, yaml, source);
  } catch (e) {
    if (e?.oracle) throw e;
    zonalThrew(e, source, `config ${index}`);
  }
}

async function checkConfigOrThrow(index, cfg, yaml, source) {
  const o = oracle();
  const verdicts = await o.request('validate', yaml);
  const context = { zones: cfg.zones, region: cfg.region, istioVersion: ISTIO_VERSION, ...(cfg.mesh ? { mesh: cfg.mesh } : {}) };
  const findings = lintObjects(parseManifests(yaml, `config-${index}.yaml`), context);
  record(lintVersusValidation(findings, verdicts), source);

  // Check 2 on what istiod admits: rejected objects never reach it.
  const dest = cfg.destination;
  const meshRejected = verdicts.objects.some((v) => v.kind === 'MeshConfig' && v.errors.length > 0);
  if (meshRejected || dest.host.startsWith('*') || dest.resolution === 'NONE') {
    skipped.priorities++;
    return;
  }
  const cluster = clusterObjects(cfg.objects, { region: cfg.region, zones: cfg.zones, index, notReady: dest.notReady ?? 0 });
  let eds;
  try {
    eds = await o.request('endpoints', toYaml([...cfg.objects, ...cluster]), cfg.zones.map((zone) => ({ zone })));
  } catch (e) {
    if (!e?.oracle || o.exited) throw e;
    // istiod fails on a configuration its webhook admits: zonal should at least flag it as an error.
    const flagged = findings.some((f) => f.severity === 'error' && (f.kind === 'DestinationRule' || f.kind === 'ServiceEntry'));
    if (!flagged) record([{ family: 'istiodFails', key: messageShape(e.message), object: `config ${index}`, istio: e.message, zonal: 'no error finding' }], source);
    return;
  }
  const dropped = new Set(eds.dropped);
  const admitted = cfg.objects.filter((x) => !dropped.has(`${x.kind} ${x.metadata.namespace ?? 'default'}/${x.metadata.name}`));
  if (!admitted.some((x) => x.kind === 'Service' || x.kind === 'ServiceEntry')) {
    skipped.priorities++;
    return;
  }
  // The mesh config reaches zonal as istiod reads it: from the `istio` ConfigMap among the objects.
  const simulation = simulateObjects(admitted, { zones: cfg.zones, region: cfg.region, istioVersion: ISTIO_VERSION, ...scenarioOf(dest, cfg.zones) });
  const svc = cfg.objects.find((o) => o.kind === 'Service' || o.kind === 'ServiceEntry');
  const ns = svc.metadata.namespace;
  const host = dest.kind === 'service' ? `${svc.metadata.name}.${ns}.svc.cluster.local` : dest.host;
  const target = { kind: dest.kind, resolution: dest.resolution, host, clusterName: `outbound|${dest.port}||${host}` };
  record(prioritiesVersusEds(target, simulation, eds, `config ${index}`), source);
  record(edsVersusSimulation(target, simulation, eds, `config ${index}`), source);
}

/** Pods failing readiness reach zonal as a scenario (zone -> total / notReady), as the cluster objects place them. */
function scenarioOf(dest, zones) {
  if (dest.kind !== 'service' || !dest.notReady) return {};
  const rows = podsPerZone(dest.replicas, dest.notReady, zones).filter((z) => z.total > 0);
  const name = dest.objects[0].metadata.name;
  const text = `endpoints:\n  ${name}:\n${rows.map((z) => `    ${z.zone}: { total: ${z.total}, notReady: ${z.notReady} }`).join('\n')}\n`;
  return { scenario: parseScenario(text, 'harness-scenario.yaml') };
}

async function checkChart(name, objects, yamlSource) {
  const verdicts = await oracle().request('validate', toYaml(objects));
  record(chartClean(verdicts, name), { kind: 'chart', name, yaml: yamlSource });
}

async function checkValues(index) {
  const r = new Random((seed ^ 0x5bd1e995) + Math.imul(index + 1, 0x85ebca6b) >>> 0);
  const text = stringify(generateValues(r, index));
  let objects;
  try {
    objects = renderObjects(parseValues(text, `values-${index}.yaml`));
  } catch (e) {
    if (e instanceof InputError) {
      skipped.valuesRefused++; // zonal refuses the file: no chart to check
      return false;
    }
    zonalThrew(e, { kind: 'chart', name: `values-${index}.yaml`, yaml: text }, `values-${index}.yaml`);
    return true;
  }
  await checkChart(`values-${index}.yaml`, objects, text);
  return true;
}

/** The objects of `helm template` output. */
function helmObjects(rendered) {
  return rendered.split(/^---\s*$/m).map((d) => d.trim()).filter(Boolean).map((d) => parseManifests(d, 'helm')[0]?.object).filter(Boolean);
}

/** `helm` with `args`: its exit status and output, without throwing. */
function runHelm(binary, args) {
  try {
    return { status: 0, out: execFileSync(binary, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { status: e.status ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? e.message}` };
  }
}

/**
 * The example charts under the Helm releases users run (users-helm.mjs): under their own release
 * name and under another one in another namespace, each renders to the very objects Helm 4.1.4
 * (the tests' Helm) renders, and Istio validates them; `helm lint --strict` passes; and a chart
 * file of exactly HELM_MAX_FILE_BYTES (zonal generate's limit) loads while one byte more is
 * refused. Returns the number of renders checked.
 */
async function checkUsersHelm() {
  const pinned = join(ROOT, '.tools', 'helm4', 'helm');
  const charts = [join('charts', 'octank-travel'), join('examples', 'octank-travel-ambient', 'charts', 'octank-travel-ambient')].filter((c) => existsSync(join(ROOT, c)));
  if (!existsSync(pinned) || charts.length === 0) return 0;
  let users;
  try {
    users = ensureUsersHelm();
  } catch (e) {
    fail(`cannot build the Helm releases users run (verify/helm): ${String(e.message).split('\n')[0]}`);
  }
  let checked = 0;
  const finding = (key, object, helmSays, expected, yaml) =>
    record([{ family: 'usersHelm', key, object, istio: helmSays, zonal: expected }], { kind: 'chart', name: object, yaml });
  for (const chart of charts) {
    const dir = join(ROOT, chart);
    const name = chart.split('/').pop();
    for (const variant of [[name], ['team-a-routing', '--namespace', 'other-ns']]) {
      const args = ['template', ...variant.slice(0, 1), dir, ...variant.slice(1)];
      const expected = runHelm(pinned, args);
      if (expected.status !== 0) fail(`helm 4.1.4 ${args.join(' ')} failed: ${expected.out.split('\n')[0]}`);
      const want = JSON.stringify(helmObjects(expected.out));
      for (const h of users) {
        const what = `helm ${h.version} ${args.join(' ').replace(ROOT + '/', '')}`;
        const got = runHelm(h.binary, args);
        if (got.status !== 0) {
          finding('refuses a chart Helm 4.1.4 renders', what, got.out.split('\n')[0], 'rendered by Helm 4.1.4', '');
          continue;
        }
        const objects = helmObjects(got.out);
        if (JSON.stringify(objects) !== want) finding('renders other objects than Helm 4.1.4', what, `${objects.length} objects`, `${JSON.parse(want).length} objects`, got.out);
        else await checkChart(what, objects, got.out);
        checked++;
      }
    }
    for (const h of users) {
      const lint = runHelm(h.binary, ['lint', '--strict', dir]);
      if (lint.status !== 0) finding('helm lint --strict fails', `helm ${h.version} lint --strict ${chart}`, lint.out.split('\n').filter(Boolean).slice(-3).join(' | '), 'lint clean', '');
    }
  }
  // The size limit: values.yaml padded with a comment to the limit, then one byte over it.
  const tmp = join(CACHE_DIR, `size-limit-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  cpSync(join(ROOT, charts[0]), tmp, { recursive: true });
  try {
    const values = readFileSync(join(tmp, 'values.yaml'));
    for (const size of [HELM_MAX_FILE_BYTES, HELM_MAX_FILE_BYTES + 1]) {
      writeFileSync(join(tmp, 'values.yaml'), Buffer.concat([values, Buffer.from(`#${'x'.repeat(size - values.length - 2)}\n`)]));
      for (const h of users) {
        const r = runHelm(h.binary, ['template', 'size-check', tmp]);
        const loads = r.status === 0;
        if (loads !== (size <= HELM_MAX_FILE_BYTES)) {
          finding('chart file size limit differs from zonal generate\'s', `helm ${h.version} template (values.yaml of ${size} bytes)`,
            loads ? 'loads it' : r.out.split('\n')[0], `${size <= HELM_MAX_FILE_BYTES ? 'loads' : 'refuses'} it (HELM_MAX_FILE_BYTES ${HELM_MAX_FILE_BYTES})`, '');
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stderr.write(`users-helm: ${users.map((h) => `Helm ${h.version}`).join(' and ')}: ${checked} renders of ${charts.length} example charts, lint --strict, the ${HELM_MAX_FILE_BYTES}-byte file limit\n`);
  return checked;
}

/** Runs `task(i)` for i < n with `width` in flight. */
async function pool(n, width, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
}

try {
  // The bundled example, as rendered in-process and as Helm renders the committed chart.
  const example = join(ROOT, 'values', 'octank-travel.yaml');
  await checkChart('values/octank-travel.yaml', renderObjects(loadValuesFile(example, 'values/octank-travel.yaml')), readFileSync(example, 'utf8'));
  configurations++;
  // Its ambient twin (ztunnel, waypoints: traffic-distribution annotations, Gateway, DestinationRules at the waypoint).
  const ambientExample = join(ROOT, 'values', 'octank-travel-ambient.yaml');
  if (existsSync(ambientExample)) {
    await checkChart('values/octank-travel-ambient.yaml', renderObjects(loadValuesFile(ambientExample, 'values/octank-travel-ambient.yaml')), readFileSync(ambientExample, 'utf8'));
    configurations++;
  }
  const helm = join(ROOT, '.tools', 'helm3', 'helm');
  const chartDir = join(ROOT, 'charts', 'octank-travel');
  if (existsSync(helm) && existsSync(chartDir)) {
    const rendered = execFileSync(helm, ['template', 'octank-travel', chartDir], { encoding: 'utf8', maxBuffer: 64 << 20 });
    await checkChart('helm template charts/octank-travel', helmObjects(rendered), rendered);
    configurations++;
  }
  configurations += await checkUsersHelm();
  await pool(count, jobs * 4, async (i) => { await checkConfig(i); configurations++; });
  await pool(valuesCount, jobs * 4, async (i) => { if (await checkValues(i)) configurations++; });
} finally {
  await Promise.all(oracles.map((o) => o.close()));
}

// Examples for the regression cases and for the core helper: the first few of each kind.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const groups = new Map();
for (const d of disagreements) {
  const g = `${d.family}\u0000${d.key}`;
  if (!groups.has(g)) groups.set(g, []);
  groups.get(g).push(d);
}
let n = 0;
for (const ds of groups.values()) {
  for (const d of ds.slice(0, 3)) {
    const base = join(outDir, `${String(++n).padStart(3, '0')}-${d.family}`);
    writeFileSync(`${base}.yaml`, d.source.yaml);
    const { yaml: _y, ...where } = d.source;
    writeFileSync(`${base}.json`, `${JSON.stringify({ family: FAMILIES[d.family], key: d.key, object: d.object, istio: d.istio, zonal: d.zonal, seed, ...where }, null, 2)}\n`);
  }
}

const families = new Map();
for (const [g, ds] of groups) {
  const [family, key] = g.split('\u0000');
  if (!families.has(family)) families.set(family, []);
  families.get(family).push({ key, count: ds.length, example: ds[0] });
}
if (families.size > 0) {
  process.stdout.write('Disagreements by family (Istio is right, and for charts the Helm users run):\n');
  for (const [family, keys] of families) {
    const total = keys.reduce((a, k) => a + k.count, 0);
    process.stdout.write(`  ${FAMILIES[family]}: ${total}\n`);
    for (const k of keys.sort((a, b) => b.count - a.count).slice(0, 8)) {
      process.stdout.write(`    ${String(k.count).padStart(5)}  ${k.key}\n             e.g. ${k.example.object}: ${family === 'usersHelm' ? 'helm' : 'istio'} ${k.example.istio.slice(0, 160)} | zonal ${k.example.zonal.slice(0, 120)}\n`);
    }
  }
  process.stdout.write(`Examples: ${relative(ROOT, outDir)}/ (YAML + JSON per case)\n`);
}
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(`istio-oracle: seed ${seed}; ${skipped.priorities} configurations without an EDS comparison (rejected mesh config, wildcard host, resolution NONE); ${skipped.valuesRefused} values files zonal refused; build ${build.built ? `${build.seconds}s` : 'cached'}; ${seconds}s in all\n`);
process.stdout.write(`istio-oracle: ${configurations} configurations, ${disagreements.length} disagreements\n`);
process.exit(disagreements.length === 0 ? 0 : 1);
