/**
 * `npm run bench`: generation time vs `helm template` time for a synthetic values file with 1,000
 * services and 200 external hosts over 3 zones. Target: generation no slower than Helm rendering
 * its own output (ratio <= 1.0). Run it on a quiet machine: both sides are wall-clock times.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { syntheticValues } from './synthetic-values.js';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const repo = fileURLToPath(new URL('../..', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** Wall time of the real CLI (`node dist/generator/cli.js generate`), start-up included. */
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

const dir = mkdtempSync(join(tmpdir(), 'zonal-bench-'));
const values = join(dir, 'values.yaml');
writeFileSync(values, syntheticValues(SERVICES, HOSTS));
const out = join(dir, 'out');
const chart = join(out, 'charts', 'bench');

console.log(`zonal bench: ${SERVICES} services, ${HOSTS} external hosts, 3 zones, median of ${RUNS} runs`);
const gen = median(Array.from({ length: RUNS }, () => timeGenerate(values, out)));
console.log(`  zonal generate (CLI: load + validate + lint + render + write ${SERVICES * 5 + HOSTS * 2} objects): ${ms(gen)}`);

const helms = [4, 3].map((major) => ({ major, path: join(repo, '.tools', `helm${major}`, 'helm') })).filter((h) => existsSync(h.path));
if (helms.length === 0) {
  console.log('  no Helm under .tools/: run `npm run pretest` first');
  process.exit(1);
}
for (const h of helms) {
  const runs = Array.from({ length: RUNS }, () => timeHelm(h.path, chart));
  const helmMs = median(runs.map((r) => r.ms));
  console.log(`  helm ${h.major} template of the generated chart (${(runs[0]!.bytes / 1e6).toFixed(1)} MB): ${ms(helmMs)}`);
  console.log(`  ratio generate / helm ${h.major} template: ${(gen / helmMs).toFixed(2)} (target <= 1.00)`);
}
rmSync(dir, { recursive: true, force: true });
