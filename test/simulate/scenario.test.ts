import { describe, expect, it } from '@jest/globals';
import { parseScenario, resolveScenarioNames } from '../../generator/simulate/scenario.js';
import { inputProblems } from '../support/input-problems.js';
import { scenarioSchema } from '../../generator/simulate/scenario-schema.js';

const problems = inputProblems;

const ZONES = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
const DESTS = [{ name: 'zip-lookup-service', aliases: ['zip-lookup-service-local'] }, { name: 'aurora', aliases: ['db.example'] }];

describe('scenario file', () => {
  it('GIVEN the issue\'s example WHEN parsed THEN healthy/notReady/traffic are read and unlisted pairs carry no traffic', () => {
    const s = parseScenario([
      'endpoints:',
      '  zip-lookup-service: { us-west-2a: { total: 100, healthy: 71 }, us-west-2b: { total: 100, healthy: 100 } }',
      'traffic:',
      '  - { from: us-west-2a, to: zip-lookup-service, gbPerMonth: 500 }',
    ].join('\n'), 'sc.yaml').scenario;
    expect(s.endpoints['zip-lookup-service']).toEqual({
      'us-west-2a': { total: 100, healthy: 71, notReady: 0, degraded: 0 },
      'us-west-2b': { total: 100, healthy: 100, notReady: 0, degraded: 0 },
    });
    expect(s.traffic).toEqual([{ from: 'us-west-2a', to: 'zip-lookup-service', gbPerMonth: 500 }]);
    expect(s.defaultGbPerMonth).toBe(0);
    expect(s.dataplane).toBe('sidecar');
  });

  it('GIVEN notReady pods WHEN healthy is omitted THEN every ready pod counts as healthy', () => {
    const s = parseScenario('endpoints: { svc: { z: { total: 10, notReady: 9 } } }', 'sc.yaml').scenario;
    expect(s.endpoints.svc!.z).toEqual({ total: 10, notReady: 9, healthy: 1, degraded: 0 });
  });

  it('GIVEN an empty file WHEN parsed THEN defaults apply (100 GB per zone and destination)', () => {
    expect(parseScenario('', 'sc.yaml').scenario).toMatchObject({ endpoints: {}, traffic: [], defaultGbPerMonth: 100, dataplane: 'sidecar' });
  });

  it('GIVEN schema errors WHEN parsed THEN each is reported as file:line:col with a fix', () => {
    const text = [
      'endpoints:',
      '  svc:',
      '    us-west-2a: { total: 10, healthy: 1.5 }',
      '    us-west-2b: { total: "3" }',
      '    us-west-2c: { healthy: 1 }',
      '  db: 7',
      'traffic:',
      '  - { from: us-west-2a, to: svc, gbPerMonth: -1 }',
      '  - { from: us-west-2a, to: svc, gbPerMonth: 5, extra: 1 }',
      '  - { from: "", gbPerMonth: 5 }',
      'dataplane: linkerd',
      'colour: blue',
    ].join('\n');
    expect(problems(() => parseScenario(text, 'sc.yaml'))).toEqual([
      'sc.yaml:3:39: endpoints.svc.us-west-2a.healthy must be integer, got 1.5 (write a number without quotes)',
      'sc.yaml:4:26: endpoints.svc.us-west-2b.total must be integer, got "3" (write a number without quotes)',
      'sc.yaml:5:17: missing required key "total" in endpoints.svc.us-west-2c (add total: <endpoints in this zone>)',
      'sc.yaml:6:7: endpoints.db must be object, got 7 (write { <zone>: { total: N, healthy: N } })',
      'sc.yaml:8:46: traffic[0].gbPerMonth is -1, out of range (use a value between 0 and 1e12; give the monthly volume in GB)',
      'sc.yaml:9:49: unknown key "extra" in traffic[1] (allowed keys: from, to, gbPerMonth; check the spelling)',
      'sc.yaml:10:5: missing required key "to" in traffic[2] (add to: <destination>)',
      'sc.yaml:10:13: traffic[2].from is empty (give it a value)',
      'sc.yaml:11:12: dataplane is "linkerd", which is not allowed (use one of: sidecar, kube-proxy; sidecar: Istio sidecars; kube-proxy: no mesh)',
      `sc.yaml:12:1: unknown key "colour" in the top level (allowed keys: ${Object.keys(scenarioSchema.properties).join(', ')}; check the spelling)`,
    ]);
  });

  it('GIVEN counts that contradict each other WHEN parsed THEN each is reported at the offending count', () => {
    const text = [
      'endpoints:',
      '  svc:',
      '    us-west-2a: { total: 10, healthy: 11 }',
      '    us-west-2b: { total: 3, notReady: 4 }',
      'traffic:',
      '  - { from: us-west-2a, to: svc, gbPerMonth: 1 }',
      '  - { from: us-west-2a, to: svc, gbPerMonth: 2 }',
    ].join('\n');
    expect(problems(() => parseScenario(text, 'sc.yaml'))).toEqual([
      'sc.yaml:3:39: endpoints.svc.us-west-2a: healthy (11) + degraded (0) exceed the 10 ready endpoints (total 10 - notReady 0) (healthy and degraded count ready endpoints only)',
      'sc.yaml:4:39: endpoints.svc.us-west-2b.notReady (4) exceeds total (3) (notReady counts pods out of total)',
      'sc.yaml:7:5: traffic[1] repeats from us-west-2a to svc (first at traffic[0]) (give each zone/destination pair once)',
    ]);
  });

  it.each([
    ['.nan', 'NaN', 'write a finite number'],
    ['.inf', 'Infinity', 'write a finite number'],
    ['1e309', '"1e309"', 'write a finite number'],
  ])('GIVEN defaultGbPerMonth: %s WHEN parsed THEN it is bad input, not a number', (raw, shown, fix) => {
    expect(problems(() => parseScenario(`defaultGbPerMonth: ${raw}`, 'sc.yaml'))).toEqual([
      `sc.yaml:1:20: defaultGbPerMonth must be number, got ${shown} (${fix})`,
    ]);
  });

  it('GIVEN a volume so large that sums would overflow WHEN parsed THEN it is out of range', () => {
    expect(problems(() => parseScenario('defaultGbPerMonth: 1e308', 'sc.yaml'))).toEqual([
      'sc.yaml:1:20: defaultGbPerMonth is 1e+308, out of range (use a value between 0 and 1e12; give the monthly volume in GB per zone and destination)',
    ]);
  });

  it('GIVEN invalid YAML WHEN parsed THEN the syntax error is located', () => {
    expect(problems(() => parseScenario('endpoints: {\n  a: 1\n  b', 'sc.yaml'))[0]).toMatch(/^sc\.yaml:\d+:\d+: /);
  });

  it('GIVEN unknown destinations and zones WHEN names are resolved THEN each is located and the known names are listed', () => {
    const loaded = parseScenario([
      'endpoints:',
      '  checkout: { us-west-2a: { total: 1 } }',
      '  aurora: { eu-west-1a: { total: 1 } }',
      'traffic:',
      '  - { from: us-west-2d, to: zip-lookup-service-local, gbPerMonth: 5 }',
    ].join('\n'), 'sc.yaml');
    expect(problems(() => resolveScenarioNames(loaded, ZONES, DESTS))).toEqual([
      'sc.yaml:2:3: unknown destination "checkout" in endpoints (destinations: zip-lookup-service, aurora)',
      'sc.yaml:3:13: unknown zone "eu-west-1a" in endpoints.aurora (zones: us-west-2a, us-west-2b, us-west-2c)',
      'sc.yaml:5:7: unknown zone "us-west-2d" in traffic[0].from (zones: us-west-2a, us-west-2b, us-west-2c)',
    ]);
  });

  it('GIVEN aliases (Service name, host) WHEN names are resolved THEN they map to the destination name', () => {
    const loaded = parseScenario('endpoints: { db.example: { us-west-2a: { total: 2 } } }\ntraffic: [ { from: us-west-2b, to: zip-lookup-service-local, gbPerMonth: 7 } ]', 'sc.yaml');
    const s = resolveScenarioNames(loaded, ZONES, DESTS);
    expect(Object.keys(s.endpoints)).toEqual(['aurora']);
    expect(s.traffic).toEqual([{ from: 'us-west-2b', to: 'zip-lookup-service', gbPerMonth: 7 }]);
  });
});
