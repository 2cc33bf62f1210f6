import { describe, expect, it } from '@jest/globals';
import { FLOW_LOG_FIELDS, parseLogFormat } from '../../generator/flowlogs/fields.js';
import {
  athenaDatabaseDdl, athenaDdl, athenaInterAzQuery, athenaS3Location, athenaZonePairQuery, insightsClusterEniQuery,
  insightsInterAzQuery, insightsNatQuery, insightsParseCommand, insightsParseFields, insightsServiceInterAzQuery,
  insightsZonePairQueries, insightsZoneTrafficQuery, toCidr, withSource, type QueryZone,
} from '../../generator/flowlogs/queries.js';

const ZONES: QueryZone[] = [
  { name: 'us-west-2a', id: 'usw2-az1', cidrs: ['192.168.96.0/19'] },
  { name: 'us-west-2b', id: 'usw2-az2', cidrs: ['192.168.128.0/19', '10.1.0.0/24'] },
  { name: 'us-west-2c', id: 'usw2-az3', cidrs: ['192.168.160.0/19'] },
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
    expect(q).toContain("CASE az_id WHEN 'usw2-az1' THEN 'us-west-2a' WHEN 'usw2-az2' THEN 'us-west-2b' WHEN 'usw2-az3' THEN 'us-west-2c' END");
    expect(q).toContain("WHEN contains('192.168.128.0/19', TRY_CAST(pkt_dstaddr AS IPADDRESS)) OR contains('10.1.0.0/24', TRY_CAST(pkt_dstaddr AS IPADDRESS)) THEN 'us-west-2b'");
    expect(q).toContain("WHERE log_status = 'OK' AND flow_direction = 'egress'");
    expect(q).toContain(`AND concat("year", '-', "month", '-', "day") BETWEEN '2025-01-01' AND '2025-01-31'`);
    expect(q).toContain('AND from_zone <> to_zone');
    expect(q).toContain('FROM "zonal_octank_travel"."vpc_flow_logs"');
    expect(athenaZonePairQuery(ZONES, table)).not.toContain('AND from_zone <> to_zone');
    expect(() => athenaInterAzQuery(ZONES, { ...table, since: '2025-13-45' })).toThrow(/date/);
  });
});
