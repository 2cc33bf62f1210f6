/**
 * A larger synthetic data set with ground truth computed from the flows themselves (not from any
 * analyzer), and writers for every input kind: text, gzip (several members) and Parquet (AWS's
 * column names and types, small row groups, several files, S3 partitions).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { FLOW_LOG_FIELDS, type FlowLogField } from '../../generator/flowlogs/fields.js';
import { OUTSIDE, POD, recordsOf, render, ZONAL_NAMES, ZONES, type Flow, type Values } from './helpers.js';

const ZONE_OF: Readonly<Record<string, string>> = {
  [POD.a1]: 'us-west-2a', [POD.a2]: 'us-west-2a', [POD.b1]: 'us-west-2b', [POD.b2]: 'us-west-2b', [POD.c1]: 'us-west-2c',
};

/** 2025-03-01 00:00 UTC: the data set spans three days from here. */
export const T0 = Date.UTC(2025, 2, 1) / 1000;

/** Deterministic flows (xorshift), across zones, within zones and to/from outside the VPC. */
export function syntheticFlows(count: number, seed = 0x1234567): Flow[] {
  let x = seed;
  const rand = (n: number) => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) % n;
  };
  const ends = [...Object.values(POD), OUTSIDE];
  const flows: Flow[] = [];
  while (flows.length < count) {
    const src = ends[rand(ends.length)]!;
    const dst = ends[rand(ends.length)]!;
    if (src === OUTSIDE && dst === OUTSIDE) continue;
    // three days, two busy hours a day: six hourly partitions
    const start = T0 + rand(3) * 86_400 + [1, 13][rand(2)]! * 3600 + rand(3000);
    flows.push({ src, dst, bytes: 40 + rand(5_000_000), start, end: start + 60 + rand(500) });
  }
  return flows;
}

export interface Truth {
  readonly records: number;
  readonly bytes: { total: number; crossZone: number; sameZone: number; unattributed: number };
  readonly byZonePair: Array<{ from: string; to: string; bytes: number }>;
  readonly counting: { egress: number; ingress: number; undirected: number };
  readonly window: { start: number; end: number } | null;
}

/**
 * What the analyzer must report, from the flows: each flow leaving a VPC ENI counts once (its
 * egress record); its zones are those of its pods; outside ends are unattributed.
 */
export function truthOf(flows: readonly Flow[], range?: { from: number; to: number }): Truth {
  const pairs = new Map<string, number>();
  let total = 0;
  let cross = 0;
  let same = 0;
  let unattributed = 0;
  let egress = 0;
  let ingress = 0;
  let start = Infinity;
  let end = -Infinity;
  for (const f of flows) {
    if (range && (f.start < range.from || f.start >= range.to)) continue;
    const from = ZONE_OF[f.src];
    const to = ZONE_OF[f.dst];
    if (from) egress++;
    if (to) ingress++;
    if (!from) continue; // only logged as ingress: not counted
    total += f.bytes;
    start = Math.min(start, f.start);
    end = Math.max(end, f.end);
    if (!to) {
      unattributed += f.bytes;
      continue;
    }
    if (from === to) same += f.bytes;
    else cross += f.bytes;
    pairs.set(`${from} ${to}`, (pairs.get(`${from} ${to}`) ?? 0) + f.bytes);
  }
  const byZonePair = [...pairs].map(([k, bytes]) => ({ from: k.split(' ')[0]!, to: k.split(' ')[1]!, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return {
    records: egress + ingress,
    bytes: { total, crossZone: cross, sameZone: same, unattributed },
    byZonePair,
    counting: { egress, ingress, undirected: 0 },
    window: start <= end ? { start, end } : null,
  };
}

/** Text lines (with the S3 header line) of the flows' records. */
export function textLines(flows: readonly Flow[]): string[] {
  return [ZONAL_NAMES.join(' '), ...render(flows.flatMap(recordsOf), ZONAL_NAMES)];
}

/** Gzip of the lines in `members` concatenated members (as AWS and `cat a.gz b.gz` write). */
export function gzipMembers(lines: readonly string[], members: number): Buffer {
  const per = Math.ceil(lines.length / members);
  const parts: Buffer[] = [];
  for (let i = 0; i < lines.length; i += per) parts.push(gzipSync(lines.slice(i, i + per).map((l) => `${l}\n`).join('')));
  return Buffer.concat(parts);
}

/** DuckDB types of AWS's Parquet flow logs: int32, int64, UTF-8 string. */
const DUCKDB_TYPE: Readonly<Record<FlowLogField['type'], string>> = { int: 'INTEGER', bigint: 'BIGINT', string: 'VARCHAR' };

function literal(f: FlowLogField, v: string | undefined): string {
  if (v === undefined || v === '-') return 'NULL'; // Parquet flow logs have no value, not "-"
  return f.type === 'string' ? `'${v.replace(/'/g, "''")}'` : String(Number(v));
}

/** Writes records as one Parquet file with AWS's columns (underscore names) and small row groups. */
export async function writeParquet(path: string, records: readonly Values[], rowGroupSize = 16): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const cols = FLOW_LOG_FIELDS.map((f) => `"${f.column}" ${DUCKDB_TYPE[f.type]}`).join(', ');
    await c.run(`CREATE TABLE t (${cols})`);
    for (let i = 0; i < records.length; i += 500) {
      const rows = records.slice(i, i + 500).map((r) => `(${FLOW_LOG_FIELDS.map((f) => literal(f, r[f.name])).join(', ')})`);
      await c.run(`INSERT INTO t VALUES ${rows.join(', ')}`);
    }
    await c.run(`COPY t TO '${path.replace(/'/g, "''")}' (FORMAT parquet, ROW_GROUP_SIZE ${rowGroupSize})`);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/**
 * The folders of one hourly S3 partition under `AWSLogs/`, as `aws s3 sync` brings them down:
 * - `hive`: Hive-compatible prefixes (`--destination-options HiveCompatiblePartitions=true`);
 * - `plain`: AWS's default (`<account>/vpcflowlogs/<region>/YYYY/MM/DD/HH`);
 * - `mixed`: plain prefixes with Hive date folders (`<account>/vpcflowlogs/<region>/year=/month=/day=/hour=`).
 */
export type S3Layout = 'hive' | 'plain' | 'mixed';

export function partitionDir(root: string, hour: number, layout: S3Layout = 'hive'): string {
  const d = new Date(hour * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const [y, m, day, h] = [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours())];
  if (layout === 'plain') return join(root, 'AWSLogs', '111122223333', 'vpcflowlogs', 'us-west-2', y, m, day, h);
  const dates = [`year=${y}`, `month=${m}`, `day=${day}`, `hour=${h}`];
  if (layout === 'mixed') return join(root, 'AWSLogs', '111122223333', 'vpcflowlogs', 'us-west-2', ...dates);
  return join(root, 'AWSLogs', 'aws-account-id=111122223333', 'aws-service=vpcflowlogs', 'aws-region=us-west-2', ...dates);
}

/**
 * Writes the flows' records into the S3 layout `aws s3 sync` brings down (partitions by hour of
 * the record's start), `filesPerHour` files per partition.
 */
export async function writeParquetTree(root: string, flows: readonly Flow[], filesPerHour = 2, layout: S3Layout = 'hive'): Promise<string[]> {
  const byHour = new Map<number, Values[]>();
  for (const r of flows.flatMap(recordsOf)) {
    const hour = Math.floor(Number(r.start) / 3600) * 3600;
    byHour.set(hour, [...(byHour.get(hour) ?? []), r]);
  }
  const files: string[] = [];
  for (const [hour, records] of [...byHour].sort((a, b) => a[0] - b[0])) {
    const d = new Date(hour * 1000);
    const dir = partitionDir(root, hour, layout);
    const per = Math.ceil(records.length / filesPerHour);
    for (let k = 0; k * per < records.length; k++) {
      const file = join(dir, `111122223333_vpcflowlogs_us-west-2_fl-0123_${d.toISOString().replace(/[-:]/g, '').slice(0, 13)}_${k}.log.parquet`);
      await writeParquet(file, records.slice(k * per, (k + 1) * per), 8);
      files.push(file);
    }
  }
  return files;
}

export function writeFile(path: string, data: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

export { ZONES };
