import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowLogSummary } from '../../generator/flowlogs/analyze.js';
import { runCli, tempDir, BUILT_CLI as CLI } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { allRecords, POD, render, TRUTH, writeText, ZONAL_NAMES } from './helpers.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');

describe('GIVEN zonal flowlogs analyze on logs of the bundled example\'s zones', () => {
  const dir = tempDir();
  const lines = render(allRecords(), ZONAL_NAMES);
  const log = writeText(dir, 'flows.log', [ZONAL_NAMES.join(' '), ...lines.slice(0, 3), 'not a record', ...lines.slice(3)]);

  it('WHEN run with --values and --json THEN it prints the summary with the contract\'s keys and the ground truth, exit 0', async () => {
    const r = await runCli(['flowlogs', 'analyze', log, '--values', VALUES, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as FlowLogSummary;
    expect(s).toMatchObject({
      records: lines.length,
      skipped: 1,
      bytes: { total: TRUTH.total, crossZone: TRUTH.crossZone, sameZone: TRUTH.sameZone },
      byZonePair: TRUTH.byZonePair,
    });
    expect(s.costUsd.crossZone).toBeCloseTo((TRUTH.crossZone / 2 ** 30) * 0.02, 6);
    expect(r.stderr).toBe(`${log}:5: skipped: 3 fields, the format has 24: not a record\n`);
  });

  it('WHEN run without --json THEN it prints a table with the totals, the cost and the zone pairs', async () => {
    const r = await runCli(['flowlogs', 'analyze', log, '--values', VALUES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cross zone\s+1,287,000\s+0\.001\s+24\.1%$/m);
    expect(r.stdout).toMatch(/^total\s+5,337,123\s+0\.005\s+100\.0%$/m);
    expect(r.stdout).toMatch(/^Cross-zone cost: \$0\.0000 /m);
    expect(r.stdout).toMatch(/^us-west-2a\s+us-west-2b\s+1,000,000\s+0\.001\s+18\.7%$/m);
    expect(r.stdout).not.toMatch(/Top talkers/);
  });

  it('WHEN a --services map is given THEN the table adds the top talkers', async () => {
    const services = join(dir, 'services.yaml');
    writeFileSync(services, `services:\n  ${POD.a1}: checkout\n  192.168.128.0/19: catalog\n`);
    const r = await runCli(['flowlogs', 'analyze', log, '--values', VALUES, '--services', services, '--top', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Top talkers[^\n]*\nFrom\s+To[^\n]*\n[- ]+\ncheckout\s+catalog\s+1,000,000\s+1,000,000\s+\$0\.0000\ncatalog\s+checkout\s+250,000\s/);
  });

  it('WHEN zones come from --subnets instead of --values THEN the numbers are the same', async () => {
    const subnets = join(dir, 'subnets.yaml');
    writeFileSync(subnets, 'subnets:\n  192.168.96.0/19: us-west-2a\n  192.168.128.0/19: us-west-2b\n  192.168.160.0/19: us-west-2c\n');
    const a = await runCli(['flowlogs', 'analyze', log, '--subnets', subnets, '--json']);
    const b = await runCli(['flowlogs', 'analyze', log, '--values', VALUES, '--json']);
    expect(JSON.parse(a.stdout).bytes).toEqual(JSON.parse(b.stdout).bytes);
  });

  it.each([
    ['no file', ['--values', VALUES], /at least one flow-log FILE/],
    ['both zone sources', [log, '--values', VALUES, '--subnets', VALUES], /exactly one of --values FILE or --subnets FILE/],
    ['no zone source', [log], /exactly one of --values FILE or --subnets FILE/],
    ['a format without bytes', [log, '--values', VALUES, '--log-format', '${srcaddr} ${dstaddr}'], /--log-format: .*bytes/],
    ['an unknown flag', [log, '--values', VALUES, '--nope'], /nope/],
  ])('WHEN given %s THEN it exits 2 with a usage message', async (_what, args, message) => {
    const r = await runCli(['flowlogs', 'analyze', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('WHEN a log file does not exist THEN it exits 2 naming the file', async () => {
    const r = await runCli(['flowlogs', 'analyze', join(dir, 'missing.log'), '--values', VALUES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`zonal flowlogs analyze: cannot read ${join(dir, 'missing.log')} (no such file or folder; check the path)\n`);
  });
});

describe('GIVEN zonal flowlogs query', () => {
  it('WHEN --engine insights THEN it prints Logs Insights queries over the zones\' CIDRs, egress records only', async () => {
    const r = await runCli(['flowlogs', 'query', '--engine', 'insights', '--values', VALUES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^parse @message "(\* ){23}\*" as version, /m);
    expect(r.stdout).toMatch(/filter flow_direction = "egress"/);
    for (const cidr of ['192.168.96.0/19', '192.168.128.0/19', '192.168.160.0/19']) expect(r.stdout).toContain(`isIpv4InSubnet(pkt_dstaddr, "${cidr}")`);
  });

  it('WHEN --engine athena THEN it prints the database and table DDL and the zone-pair SQL', async () => {
    const r = await runCli(['flowlogs', 'query', '--engine', 'athena', '--values', VALUES, '--bucket', 'flow-logs-bucket', '--account-id', '123456789012']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CREATE DATABASE IF NOT EXISTS `zonal_octank_travel`;$/m);
    expect(r.stdout).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS `zonal_octank_travel`\.`vpc_flow_logs` \(/m);
    expect(r.stdout).toContain("s3://flow-logs-bucket/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-west-2/");
    expect(r.stdout).toMatch(/WHEN 'usw2-az1' THEN 'us-west-2a'/);
    expect(r.stdout).not.toMatch(/replace amzn-s3-demo-bucket/);
  });

  it('WHEN --engine is missing or unknown THEN it exits 2', async () => {
    expect((await runCli(['flowlogs', 'query', '--values', VALUES])).code).toBe(2);
    expect((await runCli(['flowlogs', 'query', '--engine', 'bigquery', '--values', VALUES])).code).toBe(2);
  });
});

describe('GIVEN a plain-text log big enough to be split across worker threads (built CLI, real process)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the CLI first (npm run build, or npm test which runs pretest)`);
  });

  const cli = (args: string[]) => spawnSync(process.execPath, [CLI, 'flowlogs', 'analyze', ...args, '--values', VALUES, '--json'], { encoding: 'utf8', cwd: REPO });
  const dirs: string[] = [];
  const bigDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))); // tens of MB each

  it('WHEN analyzed with --threads 2 and --threads 1 THEN the summaries and the reported skipped lines are identical', () => {
    const dir = bigDir();
    const lines = render(allRecords(), ZONAL_NAMES);
    const block = `${lines.join('\n')}\n`;
    const copies = Math.ceil((40 * 1024 * 1024) / block.length); // over 2 x 16 MiB: the file is split
    const body = block.repeat(copies);
    const p = join(dir, 'big.log');
    writeFileSync(p, `${ZONAL_NAMES.join(' ')}\n${body}bad tail line\n${body}`);
    const one = cli([p, '--threads', '1']);
    const two = cli([p, '--threads', '2']);
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(one.stdout).bytes.crossZone).toBe(TRUTH.crossZone * copies * 2);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stderr).toMatch(new RegExp(`:${lines.length * copies + 2}: skipped: `));
  });

  it('WHEN a header in the middle changes the format (concatenated logs) THEN the split run falls back and still matches the single-threaded one', () => {
    const dir = bigDir();
    const custom = ['bytes', 'flow-direction', 'pkt-srcaddr', 'pkt-dstaddr', 'az-id', 'start', 'end'];
    const a = `${render(allRecords(), ZONAL_NAMES).join('\n')}\n`;
    const b = `${render(allRecords(), custom).join('\n')}\n`;
    const p = join(dir, 'cat.log');
    writeFileSync(p, `${ZONAL_NAMES.join(' ')}\n${a.repeat(Math.ceil((12 * 1024 * 1024) / a.length))}${custom.join(' ')}\n${b.repeat(Math.ceil((30 * 1024 * 1024) / b.length))}`);
    const one = cli([p, '--threads', '1']);
    const two = cli([p, '--threads', '2']);
    expect(JSON.parse(one.stdout).skipped).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });
});
