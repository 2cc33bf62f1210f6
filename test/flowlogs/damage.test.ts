import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeFlowLogFiles, type SkippedLine } from '../../generator/flowlogs/analyze.js';
import { runCli, tempDir } from '../support/generate.js';
import { writeFile } from './dataset.js';
import { allRecords, FLOWS, POD, recordsOf, render, TRUTH, ZONAL_NAMES, ZONES } from './helpers.js';

const lines = render(allRecords(), ZONAL_NAMES);
const header = ZONAL_NAMES.join(' ');
const member = (ls: readonly string[]) => gzipSync(ls.map((l) => `${l}\n`).join(''));

/** A gzip member whose CRC-32 trailer no longer matches its data (the data itself inflates fine). */
function badCrc(ls: readonly string[]): Buffer {
  const m = Buffer.from(member(ls));
  m[m.length - 8] ^= 0xff;
  return m;
}

describe('GIVEN a gzip file with a member that fails its CRC check', () => {
  it('WHEN analyzed THEN that member\'s records are not counted, the members after it are, and the damage is reported', async () => {
    const dir = tempDir();
    // flow 0 (a1 -> b1, 1,000,000 bytes) is in the damaged middle member
    const flow0 = render(recordsOf(FLOWS[0]!), ZONAL_NAMES);
    const rest = render(FLOWS.slice(1).flatMap(recordsOf), ZONAL_NAMES);
    const file = writeFile(join(dir, 'crc.log.gz'), Buffer.concat([member([header, ...rest.slice(0, 4)]), badCrc(flow0), member(rest.slice(4))]));
    const reported: SkippedLine[] = [];
    const s = await analyzeFlowLogFiles([file], { zones: ZONES, onSkipped: (l) => reported.push(l) });
    expect(s.bytes.total).toBe(TRUTH.total - 1_000_000);
    expect(s.bytes.crossZone).toBe(TRUTH.crossZone - 1_000_000);
    expect(s.records).toBe(allRecords().length - flow0.length);
    expect(s.skipped).toBe(1);
    expect(reported).toEqual([expect.objectContaining({ damage: true, reason: expect.stringMatching(/gzip member 2 fails its CRC-32\/length check: its records are not counted/) })]);
  });

  it('WHEN the skipped-line notes are used up before the damage THEN the damage is still reported', async () => {
    const dir = tempDir();
    const garbage = Array.from({ length: 8 }, (_, i) => `garbage ${i}`);
    const file = writeFile(join(dir, 'late.log.gz'), Buffer.concat([member([header, ...garbage, ...lines]), badCrc(lines.slice(0, 2))]));
    const reported: SkippedLine[] = [];
    const s = await analyzeFlowLogFiles([file], { zones: ZONES, onSkipped: (l) => reported.push(l), reportSkipped: 5 });
    expect(s.skipped).toBe(9);
    expect(reported).toHaveLength(6);
    expect(reported[5]).toMatchObject({ damage: true });
    expect(s.bytes.total).toBe(TRUTH.total);
  });

  it('WHEN run through the CLI THEN stderr names the damage on its own line', async () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'cli.log.gz'), Buffer.concat([member([header, ...lines]), badCrc(lines)]));
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    const r = await runCli(['flowlogs', 'analyze', file, '--subnets', subnets, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cli\.log\.gz:\d+: damaged: gzip member 2 fails its CRC-32\/length check/);
  });

  it('WHEN zonal report reads it THEN stderr names the damage too, and the page counts only the sound member', async () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'rep.log.gz'), Buffer.concat([member([header, ...lines]), badCrc(lines)]));
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    const r = await runCli(['report', '--values', 'values/octank-travel.yaml', '--flowlogs', file, '--subnets', subnets, '--out', join(dir, 'r.html')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/rep\.log\.gz:\d+: damaged: gzip member 2 fails its CRC-32\/length check/);
    expect(r.stdout).toContain(`, ${lines.length} flow-log records`);
  });
});

describe('GIVEN a malformed line holding a carriage return, an ANSI sequence and a NUL', () => {
  it('WHEN analyzed through the CLI THEN its note is one line with those characters escaped', async () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'esc.log'), `${header}\ngarbage\rOVER \u001b[31mred\u0000nul\u2028x\n${lines.join('\n')}\n`);
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    const r = await runCli(['flowlogs', 'analyze', file, '--subnets', subnets, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^.*esc\.log:2: skipped: .*: garbage\\rOVER \\u001b\[31mred\\u0000nul\\u2028x\n$/);
  });
});

describe('GIVEN CloudWatch subscription payloads', () => {
  it('WHEN one event of a payload is malformed THEN only that event is skipped and the payload\'s other events count', async () => {
    const dir = tempDir();
    const events: unknown[] = lines.map((m, i) => ({ id: String(i), timestamp: i, message: m }));
    events.splice(3, 0, { id: 'x', timestamp: 1 }, { id: 'y', message: 42 });
    const file = writeFile(join(dir, 'sub.jsonl'), `${JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: events })}\n`);
    const reported: SkippedLine[] = [];
    const s = await analyzeFlowLogFiles([file], { zones: ZONES, onSkipped: (l) => reported.push(l) });
    expect(s.bytes.total).toBe(TRUTH.total);
    expect(s.skipped).toBe(2);
    expect(reported.map((r) => r.reason)).toEqual(['event 4 has no "message" string', 'event 5 has no "message" string']);
  });

  it('WHEN a filter-log-events document has one bad event THEN the others count', async () => {
    const dir = tempDir();
    const events: unknown[] = lines.map((m) => ({ message: m }));
    events.push(null);
    const file = writeFile(join(dir, 'doc.json'), `{\n  "events": ${JSON.stringify(events, null, 2)}\n}\n`);
    const s = await analyzeFlowLogFiles([file], { zones: ZONES });
    expect([s.bytes.total, s.skipped]).toEqual([TRUTH.total, 1]);
  });

  it('WHEN a document nests an event deeper than the JSON stack THEN that event is one skipped line, not a crash (exit 0)', async () => {
    const dir = tempDir();
    const events = [...lines.map((m) => ({ message: m })), `${'['.repeat(100_000)}${']'.repeat(100_000)}`];
    const file = writeFile(join(dir, 'deep.json'), `[\n${events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join(',\n')}\n]\n`);
    const s = await analyzeFlowLogFiles([file], { zones: ZONES });
    expect([s.bytes.total, s.skipped]).toEqual([TRUTH.total, 1]);
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    const r = await runCli(['flowlogs', 'analyze', file, '--subnets', subnets]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/deep\.json:\d+: skipped: event \d+ has no "message" string/);
  });
});

describe('GIVEN byte counts near 2^53', () => {
  const [egress] = recordsOf({ src: POD.a1, dst: POD.b1, bytes: 1, start: 1_700_000_000, end: 1_700_000_060 });
  const withBytes = (b: string) => render([{ ...egress!, bytes: b }], ZONAL_NAMES)[0]!;

  it('WHEN a record has more bytes than zonal counts exactly (2^52 and up) THEN it is skipped with the reason, not rounded', async () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'big.log'), `${[header, withBytes(String(2 ** 52)), withBytes('99999999999999999999'), withBytes('7')].join('\n')}\n`);
    const reported: SkippedLine[] = [];
    const s = await analyzeFlowLogFiles([file], { zones: ZONES, onSkipped: (l) => reported.push(l) });
    expect([s.records, s.skipped, s.bytes.total]).toEqual([1, 2, 7]);
    expect(reported[0]!.reason).toMatch(/bytes exceeds 4503599627370495/);
  });

  it('WHEN the total would pass 2^53 half-bytes THEN the analysis is refused as bad input rather than rounded', async () => {
    const dir = tempDir();
    const big = withBytes(String(2 ** 52 - 1));
    const file = writeFile(join(dir, 'sum.log'), `${[header, big, big, big].join('\n')}\n`);
    await expect(analyzeFlowLogFiles([file], { zones: ZONES })).rejects.toThrow(/more than 4503599627370495 bytes .*analyze fewer files/);
  });
});

describe('GIVEN user strings that would reach a query', () => {
  it.each([
    ['${bytes} ${srcaddr`); DROP TABLE x; --}'],
    ['${bytes} ${a"b}'],
    ['${bytes} ${x y}'],
    ['bytes pkt_dstaddr\'||1'],
  ])('WHEN --log-format is %s THEN every engine refuses it as bad input (exit 2) and nothing is printed', async (format) => {
    const dir = tempDir();
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    for (const engine of ['athena', 'insights', 'duckdb']) {
      const r = await runCli(['flowlogs', 'query', '--engine', engine, '--subnets', subnets, '--region', 'us-west-2', '--log-format', format]);
      expect([engine, r.code, r.stdout]).toEqual([engine, 2, '']);
      expect(r.stderr).toMatch(/is not a flow-log field name/);
    }
  });

  it('WHEN a Parquet path holds a quote THEN the DuckDB query quotes it as a string literal', async () => {
    const dir = tempDir();
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    const r = await runCli(['flowlogs', 'query', '--engine', 'duckdb', '--subnets', subnets, "/tmp/it's'); DROP TABLE x; --.parquet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("read_parquet(['/tmp/it''s''); DROP TABLE x; --.parquet'], union_by_name = true)");
  });
});

describe('GIVEN impossible dates', () => {
  it.each([
    [['--since', '2025-02-31'], /--since "2025-02-31" is not a date/],
    [['--until', '2025-13-01'], /--until "2025-13-01" is not a date/],
    [['--since', 'yesterday'], /--since "yesterday" is not a date/],
    [['--since', '2025-03-02', '--until', '2025-03-01'], /--since 2025-03-02 is after --until 2025-03-01/],
  ])('WHEN given %j THEN analyze and query exit 2 with one line', async (flags, message) => {
    const dir = tempDir();
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    const log = writeFile(join(dir, 'a.log'), `${lines.join('\n')}\n`);
    for (const args of [['analyze', log], ['query', '--engine', 'athena', '--region', 'us-west-2']]) {
      const r = await runCli(['flowlogs', ...args, '--subnets', subnets, ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
