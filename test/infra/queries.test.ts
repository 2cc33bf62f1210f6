import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { duckdbSource, renderAthena, renderDuckDb, zoneQueryDefinition } from '../../generator/flowlogs/zone-query.js';
import { REPO } from '../support/helm.js';
import { parseCidr } from '../../generator/flowlogs/addresses.js';
import { FLOW_LOG_FIELDS, parseLogFormat } from '../../generator/flowlogs/fields.js';
import {
  athenaDatabaseDdl, athenaDdl, athenaInterAzQuery, athenaS3Location, athenaZonePairQuery, insightsClusterEniQuery,
  insightsInterAzQuery, insightsNatQuery, insightsParseCommand, insightsParseFields, insightsServiceInterAzQuery,
  insightsZonePairQueries, insightsZoneTrafficQuery, toCidr, withSource, type QueryZone,
} from '../../generator/flowlogs/queries.js';

const ZONES: QueryZone[] = [
  { name: 'us-west-2a', id: 'usw2-az1', cidrs: ['192.168.96.0/19'] },
  { name: 'us-west-2b', id: 'usw2-az2', cidrs: ['192.168.128.0/19', '10.1.0.0/24'] },
  // a dual-stack subnet, as aws ec2 describe-subnets lists it
  { name: 'us-west-2c', id: 'usw2-az3', cidrs: ['192.168.160.0/19', '2600:1f14:abc:a300::/64'] },
];
const COLUMNS = FLOW_LOG_FIELDS.map((f) => f.column);

/** Every Logs Insights query zonal builds, for one field list. */
function allInsightsQueries(fields = FLOW_LOG_FIELDS): Array<[string, string]> {
  const o = { fields };
  return [
    ['inter-AZ', insightsInterAzQuery(ZONES, o)],
    ...insightsZonePairQueries(ZONES, o).map((q): [string, string] => [`into ${q.to}`, q.query]),
    ['NAT (ENIs)', insightsNatQuery(ZONES, { ...o, natInterfaceIds: ['eni-0123456789abcdef0'] })],
    ['NAT (internet-bound)', insightsNatQuery(ZONES, o)],
    ['cluster ENIs', insightsClusterEniQuery(ZONES, o)],
    ['service', insightsServiceInterAzQuery(ZONES, { name: 'zip', addresses: ['192.168.100.7', '192.168.140.0/28'] }, o)],
  ];
}

describe('Logs Insights queries', () => {
  it.each(allInsightsQueries())('GIVEN zonal\'s log format WHEN the %s query is built THEN its parse field list equals the format field list', (_, query) => {
    expect(insightsParseFields(query)).toEqual(COLUMNS);
    expect(insightsParseFields(withSource('/zonal/c/vpc-flow-logs', query))).toEqual(COLUMNS);
  });

  it('GIVEN a custom log format in another order WHEN queries are built THEN each parses exactly that order', () => {
    const custom = parseLogFormat('${az-id} ${flow-direction} ${version} ${pkt-dstaddr} ${log-status} ${bytes} ${pkt-srcaddr} ${srcaddr} ${dstaddr} ${interface-id} ${tcp-flags}');
    for (const [, query] of allInsightsQueries(custom)) {
      expect(insightsParseFields(query)).toEqual(custom.map((f) => f.column));
    }
    expect(insightsParseCommand(custom)).toBe(`parse @message "${custom.map(() => '*').join(' ')}" as ${custom.map((f) => f.column).join(', ')}`);
  });

  it('GIVEN a log format without the fields attribution needs WHEN a query is built THEN it refuses and names them', () => {
    const fields = parseLogFormat('${version} ${srcaddr} ${dstaddr} ${bytes} ${log-status}');
    expect(() => insightsInterAzQuery(ZONES, { fields })).toThrow(/flow-direction, pkt-srcaddr, pkt-dstaddr, az-id/);
  });

  it('GIVEN zones with AZ ids WHEN the inter-AZ query is built THEN it counts egress records once, source AZ by az-id, destination by CIDR', () => {
    const q = insightsInterAzQuery(ZONES);
    expect(q).toContain('| filter flow_direction = "egress"');
    expect(q).toContain('(isIpv4InSubnet(pkt_dstaddr, "192.168.96.0/19") and az_id != "usw2-az1")');
    expect(q).toContain('((isIpv4InSubnet(pkt_dstaddr, "192.168.128.0/19") or isIpv4InSubnet(pkt_dstaddr, "10.1.0.0/24")) and az_id != "usw2-az2")');
    expect(q).toMatch(/\| stats sum\(bytes\) as bytes, count\(\*\) as flows by bin\(5m\)$/);
    expect(q).toContain('((isIpv4InSubnet(pkt_dstaddr, "192.168.160.0/19") or isIpv6InSubnet(pkt_dstaddr, "2600:1f14:abc:a300::/64")) and az_id != "usw2-az3")');
  });

  it('GIVEN zones without AZ ids WHEN the inter-AZ query is built THEN the source zone comes from pkt-srcaddr CIDRs', () => {
    const q = insightsInterAzQuery(ZONES.map(({ name, cidrs }) => ({ name, cidrs })), { bin: '1h' });
    expect(q).toContain('(isIpv4InSubnet(pkt_dstaddr, "192.168.96.0/19") and not isIpv4InSubnet(pkt_srcaddr, "192.168.96.0/19"))');
    expect(q).not.toContain('az_id !=');
    expect(q).toContain('by bin(1h)');
  });

  it('GIVEN three zones WHEN zone pair queries are built THEN there is one per destination zone grouping by source AZ', () => {
    const qs = insightsZonePairQueries(ZONES);
    expect(qs.map((q) => q.to)).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
    expect(qs[1]!.query).toContain('| filter (isIpv4InSubnet(pkt_dstaddr, "192.168.128.0/19") or isIpv4InSubnet(pkt_dstaddr, "10.1.0.0/24"))');
    expect(qs[1]!.query).toContain('by az_id');
    expect(() => insightsZoneTrafficQuery(ZONES, 'us-west-2z')).toThrow(/not a cluster zone/);
  });

  it('GIVEN no NAT ENIs WHEN the NAT query is built THEN it selects cluster egress to non-private addresses', () => {
    const q = insightsNatQuery(ZONES);
    for (const c of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']) expect(q).toContain(`not isIpv4InSubnet(pkt_dstaddr, "${c}")`);
    expect(insightsNatQuery(ZONES, { natInterfaceIds: ['eni-0a', 'eni-0123456789abcdef0'].slice(1) })).toContain('interface_id in ["eni-0123456789abcdef0"]');
    expect(() => insightsNatQuery(ZONES, { natInterfaceIds: ['eni-x"] | delete'] })).toThrow(/not an ENI id/);
  });

  it('GIVEN anything but addresses WHEN they would reach a query string THEN the builders refuse them', () => {
    expect(toCidr('10.0.0.7')).toBe('10.0.0.7/32');
    expect(toCidr('10.0.0.0/16')).toBe('10.0.0.0/16');
    for (const bad of ['10.0.0.256', '10.0.0.0/33', '10.0.0.0/8/1', '10.0.0.1") or ("', '']) expect(() => toCidr(bad)).toThrow(/not an IPv4/);
    expect(() => insightsServiceInterAzQuery(ZONES, { name: 's', addresses: [] })).toThrow(/no pod addresses/);
    expect(() => insightsInterAzQuery([{ name: 'a', cidrs: [] }, { name: 'b', cidrs: [] }])).toThrow(/cluster.zones\[\].cidrs/);
    expect(() => insightsInterAzQuery([{ name: "a'", cidrs: ['10.0.0.0/8'] }])).toThrow(/zone name/);
    expect(() => withSource("g' | delete", 'x')).toThrow(/log group/);
    for (const bad of ["2600::/64') OR true --", '2600::1/64', '2600:::/64', '2600::/129', 'fe80::1%eth0/64']) {
      expect(() => insightsInterAzQuery([{ name: 'a', cidrs: [bad] }])).toThrow(/not an IPv4 or IPv6 CIDR/);
      expect(() => zoneQueryDefinition([{ name: 'a', cidrs: [bad] }])).toThrow(/not an IPv4 or IPv6 CIDR/);
    }
    expect(() => insightsInterAzQuery(ZONES, { bin: '5 minutes' })).toThrow(/bin/);
  });
});

describe('Athena', () => {
  const table = { database: 'zonal_octank_travel', table: 'vpc_flow_logs' };
  const location = { bucket: 'zonal-flowlogs-111122223333-us-west-2', prefix: 'vpc/flows', accountId: '111122223333', region: 'us-west-2' };

  it('GIVEN zonal\'s format WHEN the DDL is built THEN its columns are the format fields, in order, with their types', () => {
    const ddl = athenaDdl({ ...location, ...table });
    const columns = [...ddl.matchAll(/^ {2}`([a-z_]+)` (int|bigint|string),?$/gm)].map((m) => [m[1], m[2]]);
    expect(columns).toEqual(FLOW_LOG_FIELDS.map((f) => [f.column, f.type]));
    expect(ddl).toContain('STORED AS PARQUET');
    expect(ddl).toContain('PARTITIONED BY (`year` string, `month` string, `day` string, `hour` string)');
    expect(ddl).toContain("LOCATION 's3://zonal-flowlogs-111122223333-us-west-2/vpc/flows/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-west-2/'");
    expect(ddl).toContain("'projection.enabled'='true'");
    expect(ddl).toContain("'storage.location.template'='s3://zonal-flowlogs-111122223333-us-west-2/vpc/flows/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-west-2/year=${year}/month=${month}/day=${day}/hour=${hour}/'");
    expect(ddl.startsWith('CREATE EXTERNAL TABLE IF NOT EXISTS `zonal_octank_travel`.`vpc_flow_logs` (')).toBe(true);
  });

  it('GIVEN daily partitions WHEN the DDL is built THEN there is no hour partition', () => {
    const ddl = athenaDdl({ ...location, prefix: '', ...table, perHour: false });
    expect(ddl).toContain('PARTITIONED BY (`year` string, `month` string, `day` string)');
    expect(ddl).not.toContain('hour');
    expect(ddl).toContain("LOCATION 's3://zonal-flowlogs-111122223333-us-west-2/AWSLogs/");
  });

  it('GIVEN bad names WHEN DDL or locations are built THEN they are refused', () => {
    expect(() => athenaS3Location({ ...location, accountId: '1234' })).toThrow(/account id/);
    expect(() => athenaS3Location({ ...location, bucket: "b'; DROP" })).toThrow(/bucket/);
    expect(() => athenaS3Location({ ...location, prefix: "a'b" })).toThrow(/prefix/);
    expect(() => athenaDatabaseDdl('Zonal-DB')).toThrow(/lower-case/);
    expect(athenaDatabaseDdl('zonal_x')).toBe('CREATE DATABASE IF NOT EXISTS `zonal_x`');
  });

  it('GIVEN zones WHEN the inter-AZ query is built THEN it attributes by az-id then CIDR, counts egress once and keeps cross-zone pairs', () => {
    const q = athenaInterAzQuery(ZONES, { ...table, since: '2025-01-01', until: '2025-01-31' });
    expect(q).toContain("CASE f.az_id WHEN 'usw2-az1' THEN 'us-west-2a' WHEN 'usw2-az2' THEN 'us-west-2b' WHEN 'usw2-az3' THEN 'us-west-2c' END");
    expect(q).toContain(`COALESCE(NULLIF("pkt_dstaddr", '-'), NULLIF("dstaddr", '-')) AS dst_text`);
    expect(q).toContain('SELECT a, TRY_CAST(a AS IPADDRESS) AS ip FROM (SELECT src_text AS a FROM flows UNION SELECT dst_text AS a FROM flows)');
    expect(q).toContain("WHEN contains('192.168.128.0/19', ip) OR contains('10.1.0.0/24', ip) THEN 'us-west-2b'");
    expect(q).toContain(`WHERE "log_status" = 'OK' AND "flow_direction" = 'egress'`);
    // records starting in the days, as the analyzer counts them; partitions up to a day later (filed late)
    expect(q).toContain(`AND ("start" IS NULL OR ("start" >= ${Date.UTC(2025, 0, 1) / 1000} AND "start" < ${Date.UTC(2025, 1, 1) / 1000}))`);
    expect(q).toContain(`AND concat("year", '-', "month", '-', "day") BETWEEN '2025-01-01' AND '2025-02-01'`);
    expect(athenaInterAzQuery(ZONES, { ...table, until: '2024-12-31' })).toContain(`AND concat("year", '-', "month", '-', "day") <= '2025-01-01'`);
    expect(q).toContain('WHERE from_zone <> to_zone');
    expect(q).toContain('FROM "zonal_octank_travel"."vpc_flow_logs"');
    expect(athenaZonePairQuery(ZONES, table)).not.toContain('WHERE from_zone <> to_zone');
    expect(() => athenaInterAzQuery(ZONES, { ...table, since: '2025-13-45' })).toThrow(/date/);
    expect(() => athenaInterAzQuery(ZONES, { ...table, since: '2025-02-31' })).toThrow(/date/);
  });
});

// ---------------------------------------------------------------------------------------------
// The one inter-zone query definition, checked in every dialect

/** Validates statements with a real Trino / Hive SQL parser (dt-sql-parser, ANTLR grammars). */
function sqlErrors(statements: ReadonlyArray<{ dialect: 'trino' | 'hive'; sql: string }>): unknown[][] {
  const out = execFileSync(process.execPath, [join(REPO, 'test', 'infra', 'sql-parser', 'validate.mjs')], { input: JSON.stringify(statements) });
  return JSON.parse(out.toString()) as unknown[][];
}

/** What two renderings must share: columns read, filters, zone names and CIDRs per zone, unit, output. */
function logicOf(sql: string, cidrsOf: (sql: string) => string[][]): unknown {
  const between = (a: string, b: string) => sql.slice(sql.indexOf(a), sql.indexOf(b, sql.indexOf(a)));
  return {
    columns: [...new Set([...sql.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]).filter((c) => !/^(year|month|day|zonal_.*|vpc_flow_logs)$/.test(c!)))].sort(),
    filters: [...between('WHERE', ')').matchAll(/"([a-z_]+)" = '([^']*)'/g)].map((m) => [m[1], m[2]]),
    azIds: [...sql.matchAll(/WHEN '([a-z0-9-]+-az\d+)' THEN '([a-z0-9-]+)'/g)].map((m) => [m[1], m[2]]),
    toZones: [...between('zoned AS (', 'AS zone FROM addresses').matchAll(/THEN '([a-z0-9-]+)'/g)].map((m) => m[1]),
    cidrs: cidrsOf(between('zoned AS (', 'AS zone FROM addresses')),
    joins: [...sql.matchAll(/(LEFT JOIN .*)$/gm)].map((m) => m[1]),
    range: [...sql.matchAll(/^ {4}AND (\("start" .*)$/gm)].map((m) => m[1]),
    unit: /sum\(bytes\) \/ (\d+)\.0 \* ([\d.]+)/.exec(sql)?.slice(1),
    output: between('SELECT from_zone', 'FROM attributed'),
    tail: sql.slice(sql.indexOf('FROM attributed')),
  };
}

/** A CIDR as text both renderings can be compared in: IPv4 dotted, IPv6 as 32 hex digits. */
function canonical(cidr: string): string {
  const c = parseCidr(cidr)!;
  return c.family === 4 ? cidr : `${c.network.toString(16).padStart(32, '0')}/${c.prefix}`;
}
const athenaCidrs = (s: string) => s.split(/ THEN /).slice(0, -1).map((w) => [...w.matchAll(/contains\('([\da-f.:/]+)', ip\)/g)].map((m) => canonical(m[1]!)));
const duckdbCidrs = (s: string) => s.split(/ THEN /).slice(0, -1).map((w) => [...w.matchAll(/ip BETWEEN (\d+) AND (\d+)|ip6 BETWEEN '([\da-f]{32})' AND '([\da-f]{32})'/g)].map((m) => {
  if (m[3] !== undefined) {
    const [lo, hi] = [BigInt(`0x${m[3]}`), BigInt(`0x${m[4]}`)];
    return `${m[3]}/${128 - (hi - lo + 1n).toString(2).length + 1}`;
  }
  const lo = Number(m[1]);
  const bits = 32 - Math.log2(Number(m[2]) - lo + 1);
  return `${[24, 16, 8, 0].map((k) => Math.floor(lo / 2 ** k) % 256).join('.')}/${bits}`;
}));

describe('GIVEN the one inter-zone query definition', () => {
  const table = { database: 'zonal_octank_travel', table: 'vpc_flow_logs' };
  const location = { bucket: 'zonal-flowlogs-111122223333-us-west-2', prefix: 'vpc/flows', accountId: '111122223333', region: 'us-west-2' };
  const def = zoneQueryDefinition(ZONES);
  const athena = renderAthena(def, { database: 'zonal_octank_travel', table: 'vpc_flow_logs', since: '2025-01-01', until: '2025-01-31' });
  const duckdb = renderDuckDb(def, { source: duckdbSource(['flows.parquet']), range: { from: Date.UTC(2025, 0, 1) / 1000, to: Date.UTC(2025, 1, 1) / 1000 } });

  it('WHEN rendered for Athena THEN a real Trino SQL parser accepts the query, and a Hive parser the DDL (what Athena runs)', () => {
    const ddl = athenaDdl({ ...location, ...table });
    const statements = [
      { dialect: 'trino' as const, sql: athena },
      { dialect: 'trino' as const, sql: athenaZonePairQuery(ZONES, table) },
      { dialect: 'hive' as const, sql: ddl },
      { dialect: 'hive' as const, sql: athenaDatabaseDdl('zonal_x') },
      // the parser is no rubber stamp: a broken query is refused
      { dialect: 'trino' as const, sql: athena.replace('GROUP BY', 'GROUP') },
    ];
    const errors = sqlErrors(statements);
    expect(errors.slice(0, 4)).toEqual([[], [], [], []]);
    expect(errors[4]!.length).toBeGreaterThan(0);
  });

  it('WHEN rendered for Athena and DuckDB THEN both have the same logic: columns, filters, day range, zones, CIDRs, unit and output', () => {
    const a = logicOf(athena, athenaCidrs) as { cidrs: string[][]; range: string[] };
    const d = logicOf(duckdb, duckdbCidrs);
    expect(d).toEqual(a);
    expect(a.cidrs).toEqual(ZONES.map((z) => z.cidrs.map(canonical)));
    expect(athena).toContain("WHEN contains('192.168.160.0/19', ip) OR contains('2600:1f14:abc:a300::/64', ip) THEN 'us-west-2c'");
    expect(duckdb).toContain("OR ip6 BETWEEN '26001f140abca3000000000000000000' AND '26001f140abca300ffffffffffffffff' THEN 'us-west-2c'");
    expect(a.range).toHaveLength(1);
  });

  it('WHEN the Logs Insights queries are built THEN parse assigns FLOW_LOG_FIELDS and every filter/stats stage uses only parsed fields', () => {
    const parsed = new Set(FLOW_LOG_FIELDS.map((f) => f.column));
    const words = new Set(['and', 'or', 'not', 'in', 'as', 'by', 'desc', 'asc', 'isIpv4InSubnet', 'isIpv6InSubnet', 'sum', 'count', 'bin']);
    for (const [what, query] of allInsightsQueries()) {
      expect(insightsParseFields(query)).toEqual(FLOW_LOG_FIELDS.map((f) => f.column));
      const aliases = new Set<string>();
      for (const stage of query.split('\n').slice(1)) {
        const m = /^\| (filter|stats|sort) (.*)$/.exec(stage);
        expect([what, stage, m !== null]).toEqual([what, stage, true]);
        const body = m![2]!.replace(/"[^"]*"/g, '""').replace(/\[[^\]]*\]/g, '[]').replace(/\b\d+[smhd]?\b/g, '');
        for (const alias of body.matchAll(/ as ([a-z_]+)/g)) aliases.add(alias[1]!);
        const unknown = [...body.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((w) => w[0]).filter((w) => !parsed.has(w) && !words.has(w) && !aliases.has(w));
        expect([what, stage, unknown]).toEqual([what, stage, []]);
      }
    }
    expect(insightsInterAzQuery(ZONES).split('\n').slice(1, 3)).toEqual(def.where.map((w) => `| filter ${w.column} = "${w.equals}"`));
  });
});
