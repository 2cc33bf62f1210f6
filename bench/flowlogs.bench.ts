/**
 * `npm run bench:flowlogs`: the flow-log analyzer (`zonal flowlogs analyze`, a child process) vs
 * `mawk '{s+=$4} END{print s}'` on the same synthetic log. Targets: records/s at least mawk's
 * (ratio >= 1.0; mawk only sums a column, the analyzer attributes every record to zones) and max
 * RSS under 200 MB on a 2 GB file.
 *
 *   FLOWLOGS_BENCH_MB=2048 npm run bench:flowlogs     # size of the log (default 1024 MiB)
 *   FLOWLOGS_BENCH_RUNS=5                             # runs per tool, median reported (default 3)
 *   FLOWLOGS_BENCH_THREADS=1                          # analyzer --threads (default: its own default)
 *
 * The log is cached in the temp dir (zonal-bench-flowlogs-<MB>.log) and reused by later runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeSyntheticFlowLog, type SynthTruth } from './flowlogs-synth.js';

const MB = Number(process.env.FLOWLOGS_BENCH_MB ?? 1024);
const RUNS = Number(process.env.FLOWLOGS_BENCH_RUNS ?? 3);
const THREADS = process.env.FLOWLOGS_BENCH_THREADS;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'dist', 'generator', 'cli.js');
const TIME = '/usr/bin/time';

interface Run {
  readonly seconds: number;
  readonly maxRssKb: number | undefined;
  readonly stdout: string;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (n: number) => `${(n / 1e6).toFixed(2)} M records/s`;

/** Runs a command, timing it; max RSS from GNU time when present. */
function run(cmd: string, args: readonly string[]): Run {
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const r = timed
    ? spawnSync(TIME, ['-f', 'zonal-bench-maxrss=%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /zonal-bench-maxrss=(\d+)/.exec(r.stderr ?? '');
  return { seconds, maxRssKb: rss ? Number(rss[1]) : undefined, stdout: r.stdout };
}

/** Without GNU time: the analyzer reports its own max RSS (process.resourceUsage) at exit. */
function runAnalyzerSelfMeasured(args: readonly string[]): Run {
  const wrapper = [
    `process.on('exit', () => process.stderr.write('zonal-bench-maxrss=' + process.resourceUsage().maxRSS + '\\n'));`,
    `process.argv.splice(1, 0, ${JSON.stringify(cli)});`,
    `await import(${JSON.stringify(cli)});`,
  ].join('\n');
  return run(process.execPath, ['--input-type=module', '-e', wrapper, ...args]);
}

const file = join(tmpdir(), `zonal-bench-flowlogs-${MB}.log`);
const truthFile = `${file}.truth.json`;
let truth: SynthTruth;
if (existsSync(file) && existsSync(truthFile)) {
  truth = JSON.parse((await import('node:fs')).readFileSync(truthFile, 'utf8')) as SynthTruth;
  console.log(`zonal flowlogs bench: reusing ${file}`);
} else {
  const t0 = performance.now();
  truth = writeSyntheticFlowLog(file, MB * 1024 * 1024);
  writeFileSync(truthFile, JSON.stringify(truth));
  console.log(`zonal flowlogs bench: wrote ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const size = statSync(file).size;
// the bundled example declares the synthetic log's zones (names, az-ids, CIDRs)
const values = join(repo, 'values', 'octank-travel.yaml');
console.log(`  ${(size / 2 ** 20).toFixed(0)} MiB, ${truth.records.toLocaleString('en-US')} records (zonal format, header line), median of ${RUNS} runs`);

const analyzerArgs = ['flowlogs', 'analyze', file, '--values', values, '--json', ...(THREADS ? ['--threads', THREADS] : [])];
const mawk = spawnSync('mawk', ['-W', 'version'], { encoding: 'utf8' }).status === 0 || existsSync('/usr/bin/mawk');
spawnSync('cat', [file], { stdio: 'ignore' }); // warm the page cache: both tools then read from memory

const analyzerRuns: Run[] = [];
const mawkRuns: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  if (mawk) mawkRuns.push(run('mawk', ['{s+=$4} END{print s}', file]));
  analyzerRuns.push(existsSync(TIME) ? run(process.execPath, [cli, ...analyzerArgs]) : runAnalyzerSelfMeasured(analyzerArgs));
}

const summary = JSON.parse(analyzerRuns[0]!.stdout) as { records: number; skipped: number; bytes: { crossZone: number } };
if (summary.records !== truth.records || summary.skipped !== 0 || summary.bytes.crossZone !== truth.crossZoneBytes) {
  console.log(`  WRONG RESULT: analyzer read ${summary.records} records (${summary.skipped} skipped), cross-zone ${summary.bytes.crossZone} bytes; expected ${truth.records}, ${truth.crossZoneBytes}`);
  process.exit(1);
}

const aSec = median(analyzerRuns.map((r) => r.seconds));
const rssMb = Math.max(...analyzerRuns.map((r) => r.maxRssKb ?? 0)) / 1024;
console.log(`  zonal flowlogs analyze${THREADS ? ` --threads ${THREADS}` : ''}: ${aSec.toFixed(2)} s, ${rate(truth.records / aSec)}, ${(size / 2 ** 20 / aSec).toFixed(0)} MiB/s, max RSS ${rssMb.toFixed(0)} MB (result checked against the ground truth)`);
if (mawk) {
  const mSec = median(mawkRuns.map((r) => r.seconds));
  const ratio = mSec / aSec;
  console.log(`  mawk '{s+=$4} END{print s}':  ${mSec.toFixed(2)} s, ${rate(truth.records / mSec)}, ${(size / 2 ** 20 / mSec).toFixed(0)} MiB/s`);
  console.log(`  throughput ratio analyzer/mawk: ${ratio.toFixed(2)} (target >= 1.00: ${ratio >= 1 ? 'met' : 'NOT met'})`);
} else {
  console.log('  mawk not found: no ratio');
}
console.log(`  max RSS ${rssMb.toFixed(0)} MB (target < 200 MB: ${rssMb < 200 ? 'met' : 'NOT met'})`);
