import { beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFlowLogFiles, type FlowLogSummary } from '../../generator/flowlogs/analyze.js';
import { runDuckDb } from '../../generator/flowlogs/parquet.js';
import { serviceMapOf } from '../../generator/flowlogs/services.js';
import { duckdbSource, renderDuckDb, zoneQueryDefinition } from '../../generator/flowlogs/zone-query.js';
import { parseScenario } from '../../generator/simulate/scenario.js';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { gzipMembers, partitionDir, syntheticFlows, T0, textLines, truthOf, writeFile, writeParquet, writeParquetTree, type Truth } from './dataset.js';
import { OUTSIDE, POD, recordsOf, ZONES } from './helpers.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
const FLOWS = syntheticFlows(600);
const TRUTH = truthOf(FLOWS);

function expectTruth(s: FlowLogSummary, t: Truth): void {
  expect({ records: s.records, skipped: s.skipped, bytes: s.bytes, byZonePair: s.byZonePair, counting: s.counting, window: s.window })
    .toEqual({ records: t.records, skipped: 0, bytes: t.bytes, byZonePair: t.byZonePair, counting: t.counting, window: t.window });
}

/** The three inputs of the same records: text, gzip in several members, a Parquet S3 tree. */
async function inputs(): Promise<{ dir: string; text: string; gzip: string; tree: string; parquet: string[] }> {
  const dir = tempDir();
  const lines = textLines(FLOWS);
  const text = writeFile(join(dir, 'flows.log'), `${lines.join('\n')}\n`);
  const gzip = writeFile(join(dir, 'flows.log.gz'), gzipMembers(lines, 5));
  const tree = join(dir, 's3');
  const parquet = await writeParquetTree(tree, FLOWS, 2);
  return { dir, text, gzip, tree, parquet };
}

describe('GIVEN the same synthetic records as text, gzip and Parquet (several files, row groups of 8, hourly partitions)', () => {
  let ready: Awaited<ReturnType<typeof inputs>>;
  beforeAll(async () => { ready = await inputs(); });

  it('WHEN each is analyzed THEN all three summaries are identical and equal the ground truth computed from the flows', async () => {
    const { text, gzip, tree, parquet } = ready;
    expect(parquet.length).toBeGreaterThanOrEqual(10);
    const services = serviceMapOf({ [POD.a1]: 'checkout', [POD.b1]: 'catalog', '192.168.160.0/19': 'payments' });
    const [t, g, p] = await Promise.all([text, gzip, tree].map((f) => analyzeFlowLogFiles([f], { zones: ZONES, services })));
    expectTruth(t!, TRUTH);
    expect(g).toEqual(t);
    expect(p).toEqual(t);
  });

  it('WHEN run through the CLI with --json THEN text, gzip and the Parquet folder print byte-identical summaries', async () => {
    const { dir, text, gzip, tree } = ready;
    const subnets = subnetsFile(dir);
    const [a, g, b] = await Promise.all([text, gzip, tree].map((f) => runCli(['flowlogs', 'analyze', f, '--subnets', subnets, '--json'])));
    for (const r of [a!, g!, b!]) expect([r.code, r.stderr]).toEqual([0, '']);
    expect(g!.stdout).toBe(a!.stdout);
    expect(b!.stdout).toBe(a!.stdout);
    expectTruth(JSON.parse(a!.stdout), TRUTH);
  });

  it.each(['mixed', 'plain'] as const)('WHEN the S3 tree has the %s layout (AWSLogs/<account>/vpcflowlogs/<region>/...) THEN `analyze --since/--until` prunes its partitions and gives the day\'s ground truth', async (layout) => {
    const root = join(ready.dir, `s3-${layout}`);
    const files = await writeParquetTree(root, FLOWS, 1, layout);
    expect(files[0]).toContain(layout === 'plain' ? '/AWSLogs/111122223333/vpcflowlogs/us-west-2/2025/03/01/' : '/AWSLogs/111122223333/vpcflowlogs/us-west-2/year=2025/month=03/day=01/hour=');
    // unreadable "Parquet" in a partition of the third day: only pruning keeps it unopened
    writeFile(join(partitionDir(root, T0 + 2 * 86_400 + 13 * 3600, layout), 'broken.parquet'), 'PAR1 not really parquet');
    const subnets = subnetsFile(ready.dir);
    const day = await runCli(['flowlogs', 'analyze', root, '--subnets', subnets, '--since', '2025-03-02', '--until', '2025-03-02', '--json']);
    expect([day.code, day.stderr]).toEqual([0, '']);
    expectTruth(JSON.parse(day.stdout), truthOf(FLOWS, { from: T0 + 86_400, to: T0 + 2 * 86_400 }));
    const all = await runCli(['flowlogs', 'analyze', root, '--subnets', subnets, '--json']);
    expect(all.code).toBe(2);
    expect(all.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^zonal flowlogs analyze: DuckDB cannot read the Parquet input: .*broken\.parquet/)]);
  });

  it('WHEN --since/--until select one day THEN every input gives that day\'s ground truth, and Parquet partitions outside are not opened', async () => {
    const { text, gzip, tree } = ready;
    // a "Parquet" file in a partition two days later that DuckDB cannot read: only pruning avoids it
    const broken = writeFile(join(tree, 'AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-west-2/year=2025/month=03/day=03/hour=13/broken.parquet'), 'PAR1 not really parquet');
    try {
      const range = { from: T0 + 86_400, to: T0 + 2 * 86_400 };
      const dayTruth = truthOf(FLOWS, range);
      expect(dayTruth.records).toBeGreaterThan(0);
      expect(dayTruth.records).toBeLessThan(TRUTH.records);
      for (const f of [text, gzip, tree]) expectTruth(await analyzeFlowLogFiles([f], { zones: ZONES, startRange: range }), dayTruth);
      // without pruning the broken file is read, and it is bad input (one line), not a crash
      await expect(analyzeFlowLogFiles([tree], { zones: ZONES })).rejects.toThrow(/^zonal flowlogs analyze: DuckDB cannot read the Parquet input: .*broken\.parquet/);
    } finally {
      rmSync(broken);
    }
  });

  it('WHEN the DuckDB rendering of the inter-zone query runs over the Parquet files THEN its totals and zone pairs equal the analyzer\'s exactly', async () => {
    const { parquet } = ready;
    const summary = await analyzeFlowLogFiles(parquet, { zones: ZONES });
    const rows = await runDuckDb(renderDuckDb(zoneQueryDefinition(ZONES), { source: duckdbSource(parquet) }));
    const total = rows.reduce((n, r) => n + Number(r.bytes), 0);
    const pairs = rows.filter((r) => r.from_zone !== null && r.to_zone !== null)
      .map((r) => ({ from: String(r.from_zone), to: String(r.to_zone), bytes: Number(r.bytes) }));
    expect(total).toBe(summary.bytes.total);
    expect(pairs).toEqual(summary.byZonePair);
    const unattributed = rows.filter((r) => r.from_zone === null || r.to_zone === null).reduce((n, r) => n + Number(r.bytes), 0);
    expect(unattributed).toBe(summary.bytes.unattributed);
    expect(rows.filter((r) => r.cross_zone === true).reduce((n, r) => n + Number(r.bytes), 0)).toBe(summary.bytes.crossZone);
  });

  it('WHEN `zonal flowlogs query --engine duckdb --run` is given the Parquet files THEN it prints the same zone pairs', async () => {
    const { parquet, dir } = ready;
    const subnets = subnetsFile(dir);
    const printed = await runCli(['flowlogs', 'query', '--engine', 'duckdb', '--subnets', subnets, ...parquet.slice(0, 2)]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`read_parquet(['${parquet[0]}', '${parquet[1]}'], union_by_name = true)`);
    const run = await runCli(['flowlogs', 'query', '--engine', 'duckdb', '--subnets', subnets, '--run', ...parquet]);
    expect(run.code).toBe(0);
    for (const p of TRUTH.byZonePair) expect(run.stdout).toMatch(new RegExp(`^${p.from}\\s+${p.to}\\s+(true|false)\\s+${p.bytes}\\s`, 'm'));
    // --since/--until: the records the analyzer counts for those days
    const day = await runCli(['flowlogs', 'query', '--engine', 'duckdb', '--subnets', subnets, '--since', '2025-03-02', '--until', '2025-03-02', '--run', ...parquet]);
    expect(day.code).toBe(0);
    const dayTruth = truthOf(FLOWS, { from: T0 + 86_400, to: T0 + 2 * 86_400 });
    const dayPairs = day.stdout.split('\n').slice(1).filter((l) => /^us-/.test(l)).map((l) => l.split(/\s+/)).filter((c) => c[1] !== 'NULL').map((c) => ({ from: c[0], to: c[1], bytes: Number(c[3]) }));
    expect(dayPairs).toEqual(dayTruth.byZonePair);
  });

  it('WHEN a file is given twice (directly and inside its folder) THEN it counts once, with a warning', async () => {
    const { text, dir } = ready;
    const folder = join(dir, 'only-text');
    mkdirSync(folder);
    const inFolder = writeFile(join(folder, 'flows.log'), readFileSync(text));
    const warnings: string[] = [];
    const s = await analyzeFlowLogFiles([inFolder, inFolder, folder], { zones: ZONES, onWarning: (m) => warnings.push(m) });
    expectTruth(s, TRUTH);
    expect(warnings.filter((w) => /is the same file as .*counted once/.test(w))).toHaveLength(2);
  });

  it('WHEN the same time range comes as text and as Parquet THEN the overlap is reported (summary and warning)', async () => {
    const { text, tree, dir } = ready;
    const warnings: string[] = [];
    const s = await analyzeFlowLogFiles([text, tree], { zones: ZONES, onWarning: (m) => warnings.push(m) });
    expect(s.overlappingInputs).toEqual([expect.objectContaining({ inputs: [text, `${tree} (${ready.parquet.length} Parquet files)`] })]);
    expect(warnings).toEqual([expect.stringMatching(/cover overlapping time .*counted twice/)]);
    // two different days: no overlap
    const day1 = writeFile(join(dir, 'day1.log'), `${textLines(FLOWS.filter((f) => f.start < T0 + 86_400)).join('\n')}\n`);
    const day3 = writeFile(join(dir, 'day3.log'), `${textLines(FLOWS.filter((f) => f.start >= T0 + 2 * 86_400)).join('\n')}\n`);
    expect((await analyzeFlowLogFiles([day1, day3], { zones: ZONES })).overlappingInputs).toBeUndefined();
    // two copies of the same S3 hours, both Parquet: each FILE argument is an input of its own
    const copy = join(dir, 's3-copy');
    cpSync(tree, copy, { recursive: true });
    const twice = await analyzeFlowLogFiles([tree, copy], { zones: ZONES });
    expect(twice.records).toBe(2 * TRUTH.records);
    expect(twice.overlappingInputs).toEqual([expect.objectContaining({ inputs: [`${tree} (${ready.parquet.length} Parquet files)`, `${copy} (${ready.parquet.length} Parquet files)`] })]);
  });
});

describe('GIVEN Parquet with values the text path refuses', () => {
  it('WHEN a record carries more bytes than can be counted exactly THEN it is skipped like in text, and a total beyond 2^53 half-bytes is refused', async () => {
    const dir = tempDir();
    const [egress] = recordsOf({ src: POD.a1, dst: POD.b1, bytes: 1, start: T0, end: T0 + 60 });
    const huge = { ...egress!, bytes: String(2 ** 52) };
    const file = join(dir, 'huge.parquet');
    await writeParquet(file, [huge, egress!]);
    const s = await analyzeFlowLogFiles([file], { zones: ZONES });
    expect([s.records, s.skipped, s.bytes.total]).toEqual([1, 1, 1]);
    const big = { ...egress!, bytes: String(2 ** 52 - 1) };
    const many = join(dir, 'many.parquet');
    await writeParquet(many, [big, big, big]);
    await expect(analyzeFlowLogFiles([many], { zones: ZONES })).rejects.toThrow(/more than .* bytes .*analyze fewer files/);
  });
});

describe('GIVEN dual-stack subnets and pods with IPv6 addresses', () => {
  // the example's pods, each moved to an IPv6 address of its zone's /64 (written in several forms)
  const V6: Readonly<Record<string, string>> = {
    [POD.a1]: '2600:1f14:abc:a100::11', [POD.a2]: '2600:1F14:ABC:A100:0:0:0:12',
    [POD.b1]: '2600:1f14:abc:a200::21', [POD.b2]: '2600:1f14:abc:a200:0::22',
    [POD.c1]: '2600:1f14:abc:a300:ffff:ffff:ffff:ffff', [OUTSIDE]: '2a05:d018::1',
  };
  const cidr6 = ['2600:1f14:abc:a100::/64', '2600:1f14:abc:a200::/64', '2600:1f14:abc:a300::/64'];

  it.each([
    ['with AZ ids (source zone by az-id)', ZONES.map((z, i) => ({ ...z, cidrs: [...z.cidrs, cidr6[i]!] }))],
    ['without AZ ids (source zone by address)', ZONES.map((z, i) => ({ name: z.name, cidrs: [...z.cidrs, cidr6[i]!] }))],
  ])('WHEN the DuckDB rendering runs over their Parquet records %s THEN it equals the analyzer, and the zones are those of the IPv4 run', async (_, zones) => {
    const flows = syntheticFlows(120, 0xbeef);
    const records = flows.flatMap(recordsOf).map((r) => ({ ...r, 'pkt-srcaddr': V6[r['pkt-srcaddr']!]!, 'pkt-dstaddr': V6[r['pkt-dstaddr']!]! }));
    const file = join(tempDir(), 'v6.parquet');
    await writeParquet(file, records);
    const summary = await analyzeFlowLogFiles([file], { zones });
    // the same flows over IPv4 give the same zones (ground truth from the flows)
    const truth = truthOf(flows);
    expect(summary.byZonePair).toEqual(truth.byZonePair);
    expect(summary.bytes).toEqual(truth.bytes);
    const rows = await runDuckDb(renderDuckDb(zoneQueryDefinition(zones), { source: duckdbSource([file]) }));
    const pairs = rows.filter((r) => r.from_zone !== null && r.to_zone !== null)
      .map((r) => ({ from: String(r.from_zone), to: String(r.to_zone), bytes: Number(r.bytes) }));
    expect(pairs).toEqual(summary.byZonePair);
    expect(rows.reduce((n, r) => n + Number(r.bytes), 0)).toBe(summary.bytes.total);
  });
});

describe('GIVEN measured traffic and a services map', () => {
  it('WHEN --emit-scenario is given THEN it writes a scenario zonal simulate accepts, GB/month per caller zone and destination', async () => {
    const dir = tempDir();
    const log = writeFile(join(dir, 'flows.log'), `${textLines(FLOWS).join('\n')}\n`);
    const services = writeFile(join(dir, 'services.yaml'), `services:\n  ${POD.b1}: zip-lookup-service\n  ${POD.b2}: zip-lookup-service\n  ${POD.c1}: not-in-values\n`);
    const subnets = writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\n`);
    const out = join(dir, 'measured.yaml');
    const r = await runCli(['flowlogs', 'analyze', log, '--values', VALUES, '--services', services, '--emit-scenario', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not in the scenario \(not a destination of the values file\): "not-in-values"/);
    const text = readFileSync(out, 'utf8');
    // zonal simulate takes it as it is
    const sim = await runCli(['simulate', '--values', VALUES, '--scenario', out, '--json']);
    expect([sim.code, sim.stderr]).toEqual([0, '']);
    // without --values the names cannot be checked, and simulate refuses the unknown one
    const loose = join(dir, 'loose.yaml');
    expect((await runCli(['flowlogs', 'analyze', log, '--subnets', subnets, '--services', services, '--emit-scenario', loose])).code).toBe(0);
    expect(readFileSync(loose, 'utf8')).toContain('not-in-values');
    const { scenario } = parseScenario(text, out);
    expect(scenario.defaultGbPerMonth).toBe(0);
    // ground truth: bytes into b1/b2 per source zone over the 3-day window, scaled to 30 days
    const s = JSON.parse(r.stdout) as FlowLogSummary;
    const factor = (30 * 86_400) / (s.window!.end - s.window!.start);
    const expected = new Map<string, number>();
    for (const f of FLOWS) {
      const fromZone = ZONES.find((z) => z.cidrs.some(() => true) && ipIn(f.src, z.cidrs[0]!))?.name;
      if (!fromZone || (f.dst !== POD.b1 && f.dst !== POD.b2)) continue;
      expected.set(fromZone, (expected.get(fromZone) ?? 0) + f.bytes);
    }
    expect(scenario.traffic.filter((t) => t.to === 'zip-lookup-service').map((t) => [t.from, t.gbPerMonth]).sort())
      .toEqual([...expected].map(([z, b]) => [z, Math.round((b / 2 ** 30) * factor * 1000) / 1000]).sort());
    expect(text).toMatch(/^# measured window: .* scaled to a month of 30 days/ms);
  });

  it('WHEN --emit-scenario is given without --services THEN it is a usage error', async () => {
    const r = await runCli(['flowlogs', 'analyze', 'x.log', '--subnets', 'x.yaml', '--emit-scenario', 'out.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--emit-scenario needs --services FILE/);
  });
});

/** The test zones as a --subnets file (CIDRs and az-ids). */
function subnetsFile(dir: string): string {
  return writeFile(join(dir, 'subnets.yaml'), `subnets:\n${ZONES.map((z) => `  ${z.cidrs[0]}: ${z.name}`).join('\n')}\nazIds:\n${ZONES.map((z) => `  ${z.id}: ${z.name}`).join('\n')}\n`);
}

function ipIn(ip: string, cidr: string): boolean {
  const n = (a: string) => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base!) / size);
}

