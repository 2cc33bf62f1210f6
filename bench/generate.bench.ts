/**
 * `npm run bench`: `zonal generate` (the real CLI, start-up included) against `helm template` of
 * the very chart it wrote, with Helm 3 and Helm 4, at 100, 1,000 and 5,000 services (plus one
 * external host per five services) over 3 zones. The faster Helm is the anchor; the goal is a
 * ratio generate / helm template <= 0.5 at every size. Wall-clock medians: run it on a quiet
 * machine. BENCH_SIZES=100,1000 and BENCH_RUNS=3 override the defaults.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { syntheticValues } from './synthetic-values.js';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GOAL = 0.5;
const repo = fileURLToPath(new URL('../..', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;

function timeGenerate(values: string, out: string): number {
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  execFileSync(process.execPath, [join(repo, 'dist', 'generator', 'cli.js'), 'generate', '--values', values, '--out', out], { stdio: 'pipe' });
  return performance.now() - t0;
}

function timeHelm(helm: string, chart: string): { ms: number; bytes: number } {
  const t0 = performance.now();
  const out = execFileSync(helm, ['template', 'bench', chart], { maxBuffer: 1 << 30, encoding: 'utf8' });
  return { ms: performance.now() - t0, bytes: out.length };
}

const helms = [3, 4].map((major) => ({ major, path: join(repo, '.tools', `helm${major}`, 'helm') })).filter((h) => existsSync(h.path));
if (helms.length === 0) {
  console.log('zonal bench: no Helm under .tools/ (run `npm run pretest` first)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'zonal-bench-'));
const rows: string[] = [];
let worst = 0;
try {
  console.log(`zonal bench: generate vs helm template of its output, 3 zones, median of ${RUNS} runs (goal ratio <= ${GOAL})`);
  for (const services of SIZES) {
    const hosts = Math.round(services / 5);
    const values = join(dir, `values-${services}.yaml`);
    writeFileSync(values, syntheticValues(services, hosts));
    const out = join(dir, `out-${services}`);
    const chart = join(out, 'charts', 'bench');
    const gen = median(Array.from({ length: RUNS }, () => timeGenerate(values, out)));
    const biggest = ['values.yaml', 'values.schema.json', 'README.md'].map((f) => `${f} ${(statSync(join(chart, f)).size / 1e6).toFixed(2)} MB`).join(', ');
    const perHelm = helms.map((h) => {
      const runs = Array.from({ length: RUNS }, () => timeHelm(h.path, chart));
      return { major: h.major, ms: median(runs.map((r) => r.ms)), bytes: runs[0]!.bytes };
    });
    const anchor = perHelm.reduce((a, b) => (b.ms < a.ms ? b : a));
    const ratio = gen / anchor.ms;
    worst = Math.max(worst, ratio);
    console.log(`  ${services} services, ${hosts} hosts: generate ${ms(gen)}; ` +
      `${perHelm.map((h) => `helm ${h.major} template ${ms(h.ms)}`).join(', ')} (${(anchor.bytes / 1e6).toFixed(1)} MB of manifests); ` +
      `ratio ${ratio.toFixed(2)} vs helm ${anchor.major}; largest chart files: ${biggest}`);
    rows.push(`| ${services} | ${ms(gen)} | ${perHelm.map((h) => ms(h.ms)).join(' | ')} | ${ratio.toFixed(2)} |`);
  }
  console.log(`\n| services | generate | ${helms.map((h) => `helm ${h.major} template`).join(' | ')} | ratio (faster helm) |`);
  console.log(`| --- | --- | ${helms.map(() => '---').join(' | ')} | --- |`);
  for (const r of rows) console.log(r);
  console.log(`\nworst ratio ${worst.toFixed(2)} (goal <= ${GOAL})${worst <= GOAL ? '' : ': NOT MET'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
