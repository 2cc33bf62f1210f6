// `npm run bench:app`: autocannon against the zip-lookup service and against a bare Express hello
// world in the same run, each in its own process on loopback, and the ratio between the two.
// BENCH_DURATION (seconds per target, default 10) and BENCH_CONNECTIONS (default 50) tune it.
import autocannon, { type Result } from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // app/dist/bench
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_S = 3;
const TARGET_RATIO = 0.9;
const TARGET_P99_MS = 10;

interface Target {
  name: string;
  script: string;
  env: Record<string, string>;
}

const targets: Target[] = [
  { name: 'bare express', script: join(here, 'bare-express.js'), env: {} },
  {
    name: 'zip-lookup',
    script: join(here, '..', 'server.js'),
    // A fixed zone: the bench must never reach for a metadata service.
    env: { ZONE: 'us-west-2a', ZONE_ID: 'usw2-az1', AWS_EC2_METADATA_DISABLED: 'true', LOG_LEVEL: 'info' },
  },
];

/** Starts a server process and resolves with its port once it logs "listening". */
function start(target: Target): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [target.script], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...target.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as { msg?: string; port?: number };
        if (parsed.msg === 'listening' && parsed.port) resolve({ child, port: parsed.port });
      }
    });
    child.on('exit', (code) => reject(new Error(`${target.name} exited with ${code} before listening`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function measure(target: Target): Promise<Result> {
  const { child, port } = await start(target);
  try {
    const url = `http://127.0.0.1:${port}/`;
    process.stderr.write(`${target.name}: warm-up ${WARMUP_S} s, then ${duration} s at ${connections} connections...\n`);
    await autocannon({ url, connections, duration: WARMUP_S });
    return await autocannon({ url, connections, duration });
  } finally {
    await stop(child);
  }
}

const results: Result[] = [];
for (const target of targets) results.push(await measure(target));
const [bare, service] = results as [Result, Result];

const rows = targets.map((t, i) => {
  const r = results[i]!;
  return `${t.name.padEnd(14)} ${fmt(r.requests.average).padStart(9)} ${fmt(r.latency.p50).padStart(7)} ${fmt(r.latency.p99).padStart(7)} ` +
    `${fmt(r.latency.max).padStart(7)} ${String(r.errors + r.timeouts + r.non2xx).padStart(7)}`;
});
const ratio = service.requests.average / bare.requests.average;
const ratioOk = ratio >= TARGET_RATIO;
const p99Ok = service.latency.p99 < TARGET_P99_MS;
process.stdout.write(
  [
    '',
    `bench:app: ${connections} connections, ${duration} s per target, Node ${process.version}`,
    `${'target'.padEnd(14)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'errors'.padStart(7)}`,
    ...rows,
    '',
    `throughput ratio zip-lookup / bare express: ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x: ${ratioOk ? 'met' : 'MISSED'})`,
    `zip-lookup p99: ${fmt(service.latency.p99)} ms (target < ${TARGET_P99_MS} ms: ${p99Ok ? 'met' : 'MISSED'})`,
    '',
  ].join('\n'),
);
