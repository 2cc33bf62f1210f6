import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeFlowLogFiles, type FlowLogSummary, type SkippedLine } from '../../generator/flowlogs/analyze.js';
import { serviceMapOf } from '../../generator/flowlogs/services.js';
import { tempDir } from '../support/generate.js';
import {
  allRecords, DEFAULT_NAMES, FLOWS, NODE, OUTSIDE, POD, recordsOf, render, TRUTH, TRUTH_UNDIRECTED, writeGzip, writeText,
  ZONAL_NAMES, ZONES, type Values,
} from './helpers.js';

const ZONAL_FORMAT = ZONAL_NAMES.map((n) => `\${${n}}`).join(' ');

async function analyze(files: string[], extra: Partial<Parameters<typeof analyzeFlowLogFiles>[1]> = {}): Promise<FlowLogSummary> {
  return analyzeFlowLogFiles(files, { zones: ZONES, ...extra });
}

function expectTruth(s: FlowLogSummary, truth: typeof TRUTH = TRUTH): void {
  expect(s.bytes).toEqual({ total: truth.total, crossZone: truth.crossZone, sameZone: truth.sameZone, unattributed: truth.unattributed });
  expect(s.byZonePair).toEqual(truth.byZonePair);
  expect(s.costUsd.crossZone).toBeCloseTo((truth.crossZone / 2 ** 30) * 0.02, 6);
  expect(s.window).toEqual(truth.window);
}

describe('GIVEN flow logs in zonal\'s format (egress and ingress record of every flow)', () => {
  const records = allRecords();
  const lines = render(records, ZONAL_NAMES);

  it('WHEN the file has the S3 header line THEN bytes per zone pair equal the ground truth, each flow counted once at its egress', async () => {
    const dir = tempDir();
    const s = await analyze([writeText(dir, 'with-header.log', [ZONAL_NAMES.join(' '), ...lines])]);
    expectTruth(s);
    expect(s.records).toBe(records.length);
    expect(s.skipped).toBe(0);
    expect(s.counting).toEqual({ egress: 7, ingress: 7, undirected: 0 });
  });

  it('WHEN the file has no header and no --log-format THEN the field count selects zonal\'s format and the result is the same', async () => {
    const s = await analyze([writeText(tempDir(), 'no-header.log', lines)]);
    expectTruth(s);
    expect(s.skipped).toBe(0);
  });

  it('WHEN --log-format names the format explicitly THEN the result is the same', async () => {
    const s = await analyze([writeText(tempDir(), 'explicit.log', lines)], { logFormat: ZONAL_FORMAT });
    expectTruth(s);
  });

  it('WHEN the file is gzip (one member, or two members concatenated) THEN the result is the same as plain text', async () => {
    const dir = tempDir();
    const one = await analyze([writeGzip(dir, 'one.log.gz', [ZONAL_NAMES.join(' '), ...lines])]);
    expectTruth(one);
    const half = Math.floor(lines.length / 2);
    const two = join(dir, 'two.log.gz');
    writeFileSync(two, Buffer.concat([
      gzipSync(`${[ZONAL_NAMES.join(' '), ...lines.slice(0, half)].join('\n')}\n`),
      gzipSync(`${lines.slice(half).join('\n')}\n`),
    ]));
    expectTruth(await analyze([two]));
  });

  it('WHEN the records are spread over several files THEN the totals are summed', async () => {
    const dir = tempDir();
    const half = Math.floor(lines.length / 2);
    const s = await analyze([writeText(dir, 'a.log', lines.slice(0, half)), writeGzip(dir, 'b.log.gz', lines.slice(half))]);
    expectTruth(s);
  });

  it('WHEN lines end in CRLF and the last line has no newline THEN the result is the same', async () => {
    const p = join(tempDir(), 'crlf.log');
    writeFileSync(p, lines.join('\r\n'));
    const s = await analyze([p]);
    expectTruth(s);
    expect(s.skipped).toBe(0);
  });

  it('WHEN the gzip file is cut short THEN what was readable counts and the damage is one skipped line, not an error', async () => {
    const p = join(tempDir(), 'cut.log.gz');
    const gz = gzipSync(`${lines.join('\n')}\n`);
    writeFileSync(p, gz.subarray(0, gz.length - 4)); // the data is all there, the trailer is not
    const reported: SkippedLine[] = [];
    const s = await analyze([p], { onSkipped: (l) => reported.push(l) });
    expectTruth(s);
    expect(s.skipped).toBe(1);
    expect(reported).toEqual([expect.objectContaining({ line: lines.length + 1, reason: expect.stringMatching(/gzip data is damaged/) })]);
  });
});

describe('GIVEN a custom --log-format with the fields in another order', () => {
  const names = ['az-id', 'flow-direction', 'pkt-dstaddr', 'bytes', 'interface-id', 'pkt-srcaddr', 'srcaddr', 'dstaddr', 'start', 'end', 'action'];
  const lines = render(allRecords(), names);

  it('WHEN analyzed with that --log-format (${a} ${b} syntax) THEN the fields are read in that order and match the ground truth', async () => {
    const s = await analyze([writeText(tempDir(), 'custom.log', lines)], { logFormat: names.map((n) => `\${${n}}`).join(' ') });
    expectTruth(s);
    expect(s.skipped).toBe(0);
  });

  it('WHEN the file carries its own header THEN the header wins over a different --log-format', async () => {
    const s = await analyze([writeText(tempDir(), 'custom-header.log', [names.join(' '), ...lines])], { logFormat: ZONAL_FORMAT });
    expectTruth(s);
  });

  it('WHEN the format has no bytes field THEN analysis is refused (nothing to measure)', async () => {
    await expect(analyze([writeText(tempDir(), 'x.log', ['a b'])], { logFormat: '${srcaddr} ${dstaddr}' })).rejects.toThrow(/bytes/);
  });
});

describe('GIVEN logs in AWS\'s default format (no flow-direction, no pkt-* addresses, no az-id)', () => {
  const lines = render(allRecords(), DEFAULT_NAMES);

  it('WHEN analyzed THEN a flow between mapped subnets, logged by both ENIs, counts once (half per record) and outside traffic counts in full', async () => {
    const s = await analyze([writeText(tempDir(), 'default.log', lines)]);
    expectTruth(s, TRUTH_UNDIRECTED);
    expect(s.counting).toEqual({ egress: 0, ingress: 0, undirected: lines.length });
  });

  it('WHEN only one ENI of a pod-to-pod flow logged it THEN that record counts half (the rule assumes every mapped subnet is logged)', async () => {
    const [egress] = recordsOf(FLOWS[0]!);
    const s = await analyze([writeText(tempDir(), 'one-side.log', render([egress!], DEFAULT_NAMES))]);
    expect(s.bytes.crossZone).toBe(FLOWS[0]!.bytes / 2);
  });
});

describe('GIVEN CloudWatch Logs exports', () => {
  const messages = render(allRecords(), ZONAL_NAMES);

  it('WHEN each line is a JSON object with the record in "message" THEN the result is the ground truth', async () => {
    const jsonLines = messages.map((m, i) => JSON.stringify({ timestamp: 1_700_000_000_000 + i, message: m, ingestionTime: 1_700_000_100_000 }));
    const s = await analyze([writeText(tempDir(), 'export.jsonl', jsonLines)]);
    expectTruth(s);
    expect(s.skipped).toBe(0);
  });

  it('WHEN it is aws logs filter-log-events output (one pretty-printed JSON document) THEN the result is the ground truth', async () => {
    const doc = { events: messages.map((m, i) => ({ logStreamName: 'eni-0aaaaaaaaaaaaaaa1-all', timestamp: i, message: m, ingestionTime: i, eventId: String(i) })), searchedLogStreams: [] };
    const p = join(tempDir(), 'events.json');
    writeFileSync(p, JSON.stringify(doc, null, 4));
    expectTruth(await analyze([p]));
  });

  it('WHEN lines are subscription payloads with logEvents (gzip) THEN the result is the ground truth', async () => {
    const half = Math.floor(messages.length / 2);
    const payload = (ms: string[]) => JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '111122223333', logEvents: ms.map((m, i) => ({ id: String(i), timestamp: i, message: m })) });
    const s = await analyze([writeGzip(tempDir(), 'firehose.gz', [payload(messages.slice(0, half)), payload(messages.slice(half))])]);
    expectTruth(s);
  });
});

describe('GIVEN malformed lines among good records', () => {
  const good = render(allRecords(), ZONAL_NAMES);
  const bad = [
    'this is not a flow log record',
    good[0]!.split(' ').slice(0, 10).join(' '),
    good[0]!.replace(' 1000000 ', ' 10O0000 '),
    good[0]!.replace(`${POD.b1} egress`, '192.168.300.1 egress'),
    '{"message": ',
    `${good[0]!} extra`,
    good[0]!.replace(' egress ', ' sideways '),
  ];
  const lines = [ZONAL_NAMES.join(' '), good[0]!, bad[0]!, ...good.slice(1, 5), bad[1]!, bad[2]!, '', bad[3]!, bad[4]!, ...good.slice(5), bad[5]!, bad[6]!];

  it('WHEN analyzed THEN they are counted in skipped, the good records still give the ground truth, and nothing throws', async () => {
    const reported: SkippedLine[] = [];
    const s = await analyze([writeText(tempDir(), 'mixed.log', lines)], { onSkipped: (l) => reported.push(l), reportSkipped: 100 });
    expectTruth(s);
    expect(s.skipped).toBe(bad.length);
    expect(s.records).toBe(good.length);
    // 1-based line numbers of the file, header and blank line included
    expect(reported.map((r) => r.line)).toEqual([3, 8, 9, 11, 12, 13 + good.length - 5, 14 + good.length - 5]);
    expect(reported.map((r) => r.reason)).toEqual([
      expect.stringMatching(/fields/), expect.stringMatching(/fields/), expect.stringMatching(/bytes/), expect.stringMatching(/address/),
      expect.stringMatching(/JSON/), expect.stringMatching(/25 fields, the format has 24/), expect.stringMatching(/flow-direction/),
    ]);
  });

  it('WHEN there are more malformed lines than the report limit THEN only the first few are passed on but all are counted', async () => {
    const reported: SkippedLine[] = [];
    const s = await analyze([writeText(tempDir(), 'junk.log', Array.from({ length: 40 }, (_, i) => `junk ${i}`))], { onSkipped: (l) => reported.push(l) });
    expect(s.skipped).toBe(40);
    expect(reported.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([['1.2.3'], ['1.2.3.4.5'], ['1..2.3'], ['256.1.1.1'], ['1.2.3.4x'], ['1234.1.1.1'], ['abc'], ['-x']])(
    'WHEN pkt-dstaddr is %s THEN the record is skipped as malformed', async (address) => {
      const line = render([{ ...recordsOf(FLOWS[0]!)[0]!, 'pkt-dstaddr': address }], ZONAL_NAMES);
      const s = await analyze([writeText(tempDir(), 'addr.log', line)]);
      expect(s.skipped).toBe(1);
      expect(s.bytes.total).toBe(0);
    });

  it('WHEN a line is longer than the scanner buffer THEN it is one skipped line and the next lines still count', async () => {
    const p = join(tempDir(), 'long.log');
    writeFileSync(p, `${good.slice(0, 3).join('\n')}\n${'x'.repeat(3 * 1024 * 1024)}\n${good.slice(3).join('\n')}\n`);
    const reported: SkippedLine[] = [];
    const s = await analyze([p], { onSkipped: (l) => reported.push(l) });
    expectTruth(s);
    expect(s.skipped).toBe(1);
    expect(reported[0]).toMatchObject({ line: 4, reason: expect.stringMatching(/longer/) });
  });
});

describe('GIVEN records that need a closer look at attribution', () => {
  const egress = (over: Record<string, string>): Values => ({ ...recordsOf(FLOWS[0]!)[0]!, ...over });
  const run = async (records: Values[], extra = {}) => analyze([writeText(tempDir(), 'r.log', render(records, ZONAL_NAMES))], extra);

  it('WHEN the destination is outside every mapped subnet THEN the bytes count in total and unattributed, not in cross/same zone', async () => {
    const s = await run([egress({ 'pkt-dstaddr': OUTSIDE, dstaddr: OUTSIDE })]);
    expect(s.bytes).toEqual({ total: 1_000_000, crossZone: 0, sameZone: 0, unattributed: 1_000_000 });
    expect(s.byZonePair).toEqual([]);
  });

  it('WHEN pkt-srcaddr is outside the mapped subnets THEN the egress record\'s az-id still gives the source zone', async () => {
    const s = await run([egress({ 'pkt-srcaddr': '100.64.3.4', srcaddr: '100.64.3.4', 'az-id': 'usw2-az3' })]);
    expect(s.byZonePair).toEqual([{ from: 'us-west-2c', to: 'us-west-2b', bytes: 1_000_000 }]);
  });

  it('WHEN az-id is not a declared zone id THEN the source zone comes from the pod address', async () => {
    const s = await run([egress({ 'az-id': 'use1-az9' })]);
    expect(s.byZonePair).toEqual([{ from: 'us-west-2a', to: 'us-west-2b', bytes: 1_000_000 }]);
  });

  it('WHEN pkt-dstaddr (the pod) and dstaddr (an ENI address) are in different zones THEN the pod address wins; with pkt-dstaddr "-" dstaddr is used', async () => {
    expect((await run([egress({ dstaddr: NODE.c })])).byZonePair).toEqual([{ from: 'us-west-2a', to: 'us-west-2b', bytes: 1_000_000 }]);
    expect((await run([egress({ dstaddr: NODE.c, 'pkt-dstaddr': '-' })])).byZonePair).toEqual([{ from: 'us-west-2a', to: 'us-west-2c', bytes: 1_000_000 }]);
  });

  it('WHEN a record is NODATA (bytes "-") THEN it is a record but adds no bytes', async () => {
    const nodata = Object.fromEntries(ZONAL_NAMES.map((n) => [n, '-'])) as Values;
    const s = await run([{ ...nodata, version: '5', 'log-status': 'NODATA', 'flow-direction': '-' }, egress({})]);
    expect(s.records).toBe(2);
    expect(s.skipped).toBe(0);
    expect(s.bytes.total).toBe(1_000_000);
  });

  it('WHEN addresses are IPv6 inside IPv6 subnet CIDRs THEN they are attributed like IPv4', async () => {
    const zones = [
      { name: 'us-west-2a', cidrs: ['2600:1f14:abc:a100::/56'] },
      { name: 'us-west-2b', cidrs: ['2600:1f14:abc:b200::/56'] },
    ];
    const s = await run([egress({ 'pkt-srcaddr': '2600:1f14:abc:a1ff::7', 'pkt-dstaddr': '2600:1f14:abc:b200::1:2', 'az-id': '-' })], { zones });
    expect(s.byZonePair).toEqual([{ from: 'us-west-2a', to: 'us-west-2b', bytes: 1_000_000 }]);
  });

  it('WHEN files with different formats are concatenated, each with its header THEN every part is read in its own format', async () => {
    const p = join(tempDir(), 'cat.log');
    const half = Math.floor(FLOWS.length / 2);
    const first = render(FLOWS.slice(0, half).flatMap(recordsOf), ZONAL_NAMES);
    const custom = ['bytes', 'flow-direction', 'pkt-srcaddr', 'pkt-dstaddr', 'az-id', 'start', 'end'];
    const second = render(FLOWS.slice(half).flatMap(recordsOf), custom);
    writeFileSync(p, `${[ZONAL_NAMES.join(' '), ...first, custom.join(' '), ...second].join('\n')}\n`);
    const s = await analyze([p]);
    expectTruth(s);
    expect(s.skipped).toBe(0);
  });

  it('WHEN a services map is given THEN top talkers rank service pairs by cross-zone bytes, unknown addresses as (other)', async () => {
    const services = serviceMapOf({ [POD.a1]: 'checkout', [POD.a2]: 'checkout', '192.168.128.0/19': 'catalog', [POD.c1]: 'search' });
    const s = await analyze([writeText(tempDir(), 'svc.log', render(allRecords(), ZONAL_NAMES))], { services, top: 3 });
    expect(s.topTalkers).toEqual([
      { from: 'checkout', to: 'catalog', bytes: 1_000_000, crossZoneBytes: 1_000_000, crossZoneCostUsd: expect.any(Number) },
      { from: 'catalog', to: 'checkout', bytes: 250_000, crossZoneBytes: 250_000, crossZoneCostUsd: expect.any(Number) },
      { from: 'search', to: 'catalog', bytes: 30_000, crossZoneBytes: 30_000, crossZoneCostUsd: expect.any(Number) },
    ]);
    expect(s.topTalkers![0]!.crossZoneCostUsd).toBeCloseTo((1_000_000 / 2 ** 30) * 0.02, 6);
    const all = await analyze([writeText(tempDir(), 'svc.log', render(allRecords(), ZONAL_NAMES))], { services, top: 100 });
    expect(all.topTalkers).toContainEqual({ from: 'checkout', to: '(other)', bytes: 50_000, crossZoneBytes: 0, crossZoneCostUsd: 0 });
    expect(all.topTalkers!.reduce((sum, t) => sum + t.bytes, 0)).toBe(TRUTH.total);
  });
});
