/**
 * THE inter-zone query: one definition (which records count, how a record's zones are found,
 * what is summed and in which unit), rendered for Athena (Trino SQL over the Parquet table),
 * DuckDB (the same Parquet files on a laptop) and CloudWatch Logs Insights (queries.ts).
 *
 * The definition states the analyzer's attribution rules:
 * - only `log_status = 'OK'` egress records count, so each flow counts once, at its source ENI;
 * - a record's source address is `pkt_srcaddr` (the pod, VPC CNI), `srcaddr` when that is missing
 *   (`-` or NULL); the destination likewise;
 * - the source zone is the zone of the logging ENI's `az_id` when the zone declares its AZ id,
 *   else the first zone whose CIDRs hold the source address; the destination zone is the first
 *   zone whose CIDRs hold the destination address;
 * - a record with an end in no zone is unattributed: its row has a NULL zone (it counts in the
 *   total, as in the analyzer's `bytes.total`, and in no zone pair);
 * - with a day range (`--since/--until`), a record counts when its `start` falls in those days (a
 *   record without `start` is kept); Athena also prunes partitions, with a day of slack after the
 *   range for records filed late;
 * - AWS bills GB of 2^30 bytes.
 */
import { ValueError } from '../errors.js';
import type { FlowLogField } from './fields.js';
import { FLOW_LOG_FIELDS } from './fields.js';
import { PRICING } from './pricing.js';
import { parseCidr } from './addresses.js';
import { ipv4Expr, ipv6HexBounds, ipv6HexExpr, sqlIdent, sqlString } from './duckdb-sql.js';
import { dayStart, type StartRange } from './inputs.js';

export interface DefinitionZone {
  readonly name: string;
  readonly azId?: string;
  /** CIDRs, normalised: IPv4 `a.b.c.d/n`, IPv6 in lower case (`2600:1f14:abc:a100::/64`). */
  readonly cidrs: readonly string[];
}

export interface ZoneQueryDefinition {
  readonly zones: readonly DefinitionZone[];
  /** Equality filters every rendering applies, ANDed. */
  readonly where: ReadonlyArray<{ readonly column: string; readonly equals: string }>;
  /** Address columns: the first that is present and not missing wins. */
  readonly source: readonly string[];
  readonly destination: readonly string[];
  readonly bytesColumn: string;
  /** The record's start time (Unix seconds), which a day range filters on; absent from some formats. */
  readonly startColumn?: string;
  readonly bytesPerGb: number;
  readonly usdPerGb: number;
  /** Only rows between two different zones. */
  readonly crossZoneOnly: boolean;
  /** Every column the query reads. */
  readonly columns: readonly string[];
}

export interface ZoneQueryZone {
  readonly name: string;
  readonly id?: string;
  readonly cidrs: readonly string[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `10.0.0.7` -> `10.0.0.7/32`; validates so that nothing but an address reaches a query string. */
export function toCidr(address: string): string {
  const [ip, bits, extra] = address.split('/');
  if (extra !== undefined || !ip || !IPV4.test(ip) || (bits !== undefined && !/^(\d|[12]\d|3[0-2])$/.test(bits))) {
    throw new ValueError(`"${address}" is not an IPv4 address or CIDR`);
  }
  return `${ip}/${bits ?? '32'}`;
}

/**
 * A zone's subnet as the queries take it (IPv4 or IPv6, as `aws ec2 describe-subnets` lists a
 * dual-stack subnet), validated so that nothing but a CIDR reaches a query string.
 */
export function toZoneCidr(text: string): string {
  if (!text.includes(':')) return toCidr(text);
  const c = /^[0-9A-Fa-f:]{2,39}\/\d{1,3}$/.test(text) ? parseCidr(text) : undefined;
  if (!c || c.family !== 6) throw new ValueError(`"${text}" is not an IPv4 or IPv6 CIDR`);
  return text.toLowerCase();
}

/** The zones attribution can use (those with CIDRs), validated so names and ids are safe in any query. */
export function definitionZones(zones: readonly ZoneQueryZone[]): DefinitionZone[] {
  for (const z of zones) {
    if (z.id !== undefined && !/^[a-z]{3,5}\d-az\d+$/.test(z.id)) throw new ValueError(`zone ${z.name}: "${z.id}" is not an AZ id like usw2-az1`);
    if (!/^[a-z0-9-]+$/.test(z.name)) throw new ValueError(`"${z.name}" is not a zone name like us-west-2a`);
  }
  const usable = zones.filter((z) => z.cidrs.length > 0);
  if (usable.length === 0) throw new ValueError('zone attribution needs subnet CIDRs: set cluster.zones[].cidrs in the values file');
  return usable.map((z) => ({ name: z.name, ...(z.id ? { azId: z.id } : {}), cidrs: z.cidrs.map(toZoneCidr) }));
}

/** Which records count: the filters every rendering applies. */
export const ZONE_QUERY_WHERE: ZoneQueryDefinition['where'] = [
  { column: 'log_status', equals: 'OK' },
  { column: 'flow_direction', equals: 'egress' },
];

export interface DefinitionOptions {
  readonly fields?: readonly FlowLogField[];
  readonly usdPerGb?: number;
  readonly crossZoneOnly?: boolean;
}

/** The inter-zone query for these zones and this log format (refuses a format lacking a needed field). */
export function zoneQueryDefinition(zones: readonly ZoneQueryZone[], o: DefinitionOptions = {}): ZoneQueryDefinition {
  const have = new Set((o.fields ?? FLOW_LOG_FIELDS).map((f) => f.column));
  const needed = ['log_status', 'bytes', 'flow_direction', 'pkt_srcaddr', 'pkt_dstaddr', 'az_id'];
  const missing = needed.filter((c) => !have.has(c));
  if (missing.length) {
    throw new ValueError(`the zone query needs the flow-log fields ${missing.map((c) => c.replace(/_/g, '-')).join(', ')}, which the log format lacks`);
  }
  const usdPerGb = o.usdPerGb ?? PRICING.usdPerCrossZoneGb;
  if (!(usdPerGb >= 0) || !Number.isFinite(usdPerGb)) throw new ValueError('price per GB must be a number >= 0');
  const source = ['pkt_srcaddr', ...(have.has('srcaddr') ? ['srcaddr'] : [])];
  const destination = ['pkt_dstaddr', ...(have.has('dstaddr') ? ['dstaddr'] : [])];
  return {
    zones: definitionZones(zones),
    where: ZONE_QUERY_WHERE,
    source,
    destination,
    bytesColumn: 'bytes',
    ...(have.has('start') ? { startColumn: 'start' } : {}),
    bytesPerGb: PRICING.bytesPerGb,
    usdPerGb,
    crossZoneOnly: o.crossZoneOnly ?? false,
    columns: [...new Set(['log_status', 'flow_direction', 'bytes', 'az_id', ...source, ...destination])],
  };
}

/** The SQL both dialects share, with dialect hooks for what differs (CIDR match, quoting, source). */
interface Dialect {
  readonly ident: (name: string) => string;
  /** The select list preparing the address text `a` for inCidr (an IPADDRESS; numbers), as `ip`... */
  readonly address: (a: string) => string;
  /** Boolean: the address prepared as `ip`... is inside `cidr` (IPv4 or IPv6). */
  readonly inCidr: (cidr: string) => string;
  readonly from: string;
  /** Dialect-only filters (Athena's partition pruning), after the definition's. */
  readonly range: readonly string[];
  /** How `flows` is declared: DuckDB would otherwise materialize it (every record, in memory). */
  readonly flowsCte: string;
}

/**
 * The SQL of both dialects. Each distinct address is matched against the zones once (an
 * `addresses` table), then joined to the records: pod addresses repeat in millions of records,
 * so this is far cheaper than matching every record's two addresses.
 */
function renderSql(def: ZoneQueryDefinition, d: Dialect, startRange?: StartRange): string {
  const q = d.ident;
  // the analyzer's rule: records whose start is in [from, to), and records without a start
  const start = startRange && def.startColumn
    ? [`(${q(def.startColumn)} IS NULL OR (${q(def.startColumn)} >= ${Math.floor(startRange.from)} AND ${q(def.startColumn)} < ${Math.floor(startRange.to)}))`]
    : [];
  const address = (cols: readonly string[]) => cols.length === 1
    ? `NULLIF(${q(cols[0]!)}, '-')`
    : `COALESCE(${cols.map((c) => `NULLIF(${q(c)}, '-')`).join(', ')})`;
  const zoneOf = `CASE ${def.zones.map((z) => `WHEN ${z.cidrs.map((c) => d.inCidr(c)).join(' OR ')} THEN ${sqlString(z.name)}`).join(' ')} END`;
  const byId = def.zones.filter((z) => z.azId);
  const from = byId.length
    ? `COALESCE(CASE f.az_id ${byId.map((z) => `WHEN ${sqlString(z.azId!)} THEN ${sqlString(z.name)}`).join(' ')} END, s.zone)`
    : 's.zone';
  return [
    '-- zonal: bytes between availability zones, each flow counted once (egress records),',
    '-- a NULL zone is an end outside every zone\'s subnets (unattributed bytes)',
    `WITH ${d.flowsCte} (`,
    `  SELECT ${q('az_id')} AS az_id, ${q(def.bytesColumn)} AS bytes, ${address(def.source)} AS src_text, ${address(def.destination)} AS dst_text`,
    `  FROM ${d.from}`,
    `  WHERE ${def.where.map((w) => `${q(w.column)} = ${sqlString(w.equals)}`).join(' AND ')}`,
    ...[...start, ...d.range].map((r) => `    AND ${r}`),
    '), addresses AS (',
    `  SELECT a, ${d.address('a')} FROM (SELECT src_text AS a FROM flows UNION SELECT dst_text AS a FROM flows) AS distinct_addresses`,
    '), zoned AS (',
    `  SELECT a, ${zoneOf} AS zone FROM addresses`,
    '), attributed AS (',
    `  SELECT ${from} AS from_zone, dz.zone AS to_zone, f.bytes AS bytes`,
    '  FROM flows AS f',
    '  LEFT JOIN zoned AS s ON s.a = f.src_text',
    '  LEFT JOIN zoned AS dz ON dz.a = f.dst_text',
    ')',
    'SELECT from_zone, to_zone, from_zone <> to_zone AS cross_zone, sum(bytes) AS bytes, count(*) AS flows,',
    `  round(CASE WHEN from_zone <> to_zone THEN sum(bytes) / ${def.bytesPerGb}.0 * ${def.usdPerGb} ELSE 0 END, 4) AS usd`,
    'FROM attributed',
    ...(def.crossZoneOnly ? ['WHERE from_zone <> to_zone'] : []),
    'GROUP BY from_zone, to_zone',
    'ORDER BY bytes DESC, from_zone, to_zone',
  ].join('\n');
}

function athenaName(kind: string, name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,254}$/.test(name)) throw new ValueError(`Athena ${kind} "${name}" must be lower-case letters, digits and _`);
  return name;
}

function day(label: string, value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ok = m && (() => {
    const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return t.getUTCFullYear() === Number(m[1]) && t.getUTCMonth() === Number(m[2]) - 1 && t.getUTCDate() === Number(m[3]);
  })();
  if (!ok) throw new ValueError(`${label} "${value}" must be a real date like 2025-01-31`);
  return value;
}

/**
 * The Athena (Trino) rendering over the partitioned table; `since`/`until` (days, inclusive) keep
 * the records starting in those days, as the analyzer does, and prune partitions by the
 * projection columns (up to a day after `until`: a record is filed after it starts).
 */
export function renderAthena(def: ZoneQueryDefinition, o: { database: string; table: string; since?: string; until?: string }): string {
  const since = o.since === undefined ? undefined : day('since', o.since);
  const until = o.until === undefined ? undefined : day('until', o.until);
  if (since && until && since > until) throw new ValueError(`since ${since} is after until ${until}`);
  const dayExpr = `concat("year", '-', "month", '-', "day")`;
  const afterUntil = until === undefined ? undefined : new Date((dayStart(until)! + DAY) * 1000).toISOString().slice(0, 10);
  const partitions = since && afterUntil ? [`${dayExpr} BETWEEN '${since}' AND '${afterUntil}'`]
    : since ? [`${dayExpr} >= '${since}'`]
    : afterUntil ? [`${dayExpr} <= '${afterUntil}'`] : [];
  const startRange = since === undefined && until === undefined ? undefined
    : { from: since === undefined ? 0 : dayStart(since)!, to: until === undefined ? Number.MAX_SAFE_INTEGER : dayStart(until)! + DAY };
  return renderSql(def, {
    ident: (n) => `"${athenaName('column', n)}"`,
    address: (a) => `TRY_CAST(${a} AS IPADDRESS) AS ip`,
    inCidr: (c) => `contains('${c}', ip)`,
    from: `"${athenaName('database', o.database)}"."${athenaName('table', o.table)}"`,
    range: partitions,
    flowsCte: 'flows AS',
  }, startRange);
}

const DAY = 86_400;

/** Where the DuckDB rendering reads: Parquet files (or globs) named by the user, quoted. */
export function duckdbSource(paths: readonly string[]): string {
  if (paths.length === 0) throw new ValueError('name the Parquet files to read');
  return `read_parquet([${paths.map(sqlString).join(', ')}], union_by_name = true)`;
}

/** Numeric bounds of an IPv4 CIDR. */
function cidrBounds(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const n = ip!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(n / size) * size;
  return [first, first + size - 1];
}

/**
 * The DuckDB rendering over local Parquet files: the same query, IPv4 addresses matched as numbers
 * and IPv6 ones as fixed-width hex (DuckDB's `inet` extension would need a download); `range`
 * keeps records starting in it.
 */
export function renderDuckDb(def: ZoneQueryDefinition, o: { source: string; range?: StartRange }): string {
  return renderSql(def, {
    ident: sqlIdent,
    address: (a) => `${ipv4Expr(a)} AS ip, ${ipv6HexExpr(a)} AS ip6`,
    inCidr: (c) => {
      const v6 = c.includes(':') ? parseCidr(c) : undefined;
      if (v6?.family === 6) {
        const [lo, hi] = ipv6HexBounds(v6.network, v6.prefix);
        return `ip6 BETWEEN '${lo}' AND '${hi}'`;
      }
      const [lo, hi] = cidrBounds(c);
      return `ip BETWEEN ${lo} AND ${hi}`;
    },
    from: o.source,
    flowsCte: 'flows AS NOT MATERIALIZED',
    range: [],
  }, o.range);
}
