/**
 * DuckDB SQL building blocks for flow logs in Parquet: quoting, the Parquet source, IPv4 parsing
 * and CIDR matching without extensions (the `inet` extension would need a download), and the
 * aggregation the analyzer runs over Parquet. Pure text builders; parquet.ts runs them.
 *
 * Addresses are matched against the same sorted, disjoint intervals the text scanner's
 * PrefixTable searches, so an address lands in the same zone (or service) in both paths.
 */
import type { PrefixTable } from './addresses.js';
import { MAX_RECORD_BYTES } from './record-bytes.js';

/** A SQL string literal: `'...'` with `'` doubled. NUL cannot be quoted, so it is refused. */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL character cannot appear in a query');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A quoted identifier (`"name"`, `"` doubled): column names never reach SQL bare. */
export function sqlIdent(name: string): string {
  if (name.includes('\0')) throw new Error('a NUL character cannot appear in a query');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `read_parquet([...])` over the given files, their columns matched by name across files. */
export function parquetSource(files: readonly string[]): string {
  if (files.length === 0) throw new Error('no Parquet files to read');
  return `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)`;
}

/**
 * The IPv4 address in the text expression `a` as a number, or NULL when it is not dotted-quad
 * IPv4 (four parts of 1-3 digits, each <= 255, like the scanner's parser).
 */
export function ipv4Expr(a: string): string {
  const part = (k: number) => `CAST(split_part(${a}, '.', ${k}) AS BIGINT)`;
  return `CASE WHEN regexp_full_match(${a}, '[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}')` +
    ` AND ${[1, 2, 3, 4].map((k) => `${part(k)} <= 255`).join(' AND ')}` +
    ` THEN ${part(1)} * 16777216 + ${part(2)} * 65536 + ${part(3)} * 256 + ${part(4)} END`;
}

/**
 * The IPv6 address in the text expression `a` as 32 lower-case hex digits (fixed width, so text
 * order is numeric order and a CIDR is a BETWEEN of two such strings), or NULL when it is not an
 * IPv6 address of eight hex groups, `::` standing for the missing ones. Embedded IPv4
 * (`::ffff:1.2.3.4`) is not read here; flow logs write IPv6 addresses in hex groups.
 */
export function ipv6HexExpr(a: string): string {
  const half = (k: number) => `CASE WHEN split_part(${a}, '::', ${k}) = '' THEN []::VARCHAR[] ELSE string_split(split_part(${a}, '::', ${k}), ':') END`;
  const groups = `CASE WHEN contains(${a}, '::') THEN list_concat(list_concat(${half(1)}, ` +
    `list_transform(range(8 - len(${half(1)}) - len(${half(2)})), x -> '0')), ${half(2)}) ELSE string_split(${a}, ':') END`;
  const hex = `list_transform(${groups}, g -> lpad(lower(g), 4, '0'))`;
  // hex digits and colons only, at most one `::`, every group 1-4 digits, eight groups in all
  return `CASE WHEN regexp_full_match(${a}, '[0-9A-Fa-f:]{2,39}') AND length(${a}) - length(replace(${a}, '::', '')) <= 2` +
    ` AND NOT contains(${a}, ':::')` +
    ` AND len(list_filter(${groups}, g -> length(g) = 0 OR length(g) > 4)) = 0 AND len(${groups}) = 8` +
    ` THEN array_to_string(${hex}, '') END`;
}

/** An IPv6 network (a bigint) and prefix length as the `[first, last]` pair of ipv6HexExpr strings. */
export function ipv6HexBounds(network: bigint, prefix: number): [string, string] {
  const last = network | ((1n << BigInt(128 - prefix)) - 1n);
  return [network.toString(16).padStart(32, '0'), last.toString(16).padStart(32, '0')];
}

/**
 * The value of the interval holding IPv4 number `ip` (an expression), `otherwise` outside every
 * interval; `label` maps a table value to the SQL result (a zone name literal, an index).
 */
export function intervalCase(ip: string, table: PrefixTable, label: (value: number) => string, otherwise: string): string {
  const when = table.intervals4.map((r) => r.first === r.last
    ? `WHEN ${ip} = ${r.first} THEN ${label(r.value)}`
    : `WHEN ${ip} BETWEEN ${r.first} AND ${r.last} THEN ${label(r.value)}`);
  return when.length === 0 ? otherwise : `CASE ${when.join(' ')} ELSE ${otherwise} END`;
}

/** The columns the Parquet aggregation reads, by role; a column the files lack is NULL. */
export interface ParquetColumns {
  readonly has: (column: string) => boolean;
}

function col(c: ParquetColumns, name: string, type: string): string {
  return c.has(name) ? sqlIdent(name) : `CAST(NULL AS ${type})`;
}

/** An address column: NULL for AWS's `-` (text exports of Parquet data may keep it). */
function addressCol(c: ParquetColumns, name: string): string {
  return c.has(name) ? `NULLIF(${sqlIdent(name)}, '-')` : 'CAST(NULL AS VARCHAR)';
}

export interface AggregationOptions {
  readonly source: string;
  readonly columns: ParquetColumns;
  readonly zones: PrefixTable;
  /** az-id -> zone index. */
  readonly azIds: ReadonlyArray<{ readonly id: string; readonly zone: number }>;
  readonly services?: PrefixTable;
  /** Records whose `start` is outside [from, to) (Unix seconds) are left out; no start: kept. */
  readonly startRange?: { readonly from: number; readonly to: number };
}

/**
 * The analyzer's aggregation over Parquet: one row per (direction class, source zone, destination
 * zone, zone of az-id, services) with counts, byte sums and the time window. Zones and services
 * are matched in SQL for IPv4; an address that is not IPv4 comes back as text (`s_text`/`d_text`)
 * for the caller to attribute (IPv6) or reject, exactly as the text scanner does.
 */
export function aggregationQuery(o: AggregationOptions): string {
  const c = o.columns;
  const bytes = col(c, 'bytes', 'BIGINT');
  const start = col(c, 'start', 'BIGINT');
  const end = col(c, 'end', 'BIGINT');
  const dir = c.has('flow_direction') ? `NULLIF(substr(${sqlIdent('flow_direction')}, 1, 1), '-')` : 'CAST(NULL AS VARCHAR)';
  // zones without AZ ids (a --subnets file without azIds): the logging ENI's az-id says nothing
  const az = c.has('az_id') && o.azIds.length > 0
    ? `CASE ${sqlIdent('az_id')} ${o.azIds.map((a) => `WHEN ${sqlString(a.id)} THEN ${a.zone}`).join(' ')} ELSE -1 END`
    : '-1';
  const where = o.startRange
    ? `WHERE ${start} IS NULL OR (${start} >= ${Math.floor(o.startRange.from)} AND ${start} < ${Math.floor(o.startRange.to)})`
    : '';
  const counted = `f.b > 0 AND f.b <= ${MAX_RECORD_BYTES}`;
  const index = (v: number) => String(v);
  const services = o.services;
  return [
    // not materialized: `flows` is read three times, and holding every record in memory would cost
    // more than reading the Parquet columns again
    'WITH flows AS NOT MATERIALIZED (',
    `  SELECT ${dir} AS dir, ${bytes} AS b, ${start} AS t0, ${end} AS t1, ${az} AS az,`,
    `    COALESCE(${addressCol(c, 'pkt_srcaddr')}, ${addressCol(c, 'srcaddr')}) AS s,`,
    `    COALESCE(${addressCol(c, 'pkt_dstaddr')}, ${addressCol(c, 'dstaddr')}) AS d`,
    `  FROM ${o.source}`,
    where ? `  ${where}` : '',
    // ingress records are only counted (the sender's egress record carries the flow): the
    // address work below is for the others
    '), counted AS NOT MATERIALIZED (',
    "  SELECT * FROM flows WHERE dir IS DISTINCT FROM 'i'",
    // each distinct address is matched once, then joined to the records
    '), addresses AS (',
    `  SELECT a, ${ipv4Expr('a')} AS ip FROM (SELECT s AS a FROM counted UNION SELECT d AS a FROM counted) AS distinct_addresses`,
    '), zoned AS (',
    '  SELECT a, ip IS NULL AS not_ipv4,',
    `    CASE WHEN ip IS NULL THEN -1 ELSE ${intervalCase('ip', o.zones, index, '-1')} END AS zone,`,
    `    ${services ? `CASE WHEN ip IS NULL THEN -1 ELSE ${intervalCase('ip', services, index, '-1')} END` : '-1'} AS service`,
    '  FROM addresses',
    ')',
    'SELECT f.dir AS dir, f.az AS az,',
    '  COALESCE(sa.zone, -1) AS sz, COALESCE(da.zone, -1) AS dz, COALESCE(sa.service, -1) AS sv, COALESCE(da.service, -1) AS dv,',
    '  CASE WHEN sa.not_ipv4 THEN f.s END AS s_text,',
    '  CASE WHEN da.not_ipv4 THEN f.d END AS d_text,',
    '  count(*) AS n,',
    `  count(*) FILTER (WHERE f.b < 0 OR f.b > ${MAX_RECORD_BYTES}) AS bad_bytes,`,
    `  sum(f.b) FILTER (WHERE ${counted}) AS bytes,`,
    `  min(f.t0) FILTER (WHERE ${counted} AND f.t0 >= 0 AND f.t1 >= 0) AS w0,`,
    `  max(f.t1) FILTER (WHERE ${counted} AND f.t0 >= 0 AND f.t1 >= 0) AS w1`,
    'FROM counted AS f',
    'LEFT JOIN zoned AS sa ON sa.a = f.s',
    'LEFT JOIN zoned AS da ON da.a = f.d',
    'GROUP BY ALL',
    'UNION ALL',
    "SELECT 'i', -1, -1, -1, -1, -1, NULL, NULL, count(*), 0, NULL, NULL, NULL FROM flows WHERE dir = 'i'",
  ].filter((l) => l !== '').join('\n');
}
