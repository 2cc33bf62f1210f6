import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/generate.js';
import { REPO } from '../support/helm.js';

const VALUES = join(REPO, 'values', 'octank-travel.yaml');
/** Wording of Node.js internals that must never reach a user (error codes, class names, stack frames). */
const NODE_INTERNALS = /\bERR_[A-Z_]+|\bE(NOENT|ISDIR|ACCES|NOTDIR|CONNREFUSED|CONNRESET|NOTFOUND|PIPE)\b|\[object Object\]|\b(TypeError|RangeError|SyntaxError|ReferenceError)\b|^Error: |\n\s+at .+:\d+:\d+\)?$|undefined|NaN/m;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('GIVEN bad input to every kind of command', () => {
  const dir = tempDir();
  const bad = join(dir, 'bad.json');
  const folder = join(dir, 'folder');
  writeFileSync(bad, '{');
  mkdirSync(folder);
  const missing = join(dir, 'missing.yaml');
  it.each([
    [['generate', '--values', missing], 2],
    [['generate', '--values', folder], 2],
    [['lint', '-f', missing], 2],
    [['lint', '-f', bad], 2],
    [['simulate', '--values', VALUES, '--scenario', folder], 2],
    [['simulate', '--values', VALUES, '--prices', bad], 2],
    [['simulate', '--values', VALUES, '--compare', 'sideways'], 2],
    [['report', '--values', missing, '--out', join(dir, 'r.html')], 2],
    [['flowlogs', 'analyze', missing, '--values', VALUES], 2],
    [['flowlogs', 'analyze', bad, '--subnets', bad], 2],
    [['flowlogs', 'query', '--engine', 'oracle', '--values', VALUES], 2],
    [['init', '--name', 'x', '-f', missing, '--subnets', bad], 2],
    [['discover', 'rds', '--input', bad], 2],
    [['discover', 'rds', '--input', folder], 2],
    [['infra', 'get', 'nope'], 2],
    [['infra', 'eksctl', '--values', missing], 2],
    [['probe', '--url', 'not a url'], 2],
    [['generate', '--values'], 2],
    [['lint', '--', '--values'], 2],
  ])('WHEN zonal %j runs THEN it exits %i with zonal\'s words, none of Node\'s', async (args, code) => {
    const r = await runCli(args as string[], dir);
    expect(r.code).toBe(code);
    expect(r.stderr).not.toBe('');
    expect(r.stderr).not.toMatch(NODE_INTERNALS);
    expect(r.stderr).not.toMatch(/this is a bug in zonal/);
  });

  it('WHEN zonal probe cannot connect THEN the failures are named in words', async () => {
    const r = await runCli(['probe', '--url', `http://127.0.0.1:${await closedPort()}/`, '-n', '2', '--zone', 'us-west-2a'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('failures: connection refused x2');
    expect(r.stdout + r.stderr).not.toMatch(NODE_INTERNALS);
  });
});
