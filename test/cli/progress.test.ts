import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../generator/main.js';
import type { CommandIO } from '../../generator/commands/command.js';
import { REPO } from '../support/helm.js';
import { tempDir } from '../support/temp.js';
import { BUILT_CLI as CLI } from '../support/generate.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
const BAR = /zonal (generate|report|flowlogs analyze): [^[\n]+ \[[░█]+\] \d+%/;

/** Runs zonal in-process with stdout/stderr on a terminal or not (the check cli.ts makes). */
async function run(args: string[], tty: boolean) {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    cwd: REPO, env: { ...process.env }, readStdin: async () => '', tty, columns: 100,
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
  };
  return { code: await main(args, io), stdout, stderr };
}

function flowLog(dir: string): { log: string; subnets: string } {
  const log = join(dir, 'f.log');
  writeFileSync(log, ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    ...Array.from({ length: 50 }, (_, i) => `2 123456789012 eni-1 10.0.0.${i + 1} 10.0.32.9 4000 80 6 10 ${1000 + i} 1700000000 1700000060 ACCEPT OK`)].join('\n') + '\n');
  const subnets = join(dir, 'subnets.yaml');
  writeFileSync(subnets, 'subnets:\n  10.0.0.0/19: us-west-2a\n  10.0.32.0/19: us-west-2b\n  10.0.64.0/19: us-west-2c\n');
  return { log, subnets };
}

describe('GIVEN a long-running command', () => {
  it('WHEN stdout/stderr are terminals THEN generate draws a progress bar on stderr, and --quiet turns it off', async () => {
    const tty = await run(['generate', '--values', VALUES, '--out', tempDir()], true);
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(BAR);
    expect(tty.stderr).toMatch(/zonal generate: writing files \[/);
    expect(tty.stdout).not.toMatch(BAR); // the command's own output stays clean
    const quiet = await run(['generate', '--values', VALUES, '--out', tempDir(), '--quiet'], true);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
  });

  it('WHEN they are not terminals THEN generate, report and flowlogs analyze print nothing extra', async () => {
    const dir = tempDir();
    const { log, subnets } = flowLog(dir);
    for (const args of [
      ['generate', '--values', VALUES, '--out', tempDir()],
      ['report', '--values', VALUES, '--flowlogs', log, '--out', join(dir, 'r.html')],
      ['flowlogs', 'analyze', log, '--subnets', subnets],
    ]) {
      const r = await run(args, false);
      expect([args[0], r.code, r.stderr]).toEqual([args[0], 0, '']);
    }
  });

  it('WHEN report and flowlogs analyze run on a terminal THEN they show progress, not with --quiet', async () => {
    const dir = tempDir();
    const { log, subnets } = flowLog(dir);
    const report = await run(['report', '--values', VALUES, '--flowlogs', log, '--out', join(dir, 'r.html')], true);
    expect(report.code).toBe(0);
    expect(report.stderr).toMatch(/zonal report: reading flow logs \(MiB\) \[/);
    const analyze = await run(['flowlogs', 'analyze', log, '--subnets', subnets], true);
    expect(analyze.code).toBe(0);
    expect(analyze.stderr).toMatch(/zonal flowlogs analyze: reading flow logs \(MiB\) \[/);
    expect(analyze.stdout).not.toMatch(BAR);
    for (const args of [['report', '--values', VALUES, '--flowlogs', log, '--out', join(dir, 'q.html'), '--quiet'], ['flowlogs', 'analyze', log, '--subnets', subnets, '--quiet']]) {
      expect((await run(args, true)).stderr).toBe('');
    }
  });

  it('WHEN the real CLI runs with pipes THEN stderr is empty; under a pseudo-terminal (script) the bar appears', () => {
    const out = tempDir();
    const piped = spawnSync(process.execPath, [CLI, 'generate', '--values', VALUES, '--out', out], { encoding: 'utf8' });
    expect([piped.status, piped.stderr]).toEqual([0, '']);
    if (!existsSync('/usr/bin/script')) return; // util-linux missing: the in-process tests above cover the TTY path
    const shell = (extra: string) => execFileSync('/usr/bin/script', ['-qec', `${process.execPath} ${CLI} generate --values ${VALUES} --out ${tempDir()}${extra}`, '/dev/null'],
      { encoding: 'utf8' });
    expect(shell('')).toMatch(BAR);
    const quiet = shell(' --quiet');
    expect(quiet).not.toMatch(BAR);
    expect(quiet).toMatch(/wrote .*charts\/octank-travel/);
  });
});
