import { describe, expect, it } from '@jest/globals';
import { closestFlag } from '../../generator/commands/flag-errors.js';
import { runCli } from '../support/generate.js';

describe('GIVEN a mistyped command line', () => {
  it.each([
    [['generate', '--vaules', 'v.yaml'], /^zonal generate: unknown flag --vaules \(did you mean --values\?\)$/m],
    [['lint', '--jsn'], /^zonal lint: unknown flag --jsn \(did you mean --json\?\)$/m],
    [['diff', '--bsae', 'HEAD'], /^zonal diff: unknown flag --bsae \(did you mean --base\?\)$/m],
    [['generate', '--out'], /^zonal generate: --out needs a value \(--out DIR\)$/m],
    [['generate', '--check=yes'], /^zonal generate: --check takes no value/m],
    [['probe', '--url', 'http://x', '--timeout', '-1'], /^zonal probe: --timeout is followed by what looks like a flag \(write --timeout=VALUE for a value that begins with "-"\)$/m],
    [['schema', 'extra'], /^zonal schema: unexpected argument "extra"/m],
    [['generate', '--zzzzzz'], /^zonal generate: unknown flag --zzzzzz \(flags: --values, --out, --check/m],
  ])('WHEN zonal %j runs THEN exit 2 with a zonal message, no Node-internal wording', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/positional argument starting with|ERR_PARSE_ARGS|place it after a '--'/);
  });

  it('THEN the closest flag is only suggested when it is close', () => {
    expect(closestFlag('--valeus', ['values', 'out', 'check'])).toBe('values');
    expect(closestFlag('--val', ['values', 'out'])).toBe('values');
    expect(closestFlag('--banana', ['values', 'out', 'check'])).toBeUndefined();
  });
});

describe('GIVEN a flag value or file name holding a line break or a control character', () => {
  const values = 'values/octank-travel.yaml';
  it.each([
    [['infra', 'dashboard', '--values', values, '--service', 'x\ny']],
    [['infra', 'eksctl', '--values', values, '--tag', 'x\ny']],
    [['infra', 'dashboard', '--values', values, '--log-group', 'x\ny']],
    [['simulate', '--values', values, '--zones', 'x\ny']],
    [['simulate', '--values', values, '--istio-version', 'x\ny']],
    [['simulate', '--values', values, '--compare', 'x\ny']],
    [['flowlogs', 'query', '--engine', 'athena', '--values', values, '--database', 'x\ny']],
    [['probe', '--url', 'x\ny']],
    [['generate', '--values', 'x\ny\u001b[2J.yaml']],
    [['x\ny']],
  ])('WHEN zonal %j runs THEN exit 2 and the message is one line, prefixed, with the break escaped', async (args) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    const first = r.stderr.split('\n')[0]!;
    expect(first).toMatch(/^(zonal( [a-z]+)*: |x\\ny\S*:1:1: )/);
    expect(first).toContain('x\\ny');
    expect(r.stderr).not.toMatch(/^y/m);
    expect(r.stderr).not.toContain('\u001b');
  });
});
