/**
 * Logs Insights and Athena queries over VPC flow logs, built from THE field list (fields.ts) so the
 * column order they parse is the order `--log-format` writes. Used by the CloudWatch dashboard
 * (`zonal infra dashboard`), `zonal infra athena` and `zonal flowlogs query`.
 *
 * Attribution rules (the same as the flow-log analyzer's):
 * - A flow between two ENIs of the VPC is logged twice; only `egress` records count, so each flow
 *   counts once, at its source ENI.
 * - The source zone of an egress record is the AZ of the ENI that logged it (`az-id`) when the
 *   zone's AZ id is declared, else the zone whose subnet CIDRs hold `pkt-srcaddr`.
 * - The destination zone is the zone whose subnet CIDRs hold `pkt-dstaddr` (the pod IP, VPC CNI).
 */
import type { Zone } from '../model/types.js';
import { FLOW_LOG_FIELDS, type FlowLogField } from './fields.js';
import { PRICING } from './pricing.js';
import { definitionZones, renderAthena, toCidr, toZoneCidr, ZONE_QUERY_WHERE, zoneQueryDefinition, type ZoneQueryDefinition } from './zone-query.js';
import { ValueError } from '../errors.js';

/** What attribution needs to know about a zone (the values file's `cluster.zones[]`). */
export type QueryZone = Pick<Zone, 'name' | 'id' | 'cidrs'>;

/** A service's pods by IP or CIDR, for per-service widgets. */
export interface ServiceAddresses {
  readonly name: string;
  /** IPv4 addresses or CIDRs (`10.0.1.7` or `10.0.1.0/24`). */
  readonly addresses: readonly string[];
}

export interface QueryOptions {
  /** The log format the records were written with; default zonal's FLOW_LOG_FIELDS. */
  readonly fields?: readonly FlowLogField[];
}

export interface InsightsOptions extends QueryOptions {
  /** Time bucket of time-series queries, e.g. `5m`, `1h`. Default `5m`. */
  readonly bin?: string;
}

/** USD per GB that crosses zones (billed on both sides), from THE price list via pricing.ts. */
export const CROSS_AZ_USD_PER_GB = PRICING.usdPerCrossZoneGb;

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/** `10.0.0.7` -> `10.0.0.7/32` (validating): one definition, in zone-query.ts. */
export { toCidr };

function columnsOf(fields: readonly FlowLogField[]): string[] {
  return fields.map((f) => f.column);
}

function requireColumns(fields: readonly FlowLogField[], needed: readonly string[], what: string): void {
  const have = new Set(columnsOf(fields));
  const missing = needed.filter((c) => !have.has(c));
  if (missing.length) {
    throw new ValueError(`${what} needs the flow-log fields ${missing.map((c) => c.replace(/_/g, '-')).join(', ')}, which the log format lacks`);
  }
}

/** The zones with CIDRs, validated by the one definition (zone-query.ts). */
function attributable(zones: readonly QueryZone[]): QueryZone[] {
  return definitionZones(zones).map((z) => ({ name: z.name, ...(z.azId ? { id: z.azId } : {}), cidrs: z.cidrs }));
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs Insights

/** `parse @message "* * ..." as version, account_id, ...`: one `*` and one name per field, in order. */
export function insightsParseCommand(fields: readonly FlowLogField[] = FLOW_LOG_FIELDS): string {
  return `parse @message "${fields.map(() => '*').join(' ')}" as ${columnsOf(fields).join(', ')}`;
}

/**
 * The field names a query's `parse @message "..." as a, b, ...` command assigns, in order
 * (throws when the query has no such command or the pattern's `*` count differs).
 */
export function insightsParseFields(query: string): string[] {
  const m = /parse @message "([^"]*)" as ([A-Za-z0-9_,\s]+?)\s*(\||$)/m.exec(query);
  if (!m) throw new ValueError('query has no `parse @message "..." as ...` command');
  const names = m[2]!.split(',').map((s) => s.trim());
  const stars = (m[1]!.match(/\*/g) ?? []).length;
  if (stars !== names.length) throw new ValueError(`parse pattern has ${stars} fields but names ${names.length}`);
  return names;
}

/** `SOURCE '<group>' | <query>`, the form CloudWatch dashboard log widgets take. */
export function withSource(logGroup: string, query: string): string {
  if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(logGroup)) throw new ValueError(`"${logGroup}" is not a log group name`);
  return `SOURCE '${logGroup}' | ${query}`;
}

function insightsIn(column: string, cidrs: readonly string[]): string {
  const terms = cidrs.map(toZoneCidr).map((c) => `${c.includes(':') ? 'isIpv6InSubnet' : 'isIpv4InSubnet'}(${column}, "${c}")`);
  return terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`;
}

/** Egress record whose source is NOT in zone `z`: by the logging ENI's AZ id when known, else by CIDR. */
function insightsNotFromZone(z: QueryZone): string {
  return z.id ? `az_id != "${z.id}"` : `not ${insightsIn('pkt_srcaddr', z.cidrs)}`;
}

function insightsInterAzCondition(zones: readonly QueryZone[]): string {
  const terms = attributable(zones).map((z) => `(${insightsIn('pkt_dstaddr', z.cidrs)} and ${insightsNotFromZone(z)})`);
  return terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`;
}

function insightsHead(fields: readonly FlowLogField[], needed: readonly string[], what: string): string[] {
  requireColumns(fields, ['log_status', 'bytes', ...needed], what);
  return [insightsParseCommand(fields), '| filter log_status = "OK"'];
}

function binOf(opts: InsightsOptions): string {
  const bin = opts.bin ?? '5m';
  if (!/^\d+(s|m|h|d)$/.test(bin)) throw new ValueError(`bin "${bin}" must look like 5m or 1h`);
  return bin;
}

/** The definition's record filters (log_status OK, egress) as Insights `filter` stages. */
function insightsWhere(where: ZoneQueryDefinition['where']): string[] {
  return where.map((w) => `| filter ${w.column} = "${w.equals}"`);
}

/**
 * Bytes and flows that crossed zones (all zone pairs), as a time series: the inter-zone query's
 * definition (zone-query.ts) with its cross-zone rows summed per time bin.
 */
export function insightsInterAzQuery(zones: readonly QueryZone[], opts: InsightsOptions = {}): string {
  const fields = opts.fields ?? FLOW_LOG_FIELDS;
  requireColumns(fields, ['log_status', 'bytes', 'flow_direction', 'pkt_srcaddr', 'pkt_dstaddr', 'az_id'], 'the inter-AZ query');
  const def = zoneQueryDefinition(zones, { fields, crossZoneOnly: true });
  return [
    insightsParseCommand(fields),
    ...insightsWhere(def.where),
    `| filter ${insightsInterAzCondition(zones)}`,
    `| stats sum(bytes) as bytes, count(*) as flows by bin(${binOf(opts)})`,
  ].join('\n');
}

/**
 * Bytes and flows into one zone, by the AZ (`az_id`) they came from: one row per zone pair ending
 * in `toZone`, the same-zone row included for comparison.
 */
export function insightsZoneTrafficQuery(zones: readonly QueryZone[], toZone: string, opts: QueryOptions = {}): string {
  const fields = opts.fields ?? FLOW_LOG_FIELDS;
  const zone = attributable(zones).find((z) => z.name === toZone);
  if (!zone) throw new ValueError(`zone "${toZone}" is not a cluster zone with subnet CIDRs`);
  requireColumns(fields, ['log_status', 'bytes', 'flow_direction', 'pkt_dstaddr', 'az_id'], 'the zone traffic query');
  return [
    insightsParseCommand(fields),
    ...insightsWhere(ZONE_QUERY_WHERE),
    `| filter ${insightsIn('pkt_dstaddr', zone.cidrs)}`,
    '| stats sum(bytes) as bytes, count(*) as flows by az_id',
    '| sort bytes desc',
  ].join('\n');
}

export interface ZonePairQuery {
  /** Destination zone; rows are source AZ ids. */
  readonly to: string;
  readonly query: string;
}

/** One insightsZoneTrafficQuery per zone with CIDRs: together they give every zone pair. */
export function insightsZonePairQueries(zones: readonly QueryZone[], opts: QueryOptions = {}): ZonePairQuery[] {
  return attributable(zones).map((z) => ({ to: z.name, query: insightsZoneTrafficQuery(zones, z.name, opts) }));
}

/**
 * NAT gateway traffic. With the NAT gateways' ENI ids: everything those ENIs logged, by ENI, AZ
 * and direction. Without: what the cluster's subnets sent to non-private addresses (which leaves
 * through a NAT gateway from private subnets), by source AZ.
 */
export function insightsNatQuery(zones: readonly QueryZone[], opts: QueryOptions & { readonly natInterfaceIds?: readonly string[] } = {}): string {
  const fields = opts.fields ?? FLOW_LOG_FIELDS;
  const enis = opts.natInterfaceIds ?? [];
  if (enis.length > 0) {
    for (const id of enis) if (!/^eni-[0-9a-f]{8,17}$/.test(id)) throw new ValueError(`"${id}" is not an ENI id like eni-0123456789abcdef0`);
    return [
      ...insightsHead(fields, ['interface_id', 'az_id', 'flow_direction'], 'the NAT query'),
      `| filter interface_id in [${enis.map((e) => `"${e}"`).join(', ')}]`,
      '| stats sum(bytes) as bytes, count(*) as flows by interface_id, az_id, flow_direction',
      '| sort bytes desc',
    ].join('\n');
  }
  const cidrs = attributable(zones).flatMap((z) => z.cidrs);
  return [
    ...insightsHead(fields, ['flow_direction', 'pkt_srcaddr', 'pkt_dstaddr', 'az_id'], 'the NAT query'),
    '| filter flow_direction = "egress"',
    `| filter ${insightsIn('pkt_srcaddr', cidrs)}`,
    `| filter ${PRIVATE_RANGES.map((c) => `not isIpv4InSubnet(pkt_dstaddr, "${c}")`).join(' and ')}`,
    '| stats sum(bytes) as bytes, count(*) as flows by az_id',
    '| sort bytes desc',
  ].join('\n');
}

/**
 * Traffic the cluster's ENIs logged (the ENI's own address is `srcaddr` on egress and `dstaddr`
 * on ingress), by AZ and direction.
 */
export function insightsClusterEniQuery(zones: readonly QueryZone[], opts: QueryOptions = {}): string {
  const fields = opts.fields ?? FLOW_LOG_FIELDS;
  const cidrs = attributable(zones).flatMap((z) => z.cidrs);
  return [
    ...insightsHead(fields, ['flow_direction', 'srcaddr', 'dstaddr', 'az_id'], 'the cluster ENI query'),
    `| filter (flow_direction = "egress" and ${insightsIn('srcaddr', cidrs)}) or (flow_direction = "ingress" and ${insightsIn('dstaddr', cidrs)})`,
    '| stats sum(bytes) as bytes, count(*) as flows by az_id, flow_direction',
    '| sort bytes desc',
  ].join('\n');
}

/** Inter-AZ bytes and flows to or from one service's pods, as a time series. */
export function insightsServiceInterAzQuery(zones: readonly QueryZone[], service: ServiceAddresses, opts: InsightsOptions = {}): string {
  const fields = opts.fields ?? FLOW_LOG_FIELDS;
  if (service.addresses.length === 0) throw new ValueError(`service ${service.name}: no pod addresses given`);
  const cidrs = service.addresses.map(toCidr);
  return [
    ...insightsHead(fields, ['flow_direction', 'pkt_srcaddr', 'pkt_dstaddr', 'az_id'], 'the service query'),
    '| filter flow_direction = "egress"',
    `| filter ${insightsIn('pkt_srcaddr', cidrs)} or ${insightsIn('pkt_dstaddr', cidrs)}`,
    `| filter ${insightsInterAzCondition(zones)}`,
    `| stats sum(bytes) as bytes, count(*) as flows by bin(${binOf(opts)})`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Athena (S3 destination, Parquet, Hive-compatible partitions)

export interface AthenaTableOptions extends QueryOptions {
  readonly bucket: string;
  /** Key prefix the flow log writes under (no leading/trailing slash), "" for none. */
  readonly prefix?: string;
  readonly accountId: string;
  readonly region: string;
  readonly database: string;
  readonly table: string;
  /** Whether the flow log writes hourly partitions (`PerHourPartition`). Default true. */
  readonly perHour?: boolean;
  /** First year partition projection enumerates. Default 2024. */
  readonly firstYear?: number;
}

export interface AthenaQueryOptions extends QueryOptions {
  readonly database: string;
  readonly table: string;
  /** Inclusive day range `YYYY-MM-DD` (partition pruning: always give one on big tables). */
  readonly since?: string;
  readonly until?: string;
  readonly usdPerGb?: number;
}

const ATHENA_TYPES: Readonly<Record<FlowLogField['type'], string>> = { int: 'int', bigint: 'bigint', string: 'string' };

function athenaName(kind: string, name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,254}$/.test(name)) throw new ValueError(`Athena ${kind} "${name}" must be lower-case letters, digits and _`);
  return name;
}

/** `CREATE DATABASE IF NOT EXISTS ...`. */
export function athenaDatabaseDdl(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${athenaName('database', database)}\``;
}

/** Where a Hive-compatible flow log writes: `s3://bucket/prefix/AWSLogs/aws-account-id=.../aws-region=.../`. */
export function athenaS3Location(o: Pick<AthenaTableOptions, 'bucket' | 'prefix' | 'accountId' | 'region'>): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(o.bucket)) throw new ValueError(`"${o.bucket}" is not an S3 bucket name`);
  if (!/^[0-9]{12}$/.test(o.accountId)) throw new ValueError(`"${o.accountId}" is not a 12-digit account id`);
  if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/.test(o.region)) throw new ValueError(`"${o.region}" is not an AWS region`);
  const prefix = o.prefix ?? '';
  if (prefix !== '' && !/^[A-Za-z0-9!_.*()\-]+(\/[A-Za-z0-9!_.*()\-]+)*$/.test(prefix)) throw new ValueError(`"${prefix}" is not an S3 key prefix`);
  return `s3://${o.bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/aws-account-id=${o.accountId}/aws-service=vpcflowlogs/aws-region=${o.region}/`;
}

/**
 * The external table over Parquet flow logs: one column per field of the log format, in order,
 * partitioned by year/month/day[/hour] with partition projection (no crawler, no MSCK REPAIR).
 */
export function athenaDdl(o: AthenaTableOptions): string {
  const fields = o.fields ?? FLOW_LOG_FIELDS;
  const perHour = o.perHour ?? true;
  const firstYear = o.firstYear ?? 2024;
  if (!Number.isInteger(firstYear) || firstYear < 2015 || firstYear > 2100) throw new ValueError(`first year ${firstYear} is out of range`);
  const location = athenaS3Location(o);
  const parts = perHour ? ['year', 'month', 'day', 'hour'] : ['year', 'month', 'day'];
  const projection: Array<[string, string]> = [
    ['projection.enabled', 'true'],
    ['projection.year.type', 'integer'], ['projection.year.range', `${firstYear},${firstYear + 30}`],
    ['projection.month.type', 'integer'], ['projection.month.range', '1,12'], ['projection.month.digits', '2'],
    ['projection.day.type', 'integer'], ['projection.day.range', '1,31'], ['projection.day.digits', '2'],
    ...(perHour ? [['projection.hour.type', 'integer'], ['projection.hour.range', '0,23'], ['projection.hour.digits', '2']] as Array<[string, string]> : []),
    ['storage.location.template', `${location}${parts.map((p) => `${p}=\${${p}}`).join('/')}/`],
  ];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${athenaName('database', o.database)}\`.\`${athenaName('table', o.table)}\` (`,
    fields.map((f) => `  \`${f.column}\` ${ATHENA_TYPES[f.type]}`).join(',\n'),
    ')',
    `PARTITIONED BY (${parts.map((p) => `\`${p}\` string`).join(', ')})`,
    'STORED AS PARQUET',
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    projection.map(([k, v]) => `  '${k}'='${v}'`).join(',\n'),
    ')',
  ].join('\n');
}

function athenaZoneQuery(zones: readonly QueryZone[], o: AthenaQueryOptions, crossZoneOnly: boolean): string {
  const def = zoneQueryDefinition(zones, {
    crossZoneOnly,
    ...(o.fields ? { fields: o.fields } : {}),
    ...(o.usdPerGb !== undefined ? { usdPerGb: o.usdPerGb } : {}),
  });
  return renderAthena(def, {
    database: o.database, table: o.table,
    ...(o.since !== undefined ? { since: o.since } : {}),
    ...(o.until !== undefined ? { until: o.until } : {}),
  });
}

/** Bytes, flows and cost per zone pair, same-zone pairs included (what `flowlogs analyze` reports). */
export function athenaZonePairQuery(zones: readonly QueryZone[], o: AthenaQueryOptions): string {
  return athenaZoneQuery(zones, o, false);
}

/** Bytes, flows and cost per zone pair for pairs that crossed zones only. */
export function athenaInterAzQuery(zones: readonly QueryZone[], o: AthenaQueryOptions): string {
  return athenaZoneQuery(zones, o, true);
}
