/**
 * `npm run bench`: `zonal generate` (the real CLI, start-up included) against `helm template` of
 * the very charts it wrote, with Helm 3 and Helm 4, at 100, 1,000, 5,000 and 10,000 services (plus
 * one external host per five services) over 3 zones in 10 namespaces; above 5,000 services the
 * values file sets `chart.split: namespace` (one chart per namespace) and every chart is rendered.
 * The faster Helm is the anchor; the goal is a ratio generate / helm template <= 0.5 at every size.
 * Beside it, for reference: the time this disk takes to create as many empty files as the output
 * has, and the same generation into a RAM folder (/dev/shm).
 * Wall-clock medians: run it on a quiet machine. BENCH_SIZES=100,1000 and BENCH_RUNS=3 override
 * the defaults. A run after which this disk creates files slowly (see timeCreate) is taken again
 * once it is at rest, and the bench says so; BENCH_NO_SETTLE=1 neither waits nor takes runs again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { syntheticValues } from './synthetic-values.js';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000,10000').split(',').map(Number);
/**
 * Runs per size: 11 up to 100 services (a round of generate and both Helms takes under a second,
 * and this machine's speed swings by a third from one minute to the next), 5 up to 1,000 (a round
 * is a few seconds), 3 above.
 */
const runsFor = (services: number) => Number(process.env.BENCH_RUNS ?? (services <= 100 ? 11 : services <= 1000 ? 5 : 3));
const GOAL = 0.5;
/** Above this many services the bench values file splits into one chart per namespace. */
const SPLIT_ABOVE = 5000;
const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The executable, run by its path as npx and npm's bin links run it: its `#!` line is part of the
 * program (it sizes V8's thread pool, generator/cli.ts). Its `node` is the bench's own (PATH below).
 */
const CLI = join(repo, 'dist', 'generator', 'cli.cjs');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;

/**
 * One run into a fresh output folder. Folders are removed only at the end: on this file system a
 * removal of thousands of files makes the next run's file creation wait for it, which would time
 * the bench's own cleanup, not zonal.
 */
function timeGenerate(values: string, out: string, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  execFileSync(CLI, ['generate', '--values', values, '--out', out], { stdio: 'pipe', env });
  return performance.now() - t0;
}

/** Every file and folder below `dir`: what a run into a fresh folder creates. */
function entriesBelow(dir: string): number {
  return readdirSync(dir, { recursive: true }).length;
}

/**
 * Time to create `n` empty files in a fresh folder beside the output: the file-system share of a
 * run, which `helm template` (it writes to stdout) does not pay. On these machines creating a file
 * costs from 0.02 ms to 1 ms: the disk is ext4 without a journal, whose inode allocator passes
 * over every inode freed in the last one to six minutes, reading each one's deletion time (the
 * kernel's `recently_deleted`, 50% of the time in `perf` samples of a slow creation loop). In the
 * minutes after thousands of files were removed (npm test's temporary folders, the end of a
 * bench) a new file can cost a millisecond. The figure is printed beside the ratio to tell a slow
 * disk from a slow zonal. Reported, never subtracted.
 */
function timeCreate(n: number, dir: string): number {
  mkdirSync(dir);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `f${i}`), '');
  return performance.now() - t0;
}

/** Files of the disk probe: what a 100-service generation creates. */
const PROBE_FILES = 143;
/** Creating a file on this disk at rest costs 0.01-0.03 ms; in its slow state 0.3-1 ms. */
const SETTLED_MS_PER_FILE = 0.1;
/** The kernel passes over inodes freed in the last 60 s, or 360 s while their inode table is unwritten. */
const SETTLE_MAX_MS = 6.5 * 60_000;
const SETTLE_POLL_MS = 15_000;
/** Runs per size that the bench takes again because the disk was slow right after them (see the loop). */
const RETAKES = 5;
/** The most the bench waits for the disk in all (its start and every run taken again). */
const SETTLE_BUDGET_MS = 10 * 60_000;

/** Whether the bench waits for the disk and takes slow runs again (BENCH_NO_SETTLE=1: neither). */
const SETTLE = process.env.BENCH_NO_SETTLE !== '1';
/** Probe folders made so far (each probe gets a fresh one). */
let probes = 0;
/** Waiting for the disk over the whole bench, at most SETTLE_BUDGET_MS. */
let waitedMs = 0;

/**
 * Waits until creating `files` files in the bench folder costs what it costs at rest (see
 * timeCreate), at most SETTLE_MAX_MS, and says so: right after npm test or another bench removed
 * thousands of files, this disk creates each file 30-50 times slower for some minutes, which would
 * time the removal, not zonal (a user's disk is not in that state when they generate). The probe
 * folders are kept until the end: removing them would start the slow state again.
 */
function settleDisk(root: string, files = PROBE_FILES): void {
  if (!SETTLE) return;
  const start = performance.now();
  try {
    for (let probe = 0; ; probe++) {
      const took = timeCreate(files, join(root, `probe-${probes++}`));
      const waited = `${((performance.now() - start) / 1000).toFixed(0)} s`;
      if (took <= files * SETTLED_MS_PER_FILE) {
        if (probe > 0) console.log(`  the disk is at rest after ${waited}: ${files} empty files in ${ms(took)}`);
        return;
      }
      if (performance.now() - start > Math.min(SETTLE_MAX_MS, SETTLE_BUDGET_MS - waitedMs)) {
        console.log(`  the disk is still slow after ${waited} (${files} empty files in ${ms(took)}): measuring anyway`);
        return;
      }
      if (probe === 0) {
        console.log(`  creating ${files} empty files here takes ${ms(took)} now (a few ms at rest: this disk, ext4 without a journal, ` +
          `passes over inodes freed in the last minutes); waiting for it, at most ${SETTLE_MAX_MS / 60_000} minutes (BENCH_NO_SETTLE=1 does not wait)`);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_POLL_MS);
    }
  } finally {
    waitedMs += performance.now() - start;
  }
}

function timeHelm(helm: string, charts: readonly string[]): { ms: number; bytes: number } {
  const t0 = performance.now();
  let bytes = 0;
  for (const chart of charts) bytes += execFileSync(helm, ['template', chart.split('/').pop()!, chart], { maxBuffer: 1 << 30, encoding: 'utf8' }).length;
  return { ms: performance.now() - t0, bytes };
}

const helms = [3, 4].map((major) => ({ major, path: join(repo, '.tools', `helm${major}`, 'helm') })).filter((h) => existsSync(h.path));
if (helms.length === 0) {
  console.log('zonal bench: no Helm under .tools/ (run `npm run pretest` first)');
  process.exit(1);
}

// Output goes where zonal writes for real, into the checkout (.cache/ is git-ignored), not the OS
// temp folder: the checkout is what users write into (creating a file there costs from 0.02 ms to
// 1 ms depending on what was removed from the disk in the last minutes, see timeCreate).
// BENCH_DIR overrides.
const benchRoot = process.env.BENCH_DIR ?? join(repo, '.cache');
mkdirSync(benchRoot, { recursive: true });
const dir = mkdtempSync(join(benchRoot, 'zonal-bench-'));
// zonal keeps each command's compiled code from its first successful run (generator/code-cache.ts).
// The bench keeps its own, made by its first run: what a user who generates their values file
// again has, and not one left by another run (npm test's first generate may not have exercised
// the Istio CRD check, whose validators are then compiled on every later run).
const env: NodeJS.ProcessEnv = {
  ...process.env, NODE_COMPILE_CACHE: join(dir, 'compile-cache'), PATH: [dirname(process.execPath), process.env.PATH].filter(Boolean).join(delimiter),
};
// For reference only (the goal is judged on the runs above, into the checkout): the same runs into
// a RAM folder, which tells zonal's own time from this disk's, whose file creation swings 50-fold
// from one minute to the next. BENCH_RAM_DIR overrides /dev/shm; none where neither exists.
const ramRoot = process.env.BENCH_RAM_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : undefined);
const ramDir = ramRoot ? mkdtempSync(join(ramRoot, 'zonal-bench-')) : undefined;
const rows: string[] = [];
let worst = 0;
try {
  console.log(`zonal bench: generate vs helm template of its output, 3 zones, median of ${runsFor(100)} runs at 100 services, ${runsFor(1000)} up to 1,000 and ${runsFor(5000)} above, interleaved (goal ratio <= ${GOAL})`);
  settleDisk(dir);
  const first = join(dir, 'values-first.yaml');
  writeFileSync(first, syntheticValues(SIZES[0]!, Math.round(SIZES[0]! / 5)));
  console.log(`  first run (${SIZES[0]} services, no code cache yet; it makes the cache the runs below use): generate ${ms(timeGenerate(first, join(dir, 'out-first'), env))}`);
  for (const services of SIZES) {
    const hosts = Math.round(services / 5);
    const values = join(dir, `values-${services}.yaml`);
    const split = services > SPLIT_ABOVE;
    const text = syntheticValues(services, hosts);
    writeFileSync(values, split ? text.replace('metadata: { name: bench }', 'metadata: { name: bench }\nchart: { split: namespace }') : text);
    // Runs interleave (generate, helm 3, helm 4, generate, ...) so that a change in the machine's
    // load during the bench weighs on both sides alike.
    const out = join(dir, `out-${services}-0`);
    const gens: number[] = [];
    const helmRuns = helms.map(() => [] as Array<{ ms: number; bytes: number }>);
    let charts: string[] = [];
    let entries = 0;
    const creates: number[] = [];
    const inRam: number[] = [];
    let retaken = 0;
    for (let run = 0, attempt = 0; run < runsFor(services); attempt++) {
      const gen = timeGenerate(values, join(dir, `out-${services}-${attempt}`), env);
      if (attempt === 0) {
        charts = readdirSync(join(out, 'charts')).sort().map((c) => join(out, 'charts', c));
        entries = entriesBelow(out);
      }
      // The disk's state right after the run (see timeCreate): a run whose output folder was
      // written while creating a file cost 5-50 times what it costs at rest (files removed in
      // the last minutes: by npm test, another bench, this bench's probes) times the disk's
      // recovery, not zonal. It is taken again once the disk is at rest, at most RETAKES times
      // per size and within SETTLE_BUDGET_MS of waiting in all, and the bench says how many it
      // took again.
      const create = timeCreate(entries, join(dir, `files-${services}-${attempt}`));
      if (SETTLE && create > entries * SETTLED_MS_PER_FILE && retaken < RETAKES && waitedMs < SETTLE_BUDGET_MS) {
        retaken++;
        console.log(`  ${services} services: creating ${entries} empty files took ${ms(create)} after run ${run + 1}; taking the run again once the disk is at rest`);
        settleDisk(dir, entries);
        continue;
      }
      gens.push(gen);
      creates.push(create);
      if (ramDir) {
        inRam.push(timeGenerate(values, join(ramDir, 'out'), env));
        rmSync(join(ramDir, 'out'), { recursive: true, force: true });
      }
      helms.forEach((h, i) => helmRuns[i]!.push(timeHelm(h.path, charts)));
      run++;
    }
    const gen = median(gens);
    const create = median(creates);
    const biggest = ['values.yaml', 'values.schema.json', 'README.md']
      .map((f) => `${f} ${(Math.max(...charts.map((c) => statSync(join(c, f)).size)) / 1e6).toFixed(2)} MB`).join(', ');
    const perHelm = helms.map((h, i) => ({ major: h.major, ms: median(helmRuns[i]!.map((r) => r.ms)), bytes: helmRuns[i]![0]!.bytes }));
    const anchor = perHelm.reduce((a, b) => (b.ms < a.ms ? b : a));
    const ratio = gen / anchor.ms;
    worst = Math.max(worst, ratio);
    const ram = ramDir ? `${ms(median(inRam))} (${(median(inRam) / anchor.ms).toFixed(2)})` : '-';
    console.log(`  ${services} services, ${hosts} hosts${split ? `, split into ${charts.length} charts` : ''}: generate ${ms(gen)}; ` +
      `${perHelm.map((h) => `helm ${h.major} template ${ms(h.ms)}`).join(', ')} (${(anchor.bytes / 1e6).toFixed(1)} MB of manifests); ` +
      `ratio ${ratio.toFixed(2)} vs helm ${anchor.major}; largest chart files: ${biggest}; ` +
      `creating its ${entries} files and folders as empty files takes ${ms(create)} on this disk now` +
      `${retaken ? ` (${retaken} run${retaken > 1 ? 's' : ''} taken again: the disk was slow right after ${retaken > 1 ? 'them' : 'it'})` : ''}; ` +
      `generate into a RAM folder, for reference: ${ram}`);
    rows.push(`| ${services} | ${ms(gen)} | ${perHelm.map((h) => ms(h.ms)).join(' | ')} | ${ratio.toFixed(2)} | ${entries} in ${ms(create)} | ${ram} |`);
  }
  console.log(`\n| services | generate | ${helms.map((h) => `helm ${h.major} template`).join(' | ')} | ratio (faster helm) | creating the output's files (empty) | into RAM, for reference (ratio) |`);
  console.log(`| --- | --- | ${helms.map(() => '---').join(' | ')} | --- | --- | --- |`);
  for (const r of rows) console.log(r);
  console.log(`\nworst ratio ${worst.toFixed(2)} (goal <= ${GOAL})${worst <= GOAL ? '' : ': NOT MET'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (ramDir) rmSync(ramDir, { recursive: true, force: true });
}
