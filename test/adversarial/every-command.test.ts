/**
 * Every file a command reads, in every broken way a file can be: missing, a folder, JSON nested
 * 100,000 levels deep, a YAML alias bomb, a symbolic link to itself. Each case is bad input (exit 2) described in located
 * or command-prefixed lines: never a bare errno, a stack trace or "this is a bug in zonal".
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
let work: string;
const path = (name: string) => join(work, name);

beforeAll(() => {
  work = tempDir('zonal-every-');
  mkdirSync(path('a-folder'));
  writeFileSync(path('deep.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
  writeFileSync(path('bomb.yaml'), `${bomb.join('\n')}\n`);
  writeFileSync(path('empty.log'), '');
  writeFileSync(path('subnets.json'), JSON.stringify({ Subnets: [] }));
  symlinkSync('loop.yaml', path('loop.yaml')); // a link to itself: ELOOP
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Each command line with F where the broken file goes. */
const COMMANDS: ReadonlyArray<readonly string[]> = [
  ['generate', '--values', 'F', '--out', 'OUT'],
  ['generate', '--check', '--values', 'F', '--out', 'OUT'],
  ['lint', '--values', 'F'],
  ['lint', '-f', 'F'],
  ['simulate', '--values', 'F'],
  ['simulate', '--values', VALUES, '--scenario', 'F'],
  ['simulate', '--values', VALUES, '--prices', 'F'],
  ['simulate', '-f', 'F', '--zones', 'us-west-2a,us-west-2b', '--region', 'us-west-2'],
  ['report', '--values', 'F', '--out', 'OUT/r.html'],
  ['report', '--values', VALUES, '--scenario', 'F', '--out', 'OUT/r.html'],
  ['report', '--values', VALUES, '--prices', 'F', '--out', 'OUT/r.html'],
  ['flowlogs', 'analyze', 'LOG', '--values', 'F'],
  ['flowlogs', 'analyze', 'LOG', '--subnets', 'F'],
  ['flowlogs', 'analyze', 'LOG', '--values', VALUES, '--services', 'F'],
  ['flowlogs', 'analyze', 'F', '--values', VALUES],
  ['flowlogs', 'query', '--engine', 'athena', '--values', 'F'],
  ['flowlogs', 'query', '--engine', 'insights', '--subnets', 'F'],
  ['diff', '--values', 'F'],
  ['discover', 'rds', '--values', 'F', '--input', 'F'],
  ['discover', 'rds', '--values', VALUES, '--input', 'F'],
  ['discover', 'msk', '--values', VALUES, '--input', 'F'],
  ['init', '--name', 'shop', '-f', 'F', '--subnets', 'SUBNETS'],
  ['init', '--name', 'shop', '-f', VALUES, '--subnets', 'F'],
  ['infra', 'eksctl', '--values', 'F'],
  ['infra', 'athena', '--values', 'F', '--account-id', '123456789012'],
  ['infra', 'get', 'name', '--values', 'F'],
];
const BROKEN = ['missing.yaml', 'a-folder', 'deep.json', 'bomb.yaml', 'loop.yaml'] as const;

/** Folders are valid for -f (searched for manifests): there the empty folder is its own problem. */
const CASES = COMMANDS.flatMap((cmd) => BROKEN.map((broken) => [cmd.join(' '), broken, cmd] as const))
  // A flow-log input may be a folder, and a deep or odd file is malformed lines, not bad input.
  .filter(([, broken, cmd]) => !(cmd[1] === 'analyze' && cmd[2] === 'F' && ['a-folder', 'deep.json', 'bomb.yaml'].includes(broken)));

describe.each(CASES)('GIVEN zonal %s WHEN F is %s', (_line, broken, cmd) => {
  it('THEN exit 2 with located or prefixed one-line messages, no errno, no stack, no "bug"', async () => {
    const out = tempDir('zonal-every-out-');
    const args = cmd.map((a) => (a === 'F' ? path(broken) : a === 'OUT' ? out : a === 'OUT/r.html' ? join(out, 'r.html') : a === 'LOG' ? path('empty.log') : a === 'SUBNETS' ? path('subnets.json') : a));
    const r = await runCli([...args]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^(\S[^\n]*:\d+:\d+: |zonal [a-z]+( [a-z]+)?: )\S/);
    expect(r.stderr).not.toMatch(/this is a bug|\n\s+at |\bE[A-Z]{3,}\b|Maximum call stack/);
  });
});

it('THEN the matrix is complete: every command that reads a file, every broken kind', () => {
  expect(new Set(COMMANDS.map((c) => c[0]))).toEqual(new Set(['generate', 'lint', 'simulate', 'report', 'flowlogs', 'diff', 'discover', 'init', 'infra']));
  expect(CASES.length).toBe(COMMANDS.length * BROKEN.length - 3);
});
