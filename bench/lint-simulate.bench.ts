/**
 * `npm run bench:lint`: `zonal lint -f` and `zonal simulate -f` on the rendered output of synthetic
 * values files with 1,000 and 5,000 services (about 5,400 and 27,000 objects), against the time
 * js-yaml alone takes to parse the same file. Targets (issue 10): 5,000 services take at most 5.5x
 * the time of 1,000 (linear), and each command stays within 2x the js-yaml parse of the
 * 5,000-service file. Times are wall-clock medians of several runs of the CLI (a fresh process,
 * as users run it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dump, loadAll } from 'js-yaml';
import { loadValuesFile } from '../generator/model/load-values.js';
import { renderObjects } from '../generator/render/index.js';
import { syntheticValues } from './synthetic-values.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'dist', 'generator', 'cli.js');
const RUNS = Number(process.env.ZONAL_BENCH_RUNS ?? 5);
const ZONES = 'us-west-2a,us-west-2b,us-west-2c';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeCli(args: string[]): number {
  return median(Array.from({ length: RUNS }, () => {
    const t = performance.now();
    try {
      execFileSync(process.execPath, [cli, ...args], { cwd: repo, stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
    } catch (err) {
      // lint exits 1 when it finds errors; anything else is a failed benchmark
      if ((err as { status?: number }).status !== 1) throw err;
    }
    return performance.now() - t;
  }));
}

/** js-yaml alone, in a fresh process too (startup included), so the comparison is like for like. */
function timeJsYaml(file: string): number {
  const script = `const { loadAll } = require(${JSON.stringify(join(repo, 'node_modules', 'js-yaml'))}); loadAll(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'));`;
  return median(Array.from({ length: RUNS }, () => {
    const t = performance.now();
    execFileSync(process.execPath, ['-e', script], { stdio: 'ignore' });
    return performance.now() - t;
  }));
}

function timeInProcessParse(file: string): number {
  const text = readFileSync(file, 'utf8');
  return median(Array.from({ length: RUNS }, () => {
    const t = performance.now();
    loadAll(text);
    return performance.now() - t;
  }));
}

const dir = mkdtempSync(join(tmpdir(), 'zonal-bench-lint-'));
try {
  const rows: { services: number; objects: number; mb: number; lint: number; simulate: number; yaml: number; yamlInProcess: number }[] = [];
  for (const services of [1000, 5000]) {
    const valuesFile = join(dir, `values-${services}.yaml`);
    writeFileSync(valuesFile, syntheticValues(services, services / 5));
    const objects = renderObjects(loadValuesFile(valuesFile, valuesFile));
    const manifests = join(dir, `rendered-${services}.yaml`);
    writeFileSync(manifests, objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
    const mb = readFileSync(manifests).length / 1e6;
    rows.push({
      services, objects: objects.length, mb,
      lint: timeCli(['lint', '-f', manifests, '--zones', ZONES, '--region', 'us-west-2']),
      simulate: timeCli(['simulate', '-f', manifests, '--zones', ZONES, '--region', 'us-west-2', '--json']),
      yaml: timeJsYaml(manifests),
      yamlInProcess: timeInProcessParse(manifests),
    });
  }
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`zonal bench (lint/simulate): median of ${RUNS} runs, CLI wall time (process start included)`);
  for (const r of rows) {
    console.log(`  ${r.services} services, ${r.objects} objects, ${r.mb.toFixed(1)} MB: lint -f ${ms(r.lint)}, simulate -f ${ms(r.simulate)}, ` +
      `js-yaml parse ${ms(r.yaml)} (in-process ${ms(r.yamlInProcess)})`);
  }
  const [small, big] = rows as [typeof rows[number], typeof rows[number]];
  console.log(`  growth 5,000 / 1,000 services: lint ${(big.lint / small.lint).toFixed(2)}x, simulate ${(big.simulate / small.simulate).toFixed(2)}x (target <= 5.5x)`);
  console.log(`  on the 5,000-service output vs js-yaml: lint ${(big.lint / big.yaml).toFixed(2)}x, simulate ${(big.simulate / big.yaml).toFixed(2)}x (target <= 2x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
