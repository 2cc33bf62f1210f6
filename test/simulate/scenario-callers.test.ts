import { describe, expect, it } from '@jest/globals';
import { parseScenario, resolveScenarioNames } from '../../generator/simulate/scenario.js';
import { inputProblems } from '../support/input-problems.js';

const problems = inputProblems;

const ZONES = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
const DESTS = [{ name: 'zip-lookup-service', aliases: ['zip-lookup-service-local'] }];

describe('scenario callers', () => {
  it('GIVEN callers by an alias WHEN resolved THEN they are keyed by the destination name', () => {
    const loaded = parseScenario('callers:\n  zip-lookup-service-local: { us-west-2a: 6, us-west-2b: 2 }\n', 'sc.yaml');
    expect(resolveScenarioNames(loaded, ZONES, DESTS).callers).toEqual({ 'zip-lookup-service': { 'us-west-2a': 6, 'us-west-2b': 2 } });
  });

  it('GIVEN an unknown destination or zone WHEN resolved THEN one located line each', () => {
    const loaded = parseScenario('callers:\n  nope: { us-west-2a: 1 }\n  zip-lookup-service: { us-east-1a: 1 }\n', 'sc.yaml');
    expect(problems(() => resolveScenarioNames(loaded, ZONES, DESTS))).toEqual([
      'sc.yaml:2:3: unknown destination "nope" in callers (destinations: zip-lookup-service)',
      'sc.yaml:3:25: unknown zone "us-east-1a" in callers.zip-lookup-service (zones: us-west-2a, us-west-2b, us-west-2c)',
    ]);
  });

  it('GIVEN a negative or fractional pod count WHEN parsed THEN the schema reports it with the fix', () => {
    const p = problems(() => parseScenario('callers:\n  svc: { us-west-2a: -1, us-west-2b: 1.5 }\n', 'sc.yaml'));
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^sc\.yaml:2:22: callers\.svc\.us-west-2a .*ready pods of the calling workload/);
  });
});
