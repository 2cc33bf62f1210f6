/**
 * `npm run bench:flowlogs`: `zonal flowlogs analyze` (a child process) on the same synthetic log
 * as plain text, gzip and Parquet, side by side with the anchors that do the least work on each:
 *
 * - text: `mawk '{s+=$4} END{print s}'` on the plain file (mawk only sums a column; the analyzer
 *   attributes every record to zones). Goal: analyzer >= 1.8x mawk's records/s.
 * - gzip: the same mawk on the plain text, and `gzip -dc | mawk` on the gzip file. Goal >= 1.8x mawk.
 * - Parquet: DuckDB running zonal's own inter-zone query (the DuckDB rendering) over the same file.
 *   Goal: analyzer within 1.2x of DuckDB's time (it is the same engine).
 * - every run: peak RSS < 300 MB.
 *
 *   FLOWLOGS_BENCH_MB=1024 npm run bench:flowlogs   # size of the plain-text log (default 1024 MiB)
 *   FLOWLOGS_BENCH_RUNS=3                           # runs per tool, median reported (default 3)
 *   FLOWLOGS_BENCH_THREADS=1                        # analyzer --threads (default: its own default)
 *
 * The three inputs hold the same records ("1 GiB-equivalent": the text is that size) and are
 * cached in the temp dir (zonal-bench-flowlogs-<MB>.log, .log.gz, .parquet); every analyzer result
 * is checked against the generator's ground truth. Nothing is installed: without mawk the text
 * anchor is reported missing.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { FLOW_LOG_FIELDS } from '../generator/flowlogs/fields.js';
import { runDuckDb } from '../generator/flowlogs/parquet.js';
import { sqlString } from '../generator/flowlogs/duckdb-sql.js';
import { SYNTH_ZONES, writeSyntheticFlowLog, type SynthTruth } from './flowlogs-synth.js';

const MB = Number(process.env.FLOWLOGS_BENCH_MB ?? 1024);
const RUNS = Number(process.env.FLOWLOGS_BENCH_RUNS ?? 3);
const THREADS = process.env.FLOWLOGS_BENCH_THREADS;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'dist', 'generator', 'cli.cjs');
const duckdbQuery = join(repo, 'dist', 'bench', 'flowlogs-duckdb-query.js');
const TIME = '/usr/bin/time';
const RSS_LIMIT_MB = 300;

interface Run {
  readonly seconds: number;
  /** User + system CPU seconds (GNU time): less sensitive than wall time to a busy shared machine. */
  readonly cpuSeconds: number | undefined;
  readonly maxRssKb: number | undefined;
  readonly stdout: string;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (n: number, s: number) => `${(n / s / 1e6).toFixed(2)} M records/s`;

/** Runs a command, timing it; peak RSS from GNU time when present (else the child reports its own). */
function run(cmd: string, args: readonly string[]): Run {
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const r = timed
    ? spawnSync(TIME, ['-f', 'zonal-bench-maxrss=%M cpu=%U+%S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /zonal-bench-maxrss=(\d+)/.exec(r.stderr ?? '');
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined, maxRssKb: rss ? Number(rss[1]) : undefined, stdout: r.stdout };
}

/** A node script, with its own peak RSS when GNU time is missing. */
function runNode(script: string, args: readonly string[]): Run {
  if (existsSync(TIME)) return run(process.execPath, [script, ...args]);
  const wrapper = [
    `process.on('exit', () => process.stderr.write('zonal-bench-maxrss=' + process.resourceUsage().maxRSS + '\\n'));`,
    `process.argv.splice(1, 0, ${JSON.stringify(script)});`,
    `await import(${JSON.stringify(script)});`,
  ].join('\n');
  return run(process.execPath, ['--input-type=module', '-e', wrapper, ...args]);
}

const cached = (path: string, make: () => Promise<void> | void, what: string) => async () => {
  if (existsSync(path)) return console.log(`  reusing ${path}`);
  const t0 = performance.now();
  await make();
  console.log(`  wrote ${what} ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
};

const base = join(tmpdir(), `zonal-bench-flowlogs-${MB}`);
const text = `${base}.log`;
const gzip = `${base}.log.gz`;
const parquet = `${base}.parquet`;
const truthFile = `${text}.truth.json`;

console.log('zonal flowlogs bench: the same records as text, gzip and Parquet');
if (!existsSync(text) || !existsSync(truthFile)) {
  await cached(text, () => writeFileSync(truthFile, JSON.stringify(writeSyntheticFlowLog(text, MB * 1024 * 1024))), 'text')();
} else console.log(`  reusing ${text}`);
const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as SynthTruth;
await cached(gzip, async () => {
  await pipeline(createReadStream(text), createGzip({ level: 6 }), createWriteStream(`${gzip}.tmp`));
  renameSync(`${gzip}.tmp`, gzip);
}, 'gzip')();
await cached(parquet, async () => {
  // AWS's Parquet columns and types (int32, int64, UTF-8), `-` as no value, 122,880-row groups
  const types = { int: 'INTEGER', bigint: 'BIGINT', string: 'VARCHAR' } as const;
  const columns = `{${FLOW_LOG_FIELDS.map((f) => `${sqlString(f.name)}: ${sqlString(types[f.type])}`).join(', ')}}`;
  const select = FLOW_LOG_FIELDS.map((f) => `"${f.name}" AS "${f.column}"`).join(', ');
  await runDuckDb(`COPY (SELECT ${select} FROM read_csv(${sqlString(text)}, delim = ' ', header = true, nullstr = '-', columns = ${columns})) ` +
    `TO ${sqlString(`${parquet}.tmp`)} (FORMAT parquet, ROW_GROUP_SIZE 122880)`);
  renameSync(`${parquet}.tmp`, parquet);
}, 'Parquet')();

const mib = (p: string) => (statSync(p).size / 2 ** 20).toFixed(0);
console.log(`  ${truth.records.toLocaleString('en-US')} records; text ${mib(text)} MiB, gzip ${mib(gzip)} MiB, Parquet ${mib(parquet)} MiB; median of ${RUNS} runs`);
// the synthetic log's zones as a subnets file: the bench times the analysis, not loading a values file
const subnets = `${base}.subnets.json`;
writeFileSync(subnets, JSON.stringify({
  subnets: Object.fromEntries(SYNTH_ZONES.flatMap((z) => z.cidrs.map((c) => [c, z.name]))),
  azIds: Object.fromEntries(SYNTH_ZONES.map((z) => [z.id, z.name])),
}));
const mawk = spawnSync('mawk', ['-W', 'version'], { encoding: 'utf8' }).status === 0;
for (const f of [text, gzip, parquet]) spawnSync('cat', [f], { stdio: 'ignore' }); // warm the page cache

const analyzer = (file: string) => runNode(cli, ['flowlogs', 'analyze', file, '--subnets', subnets, '--json', ...(THREADS ? ['--threads', THREADS] : [])]);
const runs: Record<string, Run[]> = { text: [], gzip: [], parquet: [], mawk: [], zcatMawk: [], duckdb: [] };
for (let i = 0; i < RUNS; i++) {
  runs.text!.push(analyzer(text));
  runs.gzip!.push(analyzer(gzip));
  runs.parquet!.push(analyzer(parquet));
  runs.duckdb!.push(runNode(duckdbQuery, [parquet]));
  if (mawk) {
    runs.mawk!.push(run('mawk', ['{s+=$4} END{print s}', text]));
    runs.zcatMawk!.push(run('sh', ['-c', `gzip -dc "$1" | mawk '{s+=$4} END{print s}'`, 'sh', gzip]));
  }
}

let wrong = false;
for (const kind of ['text', 'gzip', 'parquet'] as const) {
  const s = JSON.parse(runs[kind]![0]!.stdout) as { records: number; skipped: number; bytes: { total: number; crossZone: number } };
  if (s.records !== truth.records || s.skipped !== 0 || s.bytes.crossZone !== truth.crossZoneBytes || s.bytes.total !== truth.bytes) {
    console.log(`  WRONG RESULT (${kind}): ${s.records} records (${s.skipped} skipped), cross-zone ${s.bytes.crossZone}, total ${s.bytes.total}; expected ${truth.records}, ${truth.crossZoneBytes}, ${truth.bytes}`);
    wrong = true;
  }
}
const duck = JSON.parse(runs.duckdb![0]!.stdout) as Array<{ cross_zone: boolean | null; bytes: number }>;
const duckCross = duck.filter((r) => r.cross_zone === true).reduce((n, r) => n + r.bytes, 0);
if (duckCross !== truth.crossZoneBytes) {
  console.log(`  WRONG RESULT (DuckDB query): cross-zone ${duckCross}, expected ${truth.crossZoneBytes}`);
  wrong = true;
}

const sec = (k: string) => median(runs[k]!.map((r) => r.seconds));
const rss = (k: string) => Math.max(...runs[k]!.map((r) => r.maxRssKb ?? 0)) / 1024;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
const cpu = (k: string) => median(runs[k]!.map((r) => r.cpuSeconds ?? Number.NaN));
const row = (label: string, k: string) => console.log(`  ${label.padEnd(48)} ${sec(k).toFixed(2).padStart(6)} s  ${rate(truth.records, sec(k)).padStart(20)}  CPU ${cpu(k).toFixed(2).padStart(6)} s  peak RSS ${rss(k).toFixed(0).padStart(4)} MB`);
const load = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a');
console.log(`\n  load average after the runs: ${load()} (wall-time ratios need an idle machine; CPU time is the steadier figure)`);
row(`analyze text${THREADS ? ` --threads ${THREADS}` : ''}`, 'text');
row('analyze gzip', 'gzip');
row('analyze Parquet (embedded DuckDB)', 'parquet');
if (mawk) {
  row("mawk '{s+=$4}' on the text", 'mawk');
  row("gzip -dc | mawk '{s+=$4}' on the gzip", 'zcatMawk');
} else {
  console.log('  mawk: anchor missing (mawk is not installed; apt-get install -y mawk), no text/gzip ratio');
}
row('DuckDB: zonal\'s inter-zone query, same Parquet', 'duckdb');
console.log('');
if (mawk) {
  const textRatio = sec('mawk') / sec('text');
  const gzipRatio = sec('mawk') / sec('gzip');
  const gzipPipeRatio = sec('zcatMawk') / sec('gzip');
  console.log(`  text vs mawk: ${textRatio.toFixed(2)}x (goal >= 1.8x: ${verdict(textRatio >= 1.8)}); CPU time mawk/analyzer ${(cpu('mawk') / cpu('text')).toFixed(2)}x`);
  console.log(`  gzip vs mawk on the text: ${gzipRatio.toFixed(2)}x (goal >= 1.8x: ${verdict(gzipRatio >= 1.8)}); vs gzip -dc | mawk: ${gzipPipeRatio.toFixed(2)}x`);
}
const parquetRatio = sec('parquet') / sec('duckdb');
console.log(`  Parquet vs DuckDB's own query: ${parquetRatio.toFixed(2)}x its time (goal <= 1.2x: ${verdict(parquetRatio <= 1.2)}); CPU time ${(cpu('parquet') / cpu('duckdb')).toFixed(2)}x`);
const peak = Math.max(rss('text'), rss('gzip'), rss('parquet'));
console.log(`  analyzer peak RSS ${peak.toFixed(0)} MB (goal < ${RSS_LIMIT_MB} MB: ${verdict(peak < RSS_LIMIT_MB)})`);
console.log('  results checked against the ground truth');
if (wrong) process.exit(1);
