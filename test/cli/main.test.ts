import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, CommandIO } from '../../generator/commands/command.js';
import { defineCommand, flagTable, parseDeclared } from '../../generator/commands/declare.js';
import { parseZonesFlag } from '../../generator/commands/shared/zones-flag.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, fileErrorReason, InputError, UsageError } from '../../generator/errors.js';
import { runCommand } from '../../generator/main.js';
import { runCli } from '../support/generate.js';
import { tempDir } from '../support/temp.js';

function capture(): { io: CommandIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { cwd: '/', stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, readStdin: async () => '', env: {} },
    out: () => out,
    err: () => err,
  };
}

function throwing(error: unknown): Command {
  return { name: 'boom', summary: 's', usage: 'Usage: zonal boom', run: async () => { throw error; } };
}

describe('GIVEN a command that throws', () => {
  it('WHEN it is an unexpected TypeError THEN exit 70 and "this is a bug in zonal", no stack', async () => {
    const c = capture();
    expect(await runCommand(throwing(new TypeError('x.y is not a function')), [], c.io)).toBe(EXIT_INTERNAL);
    expect(c.err()).toBe('zonal boom: this is a bug in zonal: x.y is not a function (please report it with the command line; ZONAL_DEBUG=1 prints the stack)\n');
  });

  it('WHEN it is a bare errno error THEN it is a bug too (user paths are described where they are read)', async () => {
    const c = capture();
    const enoent = Object.assign(new Error('ENOENT: no such file or directory, open \'/x\''), { code: 'ENOENT', syscall: 'open', path: '/x' });
    expect(await runCommand(throwing(enoent), [], c.io)).toBe(EXIT_INTERNAL);
    expect(c.err()).toMatch(/^zonal boom: this is a bug in zonal: ENOENT/);
  });

  it('WHEN it is an InputError or a UsageError THEN exit 2 with the lines, or the message and the usage', async () => {
    const a = capture();
    expect(await runCommand(throwing(new InputError(['f.yaml:1:1: bad (fix)', 'f.yaml:2:1: worse (fix)'])), [], a.io)).toBe(EXIT_BAD_INPUT);
    expect(a.err()).toBe('f.yaml:1:1: bad (fix)\nf.yaml:2:1: worse (fix)\n');
    const u = capture();
    expect(await runCommand(throwing(new UsageError('--x is required')), [], u.io)).toBe(EXIT_BAD_INPUT);
    expect(u.err()).toBe('zonal boom: --x is required\n\nUsage: zonal boom\n');
  });
});

describe('GIVEN a file the user named that cannot be read or written', () => {
  it('WHEN --scenario is a directory THEN exit 2 naming the file and the flag, no errno code', async () => {
    const dir = tempDir();
    const r = await runCli(['simulate', '--values', 'values/octank-travel.yaml', '--scenario', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${dir}:1:1: cannot read the scenario file (is a directory, not a file; check the --scenario path)\n`);
  });

  it('WHEN report --out is an existing directory THEN exit 2 naming it, and the directory is left alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: { name: s, namespace: n }\nspec: { ports: [{ port: 80 }] }\n');
    const target = join(dir, 'out.html');
    mkdirSync(join(target, 'keep'), { recursive: true });
    const r = await runCli(['report', '-f', join(dir, 'm.yaml'), '--zones', 'a,b', '--region', 'r', '--out', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`zonal report: ${target}: cannot write the page (is a directory, not a file; check the --out path)\n`);
  });
});

describe('GIVEN a command declaration', () => {
  const cmd = defineCommand({
    name: 'demo',
    summary: 'a demo',
    synopsis: ['--values FILE [--json]', '-f PATH...'],
    description: 'Does a demo.',
    flags: {
      values: { type: 'string', arg: 'FILE', help: 'values file', default: 'v.yaml' },
      file: { type: 'string', short: 'f', multiple: true, arg: 'PATH', help: 'manifests\nrepeatable' },
      json: { type: 'boolean', help: 'print JSON' },
    },
    footer: 'Exit codes: 0 ok.',
  }, async ({ flags }, io) => {
    io.stdout(JSON.stringify(flags));
    return 0;
  });

  it('THEN the usage text is generated from it: synopsis, description, an aligned option table, footer', () => {
    expect(cmd.usage).toBe([
      'Usage: zonal demo --values FILE [--json]',
      '       zonal demo -f PATH...',
      '',
      'Does a demo.',
      '',
      'Options:',
      '      --values FILE  values file (default v.yaml)',
      '  -f, --file PATH    manifests',
      '                     repeatable',
      '      --json         print JSON',
      '',
      'Exit codes: 0 ok.',
      '',
    ].join('\n'));
  });

  it('THEN the same declaration parses the flags (short names, repeats) and rejects unknown ones as usage errors', async () => {
    const c = capture();
    expect(await cmd.run(['-f', 'a', '--file', 'b', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({ file: ['a', 'b'], json: true });
    await expect(cmd.run(['--nope'], c.io)).rejects.toThrow(UsageError);
    await expect(cmd.run(['--nope'], c.io)).rejects.toThrow(/^unknown flag --nope/);
    await expect(cmd.run(['extra'], c.io)).rejects.toThrow(UsageError);
  });

  it('THEN flags without help are parsed but not listed', () => {
    expect(parseDeclared(['--x', '1'], { x: { type: 'string' } }).flags).toEqual({ x: '1' });
    expect(flagTable({ x: { type: 'string' } })).toBe('');
  });
});

describe('GIVEN --zones', () => {
  it.each([
    ['', '--zones needs at least one zone, e.g. --zones us-west-2a,us-west-2b'],
    [' , ', '--zones needs at least one zone, e.g. --zones us-west-2a,us-west-2b'],
    ['a,,b', '--zones "a,,b" has an empty entry (separate zones with single commas, e.g. us-west-2a,us-west-2b)'],
    ['a,b,', '--zones "a,b," has an empty entry (separate zones with single commas, e.g. us-west-2a,us-west-2b)'],
    ['a,b,a', '--zones names "a" twice (name each zone once)'],
  ])('WHEN it is %j THEN the usage error is exactly %j', (raw, message) => {
    expect(() => parseZonesFlag(raw)).toThrow(new UsageError(message));
  });

  it('WHEN it names zones the values file does not have THEN they are refused, listing the cluster zones', () => {
    expect(() => parseZonesFlag('us-west-2a,eu-west-1a,x', ['us-west-2a', 'us-west-2b']))
      .toThrow(new UsageError('--zones: "eu-west-1a", "x" are not zones of the values file (its cluster.zones: us-west-2a, us-west-2b)'));
    expect(parseZonesFlag(' us-west-2b , us-west-2a ', ['us-west-2a', 'us-west-2b'])).toEqual(['us-west-2b', 'us-west-2a']);
  });

  it('WHEN simulate gets a foreign zone with --values THEN exit 2 with that message (every command uses the one parser)', async () => {
    const r = await runCli(['simulate', '--values', 'values/octank-travel.yaml', '--zones', 'us-west-2a,us-east-1a']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('zonal simulate: --zones: "us-east-1a" is not a zone of the values file (its cluster.zones: us-west-2a, us-west-2b, us-west-2c)');
    const lint = await runCli(['lint', '-f', 'charts', '--zones', 'us-west-2a,,us-west-2b']);
    expect(lint.code).toBe(2);
    expect(lint.stderr.split('\n')[0]).toBe('zonal lint: --zones "us-west-2a,,us-west-2b" has an empty entry (separate zones with single commas, e.g. us-west-2a,us-west-2b)');
  });
});

describe('GIVEN wrong flags WHEN a command runs THEN exit 2 with exactly one usage line, then the usage', () => {
  it.each([
    [['simulate'], 'zonal simulate: give --values FILE (or -f MANIFESTS with --zones)'],
    [['simulate', '--values', 'values/octank-travel.yaml', '-f', 'x.yaml'], 'zonal simulate: give either --values or -f, not both'],
    [['report', '--values', 'values/octank-travel.yaml'], 'zonal report: --out FILE is required (where to write the HTML page)'],
    [['lint', '--values', 'values/octank-travel.yaml', '--zones', 'a'], 'zonal lint: --zones applies to -f only; with --values the values file describes the cluster and mesh'],
    [['lint', 'stray'], 'zonal lint: unexpected argument "stray" (lint files with -f PATH, a values file with --values FILE)'],
    [['probe', '--url', 'http://x/', '-n', '0'], 'zonal probe: --requests must be a whole number >= 1, got "0"'],
    [['infra', 'nope'], 'zonal infra: unknown sub-command "nope" (sub-commands: eksctl, flowlogs, dashboard, athena, istio, get)'],
    [['infra', 'ekscl'], 'zonal infra: unknown sub-command "ekscl" (did you mean eksctl?)'],
    [['flowlogs', 'anlyze'], 'zonal flowlogs: unknown sub-command "anlyze" (did you mean analyze?)'],
  ])('%j', async (args, first) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    const [line, blank, usage] = r.stderr.split('\n');
    expect(line).toBe(first);
    expect(blank).toBe('');
    expect(usage).toMatch(new RegExp(`^Usage:\\s*(zonal ${args[0]})?`));
  });
});


describe('GIVEN a file-system error of any kind', () => {
  it('WHEN it is described for a message THEN it is words, never the bare errno code', () => {
    const err = (code: string, errno: number) => Object.assign(new Error(`${code}: x`), { code, errno, syscall: 'open' });
    expect(fileErrorReason(err('EEXIST', -17), '--out')).toBe('a file is where a folder is needed; check the --out path');
    // An errno without a case of its own: the system's description.
    expect(fileErrorReason(err('EXDEV', -18))).toBe('cross-device link not permitted');
    for (const [code, errno] of [['EIO', -5], ['EBUSY', -16], ['ETXTBSY', -26], ['EINVAL', -22], ['ENOTEMPTY', -39]] as const) {
      expect(fileErrorReason(err(code, errno))).not.toMatch(/\bE[A-Z]{3,}\b/);
    }
  });
});
