#!/usr/bin/env node
// `npm run verify:istio`: builds the Istio oracle (verify/istio) and runs zonal's claims about Istio
// against Istio's own code over seeded random configurations and generated charts. The last line
// is `istio-oracle: N configurations, D disagreements`; exit 0 only when D is 0.
//
//   node verify/differential/main.mjs [--seed S] [--count N] [--values N] [--jobs J] [--out DIR]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { dump } from 'js-yaml';

const stringify = (o) => dump(o, { noRefs: true, lineWidth: -1 });
import { CACHE_DIR, ROOT, ensureOracle } from './build.mjs';
import { Oracle } from './oracle.mjs';
import { Random, freshSeed } from './random.mjs';
import { generateConfig } from './generate-config.mjs';
import { generateValues } from './generate-values.mjs';
import { clusterObjects } from './cluster-objects.mjs';
import { FAMILIES, chartClean, lintVersusValidation, messageShape, prioritiesVersusEds, zoneAwareVersusCds } from './checks.mjs';

const USAGE = `Usage: node verify/differential/main.mjs [--seed S] [--count N] [--values N] [--jobs J] [--out DIR]
  --seed S    seed of the random configurations (default: from the clock; printed)
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
const seed = int('seed', args.seed, freshSeed());
const count = int('count', args.count, 2000);
const valuesCount = int('values', args.values, 300);
const jobs = Math.max(1, int('jobs', args.jobs, 2));
const outDir = args.out ?? join(CACHE_DIR, 'last-run');

const dist = join(ROOT, 'dist', 'generator');
if (!existsSync(join(dist, 'cli.js'))) fail('dist/ is missing: run `npm run build` first (npm run verify:istio does)');
const { parseManifests } = await import(join(dist, 'k8s', 'manifest.js'));
const { lintObjects } = await import(join(dist, 'lint', 'index.js'));
const { simulateObjects } = await import(join(dist, 'simulate', 'index.js'));
const { parseValues, loadValuesFile } = await import(join(dist, 'model', 'load-values.js'));
const { renderObjects } = await import(join(dist, 'render', 'index.js'));
const { InputError } = await import(join(dist, 'errors.js'));
const { ENVOY_DEFAULT_MIN_CLUSTER_SIZE } = await import(join(dist, 'well-known.js'));

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
  const r = new Random((seed + Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const cfg = generateConfig(r, index);
  const yaml = toYaml(cfg.objects);
  const source = { kind: 'config', index, yaml, zones: cfg.zones, region: cfg.region, meshLocalityLb: cfg.meshLocalityLb };
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
  const context = { zones: cfg.zones, region: cfg.region, istioVersion: ISTIO_VERSION, ...(cfg.meshLocalityLb ? { mesh: { localityLbSetting: cfg.meshLocalityLb } } : {}) };
  const findings = lintObjects(parseManifests(yaml, `config-${index}.yaml`), context);
  record(lintVersusValidation(findings, verdicts), source);

  // Check 2 on what istiod admits: rejected objects never reach it.
  const dest = cfg.destination;
  const meshRejected = verdicts.objects.some((v) => v.kind === 'MeshConfig' && v.errors.length > 0);
  if (meshRejected || dest.host.startsWith('*') || dest.resolution === 'NONE') {
    skipped.priorities++;
    return;
  }
  const cluster = clusterObjects(cfg.objects, { region: cfg.region, zones: cfg.zones, index });
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
  const simulation = simulateObjects(admitted, { zones: cfg.zones, region: cfg.region, ...(cfg.meshLocalityLb ? { meshLocalityLb: cfg.meshLocalityLb } : {}) });
  const ns = cfg.objects[0].metadata.namespace;
  const host = dest.kind === 'service' ? `${cfg.objects[0].metadata.name}.${ns}.svc.cluster.local` : dest.host;
  const target = { kind: dest.kind, resolution: dest.resolution, host, clusterName: `outbound|${dest.port}||${host}` };
  record(prioritiesVersusEds(target, simulation, eds, `config ${index}`), source);
  record(zoneAwareVersusCds(target, simulation, eds, `config ${index}`, ENVOY_DEFAULT_MIN_CLUSTER_SIZE), source);
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
  // The ambient twin (ambient namespace, waypoint): its Istio objects are validated the same way.
  const ambient = join(ROOT, 'values', 'octank-travel-ambient.yaml');
  await checkChart('values/octank-travel-ambient.yaml', renderObjects(loadValuesFile(ambient, 'values/octank-travel-ambient.yaml')), readFileSync(ambient, 'utf8'));
  configurations++;
  const helm = join(ROOT, '.tools', 'helm3', 'helm');
  const chartDir = join(ROOT, 'charts', 'octank-travel');
  if (existsSync(helm) && existsSync(chartDir)) {
    const rendered = execFileSync(helm, ['template', 'octank-travel', chartDir], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const objects = rendered.split(/^---\s*$/m).map((d) => d.trim()).filter(Boolean).map((d) => parseManifests(d, 'helm')[0]?.object).filter(Boolean);
    await checkChart('helm template charts/octank-travel', objects, rendered);
    configurations++;
  }
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
  process.stdout.write('Disagreements by family (Istio is right):\n');
  for (const [family, keys] of families) {
    const total = keys.reduce((a, k) => a + k.count, 0);
    process.stdout.write(`  ${FAMILIES[family]}: ${total}\n`);
    for (const k of keys.sort((a, b) => b.count - a.count).slice(0, 8)) {
      process.stdout.write(`    ${String(k.count).padStart(5)}  ${k.key}\n             e.g. ${k.example.object}: istio ${k.example.istio.slice(0, 160)} | zonal ${k.example.zonal.slice(0, 120)}\n`);
    }
  }
  process.stdout.write(`Examples: ${relative(ROOT, outDir)}/ (YAML + JSON per case)\n`);
}
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(`istio-oracle: seed ${seed}; ${skipped.priorities} configurations without an EDS comparison (rejected mesh config, wildcard host, resolution NONE); ${skipped.valuesRefused} values files zonal refused; build ${build.built ? `${build.seconds}s` : 'cached'}; ${seconds}s in all\n`);
process.stdout.write(`istio-oracle: ${configurations} configurations, ${disagreements.length} disagreements\n`);
process.exit(disagreements.length === 0 ? 0 : 1);
