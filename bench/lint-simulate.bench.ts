/**
 * `npm run bench:lint`: `zonal lint -f`, `zonal simulate -f` and `zonal simulate --values` on
 * synthetic values files with 1,000 and 5,000 services (about 5,400 and 27,000 objects rendered),
 * against the time js-yaml alone takes to parse the rendered file. Targets (issue 10): 5,000
 * services take at most 5.5x the time of 1,000 (linear), and `lint -f` / `simulate -f` stay within
 * 2x the js-yaml parse of the 5,000-service file. Every command runs as a fresh process (as users
 * run it; js-yaml too, start-up included), and the runs are interleaved (one of each command per
 * round) so that the anchor and the commands share the machine's load; medians of wall time and of
 * CPU time (user + sys, from bash's `time`, which load does not inflate) are printed, with the load
 * average before and after.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import { loadValuesFile } from '../generator/model/load-values.js';
import { renderObjects } from '../generator/render/index.js';
import { syntheticValues } from './synthetic-values.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'dist', 'generator', 'cli.cjs');
const RUNS = Number(process.env.ZONAL_BENCH_RUNS ?? 5);
const ZONES = 'us-west-2a,us-west-2b,us-west-2c';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing { readonly wall: number; readonly cpu: number }

function quote(a: string): string {
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

/** One run of `node ARGS` in a fresh process; exit codes other than 0 and 1 (findings) fail the benchmark. */
function timeOnce(args: readonly string[], stderrFile: string): Timing {
  const err = quote(stderrFile);
  const command = `TIMEFORMAT='%R %U %S'; time ${[process.execPath, ...args].map(quote).join(' ')} >/dev/null 2>${err}; s=$?; [ $s -le 1 ] || { cat ${err} >&2; exit $s; }`;
  const r = spawnSync('bash', ['-c', command], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`benchmark command failed (${r.status}): node ${args.join(' ')}\n${r.stderr}`);
  const [real, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'zonal-bench-lint-'));
try {
  console.log(`zonal bench (lint/simulate): median of ${RUNS} interleaved runs per command, fresh processes; load average before: ${load()}`);
  type Name = 'lint' | 'simulate' | 'simulateValues' | 'yaml';
  const rows: { services: number; objects: number; mb: number; t: Record<Name, Timing> }[] = [];
  for (const services of [1000, 5000]) {
    const valuesFile = join(dir, `values-${services}.yaml`);
    writeFileSync(valuesFile, syntheticValues(services, services / 5));
    const objects = renderObjects(loadValuesFile(valuesFile, valuesFile));
    const manifests = join(dir, `rendered-${services}.yaml`);
    writeFileSync(manifests, objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
    const mb = readFileSync(manifests).length / 1e6;
    const script = `const { loadAll } = require(${JSON.stringify(join(repo, 'node_modules', 'js-yaml'))}); loadAll(require('fs').readFileSync(${JSON.stringify(manifests)}, 'utf8'));`;
    const commands: Record<Name, string[]> = {
      lint: [cli, 'lint', '-f', manifests, '--zones', ZONES, '--region', 'us-west-2'],
      simulate: [cli, 'simulate', '-f', manifests, '--zones', ZONES, '--region', 'us-west-2', '--json'],
      simulateValues: [cli, 'simulate', '--values', valuesFile, '--json'],
      yaml: ['-e', script],
    };
    const samples: Record<Name, Timing[]> = { lint: [], simulate: [], simulateValues: [], yaml: [] };
    for (let i = 0; i < RUNS; i++) for (const name of Object.keys(commands) as Name[]) samples[name].push(timeOnce(commands[name], join(dir, 'stderr')));
    const med = (name: Name): Timing => ({ wall: median(samples[name].map((x) => x.wall)), cpu: median(samples[name].map((x) => x.cpu)) });
    rows.push({ services, objects: objects.length, mb, t: { lint: med('lint'), simulate: med('simulate'), simulateValues: med('simulateValues'), yaml: med('yaml') } });
  }
  const ms = (x: Timing) => `${(x.wall / 1000).toFixed(2)} s (CPU ${(x.cpu / 1000).toFixed(2)} s)`;
  for (const r of rows) {
    console.log(`  ${r.services} services, ${r.objects} objects, ${r.mb.toFixed(1)} MB: lint -f ${ms(r.t.lint)}, simulate -f ${ms(r.t.simulate)}, ` +
      `simulate --values ${ms(r.t.simulateValues)}, js-yaml parse ${ms(r.t.yaml)}`);
  }
  const [small, big] = rows as [typeof rows[number], typeof rows[number]];
  const ratio = (a: Timing, b: Timing) => `${(a.wall / b.wall).toFixed(2)}x (CPU ${(a.cpu / b.cpu).toFixed(2)}x)`;
  console.log(`  growth 5,000 / 1,000 services: lint -f ${ratio(big.t.lint, small.t.lint)}, simulate -f ${ratio(big.t.simulate, small.t.simulate)}, ` +
    `simulate --values ${ratio(big.t.simulateValues, small.t.simulateValues)} (target <= 5.5x)`);
  console.log(`  on the 5,000-service output vs js-yaml: lint -f ${ratio(big.t.lint, big.t.yaml)}, simulate -f ${ratio(big.t.simulate, big.t.yaml)} (target <= 2x)`);
  console.log(`  load average after: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
