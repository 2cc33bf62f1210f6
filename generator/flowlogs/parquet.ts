/**
 * Parquet flow logs (what an S3 destination with `--log-file-format parquet` writes), analyzed in
 * the embedded DuckDB engine: DuckDB scans and groups (aggregationQuery), and each group is
 * counted into the same Tally with the same rules as a text record, so a log gives the same
 * summary whether it is read as text, gzip or Parquet.
 */
import { InputError } from '../errors.js';
import { parseIPv6 } from './addresses.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregationQuery, parquetSource, sqlString } from './duckdb-sql.js';
import { MAX_RECORD_BYTES } from './record-bytes.js';
import type { ServiceMap } from './services.js';
import { MAX_EXACT_BYTES, type Tally } from './tally.js';
import type { ZoneIndex } from './zone-index.js';

/** Parquet's magic bytes, at the start (and end) of every Parquet file. */
export const PARQUET_MAGIC = Buffer.from('PAR1', 'latin1');

export function isParquet(head: Uint8Array): boolean {
  return head.length >= 4 && Buffer.from(head.buffer, head.byteOffset, 4).equals(PARQUET_MAGIC);
}

type Row = Record<string, unknown>;

/** A session of the embedded engine: run queries, get their rows. */
export type DuckDbSession = (sql: string) => Promise<Row[]>;

/**
 * DuckDB's memory budget. Flow-log aggregations hold little (a few groups, the distinct
 * addresses); without a limit DuckDB caches Parquet data up to 80% of RAM. With it, a whole run
 * (Node and the engine) stays under 300 MB; anything bigger spills to a private temp folder.
 */
export const DUCKDB_MEMORY_LIMIT = '128MB';

/** Opens a fresh in-memory DuckDB for the callback's queries and closes it after. */
export async function withDuckDb<T>(use: (query: DuckDbSession) => Promise<T>): Promise<T> {
  // loaded on first use: the native engine costs start-up time that text-only runs do not pay
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // spill files go to a folder of our own (DuckDB's default is `.tmp` in the working directory)
  const spill = mkdtempSync(join(tmpdir(), 'zonal-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET memory_limit = ${sqlString(DUCKDB_MEMORY_LIMIT)}; SET temp_directory = ${sqlString(spill)}`);
    return await use(async (sql) => (await connection.runAndReadAll(sql)).getRowObjects() as Row[]);
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  }
}

/** Runs statements in a fresh in-memory DuckDB; returns the last statement's rows. */
export function runDuckDb(sql: string): Promise<Row[]> {
  return withDuckDb((query) => query(sql));
}

/**
 * Runs a query over the user's files; DuckDB's complaints about them (missing, not Parquet, a
 * column the files lack) are bad input, one line naming `command`; anything else is a bug.
 */
export async function runDuckDbOnUserFiles(command: string, sql: string, session?: DuckDbSession): Promise<Row[]> {
  try {
    return await (session ? session(sql) : runDuckDb(sql));
  } catch (err) {
    const message = (err as Error)?.message ?? '';
    if (/^(IO|Invalid Input|Binder|Conversion) Error/.test(message)) {
      throw new InputError([`zonal ${command}: DuckDB cannot read the Parquet input: ${message.split('\n')[0]} (check the paths, and that the files are flow logs in Parquet)`]);
    }
    throw err;
  }
}

/** The column names (lower case) of a set of Parquet files, their union. */
async function columnsOf(command: string, files: readonly string[], session: DuckDbSession): Promise<Set<string>> {
  const rows = await runDuckDbOnUserFiles(command, `DESCRIBE SELECT * FROM ${parquetSource(files)}`, session);
  return new Set(rows.map((r) => String(r.column_name).toLowerCase()));
}

function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'bigint' ? Number(v) : Number(v);
}

export interface ParquetAnalysis {
  readonly zones: ZoneIndex;
  readonly tally: Tally;
  readonly services?: ServiceMap;
  /** Records whose start is outside [from, to) are not read. */
  readonly startRange?: { readonly from: number; readonly to: number };
  /** A group whose records are malformed: counted as skipped, reported once. */
  readonly onSkipped?: (count: number, reason: string) => void;
  /** The command named in input errors. @default 'flowlogs analyze' */
  readonly command?: string;
}

/** Zone of an address DuckDB could not read as IPv4: IPv6 by the zone table, or not an address. */
function zoneOfText(zones: ZoneIndex, text: unknown): number | undefined {
  if (text === null || text === undefined) return -1;
  const v6 = String(text).includes(':') ? parseIPv6(String(text)) : undefined;
  return v6 === undefined ? undefined : zones.table.lookup6(v6);
}

/** Reads Parquet files into the tally (one DuckDB query for all of them). */
export async function analyzeParquetFiles(files: readonly string[], o: ParquetAnalysis): Promise<void> {
  if (files.length === 0) return;
  await withDuckDb((session) => analyzeIn(session, files, o));
}

async function analyzeIn(session: DuckDbSession, files: readonly string[], o: ParquetAnalysis): Promise<void> {
  const command = o.command ?? 'flowlogs analyze';
  const columns = await columnsOf(command, files, session);
  const sql = aggregationQuery({
    source: parquetSource(files),
    columns: { has: (c) => columns.has(c) },
    zones: o.zones.table,
    azIds: o.zones.azIds.map((a) => ({ id: Buffer.from(a.bytes).toString('latin1'), zone: a.zone })),
    ...(o.services ? { services: o.services.table } : {}),
    ...(o.startRange ? { startRange: o.startRange } : {}),
  });
  const tally = o.tally;
  const skip = (n: number, reason: string) => {
    if (n <= 0) return;
    tally.skipped += n;
    o.onSkipped?.(n, reason);
  };
  for (const row of await runDuckDbOnUserFiles(command, sql, session)) {
    const n = num(row.n);
    const dir = row.dir as string | null;
    if (dir === 'i') {
      tally.records += n;
      tally.ingress += n;
      continue;
    }
    if (dir !== null && dir !== 'e') {
      skip(n, 'flow-direction is neither ingress nor egress');
      continue;
    }
    const badBytes = num(row.bad_bytes);
    skip(badBytes, `bytes is negative or exceeds ${MAX_RECORD_BYTES}`);
    const ok = n - badBytes;
    let srcZone = num(row.sz);
    let dstZone = num(row.dz);
    let fromService = num(row.sv);
    let toService = num(row.dv);
    if (row.s_text !== null) {
      const z = zoneOfText(o.zones, row.s_text);
      if (z === undefined) { skip(ok, 'address is not an IP address'); continue; }
      srcZone = z;
      if (o.services) fromService = o.services.table.lookupText(String(row.s_text));
    }
    if (row.d_text !== null) {
      const z = zoneOfText(o.zones, row.d_text);
      if (z === undefined) { skip(ok, 'address is not an IP address'); continue; }
      dstZone = z;
      if (o.services) toService = o.services.table.lookupText(String(row.d_text));
    }
    const bytes = row.bytes === null ? 0n : BigInt(row.bytes as bigint);
    if (bytes > BigInt(MAX_EXACT_BYTES)) {
      throw new InputError([`zonal flowlogs: the logs hold more than ${MAX_EXACT_BYTES} bytes (4 PiB), more than zonal totals exactly (analyze fewer files at a time)`]);
    }
    let bytes2: number;
    if (dir === 'e') {
      const az = num(row.az);
      if (az >= 0) srcZone = az;
      tally.egress += ok;
      bytes2 = 2 * Number(bytes);
    } else {
      tally.undirected += ok;
      bytes2 = srcZone >= 0 && dstZone >= 0 ? Number(bytes) : 2 * Number(bytes);
    }
    tally.records += ok;
    if (bytes <= 0n) continue;
    tally.add(srcZone, dstZone, bytes2);
    if (row.w0 !== null && row.w1 !== null) tally.window(num(row.w0), num(row.w1));
    if (o.services) tally.addService(fromService, toService, bytes2, srcZone >= 0 && dstZone >= 0 && srcZone !== dstZone, srcZone);
  }
}
