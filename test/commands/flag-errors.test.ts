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
